/// Which sentences a rule can match at all, from the types its placeholders need:
/// a rule whose required types are not all in a sentence is not run there.
public struct RuleFilter: Sendable {
    /// Every type any placeholder accepts (with subtypes).
    public let accepted: TypeSet
    /// For each top-level alternative, for each placeholder it cannot skip, the
    /// types that satisfy it.
    public let branches: [[TypeSet]]

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
        branches = pattern.requiredBranches.map { $0.map { set($0) } }
    }

    /// Whether the rule can match a sentence of `count` mentions whose types are
    /// `present`: some alternative must find a type for each placeholder it needs,
    /// and as many mentions. A rule that names no type can match anywhere.
    public func canMatch(_ present: TypeSet, mentions count: Int) -> Bool {
        if accepted.isEmpty { return true }
        guard accepted.intersects(present) else { return false }
        return branches.contains { branch in
            branch.count <= count && branch.allSatisfy { $0.intersects(present) }
        }
    }
}
