import Foundation
import Testing
@testable import Quarry

@Suite struct JSONBufferTests {
    static func string(_ value: String) -> String {
        var buffer = JSONBuffer()
        buffer.string(value)
        return String(decoding: buffer.bytes, as: UTF8.self)
    }

    @Test func escapesQuotesBackslashesAndControls() {
        #expect(Self.string(#"He said "hi" \ bye"#) == #""He said \"hi\" \\ bye""#)
        #expect(Self.string("a\nb\rc\td") == #""a\nb\rc\td""#)
        #expect(Self.string("\u{00}\u{01}\u{1F}\u{7F}") == #""\u0000\u0001\u001f\u007f""#)
    }

    @Test func nonASCIIStaysUTF8() {
        let text = "Sébastien “quoted” 東京 😀 \u{2028}"
        var buffer = JSONBuffer()
        buffer.string(text)
        #expect(buffer.bytes == [0x22] + Array(text.utf8) + [0x22])
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let text = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! })) + "\"\\/é😀"
        var buffer = JSONBuffer()
        buffer.raw("[")
        buffer.string(text)
        buffer.raw("]")
        let parsed = try JSONSerialization.jsonObject(with: Data(buffer.bytes)) as? [String]
        #expect(parsed == [text])
    }

    @Test func attributesAreSortedByKey() {
        var buffer = JSONBuffer()
        buffer.attributes(["iso3": "JPN", "capital": "yes", "b": "\"x\""])
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == #"{"b":"\"x\"","capital":"yes","iso3":"JPN"}"#)
    }

    @Test func valuesAreWrittenAsTheyWereRead() throws {
        let source = #"{"b":1.50,"a":[true,false,null,"x\"y"],"c":{"z":-0,"y":1e+10}}"#
        var buffer = JSONBuffer()
        buffer.value(try JSONParser.parse(source))
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == source)
    }
}
