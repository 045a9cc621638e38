import Testing
@testable import Quarry

/// Every match of `source` in `text`, as byte ranges.
func allMatches(_ source: String, in text: String, options: Pattern.Options = []) throws -> [Range<Int>] {
    let pattern = try Pattern(source, options: options)
    let scratch = MatchScratch()
    var ranges: [Range<Int>] = []
    let bytes = Array(text.utf8)
    try bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
        try scratch.forEachMatch(of: pattern, in: buffer) { match in
            ranges.append(match.range)
            return ranges.count < 10_000
        }
    }
    return ranges
}

@Suite struct PatternTests {
    @Test func compileErrorCarriesMessageAndOffset() {
        #expect(throws: PCRE2Error.compile(code: 114, message: "missing closing parenthesis", offset: 3)) {
            try Pattern("(ab")
        }
    }

    @Test func compileErrorOffsetCountsBytes() throws {
        // "é" is two bytes: the unmatched ")" is at byte 2, not character 1.
        do {
            _ = try Pattern("é)")
            Issue.record("a pattern with an unmatched ) compiled")
        } catch {
            guard case .compile(_, let message, let offset) = error else {
                Issue.record("expected a compile error, got \(error)")
                return
            }
            #expect(message == "unmatched closing parenthesis")
            #expect(offset == 2)
        }
    }

    @Test func rangeOutOfOrderPointsAtTheRangeEnd() {
        do {
            _ = try Pattern("ab[z-a]")
            Issue.record("[z-a] compiled")
        } catch {
            #expect(error.message == "range out of order in character class")
            guard case .compile(_, _, let offset) = error else { return }
            #expect(offset == 5)  // the "a" of "z-a"
        }
    }

    @Test func namedGroups() throws {
        let pattern = try Pattern("(?<country>\\p{Lu}\\w+) and (?<other>\\w+)(x)?")
        #expect(pattern.captureCount == 3)
        #expect(pattern.groupNumber(named: "country") == 1)
        #expect(pattern.groupNumber(named: "other") == 2)
        #expect(pattern.groupNumber(named: "missing") == nil)
        #expect(pattern.groupNames.map(\.name) == ["country", "other"])
        #expect(pattern.groupNames.map(\.number) == [1, 2])
    }

    @Test func groupRangesOfAMatch() throws {
        let marked = MarkedText("Talks: «Sébastien» and «Zoë» met")
        let pattern = try Pattern("(?<first>\\p{Lu}\\w+) and (?<second>\\w+)(unused)?")
        let groups = try marked.bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try MatchScratch().firstMatch(of: pattern, in: buffer, from: 0)
        }
        let found = try #require(groups)
        #expect(found.count == 4)
        #expect(found[1] == marked.byteRanges[0])
        #expect(found[2] == marked.byteRanges[1])
        #expect(found[3] == nil)
    }

    @Test func iteratesEveryMatch() throws {
        let marked = MarkedText("«France» and «Japan», then «Korea».")
        #expect(try allMatches("\\p{Lu}\\w+", in: marked.text) == marked.byteRanges)
    }

    @Test func startOffsetSkipsEarlierMatches() throws {
        let text = "aa bb aa"
        let pattern = try Pattern("aa")
        let found = try Array(text.utf8).withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try MatchScratch().firstMatch(of: pattern, in: buffer, from: 1)
        }
        #expect(found?.first == 6..<8)
    }

    @Test func bodyReturningFalseStops() throws {
        let pattern = try Pattern("a")
        var count = 0
        try Array("aaaa".utf8).withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try MatchScratch().forEachMatch(of: pattern, in: buffer) { _ in
                count += 1
                return count < 2
            }
        }
        #expect(count == 2)
    }

    @Test func emptyMatchesAdvanceAndTerminate() throws {
        // Same as Python's re.finditer("x*", "axxb"): (0,0) (1,3) (3,3) (4,4).
        #expect(try allMatches("x*", in: "axxb") == [0..<0, 1..<3, 3..<3, 4..<4])
        #expect(try allMatches("x*", in: "") == [0..<0])
    }

    @Test func emptyMatchesAdvanceByWholeCharacters() throws {
        // After an empty match at 0 the next try is at the next character (byte 2),
        // never inside "é".
        #expect(try allMatches("x*", in: "é") == [0..<0, 2..<2])
        #expect(try allMatches("x*", in: "😀x") == [0..<0, 4..<5, 5..<5])
    }

    @Test func wordBoundariesAndLookahead() throws {
        #expect(try allMatches("\\b", in: "ab cd") == [0..<0, 2..<2, 3..<3, 5..<5])
        #expect(try allMatches("(?=a)", in: "aaa") == [0..<0, 1..<1, 2..<2])
        #expect(try allMatches("(?=é)", in: "éé") == [0..<0, 2..<2])
    }

    @Test func unicodePropertiesAndCaselessMatchNonASCII() throws {
        let marked = MarkedText("«Sébastien» «LECORNU» «東京»")
        #expect(try allMatches("\\w+", in: marked.text) == marked.byteRanges)
        #expect(try allMatches("sébastien", in: "SÉBASTIEN", options: .caseless) == [0..<10])
        #expect(try allMatches("sébastien", in: "SÉBASTIEN") == [])
    }

    @Test func nonASCIIMatchesMapToStringSlicesAndScalarOffsets() throws {
        let marked = MarkedText(
            "Le ministre «Sébastien» a dit “«bonjour»” à «東京» 🇫🇷👍🏽 puis «Zoë» «😀».")
        let found = try allMatches("Sébastien|bonjour|東京|Zoë|😀", in: marked.text)
        #expect(found == marked.byteRanges)
        let bytes = marked.bytes
        bytes.withUnsafeBufferPointer { text in
            let index = ScalarIndex(text)
            for (position, range) in found.enumerated() {
                let scalars = index.scalarOffset(range.lowerBound, in: text)..<index.scalarOffset(range.upperBound, in: text)
                #expect(scalars == marked.scalarRanges[position])
                #expect(slice(marked.text, scalars: scalars) == marked.span(position))
                #expect(slice(marked.text, bytes: range) == ["Sébastien", "bonjour", "東京", "Zoë", "😀"][position])
            }
        }
    }

    @Test func matchesEmptyTellsEmptyPatternsApart() throws {
        let scratch = MatchScratch()
        #expect(try Pattern("x*").matchesEmpty(scratch: scratch))
        #expect(try Pattern("(?:a|)").matchesEmpty(scratch: scratch))
        #expect(try !Pattern("x+").matchesEmpty(scratch: scratch))
    }
}
