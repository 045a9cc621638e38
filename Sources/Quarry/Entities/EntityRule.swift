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
        case reference(String, filters: [Filter])
    }

    /// A filter, known or not: decided once here, not by comparing its name with
    /// each known one for every mention a rule makes.
    enum Filter: Sendable, Hashable {
        case lower, upper, capitalize, pad2, month
        case unknown(String)

        init(_ name: String) {
            switch name {
            case "lower": self = .lower
            case "upper": self = .upper
            case "capitalize": self = .capitalize
            case "pad2": self = .pad2
            case "month": self = .month
            default: self = .unknown(name)
            }
        }
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
            guard case .reference(_, let filters) = part else { return [] }
            return filters.compactMap { if case .unknown(let name) = $0 { name } else { nil } }
        }
    }

    public init(_ text: String) {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            // An unclosed brace and what follows it are literal text.
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            literal += rest[..<open]
            let body = rest[rest.index(after: open)..<close].split(separator: "|", omittingEmptySubsequences: false)
            if let name = body.first, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                if !literal.isEmpty { parts.append(.literal(literal)) }
                literal = ""
                parts.append(.reference(String(name), filters: body.dropFirst().map { Filter(String($0)) }))
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
        // A template of one reference without filters (most canonical names) is
        // its value, with no new string.
        if parts.count == 1, case .reference(let name, let filters) = parts[0], filters.isEmpty { return value(name) ?? "" }
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .reference(let name, let filters): text += filters.reduce(value(name) ?? "") { Self.apply($1, to: $0) }
            }
        }
        return text
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let monthNumbers = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]
    /// The three lowercase letters of each month, as one number each (see `month`).
    private static let monthKeys: [UInt32] = months.map { $0.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// The attributes `attrs` give for one match: each template filled from `value`,
    /// the first of two with the same key kept.
    static func attributes(_ attrs: [(key: String, value: Template)], _ value: (String) -> String?) -> [String: String] {
        switch attrs.count {
        case 0: return [:]
        // Most rules give one attribute (a date its value): a literal, which
        // stores it without looking its key up first.
        case 1: return [attrs[0].key: attrs[0].value.fill(value)]
        default: return Dictionary(attrs.map { ($0.key, $0.value.fill(value)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    static func apply(_ filter: Filter, to text: String) -> String {
        switch filter {
        case .lower: return text.lowercased()
        case .upper: return text.uppercased()
        case .capitalize: return text.prefix(1).uppercased() + text.dropFirst()
        case .pad2: return characterCount(text) == 1 ? "0" + text : text
        case .month: return month(text)
        case .unknown: return text
        }
    }

    /// A month's number (01–12) for a text whose first three characters, lowercased,
    /// begin a month's English name; else the text.
    static func month(_ text: String) -> String {
        var utf8 = text.utf8.makeIterator()
        var key: UInt32 = 0
        for _ in 0..<3 {
            // Three ASCII letters (the dates rules' case): folded by one bit, and
            // compared as one number.
            guard let byte = utf8.next(), byte | 0x20 >= 0x61, byte | 0x20 <= 0x7A else { return slowMonth(text) }
            key = key << 8 | UInt32(byte | 0x20)
        }
        // A fourth byte beyond ASCII may be a combining mark, part of the third
        // character: the slow way decides.
        if let fourth = utf8.next(), fourth >= 0x80 { return slowMonth(text) }
        guard let index = monthKeys.firstIndex(of: key) else { return text }
        return monthNumbers[index]
    }

    private static func slowMonth(_ text: String) -> String {
        let key = String(text.lowercased().prefix(3))
        guard let index = months.firstIndex(of: key) else { return text }
        return monthNumbers[index]
    }

    /// `text.count`, cheaply where it can be: ASCII text without a CR (which makes
    /// one character with a following LF) has a character per byte.
    static func characterCount(_ text: String) -> Int {
        let utf8 = text.utf8
        if utf8.count <= 1 { return utf8.count }
        if !utf8.contains(where: { $0 >= 0x80 || $0 == 0x0D }) { return utf8.count }
        return text.count
    }
}
