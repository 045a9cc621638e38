/// A rule that turns a match over a sentence's token string into a fact.
public struct RelationRule: Sendable {
    public var id: String
    public var relation: String
    public var pattern: RulePattern
    public var attrs: [(key: String, value: Template)]
    public var cameo: String?
    /// A list slot to emit one fact per element of.
    public var each: String?
    /// Roles built from slots (`parties: [a, others]`); a slot not named here is a
    /// role of its own name.
    public var args: [(role: String, slots: [String])]
    public var reference: RuleReference
    public var order: Int
    public var examples: [RuleExample]
}

/// The roles of a relation, as the pack declares them.
public struct RelationSchema: Sendable, Hashable {
    public struct Role: Sendable, Hashable {
        public var name: String
        public var isList: Bool
        /// A fact with fewer distinct entities in this role is dropped.
        public var minimum: Int
    }

    public var name: String
    public var roles: [Role]
    /// CAMEO code used when a rule gives none.
    public var cameo: String?
}

/// An example of a rule: a text and what the rule should find in it.
public struct RuleExample: Sendable, Hashable {
    /// One expected fact (roles to names) or mention (text, type, canonical).
    public typealias Expectation = [String: [String]]

    public var text: String
    public var expected: [Expectation]
    public var file: String
    public var line: Int
}
