import Testing
@testable import Quarry

@Suite struct ByteWordTests {
    /// Words built from bytes near the edges the tests care about, against a byte
    /// by byte answer: every test is exact as a yes or no.
    @Test func everyTestAgreesWithLookingAtEachByte() {
        let interesting: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x29, 0x2E, 0x3F, 0x5C, 0x7F, 0x80, 0xE2, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pick = Int(state >> 59)
                bytes.append(pick < interesting.count ? interesting[pick] : UInt8(truncatingIfNeeded: state >> 40))
            }
            let word = bytes.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!, 0) }
            for byte in interesting {
                #expect((ByteWord.has(word, byte) != 0) == bytes.contains(byte), "\(bytes) has \(byte)")
            }
            for bound: UInt8 in [0x20, 0x80] {
                #expect((ByteWord.hasBelow(word, bound) != 0) == bytes.contains { $0 < bound }, "\(bytes) below \(bound)")
            }
            #expect((ByteWord.hasNonASCII(word) != 0) == bytes.contains { $0 >= 0x80 })
        }
    }
}
