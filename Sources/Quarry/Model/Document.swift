/// One document of the corpus: its name, its text, and what travels with its facts.
public struct Document: Sendable {
    /// What facts call the document: the path as given, or a JSONL line's `id`.
    public var name: String
    /// The text, decoded (invalid UTF-8 replaced, a BOM dropped). Every offset in
    /// every record refers to it.
    public var text: String
    /// Fields of a JSONL line other than `id` and `text`, written under `meta`.
    public var meta: JSONValue?

    public init(name: String, text: String, meta: JSONValue? = nil) {
        self.name = name
        self.text = text
        self.meta = meta
    }
}
