/// Eight bytes at a time: tests on a 64-bit word of text that say whether any of
/// its bytes is a given value (the "has zero byte" trick). A scan skips the words
/// where nothing it looks for can be, then looks at the bytes of the one that
/// answered. Each test is exact as a yes or no; which byte answered is not kept.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `offset` of `base`.
    @inline(__always) static func load(_ base: UnsafePointer<UInt8>, _ offset: Int) -> UInt64 {
        UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Nonzero when some byte of `word` is `byte`.
    @inline(__always) static func has(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// `has` for two words at once, in vector lanes.
    @inline(__always) static func has(_ words: SIMD2<UInt64>, _ byte: UInt8) -> SIMD2<UInt64> {
        let x = words ^ SIMD2(repeating: ones &* UInt64(byte))
        return (x &- SIMD2(repeating: ones)) & ~x & SIMD2(repeating: highs)
    }

    /// Nonzero when some byte of `word` is below `bound` (at most 0x80).
    @inline(__always) static func hasBelow(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & ~word & highs
    }

    /// `hasBelow` for a word whose bytes are all ASCII (below 0x80), which needs no
    /// test that a byte's own high bit was clear.
    @inline(__always) static func hasBelowASCII(_ word: UInt64, _ bound: UInt8) -> UInt64 {
        (word &- ones &* UInt64(bound)) & highs
    }

    /// The offset in its word of the first byte that the tests above flagged in
    /// `found` (nonzero).
    ///
    /// A test may also flag the byte after one that truly matches (a borrow runs
    /// into it) but never one before the first match, so the lowest flag is exact
    /// and the bytes before it need no second look. The first byte in memory is the
    /// lowest of a word loaded on a little-endian machine, which every platform of
    /// Swift is (the `#error` below says so if one is not).
    @inline(__always) static func firstFlagged(_ found: UInt64) -> Int {
        #if _endian(little)
        found.trailingZeroBitCount >> 3
        #else
        #error("ByteWord.firstFlagged assumes a little-endian machine")
        #endif
    }

    /// Nonzero when some byte of `word` is not ASCII.
    @inline(__always) static func hasNonASCII(_ word: UInt64) -> UInt64 {
        word & highs
    }
}
