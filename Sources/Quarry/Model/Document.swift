/// One document of the corpus: its name, its text, and what travels with its facts.
public struct Document: Sendable {
    /// What facts call the document: the path as given, or a JSONL line's `id`.
    public var name: String
    /// The text, decoded (invalid UTF-8 replaced, a BOM dropped). Every offset in
    /// every record refers to it.
    public var text: String
    /// Fields of a JSONL line other than `id` and `text`, written under `meta`.
    ///
    /// A JSONL line's fields are kept as its bytes and built when read, which is
    /// when the document's facts are written: most news documents have none.
    public var meta: JSONValue? {
        get {
            switch metaStorage {
            case .none: nil
            case .value(let value): value
            case .members(let ranges, let line): line.withUnsafeBufferPointer { JSONParser.members(ranges, of: $0) }
            }
        }
        set { metaStorage = newValue.map(MetaStorage.value) ?? .none }
    }

    private enum MetaStorage: Sendable {
        case none
        case value(JSONValue)
        /// Members of `line` that `JSONParser.parseObject` checked and did not build.
        case members([Range<Int>], line: [UInt8])
    }

    private var metaStorage: MetaStorage
    /// Bytes of input the document was read from (its file, or its JSONL line with
    /// the newline), for progress against the inputs' total size.
    public var inputBytes: Int

    public init(name: String, text: String, meta: JSONValue? = nil, inputBytes: Int? = nil) {
        self.name = name
        self.text = text
        metaStorage = meta.map(MetaStorage.value) ?? .none
        self.inputBytes = inputBytes ?? text.utf8.count
    }

    /// Sets `meta` to the members at `ranges` of `line` (a JSONL line, or the part
    /// of it that holds them), which `JSONParser.parseObject` checked; they are
    /// built when read.
    public mutating func setMeta(members ranges: [Range<Int>], of line: [UInt8]) {
        metaStorage = .members(ranges, line: line)
    }
}
