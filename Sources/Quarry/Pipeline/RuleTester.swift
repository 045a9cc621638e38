/// Runs every rule's `examples:` through the whole pipeline and compares what the
/// rule found with what the example expects.
///
/// A relation rule runs alone on its examples, so another rule that says the same
/// fact does not hide it. An example passes when the rule's own facts (or mentions)
/// in it are exactly the expected ones: each expected item matched by a different actual one, nothing
/// more. Names compare after folding case, accents and punctuation and dropping a
/// leading "the", against the canonical name or the text.
public struct RuleTester: Sendable {
    /// An example that failed.
    public struct Failure: Sendable, CustomStringConvertible {
        public var rule: RuleReference
        public var example: RuleExample
        public var expected: [RuleExample.Expectation]
        public var actual: [RuleExample.Expectation]

        public var description: String {
            func show(_ items: [RuleExample.Expectation]) -> String {
                items.isEmpty ? "    (none)" : items.map { item in
                    "    " + item.keys.sorted().map { key in
                        let values = item[key]!
                        return "\(key): " + (values.count == 1 ? values[0] : "[" + values.joined(separator: ", ") + "]")
                    }.joined(separator: "; ")
                }.joined(separator: "\n")
            }
            return """
                \(example.file):\(example.line): error: example of rule '\(rule.id)' failed
                  text: \(example.text)
                  expected:
                \(show(expected))
                  actual:
                \(show(actual))
                """
        }
    }

    public struct Report: Sendable {
        public var passed = 0
        public var failures: [Failure] = []
    }

    public let pack: RulePack
    private let processor: DocumentProcessor

    public init(pack: RulePack) {
        self.pack = pack
        processor = DocumentProcessor(pack: pack)
    }

    /// Runs the examples of every rule whose id contains `filter` (all when nil).
    public func run(filter: String? = nil) -> Report {
        var report = Report()
        let scratch = processor.makeScratch()
        let entityRules = pack.phases.flatMap(\.rules).map { ($0.reference, $0.examples, true) }
        let relationRules = pack.relationRules.map { ($0.reference, $0.examples, false) }
        for (reference, examples, isEntity) in entityRules + relationRules {
            if let filter, !reference.id.contains(filter) { continue }
            for example in examples {
                let document = Document(name: "<example>", text: example.text)
                let processed = processor.process(document, scratch: scratch, onlyRule: isEntity ? nil : reference.id)
                let actual: [[String: [(String, String)]]]
                let shown: [RuleExample.Expectation]
                if isEntity {
                    let mentions = processed.mentions.filter { $0.rule.id == reference.id }
                    actual = mentions.map { mention in
                        var item: [String: [(String, String)]] = [
                            "text": [(processed.text(mention.range), processed.text(mention.range))],
                            "canonical": [(mention.entity.canonical, mention.entity.canonical)],
                            "type": [(mention.entity.type, mention.entity.type)],
                        ]
                        for (key, value) in mention.entity.attrs { item[key] = [(value, value)] }
                        return item
                    }
                    shown = mentions.map { ["text": [processed.text($0.range)], "type": [$0.entity.type], "canonical": [$0.entity.canonical]] }
                } else {
                    let facts = processed.facts.filter { $0.rule.id == reference.id }
                    actual = facts.map { fact in
                        var item: [String: [(String, String)]] = [:]
                        for binding in fact.args {
                            let role = binding.role
                            switch binding.value {
                            case .single(let argument): item[role] = [(argument.entity.canonical, processed.text(argument.mention.range))]
                            case .list(let arguments): item[role] = arguments.map { ($0.entity.canonical, processed.text($0.mention.range)) }
                            case .absent: item[role] = []
                            }
                        }
                        for (key, value) in fact.attrs { item[key] = [(value, value)] }
                        return item
                    }
                    shown = facts.map { fact in
                        var item: RuleExample.Expectation = [:]
                        for binding in fact.args {
                            let role = binding.role
                            switch binding.value {
                            case .single(let argument): item[role] = [argument.entity.canonical]
                            case .list(let arguments): item[role] = arguments.map(\.entity.canonical)
                            case .absent: continue
                            }
                        }
                        return item
                    }
                }
                if Self.matches(expected: example.expected, actual: actual) {
                    report.passed += 1
                } else {
                    report.failures.append(Failure(rule: reference, example: example, expected: example.expected, actual: shown))
                }
            }
        }
        return report
    }

    /// Whether every expected item pairs with its own actual item and none is left.
    static func matches(expected: [RuleExample.Expectation], actual: [[String: [(String, String)]]]) -> Bool {
        guard expected.count == actual.count else { return false }
        var pool = actual
        for item in expected {
            guard let hit = pool.firstIndex(where: { agrees(item, $0) }) else { return false }
            pool.remove(at: hit)
        }
        return true
    }

    static func agrees(_ expected: RuleExample.Expectation, _ actual: [String: [(String, String)]]) -> Bool {
        for (key, names) in expected {
            guard var candidates = actual[key], candidates.count == names.count else { return false }
            for name in names {
                let wanted = fold(name)
                guard let hit = candidates.firstIndex(where: { fold($0.0) == wanted || fold($0.1) == wanted }) else { return false }
                candidates.remove(at: hit)
            }
        }
        return true
    }

    /// Lower case, no accents, punctuation as space, no leading "the".
    static func fold(_ name: String) -> String {
        let decomposed = name.decomposedStringWithCompatibilityMapping
        let letters = decomposed.unicodeScalars.filter { !$0.properties.isDiacritic || $0.isASCII }
            .map { $0.properties.isAlphabetic || $0.properties.numericType != nil ? String($0).lowercased() : " " }
            .joined()
        var words = letters.split(separator: " ")
        if words.first == "the" { words.removeFirst() }
        return words.joined(separator: " ")
    }
}
