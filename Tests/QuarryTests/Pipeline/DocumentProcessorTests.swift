import Foundation
import Testing
@testable import Quarry

@Suite struct DocumentProcessorTests {
    @Test func aTextWithoutSentencePunctuationIsCutIntoBoundedSentences() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        let clause = "France and Japan agreed to start talks on a reciprocal access agreement and "
        let text = String(repeating: clause, count: 3_000)  // 231 KB, no full stop
        let processed = process(text, with: pack, name: "long")
        #expect(processed.sentences.count > 3)
        for sentence in processed.sentences {
            #expect(sentence.range.count <= DocumentProcessor.maxSentenceBytes)
            #expect(processed.bytes[sentence.range.lowerBound] != 0x20)
        }
        let fact = try #require(processed.facts.first)
        var out = JSONBuffer()
        RecordEncoder.facts(ProcessedDocument(
            document: processed.document, bytes: processed.bytes, sentences: processed.sentences,
            mentions: processed.mentions, facts: [fact], warnings: []), into: &out)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(out.bytes)) as? [String: Any])
        let evidence = try #require(record["evidence"] as? String)
        #expect(evidence.utf8.count <= RecordEncoder.maxEvidenceBytes)
        #expect(evidence.hasSuffix("…"))
        #expect(evidence.contains("France and Japan agreed to start talks"))
    }

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
                for binding in fact.args {
                    for argument in binding.value.arguments {
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
