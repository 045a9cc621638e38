import Testing
@testable import Quarry

@Suite struct RelationExtractorTests {
    @Test func eachEmitsOneFactPerListElement() throws {
        let pack = try PackFixture.standard.load()
        let facts = process("France, Japan and South Korea visited Paris.", with: pack).facts
        #expect(facts.map(\.rule.id) == ["visit.each", "visit.each", "visit.each"])
        #expect(facts.map(summary) == [
            ["visitor": ["France"], "destination": ["Paris"]],
            ["visitor": ["Japan"], "destination": ["Paris"]],
            ["visitor": ["South Korea"], "destination": ["Paris"]],
        ])
        guard case .single(let visitor) = facts[0]["visitor"] else {
            Issue.record("visitor is not a single argument")
            return
        }
        #expect(visitor.mention.range == 0..<6)
    }

    @Test func ownTypeIsPreferredOverStandsFor() throws {
        let pack = try PackFixture.standard.load()
        let facts = process("France visited Tokyo.", with: pack).facts
        guard facts.count == 1, case .single(let destination) = facts[0]["destination"] else {
            Issue.record("expected one visit with a destination, got \(facts.map(summary))")
            return
        }
        #expect(destination.entity.type == "CITY")
        #expect(destination.entity.canonical == "Tokyo")
    }

    @Test func argsConcatenateSlotsIntoARole() throws {
        let pack = try PackFixture.standard.load()
        let facts = process("France held talks with Japan and South Korea.", with: pack).facts
        #expect(facts.map(summary) == [["parties": ["France", "Japan", "South Korea"]]])
        #expect(facts.first?.args.map(\.role) == ["parties"])
    }

    @Test func schemaMinimumDropsFactsWithTooFewDistinctParties() throws {
        let pack = try PackFixture.standard.load()
        #expect(process("France discussed trade.", with: pack).facts.isEmpty)
        #expect(process("France held talks with France.", with: pack).facts.isEmpty)
        // "Korea" and "South Korea" are one entity: one distinct party.
        #expect(process("South Korea held talks with Korea.", with: pack).facts.isEmpty)
        #expect(process("France and Japan discussed trade.", with: pack).facts.map(summary) == [["parties": ["France", "Japan"]]])
    }

    @Test func aMentionStandsForTheCountryWanted() throws {
        let pack = try PackFixture.standard.load()
        let facts = process("Tokyo and Paris discussed trade.", with: pack).facts
        #expect(facts.map(summary) == [["parties": ["Japan", "France"]]])
        guard case .list(let parties)? = facts.first?["parties"] else {
            Issue.record("parties is not a list")
            return
        }
        #expect(parties.map(\.entity.type) == ["COUNTRY", "COUNTRY"])
        #expect(parties.map(\.entity.id) == ["Q17", "Q142"])
        #expect(parties[0].entity.attrs["via_canonical"] == "Tokyo")
        #expect(parties[0].entity.attrs["via_type"] == "CITY")
        #expect(parties.map(\.mention.range) == [0..<5, 10..<15])
    }

    @Test func factsCarryTheirRuleAndSentence() throws {
        let pack = try PackFixture.standard.load()
        let processed = process("Nothing here. France and Japan discussed trade.", with: pack)
        let fact = try #require(processed.facts.first)
        #expect(fact.relation == "talks")
        #expect(fact.sentence.index == 1)
        #expect(processed.text(fact.sentence.range) == "France and Japan discussed trade.")
        #expect(processed.text(fact.matchRange) == "France and Japan discussed trade")
        #expect(fact.rule.id == "talks.discussed")
        #expect(fact.rule.line == 10)
        #expect(fact.rule.file.hasSuffix("/relations/rules.yaml"))
    }
}
