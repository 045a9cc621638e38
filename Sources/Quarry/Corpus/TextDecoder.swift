/// Turns a file's bytes into a document's text: UTF-8, a BOM dropped, invalid
/// sequences replaced with U+FFFD and reported by byte offset.
public enum TextDecoder {
    /// The decoded text and the byte offsets (into the input) of each invalid sequence.
    public struct Result: Sendable {
        public var text: String
        public var invalidOffsets: [Int]
    }

    /// Decodes `bytes`.
    ///
    /// - Complexity: O(n).
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let repaired = repair(bytes)
        return Result(text: String(decoding: repaired.utf8, as: UTF8.self), invalidOffsets: repaired.invalidOffsets)
    }

    /// `bytes` decoded as `decode` does, as UTF-8 bytes rather than a `String` (a
    /// document keeps its text as bytes): the array itself, uncopied, when it is
    /// valid and has no BOM.
    ///
    /// - Complexity: O(n).
    public static func repair(_ bytes: [UInt8]) -> (utf8: [UInt8], invalidOffsets: [Int]) {
        let clean = bytes.withUnsafeBufferPointer { !hasBOM($0) && isValid($0) }
        return clean ? (bytes, []) : bytes.withUnsafeBufferPointer(repair)
    }

    /// `bytes` decoded as `decode` does, as UTF-8 bytes; valid input takes the fast
    /// path of one check and one copy.
    ///
    /// - Complexity: O(n).
    public static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> (utf8: [UInt8], invalidOffsets: [Int]) {
        let body = hasBOM(bytes) ? UnsafeBufferPointer(rebasing: bytes[3...]) : bytes
        if isValid(body) { return (Array(body), []) }
        let skipped = bytes.count - body.count
        var invalid: [Int] = []
        var output: [UInt8] = []
        output.reserveCapacity(body.count + 16)
        var position = 0
        while position < body.count {
            let end = sequenceEnd(body, from: position)
            if end.valid {
                output.append(contentsOf: body[position..<end.index])
            } else {
                invalid.append(skipped + position)
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
            }
            position = end.index
        }
        return (output, invalid)
    }

    /// Whether `bytes` start with the UTF-8 byte order mark.
    public static func hasBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }

    /// Whether `bytes` are valid UTF-8: what `String(validating:)` says, in one
    /// pass that skips ASCII eight bytes at a time (news text has a curly quote or
    /// a dash here and there; the standard library's check looked at every byte,
    /// and with it a JSONL line's check cost more than its JSON parsing).
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        walk(bytes, controls: false).valid
    }

    /// Whether `bytes` are valid UTF-8 (as `isValid` says), and whether none of them
    /// is a control character (below 0x20), in one pass over an ASCII line.
    ///
    /// A JSONL line reads every byte here anyway; a line without control
    /// characters (almost every one: news text escapes its line breaks) can have
    /// its strings searched for quotes and backslashes alone
    /// (`JSONParser.parseDocument(_:controlFree:)`).
    ///
    /// - Complexity: O(n).
    public static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> (valid: Bool, controlFree: Bool) {
        guard let base = bytes.baseAddress else { return (true, true) }
        let raw = UnsafeRawPointer(base)
        // An ASCII line (almost every one) in one pass of four words a step, with
        // no branch but the loop's: the compiler keeps the lanes in vector
        // registers (SSE2's, two words each). `high` gathers every byte's high
        // bit; in `lowered`, each byte less 0x20, a high bit shows a byte below
        // 0x20 when every byte is ASCII (the first borrow starts at such a byte;
        // an ASCII byte of 0x20 or more keeps its high bit clear). The last step
        // ends at the last byte, going over some bytes again, which changes neither.
        let count = bytes.count
        var high: UInt64 = 0
        var lowered: UInt64 = 0
        if count >= 32 {
            typealias Lanes = SIMD4<UInt64>
            let spaces = Lanes(repeating: ByteWord.ones &* 0x20)
            var highs = Lanes()
            var lowereds = Lanes()
            var index = 0
            while index < count &- 32 {
                let word = raw.loadUnaligned(fromByteOffset: index, as: Lanes.self)
                highs |= word
                lowereds |= word &- spaces
                index &+= 32
            }
            let last = raw.loadUnaligned(fromByteOffset: count &- 32, as: Lanes.self)
            highs |= last
            lowereds |= last &- spaces
            high = highs[0] | highs[1] | highs[2] | highs[3]
            lowered = lowereds[0] | lowereds[1] | lowereds[2] | lowereds[3]
        } else {
            for byte in bytes {
                high |= UInt64(byte)
                lowered |= UInt64(byte &- 0x20)
            }
        }
        if high & ByteWord.highs == 0 { return (true, lowered & ByteWord.highs == 0) }
        // Not ASCII: the bytes looked at again, character by character.
        return walk(bytes, controls: true)
    }

    /// Whether `bytes` are valid UTF-8 and (with `controls`) whether none of them
    /// is below 0x20, in one pass: ASCII eight bytes a step, each other character
    /// by `sequenceEnd`, whose rules are the standard's (no overlong forms, no
    /// surrogates, nothing above U+10FFFF). Without `controls`, `controlFree` is
    /// not worked out, and the walk stops at the first invalid sequence.
    @inline(__always) private static func walk(_ bytes: UnsafeBufferPointer<UInt8>, controls: Bool) -> (valid: Bool, controlFree: Bool) {
        guard let base = bytes.baseAddress else { return (true, true) }
        let count = bytes.count
        var valid = true
        var control: UInt64 = 0
        var index = 0
        while index < count {
            if index &+ 8 <= count {
                let word = ByteWord.load(base, index)
                // Exact as a yes or no whatever the bytes (`ByteWord.hasBelow`); a
                // word that overlaps bytes looked at already changes nothing.
                if controls { control |= ByteWord.hasBelow(word, 0x20) }
                let nonASCII = ByteWord.hasNonASCII(word)
                if nonASCII == 0 {
                    index &+= 8
                    continue
                }
                index &+= ByteWord.firstFlagged(nonASCII)
            }
            let byte = base[index]
            if byte < 0x80 {
                if byte < 0x20 { control = ByteWord.highs }
                index &+= 1
                continue
            }
            let end = sequenceEnd(bytes, from: index)
            if !end.valid {
                valid = false
                guard controls else { break }
            }
            index = end.index
        }
        return (valid, control == 0)
    }

    /// Where the sequence that starts at `start` ends, and whether it is valid.
    ///
    /// An invalid sequence is its maximal subpart (the Unicode "substitution of
    /// maximal subparts" practice, as browsers and the standard library do), so one
    /// U+FFFD stands for a truncated sequence and one for each stray byte.
    private static func sequenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (index: Int, valid: Bool) {
        let lead = bytes[start]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F: return (start + 1, true)
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return (start + 1, false)
        }
        var index = start + 1
        while index < start + length, index < bytes.count {
            let byte = bytes[index]
            if index == start + 1 {
                guard byte >= lower, byte <= upper else { break }
            } else {
                guard byte >= 0x80, byte <= 0xBF else { break }
            }
            index += 1
        }
        return (index, index == start + length)
    }
}
