/// Runs every stage on one document: sentences, entities, document resolution,
/// relations. Stateless and shared by all workers; each worker brings its own
/// `MatchScratch`.
public struct DocumentProcessor: Sendable {
    public let pack: RulePack
    public let splitter: SentenceSplitter
    public let tagger: EntityTagger
    public let resolver: DocumentResolver
    public let extractor: RelationExtractor

    public init(pack: RulePack) {
        self.pack = pack
        splitter = SentenceSplitter(rules: pack.sentenceRules)
        tagger = EntityTagger(pack: pack)
        resolver = DocumentResolver(types: pack.shortNameTypes, pronouns: pack.pronouns)
        extractor = RelationExtractor(pack: pack)
    }

    /// A scratch sized for this pack's patterns.
    public func makeScratch() -> MatchScratch {
        MatchScratch(maxGroups: max(pack.maxGroups, 1))
    }

    /// Every stage on `document`; with `onlyRule`, the relation stage runs that rule
    /// alone (so its facts are not pruned in favour of other rules' facts).
    public func process(_ document: Document, scratch: MatchScratch, onlyRule: String? = nil) -> ProcessedDocument {
        let bytes = Array(document.text.utf8)
        var warnings: [Diagnostic] = []
        let result = bytes.withUnsafeBufferPointer { text in
            let sentences = splitter.split(text).enumerated().map { Sentence(index: $0.offset, range: $0.element) }
            let tagged = tagger.tag(text, sentences: sentences, scratch: scratch) { rule, sentence, error in
                warnings.append(limitWarning(document, rule: rule, sentence: sentence, error: error))
            }
            let mentions = resolver.resolve(text, mentions: tagged, sentences: sentences)
            var facts: [Fact] = []
            var cursor = 0
            for sentence in sentences {
                let inside = EntityTagger.mentions(of: mentions, in: sentence.range, from: &cursor)
                guard !inside.isEmpty else { continue }
                let tokens = TokenString(text: text, range: sentence.range, mentions: Array(inside), codec: pack.codec)
                facts += extractor.facts(in: tokens, sentence: sentence, text: text, scratch: scratch, only: onlyRule) { rule, error in
                    warnings.append(limitWarning(document, rule: rule, sentence: sentence, error: error))
                }
            }
            return (sentences, mentions, facts)
        }
        return ProcessedDocument(
            document: document, bytes: bytes, sentences: result.0, mentions: result.1, facts: result.2,
            warnings: warnings)
    }

    private func limitWarning(_ document: Document, rule: String, sentence: Sentence?, error: PCRE2Error) -> Diagnostic {
        let place = sentence.map { "on sentence \($0.index)" } ?? "on the text"
        return Diagnostic(.warning, file: document.name, line: 0, column: 0,
                          message: "rule '\(rule)' gave up \(place): \(error.message); the rule is skipped there")
    }
}
