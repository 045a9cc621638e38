/// What the pipeline found in one document, ready to be written.
public struct ProcessedDocument: Sendable {
    public var document: Document
    /// The text's UTF-8 bytes; every range below indexes them.
    public var bytes: [UInt8]
    public var sentences: [Sentence]
    public var mentions: [Mention]
    public var facts: [Fact]
    /// Problems met while processing (a rule that hit a PCRE2 limit).
    public var warnings: [Diagnostic]

    /// The text of a byte range.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
