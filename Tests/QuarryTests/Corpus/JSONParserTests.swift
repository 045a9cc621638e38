import Testing
@testable import Quarry

@Suite struct JSONParserTests {
    @Test func keepsKeyOrderAndNestedValues() throws {
        let value = try JSONParser.parse(#"{"b": 1, "a": [true, false, null], "c": {"z": "x", "y": []}}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(value["a"] == .array([.bool(true), .bool(false), .null]))
        guard case .object(let inner)? = value["c"] else {
            Issue.record("c is not an object")
            return
        }
        #expect(inner.map(\.key) == ["z", "y"])
    }

    @Test func numbersKeepTheirText() throws {
        let value = try JSONParser.parse("[1.50, -0, 1e+10, 2E-3, 12345678901234567890123, 0]")
        #expect(value == .array([.number("1.50"), .number("-0"), .number("1e+10"), .number("2E-3"),
                                  .number("12345678901234567890123"), .number("0")]))
    }

    @Test func stringEscapes() throws {
        let value = try JSONParser.parse(#""q\"b\\s\/ \b\f\n\r\t end""#)
        #expect(value == .string("q\"b\\s/ \u{08}\u{0C}\n\r\t end"))
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""S\u00e9bastien""#) == .string("Sébastien"))
        #expect(try JSONParser.parse(#""\ud83d\ude00 \uD83C\uDDEB""#) == .string("😀 🇫"))
        #expect(try JSONParser.parse(#""\u6771\u4eac""#) == .string("東京"))
        #expect(try JSONParser.parse("\"raw 東京 😀\"") == .string("raw 東京 😀"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONParser.parse(#""a\ud83db""#) == .string("a\u{FFFD}b"))
        #expect(try JSONParser.parse(#""a\ude00b""#) == .string("a\u{FFFD}b"))
    }

    @Test func whitespaceAroundTheValue() throws {
        #expect(try JSONParser.parse(" \t{\"a\" : \"b\"}\r\n ") == .object([("a", .string("b"))]))
    }

    @Test(arguments: [
        (#"{"a":1,}"#, "expected a string key", 7),
        ("[1 2]", "expected ',' or ']'", 3),
        (#"{"a":1} x"#, "unexpected text after the JSON value", 8),
        (#""abc"#, "unterminated string", 4),
        (#"{"a" 1}"#, "expected ':'", 5),
        ("[-]", "invalid number", 2),
        ("[1.]", "invalid number", 3),
        (#""bad \x""#, "invalid escape", 6),
        (#""\u12G4""#, "invalid \\u escape", 5),
        ("nul", "unexpected end of input", 0),
        ("", "unexpected end of input", 0),
        ("{\"a\":\"x\u{01}\"}", "control character in string", 7),
        ("[1,", "unexpected end of input", 3),
        ("@", "unexpected character", 0),
    ])
    func errorsSayWhatAndWhere(input: String, message: String, offset: Int) {
        do {
            let value = try JSONParser.parse(input)
            Issue.record("parsed \(input) as \(value)")
        } catch {
            #expect(error.message == message, "\(input)")
            #expect(error.offset == offset, "\(input)")
        }
    }

    @Test func leadingZerosAreNotJSON() {
        // RFC 8259: "A leading zero is not allowed" (int = zero / digit1-9 *DIGIT).
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("01") }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse("[-007]") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    // MARK: Objects parsed in part (a JSONL line's meta is built only when written)

    /// What `parse` makes of `text`, as a comparable outcome.
    private static func full(_ text: [UInt8]) -> Result<JSONValue, JSONParser.Failure> {
        text.withUnsafeBufferPointer { bytes in Result { () throws(JSONParser.Failure) in try JSONParser.parse(bytes) } }
    }

    /// What `parseDocument` and then `members` make of `text`: the object with the
    /// first `id`, the first `text`, then the other members in order, or nil for a
    /// non-object.
    private static func inPart(_ text: [UInt8]) -> Result<JSONValue?, JSONParser.Failure> {
        text.withUnsafeBufferPointer { bytes in
            Result { () throws(JSONParser.Failure) -> JSONValue? in
                guard let document = try JSONParser.parseDocument(bytes) else { return nil }
                guard case .object(let others) = JSONParser.members(document.others, of: bytes) else { return nil }
                var built: [(key: String, value: JSONValue)] = []
                if let id = document.id { built.append(("id", id)) }
                switch document.text {
                case .utf8(let utf8)?: built.append(("text", .string(String(decoding: utf8, as: UTF8.self))))
                case .other(let value)?: built.append(("text", value))
                case nil: break
                }
                return .object(built + others)
            }
        }
    }

    /// The members of an object as `inPart` gives them: the first `id`, the first
    /// `text`, then the others (later `id` and `text` members are dropped).
    private static func builtFirst(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        let built = ["id", "text"].compactMap { key in members.first { $0.key == key } }
        return .object(built + members.filter { $0.key != "id" && $0.key != "text" })
    }

    /// What `writeMembers` writes for the members `parseDocument` left, and what
    /// `JSONBuffer.value` writes for them built: these must be the same bytes.
    private static func expectSameMeta(_ text: [UInt8], _ comment: Comment? = nil) {
        text.withUnsafeBufferPointer { bytes in
            guard let document = try? JSONParser.parseDocument(bytes) else { return }
            var written = JSONBuffer()
            JSONParser.writeMembers(document.others, of: bytes, to: &written)
            var built = JSONBuffer()
            built.value(JSONParser.members(document.others, of: bytes))
            #expect(String(decoding: written.bytes, as: UTF8.self) == String(decoding: built.bytes, as: UTF8.self), comment)
        }
    }

    /// `parseDocument` on a line without control characters, with and without
    /// `controlFree`: the same members, or the same error at the same byte.
    private static func expectSameWhenControlFree(_ text: [UInt8], _ comment: Comment? = nil) {
        guard !text.contains(where: { $0 < 0x20 }) else { return }
        text.withUnsafeBufferPointer { bytes in
            let exact = Result { () throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes) }
            let byQuote = Result { () throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes, controlFree: true) }
            switch (exact, byQuote) {
            case (.success(let a), .success(let b)):
                #expect(a?.id == b?.id, comment)
                #expect(a?.text == b?.text, comment)
                #expect(a?.others == b?.others, comment)
            case (.failure(let a), .failure(let b)):
                #expect(a == b, comment)
            case (let a, let b):
                Issue.record("exact gave \(a), controlFree gave \(b): \(comment?.rawValue ?? "")")
            }
        }
    }

    private static func expectSameOutcome(_ text: [UInt8], _ comment: Comment? = nil) {
        expectSameWhenControlFree(text, comment)
        switch (full(text), inPart(text)) {
        case (.success(let value), .success(let object?)):
            #expect(object == builtFirst(value), comment)
            expectSameMeta(text, comment)
        case (.success(let value), .success(nil)):
            if case .object = value { Issue.record("an object read as a non-object: \(comment?.rawValue ?? "")") }
        case (.failure(let a), .failure(let b)):
            #expect(a == b, comment)
        case (let a, let b):
            Issue.record("parse gave \(a), parseDocument gave \(b): \(comment?.rawValue ?? "")")
        }
    }

    @Test func partialParseBuildsTheSameMembers() throws {
        let line = #"{"id": "d1", "n": -1.5e3, "topics": ["a", "b\"c", {"x": null}], "text": "Line\none \u00e9 \ud83d\ude00", "empty": {}, "t": true, "s": "caf\u00e9\/x"}"#
        let text = Array(line.utf8)
        let object = try #require(try text.withUnsafeBufferPointer { try JSONParser.parseDocument($0) })
        #expect(object.id == .string("d1"))
        #expect(object.text == .utf8(Array("Line\none é 😀".utf8)))
        #expect(object.others.count == 5)
        // Each range runs from the key's quote to the end of the value.
        #expect(object.others.map { String(decoding: text[$0], as: UTF8.self) }.first == #""n": -1.5e3"#)
        let meta = text.withUnsafeBufferPointer { JSONParser.members(object.others, of: $0) }
        #expect(meta["topics"] == .array([.string("a"), .string("b\"c"), .object([(key: "x", value: .null)])]))
        #expect(meta["s"] == .string("café/x"))
        Self.expectSameOutcome(text)
    }

    @Test func theFirstIDAndTextCountAndLaterOnesAreDropped() throws {
        let line = Array(#"{"text": 5, "\u0069d": "a", "te\u0078t": "x", "id": "b", "k": 1}"#.utf8)
        let object = try #require(try line.withUnsafeBufferPointer { try JSONParser.parseDocument($0) })
        #expect(object.id == .string("a"))
        #expect(object.text == .other(.number("5")))
        #expect(object.others.map { String(decoding: line[$0], as: UTF8.self) } == [#""k": 1"#])
        Self.expectSameOutcome(line)
    }

    @Test func writtenMembersAreTheBuiltMembersWritten() {
        let lines = [
            #"{"id": 1, "a": "plain", "b": "tab\there \"q\" \\ \/ \b\f\r\n \u0000 \u001f \u007f \u00e9", "text": "x"}"#,
            #"{"s": "\ud83d\ude00 lone \ud83d then \udc00 and \ud83d\u0041", "text": "x"}"#,
            #"{"n": [0, -0, 1.50, 1e+10, -2.5E-3], "l": [true, false, null, [], {}], "o": {"k\u00e9y": {"z": [1, {"y": "w"}]}}}"#,
            "{\"raw\": \"caf\u{E9} \u{7F} \u{1F600}\", \"e\\u0301\": \"x\"}",
            #"{ "spaced" :  [ 1 , 2 ] , "text" : "x" }"#,
        ]
        for line in lines { Self.expectSameMeta(Array(line.utf8), "\(line)") }
    }

    @Test func aRangeThatHoldsNoMemberIsLeftOutWhenWritten() {
        let line = Array(#"{"a": 1, "b": [2, 3]}"#.utf8)
        line.withUnsafeBufferPointer { bytes in
            // The second range is cut inside its array.
            let ranges = [1..<7, 9..<16, 9..<20]
            var written = JSONBuffer()
            JSONParser.writeMembers(ranges, of: bytes, to: &written)
            var built = JSONBuffer()
            built.value(JSONParser.members(ranges, of: bytes))
            #expect(String(decoding: written.bytes, as: UTF8.self) == #"{"a":1,"b":[2,3]}"#)
            #expect(written.bytes == built.bytes)
        }
    }

    @Test func partialParseGivesTheSameErrorsAsAFullParse() {
        let broken = [
            #"{"id": 1, "meta": [1, 2,], "text": "x"}"#,
            #"{"meta": "bad \q escape", "text": "x"}"#,
            #"{"meta": "bad \u12G4", "text": "x"}"#,
            #"{"meta": "\ud83d\uZZZZ", "text": "x"}"#,
            "{\"meta\": \"control \u{01} char\", \"text\": \"x\"}",
            #"{"meta": "unterminated \"#,
            #"{"meta": "unterminated"#,
            #"{"meta": 01, "text": "x"}"#,
            #"{"meta": tru, "text": "x"}"#,
            #"{"meta": {"a" 1}, "text": "x"}"#,
            #"{"meta": {"a": 1 "b": 2}, "text": "x"}"#,
            #"{"text": "x"} trailing"#,
            #"{"text": "x", }"#,
            #"{"text" "x"}"#,
            #"["not", "an", "object"]"#,
            #""just a string""#,
            #"42"#,
            #"[1, 2"#,
            String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
            #"{"meta": "#,
            "",
        ]
        for line in broken { Self.expectSameOutcome(Array(line.utf8), "\(line.prefix(60))") }
    }

    @Test func partialParseAgreesOnMutatedLines() {
        // Deterministic mutations of a valid line: every single-byte deletion, and
        // replacements by each byte JSON cares about.
        let line = Array(#"{"id": 7, "a": [1, {"b": "c\n\u00e9"}], "text": "T\"x", "z": false}"#.utf8)
        let specials = Array(#"{}[]:,"\ nu0-.eE"#.utf8) + [0x01]
        for index in line.indices {
            var deleted = line
            deleted.remove(at: index)
            Self.expectSameOutcome(deleted, "deleted byte \(index)")
            for byte in specials where byte != line[index] {
                var replaced = line
                replaced[index] = byte
                Self.expectSameOutcome(replaced, "byte \(index) replaced by \(byte)")
            }
        }
    }

    // MARK: Lines without control characters (the text found by its quote)

    /// A document line whose text holds `text` (JSON as written), padded so that
    /// it starts `shift` bytes into the line.
    private static func line(text: String, shift: Int, after: String = "") -> [UInt8] {
        Array(#"{"id": "\#(String(repeating: "p", count: shift))", "text": "\#(text)"\#(after)}"#.utf8)
    }

    @Test func escapesAroundWordBoundariesDecodeAsWithoutControlFree() throws {
        let escapes = [#"\n"#, #"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\r"#, #"\t"#, #"\u00e9"#, #"\u6771"#,
                       #"\ud83d\ude00"#, #"\ud83d"#, #"\ude00"#, #"\ud83d\u0041"#, #"\u0000"#, #"\ufeff"#, #"\\\""#]
        for shift in 0..<4 {
            for run in 0..<40 {
                for escape in escapes {
                    let text = String(repeating: "a", count: run) + escape + String(repeating: "b", count: run % 9)
                    let bytes = Self.line(text: text, shift: shift)
                    Self.expectSameWhenControlFree(bytes, "\(text) shifted \(shift)")
                    Self.expectSameOutcome(bytes, "\(text) shifted \(shift)")
                }
            }
        }
        // Decoded, not only the same both ways.
        let bytes = Self.line(text: #"a\"b\\c\nd\u00e9\ud83d\ude00 \ud83de"#, shift: 0, after: #", "k": "\"""#)
        let document = try #require(try bytes.withUnsafeBufferPointer { try JSONParser.parseDocument($0, controlFree: true) })
        #expect(document.text == .utf8(Array("a\"b\\c\nd\u{E9}\u{1F600} \u{FFFD}e".utf8)))
        #expect(document.others.count == 1)
    }

    @Test func textsOfManyEscapesDecodeAsWithoutControlFree() {
        // Escapes side by side, several in one step of the copy (sixteen bytes), at
        // every distance from each other (a fixed generator: the same texts each run).
        let pieces = ["a", "bc", "defghij", " ", #"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\t"#, "é", "東"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int(state >> 58) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += pieces[Int(state >> 33) % pieces.count]
            }
            let bytes = Self.line(text: text, shift: Int(state >> 61), after: #", "k": "v\\""#)
            Self.expectSameWhenControlFree(bytes, "\(text)")
        }
    }

    @Test func stringsThatEndAtTheLineEndGiveTheSameErrors() {
        for run in 0..<40 {
            let plain = String(repeating: "x", count: run)
            for tail in ["", #"\"#, #"\""#, #"\u00"#, #"\u"#, #"""#, #"\n""#, #"\\""#, #"\q"#, #"\u12G4""#] {
                let bytes = Array((#"{"id": "u", "text": ""# + plain + tail).utf8)
                Self.expectSameWhenControlFree(bytes, "\(plain)\(tail)")
                Self.expectSameOutcome(bytes, "\(plain)\(tail)")
            }
        }
    }

    @Test func aQuoteInTheTextIsTheEndOnlyWhenNotEscaped() throws {
        for run in 0..<20 {
            let plain = String(repeating: "q", count: run)
            for text in [plain + #"\"tail"#, plain + #"\\"#, plain + #"\\\"x\\"#, #"\""# + plain + #"\""#] {
                // Quotes and backslashes after the text must not count for it.
                let bytes = Self.line(text: text, shift: run % 3, after: #", "later": "a \" and \\ b""#)
                Self.expectSameOutcome(bytes, "\(text)")
            }
        }
        let bytes = Array(#"{"text": "say \"hi\"", "id": "x", "m": "\"\""}"#.utf8)
        let document = try #require(try bytes.withUnsafeBufferPointer { try JSONParser.parseDocument($0, controlFree: true) })
        #expect(document.text == .utf8(Array(#"say "hi""#.utf8)))
        #expect(document.others.map { String(decoding: bytes[$0], as: UTF8.self) } == [#""m": "\"\"""#])
    }

    @Test func badEscapesInTheTextAreFoundAtTheirByte() {
        for run in 0..<20 {
            let plain = String(repeating: "z", count: run)
            // The error is at the escape's letter, or at the first byte that is not hex.
            let cases = [(#"\x"#, "invalid escape", 1), (#"\u12G4"#, "invalid \\u escape", 4), (#"\ud83d\uZZ00"#, "invalid \\u escape", 8)]
            for (escape, message, offset) in cases {
                let prefix = #"{"id": "e", "text": ""# + plain
                let bytes = Array((prefix + escape + #"", "k": 1}"#).utf8)
                let result = bytes.withUnsafeBufferPointer { bytes in
                    Result { () throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes, controlFree: true) }
                }
                guard case .failure(let failure) = result else {
                    Issue.record("\(escape) after \(run) bytes parsed")
                    continue
                }
                #expect(failure.message == message, "\(escape) after \(run) bytes")
                #expect(failure.offset == prefix.utf8.count + offset, "\(escape) after \(run) bytes")
            }
        }
    }
}
