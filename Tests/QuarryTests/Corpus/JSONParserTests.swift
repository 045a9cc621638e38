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
}
