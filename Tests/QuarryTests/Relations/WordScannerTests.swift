import Testing
@testable import Quarry

@Suite struct WordScannerTests {
    @Test func overlappingWordsAreFoundThroughFailureLinks() {
        let words: [[String]?] = [["he"], ["she"], ["his"], ["hers"]]
        #expect(Self.allowed(words, MarkedText("«ushers»")) == [[0, 1, 3]])
        // "she" and "he" end in the first sentence; "hers" ends in the second.
        #expect(Self.allowed(words, MarkedText("«ushe»«rs»")) == [[0, 1], [3]])
    }

    @Test func asciiLettersMatchInEitherCaseAndNothingElseFolds() {
        // '{' is '[' + 0x20 but is not the lowercase of anything.
        let words: [[String]?] = [["visited"], ["jan."], ["{ab"]]
        #expect(Self.allowed(words, MarkedText("«He VISITED Paris on JAN. 5 [AB»")) == [[0, 1]])
        #expect(Self.allowed(words, MarkedText("«ViSiTeD» «Jan,» «{aB»")) == [[0], [], [2]])
    }

    @Test func aWordCountsOnlyForTheSentenceOfItsLastByte() {
        let words: [[String]?] = [["visit"], ["visited"]]
        #expect(Self.allowed(words, MarkedText("«aaa visit.» «bbb visited.»")) == [[0], [0, 1]])
        // Ending between sentences: no sentence holds it.
        #expect(Self.allowed(words, MarkedText("«one» visit «two»")) == [[], []])
        // Starting before the sentence and ending in it: the sentence holds it.
        #expect(Self.allowed(words, MarkedText("«one» vi«sit two»")) == [[], [0]])
    }

    @Test func rulesSharingAWordAreEachMarked() {
        let words: [[String]?] = [["talks"], ["deal", "talks"], ["deal"], ["talks"]]
        #expect(Self.allowed(words, MarkedText("«Talks began.» «A deal.»")) == [[0, 1, 3], [1, 2]])
    }

    @Test func rulesBeyondTheFirst64KeepTheirOwnBits() {
        let words: [[String]?] = (0..<130).map { ["w\($0)z"] }
        let marked = MarkedText("«w0z w63z w64z w129z» «w65z W128Z»")
        #expect(Self.allowed(words, marked) == [[0, 63, 64, 129], [65, 128]])
    }

    @Test func aMaskOfRulesFindsTheAllowedOnesInOrder() {
        let words: [[String]?] = (0..<130).map { ["w\($0)z"] }
        let hits = Self.hits(words, MarkedText("«w0z w63z w64z w129z w70z» «w65z W128Z» «none»"))
        for subset in [Array(0..<130), [0, 64, 65, 129], [63, 70, 128], [1, 2, 3], []] {
            let mask = RuleMask(subset)
            for sentence in 0..<3 {
                var tried: [Int] = []
                let any = hits.contains(mask, sentence: sentence) { rule in
                    tried.append(rule)
                    return false
                }
                #expect(!any)
                #expect(tried == subset.filter { hits.allows($0, sentence: sentence) }, "rules \(subset), sentence \(sentence)")
                // The search stops at the first rule the body accepts.
                if let first = tried.first {
                    var calls = 0
                    #expect(hits.contains(mask, sentence: sentence) { _ in calls += 1; return true })
                    #expect(calls == 1 && first == tried[0])
                }
            }
        }
    }

    @Test func aRuleWithoutWordsIsAllowedEverywhere() {
        let marked = MarkedText("«nothing here» «a visit»")
        let hits = Self.hits([nil, ["visit"]], marked)
        #expect(hits.allows(nil, sentence: 0))
        #expect(hits.allows(nil, sentence: 1))
        #expect(!hits.allows(1, sentence: 0))
        #expect(hits.allows(1, sentence: 1))
    }

    @Test(arguments: ["«5 \u{212A} below zero»", "«The ſun»", "«one» \u{212A} «two»"])
    func aKelvinSignOrLongSAllowsEveryRuleEverywhere(text: String) {
        let marked = MarkedText(text)
        let hits = Self.hits([["visit"], nil], marked)
        #expect(hits.everywhere)
        for sentence in marked.byteRanges.indices {
            #expect(hits.allows(0, sentence: sentence))
        }
    }

    @Test func asciiKAndSDoNotAllowEverything() {
        let hits = Self.hits([["visit"]], MarkedText("«5 K below zero, says the text»"))
        #expect(!hits.everywhere)
        #expect(!hits.allows(0, sentence: 0))
    }

    @Test func anEmptyTextOrNoSentencesAllowNothingButRulesWithoutWords() {
        let none = Self.hits([["visit"]], MarkedText(""))
        #expect(!none.everywhere)
        #expect(none.allows(nil, sentence: 0))
        let empty = Self.hits([["visit"]], MarkedText("«»"))
        #expect(!empty.allows(0, sentence: 0))
        let noRules = Self.hits([], MarkedText("«a visit»"))
        #expect(noRules.allows(nil, sentence: 0))
    }

    @Test func scanAgreesWithANaiveSearchOnRandomTexts() {
        var generator = SplitMix(seed: 0xACE5_C0DE)
        let pieces = ["a", "b", "c", "A", "B", "C", " ", ".", "é"]
        var checkedHits = 0
        for _ in 0..<500 {
            let words = Self.randomWords(rules: 80, longest: 4, alphabet: "abc.", using: &generator)
            let text = Array((0..<generator.below(80)).map { _ in generator.element(of: pieces) }.joined().utf8)
            let sentences = Self.randomSentences(in: text.count, shortest: 0, spread: 20, using: &generator)
            checkedHits += Self.expectNaiveHits(words, text: text, sentences: sentences)
        }
        #expect(checkedHits > 1_000)
    }

    @Test func longTextsScannedInQuartersAgreeWithANaiveSearch() {
        // Texts of 256 bytes and more are scanned as four quarters side by side:
        // words of up to twelve bytes, many of them across the quarters' bounds.
        var generator = SplitMix(seed: 0x7A0_C4A1)
        let pieces = ["ab", "abc", "ca", "A", "BC", " ", ".", "é", "abcab", "cab"]
        var checkedHits = 0
        for _ in 0..<200 {
            let words = Self.randomWords(rules: 40, longest: 12, alphabet: "abc", using: &generator)
            let text = Array((0..<(100 + generator.below(500))).map { _ in generator.element(of: pieces) }.joined().utf8)
            let sentences = Self.randomSentences(in: text.count, shortest: 1, spread: 120, using: &generator)
            checkedHits += Self.expectNaiveHits(words, text: text, sentences: sentences)
        }
        #expect(checkedHits > 1_000)
    }

    /// A word of the longest length ending at each byte around each quarter's
    /// bound, for texts whose length leaves 0 to 3 bytes over.
    @Test(arguments: [256, 257, 258, 259, 301])
    func aLongestWordAcrossAQuarterBoundIsFound(count: Int) {
        let words: [[String]?] = [["abcdefghijkl"], ["xyz"], nil]
        for bound in 1...3 {
            let quarter = count / 4 * bound
            for end in (quarter - 14)...(quarter + 14) {
                var text = [UInt8](repeating: UInt8(ascii: "-"), count: count)
                text.replaceSubrange((end - 11)...end, with: Array("abcdefghijkl".utf8))
                _ = Self.expectNaiveHits(words, text: text, sentences: [0..<count])
                _ = Self.expectNaiveHits(words, text: text, sentences: [0..<(end - 5), (end - 5)..<count])
            }
        }
    }

    @Test func aKelvinSignInTheSecondHalfOfALongTextStillAllowsEverything() {
        let text = Array((String(repeating: "plain words ", count: 40) + "\u{212A}eep").utf8)
        let hits = text.withUnsafeBufferPointer { buffer in
            WordScanner(words: [["visit"]]).scan(buffer, sentences: Self.numbered([0..<text.count]))
        }
        #expect(text.count > 400)
        #expect(hits.everywhere)
    }

    @Test func ruleWordsNumberThePacksRules() throws {
        let pack = try PackFixture.standard.load()
        let words = RuleWords(pack: pack)
        // Every rule takes a number, the entity rules first; the only one (phase
        // "people") has no words to look for.
        #expect(words.scanner.ruleCount == 4)
        #expect(words.entity.map(\.count) == pack.phases.map(\.rules.count))
        #expect(words.entity.joined().allSatisfy { $0 == nil })
        #expect(pack.relationRules.map(\.pattern.requiredWords) == [["visited"], ["talks"], ["discussed"]])
        #expect(words.relation == [1, 2, 3])
        let marked = MarkedText("«France visited Paris.» «France and Japan discussed trade.»")
        let hits = marked.bytes.withUnsafeBufferPointer { buffer in
            words.scanner.scan(buffer, sentences: Self.numbered(marked.byteRanges))
        }
        #expect(words.relation.map { hits.allows($0, sentence: 0) } == [true, false, false])
        #expect(words.relation.map { hits.allows($0, sentence: 1) } == [false, false, true])
    }

    /// The default pack on the seed articles and on every rule example: running
    /// each rule only on the sentences its words allow finds exactly what running
    /// every rule everywhere finds.
    @Test func hitsChangeNoMentionOrFactOfTheDefaultPack() throws {
        let processor = try DocumentProcessor(pack: RulePack.load(directory: Repository.rules))
        let scratch = processor.makeScratch()
        var texts: [(name: String, text: String)] = []
        let reader = CorpusReader(paths: [Repository.seeds]) { Issue.record("warning: \($0)") }
        while let document = reader.next() { texts.append((document.name, document.text)) }
        #expect(texts.count == 2)
        for rule in processor.pack.phases.flatMap(\.rules) {
            texts += rule.examples.map { ("\(rule.id) example", $0.text) }
        }
        for rule in processor.pack.relationRules {
            texts += rule.examples.map { ("\(rule.id) example", $0.text) }
        }
        var skippedRuns = 0
        var facts = 0
        for (name, text) in texts {
            let pruned = Self.outcome(of: text, processor, scratch: scratch, pruning: true)
            let full = Self.outcome(of: text, processor, scratch: scratch, pruning: false)
            #expect(pruned.mentions == full.mentions, "\(name)")
            #expect(pruned.facts == full.facts, "\(name)")
            skippedRuns += pruned.skippedRuns
            facts += full.facts.count
        }
        // The comparison means something: rules were skipped, and facts found.
        #expect(skippedRuns > 1_000)
        #expect(facts > 100)
    }

    @Test func aTextRuleSeesOnlyItsSentenceWithHitsAsWithout() throws {
        // The splitter ends a sentence at the blank line; date.month-day's
        // "(?! ?(?:pct|percent|...))" does not see "percent" in the next one.
        let processor = try DocumentProcessor(pack: RulePack.load(directory: Repository.rules))
        let scratch = processor.makeScratch()
        let text = "The vote is on May 5\n\npercent of voters said no."
        let pruned = Self.outcome(of: text, processor, scratch: scratch, pruning: true)
        let full = Self.outcome(of: text, processor, scratch: scratch, pruning: false)
        #expect(full.mentions.count == 1 && full.mentions.first?.contains("15..<20") == true, "\(full.mentions)")
        #expect(pruned.mentions == full.mentions)
    }

    // MARK: - Helpers

    /// Up to `rules` rules, one in five without words, the others with one to three
    /// words of up to `longest` characters of `alphabet`.
    static func randomWords(rules: Int, longest: Int, alphabet: String, using generator: inout SplitMix) -> [[String]?] {
        let characters = Array(alphabet)
        return (0..<(1 + generator.below(rules))).map { _ in
            guard generator.below(5) != 0 else { return nil }
            return (0..<(1 + generator.below(3))).map { _ in
                String((0..<(1 + generator.below(longest))).map { _ in generator.element(of: characters) })
            }
        }
    }

    /// Sentences over `count` bytes, each at least `shortest` long and up to
    /// `spread` - 1 longer, with gaps of up to two bytes between them.
    static func randomSentences(in count: Int, shortest: Int, spread: Int, using generator: inout SplitMix) -> [Range<Int>] {
        var sentences: [Range<Int>] = []
        var start = generator.below(3)
        while start < count {
            let end = min(count, start + shortest + generator.below(spread))
            sentences.append(start..<end)
            start = end + generator.below(3)
        }
        return sentences
    }

    /// Scans the text of `marked` for `words` (per rule), with the marked spans as
    /// its sentences.
    static func hits(_ words: [[String]?], _ marked: MarkedText) -> WordHits {
        marked.bytes.withUnsafeBufferPointer { buffer in
            WordScanner(words: words).scan(buffer, sentences: numbered(marked.byteRanges))
        }
    }

    /// Per marked sentence, the rules (with words) it allows.
    static func allowed(_ words: [[String]?], _ marked: MarkedText) -> [[Int]] {
        let hits = hits(words, marked)
        return marked.byteRanges.indices.map { sentence in
            words.indices.filter { words[$0] != nil && hits.allows($0, sentence: sentence) }
        }
    }

    /// Per sentence, the rules one of whose words, ASCII case ignored, ends at a
    /// byte of the sentence.
    /// Expects the scanner to allow exactly the rules a naive search finds in each
    /// sentence; returns how many (sentence, rule) pairs it checked.
    static func expectNaiveHits(
        _ words: [[String]?], text: [UInt8], sentences: [Range<Int>], sourceLocation: SourceLocation = #_sourceLocation
    ) -> Int {
        let hits = text.withUnsafeBufferPointer { buffer in
            WordScanner(words: words).scan(buffer, sentences: numbered(sentences))
        }
        #expect(!hits.everywhere, sourceLocation: sourceLocation)
        var checked = 0
        for (sentence, rules) in naiveAllowed(words, text: text, sentences: sentences).enumerated() {
            let found = words.indices.filter { words[$0] != nil && hits.allows($0, sentence: sentence) }
            #expect(found == rules, "text of \(text.count) bytes \(String(decoding: text.prefix(80), as: UTF8.self).debugDescription), sentence \(sentences[sentence]), words \(words)", sourceLocation: sourceLocation)
            checked += rules.count
        }
        return checked
    }

    static func naiveAllowed(_ words: [[String]?], text: [UInt8], sentences: [Range<Int>]) -> [[Int]] {
        let lowered = text.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return sentences.map { sentence in
            words.indices.filter { rule in
                (words[rule] ?? []).contains { word in
                    let needle = Array(word.utf8)
                    return sentence.contains { last in
                        last + 1 >= needle.count && lowered[(last + 1 - needle.count)...last].elementsEqual(needle)
                    }
                }
            }
        }
    }

    static func numbered(_ ranges: [Range<Int>]) -> [Sentence] {
        ranges.enumerated().map { Sentence(index: $0.offset, range: $0.element) }
    }

    /// What the pipeline finds in `text` (as `DocumentProcessor.process` runs it),
    /// with each rule run only where the scanner's hits allow (`pruning`) or
    /// everywhere; and how many relation rule runs the hits skipped.
    static func outcome(
        of text: String, _ processor: DocumentProcessor, scratch: MatchScratch, pruning: Bool
    ) -> (mentions: [String], facts: [String], skippedRuns: Int) {
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            let sentences = numbered(DocumentProcessor.capped(processor.splitter.split(buffer), in: buffer))
            let hits = pruning ? processor.words.scanner.scan(buffer, sentences: sentences) : nil
            let tagged = processor.tagger.tag(buffer, sentences: sentences, scratch: scratch, hits: hits) { rule, _, error in
                Issue.record("\(rule) gave up on \(text.debugDescription): \(error)")
            }
            let mentions = processor.resolver.resolve(buffer, mentions: tagged, sentences: sentences)
            var facts: [Fact] = []
            var skippedRuns = 0
            var cursor = 0
            for sentence in sentences {
                let inside = EntityTagger.mentions(of: mentions, in: sentence.range, from: &cursor)
                guard !inside.isEmpty else { continue }
                let tokens = TokenString(text: buffer, range: sentence.range, mentions: Array(inside), codec: processor.pack.codec)
                facts += processor.extractor.facts(
                    in: tokens, sentence: sentence, text: buffer, scratch: scratch, hits: hits
                ) { rule, error in
                    Issue.record("\(rule) gave up on \(text.debugDescription): \(error)")
                }
                if let hits {
                    skippedRuns += processor.extractor.words.filter { !hits.allows($0, sentence: sentence.index) }.count
                }
            }
            return (tagged.map(key), facts.map(key), skippedRuns)
        }
    }

    static func key(_ mention: Mention) -> String {
        "\(mention.rule.id) \(mention.range)"
    }

    static func key(_ fact: Fact) -> String {
        let args = fact.args.map { "\($0.role)=\($0.value.arguments.map(\.mention.range))" }
        return "\(fact.rule.id) \(fact.matchRange) \(args)"
    }
}
