/// How mentions appear in the token string that entity phases and relation rules
/// match: each mention becomes U+E000, one private-use character per type it can be
/// taken as (its own, and the type it stands for), then U+E001.
///
/// Private-use characters never occur in news text, are not word characters (so
/// `\b` and `\w` treat a token like punctuation), and only placeholders name them.
///
/// A class: the stages take it for every sentence, and as a struct of dictionaries
/// each of those copies was half a dozen retains and releases.
public final class TokenCodec: Sendable {
    /// Opens a token.
    public static let open: Unicode.Scalar = "\u{E000}"
    /// Closes a token.
    public static let close: Unicode.Scalar = "\u{E001}"
    /// First private-use scalar used for types.
    static let firstTypeScalar: UInt32 = 0xE100
    /// How many types a pack can declare.
    public static let maxTypes = TypeSet.capacity

    /// Type name to its scalar.
    public let scalars: [String: Unicode.Scalar]
    public let types: TypeHierarchy
    /// Type name to its index (its bit in a `TypeSet`).
    private let indexes: [String: Int]
    /// The type names by index: a pack has a dozen types, and comparing a short
    /// name with each costs less than hashing it (this runs for every mention of
    /// every sentence a rule looks at).
    private let names: [String]
    /// The UTF-8 length of each of `names`.
    private let nameLengths: [Int]

    public init(types: TypeHierarchy) {
        self.types = types
        var scalars: [String: Unicode.Scalar] = [:]
        var indexes: [String: Int] = [:]
        for (index, name) in types.all.prefix(Self.maxTypes).enumerated() {
            scalars[name] = Unicode.Scalar(Self.firstTypeScalar + UInt32(index))
            indexes[name] = index
        }
        self.scalars = scalars
        self.indexes = indexes
        names = Array(types.all.prefix(Self.maxTypes))
        nameLengths = names.map(\.utf8.count)
    }

    /// The index of a type, nil for an undeclared one.
    public func index(of type: String) -> Int? {
        if names.count <= 16 {
            // Lengths first: two strings of different contents and the same
            // small-string bits are compared by a call, not inline, and most type
            // names differ in length.
            let length = type.utf8.count
            for index in names.indices where nameLengths[index] == length && names[index] == type { return index }
            return nil
        }
        return indexes[type]
    }

    /// The scalar of a type's index.
    private static func scalar(ofIndex index: Int) -> Unicode.Scalar {
        Unicode.Scalar(firstTypeScalar + UInt32(index))!
    }

    /// The types mentions can be taken as: their own and the ones they stand for.
    public func types(of mentions: some Sequence<Mention>) -> TypeSet {
        var present = TypeSet()
        for mention in mentions {
            if let index = index(of: mention.type) { present.insert(index) }
            if let standsFor = mention.standsForType, let index = index(of: standsFor) { present.insert(index) }
        }
        return present
    }

    /// The UTF-8 bytes of the token for a mention.
    public func token(for mention: Mention) -> [UInt8] {
        var bytes: [UInt8] = []
        appendToken(for: mention, to: &bytes)
        return bytes
    }

    /// Appends the token for a mention to `bytes`, with no string in between (this
    /// runs for every mention of every sentence a rule looks at).
    public func appendToken(for mention: Mention, to bytes: inout [UInt8]) {
        Self.append(Self.open, to: &bytes)
        let type = mention.type
        if let index = index(of: type) { Self.append(Self.scalar(ofIndex: index), to: &bytes) }
        if let standsFor = mention.standsForType, standsFor != type, let index = index(of: standsFor) {
            Self.append(Self.scalar(ofIndex: index), to: &bytes)
        }
        Self.append(Self.close, to: &bytes)
    }

    /// Appends the UTF-8 bytes of a token scalar: every one is a private-use
    /// character of three bytes (U+E000 to U+E1FF), written without an encoder.
    private static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let value = scalar.value
        assert((0x800..<0x10000).contains(value), "token scalar U+\(String(value, radix: 16)) is not a three-byte character")
        bytes.append(0xE0 | UInt8(truncatingIfNeeded: value >> 12))
        bytes.append(0x80 | UInt8(truncatingIfNeeded: value >> 6) & 0x3F)
        bytes.append(0x80 | UInt8(truncatingIfNeeded: value) & 0x3F)
    }

    /// A regular expression that matches one token of any of `accepted` types or
    /// their subtypes.
    public func tokenPattern(accepting accepted: [String]) -> String {
        var wanted = Set<String>()
        for type in accepted { wanted.formUnion(types.descendants(of: type)) }
        let set = wanted.compactMap { scalars[$0] }.sorted { $0.value < $1.value }
            .map { "\\x{" + String($0.value, radix: 16, uppercase: true) + "}" }.joined()
        guard !set.isEmpty else { return "(*FAIL)" }
        let any = "[\\x{E100}-\\x{E3FF}]"
        return "\\x{E000}\(any)*?[\(set)]\(any)*\\x{E001}"
    }
}
