#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a text being split, and the questions about them that need no state
/// of the scan: what character is at an offset, where the next candidate stop is.
///
/// Two words, passed in registers. `SentenceScanner` is a large struct that its
/// `mutating` methods hold `inout`; a call from one of them to a non-mutating method of
/// the scanner copied the whole scanner to the stack (a `memcpy` of 137 bytes, 11% of
/// the splitter's instructions), a call to a method of this value copies nothing.
struct SentenceBytes {
    let base: UnsafePointer<UInt8>
    let count: Int

    init(_ base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    /// What a letter looks like, for decisions that depend on the next word.
    enum LetterCase { case lower, upper, digit, other }

    /// Inlined for ASCII: the splitter asks this at every line break, and the Unicode
    /// properties of the other case cost a metadata lookup in whatever function holds
    /// them, even when no non-ASCII byte is ever read.
    @inline(__always) func letterCase(at index: Int) -> LetterCase {
        let byte = base[index]
        if Self.isASCIILower(byte) { return .lower }
        if Self.isASCIIUpper(byte) { return .upper }
        if Self.isDigit(byte) { return .digit }
        if byte < 0xC0 { return .other }
        return nonASCIILetterCase(at: index)
    }

    @inline(never) private func nonASCIILetterCase(at index: Int) -> LetterCase {
        guard let scalar = scalar(at: index) else { return .other }
        if scalar.properties.isLowercase { return .lower }
        if scalar.properties.isUppercase { return .upper }
        return .other
    }

    /// The scalar whose lead byte is at `index`.
    func scalar(at index: Int) -> Unicode.Scalar? {
        let lead = UInt32(base[index])
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= count else { return nil }
        var value = lead & (0xFF >> (length + 1))
        for offset in 1..<length { value = value << 6 | UInt32(base[index + offset] & 0x3F) }
        return Unicode.Scalar(value)
    }

    @inline(__always) func skipWhiteSpace(from start: Int, limit: Int) -> Int {
        skip(from: start, limit: limit, whiteSpaceLength(at:))
    }

    func skipOpeners(from start: Int, limit: Int) -> Int {
        skip(from: start, limit: limit, openerLength(at:))
    }

    /// The end of the run of characters from `start` (up to `limit`) that
    /// `length` gives a length to.
    @inline(__always) private func skip(from start: Int, limit: Int, _ length: (Int) -> Int) -> Int {
        var index = start
        while index < limit {
            let step = length(index)
            if step == 0 { break }
            index += step
        }
        return index
    }

    /// The length of the white-space character at `index` (ASCII, U+00A0, U+2000-200A,
    /// U+202F, U+205F, U+3000), or 0.
    ///
    /// Inlined for ASCII, where most of the splitter's looks end.
    @inline(__always) func whiteSpaceLength(at index: Int) -> Int {
        guard index < count else { return 0 }
        let byte = base[index]
        if byte < 0x80 { return Self.isASCIIWhiteSpace(byte) ? 1 : 0 }
        return nonASCIIWhiteSpaceLength(at: index)
    }

    @inline(never) private func nonASCIIWhiteSpaceLength(at index: Int) -> Int {
        let byte = base[index]
        if byte < 0xC2 { return 0 }
        if byte == 0xC2 { return index + 1 < count && base[index + 1] == 0xA0 ? 2 : 0 }
        guard index + 2 < count else { return 0 }
        return Self.isWideSpace(byte, base[index + 1], base[index + 2]) ? 3 : 0
    }

    /// The length of the white-space character that ends right before `index`, or 0.
    func whiteSpaceLength(before index: Int) -> Int {
        guard index > 0 else { return 0 }
        let byte = base[index - 1]
        if byte < 0x80 { return Self.isASCIIWhiteSpace(byte) ? 1 : 0 }
        if index >= 2 && base[index - 2] == 0xC2 && byte == 0xA0 { return 2 }
        if index >= 3 && Self.isWideSpace(base[index - 3], base[index - 2], byte) { return 3 }
        return 0
    }

    static func isWideSpace(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
        (a == 0xE2 && b == 0x80 && (c <= 0x8A || c == 0xAF)) || (a == 0xE2 && b == 0x81 && c == 0x9F)
            || (a == 0xE3 && b == 0x80 && c == 0x80)
    }

    /// The two or three bytes of the non-ASCII character at `index`, packed in one
    /// integer (`0xC2BB` for », `0xE28099` for ’), or 0 when it is not a character of
    /// the sets below: their lead bytes are 0xC2 (two bytes) and 0xE2-0xEF (three).
    ///
    /// A set is then a `switch` over integer literals (`Marks.contains`); the static
    /// arrays of byte arrays it replaces cost a `swift_once`, a loop over arrays and,
    /// looking backwards, an allocation at every look.
    private func mark(at index: Int) -> UInt32 {
        let lead = base[index]
        if lead == 0xC2 { return index + 2 <= count ? 0xC200 | UInt32(base[index + 1]) : 0 }
        guard lead >= 0xE2 && lead <= 0xEF && index + 3 <= count else { return 0 }
        return UInt32(lead) << 16 | UInt32(base[index + 1]) << 8 | UInt32(base[index + 2])
    }

    /// The non-ASCII character of the sets below that ends right before `index`,
    /// packed as by `mark(at:)`, or 0.
    ///
    /// At most one reading can match: the middle byte of every three-byte entry is
    /// below 0xC0, so it is never the lead 0xC2 of a two-byte one.
    private func mark(before index: Int) -> UInt32 {
        guard base[index - 1] >= 0x80 else { return 0 }
        if index >= 2 && base[index - 2] == 0xC2 { return mark(at: index - 2) }
        if index >= 3 && base[index - 3] >= 0xE2 { return mark(at: index - 3) }
        return 0
    }

    /// The characters the scanner looks for, in four sets: a few ASCII bytes and
    /// non-ASCII characters each.
    enum Marks {
        /// Closing quotes and brackets: `"` `'` `)` `]` `}` » ’ ” › 」 』 ）.
        case closers
        /// Opening quotes and brackets: `"` `'` `(` `[` `{` « ‘ “ ‹ 「 『 （.
        case openers
        /// Bullets: `-` `*` • ‣ ⁃ ◦ ▪ ·.
        case bullets
        /// Final marks: … (an ellipsis) and the CJK 。 ！ ？ (full stops); no ASCII
        /// byte (`.`, `?` and `!` are the scanner's stops).
        case terminals

        /// Whether the ASCII `byte` is in the set.
        func contains(ascii byte: UInt8) -> Bool {
            switch (self, byte) {
            case (.closers, 0x22), (.closers, 0x27), (.closers, 0x29), (.closers, 0x5D), (.closers, 0x7D):
                true
            case (.openers, 0x22), (.openers, 0x27), (.openers, 0x28), (.openers, 0x5B), (.openers, 0x7B):
                true
            case (.bullets, 0x2D), (.bullets, 0x2A):
                true
            default:
                false
            }
        }

        /// Whether the non-ASCII character packed as by `mark(at:)` is in the set.
        func contains(_ mark: UInt32) -> Bool {
            switch (self, mark) {
            case (.closers, 0xC2BB), (.closers, 0xE2_8099), (.closers, 0xE2_809D), (.closers, 0xE2_80BA),
                (.closers, 0xE3_808D), (.closers, 0xE3_808F), (.closers, 0xEF_BC89):
                true
            case (.openers, 0xC2AB), (.openers, 0xE2_8098), (.openers, 0xE2_809C), (.openers, 0xE2_80B9),
                (.openers, 0xE3_808C), (.openers, 0xE3_808E), (.openers, 0xEF_BC88):
                true
            case (.bullets, 0xE2_80A2), (.bullets, 0xE2_80A3), (.bullets, 0xE2_8183), (.bullets, 0xE2_97A6),
                (.bullets, 0xE2_96AA), (.bullets, 0xC2B7):
                true
            case (.terminals, 0xE2_80A6), (.terminals, 0xE3_8082), (.terminals, 0xEF_BC81), (.terminals, 0xEF_BC9F):
                true
            default:
                false
            }
        }
    }

    /// The length of the character of `marks` at `index`, or 0.
    @inline(__always) private func length(of marks: Marks, at index: Int) -> Int {
        guard index < count else { return 0 }
        let byte = base[index]
        if byte < 0x80 { return marks.contains(ascii: byte) ? 1 : 0 }
        // Every non-ASCII mark starts with 0xC2 or a byte from 0xE2.
        guard byte >= 0xC2 else { return 0 }
        let mark = mark(at: index)
        return marks.contains(mark) ? (mark > 0xFFFF ? 3 : 2) : 0
    }

    /// The length of the character of `marks` that ends right before `index`, or 0.
    @inline(__always) private func length(of marks: Marks, before index: Int) -> Int {
        guard index > 0 else { return 0 }
        let byte = base[index - 1]
        if byte < 0x80 { return marks.contains(ascii: byte) ? 1 : 0 }
        let mark = mark(before: index)
        return marks.contains(mark) ? (mark > 0xFFFF ? 3 : 2) : 0
    }

    func closerLength(at index: Int) -> Int { length(of: .closers, at: index) }
    func closerLength(before index: Int) -> Int { length(of: .closers, before: index) }
    func openerLength(at index: Int) -> Int { length(of: .openers, at: index) }
    func openerLength(before index: Int) -> Int { length(of: .openers, before: index) }
    func bulletLength(at index: Int) -> Int { length(of: .bullets, at: index) }
    func bulletLength(before index: Int) -> Int { length(of: .bullets, before: index) }

    /// The length of the non-ASCII final mark at `index` (always 3), or 0.
    func terminalLength(at index: Int) -> Int {
        guard base[index] >= 0xE2 else { return 0 }
        return length(of: .terminals, at: index)
    }

    /// ASCII white space: space, tab, line feed, vertical tab, form feed, carriage return.
    static func isASCIIWhiteSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
    static func isHorizontalSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isASCIILower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    static func isASCIIUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
    static func isASCIILetter(_ byte: UInt8) -> Bool { isASCIILower(byte) || isASCIIUpper(byte) }

    // MARK: Lines, stops and markers

    /// The first byte at or after `index` (before `limit`) that may end a sentence:
    /// `.`, `?`, `!`, a line break, or the lead byte of a non-ASCII mark. Sixteen bytes
    /// a step, then eight: most bytes are none of these.
    func nextStop(from start: Int, limit: Int) -> Int {
        var index = start
        // Two words a step test one branch for both.
        while index &+ 16 <= limit {
            let low = Self.stops(ByteWord.load(base, index))
            let high = Self.stops(ByteWord.load(base, index &+ 8))
            if low | high == 0 {
                index &+= 16
                continue
            }
            index &+= low != 0 ? ByteWord.firstFlagged(low) : 8 &+ ByteWord.firstFlagged(high)
            // Every non-ASCII byte is flagged, but only a lead byte from 0xE2 may
            // begin a mark: after an accented letter, go on from the next byte.
            if base[index] < 0x80 || base[index] >= 0xE2 { return index }
            index &+= 1
        }
        while index &+ 8 <= limit {
            let found = Self.stops(ByteWord.load(base, index))
            if found == 0 {
                index &+= 8
                continue
            }
            index &+= ByteWord.firstFlagged(found)
            if base[index] < 0x80 || base[index] >= 0xE2 { return index }
            index &+= 1
        }
        while index < limit {
            let byte = base[index]
            if byte == 0x2E || byte == 0x3F || byte == 0x21 || byte == 0x0A || byte >= 0xE2 { return index }
            index += 1
        }
        return limit
    }

    /// The bytes of `word` that `nextStop` stops at or looks at: `.`, `?`, `!`, a
    /// line break, and every non-ASCII byte.
    @inline(__always) private static func stops(_ word: UInt64) -> UInt64 {
        ByteWord.has(word, 0x2E) | ByteWord.has(word, 0x3F) | ByteWord.has(word, 0x21) | ByteWord.has(word, 0x0A)
            | ByteWord.hasNonASCII(word)
    }

    /// The first `byte` at or after `start`, or `count`.
    ///
    /// `memchr` reads 32 bytes a step; for a byte as sparse in prose as `.` or `)`
    /// that is cheaper than an eight-byte search for both of them at once.
    func next(_ byte: UInt8, from start: Int) -> Int {
        guard start < count, let found = memchr(base + start, Int32(byte), count - start) else { return count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether the line `start..<end` ends with final punctuation, closers aside.
    func lineEndsWithTerminal(_ start: Int, _ end: Int) -> Bool {
        // Most lines end with an ASCII letter, digit or punctuation mark that is
        // neither white space nor a closer: then that byte alone decides.
        if end > start {
            let last = base[end - 1]
            if last < 0x80 && !Self.isASCIIWhiteSpace(last) && !Marks.closers.contains(ascii: last) {
                return last == 0x2E || last == 0x3F || last == 0x21
            }
        }
        var index = end
        while index > start {
            let length = max(whiteSpaceLength(before: index), closerLength(before: index))
            if length == 0 { break }
            index -= length
        }
        guard index > start else { return false }
        switch base[index - 1] {
        case 0x2E, 0x3F, 0x21: return true
        default: return index - start >= 3 && terminalLength(at: index - 3) == 3
        }
    }

    /// Whether the line at `start` opens with a dateline: words in capitals followed
    /// by a comma, a bracket or a dash ("PARIS, May 2", "NEW YORK (Reuters) -").
    func isDateline(_ start: Int, _ end: Int) -> Bool {
        var index = start
        var letters = 0
        while index < end && (Self.isASCIIUpper(base[index]) || base[index] == 0x20) {
            if base[index] != 0x20 { letters += 1 }
            index += 1
        }
        guard letters >= 2, index < end, index > start, base[index - 1] != 0x20 || index - start > 1 else {
            return false
        }
        return base[index] == 0x2C || base[index] == 0x28 || base[index] == 0x2D
    }

    /// Whether the line at `start` opens with a bullet and a space (`- `, `* `, `• `)
    /// inside its paragraph: the space is not the line break that ends it.
    func startsWithBullet(_ start: Int) -> Bool {
        var index = start
        while index < count, Self.isHorizontalSpace(base[index]) { index += 1 }
        let length = bulletLength(at: index)
        guard length > 0 else { return false }
        let after = index + length
        return whiteSpaceLength(at: after) > 0 && !(base[after] == 0x0A && endsParagraph(after))
    }

    /// Whether the line break at `index` ends a paragraph: the text ends after it, the
    /// next line is blank, or it is indented by a tab or two spaces, as in hard-wrapped
    /// wire copy.
    ///
    /// Inlined for the common line, whose first byte is no white space at all: the
    /// scan asks this at every line break.
    @inline(__always) func endsParagraph(_ index: Int) -> Bool {
        if index + 1 < count && base[index + 1] > 0x20 { return false }
        return lineAfterEndsParagraph(index)
    }

    @inline(never) private func lineAfterEndsParagraph(_ index: Int) -> Bool {
        var next = index + 1
        var spaces = 0
        while next < count, Self.isHorizontalSpace(base[next]) {
            if base[next] == 0x09 { return true }
            if base[next] == 0x20 {
                spaces += 1
                if spaces == 2 { return true }
            }
            next += 1
        }
        return next >= count || base[next] == 0x0A
    }

    /// `skipWhiteSpace` that also stops at a line break that ends the paragraph.
    @inline(__always) func skipWhiteSpaceInParagraph(from start: Int, limit: Int) -> Int {
        var index = start
        while index < limit {
            let length = whiteSpaceLength(at: index)
            if length == 0 || (base[index] == 0x0A && endsParagraph(index)) { break }
            index += length
        }
        return index
    }

    /// Whether `start..<end` is letters joined by periods (`U.S`, `E.U`, `a.m`).
    func isLetterDots(_ start: Int, _ end: Int) -> Bool {
        guard end - start >= 3, (end - start) % 2 == 1 else { return false }
        for index in start..<end {
            let expectLetter = (index - start) % 2 == 0
            if expectLetter ? !Self.isASCIILetter(base[index]) : base[index] != 0x2E { return false }
        }
        return true
    }

    /// Where a marker whose number begins at `first` starts: at the number, or at a
    /// bullet before it; nil when the number is glued to a word.
    func markerStart(_ first: Int) -> Int? {
        if first == 0 { return first }
        // Most candidates are the last letter of a word ("said."): glued at once.
        if Self.isASCIILetter(base[first - 1]) || Self.isDigit(base[first - 1]) { return nil }
        var index = first
        while index > 0 && Self.isHorizontalSpace(base[index - 1]) { index -= 1 }
        let bullet = bulletLength(before: index)
        if bullet > 0 && (index - bullet == 0 || whiteSpaceLength(before: index - bullet) > 0) {
            return index - bullet
        }
        return whiteSpaceLength(before: first) > 0 ? first : nil
    }
}
