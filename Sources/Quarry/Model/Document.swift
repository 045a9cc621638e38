/// One document of the corpus: its name, its text, and what travels with its facts.
public struct Document: Sendable {
    /// What facts call the document: the path as given, or a JSONL line's `id`.
    public var name: String
    /// The text's UTF-8 bytes, always valid UTF-8: what every stage reads.
    ///
    /// The text is kept as bytes, not as a `String`: the reader decodes a JSONL
    /// line's text straight into them, and the stages work on bytes, so a string
    /// would cost a second check of the UTF-8 and a copy back into bytes.
    public private(set) var utf8: [UInt8]
    /// The text, decoded (invalid UTF-8 replaced, a BOM dropped). Every offset in
    /// every record refers to it. Made from `utf8` each time it is read.
    public var text: String {
        get { String(decoding: utf8, as: UTF8.self) }
        set { utf8 = Array(newValue.utf8) }
    }
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
            case .lineMembers(let ranges, let block, let start):
                block.withBytes { JSONParser.members(ranges, of: UnsafeBufferPointer(rebasing: $0[start...])) }
            }
        }
        set { metaStorage = newValue.map(MetaStorage.value) ?? .none }
    }

    private enum MetaStorage: Sendable {
        case none
        case value(JSONValue)
        /// Members of `line` that `JSONParser.parseDocument` checked and did not build.
        case members([Range<Int>], line: [UInt8])
        /// The same for the line that starts at `start` of a block of input, kept
        /// instead of a copy of the line's bytes.
        case lineMembers([Range<Int>], block: ByteBlock, start: Int)
    }

    private var metaStorage: MetaStorage
    /// Bytes of input the document was read from (its file, or its JSONL line with
    /// the newline), for progress against the inputs' total size.
    public var inputBytes: Int

    public init(name: String, text: String, meta: JSONValue? = nil, inputBytes: Int? = nil) {
        self.init(name: name, validUTF8: Array(text.utf8), inputBytes: inputBytes)
        metaStorage = meta.map(MetaStorage.value) ?? .none
    }

    /// A document whose text is `bytes`, which must be valid UTF-8 (the reader's
    /// decoder and JSON parser make nothing else); they become `utf8` uncopied.
    public init(name: String, validUTF8 bytes: [UInt8], inputBytes: Int? = nil) {
        assert(String(validating: bytes, as: UTF8.self) != nil, "document text is not valid UTF-8")
        self.name = name
        utf8 = bytes
        metaStorage = .none
        self.inputBytes = inputBytes ?? bytes.count
    }

    /// Sets `meta` to the members at `ranges` of `line` (a JSONL line, or the block
    /// of input it lies in), which `JSONParser.parseDocument` checked; they are
    /// built or written when needed.
    public mutating func setMeta(members ranges: [Range<Int>], of line: [UInt8]) {
        metaStorage = .members(ranges, line: line)
    }

    /// Sets `meta` to the members at `ranges` of the JSONL line that starts at
    /// `start` of `block` (ranges from the line's start); the document keeps the
    /// block, which its line's workers hold anyway, not a copy of the bytes.
    public mutating func setMeta(members ranges: [Range<Int>], ofLineAt start: Int, in block: ByteBlock) {
        metaStorage = .lineMembers(ranges, block: block, start: start)
    }

    /// Writes `meta` as compact JSON (`null` when there is none), the text
    /// `JSONBuffer.value` gives for it, straight from the line's bytes when it was
    /// read from one: no value is built.
    public func writeMeta(to out: inout some CompactJSONOutput) {
        switch metaStorage {
        case .none: out.raw("null")
        case .value(let value): out.value(value)
        case .members(let ranges, let line): line.withUnsafeBufferPointer { JSONParser.writeMembers(ranges, of: $0, to: &out) }
        case .lineMembers(let ranges, let block, let start):
            block.withBytes { JSONParser.writeMembers(ranges, of: UnsafeBufferPointer(rebasing: $0[start...]), to: &out) }
        }
    }
}
