/// A loaded, validated rule pack: types, sentence rules, entity phases, relation
/// rules. Read-only after loading and shared by every worker.
public final class RulePack: Sendable {
    /// One entity phase: gazetteers and pattern rules that run together.
    public struct Phase: Sendable {
        public var name: String
        /// The phase's gazetteers, one per file.
        public var gazetteers: [Gazetteer]
        public var rules: [EntityRule]
        /// The same names merged into one trie per case setting: what tagging scans.
        public var scanners: [Gazetteer]

        /// A phase; with `merging` false, `scanners` stays empty until `merged()`.
        init(name: String, gazetteers: [Gazetteer], rules: [EntityRule], merging: Bool = true) {
            self.name = name
            self.gazetteers = gazetteers
            self.rules = rules
            scanners = merging ? [false, true].compactMap { caseless in
                let files = gazetteers.filter { $0.caseless == caseless }
                guard let first = files.first else { return nil }
                return Gazetteer(file: first.file, entries: files.flatMap(\.entries), caseless: caseless, phase: first.phase)
            } : []
        }

        /// The phase with its files merged into scanners.
        func merged() -> Phase {
            Phase(name: name, gazetteers: gazetteers, rules: rules)
        }
    }

    /// The folder as the user named it.
    public let directory: String
    public let name: String
    public let version: String
    public let types: TypeHierarchy
    public let codec: TokenCodec
    public let sentenceRules: SentenceRules
    public let phases: [Phase]
    public let relationRules: [RelationRule]
    public let schemas: [String: RelationSchema]
    /// Types whose later short names resolve to an earlier full name.
    public let shortNameTypes: Set<String>
    /// Sentence-initial words ("He", "His") that stand for the one entity of a type
    /// the previous sentence names, by type.
    public let pronouns: [String: Set<String>]
    /// Problems that do not stop a run (rules that can never match, unused macros).
    public let warnings: [Diagnostic]
    /// The largest capture count of any pattern, to size match data.
    public let maxGroups: Int
    /// Every rule's required words, numbered for one scanner (see `RuleWords`).
    public let words: RuleWords

    init(
        directory: String, name: String, version: String, types: TypeHierarchy, sentenceRules: SentenceRules,
        phases: [Phase], relationRules: [RelationRule], schemas: [String: RelationSchema],
        shortNameTypes: Set<String>, pronouns: [String: Set<String>] = [:], warnings: [Diagnostic],
        words: RuleWords? = nil
    ) {
        self.directory = directory
        self.name = name
        self.version = version
        self.types = types
        codec = TokenCodec(types: types)
        self.sentenceRules = sentenceRules
        self.phases = phases
        self.relationRules = relationRules
        self.schemas = schemas
        self.shortNameTypes = shortNameTypes
        self.pronouns = pronouns
        self.warnings = warnings
        let entityGroups = phases.flatMap(\.rules).map(\.pattern.pattern.captureCount)
        maxGroups = (entityGroups + relationRules.map(\.pattern.pattern.captureCount)).max() ?? 0
        self.words = words ?? RuleWords(phases: phases.map(\.rules), relationRules: relationRules)
    }

    /// Loads and validates the pack in `directory`. With `jobs` over 1, its files
    /// are parsed and its patterns compiled on that many threads; the pack and its
    /// diagnostics are the same.
    ///
    /// - Throws: `RulePackError` with every error found in every file.
    public static func load(directory: String, jobs: Int = 1) throws(RulePackError) -> RulePack {
        var loader = RulePackLoader(directory: directory, jobs: jobs)
        defer { loader.releasePrefetched() }
        return try loader.load()
    }
}

/// A rule pack that cannot be used, with every problem found.
public struct RulePackError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
