/// Where a mention or a fact came from: a rule's id, its file and line.
public struct RuleReference: Sendable, Hashable {
    public var id: String
    public var file: String
    public var line: Int

    public init(id: String, file: String, line: Int) {
        self.id = id
        self.file = file
        self.line = line
    }
}
