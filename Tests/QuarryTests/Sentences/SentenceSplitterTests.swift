import Foundation
import Testing

@testable import Quarry

/// The default rule pack, read from `rules/sentences/` of the repository holding this file.
private let packRules: SentenceRules = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("rules/sentences")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    let files = names.compactMap { name -> (path: String, text: String)? in
        guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
            return nil
        }
        return ("rules/sentences/" + name, text)
    }
    return SentenceRules.parse(files: files).0
}()

/// Checks that splitting the text of `marked` gives exactly the sentences it marks.
///
/// Each expected sentence is written between `⟦` and `⟧`; the marks are removed from
/// the text and their UTF-8 offsets become the expected ranges, so a fixture reads as
/// the document it stands for.
private func expectSentences(
    _ marked: String, rules: SentenceRules = packRules, sourceLocation: SourceLocation = #_sourceLocation
) {
    var text: [UInt8] = []
    var expected: [Range<Int>] = []
    var open = 0
    for scalar in marked.unicodeScalars {
        switch scalar {
        case "⟦": open = text.count
        case "⟧": expected.append(open..<text.count)
        default: text.append(contentsOf: String(scalar).utf8)
        }
    }
    let actual = SentenceSplitter(rules: rules).split(text)
    let show = { (ranges: [Range<Int>]) in ranges.map { String(decoding: text[$0], as: UTF8.self) } }
    #expect(show(actual) == show(expected), sourceLocation: sourceLocation)
    #expect(actual == expected, sourceLocation: sourceLocation)
}

@Suite struct SentenceSplitterTests {
    @Test func splitsAtFinalPunctuation() {
        expectSentences("⟦Oil prices rose.⟧ ⟦Did gold follow?⟧ ⟦Not at all!⟧")
        expectSentences("⟦Markets closed higher.⟧⟦Traders cheered.⟧")
    }

    @Test func keepsDatelineWithLeadSentence() {
        expectSentences("⟦PARIS, May 2 (Reuters) - France said it would sign the pact.⟧ ⟦Talks start soon.⟧")
        expectSentences("⟦WASHINGTON, Feb. 26 - The Senate voted 60-40 on the bill.⟧ ⟦Debate was short.⟧")
    }

    @Test func endsHeadlineAtBlankLine() {
        expectSentences("⟦Ministers Meet in Rome to Discuss Grain Tariffs⟧\n\n⟦The ministers met on Friday.⟧")
    }

    @Test func endsCapitalisedHeadlineAtLineBreak() {
        expectSentences("⟦GRAIN PRICES RISE ON DROUGHT FEARS⟧\n⟦Wheat prices rose sharply on Monday.⟧")
    }

    @Test func endsLinesWithoutLettersAtLineBreak() {
        expectSentences("⟦Leaders Agree on Grain Deal⟧\n\n⟦14⟧\n⟦3⟧\n⟦Leaders Agree on Grain Deal⟧\n\n⟦The deal was signed.⟧")
        expectSentences("⟦Shares rose.⟧\n⟦----⟧\n⟦Bonds fell.⟧")
    }
    @Test func endsBylineBeforeDateline() {
        expectSentences(
            "⟦TRADE TALKS STALL⟧\n⟦By Maria Lopez⟧\n⟦GENEVA, March 3 (Reuters) - Trade talks stalled on Monday.⟧")
    }

    @Test func joinsLinesOfWrappedParagraph() {
        expectSentences(
            """
            ⟦The central bank said it would cut its discount rate by half a
            point next week, and the finance ministry welcomed the decision.⟧
                ⟦Analysts had expected the move for some time, dealers said.⟧
            """)
        expectSentences(
            "⟦Standard Widget Co and North American Holdings\nInc said they agreed to merge.⟧")
    }

    @Test func endsIndentedTableLines() {
        expectSentences("⟦Shr 1.20 dlrs vs 1.10 dlrs⟧\n    ⟦Net 5.0 mln vs 4.0 mln⟧\n    ⟦Revs 80 mln⟧")
    }

    @Test func endsEachLineOfShortList() {
        expectSentences("⟦wheat⟧\n⟦maize and barley⟧\n⟦soybeans, rapeseed⟧\n")
    }

    /// Only the text's last line may be long in a list of lines: a paragraph's last
    /// line, before a blank line, makes it prose.
    @Test func readsListParagraphToItsEnd() {
        expectSentences("⟦wheat⟧\n⟦maize⟧\n⟦soybeans and a very long line of text past forty bytes⟧")
        expectSentences("⟦wheat\nmaize\nsoybeans and a very long line of text past forty bytes⟧\n\n⟦Next one.⟧")
    }

    /// What follows a line break is read no further than the paragraph's end: the
    /// space after a bullet, the line after a headline, the white space after a period.
    @Test func looksAheadNoFurtherThanParagraphEnd() {
        expectSentences("⟦This line is long enough to be wrapped prose text\n-⟧\n\n⟦Next part⟧")
        expectSentences("⟦This line is long enough to be wrapped prose text\n-⟧\n  ⟦indented⟧")
        expectSentences("⟦This line is long enough to be wrapped prose text⟧\n⟦-⟧ \n  ⟦indented⟧")
        expectSentences("⟦TRADE TALKS STALL\n\u{00A0}\nministers met\nin Geneva.⟧")
        expectSentences("⟦TRADE TALKS STALL⟧\n\u{00A0}\n\n⟦ministers met.⟧")
        expectSentences("⟦GRAIN PRICES RISE⟧\n\u{00A0}\n⟦ROME, May 2 - Wheat rose.⟧")
        expectSentences("⟦It was done at 5 p.m.⟧\n \n⟦The next day.⟧")
        expectSentences("⟦It was done.⟧\n\t⟦Next one here.⟧")
        expectSentences("⟦He said...⟧\n    ⟦The next paragraph.⟧")
        expectSentences("⟦First line of text⟧\r\n  ⟦Second paragraph here.⟧\r\n")
        expectSentences("⟦Ends with indentation.⟧\n  ")
    }

    @Test func splitsNumberedLists() {
        expectSentences("⟦1. Prices rose⟧\n⟦2. Demand fell⟧\n⟦3. Stocks are low⟧")
        expectSentences("⟦The plan:⟧ ⟦1) cut rates⟧ ⟦2) raise taxes⟧ ⟦3) sell assets⟧")
        expectSentences("⟦a. first option⟧ ⟦b. second option⟧")
        expectSentences("⟦The plan has two parts:⟧\n⟦- a tax cut for families with children, paid monthly⟧")
    }

    @Test func keepsQuoteWithItsSentence() {
        expectSentences("⟦\"We will not give in,\" he said.⟧ ⟦The talks resume on Monday.⟧")
        expectSentences("⟦\"The deal is done.\" the minister said.⟧")
        expectSentences("⟦He said: \"The deal is done.\"⟧ ⟦Markets rose.⟧")
        expectSentences("⟦She called it 'a good result.'⟧ ⟦Others disagreed.⟧")
    }

    @Test func keepsClosingBracketWithSentence() {
        expectSentences("⟦Oil rose.⟧ ⟦(Brent gained a dollar.)⟧ ⟦Gold fell.⟧")
        expectSentences("⟦Exports fell (the third drop this year.) in March.⟧")
    }

    @Test func endsAtAbbreviationBeforeStarter() {
        expectSentences("⟦The company is based in the U.S.⟧ ⟦Its shares fell.⟧")
        expectSentences("⟦He sold his stake to Acme Holdings Inc.⟧ ⟦The price was not disclosed.⟧")
        expectSentences("⟦Trading halted at 10 a.m.⟧ ⟦The exchange reopened at noon.⟧")
    }

    @Test func keepsAbbreviationInsideSentence() {
        expectSentences("⟦The U.S. Treasury sold bonds to Acme Inc. on Monday.⟧")
        expectSentences("⟦By 9 p.m. Ms. Grant had left the building.⟧")
        expectSentences("⟦Gen. Ortiz and Sen. Blake met Gov. Lee at St. Mary's.⟧")
        expectSentences("⟦The ship is No. 5 in the fleet, see p. 12.⟧")
        expectSentences("⟦Talks end on Sept. 30 and resume on Oct. 4.⟧")
    }

    @Test func keepsNumbersAndDecimals() {
        expectSentences("⟦Inflation rose 3.5 pct in May.⟧ ⟦Wages rose 2.1 pct.⟧")
        expectSentences("⟦The index closed at 1,234.56 points.⟧ ⟦It rose 0.5.⟧")
    }

    @Test func keepsInitialsWithName() {
        expectSentences("⟦Officials met Ana M. Ruiz and J. R. Ewing on Monday.⟧")
        expectSentences("⟦The winner was Plan B.⟧ ⟦The loser was Plan C.⟧")
    }

    @Test func handlesEllipses() {
        expectSentences("⟦He paused ... and went on.⟧ ⟦Then he left.⟧")
        expectSentences("⟦Nobody knew....⟧ ⟦The vote was delayed.⟧")
        expectSentences("⟦It was a start…⟧ ⟦The rest came later.⟧")
        expectSentences("⟦It was a start… and more came later.⟧")
        expectSentences("⟦The text says \"peace [...] is near.\"⟧")
    }

    @Test func keepsAddresses() {
        expectSentences("⟦Write to press.office@example.org.⟧ ⟦We answer daily.⟧")
        expectSentences("⟦See www.example.com/News.html for details.⟧")
    }

    @Test func handlesLoneCarriageReturns() {
        expectSentences("⟦TRADE TALKS STALL⟧\r\r⟦Ministers left Geneva.⟧\r⟦Talks resume in May.⟧")
    }
    @Test func handlesCRLF() {
        expectSentences("⟦First line here.⟧\r\n⟦Second line here.⟧\r\n\r\n⟦Another paragraph⟧\r\n")
        expectSentences("⟦A wrapped sentence goes on for a while and then it\r\ncontinues on the next line.⟧\r\n")
    }

    @Test func givesRangesAtCharacterBoundaries() {
        expectSentences("⟦Le président a dit « non ».⟧ ⟦Élodie est partie à Zürich.⟧")
        expectSentences("⟦“We agree,” said José Müller.⟧ ⟦“Talks end.”⟧ ⟦Ölpreise fielen.⟧")
        expectSentences("⟦東京は晴れ。⟧⟦大阪は雨です！⟧⟦本当？⟧")
        expectSentences("⟦Great news 🎉!⟧ ⟦Prices fell 😀.⟧ ⟦Done 👍🏽⟧")
        expectSentences("\u{00A0}⟦Done.⟧\u{00A0}\u{3000}⟦Next one.⟧\u{2009}")
        let text = Array("Café. Thé.".utf8)
        #expect(SentenceSplitter(rules: packRules).split(text) == [0..<6, 7..<12])
    }

    @Test func returnsNothingForBlankText() {
        let splitter = SentenceSplitter(rules: packRules)
        #expect(splitter.split([UInt8]()).isEmpty)
        #expect(splitter.split(Array(" \n\r\n\t\u{00A0} ".utf8)).isEmpty)
    }

    @Test func handlesLongTextWithoutBreaks() {
        let splitter = SentenceSplitter(rules: packRules)
        let words = [UInt8](repeating: 0x61, count: 2_000_000)
        #expect(splitter.split(words) == [0..<2_000_000])
        let abbreviations = Array(String(repeating: "the U.S. Senate ", count: 100_000).utf8)
        #expect(splitter.split(abbreviations).count == 1)
    }

    @Test func learnsAbbreviationsFromRuleFiles() {
        expectSentences("⟦Shares of Cie.⟧ ⟦Generale rose.⟧", rules: .empty)
        let (rules, problems) = SentenceRules.parse(files: [("rules/sentences/extra.txt", "[title]\nCie.  # company\n")])
        #expect(problems.isEmpty)
        expectSentences("⟦Shares of Cie. Generale rose.⟧", rules: rules)
    }

    @Test func ruleFilesWithCRLFLineEnds() {
        // Saved on Windows: every line ends "\r\n", which is one character.
        let text = "# titles\r\n[title]\r\nCie.  # company\r\n[ starter ]\r\nGenerale\r\n\r\n[title]\r\nDr\r\n"
        let (rules, problems) = SentenceRules.parse(files: [("rules/sentences/windows.txt", text)])
        #expect(problems.map(\.headline) == ["rules/sentences/windows.txt:8:2: error: title \"Dr\" must end with \".\""])
        #expect(rules.flags(for: "Cie.") == SentenceRules.Kind.title.flag)
        #expect(rules.flags(for: "Generale") == SentenceRules.Kind.starter.flag)
        expectSentences("⟦Shares of Cie. Generale rose.⟧", rules: rules)
    }

    @Test func reportsMalformedRuleLines() {
        let text = """
            # a comment
            Mr.
            [titel]
            [title]
            Dr
            Mr. Smith
            [starter
            [starter]
            The.
            The
            The
            """
        let (rules, problems) = SentenceRules.parse(files: [("rules/sentences/bad.txt", text)])
        #expect(
            problems.map(\.headline) == [
                "rules/sentences/bad.txt:2:1: error: entry \"Mr.\" comes before any [kind] header",
                "rules/sentences/bad.txt:3:2: error: unknown kind \"titel\"; expected one of title, abbreviation, month, number, starter, preposition, minor",
                "rules/sentences/bad.txt:5:2: error: title \"Dr\" must end with \".\"",
                "rules/sentences/bad.txt:6:4: error: entry \"Mr. Smith\" contains white space; write one entry a line",
                "rules/sentences/bad.txt:7:1: error: section header \"[starter\" has no closing \"]\"",
                "rules/sentences/bad.txt:9:4: error: starter \"The.\" is a word and must not contain \".\"",
                "rules/sentences/bad.txt:11:1: warning: duplicate starter \"The\" (first listed at rules/sentences/bad.txt:10)",
            ])
        #expect(problems[3].description.hasSuffix("Mr. Smith\n   ^"))
        #expect(rules.flags(for: "The") != 0)
    }

    @Test func defaultPackHasNoProblems() {
        #expect(packRules.flags(for: "Mr.") == SentenceRules.Kind.title.flag)
        #expect(packRules.flags(for: "co.") == SentenceRules.Kind.abbreviation.flag)
        #expect(packRules.flags(for: "mr.") == 0)
    }
}

extension SentenceRules {
    fileprivate func flags(for word: String) -> UInt8 {
        let bytes = Array(word.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { flags($0, count: buffer.count) } ?? 0
        }
    }
}
