/// What a mention names: a type, a canonical name, an optional id and attributes.
public struct Entity: Sendable, Hashable {
    public var type: String
    public var canonical: String
    /// An external id, e.g. a Wikidata QID; nil when the pack gives none.
    public var id: String?
    /// Attributes from the gazetteer line or rule, e.g. `iso3`.
    public var attrs: [String: String]

    public init(type: String, canonical: String, id: String? = nil, attrs: [String: String] = [:]) {
        self.type = type
        self.canonical = canonical
        self.id = id
        self.attrs = attrs
    }
}
