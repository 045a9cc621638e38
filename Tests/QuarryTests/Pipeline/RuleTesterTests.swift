import Testing
@testable import Quarry

@Suite struct RuleTesterTests {
    @Test func realPackReportsEveryExample() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let examples = pack.phases.flatMap(\.rules).map(\.examples.count).reduce(0, +)
            + pack.relationRules.map(\.examples.count).reduce(0, +)
        let report = RuleTester(pack: pack).run()
        #expect(examples > 0)
        #expect(report.passed + report.failures.count == examples)
    }

    @Test func filterRunsOnlyMatchingRules() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let rule = try #require(pack.relationRules.first { !$0.examples.isEmpty })
        let report = RuleTester(pack: pack).run(filter: rule.id)
        let expected = pack.relationRules.filter { $0.id.contains(rule.id) }.map(\.examples.count).reduce(0, +)
            + pack.phases.flatMap(\.rules).filter { $0.id.contains(rule.id) }.map(\.examples.count).reduce(0, +)
        #expect(report.passed + report.failures.count == expected)
        #expect(report.failures.allSatisfy { $0.rule.id.contains(rule.id) })
    }

    @Test func aWrongExampleFailsWithExpectedAndActual() throws {
        var fixture = PackFixture.standard
        fixture.files["relations/rules.yaml"] = """
            relations:
              - id: talks.discussed
                relation: talks
                pattern: '{COUNTRY+:parties} discussed trade'
                examples:
                  - text: 'France and Japan discussed trade.'
                    facts: [{parties: [France, Japan]}]
                  - text: 'France and Japan discussed trade.'
                    facts: [{parties: [France, South Korea]}]
                  - text: 'France and Japan discussed the weather.'
                    facts: []

            """
        let pack = try fixture.load()
        let report = RuleTester(pack: pack).run()
        #expect(report.passed == 2)
        #expect(report.failures.count == 1)
        let failure = try #require(report.failures.first)
        #expect(failure.example.line == 8)
        #expect(failure.actual == [["parties": ["France", "Japan"]]])
        #expect(failure.description.contains(":8: error: example of rule 'talks.discussed' failed"))
        #expect(failure.description.contains("parties: [France, South Korea]"))
    }
}
