/// A tagged span of a document's text.
public struct Mention: Sendable, Hashable {
    /// UTF-8 byte range in the document's text.
    public var range: Range<Int>
    /// The entity the text names.
    public var entity: Entity
    /// The entity the mention stands for where the pack says so ("Tokyo" for Japan,
    /// "French" for France); relation placeholders of its type match it too.
    public var standsFor: Entity?
    /// The rule or gazetteer line that tagged it.
    public var rule: RuleReference
    /// Phase index (0-based) and the rule's position in the pack, for overlap ties.
    public var phase: Int
    public var order: Int

    public init(
        range: Range<Int>, entity: Entity, standsFor: Entity? = nil, rule: RuleReference, phase: Int, order: Int
    ) {
        self.range = range
        self.entity = entity
        self.standsFor = standsFor
        self.rule = rule
        self.phase = phase
        self.order = order
    }
}
