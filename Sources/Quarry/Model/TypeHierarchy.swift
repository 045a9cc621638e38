/// The entity types of a pack and which is a kind of which (CITY is a PLACE).
public struct TypeHierarchy: Sendable, Hashable {
    /// Each declared type's parent, nil for a root.
    public private(set) var parents: [String: String?]

    public init(parents: [String: String?] = [:]) {
        self.parents = parents
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
        Set(parents.keys.filter { isA($0, type) }).union([type])
    }

    /// All declared types, sorted.
    public var all: [String] { parents.keys.sorted() }
}
