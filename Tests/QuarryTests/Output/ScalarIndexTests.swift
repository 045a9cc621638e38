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
}
