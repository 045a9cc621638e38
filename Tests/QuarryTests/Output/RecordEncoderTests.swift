import Foundation
import Testing
@testable import Quarry

/// The keys of a JSON object, in the order they are written.
func orderedKeys(_ value: JSONValue?) -> [String] {
    guard case .object(let members)? = value else { return [] }
    return members.map(\.key)
}

@Suite struct RecordEncoderTests {
    static let text = "Sébastien “Zoë” 😀👍🏽 wrote:\n\nTokyo and Paris discussed trade. Nothing else."

    static func encodeFacts(_ processed: ProcessedDocument) -> [String] {
        var buffer = JSONBuffer()
        RecordEncoder.facts(processed, into: &buffer)
        return String(decoding: buffer.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func factLineIsJSONWithTheDesignFieldOrder() throws {
        let pack = try PackFixture.standard.load()
        let processed = process(Self.text, with: pack, name: "news/é.txt")
        let lines = Self.encodeFacts(processed)
        #expect(lines.count == 2)
        #expect(lines.last == "")
        let line = try #require(lines.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "quarry.fact/1")
        #expect(object["doc"] as? String == "news/é.txt")
        #expect(object["relation"] as? String == "talks")
        #expect(object["meta"] is NSNull)
        #expect(object["cameo"] is NSNull)
        let ordered = try JSONParser.parse(line)
        #expect(orderedKeys(ordered) == ["schema", "id", "key", "relation", "args", "attrs", "cameo", "doc", "sentence", "evidence", "rule", "meta"])
        guard case .array(let parties)? = ordered["args"]?["parties"], let first = parties.first else {
            Issue.record("no parties list in \(line)")
            return
        }
        #expect(orderedKeys(first) == ["text", "canonical", "type", "id", "attrs", "start", "end"])
        #expect(orderedKeys(ordered["sentence"]) == ["index", "start", "end"])
        #expect(orderedKeys(ordered["rule"]) == ["id", "file", "line"])
        for key in ["id", "key"] {
            let hex = try #require(object[key] as? String)
            #expect(hex.count == 16 && hex.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }

    @Test func scalarOffsetsSliceTheDocumentText() throws {
        let pack = try PackFixture.standard.load()
        let processed = process(Self.text, with: pack)
        let line = try #require(Self.encodeFacts(processed).first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let args = try #require(object["args"] as? [String: Any])
        let parties = try #require(args["parties"] as? [[String: Any]])
        #expect(parties.count == 2)
        for party in parties {
            let start = try #require(party["start"] as? Int)
            let end = try #require(party["end"] as? Int)
            #expect(slice(Self.text, scalars: start..<end) == party["text"] as? String)
        }
        #expect(parties.map { $0["text"] as? String } == ["Tokyo", "Paris"])
        #expect(parties.map { $0["canonical"] as? String } == ["Japan", "France"])
        #expect(parties.map { $0["type"] as? String } == ["COUNTRY", "COUNTRY"])
        let sentence = try #require(object["sentence"] as? [String: Any])
        let start = try #require(sentence["start"] as? Int)
        let end = try #require(sentence["end"] as? Int)
        #expect(slice(Self.text, scalars: start..<end) == object["evidence"] as? String)
        #expect(object["evidence"] as? String == "Tokyo and Paris discussed trade.")
        // "Tokyo" is the 29th scalar: 28 before it, whatever their byte lengths.
        #expect(parties.first?["start"] as? Int == 28)
    }

    @Test func keyIsTheSameAcrossDocumentsAndIDIsNot() throws {
        let pack = try PackFixture.standard.load()
        let first = try #require(Self.encodeFacts(process("France and Japan discussed trade.", with: pack, name: "a")).first)
        let second = try #require(Self.encodeFacts(process("Earlier news. Japan and France discussed trade.", with: pack, name: "b")).first)
        let again = try #require(Self.encodeFacts(process("France and Japan discussed trade.", with: pack, name: "a")).first)
        func field(_ line: String, _ key: String) -> String? {
            (try? JSONParser.parse(line))?[key]?.stringValue
        }
        #expect(field(first, "key") == field(second, "key"))
        #expect(field(first, "id") != field(second, "id"))
        #expect(first == again)
    }

    @Test func metaIsWrittenAsRead() throws {
        let pack = try PackFixture.standard.load()
        let processor = DocumentProcessor(pack: pack)
        let meta = try JSONParser.parse(#"{"title":"T","score":1.50}"#)
        let processed = processor.process(Document(name: "x", text: "France and Japan discussed trade.", meta: meta), scratch: processor.makeScratch())
        let line = try #require(Self.encodeFacts(processed).first)
        #expect(line.hasSuffix(#","meta":{"title":"T","score":1.50}}"#))
    }

    /// A worker's cache of mention JSON is kept across documents, and a slot is
    /// taken over by another box: the records are those of a fresh cache.
    @Test func mentionLinesAreTheSameWithAKeptCache() throws {
        let pack = try PackFixture.standard.load()
        let documents = [Self.text, "Tokyo and Paris discussed trade.\nParis and Tokyo discussed trade.", "", Self.text]
            .enumerated().map { process($1, with: pack, name: "d\($0)") }
        for cache in [RecordEncoder.MentionCache(), RecordEncoder.MentionCache(slots: 1)] {
            for processed in documents {
                var fresh = JSONBuffer()
                RecordEncoder.mentions(processed, into: &fresh)
                var kept = JSONBuffer()
                RecordEncoder.mentions(processed, into: &kept, cache: cache)
                #expect(kept.bytes == fresh.bytes)
                #expect(String(decoding: kept.bytes, as: UTF8.self).split(separator: "\n").count == processed.mentions.count)
            }
        }
    }

    @Test func mentionLinesCarryTheirSentenceAndStandsFor() throws {
        let pack = try PackFixture.standard.load()
        let processed = process(Self.text, with: pack)
        var buffer = JSONBuffer()
        RecordEncoder.mentions(processed, into: &buffer)
        let lines = String(decoding: buffer.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == processed.mentions.count)
        let tokyo = try #require(lines.first { $0.contains(#""text":"Tokyo""#) })
        let value = try JSONParser.parse(tokyo)
        #expect(orderedKeys(value) == ["schema", "doc", "sentence", "text", "canonical", "type", "id", "attrs", "start", "end", "stands_for", "rule"])
        #expect(value["stands_for"] == .string("Japan"))
        #expect(value["type"] == .string("CITY"))
        #expect(value["start"] == .number("28"))
    }
}
