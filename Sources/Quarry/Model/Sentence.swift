/// A sentence of a document, as UTF-8 byte offsets into the document's text.
public struct Sentence: Sendable, Hashable {
    /// 0-based position of the sentence in its document.
    public var index: Int
    /// Byte range in the document's UTF-8 text, trimmed of white space.
    public var range: Range<Int>

    public init(index: Int, range: Range<Int>) {
        self.index = index
        self.range = range
    }
}
