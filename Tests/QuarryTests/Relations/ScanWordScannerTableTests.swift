import Testing
@testable import Quarry

/// The scanner's compiled form: 16-bit or 32-bit table entries, the unrolled step
/// loop and its tail, per-state rule masks and the early stop on a fold character.
@Suite struct ScanWordScannerTableTests {
    /// Enough long words that the rows no longer fit 16 bits: the 32-bit table finds
    /// what a naive search finds.
    @Test func aTableTooLargeFor16BitsAgreesWithANaiveSearch() {
        var generator = SplitMix(seed: 0x5CA1_AB1E)
        let letters = Array("abcdefghijklmnopqrst")
        let words: [[String]?] = (0..<200).map { _ in
            (0..<2).map { _ in String((0..<9).map { _ in generator.element(of: letters) }) }
        }
        // The trie's states (the root, each distinct prefix, the fold characters'
        // five) times its columns (byte 0, the letters, the fold characters' five
        // bytes) outgrow 16-bit rows.
        let all = words.compactMap { $0 }.joined()
        let prefixes = Set(all.flatMap { word in (1...word.count).map { word.prefix($0) } })
        #expect((1 + prefixes.count + 5) * (1 + letters.count + 5) > Int(Int16.max))
        for _ in 0..<40 {
            var pieces: [String] = []
            for _ in 0..<generator.below(30) {
                switch generator.below(3) {
                case 0: pieces.append(generator.element(of: Array(all)))
                case 1: pieces.append(String((0..<generator.below(6)).map { _ in generator.element(of: letters) }))
                default: pieces.append(generator.element(of: [" ", ". ", "\n", "é"]))
                }
            }
            let text = Array(pieces.joined().uppercased().utf8)
            Self.expectNaive(words, text: text, sentences: Self.sentences(in: text.count, &generator))
        }
    }

    /// A word may end on any byte: each position of a block of the unrolled loop,
    /// and each of the bytes after the last whole block.
    @Test(arguments: 0..<20)
    func aWordEndingAtAnyOffsetIsFound(offset: Int) {
        let words: [[String]?] = [["abc"], ["bcd"], nil]
        let text = Array((String(repeating: "x", count: offset) + "abcd" + String(repeating: "y", count: 19 - offset)).utf8)
        Self.expectNaive(words, text: text, sentences: [0..<text.count])
        Self.expectNaive(words, text: text, sentences: [0..<(offset + 3), (offset + 3)..<text.count])
    }

    @Test func aWordAtTheVeryEndIsFound() {
        let words: [[String]?] = [["end"]]
        for padding in 0..<17 {
            let text = Array((String(repeating: "-", count: padding) + "The End").utf8)
            Self.expectNaive(words, text: text, sentences: [0..<text.count])
        }
    }

    /// Words of rules on both sides of a 64-rule boundary ending at one state (a
    /// mask of several words) mark each rule.
    @Test func oneWordServingRulesInSeveralMaskWordsMarksEach() {
        var words: [[String]?] = Array(repeating: ["filler"], count: 200)
        for rule in [3, 64, 127, 128, 199] { words[rule] = ["shared"] }
        words[130] = ["red"]
        let text = Array("A shared view. Nothing here. Red.".utf8)
        Self.expectNaive(words, text: text, sentences: [0..<14, 15..<28, 29..<33])
    }

    /// A fold character anywhere, even after the last sentence or after words
    /// already found, allows every rule everywhere.
    @Test(arguments: ["visit. ſ", "\u{212A} visit", "visit \u{212A}", "ſ"])
    func aFoldCharacterAnywhereAllowsEverything(text: String) {
        let bytes = Array(text.utf8)
        let hits = bytes.withUnsafeBufferPointer { buffer in
            WordScanner(words: [["visit"], ["other"]]).scan(buffer, sentences: [Sentence(index: 0, range: 0..<1)])
        }
        #expect(hits.everywhere)
        #expect(hits.allows(1, sentence: 0))
    }

    /// Empty sentences, sentences with gaps between them and words before the first
    /// or after the last: the sentence cursor only moves forward.
    @Test func theSentenceCursorSkipsEmptyAndPassedSentences() {
        let words: [[String]?] = [["one"], ["two"], ["three"]]
        let text = Array("one two three one two three".utf8)
        Self.expectNaive(words, text: text, sentences: [4..<4, 4..<7, 7..<7, 8..<9, 9..<13, 20..<20])
        Self.expectNaive(words, text: text, sentences: [0..<2, 2..<3, 14..<17, 17..<27])
    }

    // MARK: - Helpers

    static func sentences(in count: Int, _ generator: inout SplitMix) -> [Range<Int>] {
        var sentences: [Range<Int>] = []
        var start = generator.below(3)
        while start < count {
            let end = min(count, start + generator.below(60))
            sentences.append(start..<end)
            start = end + generator.below(3)
        }
        return sentences
    }

    static func expectNaive(
        _ words: [[String]?], text: [UInt8], sentences: [Range<Int>], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let hits = text.withUnsafeBufferPointer { buffer in
            WordScanner(words: words).scan(buffer, sentences: WordScannerTests.numbered(sentences))
        }
        let expected = WordScannerTests.naiveAllowed(words, text: text, sentences: sentences)
        #expect(!hits.everywhere, sourceLocation: sourceLocation)
        for (sentence, rules) in expected.enumerated() {
            let found = words.indices.filter { words[$0] != nil && hits.allows($0, sentence: sentence) }
            #expect(found == rules, "sentence \(sentence) of \(String(decoding: text, as: UTF8.self).debugDescription)",
                    sourceLocation: sourceLocation)
        }
    }
}
