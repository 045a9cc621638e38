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

    /// Random texts over `alphabet`, each a list of its pieces' bytes, the same every run.
    private static func randomTexts(_ alphabet: [String], lengths: [Int], each: Int) -> [[UInt8]] {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var texts: [[UInt8]] = []
        for length in lengths {
            for _ in 0..<each {
                var text: [UInt8] = []
                for _ in 0..<length {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    text += Array(alphabet[Int(seed >> 33) % alphabet.count].utf8)
                }
                texts.append(text)
            }
        }
        return texts
    }

    /// Line breaks, the white space around them (spaces, tabs, CR, VT, FF, NBSP, an em
    /// space), bullets and letters: the bytes the line questions look at.
    static let lineAlphabet = [
        "\n", "\n", " ", " ", "\t", "\r", "\u{0B}", "\u{0C}", "\u{00A0}", "\u{2003}", "-", "*", "•", "a", "B", ".",
        "?", ")", "”", "…", "é",
    ]

    /// Whether the line break at `index` ends a paragraph, as the splitter's first pass
    /// over lines decided it: counting the spaces and tabs that open the next line.
    private static func plainEndsParagraph(_ text: [UInt8], _ index: Int) -> Bool {
        var next = index + 1
        var spaces = 0
        var tab = false
        while next < text.count, [0x20, 0x09, 0x0D, 0x0B, 0x0C].contains(text[next]) {
            if text[next] == 0x20 { spaces += 1 }
            if text[next] == 0x09 { tab = true }
            next += 1
        }
        return next >= text.count || text[next] == 0x0A || spaces >= 2 || tab
    }

    /// The end of the paragraph that `index` is in: its first line break at or after
    /// `index` that ends it, or the end of the text.
    private static func plainParagraphEnd(_ text: [UInt8], from index: Int) -> Int {
        (index..<text.count).first { text[$0] == 0x0A && plainEndsParagraph(text, $0) } ?? text.count
    }

    /// The line questions asked inside a paragraph give what they gave when the
    /// paragraph's end was known before it was scanned: `endsParagraph` at every line
    /// break, white space skipped no further than the paragraph's end, and a bullet
    /// whose space must come before that end.
    @Test func lineQuestionsStopAtTheParagraphEnd() {
        for text in Self.randomTexts(Self.lineAlphabet, lengths: [1, 2, 3, 5, 8, 13, 30], each: 300) {
            withBytes(text) { bytes in
                for index in text.indices where text[index] == 0x0A {
                    #expect(bytes.endsParagraph(index) == Self.plainEndsParagraph(text, index), "\(text) at \(index)")
                }
                for start in 0...text.count {
                    let end = Self.plainParagraphEnd(text, from: start)
                    for limit in start...text.count {
                        #expect(
                            bytes.skipWhiteSpaceInParagraph(from: start, limit: limit)
                                == bytes.skipWhiteSpace(from: start, limit: min(limit, end)),
                            "\(text) \(start)..<\(limit)")
                    }
                }
                // The scanner asks about a bullet only after a line break inside a paragraph.
                for index in text.indices where text[index] == 0x0A && !Self.plainEndsParagraph(text, index) {
                    let end = Self.plainParagraphEnd(text, from: index)
                    var first = index + 1
                    while first < end, [0x20, 0x09, 0x0D, 0x0B, 0x0C].contains(text[first]) { first += 1 }
                    let length = bytes.bulletLength(at: first)
                    let plain = length > 0 && first + length < end && bytes.whiteSpaceLength(at: first + length) > 0
                    #expect(bytes.startsWithBullet(index + 1) == plain, "\(text) at \(index)")
                }
            }
        }
    }

    /// `lineEndsWithTerminal` answers from the last byte when it can, as the walk back
    /// over white space and closers it skips would have.
    @Test func lineEndsWithTerminalLikeTheWalkBack() {
        for text in Self.randomTexts(Self.lineAlphabet + ["!", "\"", "’", "。", "x"], lengths: [1, 2, 4, 7], each: 400) {
            withBytes(text) { bytes in
                for start in 0...text.count {
                    for end in start...text.count {
                        var index = end
                        while index > start {
                            let length = max(bytes.whiteSpaceLength(before: index), bytes.closerLength(before: index))
                            if length == 0 { break }
                            index -= length
                        }
                        let plain = index > start
                            && ([0x2E, 0x3F, 0x21].contains(text[index - 1])
                                || (index - start >= 3 && bytes.terminalLength(at: index - 3) == 3))
                        #expect(bytes.lineEndsWithTerminal(start, end) == plain, "\(text) \(start)..<\(end)")
                    }
                }
            }
        }
    }

    /// The case of a letter and the length of white space, answered inline for ASCII,
    /// agree with the Unicode properties of every scalar of the Basic Multilingual
    /// Plane and a few beyond it, and every byte inside one is no letter and no space.
    @Test func letterCaseAndWhiteSpaceMatchUnicode() {
        let spaces = Set<UInt32>([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x202F, 0x205F, 0x3000])
            .union(0x2000...0x200A)
        for scalar in (0...0xFFFF).compactMap(Unicode.Scalar.init) + ["🎉", "𝐀", "𐐨"] {
            let character = Array(String(scalar).utf8)
            let text = character + Array("a".utf8)
            withBytes(text) { bytes in
                let expected: SentenceBytes.LetterCase =
                    ("0"..."9").contains(scalar)
                    ? .digit
                    : scalar.properties.isLowercase ? .lower : scalar.properties.isUppercase ? .upper : .other
                #expect(bytes.letterCase(at: 0) == expected, "\(scalar)")
                for offset in 1..<character.count { #expect(bytes.letterCase(at: offset) == .other, "\(scalar)") }
                let length = spaces.contains(scalar.value) ? character.count : 0
                #expect(bytes.whiteSpaceLength(at: 0) == length, "\(scalar)")
                #expect(bytes.whiteSpaceLength(before: character.count) == length, "\(scalar)")
                for offset in 1..<character.count { #expect(bytes.whiteSpaceLength(at: offset) == 0, "\(scalar)") }
            }
        }
    }
}
