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

    /// A JSONL corpus of the two seed articles, again and again under new ids, and a
    /// bad line now and then.
    static func manyDocuments(_ folder: TemporaryDirectory, count: Int) throws -> String {
        let texts = try FileManager.default.contentsOfDirectory(atPath: Repository.seeds).sorted()
            .map { try String(contentsOfFile: Repository.seeds + "/" + $0, encoding: .utf8) }
        var lines = ""
        for index in 0..<count {
            if index % 37 == 5 {
                lines += "{\"id\": \"bad-\(index)\", \"text\": \n"
                continue
            }
            let text = String(decoding: try JSONEncoder().encode(texts[index % texts.count]), as: UTF8.self)
            lines += "{\"id\": \"doc-\(index)\", \"text\": \(text)}\n"
        }
        return try folder.write("many.jsonl", lines)
    }

    /// Every record of a run, and its warnings, with `jobs` workers and batches of
    /// `batch` documents.
    static func run(_ path: String, jobs: Int, batch: Int) throws -> (records: [UInt8], warnings: [String], summary: Pipeline.Summary) {
        let pack = try RulePack.load(directory: Repository.rules)
        let pipeline = Pipeline(processor: DocumentProcessor(pack: pack), jobs: jobs, encodeMentions: true)
        pipeline.batchDocuments = batch
        let reader = CorpusReader(paths: [path]) { _ in }
        var records: [UInt8] = []
        var warnings: [String] = []
        let summary = try pipeline.run(reader) { output in
            records += output.facts + output.mentions
            warnings += output.warnings.map(\.description)
        }
        return (records, warnings, summary)
    }

    @Test func smallBatchesHandedOverEarlyKeepEveryRecordInOrder() throws {
        try withTemporaryDirectory { folder in
            let path = try Self.manyDocuments(folder, count: 120)
            let one = try Self.run(path, jobs: 1, batch: 2048)
            // Lines 5, 42, 79 and 116 are bad.
            #expect(one.summary.documents == 116)
            #expect(one.summary.skipped == 4)
            #expect(one.warnings.count == 4)
            #expect(one.summary.facts > 100)
            // Batches of one to five documents: several are in flight at once, and
            // the workers go from one to the next without waiting.
            for (jobs, batch) in [(2, 1), (3, 2), (4, 5), (2, 64)] {
                let other = try Self.run(path, jobs: jobs, batch: batch)
                #expect(other.records == one.records, "jobs \(jobs), batches of \(batch)")
                #expect(other.warnings == one.warnings, "jobs \(jobs), batches of \(batch)")
                #expect(other.summary.documents == one.summary.documents)
            }
        }
    }

    /// A write that fails (a closed pipe, a full disk) ends the run with its error,
    /// whatever the workers were doing: none is left waiting.
    @Test func aFailedWriteEndsTheRunWithItsError() throws {
        struct Full: Error {}
        try withTemporaryDirectory { folder in
            let path = try Self.manyDocuments(folder, count: 120)
            for jobs in [1, 2, 3] {
                let pack = try RulePack.load(directory: Repository.rules)
                let pipeline = Pipeline(processor: DocumentProcessor(pack: pack), jobs: jobs, encodeMentions: false)
                pipeline.batchDocuments = 4
                var written = 0
                #expect(throws: Full.self) {
                    _ = try pipeline.run(CorpusReader(paths: [path]) { _ in }) { _ in
                        written += 1
                        if written == 50 { throw Full() }
                    }
                }
                #expect(written == 50)
            }
        }
    }
}
