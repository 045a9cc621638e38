import Foundation
import Testing
@testable import Quarry

/// The NDJSON facts of the seeds with the real pack, run with `jobs` workers.
func seedOutput(jobs: Int, batchDocuments: Int = 512) throws -> (bytes: [UInt8], summary: Pipeline.Summary) {
    let pack = try RulePack.load(directory: Repository.rules)
    let pipeline = Pipeline(processor: DocumentProcessor(pack: pack), jobs: jobs, encodeMentions: true)
    pipeline.batchDocuments = batchDocuments
    let reader = CorpusReader(paths: [Repository.seeds]) { Issue.record("warning: \($0)") }
    var bytes: [UInt8] = []
    let summary = try pipeline.run(reader) { output in bytes += output.facts + output.mentions }
    return (bytes, summary)
}

@Suite struct PipelineTests {
    @Test func outputIsByteIdenticalForAnyNumberOfJobs() throws {
        let one = try seedOutput(jobs: 1)
        let two = try seedOutput(jobs: 2, batchDocuments: 1)
        let four = try seedOutput(jobs: 4)
        #expect(!one.bytes.isEmpty)
        #expect(one.bytes == two.bytes)
        #expect(one.bytes == four.bytes)
        #expect(one.summary.documents == 2)
        #expect(one.summary.facts == four.summary.facts)
    }

    @Test func factsFollowDocumentThenSentenceOrder() throws {
        let (bytes, summary) = try seedOutput(jobs: 3)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        let facts = try lines.map { try JSONParser.parse($0) }.filter { $0["schema"] == .string("quarry.fact/1") }
        #expect(facts.count == summary.facts)
        let places = facts.map { fact -> (String, Int) in
            guard case .number(let index)? = fact["sentence"]?["index"] else { return ("", -1) }
            return (fact["doc"]?.stringValue ?? "", Int(index) ?? -1)
        }
        for (a, b) in zip(places, places.dropFirst()) {
            #expect(a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1), "\(a) before \(b)")
        }
    }

    @Test func summaryCountsWhatWasWritten() throws {
        let (bytes, summary) = try seedOutput(jobs: 2)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == summary.facts + summary.mentions)
        #expect(summary.sentences > 2)
        let seedBytes = try FileManager.default.contentsOfDirectory(atPath: Repository.seeds)
            .map { try Data(contentsOf: URL(fileURLWithPath: Repository.seeds + "/" + $0)).count }.reduce(0, +)
        #expect(summary.bytes == seedBytes)
    }
}
