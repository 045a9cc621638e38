/// Converts UTF-8 byte offsets of a text into Unicode scalar offsets, the offsets
/// every record carries (Python's `text[start:end]`).
///
/// Keeps the scalar count at every 64th byte, so a lookup counts at most 63 bytes;
/// an ASCII text (most news) keeps nothing, as its offsets are the same.
public struct ScalarIndex: Sendable {
    private static let block = 64
    private let counts: [Int32]
    private let isASCII: Bool

    /// - Complexity: O(n), eight bytes a step.
    public init(_ text: UnsafeBufferPointer<UInt8>) {
        guard let base = text.baseAddress, !Self.isASCII(text) else {
            counts = []
            isASCII = true
            return
        }
        var counts: [Int32] = []
        counts.reserveCapacity(text.count / Self.block + 2)
        var scalars: Int32 = 0
        var index = 0
        while index + Self.block <= text.count {
            counts.append(scalars)
            // A byte starts a scalar unless it is a continuation byte (10xxxxxx).
            var continuations = 0
            for word in stride(from: index, to: index + Self.block, by: 8) {
                let bytes = ByteWord.load(base, word)
                continuations += (bytes & ~(bytes << 1) & ByteWord.highs).nonzeroBitCount
            }
            scalars += Int32(Self.block - continuations)
            index += Self.block
        }
        if index < text.count {
            counts.append(scalars)
            for byte in text[index...] where byte & 0xC0 != 0x80 { scalars += 1 }
        }
        counts.append(scalars)
        self.counts = counts
        isASCII = false
    }

    /// Whether every byte of `text` is ASCII, 32 bytes a step (four words ORed,
    /// one test), then eight.
    private static func isASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        var index = 0
        var high: UInt64 = 0
        while index + 32 <= text.count {
            let words = ByteWord.load(base, index) | ByteWord.load(base, index + 8)
                | ByteWord.load(base, index + 16) | ByteWord.load(base, index + 24)
            if ByteWord.hasNonASCII(words) != 0 { return false }
            index += 32
        }
        while index + 8 <= text.count {
            high |= ByteWord.hasNonASCII(ByteWord.load(base, index))
            index += 8
        }
        for byte in text[index...] { high |= UInt64(byte & 0x80) }
        return high == 0
    }

    /// The scalar offset of byte offset `offset` (a character boundary).
    public func scalarOffset(_ offset: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        if isASCII { return offset }
        let blockIndex = offset / Self.block
        var count = Int(counts[blockIndex])
        var index = blockIndex * Self.block
        while index < offset {
            if text[index] & 0xC0 != 0x80 { count += 1 }
            index += 1
        }
        return count
    }
}
