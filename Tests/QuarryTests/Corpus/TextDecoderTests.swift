import Testing
@testable import Quarry

@Suite struct TextDecoderTests {
    func decode(_ bytes: [UInt8]) -> TextDecoder.Result {
        bytes.withUnsafeBufferPointer { TextDecoder.decode($0) }
    }

    @Test func validTextIsKept() {
        let result = decode(Array("Sébastien “quoted” 東京 😀\r\nend".utf8))
        #expect(result.text == "Sébastien “quoted” 東京 😀\r\nend")
        #expect(result.invalidOffsets.isEmpty)
    }

    @Test func leadingBOMIsDropped() {
        let result = decode([0xEF, 0xBB, 0xBF] + Array("abc".utf8))
        #expect(result.text == "abc")
        #expect(result.text.unicodeScalars.count == 3)
        #expect(result.invalidOffsets.isEmpty)
    }

    @Test func bomInsideTheTextIsText() {
        let result = decode(Array("a\u{FEFF}b".utf8))
        #expect(result.text.unicodeScalars.map(\.value) == [0x61, 0xFEFF, 0x62])
    }

    @Test func loneContinuationByte() {
        let result = decode([0x61, 0x80, 0x62])
        #expect(result.text == "a\u{FFFD}b")
        #expect(result.invalidOffsets == [1])
    }

    @Test func overlongTwoByteForm() {
        // C0 AF is an overlong "/": C0 is never valid, AF is then a stray continuation.
        let result = decode([0x61, 0xC0, 0xAF, 0x62])
        #expect(result.text == "a\u{FFFD}\u{FFFD}b")
        #expect(result.invalidOffsets == [1, 2])
    }

    @Test func overlongThreeByteForm() {
        // E0 80 AF: E0 must be followed by A0...BF.
        let result = decode([0x61, 0xE0, 0x80, 0xAF])
        #expect(result.text == "a\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(result.invalidOffsets == [1, 2, 3])
    }

    @Test func utf8EncodedSurrogate() {
        // ED A0 80 would be U+D800.
        let result = decode([0xED, 0xA0, 0x80, 0x21])
        #expect(result.text == "\u{FFFD}\u{FFFD}\u{FFFD}!")
        #expect(result.invalidOffsets == [0, 1, 2])
    }

    @Test func aboveTheLastCodePoint() {
        // F4 90 80 80 would be U+110000.
        let result = decode([0xF4, 0x90, 0x80, 0x80])
        #expect(result.text == "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(result.invalidOffsets == [0, 1, 2, 3])
    }

    @Test func truncatedSequenceIsOneReplacement() {
        // E2 82 is the start of "€" (E2 82 AC), cut short by "b" and by the end.
        let cut = decode([0x61, 0xE2, 0x82, 0x62])
        #expect(cut.text == "a\u{FFFD}b")
        #expect(cut.invalidOffsets == [1])
        let end = decode([0x61, 0xF0, 0x9F, 0x98])
        #expect(end.text == "a\u{FFFD}")
        #expect(end.invalidOffsets == [1])
    }

    @Test func offsetsCountTheBOMAndValidMultibyteText() {
        // BOM (3 bytes) + "é" (2 bytes) + lone continuation at byte 5 + "€" + lone FF at byte 9.
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0x80, 0xE2, 0x82, 0xAC, 0xFF]
        let result = decode(bytes)
        #expect(result.text == "é\u{FFFD}€\u{FFFD}")
        #expect(result.invalidOffsets == [5, 9])
    }

    @Test func replacementsAgreeWithTheStandardLibrary() {
        let samples: [[UInt8]] = [
            [0x61, 0xC0, 0xAF, 0x62], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0xE2, 0x82, 0x62], [0xF0, 0x9F, 0x98], [0x80, 0x80, 0xC3], [0xF8, 0x88, 0x80, 0x80, 0x80],
        ]
        for sample in samples {
            #expect(decode(sample).text == String(decoding: sample, as: UTF8.self), "\(sample)")
        }
    }

    @Test func repairGivesTheBytesOfTheDecodedText() {
        let samples: [[UInt8]] = [
            [], Array("plain".utf8), [0xEF, 0xBB, 0xBF] + Array("bom é".utf8), [0x61, 0xC0, 0xAF, 0x62],
            [0xEF, 0xBB, 0xBF, 0xFF], [0xE2, 0x82, 0x62], Array("€😀".utf8),
        ]
        for sample in samples {
            let decoded = decode(sample)
            let fromArray = TextDecoder.repair(sample)
            let fromBuffer = sample.withUnsafeBufferPointer { TextDecoder.repair($0) }
            #expect(fromArray.utf8 == Array(decoded.text.utf8), "\(sample)")
            #expect(fromArray.invalidOffsets == decoded.invalidOffsets, "\(sample)")
            #expect(fromBuffer.utf8 == fromArray.utf8 && fromBuffer.invalidOffsets == fromArray.invalidOffsets, "\(sample)")
        }
    }

    @Test func repairKeepsAValidArrayUncopied() {
        let bytes = Array("Tokyo and Paris discussed trade. Café.".utf8)
        let repaired = TextDecoder.repair(bytes)
        #expect(repaired.utf8.withUnsafeBufferPointer { $0.baseAddress } == bytes.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func checkFindsAControlCharacterAtAnyByte() {
        // Lengths and places around the 32-byte steps, the last step that goes over
        // bytes again, and the short lines read a byte at a time.
        for count in [1, 7, 8, 31, 32, 33, 63, 64, 65, 95, 96, 97, 100] {
            let plain = [UInt8](repeating: UInt8(ascii: "a"), count: count)
            #expect(plain.withUnsafeBufferPointer(TextDecoder.check) == (true, true))
            for index in 0..<count {
                for control: UInt8 in [0x00, 0x09, 0x0A, 0x0D, 0x1F] {
                    var bytes = plain
                    bytes[index] = control
                    #expect(bytes.withUnsafeBufferPointer(TextDecoder.check) == (true, false), "\(control) at \(index) of \(count)")
                }
                // The bytes just above and below what counts.
                var space = plain
                space[index] = 0x20
                var high = plain
                high[index] = 0x7F
                #expect(space.withUnsafeBufferPointer(TextDecoder.check) == (true, true))
                #expect(high.withUnsafeBufferPointer(TextDecoder.check) == (true, true))
            }
        }
    }

    @Test func checkAgreesWithIsValidAfterTheFirstNonASCIIByte() {
        let pieces: [[UInt8]] = [Array("é".utf8), Array("東".utf8), [0xFF], [0xE6, 0x97], [0x09], [0x80]]
        for count in [0, 5, 31, 32, 40, 63, 64, 70, 96] {
            for piece in pieces {
                for tail in [[], [UInt8(0x0A)], Array("é ok".utf8), [0xC3]] {
                    let bytes = [UInt8](repeating: UInt8(ascii: "b"), count: count) + piece + tail
                    let check = bytes.withUnsafeBufferPointer(TextDecoder.check)
                    #expect(check.valid == bytes.withUnsafeBufferPointer(TextDecoder.isValid), "\(bytes)")
                    #expect(check.controlFree == !bytes.contains { $0 < 0x20 }, "\(bytes)")
                }
            }
        }
    }
}

/// `isValid` and `check` against the standard library's own check of UTF-8.
@Suite struct TextDecoderValidationTests {
    static func oracle(_ bytes: [UInt8]) -> (valid: Bool, controlFree: Bool) {
        (String(validating: bytes, as: UTF8.self) != nil, !bytes.contains { $0 < 0x20 })
    }

    static func expectAgrees(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = oracle(bytes)
        let valid = bytes.withUnsafeBufferPointer(TextDecoder.isValid)
        let check = bytes.withUnsafeBufferPointer(TextDecoder.check)
        #expect(valid == expected.valid, "isValid \(bytes)", sourceLocation: sourceLocation)
        #expect(check.valid == expected.valid && check.controlFree == expected.controlFree, "check \(bytes)", sourceLocation: sourceLocation)
    }

    /// Each byte sequence the standard rules out or allows at its edges: overlong
    /// forms, surrogates, code points past U+10FFFF, bytes never used, and
    /// sequences cut short, at every place around the eight-byte steps.
    @Test func edgesOfTheEncodingAtEveryPlace() {
        let pieces: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xC2], [0xC2, 0x41],
            [0xE0, 0xA0, 0x80], [0xE0, 0x9F, 0xBF], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF], [0xE2, 0x80],
            [0xF0, 0x90, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF5, 0x80, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x80], [0xBF], [0xFE], [0xFF],
            Array("“é”".utf8), [0x0A], [0x1F], [0x7F],
        ]
        for piece in pieces {
            for before in [0, 1, 5, 6, 7, 8, 9, 15, 31, 32, 33, 62, 70] {
                for after in [0, 1, 7, 8, 40] {
                    let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: before) + piece
                        + [UInt8](repeating: UInt8(ascii: "z"), count: after)
                    Self.expectAgrees(bytes)
                }
            }
        }
    }

    /// Random lines of mostly ASCII text with some characters of two to four bytes,
    /// a control character now and then, and a broken byte in some.
    @Test func randomLinesAgreeWithTheStandardLibrary() {
        var generator = SplitMix(seed: 0x07F8_0001)
        let characters: [[UInt8]] = ["é", "“", "”", "—", "東", "😀", "€"].map { Array($0.utf8) }
        func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            let length = pick(160)
            while bytes.count < length {
                switch pick(100) {
                case 0..<85: bytes.append(0x20 + UInt8(pick(0x5F)))
                case 85..<97: bytes += characters[pick(characters.count)]
                case 97: bytes.append(UInt8(pick(0x20)))
                default: bytes.append(0x80 + UInt8(pick(0x80)))
                }
            }
            Self.expectAgrees(bytes)
        }
    }
}
