import Foundation
import Testing
@testable import Quarry

/// Replays the fuzz corpora (Fuzz/corpus/<target>/) under the test runner, so every
/// input a fuzzer found interesting, and every crash input added there, stays a
/// regression test. The checks are those of Fuzz/Sources/FuzzSupport.
@Suite("Robustness: fuzz corpus replay")
struct FuzzCorpusRobustnessTests {
    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = Robust.root + "/Fuzz/corpus/" + target
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in FileManager.default.contents(atPath: folder + "/" + name).map { (name, [UInt8]($0)) } }
    }

    /// Ranges on character boundaries and in order; records that parse and whose
    /// offsets slice the text.
    static func check(_ processed: ProcessedDocument, _ name: String) {
        let bytes = processed.bytes
        func boundary(_ offset: Int) -> Bool { offset == bytes.count || (offset < bytes.count && bytes[offset] & 0xC0 != 0x80) }
        var end = 0
        for sentence in processed.sentences {
            #expect(sentence.range.lowerBound >= end && sentence.range.upperBound <= bytes.count && !sentence.range.isEmpty, "\(name)")
            #expect(boundary(sentence.range.lowerBound) && boundary(sentence.range.upperBound), "\(name)")
            end = sentence.range.upperBound
        }
        for mention in processed.mentions {
            #expect(!mention.range.isEmpty && boundary(mention.range.lowerBound) && boundary(mention.range.upperBound), "\(name)")
        }
        var out = JSONBuffer()
        RecordEncoder.facts(processed, into: &out)
        RecordEncoder.mentions(processed, into: &out)
        for line in out.bytes.split(separator: 0x0A) {
            guard let value = try? JSONParser.parse(String(decoding: line, as: UTF8.self)) else {
                Issue.record("\(name): a record is not JSON")
                continue
            }
            for mention in Robust.mentionObjects(value) {
                #expect(Robust.scalarSlice(processed.document.text, mention.start, mention.end) == mention.text, "\(name)")
            }
        }
    }

    @Test("FuzzDocument corpus: every input decodes and processes with the real rules")
    func documentCorpus() {
        let processor = DocumentProcessor(pack: Robust.pack)
        let scratch = processor.makeScratch()
        for (name, bytes) in Self.inputs("FuzzDocument") {
            if !bytes.contains(0) {
                let decoded = bytes.withUnsafeBufferPointer { TextDecoder.decode($0) }
                #expect(decoded.text == String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self), "\(name)")
                Self.check(processor.process(Document(name: name, text: decoded.text), scratch: scratch), name)
            }
            if let value = try? bytes.withUnsafeBufferPointer({ try JSONParser.parse($0) }), case .string(let text)? = value["text"] {
                Self.check(processor.process(Document(name: name, text: text), scratch: scratch), name)
            }
        }
    }

    @Test("FuzzRulePack corpus: every pack loads or fails with an error, and runs when it loads")
    func packCorpus() throws {
        let names = ["pack.yaml", "entities/e.yaml", "relations/r.yaml", "gazetteers/g.tsv"]
        for (name, bytes) in Self.inputs("FuzzRulePack") {
            try Robust.withFolder { folder in
                let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
                for (index, file) in names.enumerated() {
                    let part = index < parts.count ? Array(parts[index]) : []
                    try Robust.write(folder + "/" + file, bytes: part)
                }
                do {
                    let pack = try RulePack.load(directory: folder)
                    let processor = DocumentProcessor(pack: pack)
                    let text = "Prime Minister Fumio Kishida said France and Japan held talks. aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
                    Self.check(processor.process(Document(name: name, text: text), scratch: processor.makeScratch()), name)
                } catch let error as RulePackError {
                    #expect(error.diagnostics.contains { $0.severity == .error }, "\(name)")
                }
            }
        }
    }
}
