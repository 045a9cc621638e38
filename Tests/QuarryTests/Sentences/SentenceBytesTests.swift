import Testing

@testable import Quarry

/// Calls `body` with the bytes of `bytes` as a `SentenceBytes`.
private func withBytes<T>(_ bytes: [UInt8], _ body: (SentenceBytes) -> T) -> T {
    bytes.withUnsafeBufferPointer { buffer in
        body(SentenceBytes(buffer.baseAddress!, count: buffer.count))
    }
}

@Suite struct SentenceBytesTests {
    /// The non-ASCII characters of each set, as the splitter documents them.
    static let closers: Set<Unicode.Scalar> = ["»", "’", "”", "›", "」", "』", "）"]
    static let openers: Set<Unicode.Scalar> = ["«", "‘", "“", "‹", "「", "『", "（"]
    static let bullets: Set<Unicode.Scalar> = ["•", "‣", "⁃", "◦", "▪", "·"]
    static let terminals: Set<Unicode.Scalar> = ["…", "。", "！", "？"]

    /// Every non-ASCII scalar of the Basic Multilingual Plane and a few beyond it is
    /// found, forwards and backwards, exactly when it is in its set, with its length.
    @Test func findsExactlyTheListedMarks() {
        let scalars = (0x80...0xFFFF).compactMap(Unicode.Scalar.init) + ["🎉", "𝐀"]
        for scalar in scalars {
            let character = Array(String(scalar).utf8)
            let length = character.count
            // Letters around it, so that a look never runs off the text.
            let text = Array("ab".utf8) + character + Array("cd".utf8)
            let start = 2
            let end = 2 + length
            withBytes(text) { bytes in
                #expect(bytes.closerLength(at: start) == (Self.closers.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.closerLength(before: end) == (Self.closers.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.openerLength(at: start) == (Self.openers.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.openerLength(before: end) == (Self.openers.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.bulletLength(at: start) == (Self.bullets.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.bulletLength(before: end) == (Self.bullets.contains(scalar) ? length : 0), "\(scalar)")
                #expect(bytes.terminalLength(at: start) == (Self.terminals.contains(scalar) ? length : 0), "\(scalar)")
            }
        }
    }

    /// ASCII closers, openers and bullets are one byte; other ASCII bytes are none.
    @Test func findsASCIIMarks() {
        for byte in UInt8(0)..<0x80 {
            withBytes([0x61, byte, 0x61]) { bytes in
                #expect(bytes.closerLength(at: 1) == (Array("\"')]}".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.closerLength(before: 2) == (Array("\"')]}".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.openerLength(at: 1) == (Array("\"'([{".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.openerLength(before: 2) == (Array("\"'([{".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.bulletLength(at: 1) == (Array("-*".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.bulletLength(before: 2) == (Array("-*".utf8).contains(byte) ? 1 : 0))
                #expect(bytes.terminalLength(at: 1) == 0)
            }
        }
    }

    /// A mark cut off by the end of the text, or followed by a stray continuation
    /// byte, is no mark: only a whole character ending right there counts.
    @Test func ignoresBrokenMarks() {
        // » and ’ without their last byte, at the end of the text.
        withBytes([0x61, 0xC2]) { #expect($0.closerLength(at: 1) == 0) }
        withBytes([0x61, 0xE2, 0x80]) { #expect($0.closerLength(at: 1) == 0) }
        withBytes([0xE2, 0x80]) { #expect($0.closerLength(before: 2) == 0) }
        // » followed by a continuation byte: backwards from after it there is none.
        withBytes([0x61, 0xC2, 0xBB, 0x80]) { bytes in
            #expect(bytes.closerLength(before: 4) == 0)
            #expect(bytes.closerLength(before: 3) == 2)
        }
        // The last two bytes of ’ alone, and … at the very start.
        withBytes([0x80, 0x99]) { #expect($0.closerLength(before: 2) == 0) }
        withBytes([0xE2, 0x80, 0xA6]) { bytes in
            #expect(bytes.terminalLength(at: 0) == 3)
            #expect(bytes.closerLength(before: 3) == 0)
        }
    }

    /// The searches (eight bytes a step, or `memchr`) give the first candidate a byte-by-byte
    /// search gives, from every start and up to every limit, in texts dense with
    /// candidates, near-misses (`/`, `(`, 0xE1, 0xC3) and bytes a borrow can
    /// wrongly flag (`/` right after `.`, 0x0B after 0x0A).
    @Test func findsTheFirstCandidateLikeAByteLoop() {
        let alphabet = Array("ab .?!)(/\n\u{0B}".utf8) + [0xE1, 0xE2, 0x80, 0xA6, 0xC3, 0xA9, 0xFF]
        var seed: UInt64 = 0x2545_F491_4F6C_DD1D
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 40, 97] {
            for _ in 0..<20 {
                let text = (0..<length).map { _ in
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return alphabet[Int(seed >> 33) % alphabet.count]
                }
                withBytes(text) { bytes in
                    for start in 0...length {
                        for byte: UInt8 in [0x2E, 0x29] {
                            let found = text[start...].firstIndex(of: byte) ?? length
                            #expect(bytes.next(byte, from: start) == found, "\(text) from \(start)")
                        }
                        for limit in start...length {
                            let stop = text[start..<limit].firstIndex {
                                $0 == 0x2E || $0 == 0x3F || $0 == 0x21 || $0 == 0x0A || $0 >= 0xE2
                            } ?? limit
                            #expect(bytes.nextStop(from: start, limit: limit) == stop, "\(text) \(start)..<\(limit)")
                        }
                    }
                }
            }
        }
    }
}
