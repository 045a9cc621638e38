/// A sentence as entity phases and relation rules see it: the text, with each
/// mention replaced by an opaque token (see `TokenCodec`).
///
/// Built once per sentence and phase; maps every offset back to the document.
public struct TokenString: Sendable {
    /// UTF-8 bytes of the token string.
    public let bytes: [UInt8]
    /// The mentions, in text order, one per token.
    public let mentions: [Mention]
    /// Byte range of each token in `bytes`.
    public let tokens: [Range<Int>]
    /// Byte offset of the sentence in the document.
    public let base: Int
    /// `shift[i]`: how much longer than their mentions tokens 0..<i are, in bytes.
    private let shift: [Int]

    /// The token string of `range` of `text`, with `mentions` (sorted, not
    /// overlapping, inside the range) replaced by tokens.
    public init(text: UnsafeBufferPointer<UInt8>, range: Range<Int>, mentions: [Mention], codec: TokenCodec) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count + mentions.count * 8)
        // Sized once: grown from empty, the two arrays took two or three
        // allocations each for a sentence of a few mentions.
        var tokens: [Range<Int>] = []
        tokens.reserveCapacity(mentions.count)
        var shift: [Int] = []
        shift.reserveCapacity(mentions.count + 1)
        shift.append(0)
        var cursor = range.lowerBound
        for mention in mentions {
            bytes.append(contentsOf: text[cursor..<mention.range.lowerBound])
            let tokenStart = bytes.count
            codec.appendToken(for: mention, to: &bytes)
            let length = bytes.count - tokenStart
            tokens.append(tokenStart..<bytes.count)
            shift.append(shift[shift.count - 1] + length - mention.range.count)
            cursor = mention.range.upperBound
        }
        bytes.append(contentsOf: text[cursor..<range.upperBound])
        self.bytes = bytes
        self.mentions = mentions
        self.tokens = tokens
        self.shift = shift
        base = range.lowerBound
    }

    /// The token string of a stretch of text without mentions that starts at byte
    /// `base` of the document: offsets map to `base` plus themselves. The caller
    /// matches the text itself, so no bytes are kept here.
    public init(plainAt base: Int) {
        bytes = []
        mentions = []
        tokens = []
        shift = Self.noShift
        self.base = base
    }

    /// Shared, so that a plain token string allocates nothing.
    private static let noShift = [0]

    /// Index of the first token that starts at or after `offset`.
    private func firstToken(startingAtOrAfter offset: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let mid = (low + high) / 2
            if tokens[mid].lowerBound < offset { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether `offset` falls strictly inside a token.
    public func isInsideToken(_ offset: Int) -> Bool {
        let next = firstToken(startingAtOrAfter: offset)
        guard next > 0 else { return false }
        let token = tokens[next - 1]
        return offset > token.lowerBound && offset < token.upperBound
    }

    /// The document byte offset of token-string offset `offset`. An offset inside a
    /// token maps to its mention's end.
    public func documentOffset(_ offset: Int) -> Int {
        let next = firstToken(startingAtOrAfter: offset)
        if next > 0, offset < tokens[next - 1].upperBound {
            return mentions[next - 1].range.upperBound
        }
        return base + offset - shift[next]
    }

    /// The mentions whose tokens lie inside `range` of the token string.
    public func mentions(in range: Range<Int>) -> ArraySlice<Mention> {
        let first = firstToken(startingAtOrAfter: range.lowerBound)
        var last = first
        while last < tokens.count, tokens[last].upperBound <= range.upperBound { last += 1 }
        return mentions[first..<last]
    }
}
