import Foundation
import Testing
@testable import Quarry

@Suite struct DocumentProcessorTests {
    @Test func seedMentionsAndFactsAreConsistent() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let reader = CorpusReader(paths: [Repository.seeds]) { Issue.record("warning: \($0)") }
        var documents = 0
        while let document = reader.next() {
            documents += 1
            let processed = process(document.text, with: pack, name: document.name)
            #expect(processed.bytes == Array(document.text.utf8))
            #expect(!processed.sentences.isEmpty)
            #expect(!processed.mentions.isEmpty)
            for (a, b) in zip(processed.mentions, processed.mentions.dropFirst()) {
                #expect(a.range.upperBound <= b.range.lowerBound, "mentions overlap")
            }
            for fact in processed.facts {
                for (_, value) in fact.args {
                    let arguments: [FactArgument]
                    switch value {
                    case .single(let argument): arguments = [argument]
                    case .list(let list): arguments = list
                    case .absent: arguments = []
                    }
                    for argument in arguments {
                        #expect(fact.sentence.range.contains(argument.mention.range.lowerBound))
                        #expect(argument.mention.range.upperBound <= fact.sentence.range.upperBound)
                    }
                }
            }
            let order = processed.facts.map { ($0.sentence.index, $0.matchRange.lowerBound) }
            for (a, b) in zip(order, order.dropFirst()) {
                #expect(a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1))
            }
        }
        #expect(documents == 2)
    }

    @Test func seedsYieldTheTalksOfFranceAndJapan() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let text = try String(contentsOfFile: Repository.seeds + "/000_e2a9e221910925eb.txt", encoding: .utf8)
        let facts = process(text, with: pack).facts
        let negotiations = facts.filter { $0.relation == "agreement.negotiation" }.map(summary)
        #expect(negotiations.contains { Set($0["parties"] ?? []) == ["France", "Japan"] })
    }
}
