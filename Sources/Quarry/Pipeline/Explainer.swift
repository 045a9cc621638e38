/// The answer to "why didn't my rule fire?": for each sentence, its boundaries, its
/// mentions with the rule or gazetteer line behind each, the token string relation
/// rules see, and for each relation rule whether it ran and what it matched.
public struct Explainer: Sendable {
    public let pack: RulePack
    private let processor: DocumentProcessor

    public init(pack: RulePack) {
        self.pack = pack
        processor = DocumentProcessor(pack: pack)
    }

    /// A readable report on `document`, or on one sentence, or for one rule.
    public func explain(_ document: Document, sentence only: Int? = nil, rule ruleID: String? = nil) -> String {
        let scratch = processor.makeScratch()
        let processed = processor.process(document, scratch: scratch)
        var lines: [String] = []
        let extractor = processor.extractor
        processed.bytes.withUnsafeBufferPointer { text in
            let index = ScalarIndex(text)
            let hits = processor.words.scanner.scan(text, sentences: processed.sentences)
            func scalar(_ byte: Int) -> Int { index.scalarOffset(byte, in: text) }
            var cursor = 0
            for sentence in processed.sentences {
                let inside = Array(EntityTagger.mentions(of: processed.mentions, in: sentence.range, from: &cursor))
                if let only, sentence.index != only { continue }
                lines.append("sentence \(sentence.index) [\(scalar(sentence.range.lowerBound))..<\(scalar(sentence.range.upperBound))]: \(processed.text(sentence.range))")
                if inside.isEmpty {
                    lines.append("  mentions: none (no relation rule can match)")
                    lines.append("")
                    continue
                }
                lines.append("  mentions:")
                for mention in inside {
                    var line = "    [\(scalar(mention.range.lowerBound))..<\(scalar(mention.range.upperBound))] \(mention.entity.type) \"\(processed.text(mention.range))\" -> \(mention.entity.canonical)"
                    if let id = mention.entity.id { line += " (\(id))" }
                    if let standsFor = mention.standsFor { line += ", stands for \(standsFor.type) \(standsFor.canonical)" }
                    let place = mention.rule.id == "gazetteer" ? "gazetteer \(mention.rule.file):\(mention.rule.line)" : "rule \(mention.rule.id) (\(mention.rule.file):\(mention.rule.line))"
                    lines.append(line + "  by " + place)
                }
                let tokens = TokenString(text: text, range: sentence.range, mentions: inside, codec: pack.codec)
                lines.append("  tokens: " + readable(tokens))
                let present = pack.codec.types(of: inside)
                let names = RelationExtractor.typeNames(of: inside)
                lines.append("  relation rules:")
                for (ruleIndex, rule) in pack.relationRules.enumerated() where ruleID == nil || rule.id == ruleID {
                    guard extractor.filters[ruleIndex].canMatch(present, mentions: inside.count) else {
                        if ruleID != nil || !rule.pattern.mentionedTypes.isDisjoint(with: names) {
                            let needs = rule.pattern.requiredTypes.map { $0.joined(separator: "|") }.joined(separator: ", ")
                            lines.append("    \(rule.id): not run: the sentence lacks a type it needs (\(needs.isEmpty ? rule.pattern.mentionedTypes.sorted().joined(separator: "|") : needs))")
                        }
                        continue
                    }
                    if !hits.allows(extractor.words[ruleIndex], sentence: sentence.index) {
                        let words = rule.pattern.requiredWords ?? []
                        let shown = words.prefix(8).joined(separator: ", ") + (words.count > 8 ? ", …" : "")
                        lines.append("    \(rule.id): not run: the sentence holds none of the words it needs (\(shown))")
                        continue
                    }
                    var drops: [String] = []
                    let facts = extractor.facts(
                        in: tokens, sentence: sentence, text: text, scratch: scratch, only: rule.id,
                        dropped: { _, range, reason in
                            drops.append("    \(rule.id): matched \"\(processed.text(range))\" but made no fact: \(reason)")
                        },
                        warn: { _, error in lines.append("    \(rule.id): gave up: \(error.message)") })
                    lines += drops
                    if facts.isEmpty && drops.isEmpty {
                        lines.append("    \(rule.id): no match  (pattern: \(rule.pattern.source))")
                    }
                    for fact in facts {
                        let args = fact.args.compactMap { binding -> String? in
                            switch binding.value {
                            case .single(let argument): "\(binding.role)=\(argument.entity.canonical)"
                            case .list(let arguments): "\(binding.role)=[\(arguments.map(\.entity.canonical).joined(separator: ", "))]"
                            case .absent: nil
                            }
                        }.joined(separator: " ")
                        let kept = processed.facts.contains { $0.rule.id == fact.rule.id && $0.matchRange == fact.matchRange }
                        lines.append("    \(rule.id): MATCHED \(fact.relation) \(args)  \"\(processed.text(fact.matchRange))\"" + (kept ? "" : "  (dropped: another fact says it more fully)"))
                    }
                }
                lines.append("")
            }
        }
        if processed.sentences.isEmpty { lines.append("no sentences") }
        return lines.joined(separator: "\n")
    }

    /// The token string with each token shown as ⟨TYPE canonical⟩.
    private func readable(_ tokens: TokenString) -> String {
        var result = ""
        var cursor = 0
        for (index, token) in tokens.tokens.enumerated() {
            result += String(decoding: tokens.bytes[cursor..<token.lowerBound], as: UTF8.self)
            let mention = tokens.mentions[index]
            var label = mention.entity.type
            if let standsFor = mention.standsFor { label += "/" + standsFor.type }
            result += "⟨\(label) \(mention.entity.canonical)⟩"
            cursor = token.upperBound
        }
        result += String(decoding: tokens.bytes[cursor...], as: UTF8.self)
        return result
    }
}
