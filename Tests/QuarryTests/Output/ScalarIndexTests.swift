import Testing
@testable import Quarry

@Suite struct ScalarIndexTests {
    @Test func matchesAScalarCountAtEveryCharacterBoundary() {
        // Long enough to cross several 64-byte blocks, with 1- to 4-byte characters.
        let text = String(repeating: "aé東😀 “x” 🇫🇷 ", count: 40)
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let index = ScalarIndex(buffer)
            var byte = 0
            var scalars = 0
            for scalar in text.unicodeScalars {
                #expect(index.scalarOffset(byte, in: buffer) == scalars)
                byte += String(scalar).utf8.count
                scalars += 1
            }
            #expect(index.scalarOffset(bytes.count, in: buffer) == text.unicodeScalars.count)
        }
    }

    @Test func asciiOffsetsAreByteOffsets() {
        let bytes = Array(String(repeating: "France and Japan. ", count: 20).utf8)
        bytes.withUnsafeBufferPointer { buffer in
            let index = ScalarIndex(buffer)
            for offset in [0, 1, 63, 64, 65, 200, bytes.count] {
                #expect(index.scalarOffset(offset, in: buffer) == offset)
            }
        }
    }

    @Test func aNonASCIICharacterInAnyWordOfA32ByteStep() {
        // An ASCII text is found 32 bytes a step, four words at once, then eight
        // bytes and the tail: one "é" at each place, in texts around those sizes.
        for length in [31, 32, 33, 40, 64, 95, 96, 100] {
            for place in 0..<(length - 1) {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes[place] = 0xC3
                bytes[place + 1] = 0xA9
                bytes.withUnsafeBufferPointer { buffer in
                    let index = ScalarIndex(buffer)
                    #expect(index.scalarOffset(place + 2, in: buffer) == place + 1, "length \(length), place \(place)")
                    #expect(index.scalarOffset(length, in: buffer) == length - 1, "length \(length), place \(place)")
                }
            }
        }
    }

    @Test func everyLengthAndPlaceOfANonASCIICharacter() {
        // Whole 64-byte blocks counted eight bytes a step, the tail byte by byte,
        // and ASCII texts that keep no counts: each against a plain count.
        for length in [0, 1, 7, 8, 63, 64, 65, 127, 128, 130, 200] {
            for place in [nil, 0, 5, 63, 64, 100, 190] as [Int?] {
                var scalars = Array(repeating: Unicode.Scalar("a"), count: length)
                if let place, place < length { scalars[place] = "é" }
                if let place, place + 1 < length { scalars[place + 1] = "😀" }
                let text = String(String.UnicodeScalarView(scalars))
                let bytes = Array(text.utf8)
                bytes.withUnsafeBufferPointer { buffer in
                    let index = ScalarIndex(buffer)
                    var byte = 0
                    for (count, scalar) in text.unicodeScalars.enumerated() {
                        #expect(index.scalarOffset(byte, in: buffer) == count, "length \(length), place \(String(describing: place))")
                        byte += String(scalar).utf8.count
                    }
                    #expect(index.scalarOffset(bytes.count, in: buffer) == text.unicodeScalars.count)
                }
            }
        }
    }
}
