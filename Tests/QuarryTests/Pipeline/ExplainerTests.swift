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
        let report = Explainer(pack: pack).explain(Document(name: "<text>", text: "Tokyo and Paris discussed trade. France smiled."))
        #expect(report.contains("tokens: ⟨CITY/COUNTRY Tokyo⟩ and ⟨CITY/COUNTRY Paris⟩ discussed trade."))
        #expect(report.contains("talks.discussed: MATCHED talks parties=[Japan, France]"))
        #expect(report.contains("sentence 1 [33..<47]: France smiled."))
        #expect(report.contains("talks.discussed: no match"))
    }
}
