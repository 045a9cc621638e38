/// A tagged span of a document's text.
///
/// A document can hold millions of mentions, most of them of a few gazetteer
/// entries, so the entity, the stood-for entity and the rule are kept in shared
/// boxes: a mention is a few words, and copying one costs a few reference counts.
public struct Mention: Sendable, Hashable {
    /// UTF-8 byte range in the document's text.
    public var range: Range<Int>
    /// The entity, the stood-for entity and the rule, in one box: the stages copy
    /// each mention several times (candidates, overlaps, token strings, facts), and
    /// one reference is one retain and one release a copy, where three were three.
    private var box: Shared<Info>
    /// Phase index (0-based) and the rule's position in the pack, for overlap ties.
    public var phase: Int
    public var order: Int

    /// What a mention names and which rule found it: shared by every mention of a
    /// gazetteer entry.
    public struct Info: Sendable {
        public let entity: Entity
        public let standsFor: Entity?
        public let rule: RuleReference

        public init(entity: Entity, standsFor: Entity?, rule: RuleReference) {
            self.entity = entity
            self.standsFor = standsFor
            self.rule = rule
        }
    }

    /// The box itself: every mention of a gazetteer entry holds the same one, so
    /// the record encoder keeps the JSON of its entities and rule by it.
    public var info: Shared<Info> { box }

    /// The entity the text names.
    public var entity: Entity {
        get { box.value.entity }
        set { box = Shared(Info(entity: newValue, standsFor: box.value.standsFor, rule: box.value.rule)) }
    }

    /// The entity the mention stands for where the pack says so ("Tokyo" for Japan,
    /// "French" for France); relation placeholders of its type match it too.
    public var standsFor: Entity? {
        get { box.value.standsFor }
        set { box = Shared(Info(entity: box.value.entity, standsFor: newValue, rule: box.value.rule)) }
    }

    /// The entity's type, read from the shared box without copying the entity
    /// (per-sentence code asks for it of every mention).
    public var type: String { box.value.entity.type }

    /// The stood-for entity's type, read the same way.
    public var standsForType: String? { box.value.standsFor?.type }

    /// The rule that found the mention.
    public var rule: RuleReference {
        get { box.value.rule }
        set { box = Shared(Info(entity: box.value.entity, standsFor: box.value.standsFor, rule: newValue)) }
    }

    public init(
        range: Range<Int>, entity: Entity, standsFor: Entity? = nil, rule: RuleReference, phase: Int, order: Int
    ) {
        self.init(range: range, shared: Shared(Info(entity: entity, standsFor: standsFor, rule: rule)), phase: phase, order: order)
    }

    /// A mention of a box that others share (a gazetteer entry's).
    public init(range: Range<Int>, shared box: Shared<Info>, phase: Int, order: Int) {
        self.range = range
        self.box = box
        self.phase = phase
        self.order = order
    }

    /// The same entities at another place, found by `rule` when given.
    public func moved(to range: Range<Int>, rule: RuleReference? = nil, phase: Int, order: Int) -> Mention {
        guard let rule else { return Mention(range: range, shared: box, phase: phase, order: order) }
        return Mention(range: range, entity: box.value.entity, standsFor: box.value.standsFor, rule: rule, phase: phase, order: order)
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
