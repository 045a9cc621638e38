/// Converts UTF-8 byte offsets of a text into Unicode scalar offsets, the offsets
/// every record carries (Python's `text[start:end]`).
///
/// Keeps the scalar count at every 64th byte, so a lookup counts at most 63 bytes.
public struct ScalarIndex: Sendable {
    private static let block = 64
    private let counts: [Int32]
    private let isASCII: Bool

    /// - Complexity: O(n), one pass over the bytes.
    public init(_ text: UnsafeBufferPointer<UInt8>) {
        var counts: [Int32] = []
        counts.reserveCapacity(text.count / Self.block + 1)
        var scalars: Int32 = 0
        var ascii = true
        var index = 0
        while index < text.count {
            if index % Self.block == 0 { counts.append(scalars) }
            let byte = text[index]
            if byte & 0xC0 != 0x80 { scalars += 1 }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        counts.append(scalars)
        self.counts = counts
        isASCII = ascii
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
