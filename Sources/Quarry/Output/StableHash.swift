/// FNV-1a, 64 bits: the same value on every run and machine (Swift's `Hasher` is
/// seeded per process), printed as 16 hex digits.
public struct StableHash {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes { feed(byte) }
        }
        endField()
    }

    /// Adds `String(number)`, without making the string.
    public mutating func add(_ number: Int) {
        feedDigits(of: number)
        endField()
    }

    /// Adds `"\(range.lowerBound)-\(range.upperBound)"`, without making the string.
    public mutating func add(_ range: Range<Int>) {
        feedDigits(of: range.lowerBound)
        feed(UInt8(ascii: "-"))
        feedDigits(of: range.upperBound)
        endField()
    }

    private mutating func feed(_ byte: UInt8) {
        state ^= UInt64(byte)
        state = state &* 0x0000_0100_0000_01B3
    }

    /// The decimal digits of `number`, as `String(number)` spells it.
    private mutating func feedDigits(of number: Int) {
        if number < 0 { feed(UInt8(ascii: "-")) }
        let magnitude = number.magnitude
        var power: UInt = 1
        while magnitude / power >= 10 { power *= 10 }
        while power > 0 {
            feed(UInt8(ascii: "0") + UInt8(magnitude / power % 10))
            power /= 10
        }
    }

    /// A separator, so ("ab","c") and ("a","bc") differ.
    private mutating func endField() {
        feed(UInt8(0xFF))
    }

    /// The hash as a number.
    public var value: UInt64 { state }

    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
