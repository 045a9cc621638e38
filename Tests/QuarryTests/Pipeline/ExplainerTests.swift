import Testing
@testable import Quarry

@Suite struct ExplainerTests {
    @Test func showsTokenStringAndMatchedRules() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let text = "France and Japan agreed to start talks on a reciprocal access agreement."
        let report = Explainer(pack: pack).explain(Document(name: "<text>", text: text))
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.first == "sentence 0 [0..<72]: " + text)
        #expect(lines.contains { $0.hasPrefix("  tokens: ⟨COUNTRY France⟩ and ⟨COUNTRY Japan⟩ agreed to start talks on a ⟨AGREEMENT") })
        #expect(lines.contains { $0.contains("MATCHED agreement.negotiation") && $0.contains("parties=[France, Japan]") })
        #expect(lines.contains { $0.contains("[0..<6] COUNTRY \"France\" -> France") })
    }

    @Test func fixturePackExplainsStandsForAndMisses() throws {
        let pack = try PackFixture.standard.load()
        let text = "Tokyo and Paris discussed trade. France smiled. Trade was discussed in France."
        let report = Explainer(pack: pack).explain(Document(name: "<text>", text: text))
        let sentences = report.components(separatedBy: "\n\n")
        #expect(sentences.count == 3)
        #expect(sentences[0].contains("tokens: ⟨CITY/COUNTRY Tokyo⟩ and ⟨CITY/COUNTRY Paris⟩ discussed trade."))
        #expect(sentences[0].contains("talks.discussed: MATCHED talks parties=[Japan, France]"))
        #expect(sentences[1].hasPrefix("sentence 1 [33..<47]: France smiled."))
        #expect(sentences[1].contains("talks.discussed: not run: the sentence holds none of the words it needs (discussed)"))
        #expect(sentences[2].contains("talks.discussed: no match"))
    }
}
