import Testing
@testable import Quarry

@Suite struct DocumentResolverTests {
    static func mention(_ range: Range<Int>, _ type: String, _ canonical: String) -> Mention {
        Mention(range: range, entity: Entity(type: type, canonical: canonical, id: "Q1", attrs: ["country": "JPN"]),
                rule: RuleReference(id: "gazetteer", file: "people.tsv", line: 7), phase: 0, order: 0)
    }

    static func resolve(_ marked: MarkedText, _ mentions: [Mention], types: Set<String> = ["PERSON"]) -> [Mention] {
        marked.bytes.withUnsafeBufferPointer { text in
            DocumentResolver(types: types).resolve(text, mentions: mentions, sentences: [Sentence(index: 0, range: 0..<text.count)])
        }
    }

    @Test func laterShortNameResolvesToTheFullName() {
        let marked = MarkedText("«Fumio Kishida» met them. Later «Kishida» said «Kishida»’s plan stands, not Kishidas.")
        let full = Self.mention(marked.byteRanges[0], "PERSON", "Fumio Kishida")
        let result = Self.resolve(marked, [full])
        #expect(result.map(\.range) == marked.byteRanges)
        #expect(result.map(\.entity) == Array(repeating: full.entity, count: 3))
        #expect(result.dropFirst().map(\.rule.id) == ["resolution.short_name", "resolution.short_name"])
        #expect(result[1].rule.file == "people.tsv")
        #expect(result[1].rule.line == 7)
    }

    @Test func shortNameBeforeTheFullNameStaysUnresolved() {
        let marked = MarkedText("Kishida spoke first. Then «Fumio Kishida» met «Kishida».")
        let full = Self.mention(marked.byteRanges[0], "PERSON", "Fumio Kishida")
        #expect(Self.resolve(marked, [full]).map(\.range) == marked.byteRanges)
    }

    @Test func shortNameNeverReplacesAnExistingMention() {
        let marked = MarkedText("«Fumio Kishida» spoke. «Kishida Corp» rose; «Kishida» smiled.")
        let full = Self.mention(marked.byteRanges[0], "PERSON", "Fumio Kishida")
        let company = Self.mention(marked.byteRanges[1], "ORG", "Kishida Corp")
        let result = Self.resolve(marked, [full, company])
        #expect(result.map(\.range) == marked.byteRanges)
        #expect(result.map(\.entity.canonical) == ["Fumio Kishida", "Kishida Corp", "Fumio Kishida"])
    }

    @Test func onlyTheConfiguredTypesResolve() {
        let marked = MarkedText("«Reciprocal Access Agreement» signed. The Agreement holds.")
        let agreement = Self.mention(marked.byteRanges[0], "AGREEMENT", "Reciprocal Access Agreement")
        #expect(Self.resolve(marked, [agreement]).count == 1)
        #expect(Self.resolve(marked, [agreement], types: []).count == 1)
    }

    @Test func nonASCIIShortNames() {
        let marked = MarkedText("«Sébastien Lecornu» arrived; «Lecornu» left, then «Émile Zoë» and «Zoë».")
        let first = Self.mention(marked.byteRanges[0], "PERSON", "Sébastien Lecornu")
        let second = Self.mention(marked.byteRanges[2], "PERSON", "Émile Zoë")
        let result = Self.resolve(marked, [first, second])
        #expect(result.map(\.range) == marked.byteRanges)
        #expect(result.map(\.entity.canonical) == ["Sébastien Lecornu", "Sébastien Lecornu", "Émile Zoë", "Émile Zoë"])
    }

    @Test func severalNamesEachResolveToTheNearestOfTheirOwnFullNames() {
        // Two people sharing a surname, and a third person: a short name takes the
        // nearest full name before it, or the first after it; a one-word mention a
        // rule tagged takes its full name's entity too.
        let marked = MarkedText(
            "«Ana Silva» and «Lula» met. «Silva» spoke, then «Rui Silva» did; «Silva» left. «Luiz Inácio Lula» waved at «Lula».")
        let ana = Self.mention(marked.byteRanges[0], "PERSON", "Ana Silva")
        let tagged = Self.mention(marked.byteRanges[1], "PERSON", "Lula")
        let rui = Self.mention(marked.byteRanges[3], "PERSON", "Rui Silva")
        let luiz = Self.mention(marked.byteRanges[5], "PERSON", "Luiz Inácio Lula")
        let result = Self.resolve(marked, [ana, tagged, rui, luiz])
        #expect(result.map(\.range) == marked.byteRanges)
        #expect(result.map(\.entity.canonical)
            == ["Ana Silva", "Luiz Inácio Lula", "Ana Silva", "Rui Silva", "Rui Silva", "Luiz Inácio Lula", "Luiz Inácio Lula"])
    }

    @Test func aSentenceOpeningWithAPronounTakesThePersonBefore() {
        let marked = MarkedText("«Ana Silva» spoke. «His» aide and «Ana Silva» agreed. The Hi sign. She left. He stayed. Hers too.")
        // A sentence ends after each ". ".
        var sentences: [Range<Int>] = []
        var start = 0
        let bytes = marked.bytes
        for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: ".") && bytes[index + 1] == 0x20 {
            sentences.append(start..<(index + 1))
            start = index + 2
        }
        sentences.append(start..<bytes.count)
        #expect(sentences.count == 6)
        let first = Self.mention(marked.byteRanges[0], "PERSON", "Ana Silva")
        let again = Self.mention(marked.byteRanges[2], "PERSON", "Ana Silva")
        let result = bytes.withUnsafeBufferPointer { text in
            DocumentResolver(types: [], pronouns: ["PERSON": ["He", "His", "She"]])
                .resolve(text, mentions: [first, again], sentences: sentences.enumerated().map { Sentence(index: $0.offset, range: $0.element) })
        }
        // "His" opens a sentence after one naming Ana Silva; "She" and "He" follow
        // sentences that name nobody, and "Hers" is no pronoun of the list.
        #expect(result.map(\.range) == marked.byteRanges)
        #expect(result[1].rule.id == "resolution.pronoun")
        #expect(result[1].entity.canonical == "Ana Silva")
    }

    @Test func throughThePipelineWithAPack() throws {
        let pack = try PackFixture.standard.load()
        let processed = process("Prime Minister Fumio Kishida met France. Kishida said Japan agreed.", with: pack)
        let people = processed.mentions.filter { $0.entity.type == "PERSON" }
        #expect(people.map { processed.text($0.range) } == ["Fumio Kishida", "Kishida"])
        #expect(people.map(\.entity.canonical) == ["Fumio Kishida", "Fumio Kishida"])
        #expect(people.last?.entity.attrs == ["title": "Prime Minister"])
    }
}
