import Testing
@testable import Quarry

/// Types for hand-built token strings: PLACE > COUNTRY, CITY; PERSON.
let testTypes = TypeHierarchy(parents: ["PLACE": String?.none, "COUNTRY": "PLACE", "CITY": "PLACE", "PERSON": String?.none])
let testCodec = TokenCodec(types: testTypes)

/// The token string of a marked sentence whose marked spans are mentions of `types`.
func tokens(_ marked: MarkedText, _ types: [String]) -> TokenString {
    let mentions = zip(marked.byteRanges, types).enumerated().map { index, item in
        Mention(range: item.0, entity: Entity(type: item.1, canonical: marked.span(index)),
                rule: RuleReference(id: "test", file: "f", line: 1), phase: 0, order: index)
    }
    return marked.bytes.withUnsafeBufferPointer { text in
        TokenString(text: text, range: 0..<text.count, mentions: mentions, codec: testCodec)
    }
}

/// For the first match of `source` in the token string: each slot's bound mention names.
func bindings(_ source: String, _ marked: MarkedText, _ types: [String], macros: [String: String] = [:]) throws -> [String: [String]]? {
    let pattern = try RulePattern(source, macros: macros, codec: testCodec, caseless: true)
    let string = tokens(marked, types)
    let found = try string.bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
        try MatchScratch().firstMatch(of: pattern.pattern, in: buffer, from: 0)
    }
    guard let found else { return nil }
    var result: [String: [String]] = [:]
    for slot in pattern.slots {
        guard let range = slot.groups.lazy.compactMap({ found[$0] }).first else { continue }
        result[slot.name] = string.mentions(in: range).map(\.entity.canonical)
    }
    return result
}

func problem(_ source: String, macros: [String: String] = [:]) -> RulePattern.Problem? {
    do {
        _ = try RulePattern(source, macros: macros, codec: testCodec, caseless: true)
        return nil
    } catch {
        return error
    }
}

@Suite struct RulePatternTests {
    @Test func spaceMatchesAnyWhiteSpaceRun() throws {
        let marked = MarkedText("«France»  agreed\nwith\t «Japan»")
        #expect(try bindings("{COUNTRY:a} agreed with {COUNTRY:b}", marked, ["COUNTRY", "COUNTRY"]) == ["a": ["France"], "b": ["Japan"]])
        #expect(try bindings("{COUNTRY:a} agreedwith {COUNTRY:b}", marked, ["COUNTRY", "COUNTRY"]) == nil)
    }

    @Test(arguments: [
        ("«A» and «B» met", ["A", "B"]),
        ("«A», «B», and «C» met", ["A", "B", "C"]),
        ("«A», «B» and the «C» met", ["A", "B", "C"]),
        ("both «A» and «B» met", ["A", "B"]),
        ("«A» & «B» met", ["A", "B"]),
        ("«A» met", ["A"]),
    ])
    func listPlaceholderBindsCoordinatedLists(text: String, names: [String]) throws {
        let marked = MarkedText(text)
        let found = try bindings("{COUNTRY+:parties} met", marked, Array(repeating: "COUNTRY", count: names.count))
        #expect(found == ["parties": names])
    }

    @Test func aCaselessPatternFoldsTheWordsAroundAndInsideItsTokens() throws {
        // A caseless pattern's tokens are compiled case-sensitive in a group of their
        // own; the list's own words ("both", "the", "and") and the rule's still fold.
        let marked = MarkedText("BOTH «A», THE «B» AND «C» Met")
        #expect(try bindings("{COUNTRY+:who} met", marked, ["COUNTRY", "COUNTRY", "COUNTRY"]) == ["who": ["A", "B", "C"]])
    }

    @Test func aCaseSensitivePatternKeepsItsCase() throws {
        let pattern = try RulePattern("{COUNTRY:a} met", macros: [:], codec: testCodec, caseless: false)
        for (text, matches) in [("«A» met", true), ("«A» Met", false)] {
            let string = tokens(MarkedText(text), ["COUNTRY"])
            let found = try string.bytes.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
                try MatchScratch().firstMatch(of: pattern.pattern, in: buffer, from: 0)
            }
            #expect((found != nil) == matches, "\(text)")
        }
    }

    @Test func listStopsAtAMentionOfAnotherType() throws {
        let marked = MarkedText("«Lecornu» and «France» met")
        #expect(try bindings("{COUNTRY+:parties} met", marked, ["PERSON", "COUNTRY"]) == ["parties": ["France"]])
    }

    @Test func subtypesAndStandsForMatchTheirParentPlaceholder() throws {
        let marked = MarkedText("«Tokyo» and «France» met")
        #expect(try bindings("{PLACE+:places} met", marked, ["CITY", "COUNTRY"]) == ["places": ["Tokyo", "France"]])
        #expect(try bindings("{COUNTRY+:places} met", marked, ["CITY", "COUNTRY"]) == ["places": ["France"]])
    }

    @Test func gapAllowsAtMostNWords() throws {
        let pattern = "{COUNTRY:a} {gap:2}met {COUNTRY:b}"
        let types = ["COUNTRY", "COUNTRY"]
        #expect(try bindings(pattern, MarkedText("«France» met «Japan»"), types) == ["a": ["France"], "b": ["Japan"]])
        #expect(try bindings(pattern, MarkedText("«France» officially met «Japan»"), types) == ["a": ["France"], "b": ["Japan"]])
        #expect(try bindings(pattern, MarkedText("«France» very officially met «Japan»"), types) == ["a": ["France"], "b": ["Japan"]])
        #expect(try bindings(pattern, MarkedText("«France» very very officially met «Japan»"), types) == nil)
    }

    @Test func gapDoesNotSkipAMention() throws {
        let marked = MarkedText("«France» and «Japan» met «Korea»")
        #expect(try bindings("{COUNTRY:a} {gap:2}met {COUNTRY:b}", marked, ["COUNTRY", "COUNTRY", "COUNTRY"]) == ["a": ["Japan"], "b": ["Korea"]])
    }

    @Test func macrosExpandAndAreRecorded() throws {
        let marked = MarkedText("«France» held discussions with «Japan»")
        let macros = ["talks": "(?:talks|discussions)", "unused": "x"]
        #expect(try bindings("{COUNTRY:a} held {talks} with {COUNTRY:b}", marked, ["COUNTRY", "COUNTRY"], macros: macros) == ["a": ["France"], "b": ["Japan"]])
        let pattern = try RulePattern("{COUNTRY:a} {talks}", macros: macros, codec: testCodec, caseless: true)
        #expect(pattern.usedMacros == ["talks"])
        #expect(pattern.mentionedTypes == ["COUNTRY"])
    }

    @Test func quantifiersAndNamedGroupsStayPCRE2() throws {
        let pattern = try RulePattern("(?<word>a{2,3}) {COUNTRY:x}", macros: [:], codec: testCodec, caseless: true)
        #expect(pattern.userGroups.keys.sorted() == ["word"])
        #expect(pattern.slots.map(\.name) == ["x"])
        #expect(try bindings("(?<word>a{2,3}) {COUNTRY:x}", MarkedText("aaa «France»"), ["COUNTRY"]) == ["x": ["France"]])
    }

    @Test func unknownType() {
        #expect(problem("x {COUNTRI:a} met") == .init(message: "unknown type 'COUNTRI' in placeholder '{COUNTRI:a}'", offset: 2))
    }

    @Test func unknownMacro() {
        #expect(problem("{COUNTRY:a} {talkz}") == .init(message: "unknown macro '{talkz}'", offset: 12))
    }

    @Test func invalidSlotName() {
        #expect(problem("{COUNTRY:1a} met") == .init(message: "invalid slot name '1a' in '{COUNTRY:1a}': letters, digits and _ only", offset: 0))
    }

    @Test func invalidGap() {
        #expect(problem("{COUNTRY:a} {gap:3-1}") == .init(message: "invalid gap '{gap:3-1}': write {gap}, {gap:N} or {gap:M-N}", offset: 12))
    }

    @Test func selfReferentialMacro() {
        #expect(problem("{COUNTRY:a} {loop}", macros: ["loop": "x{loop}"]) == .init(message: "macro '{loop}' refers to itself", offset: 12))
    }

    @Test func pcre2ErrorOffsetMapsBackToTheSource() throws {
        // [z-a] alone fails at its "a" (offset 3); in the rule it is 12 characters in.
        #expect(problem("{COUNTRY:a} [z-a]") == .init(message: "range out of order in character class", offset: 15))
        // The placeholder before it expands to many bytes, and "é" is one character.
        #expect(problem("{COUNTRY:a} é [z-a]") == .init(message: "range out of order in character class", offset: 17))
        // A space expands to \s+; offsets still count source characters.
        #expect(problem("{COUNTRY:a} a b c [z-a]") == .init(message: "range out of order in character class", offset: 21))
    }

    @Test func pcre2ErrorInsideAMacroPointsAtItsUse() {
        #expect(problem("{COUNTRY:a} {bad}", macros: ["bad": "[z-a]"]) == .init(message: "range out of order in character class", offset: 12))
    }

    @Test func pcre2ErrorAtTheEndMapsToTheEndOfTheSource() throws {
        // PCRE2 reports a missing ) at the end of the pattern (offset 5 for "(with").
        let source = "{COUNTRY:a} (with"
        #expect(problem(source) == .init(message: "missing closing parenthesis", offset: source.unicodeScalars.count))
    }

    @Test func requiredTypesSkipOptionalPlaceholders() throws {
        let macros: [String: String] = [:]
        let pattern = try RulePattern("{COUNTRY:a} met {PERSON:b}(?: in {CITY:c})?", macros: macros, codec: testCodec, caseless: true)
        #expect(pattern.requiredTypes == [["COUNTRY"], ["PERSON"]])
        #expect(pattern.mentionedTypes == ["COUNTRY", "PERSON", "CITY"])
    }
}
