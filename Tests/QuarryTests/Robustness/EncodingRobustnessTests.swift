import Foundation
import Testing
@testable import Quarry

/// Invalid UTF-8, binary files, empty files, a BOM, CRLF and CR line ends: each read
/// with the exact warning the design asks for, and the offsets of later facts still
/// slicing the decoded text.
@Suite("Robustness: encodings and odd files")
struct EncodingRobustnessTests {
    static let sentence = "France and Japan have agreed to initiate formal discussions on a reciprocal access agreement."

    /// Each kind of invalid UTF-8, the bytes, and how many U+FFFD replace them
    /// (maximal subparts, as the standard library and browsers do).
    static let badSequences: [(name: String, bytes: [UInt8], replacements: Int)] = [
        ("overlong 2-byte '/'", [0xC0, 0xAF], 2),
        ("overlong 3-byte '/'", [0xE0, 0x80, 0xAF], 3),
        ("overlong 4-byte", [0xF0, 0x80, 0x80, 0xAF], 4),
        ("lone continuation byte", [0x80], 1),
        ("three continuation bytes", [0x80, 0xBF, 0x9F], 3),
        ("UTF-8 encoded high surrogate U+D800", [0xED, 0xA0, 0x80], 3),
        ("UTF-8 encoded surrogate pair", [0xED, 0xA0, 0xBD, 0xED, 0xB2, 0xA9], 6),
        ("truncated 3-byte sequence", [0xE2, 0x82], 1),
        ("truncated 4-byte sequence", [0xF0, 0x9F, 0x98], 1),
        ("byte 0xFF", [0xFF], 1),
        ("byte 0xFE", [0xFE], 1),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80], 4),
    ]

    @Test("invalid UTF-8 is replaced with U+FFFD, warned with its byte offset", arguments: badSequences.indices)
    func invalidUTF8(_ index: Int) throws {
        let bad = Self.badSequences[index]
        try Robust.withFolder { folder in
            let prefix = Array("Headline\n\n".utf8)
            let bytes = prefix + bad.bytes + Array(" ".utf8) + Array(Self.sentence.utf8)
            let path = try Robust.write(folder + "/bad.txt", bytes: bytes)
            let expectedText = String(decoding: bytes, as: UTF8.self)
            let what = bad.replacements == 1 ? "1 invalid sequence" : "\(bad.replacements) invalid sequences"

            let read = Robust.readAll([path])
            #expect(read.warnings == ["\(path): warning: invalid UTF-8 at byte \(prefix.count): \(what) replaced with U+FFFD"],
                    "\(bad.name)")
            #expect(read.skipped == 0)
            #expect(read.documents.map(\.text) == [expectedText])
            #expect(read.documents.first?.text.unicodeScalars.filter { $0 == "\u{FFFD}" }.count == bad.replacements)

            // The real pipeline with the real rules: the fact after the bad bytes
            // has offsets into the decoded text.
            let run = try Robust.pipeline([path])
            #expect(run.warnings == read.warnings)
            let fact = try #require(run.facts.first { $0["relation"] == .string("agreement.negotiation") }, "\(bad.name): no fact")
            let mentions = Robust.mentionObjects(fact)
            #expect(Set(mentions.map(\.text)).isSuperset(of: ["France", "Japan"]))
            for mention in mentions {
                #expect(Robust.scalarSlice(expectedText, mention.start, mention.end) == mention.text,
                        "\(bad.name): text[\(mention.start):\(mention.end)] is not '\(mention.text)'")
            }
        }
    }

    @Test("several invalid sequences: the first offset and the count")
    func severalInvalid() throws {
        try Robust.withFolder { folder in
            let bytes: [UInt8] = Array("ab".utf8) + [0x80] + Array("cd".utf8) + [0xC3] + Array("é".utf8) + [0xFF]
            let path = try Robust.write(folder + "/many.md", bytes: bytes)
            let read = Robust.readAll([path])
            #expect(read.warnings == ["\(path): warning: invalid UTF-8 at byte 2: 3 invalid sequences replaced with U+FFFD"])
            #expect(read.documents.first?.text == "ab\u{FFFD}cd\u{FFFD}é\u{FFFD}")
            let decoded = bytes.withUnsafeBufferPointer { TextDecoder.decode($0) }
            #expect(decoded.invalidOffsets == [2, 5, 8])
        }
    }

    @Test("invalid UTF-8 in a JSONL line is warned with the line and the byte of the line")
    func invalidUTF8InJSONL() throws {
        try Robust.withFolder { folder in
            var bytes = Array("{\"id\":\"a\",\"text\":\"fine\"}\n".utf8)
            bytes += Array("{\"id\":\"b\",\"text\":\"x".utf8) + [0xED, 0xA0, 0x80] + Array(" \(Self.sentence)\"}\n".utf8)
            let path = try Robust.write(folder + "/docs.jsonl", bytes: bytes)
            let read = Robust.readAll([path])
            #expect(read.warnings == ["\(path):2: warning: invalid UTF-8 at byte 19 of the line: 3 invalid sequences replaced with U+FFFD"])
            #expect(read.documents.map(\.name) == ["a", "b"])
            let text = "x\u{FFFD}\u{FFFD}\u{FFFD} " + Self.sentence
            #expect(read.documents.last?.text == text)
            let run = try Robust.pipeline([path])
            let fact = try #require(run.facts.first)
            for mention in Robust.mentionObjects(fact) {
                #expect(Robust.scalarSlice(text, mention.start, mention.end) == mention.text)
            }
        }
    }

    @Test("a file with a NUL byte is skipped with a warning; the other files are read")
    func binaryFile() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/a.txt", Self.sentence)
            try Robust.write(folder + "/b.txt", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x00, 0x01, 0x00] + Array(repeating: 0, count: 100))
            try Robust.write(folder + "/c.txt", bytes: Array("text then".utf8) + [0] + Array("more".utf8))
            let read = Robust.readAll([folder])
            #expect(read.warnings == [
                "\(folder)/b.txt: warning: binary content (NUL byte at byte 5), skipped",
                "\(folder)/c.txt: warning: binary content (NUL byte at byte 9), skipped",
            ])
            #expect(read.skipped == 2)
            #expect(read.documents.map(\.name) == ["\(folder)/a.txt"])
            let run = try Robust.pipeline([folder])
            #expect(run.facts.count == 1)
            #expect(run.skipped == 2)
        }
    }

    @Test("a NUL in a JSONL line (raw or escaped) skips that line only")
    func binaryJSONL() throws {
        try Robust.withFolder { folder in
            var bytes = Array("{\"id\":\"a\",\"text\":\"a\\u0000b\"}\n".utf8)
            bytes += Array("{\"id\":\"b\",\"text\":\"a".utf8) + [0] + Array("b\"}\n".utf8)
            bytes += Array("{\"id\":\"c\",\"text\":\"\(Self.sentence)\"}\n".utf8)
            let path = try Robust.write(folder + "/docs.jsonl", bytes: bytes)
            let read = Robust.readAll([path])
            #expect(read.warnings == [
                "\(path):1: warning: binary content (NUL character in \"text\"), line skipped",
                "\(path):2:20: warning: not JSON: control character in string, line skipped",
            ])
            #expect(read.documents.map(\.name) == ["c"])
            #expect(read.skipped == 2)
        }
    }

    @Test("an empty file is an empty document: no warning, no fact, not skipped")
    func emptyFiles() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/empty.txt", "")
            try Robust.write(folder + "/bom-only.txt", bytes: [0xEF, 0xBB, 0xBF])
            try Robust.write(folder + "/blank.md", "\n\n  \r\n\t\n")
            try Robust.write(folder + "/empty.jsonl", "")
            try Robust.write(folder + "/blank.jsonl", "\n   \n\r\n")
            let read = Robust.readAll([folder])
            #expect(read.warnings.isEmpty)
            #expect(read.skipped == 0)
            #expect(read.documents.map(\.text) == ["\n\n  \r\n\t\n", "", ""])
            let run = try Robust.pipeline([folder])
            #expect(run.facts.isEmpty && run.warnings.isEmpty && run.documents == 3)
        }
    }

    @Test("a BOM is dropped and offsets count from after it; an invalid byte's offset counts it")
    func byteOrderMark() throws {
        try Robust.withFolder { folder in
            let path = try Robust.write(folder + "/bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.sentence.utf8))
            let run = try Robust.pipeline([path])
            let fact = try #require(run.facts.first)
            for mention in Robust.mentionObjects(fact) {
                #expect(Robust.scalarSlice(Self.sentence, mention.start, mention.end) == mention.text)
            }
            #expect(Robust.mentionObjects(fact).first { $0.text == "France" }?.start == 0)
            let bad = try Robust.write(folder + "/bom-bad.txt", bytes: [0xEF, 0xBB, 0xBF, 0x80] + Array(" ok".utf8))
            let read = Robust.readAll([bad])
            #expect(read.warnings == ["\(bad): warning: invalid UTF-8 at byte 3: 1 invalid sequence replaced with U+FFFD"])
            #expect(read.documents.first?.text == "\u{FFFD} ok")
            let jsonl = try Robust.write(folder + "/bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array("{\"id\":\"x\",\"text\":\"\(Self.sentence)\"}\n".utf8))
            let lines = Robust.readAll([jsonl])
            #expect(lines.warnings.isEmpty && lines.documents.map(\.text) == [Self.sentence])
        }
    }

    /// The same document with LF, CRLF and CR line ends: the text is kept as it is,
    /// the facts are the same and their offsets slice each text.
    @Test("CRLF and CR line ends: text kept, same facts, offsets slice the text", arguments: ["\r\n", "\r"])
    func lineEnds(_ end: String) throws {
        let lines = ["Japan and France agree to talks", "", Self.sentence, "", "Japan and France held talks on Monday."]
        try Robust.withFolder { folder in
            let lf = try Robust.write(folder + "/lf.txt", lines.joined(separator: "\n") + "\n")
            let other = try Robust.write(folder + "/other.txt", lines.joined(separator: end) + end)
            let reference = try Robust.pipeline([lf])
            let run = try Robust.pipeline([other])
            let text = lines.joined(separator: end) + end
            #expect(Robust.readAll([other]).documents.first?.text == text)
            #expect(run.warnings.isEmpty)
            for fact in run.facts {
                for mention in Robust.mentionObjects(fact) {
                    #expect(Robust.scalarSlice(text, mention.start, mention.end) == mention.text)
                }
            }
            let relations = { (facts: [JSONValue]) in facts.map { $0["relation"]?.stringValue ?? "" } }
            // CRLF and lone CR (old Mac) line ends are line breaks like LF.
            #expect(relations(run.facts) == relations(reference.facts))
            #expect(run.facts.map { $0["evidence"] } == reference.facts.map { $0["evidence"] })
        }
    }

    @Test("TextDecoder agrees with the standard library on every bad sequence, valid text is untouched")
    func decoderAgreesWithStandardLibrary() {
        for bad in Self.badSequences {
            let bytes = Array("a".utf8) + bad.bytes + Array("é€😀".utf8) + bad.bytes
            let result = bytes.withUnsafeBufferPointer { TextDecoder.decode($0) }
            #expect(result.text == String(decoding: bytes, as: UTF8.self), "\(bad.name)")
            #expect(result.invalidOffsets.count == 2 * bad.replacements)
            #expect(result.invalidOffsets.first == 1)
        }
        let valid = Array("plain é€😀 text".utf8)
        let result = valid.withUnsafeBufferPointer { TextDecoder.decode($0) }
        #expect(result.invalidOffsets.isEmpty && Array(result.text.utf8) == valid)
    }
}
