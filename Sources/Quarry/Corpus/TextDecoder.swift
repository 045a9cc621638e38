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

    /// Whether `bytes` are valid UTF-8, without making a string when they are ASCII
    /// (eight bytes a step).
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count, ByteWord.hasNonASCII(ByteWord.load(base, index)) == 0 { index += 8 }
        while index < bytes.count, bytes[index] < 0x80 { index += 1 }
        if index == bytes.count { return true }
        // Back to the start of the character, then the standard library's check.
        while index > 0, bytes[index] & 0xC0 == 0x80 { index -= 1 }
        return String(validating: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self) != nil
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
        var index = 0
        var controls: UInt64 = 0
        // 32 bytes a step: one branch for four words.
        while index + 32 <= bytes.count {
            let first = ByteWord.load(base, index)
            let second = ByteWord.load(base, index + 8)
            let third = ByteWord.load(base, index + 16)
            let fourth = ByteWord.load(base, index + 24)
            if ByteWord.hasNonASCII(first | second | third | fourth) != 0 { break }
            controls |= ByteWord.hasBelowASCII(first, 0x20) | ByteWord.hasBelowASCII(second, 0x20)
                | ByteWord.hasBelowASCII(third, 0x20) | ByteWord.hasBelowASCII(fourth, 0x20)
            index += 32
        }
        // Every byte before `index` is ASCII: the rest starts a character.
        let rest = UnsafeBufferPointer(rebasing: bytes[index...])
        return (isValid(rest), controls == 0 && !rest.contains { $0 < 0x20 })
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
