import Testing
@testable import Quarry

@Suite struct EntityTaggerTests {
    /// The mentions of `text`, tagged as one sentence.
    static func tag(_ text: String, pack: RulePack) -> [Mention] {
        let scratch = MatchScratch(maxGroups: max(pack.maxGroups, 1))
        return Array(text.utf8).withUnsafeBufferPointer { buffer in
            EntityTagger(pack: pack).tag(buffer, sentences: [Sentence(index: 0, range: 0..<buffer.count)], scratch: scratch) { rule, _, error in
                Issue.record("rule \(rule) gave up: \(error)")
            }
        }
    }

    @Test func gazetteersThenAPhaseTwoRuleWithTitleAndGroup() throws {
        let pack = try PackFixture.standard.load()
        let marked = MarkedText("«Prime Minister» «Fumio Kishida» met «France»’s «Defense Minister» «Sébastien Lecornu» in «Tokyo».")
        let mentions = Self.tag(marked.text, pack: pack)
        #expect(mentions.map(\.range) == marked.byteRanges)
        #expect(mentions.map(\.entity.type) == ["TITLE", "PERSON", "COUNTRY", "TITLE", "PERSON", "CITY"])
        #expect(mentions.map(\.entity.canonical) == marked.spans)
        #expect(mentions[1].entity.attrs == ["title": "Prime Minister"])
        #expect(mentions[4].entity.attrs == ["title": "Defense Minister"])
        #expect(mentions[1].rule.id == "person.after-title")
        #expect(mentions[1].phase == 1)
        #expect(mentions[2].entity.id == "Q142")
        #expect(mentions[2].entity.attrs == ["iso3": "FRA"])
        #expect(mentions[2].rule.id == "gazetteer")
        #expect(mentions[2].rule.line == 2)
        #expect(mentions[5].standsFor == Entity(type: "COUNTRY", canonical: "Japan", id: "Q17", attrs: ["iso3": "JPN"]))
    }

    @Test func phaseTwoRuleNeedsThePhaseOneMention() throws {
        let pack = try PackFixture.standard.load()
        // No TITLE before the name: the person rule cannot match.
        let mentions = Self.tag("Minister Fumio Kishida met them.", pack: pack)
        #expect(mentions.isEmpty)
    }

    @Test func longestGazetteerNameWinsTheOverlap() throws {
        let pack = try PackFixture.standard.load()
        let marked = MarkedText("«South Korea» and «Korea»")
        let mentions = Self.tag(marked.text, pack: pack)
        #expect(mentions.map(\.range) == marked.byteRanges)
        #expect(mentions.map(\.entity.canonical) == ["South Korea", "South Korea"])
    }

    @Test func mentionsDoNotCrossSentences() throws {
        let pack = try PackFixture.standard.load()
        let text = "Defense Minister. Sébastien Lecornu"
        let scratch = MatchScratch(maxGroups: pack.maxGroups)
        let mentions = Array(text.utf8).withUnsafeBufferPointer { buffer in
            EntityTagger(pack: pack).tag(buffer, sentences: [Sentence(index: 0, range: 0..<17), Sentence(index: 1, range: 18..<buffer.count)],
                                         scratch: scratch) { _, _, _ in }
        }
        #expect(mentions.map(\.entity.type) == ["TITLE"])
    }

    @Test func gazetteerNamesAcrossOrBetweenSentencesAreDropped() throws {
        let pack = try PackFixture.standard.load()
        // "Defense Minister" crosses from the first sentence into the second; the
        // last "Japan" lies after the last sentence.
        let text = "Defense Minister met Japan. Japan"
        let sentences = [Sentence(index: 0, range: 0..<7), Sentence(index: 1, range: 8..<27)]
        let mentions = Array(text.utf8).withUnsafeBufferPointer { buffer in
            EntityTagger(pack: pack).tag(buffer, sentences: sentences, scratch: MatchScratch(maxGroups: pack.maxGroups)) { _, _, _ in }
        }
        #expect(mentions.contains { $0.range == 21..<26 && $0.entity.canonical == "Japan" })
        #expect(!mentions.contains { $0.range == 0..<16 })
        #expect(!mentions.contains { $0.range.lowerBound >= 27 })
        for mention in mentions {
            #expect(sentences.contains { $0.range.lowerBound <= mention.range.lowerBound && mention.range.upperBound <= $0.range.upperBound })
        }
    }
}
