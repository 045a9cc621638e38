/// One argument of a fact: the mention bound, and the entity it is taken as.
///
/// The entity differs from the mention's own when the mention stands for another
/// ("Tokyo" bound where a COUNTRY is wanted is taken as Japan).
public struct FactArgument: Sendable, Hashable {
    public var mention: Mention
    public var entity: Entity

    public init(mention: Mention, entity: Entity) {
        self.mention = mention
        self.entity = entity
    }
}

/// The value of a role: one argument or a list of them.
public enum ArgumentValue: Sendable, Hashable {
    case single(FactArgument)
    case list([FactArgument])
    case absent

    /// The arguments of the role: none, one, or the list.
    public var arguments: [FactArgument] {
        switch self {
        case .single(let argument): [argument]
        case .list(let arguments): arguments
        case .absent: []
        }
    }
}

/// A relation found in a sentence by a rule.
public struct Fact: Sendable {
    /// A role and its value. A struct, not a `(role, value)` tuple: an array of
    /// tuples was copied and destroyed element by element through generic runtime
    /// calls, a percent of a run.
    public struct Binding: Sendable {
        public var role: String
        public var value: ArgumentValue

        public init(role: String, value: ArgumentValue) {
            self.role = role
            self.value = value
        }
    }

    public var relation: String
    /// Roles in the order the relation declares them.
    public var args: [Binding]
    public var attrs: [String: String]
    public var cameo: String?
    public var sentence: Sentence
    /// Byte range of the rule's match, used for ordering.
    public var matchRange: Range<Int>
    public var rule: RuleReference
    public var ruleOrder: Int

    public init(
        relation: String, args: [Binding], attrs: [String: String], cameo: String?,
        sentence: Sentence, matchRange: Range<Int>, rule: RuleReference, ruleOrder: Int
    ) {
        self.relation = relation
        self.args = args
        self.attrs = attrs
        self.cameo = cameo
        self.sentence = sentence
        self.matchRange = matchRange
        self.rule = rule
        self.ruleOrder = ruleOrder
    }

    /// The value of `role`, or `.absent`.
    public subscript(role: String) -> ArgumentValue {
        args.first { $0.role == role }?.value ?? .absent
    }
}
