/// A pattern rule that tags mentions: in its phase, it matches the token string of
/// each sentence (earlier phases' mentions as tokens) and tags the whole match or one
/// named group.
public struct EntityRule: Sendable {
    public var id: String
    public var type: String
    public var pattern: RulePattern
    /// The named group that is the mention; nil for the whole match.
    public var group: String?
    /// The canonical name; nil for the matched text with white space collapsed.
    public var canonical: Template?
    public var entityID: Template?
    public var attrs: [(key: String, value: Template)]
    public var reference: RuleReference
    public var phase: Int
    public var order: Int
    public var examples: [RuleExample]
}

/// A text with `{name}` references to a rule's slots and named groups, filled from a
/// match: a slot gives its mention's canonical name, a group its text. A reference
/// may pass through filters: `{month|month}` (a month name as 01–12), `{day|pad2}`,
/// `{name|lower}`, `{name|upper}`, `{name|capitalize}` (first letter upper case).
public struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        case literal(String)
        case reference(String, filters: [String])
    }

    /// The filters a reference may use.
    public static let filters: Set<String> = ["month", "pad2", "lower", "upper", "capitalize"]

    let parts: [Part]

    /// The names the template refers to.
    public var references: [String] {
        parts.compactMap { if case .reference(let name, _) = $0 { name } else { nil } }
    }

    /// Filters the template uses that do not exist.
    public var unknownFilters: [String] {
        parts.flatMap { part -> [String] in
            if case .reference(_, let filters) = part { return filters.filter { !Self.filters.contains($0) } }
            return []
        }
    }

    public init(_ text: String) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            literal += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let body = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            if let name = body.first, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.reference(String(name), filters: body.dropFirst().map(String.init)))
            } else {
                literal += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// The text with each reference replaced by `value(name)` (empty when nil),
    /// passed through its filters.
    public func fill(_ value: (String) -> String?) -> String {
        parts.map { part in
            switch part {
            case .literal(let text): text
            case .reference(let name, let filters):
                filters.reduce(value(name) ?? "") { Self.apply($1, to: $0) }
            }
        }.joined()
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func apply(_ filter: String, to text: String) -> String {
        switch filter {
        case "lower": return text.lowercased()
        case "upper": return text.uppercased()
        case "capitalize": return text.prefix(1).uppercased() + text.dropFirst()
        case "pad2": return text.count == 1 ? "0" + text : text
        case "month":
            let key = String(text.lowercased().prefix(3))
            guard let index = months.firstIndex(of: key) else { return text }
            let number = index + 1
            return number < 10 ? "0\(number)" : "\(number)"
        default: return text
        }
    }
}
