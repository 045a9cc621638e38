#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits English text into sentences by scanning its UTF-8 bytes.
///
/// The splitter is a hand-written lexer over bytes: it stops only at bytes that can
/// end a sentence (`.`, `?`, `!`, line breaks, a few non-ASCII marks) and decides there
/// from the few bytes around, with the abbreviation and word lists of its
/// `SentenceRules`. See `SentenceScanner` for the decisions it makes.
public struct SentenceSplitter: Sendable {
    private let rules: SentenceRules

    /// A splitter that knows the abbreviations and words of `rules`.
    public init(rules: SentenceRules) {
        self.rules = rules
    }

    /// Byte ranges of the sentences of `text` (UTF-8 bytes), in order, non-overlapping, each trimmed of white space (ASCII white space and U+00A0 at least); empty sentences never returned.
    ///
    /// Every range starts and ends on a character boundary.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public func split(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let base = text.baseAddress, !text.isEmpty else { return [] }
        // A lone CR (old Mac line ends) is a line break: scan a copy where it is LF.
        // Same length, so the ranges hold for the original text.
        if Self.hasLoneCarriageReturn(text) {
            var copy = Array(text)
            for index in copy.indices where copy[index] == 0x0D && (index + 1 == copy.count || copy[index + 1] != 0x0A) {
                copy[index] = 0x0A
            }
            return copy.withUnsafeBufferPointer { buffer in
                var scanner = SentenceScanner(buffer.baseAddress!, count: buffer.count, rules: rules)
                scanner.run()
                return scanner.sentences
            }
        }
        var scanner = SentenceScanner(base, count: text.count, rules: rules)
        scanner.run()
        return scanner.sentences
    }

    private static func hasLoneCarriageReturn(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        var start = 0
        while start < text.count, let found = memchr(base + start, 0x0D, text.count - start) {
            let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if index + 1 == text.count || text[index + 1] != 0x0A { return true }
            start = index + 1
        }
        return false
    }

    /// Byte ranges of the sentences of `text`; see `split(_:)` on a buffer.
    ///
    /// - Complexity: O(n) in the length of `text`.
    public func split(_ text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { split($0) }
    }
}
