import Foundation
import Testing
@testable import Quarry

/// The words every match of a pattern starts with (`RequiredWords.leading`), where
/// the scanner finds the first of them (`WordHits.firstWordEnd`), and the tagger
/// starting a rule's search there.
@Suite struct LeadingWordsTests {
    @Test(arguments: [
        ("\\b(?:January|Feb\\.)\\s+\\d", ["feb.", "january"]),
        ("\\b(?<month>(?:(?:May|June|Sept?\\.)))\\s+(?<day>\\d{1,2})", ["june", "may", "sep.", "sept."]),
        ("(?=\\d)(?<=on )(?:Monday|friday)\\b", ["friday", "monday"]),
        ("(?i)\\bmonday\\b", ["monday"]),
        ("[Mm]ay 5", ["may 5"]),
        ("(?:abc)+def", ["abc"]),
        ("(?:abc|)def", ["abcdef", "def"]),
        ("^Treaty of \\w+", ["treaty of"]),
        ("(?:talks|negotiations?)\\s+with", ["negotiation", "negotiations", "talks"]),
    ] as [(String, [String])])
    func aMatchStartsWithOneOfTheseWords(pattern: String, words: [String]) {
        #expect(RequiredWords.leading(of: pattern) == words)
    }

    @Test(arguments: [
        // The first item may match nothing, or anything.
        "(?:the\\s+)?Treaty", "\\w+ Treaty", ".*Treaty", "(?:Treaty|)s", "\\s*Treaty",
        // A start shorter than three bytes.
        "(?<year>(?:1[89]|20)\\d{2})", "a|bcd", "\\d+ pct",
        // Where a search starts may change what matches.
        "(*COMMIT)Treaty", "Treaty(*SKIP)(*FAIL)|Accord", "\\GTreaty",
        // Nothing but assertions, and syntax the reader gives up on.
        "\\b(?=Treaty)", "(?x) Treaty", "\\QTreaty\\E",
    ])
    func noStartIsKnown(pattern: String) {
        #expect(RequiredWords.leading(of: pattern) == nil)
    }

    @Test func everyMatchStartsWithALeadingWord() throws {
        let cases = [
            ("\\b(?:January|Feb\\.|Sept?\\.)\\s+\\d+", "On 3 January 5 and Sep. 12, then sept. 1 and Feb. 2."),
            ("(?<=on )(?:Monday|Friday)\\b", "Friday came; the vote on Monday and on Friday, on Mondays."),
            ("(?:talks|negotiations?)\\s+with", "Talks with A; negotiation with B; negotiations  with C."),
        ]
        for (source, text) in cases {
            let words = try #require(RequiredWords.leading(of: source))
            for options in [Pattern.Options(), .caseless] {
                let matches = try RequiredWordsTests.matches(of: Pattern(source, options: options), in: text)
                #expect(!matches.isEmpty, "\(source)")
                for match in matches {
                    let lowered = match.lowercased()
                    #expect(words.contains { lowered.hasPrefix($0) }, "\(source): \(match.debugDescription)")
                }
            }
        }
    }

    // MARK: - The scanner

    @Test func theFirstEndOfALeadingWordIsFoundInEverySentence() {
        // Long texts are scanned in two chains: the first end is the least one
        // whichever chain finds it first.
        var generator = SplitMix(seed: 0x1EAD_0001)
        let pieces = ["ab", "abc", "ca", "A", "BC", " ", ".", "é", "abcab", "cab", "bca"]
        var checked = 0
        for _ in 0..<300 {
            let leading = (0..<(1 + generator.below(3))).map { _ in
                WordScannerTests.randomWords(rules: 3, longest: 6, alphabet: "abc", using: &generator).compactMap { $0 }.flatMap { $0 }
            }.filter { !$0.isEmpty }
            let words = WordScannerTests.randomWords(rules: 10, longest: 5, alphabet: "abc", using: &generator)
            let text = Array((0..<(10 + generator.below(400))).map { _ in generator.element(of: pieces) }.joined().utf8)
            let sentences = WordScannerTests.randomSentences(in: text.count, shortest: 1, spread: 90, using: &generator)
            let hits = text.withUnsafeBufferPointer { buffer in
                WordScanner(words: words, leading: leading).scan(buffer, sentences: WordScannerTests.numbered(sentences))
            }
            #expect(!hits.everywhere)
            for (slot, list) in leading.enumerated() {
                for (index, sentence) in sentences.enumerated() {
                    let naive = Self.firstEnd(of: list, in: text, sentence: sentence)
                    #expect(hits.firstWordEnd(leading: slot, sentence: index) == naive, "\(list) in \(sentence)")
                    if naive != nil { checked += 1 }
                }
            }
            // The leading words change no rule's hits.
            _ = WordScannerTests.expectNaiveHits(words, text: text, sentences: sentences)
        }
        #expect(checked > 500)
    }

    @Test func aTextThatAllowsEveryRuleEverywherePlacesNoWord() {
        let text = Array("Monday \u{212A}eep, then Monday.".utf8)
        let hits = text.withUnsafeBufferPointer { buffer in
            WordScanner(words: [["then"]], leading: [["monday"]]).scan(buffer, sentences: WordScannerTests.numbered([0..<text.count]))
        }
        #expect(hits.everywhere)
        #expect(hits.firstWordEnd(leading: 0, sentence: 0) == nil)
    }

    // MARK: - The tagger

    /// Rules whose matches start with a few words, one of them with a lookbehind
    /// that must see the text before the place the search starts: the same
    /// mentions with the scanner's hits (searches start late, or not at all) as
    /// without.
    @Test func aRuleStartedAtItsFirstWordFindsWhatItFindsFromTheStart() throws {
        let rules = """
            entities:
              - id: day.after-on
                type: DATE
                pattern: '(?<=\\bon[ ])(?:Monday|Friday)\\b'
              - id: month.day
                type: DATE
                pattern: '\\b(?:May|June|Sept?\\.) \\d{1,2}\\b(?! pct)'

            """
        var fixture = PackFixture.standard
        fixture.files["pack.yaml"] = PackFixture.packYAML
            .replacingOccurrences(of: "  ORG: ~\n", with: "  ORG: ~\n  DATE: ~\n")
            .replacingOccurrences(of: "      - entities/people.yaml\n", with: "      - entities/people.yaml\n      - entities/dates.yaml\n")
        fixture.files["entities/dates.yaml"] = rules
        let pack = try fixture.load()
        let processor = DocumentProcessor(pack: pack)
        #expect(processor.words.entityLeads.flatMap { $0 }.compactMap { $0 }.count == 2)
        let scratch = processor.makeScratch()
        let text = """
            The vote, held on Monday, was close. Friday came and went.
            Talks resume on June 3 and May 14, said the note of May 2 pct. Nothing else.
            On Friday, and again on Friday, on Mondays too.
            """
        let pruned = WordScannerTests.outcome(of: text, processor, scratch: scratch, pruning: true)
        let full = WordScannerTests.outcome(of: text, processor, scratch: scratch, pruning: false)
        #expect(pruned.mentions == full.mentions)
        #expect(full.mentions.filter { $0.hasPrefix("day.") }.count == 2, "\(full.mentions)")
        #expect(full.mentions.filter { $0.hasPrefix("month.") }.count == 2, "\(full.mentions)")
    }

    // MARK: - Helpers

    /// The offset of the last byte of the first word of `words` (ASCII case
    /// ignored) that ends inside `sentence`.
    static func firstEnd(of words: [String], in text: [UInt8], sentence: Range<Int>) -> Int? {
        let lowered = text.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return sentence.first { last in
            words.contains { word in
                let needle = Array(word.utf8)
                return last + 1 >= needle.count && lowered[(last + 1 - needle.count)...last].elementsEqual(needle)
            }
        }
    }
}
