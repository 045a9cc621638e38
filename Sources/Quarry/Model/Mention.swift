/// A tagged span of a document's text.
///
/// A document can hold millions of mentions, most of them of a few gazetteer
/// entries, so the entity, the stood-for entity and the rule are kept in shared
/// boxes: a mention is a few words, and copying one costs a few reference counts.
public struct Mention: Sendable, Hashable {
    /// UTF-8 byte range in the document's text.
    public var range: Range<Int>
    private var entityBox: Shared<Entity>
    private var standsForBox: Shared<Entity>?
    private var ruleBox: Shared<RuleReference>
    /// Phase index (0-based) and the rule's position in the pack, for overlap ties.
    public var phase: Int
    public var order: Int

    /// The entity the text names.
    public var entity: Entity {
        get { entityBox.value }
        set { entityBox = Shared(newValue) }
    }

    /// The entity the mention stands for where the pack says so ("Tokyo" for Japan,
    /// "French" for France); relation placeholders of its type match it too.
    public var standsFor: Entity? {
        get { standsForBox?.value }
        set { standsForBox = newValue.map(Shared.init) }
    }

    /// The entity's type, read from the shared box without copying the entity
    /// (per-sentence code asks for it of every mention).
    public var type: String { entityBox.value.type }

    /// The type of the entity the mention stands for, if any.
    public var standsForType: String? { standsForBox?.value.type }

    /// The rule or gazetteer line that tagged it.
    public var rule: RuleReference {
        get { ruleBox.value }
        set { ruleBox = Shared(newValue) }
    }

    public init(
        range: Range<Int>, entity: Entity, standsFor: Entity? = nil, rule: RuleReference, phase: Int, order: Int
    ) {
        self.init(range: range, shared: Shared(entity), standsFor: standsFor.map(Shared.init), rule: Shared(rule),
                  phase: phase, order: order)
    }

    /// A mention that shares its entity and rule with others (a gazetteer entry's).
    public init(
        range: Range<Int>, shared entity: Shared<Entity>, standsFor: Shared<Entity>?, rule: Shared<RuleReference>,
        phase: Int, order: Int
    ) {
        self.range = range
        entityBox = entity
        standsForBox = standsFor
        ruleBox = rule
        self.phase = phase
        self.order = order
    }

    /// A mention of the same entity and rule at another place.
    public func moved(to range: Range<Int>, rule: Shared<RuleReference>? = nil, phase: Int, order: Int) -> Mention {
        Mention(range: range, shared: entityBox, standsFor: standsForBox, rule: rule ?? ruleBox, phase: phase, order: order)
    }

    public static func == (lhs: Mention, rhs: Mention) -> Bool {
        lhs.range == rhs.range && lhs.entity == rhs.entity && lhs.standsFor == rhs.standsFor && lhs.rule == rhs.rule
            && lhs.phase == rhs.phase && lhs.order == rhs.order
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(range)
        hasher.combine(entity)
        hasher.combine(rule)
    }
}

/// An immutable value in a box, shared by every holder instead of copied.
public final class Shared<Value: Sendable>: Sendable {
    public let value: Value

    public init(_ value: Value) { self.value = value }
}
