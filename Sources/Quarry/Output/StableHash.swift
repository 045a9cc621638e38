/// FNV-1a, 64 bits: the same value on every run and machine (Swift's `Hasher` is
/// seeded per process), printed as 16 hex digits.
public struct StableHash {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        for byte in text.utf8 {
            state ^= UInt64(byte)
            state = state &* 0x0000_0100_0000_01B3
        }
        // A separator, so ("ab","c") and ("a","bc") differ.
        state ^= 0xFF
        state = state &* 0x0000_0100_0000_01B3
    }

    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
