/// The entity types of a pack and which is a kind of which (CITY is a PLACE).
public struct TypeHierarchy: Sendable, Hashable {
    /// Each declared type's parent, nil for a root.
    public let parents: [String: String?]
    /// Each declared type's `descendants(of:)`, worked out once: loading a pack
    /// asks for them for every placeholder of every rule.
    private let descendantSets: [String: Set<String>]

    public init(parents: [String: String?] = [:]) {
        self.parents = parents
        var sets: [String: Set<String>] = [:]
        for type in parents.keys { sets[type] = [type] }
        for type in parents.keys {
            // Each type joins the set of every type above it.
            var current = parents[type] ?? nil
            var steps = 0
            while let ancestor = current, steps <= parents.count {
                sets[ancestor, default: [ancestor]].insert(type)
                current = parents[ancestor] ?? nil
                steps += 1
            }
        }
        descendantSets = sets
    }

    /// Whether `type` was declared.
    public func contains(_ type: String) -> Bool { parents[type] != nil }

    /// Whether `type` is `ancestor` or one of its subtypes.
    public func isA(_ type: String, _ ancestor: String) -> Bool {
        var current: String? = type
        var steps = 0
        while let name = current, steps <= parents.count {
            if name == ancestor { return true }
            current = parents[name] ?? nil
            steps += 1
        }
        return false
    }

    /// `type` and all its subtypes.
    public func descendants(of type: String) -> Set<String> {
        descendantSets[type] ?? [type]
    }

    /// All declared types, sorted.
    public var all: [String] { parents.keys.sorted() }
}
