/// Which sentences a rule can match at all, from the types its placeholders need:
/// a rule whose required types are not all in a sentence is not run there.
public struct RuleFilter: Sendable {
    /// Every type any placeholder accepts (with subtypes).
    public let accepted: TypeSet
    /// For each placeholder that cannot be skipped, the types that satisfy it.
    public let required: [TypeSet]

    public init(_ pattern: RulePattern, codec: TokenCodec) {
        func set(_ names: some Sequence<String>) -> TypeSet {
            var result = TypeSet()
            for name in names {
                for type in codec.types.descendants(of: name) {
                    if let index = codec.index(of: type) { result.insert(index) }
                }
            }
            return result
        }
        accepted = set(pattern.mentionedTypes)
        required = pattern.requiredTypes.map { set($0) }
    }

    /// Whether the rule can match a sentence whose mentions have `present` types.
    /// A rule that names no type can match anywhere.
    public func canMatch(_ present: TypeSet) -> Bool {
        if accepted.isEmpty { return true }
        return accepted.intersects(present) && required.allSatisfy { $0.intersects(present) }
    }
}
