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

    /// The escaping of `string(utf8:)` done one byte at a time, as reference.
    static func escapedByteByByte(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in bytes {
            switch byte {
            case 0x22: out += Array(#"\""#.utf8)
            case 0x5C: out += Array(#"\\"#.utf8)
            case 0x0A: out += Array(#"\n"#.utf8)
            case 0x0D: out += Array(#"\r"#.utf8)
            case 0x09: out += Array(#"\t"#.utf8)
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    @Test func escapesAtEveryPlaceOfALongString() {
        // Runs without escapes are skipped eight bytes a step: a character to
        // escape at each place of strings around a word's length.
        for length in [0, 1, 7, 8, 9, 16, 17, 40] {
            for place in 0..<max(length, 1) {
                for special: UInt8 in [0x22, 0x5C, 0x0A, 0x01, 0x7F, 0x1F] {
                    var bytes = Array(repeating: UInt8(ascii: "x"), count: length)
                    if place < length { bytes[place] = special }
                    if length > 3 { bytes[length - 1] = 0xA9; bytes[length - 2] = 0xC3 }
                    var buffer = JSONBuffer()
                    bytes.withUnsafeBufferPointer { buffer.string(utf8: $0) }
                    #expect(buffer.bytes == Self.escapedByteByByte(bytes), "length \(length), byte \(special) at \(place)")
                }
            }
        }
    }

    @Test func twoEscapesAtEveryPairOfPlaces() {
        // After an escape, the rest is copied up to the next one: a second
        // character to escape at each place after the first, in strings around
        // one and two words long.
        for length in [2, 8, 9, 15, 16, 17, 24] {
            for first in 0..<length {
                for second in (first + 1)..<max(length, first + 1) {
                    var bytes = Array(repeating: UInt8(ascii: "y"), count: length)
                    bytes[first] = 0x0A
                    bytes[second] = 0x22
                    var buffer = JSONBuffer()
                    bytes.withUnsafeBufferPointer { buffer.string(utf8: $0) }
                    #expect(buffer.bytes == Self.escapedByteByByte(bytes), "length \(length), escapes at \(first) and \(second)")
                }
            }
        }
    }

    @Test func numbersAndHexAreWrittenAsTheirText() {
        // Each count of digits, at both its ends (digits are counted before they
        // are written), and the widest of both signs.
        var numbers = [0, 5, 10, 64, 1_000_000, -1, -42, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        for _ in 1...18 {
            power *= 10
            numbers += [power - 1, power, -(power - 1), -power]
        }
        for number in numbers {
            var buffer = JSONBuffer()
            buffer.number(number)
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == String(number))
        }
        for value: UInt64 in [0, 1, 0xabc, 0xcbf2_9ce4_8422_2325, .max] {
            var buffer = JSONBuffer()
            buffer.hex(value)
            let digits = String(value, radix: 16)
            #expect(String(decoding: buffer.bytes, as: UTF8.self) == String(repeating: "0", count: 16 - digits.count) + digits)
        }
    }

    @Test func oneAttributeAndManyAreWrittenAlike() {
        var one = JSONBuffer()
        one.attributes(["iso3": "JPN"])
        #expect(String(decoding: one.bytes, as: UTF8.self) == #"{"iso3":"JPN"}"#)
        var none = JSONBuffer()
        none.attributes([:])
        #expect(String(decoding: none.bytes, as: UTF8.self) == "{}")
        // Two, in either order of the dictionary's, and with a key that is a
        // prefix of the other.
        for attrs: [String: String] in [["iso3": "JPN", "iso2": "JP"], ["iso2": "JP", "iso3": "JPN"], ["ab": "1", "a": "2"]] {
            var two = JSONBuffer()
            two.attributes(attrs)
            var slow = JSONBuffer()
            slow.raw("{")
            for (index, key) in attrs.keys.sorted().enumerated() {
                if index > 0 { slow.raw(",") }
                slow.string(key)
                slow.raw(":")
                slow.string(attrs[key]!)
            }
            slow.raw("}")
            #expect(two.bytes == slow.bytes, "\(attrs)")
        }
    }

    @Test func truncateDropsWhatFollows() {
        var buffer = JSONBuffer()
        buffer.raw("[1")
        let mark = buffer.count
        buffer.raw(",2")
        buffer.truncate(to: mark)
        buffer.raw("]")
        #expect(String(decoding: buffer.bytes, as: UTF8.self) == "[1]")
    }

    /// The buffer keeps its bytes in memory of its own, and is still a value: a
    /// copy written to, truncated or appended to leaves the other as it was.
    @Test func copiesAreIndependent() {
        var first = JSONBuffer()
        let empty = first
        first.raw("[1")
        var second = first
        second.raw(",2]")
        first.raw("]")
        #expect(String(decoding: first.bytes, as: UTF8.self) == "[1]")
        #expect(String(decoding: second.bytes, as: UTF8.self) == "[1,2]")
        #expect(empty.count == 0 && empty.bytes.isEmpty)
        var third = second
        third.truncate(to: 2)
        #expect(String(decoding: second.bytes, as: UTF8.self) == "[1,2]")
        #expect(String(decoding: third.bytes, as: UTF8.self) == "[1")
        third.append(second)
        #expect(String(decoding: third.bytes, as: UTF8.self) == "[1[1,2]")
        #expect(third.withBytes { Array($0) } == third.bytes)
    }

    /// Growing keeps what was written: 100,000 writes of every size from 1 byte to
    /// past the doubled capacity, against an array.
    @Test func growingKeepsEveryByte() {
        var buffer = JSONBuffer()
        var expected: [UInt8] = []
        var generator = SplitMix(seed: 0x6A50_4E)
        for round in 0..<100_000 {
            let length = Int(generator.next() % (round % 1000 == 0 ? 5000 : 20))
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: round &+ $0) }
            bytes.withUnsafeBufferPointer { buffer.raw(utf8: $0) }
            expected += bytes
            if round == 50_000 { buffer.reserveCapacity(buffer.count * 3) }
        }
        #expect(buffer.count == expected.count)
        #expect(buffer.bytes == expected)
    }
}
