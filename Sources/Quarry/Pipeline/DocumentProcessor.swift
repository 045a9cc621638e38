/// Runs every stage on one document: sentences, entities, document resolution,
/// relations. Stateless and shared by all workers; each worker brings its own
/// `MatchScratch`.
///
/// A class, not a struct: it holds a dozen references, and a struct was copied
/// (a retain and a release of each) for every document a worker processed.
public final class DocumentProcessor: Sendable {
    public let pack: RulePack
    public let splitter: SentenceSplitter
    public let tagger: EntityTagger
    public let resolver: DocumentResolver
    public let extractor: RelationExtractor
    /// Every rule's required words, found in one pass per document.
    public let words: RuleWords

    public init(pack: RulePack) {
        self.pack = pack
        splitter = SentenceSplitter(rules: pack.sentenceRules)
        words = RuleWords(pack: pack)
        tagger = EntityTagger(pack: pack, words: words)
        resolver = DocumentResolver(types: pack.shortNameTypes, pronouns: pack.pronouns)
        extractor = RelationExtractor(pack: pack, words: words)
    }

    /// A scratch sized for this pack's patterns.
    public func makeScratch() -> MatchScratch {
        MatchScratch(maxGroups: max(pack.maxGroups, 1))
    }

    /// Every stage on `document`; with `onlyRule`, the relation stage runs that rule
    /// alone (so its facts are not pruned in favour of other rules' facts).
    public func process(_ document: Document, scratch: MatchScratch, onlyRule: String? = nil) -> ProcessedDocument {
        let bytes = document.utf8
        var warnings: [Diagnostic] = []
        let result = bytes.withUnsafeBufferPointer { text in
            let sentences = Self.capped(splitter.split(text), in: text).enumerated().map {
                Sentence(index: $0.offset, range: $0.element)
            }
            let hits = words.scanner.scan(text, sentences: sentences)
            let tagged = tagger.tag(text, sentences: sentences, scratch: scratch, hits: hits) { rule, sentence, error in
                warnings.append(limitWarning(document, rule: rule, sentence: sentence, error: error))
            }
            let mentions = resolver.resolve(text, mentions: tagged, sentences: sentences)
            var facts: [Fact] = []
            var cursor = 0
            for sentence in sentences {
                let inside = EntityTagger.mentions(of: mentions, in: sentence.range, from: &cursor)
                guard !inside.isEmpty else { continue }
                let present = pack.codec.types(of: inside)
                guard extractor.anyRule(canRunOn: present, mentions: inside.count, hits: hits, sentence: sentence.index) else { continue }
                let tokens = TokenString(text: text, range: sentence.range, mentions: Array(inside), codec: pack.codec)
                facts += extractor.facts(
                    in: tokens, sentence: sentence, text: text, scratch: scratch, hits: hits, present: present, only: onlyRule
                ) { rule, error in
                    warnings.append(limitWarning(document, rule: rule, sentence: sentence, error: error))
                }
            }
            return (sentences, mentions, facts)
        }
        return ProcessedDocument(
            document: document, bytes: bytes, sentences: result.0, mentions: result.1, facts: result.2,
            warnings: warnings)
    }

    /// The longest sentence, in bytes, the later stages see. News sentences are a
    /// few hundred bytes; a longer run (a text without sentence punctuation) is cut
    /// at white space, so that the token strings, mention lists and PCRE2 subjects
    /// each stage builds per sentence stay small whatever the document.
    public static let maxSentenceBytes = 1 << 16

    /// `ranges` with every range longer than `maxSentenceBytes` cut at the last
    /// white space (or character boundary) before each limit.
    static func capped(_ ranges: [Range<Int>], in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard ranges.contains(where: { $0.count > maxSentenceBytes }) else { return ranges }
        var result: [Range<Int>] = []
        for range in ranges {
            var start = range.lowerBound
            while range.upperBound - start > maxSentenceBytes {
                var cut = start + maxSentenceBytes
                while cut > start + maxSentenceBytes / 2, !(text[cut] == 0x20 || text[cut] == 0x0A || text[cut] == 0x09) {
                    cut -= 1
                }
                if cut == start + maxSentenceBytes / 2 {
                    // No white space in the last half: cut at a character boundary.
                    cut = start + maxSentenceBytes
                    while text[cut] & 0xC0 == 0x80 { cut -= 1 }
                }
                var end = cut
                while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x0A || text[end - 1] == 0x09 { end -= 1 }
                if end > start { result.append(start..<end) }
                start = cut
                while start < range.upperBound, text[start] == 0x20 || text[start] == 0x0A || text[start] == 0x09 { start += 1 }
            }
            if start < range.upperBound { result.append(start..<range.upperBound) }
        }
        return result
    }

    private func limitWarning(_ document: Document, rule: String, sentence: Sentence, error: PCRE2Error) -> Diagnostic {
        Diagnostic(.warning, file: document.name, line: 0, column: 0,
                   message: "rule '\(rule)' gave up on sentence \(sentence.index): \(error.message); the rule is skipped there")
    }
}
