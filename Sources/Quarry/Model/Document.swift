/// One document of the corpus: its name, its text, and what travels with its facts.
public struct Document: Sendable {
    /// What facts call the document: the path as given, or a JSONL line's `id`.
    public var name: String
    /// The text, decoded (invalid UTF-8 replaced, a BOM dropped). Every offset in
    /// every record refers to it.
    public var text: String
    /// Fields of a JSONL line other than `id` and `text`, written under `meta`.
    public var meta: JSONValue?
    /// Bytes of input the document was read from (its file, or its JSONL line with
    /// the newline), for progress against the inputs' total size.
    public var inputBytes: Int

    public init(name: String, text: String, meta: JSONValue? = nil, inputBytes: Int? = nil) {
        self.name = name
        self.text = text
        self.meta = meta
        self.inputBytes = inputBytes ?? text.utf8.count
    }
}
