/// Numbers as the summary line and reports show them, without `String(format:)`:
/// Foundation's formatting took 2.6 M instructions (a tenth of a millisecond a
/// call) at the end of every run.
public enum Figures {
    /// `value` with `digits` decimals (0 to 9) as `%.<digits>f` writes it: its
    /// exact binary value rounded to the nearest, ties to even. Values that are not
    /// finite, or not below 10^15, are written as Swift describes them.
    public static func fixed(_ value: Double, digits: Int) -> String {
        precondition((0...9).contains(digits), "fixed takes 0 to 9 decimals, not \(digits)")
        let magnitude = value.magnitude
        guard value.isFinite, magnitude < 1e15 else { return String(describing: value) }
        var unit: UInt64 = 1
        for _ in 0..<digits { unit *= 10 }
        // magnitude = significand × 2^exponent exactly; times `unit`, in 128 bits
        // (53 + 30 bits at most), then shifted right with the bits shifted out
        // deciding the rounding.
        let significand = magnitude.significandBitPattern | (magnitude.exponentBitPattern == 0 ? 0 : 1 << 52)
        let exponent = max(Int(magnitude.exponentBitPattern), 1) - 1075
        let product = UInt128(significand) * UInt128(unit)
        var scaled: UInt128
        if exponent >= 0 {
            scaled = product << exponent
        } else if -exponent >= 128 {
            scaled = 0
        } else {
            let shift = -exponent
            scaled = product >> shift
            let rest = product & ((1 << shift) - 1)
            let half: UInt128 = 1 << (shift - 1)
            if rest > half || (rest == half && scaled & 1 == 1) { scaled += 1 }
        }
        var text = value.sign == .minus ? "-" : ""
        text += String(scaled / UInt128(unit))
        if digits > 0 {
            let fraction = String(scaled % UInt128(unit))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
