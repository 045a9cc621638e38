import Testing
@testable import Quarry

@Suite struct RequiredWordsTests {
    @Test(arguments: [
        ("visited", ["visited"]),
        ("VISITED", ["visited"]),
        ("U\\.S\\.", ["u.s."]),
    ] as [(String, [String]?)])
    func aLiteralIsItsOwnWord(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: [
        ("(?:talks|negotiations?)", ["negotiation", "negotiations", "talks"]),
        ("(?:talks|deal)+", ["deal", "talks"]),
        ("(?:state|official)visit", ["officialvisit", "statevisit"]),
        ("(?:(*FAIL)|talks)", ["talks"]),
    ] as [(String, [String]?)])
    func anAlternationNeedsAWordOfEachBranch(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test func everyBranchOfAnAlternationMatchesOnlyTextHoldingAWord() throws {
        let pattern = "(?:talks|negotiations?)"
        let words = try #require(RequiredWords.of(pattern))
        let texts = ["Talks", "a negotiation", "NEGOTIATIONS began"]
        for text in texts {
            let matches = try Self.matches(of: Pattern(pattern, options: .caseless), in: text)
            #expect(matches.count == 1, "\(text)")
            #expect(matches.allSatisfy { Self.holdsOne(of: words, $0) }, "\(text): \(matches)")
        }
    }

    @Test(arguments: [
        ("met\\s+with", ["met"]),
        ("held\\s+talks\\s+with", ["talks"]),
        ("signed\\s+an?\\s+agreement", ["agreement"]),
        ("(?:state|official)\\s+visit", ["visit"]),
        ("abc\\x{E001}defg", ["defg"]),
        ("[A-Z]isited", ["isited"]),
    ] as [(String, [String]?)])
    func aConcatenationKeepsItsMostSelectivePiece(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: [
        ("(?:talks)?", nil),
        ("(?:talks)*", nil),
        ("(?:talks){0,3}", nil),
        ("x(?:signing){0,3}", nil),
        ("(?:foreign\\s+)?minister", ["minister"]),
        ("(?:talks)+", ["talks"]),
        ("(?:talks){2,}", ["talks"]),
        ("(?:talks){1,3}", ["talks"]),
        ("(?:talks)+?", ["talks"]),
    ] as [(String, [String]?)])
    func optionalRepeatsAddNothingAndRequiredRepeatsKeepTheirWords(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: [
        ("[Ss]ince", ["since"]),
        ("[Tt]alks", ["talks"]),
        ("Jan\\.", ["jan."]),
        ("\\x41bc", ["abc"]),
        ("(?i)Visited", ["visited"]),
        ("(?i:Visited)", ["visited"]),
    ] as [(String, [String]?)])
    func classesEscapesAndCaselessOptionsFoldToLowercaseLiterals(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: [
        ("abc(?=x)def", ["abcdef"]),
        ("abc(?!x)def", ["abcdef"]),
        ("abc\\bdef", ["abcdef"]),
        ("(?<=the\\s)treaty", ["treaty"]),
        ("(?=visited)", nil),
        ("(?=visited)\\w+", nil),
    ] as [(String, [String]?)])
    func assertionsAddNothingButKeepTheRunAroundThem(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: [
        // What a positive lookbehind sees ends where the match starts: it joins
        // what follows (the sentence holds "in 19", the match only "19..").
        ("(?<=in )19\\d\\d", ["in 19"]),
        ("(?<=\\b[Ii]n[ ]|\\b[Bb]y[ ])(?:19|20)\\d{2}", ["by 19", "by 20", "in 19", "in 20"]),
        // It does not join what came before it (that overlaps what it sees); the
        // match's own text still counts.
        ("ab(?<=zab)cd", ["zabcd"]),
        ("treaty(?<=y)ab", ["treatyab"]),
        // A lookbehind whose text is not known still keeps its required words.
        ("(?<=visited\\s)\\w+", ["visited"]),
        // Negative lookbehinds see nothing that must be there.
        ("(?<!in )19\\d\\d", nil),
        ("(?<=in )?19\\d\\d", nil),
    ] as [(String, [String]?)])
    func aLookbehindJoinsWhatFollowsIt(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test func aLookbehindWordIsInTheTextOfEveryMatch() throws {
        // The filter judges sentences: every sentence a lookbehind pattern matches
        // in holds one of its words, though the match itself may not.
        for (pattern, text) in [("(?<=in )19\\d\\d", "Founded in 1987, it grew."), ("(?<=[Bb]y )20\\d\\d", "Done by 2030.")] {
            let words = try #require(RequiredWords.of(pattern))
            #expect(!(try Self.matches(of: Pattern(pattern), in: text)).isEmpty)
            #expect(Self.holdsOne(of: words, text))
        }
    }

    @Test(arguments: [
        ("(?x)visited", nil),
        ("\\Qvisited\\E", nil),
        ("visited(*ACCEPT)", nil),
        ("(\\w+)\\s+\\1", nil),
        ("(?<w>\\w+)\\k<w>", nil),
        ("(talks)\\s+\\1", ["talks"]),
        ("(?:talks|)", nil),
        ("talks|", nil),
        ("(?:|talks)", nil),
        ("of", nil),
        ("(?:to|visit)", nil),
    ] as [(String, [String]?)])
    func constructsThatPinDownNoWordGiveNil(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test(arguments: ["(*FAIL)", "(*F)", "visited(*FAIL)", "(?:(*FAIL))+"])
    func aPatternThatCannotMatchNeedsAnImpossibleWord(pattern: String) throws {
        #expect(RequiredWords.of(pattern) == [])
        #expect(try Self.matches(of: Pattern(pattern), in: "visited").isEmpty)
    }

    @Test(arguments: [
        ("met\\s+with", ["met"]),
        ("the\\s+treaty", ["treaty"]),
        ("said\\s+to", ["said"]),
        ("with", ["with"]),
        ("with\\s+(?:to|of)", ["with"]),
    ] as [(String, [String]?)])
    func commonWordsAreAvoidedUnlessTheyAreAllThereIs(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    /// Results pinned on patterns that exercise each part of the reader together
    /// (worked out by the analysis as it was when its sets were `Set`s): the
    /// analysis is a heuristic, and a change to how it is computed must not change
    /// a rule's words.
    @Test(arguments: [
        ("(?:(?:ab|cd)ef|gh(?:ij|kl))mno", ["abefmno", "cdefmno", "ghijmno", "ghklmno"]),
        ("(?:talks|(?:peace\\s+)?negotiations?)\\s+(?:with|between)", ["negotiation", "negotiations", "talks"]),
        // "vis"+"ited" and "visi"+"ted" are one word.
        ("(?:vis|visi)(?:ited|ted)", ["visiited", "visited", "visted"]),
        ("[Vv]isit(?:ed|s)?", ["visit", "visited", "visits"]),
        ("\\x{76}isit\\x{E000}ors", ["visit"]),
        ("\\x{ 41 }bc", ["abc"]),
        // A sign is not a hex digit: PCRE2 rejects the pattern, and the analysis,
        // which runs before it compiles, must not stop the program (it did).
        ("\\x{-1}visited", ["visited"]),
        ("\\x{+41}visited", ["visited"]),
        ("[\\x{41}B]ank", ["ank"]),
        ("[abc]{2}xyz", ["xyz"]),
        ("[abcde]xyz", ["xyz"]),
        ("[]]visit", ["]visit"]),
        ("[^]]visit", ["visit"]),
        ("(?:abc){2,5}?def", ["abc"]),
        ("(?:abc)?+def", ["abcdef", "def"]),
        ("visite{,2}d", ["visit"]),
        ("(?<=\\bthe\\s)(?:treaty|pact)", ["pact", "treaty"]),
        ("(?=.*talks)visit", ["visit"]),
        ("(?i)(?:Peace|WAR)\\s+talks", ["talks"]),
        ("(?-i:Peace)\\s+[Tt]alks", ["peace"]),
        ("\\Qvisit\\E", nil),
        ("[\\Q]\\E]visit", nil),
        ("(?|(abc)|(abd))x", ["abcx", "abdx"]),
        ("trea(?#split)ty", ["treaty"]),
        ("visit\\Kors", ["visitors"]),
        ("(?:Sept?\\.|Oct\\.)\\s+\\d", ["oct.", "sep.", "sept."]),
        // 4 x 4 x 4 words are the most one node keeps; a fourth factor is too many.
        ("(?:a|b|c|d)(?:e|f|g|h)(?:i|j|k|l)(?:m|n|o|p)zz", ["mzz", "nzz", "ozz", "pzz"]),
        // A token as a placeholder expands to it (caseless patterns set it apart).
        ("(?-i:\\x{E000}[\\x{E100}-\\x{E3FF}]*?[\\x{E101}][\\x{E100}-\\x{E3FF}]*\\x{E001})\\s+visited", ["visited"]),
        ("(?:[^\\s\\x{E000}-\\x{E3FF}]+\\s+){1,5}visited", ["visited"]),
    ] as [(String, [String]?)])
    func trickyPatternsKeepTheirWords(pattern: String, words: [String]?) {
        #expect(RequiredWords.of(pattern) == words)
    }

    @Test func anAlternationOfMoreThanSixtyFourWordsNeedsNone() {
        let words = (0..<65).map { "w" + String($0 + 100) }
        #expect(RequiredWords.of("(?:" + words.dropLast().joined(separator: "|") + ")") == Array(words.dropLast()))
        #expect(RequiredWords.of("(?:" + words.joined(separator: "|") + ")") == nil)
        // A branch after the limit is passed changes nothing.
        #expect(RequiredWords.of("(?:" + words.joined(separator: "|") + "|(*FAIL))") == nil)
    }

    @Test func quotedCharactersInAClassAreNotLiteralText() throws {
        // "[\Q]abc\E]" is the class of ']', 'a', 'b', 'c': it matches "a" alone.
        let unheld = try Self.unheld(by: "[\\Q]abc\\E]", in: "a")
        #expect(unheld.isEmpty)
    }

    @Test func aBraceAfterAnEscapeInAClassDoesNotHideTheClassEnd() throws {
        // "[\w{]" matches "q"; the analysis skips from its '{' to the '}' of "a{2}"
        // and reads "xyz" as required by both branches.
        let unheld = try Self.unheld(by: "(?:[\\w{]|a{2}[.]xyz)", in: "q")
        #expect(unheld.isEmpty)
    }

    @Test(arguments: ["visits\\E?", "visits(?#note)?"])
    func aQuantifierAfterAnIgnoredItemAppliesToTheItemBefore(pattern: String) throws {
        // PCRE2 skips a lone "\E" and a comment, so the '?' makes the 's' optional.
        let unheld = try Self.unheld(by: pattern, in: "visit")
        #expect(unheld.isEmpty)
    }

    @Test func aQuotedGroupNameIsNotText() throws {
        // "(?'w'visited)" is a group named w around "visited".
        let unheld = try Self.unheld(by: "(?'w'visited)", in: "visited")
        #expect(unheld.isEmpty)
    }

    @Test(arguments: ["abc{,1}def", "abc{ 1 }def"])
    func aBraceThatPCRE2ReadsAsTextIsNotAQuantifier(pattern: String) throws {
        // PCRE2 10.43 reads them as {0,1} and {1}; before 10.43, as text, and the
        // pattern matches itself. Either way, the analysis must not require "abcdef".
        let unheld = try Self.unheld(by: pattern, in: pattern)
        #expect(unheld.isEmpty)
    }

    /// Random patterns over a small vocabulary matched against random texts over the
    /// same vocabulary: every match must hold a required word, and a pattern with
    /// an impossible requirement must not match at all.
    @Test func everyMatchOfARandomPatternHoldsARequiredWord() throws {
        var generator = SplitMix(seed: 0x5EED_0F_2A11)
        var failures: [String] = []
        var matchedPairs = 0
        var patternsWithWords = 0
        var patternsThatCannotMatch = 0
        for _ in 0..<3_000 {
            let source = RandomPattern.make(using: &generator)
            let words = RequiredWords.of(source)
            switch words {
            case []: patternsThatCannotMatch += 1
            case _?: patternsWithWords += 1
            case nil: break
            }
            let favoured = RandomPattern.vocabulary.filter { source.lowercased().contains($0) }
            let texts = (0..<8).map { _ in RandomPattern.text(favouring: favoured, using: &generator) }
            for options in [Pattern.Options(), .caseless] {
                let pattern = try Pattern(source, options: options)
                for text in texts {
                    let matches: [String]
                    do {
                        matches = try Self.matches(of: pattern, in: text)
                    } catch let error as PCRE2Error where error.isLimit {
                        // Nested repeats of "\s+" can backtrack without end.
                        continue
                    }
                    guard let words, !matches.isEmpty else { continue }
                    matchedPairs += 1
                    let mode = options == .caseless ? "caseless" : "as is"
                    // A word may lie partly before a match, in what a lookbehind saw:
                    // then the text holds it. Without one, every match holds it.
                    if source.contains("(?<=") {
                        if !Self.holdsOne(of: words, text) {
                            failures.append("\(source) (\(mode)) matches \(text.debugDescription), which holds none of \(words)")
                        }
                        continue
                    }
                    for match in matches where !Self.holdsOne(of: words, match) {
                        failures.append("\(source) (\(mode)) on \(text.debugDescription): \(match.debugDescription) holds none of \(words)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(5))")
        #expect(patternsWithWords > 800)
        #expect(patternsThatCannotMatch > 20)
        #expect(matchedPairs > 3_000)
    }

    // MARK: - Helpers

    /// The text of every match of `pattern` in `text`.
    static func matches(of pattern: Pattern, in text: String) throws -> [String] {
        let bytes = Array(text.utf8)
        let scratch = MatchScratch()
        var found: [String] = []
        try bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try scratch.forEachMatch(of: pattern, in: buffer) { match in
                found.append(String(decoding: bytes[match.range], as: UTF8.self))
                return true
            }
        }
        return found
    }

    /// Whether `text`, ASCII letters lowercased, contains one of `words`.
    static func holdsOne(of words: [String], _ text: String) -> Bool {
        let lowered = Array(text.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return words.contains { word in
            let needle = Array(word.utf8)
            return lowered.indices.contains { start in lowered[start...].starts(with: needle) }
        }
    }

    /// The matches of `source` in `text` that hold none of the pattern's required
    /// words (none when it has no requirement).
    static func unheld(by source: String, in text: String) throws -> [String] {
        guard let words = RequiredWords.of(source) else { return [] }
        return try matches(of: Pattern(source), in: text).filter { !holdsOne(of: words, $0) }
    }
}

/// Patterns and texts from a small grammar over a shared vocabulary, so that the
/// patterns often match.
private enum RandomPattern {
    static let vocabulary = ["visit", "visited", "talks", "met", "with", "since", "treaty", "trade", "deal", "the", "of", "japan"]
    static let noise = ["xq", "7", "é", "--", "Zy", ",", "(", "2024"]
    static let separators = [" ", " ", " ", ", ", ". ", "\n", "", "-"]

    /// A pattern: one or two top-level branches, maybe with an inline caseless option.
    static func make(using generator: inout SplitMix) -> String {
        let prefix = generator.below(4) == 0 ? "(?i)" : ""
        let branches = generator.below(5) == 0 ? 2 : 1
        return prefix + (0..<branches).map { _ in sequence(depth: 0, using: &generator) }.joined(separator: "|")
    }

    /// A text of vocabulary words in random case (more often the `favoured` ones, the
    /// pattern's own), noise and separators.
    static func text(favouring favoured: [String], using generator: inout SplitMix) -> String {
        (0..<(3 + generator.below(6))).map { _ in
            let token = switch generator.below(6) {
            case 0: generator.element(of: noise)
            case 1, 2, 3: recase(generator.element(of: favoured.isEmpty ? vocabulary : favoured), using: &generator)
            default: recase(generator.element(of: vocabulary), using: &generator)
            }
            return token + generator.element(of: separators)
        }.joined()
    }

    private static func sequence(depth: Int, using generator: inout SplitMix) -> String {
        (0..<(1 + generator.below(3))).map { _ in item(depth: depth, using: &generator) }.joined()
    }

    /// An atom with maybe a quantifier, an atom that ends in its own `+`, or
    /// something that cannot be quantified (an assertion, a verb).
    private static func item(depth: Int, using generator: inout SplitMix) -> String {
        switch generator.below(20) {
        case 0: return "\\b"
        case 1 where depth < 2: return (generator.below(2) == 0 ? "(?=" : "(?!") + sequence(depth: depth + 1, using: &generator) + ")"
        case 2: return "(?<=" + recase(generator.element(of: vocabulary), using: &generator) + ")"
        case 3, 4, 5: return "\\s+"
        case 6: return "\\w+"
        case 7 where generator.below(4) == 0: return "(*FAIL)"
        default: return atom(depth: depth, using: &generator) + quantifier(using: &generator)
        }
    }

    private static func atom(depth: Int, using generator: inout SplitMix) -> String {
        switch generator.below(12) {
        case 0: return " "
        case 1: return "[A-Z]"
        case 2:
            let letter = generator.element(of: Array("stvdw"))
            return "[\(letter.uppercased())\(letter)]"
        case 3: return "."
        case 4: return "\\."
        case 5 where depth < 2, 6 where depth < 2:
            let count = 2 + generator.below(2)
            let branches = (0..<count).map { _ in generator.below(10) == 0 ? "" : sequence(depth: depth + 1, using: &generator) }
            return "(?:" + branches.joined(separator: "|") + ")"
        default: return recase(generator.element(of: vocabulary), using: &generator)
        }
    }

    private static func quantifier(using generator: inout SplitMix) -> String {
        let quantifiers = ["?", "*", "+", "+?", "{0,2}", "{1,3}", "{2}"]
        return generator.below(4) == 0 ? generator.element(of: quantifiers) : ""
    }

    /// `word` in lower, upper, title or mixed case.
    private static func recase(_ word: String, using generator: inout SplitMix) -> String {
        switch generator.below(4) {
        case 0: return word
        case 1: return word.uppercased()
        case 2: return word.prefix(1).uppercased() + word.dropFirst()
        default: return String(word.map { generator.below(2) == 0 ? Character($0.uppercased()) : $0 })
        }
    }
}

extension SplitMix {
    /// A number in `0..<bound`.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// One element of `items`, which must not be empty.
    mutating func element<T>(of items: [T]) -> T { items[below(items.count)] }
}
