#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `JSONParser.writeMembers` and `Document.writeMeta` write compact JSON
/// (the output stage's `JSONBuffer`).
public protocol CompactJSONOutput {
    /// Bytes written so far.
    var count: Int { get }
    mutating func raw(_ text: StaticString)
    /// Bytes written as they are.
    mutating func raw(utf8 bytes: UnsafeBufferPointer<UInt8>)
    /// A JSON string of these UTF-8 bytes, escaped.
    mutating func string(utf8 bytes: UnsafeBufferPointer<UInt8>)
    /// A built value, every string escaped as `string(utf8:)` does.
    mutating func value(_ value: JSONValue)
    /// Drops what was written after the first `count` bytes.
    mutating func truncate(to count: Int)
}

/// A strict JSON parser over UTF-8 bytes (RFC 8259), for JSONL input lines.
///
/// Written here rather than taken from Foundation so that numbers keep their text,
/// object keys keep their order, and errors say at which column the line breaks.
public struct JSONParser {
    /// Why a line is not JSON, and at which byte (0-based) of the line.
    public struct Failure: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private static let maxDepth = 512
    /// True when no byte of `bytes` is a control character (below 0x20): a
    /// string's end and escapes are then found by its quotes and backslashes alone.
    private let controlFree: Bool

    private init(bytes: UnsafeBufferPointer<UInt8>, controlFree: Bool = false) {
        self.bytes = bytes
        self.controlFree = controlFree
    }

    /// Parses one JSON value that must fill `bytes` (white space aside).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value()
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// The members of a JSONL document line, as `parseDocument` reads them.
    public struct DocumentMembers: Sendable {
        /// The value of the first `id` member.
        public var id: JSONValue?
        /// The value of the first `text` member.
        public var text: Text?
        /// The members not named `id` or `text`, as byte ranges (from the key's
        /// quote to the value's end) for `members(_:of:)` or `writeMembers` to
        /// build or write later, if ever.
        public var others: [Range<Int>]
    }

    /// A `text` member's value.
    public enum Text: Sendable, Equatable {
        /// A string, as its UTF-8 bytes with escapes decoded: never made a `String`,
        /// which would check the UTF-8 that the reader has already checked.
        case utf8([UInt8])
        /// Anything else, built.
        case other(JSONValue)
    }

    /// Parses one JSON object that must fill `bytes` (white space aside) as a
    /// JSONL document line: the first `id` and `text` members are built (a string
    /// `text` as bytes), the others only checked and handed back as byte ranges. A
    /// later `id` or `text` member is checked and dropped, as the first one is
    /// what counts. Errors are exactly those of `parse`. Returns nil when the JSON
    /// value is not an object.
    ///
    /// A JSONL line's `meta` is written only with the line's facts, and most news
    /// documents have none: this keeps the reader from building it for each of them.
    ///
    /// `controlFree` may be true only when no byte of `bytes` is below 0x20
    /// (`TextDecoder.check` tells): a long string is then searched for its
    /// closing quote and its backslashes with `memchr`, with the same result.
    public static func parseDocument(_ bytes: UnsafeBufferPointer<UInt8>, controlFree: Bool = false) throws(Failure) -> DocumentMembers? {
        var parser = JSONParser(bytes: bytes, controlFree: controlFree)
        parser.skipSpace()
        guard parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "{") else {
            try parser.skipValue()
            parser.skipSpace()
            guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
            return nil
        }
        var document = DocumentMembers(id: nil, text: nil, others: [])
        document.others.reserveCapacity(16)
        try parser.members { parser, key, start throws(Failure) in
            let isID = parser.key(key, is: "id")
            let isText = !isID && parser.key(key, is: "text")
            if isID, document.id == nil {
                document.id = try parser.value()
            } else if isText, document.text == nil {
                if parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "\"") {
                    document.text = .utf8(try parser.stringBytes())
                } else {
                    document.text = .other(try parser.value())
                }
            } else {
                try parser.skipValue()
                if !isID && !isText { document.others.append(start..<parser.position) }
            }
        }
        parser.skipSpace()
        guard parser.position == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return document
    }

    /// The object of the members at `ranges` of `bytes` (ranges that `parseObject`
    /// gave for these bytes); a range that does not hold a member is left out.
    public static func members(_ ranges: [Range<Int>], of bytes: UnsafeBufferPointer<UInt8>) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(ranges.count)
        for range in ranges {
            var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]))
            parser.position = range.lowerBound
            guard parser.position < range.upperBound, bytes[parser.position] == UInt8(ascii: "\""),
                  let key = try? parser.string()
            else { continue }
            parser.skipSpace()
            guard parser.position < range.upperBound, bytes[parser.position] == UInt8(ascii: ":") else { continue }
            parser.position += 1
            parser.skipSpace()
            guard let value = try? parser.value() else { continue }
            members.append((key, value))
        }
        return .object(members)
    }

    /// Writes the members at `ranges` of `bytes` (ranges that `parseDocument` gave
    /// for these bytes) as one compact object: the text `out.value` writes for
    /// `members(ranges, of: bytes)`, without building a value. A range that does
    /// not hold a member is left out, as there.
    ///
    /// A document's `meta` is written this way: building its values and then
    /// writing them cost more than the rest of the document's facts.
    public static func writeMembers(_ ranges: [Range<Int>], of bytes: UnsafeBufferPointer<UInt8>, to out: inout some CompactJSONOutput) {
        out.raw("{")
        var written = 0
        for range in ranges {
            let mark = out.count
            if written > 0 { out.raw(",") }
            var parser = JSONParser(bytes: UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]))
            parser.position = range.lowerBound
            do throws(Failure) {
                guard parser.position < range.upperBound, bytes[parser.position] == UInt8(ascii: "\"") else {
                    throw parser.failure("expected a string key")
                }
                try parser.writeString(to: &out)
                parser.skipSpace()
                guard parser.position < range.upperBound, bytes[parser.position] == UInt8(ascii: ":") else { throw parser.failure("expected ':'") }
                parser.position += 1
                out.raw(":")
                parser.skipSpace()
                try parser.write(to: &out)
                written += 1
            } catch {
                out.truncate(to: mark)
            }
        }
        out.raw("}")
    }

    /// Parses a string's UTF-8 bytes.
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var copy = text
        let result = copy.withUTF8 { bytes in Result { () throws(Failure) in try parse(bytes) } }
        return try result.get()
    }

    private func failure(_ message: String) -> Failure { Failure(message: message, offset: position) }

    @inline(__always) private mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) -> JSONValue {
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("unexpected character")
        }
    }

    /// Checks the value the parser stands at and moves past it: the walk and the
    /// errors of `value()`, nothing built.
    private mutating func skipValue() throws(Failure) {
        guard position < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): try members { parser, _, _ throws(Failure) in try parser.skipValue() }
        case UInt8(ascii: "["): try elements { parser throws(Failure) in try parser.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw failure("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw failure("unexpected end of input") }
        for index in 0..<count where bytes[position + index] != word.utf8Start[index] {
            throw failure("unexpected character")
        }
        position += count
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw failure("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func object() throws(Failure) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try self.members { parser, key, _ throws(Failure) in
            let value = try parser.value()
            members.append((parser.string(of: key), value))
        }
        return .object(members)
    }

    /// A member's key as `members` hands it over: where its bytes lie when it has
    /// no escapes (almost every key), so that nothing is built to compare it; else
    /// the decoded key.
    private enum Key {
        case plain(Range<Int>)
        case decoded(String)
    }

    /// The key as a string.
    private func string(of key: Key) -> String {
        switch key {
        case .plain(let range): String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        case .decoded(let text): text
        }
    }

    /// Whether the key is `name`. Bytes are compared: no other spelling of an
    /// ASCII name in lower case is canonically equivalent to it, so this is what
    /// `String`'s `==` says.
    private func key(_ key: Key, is name: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        switch key {
        case .plain(let range):
            return range.count == expected.count && memcmp(bytes.baseAddress! + range.lowerBound, expected.baseAddress!, range.count) == 0
        case .decoded(let text): return text.utf8.elementsEqual(expected)
        }
    }

    /// Walks an object from its `{` to after its `}`, calling `member` with each key
    /// (and where the key's quote was) when the parser stands at the member's value;
    /// `member` must parse the value.
    private mutating func members(
        _ member: (inout JSONParser, Key, Int) throws(Failure) -> Void
    ) throws(Failure) {
        try enter()
        position += 1
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let start = position
            let key: Key
            let end = special(from: start + 1)
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                key = .plain(start + 1..<end)
                position = end + 1
            } else {
                // Escapes, a control character or the end of the line: the full
                // walk, which decodes or gives the error.
                key = .decoded(try string())
            }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            skipSpace()
            try member(&self, key, start)
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end of input") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; depth -= 1; return }
            throw failure("expected ',' or '}'")
        }
    }

    /// Writes the value the parser stands at as compact JSON (see `writeMembers`):
    /// the same walk and errors as `value()`, numbers and literals copied, strings
    /// decoded and escaped again.
    private mutating func write(to out: inout some CompactJSONOutput) throws(Failure) {
        guard position < bytes.count else { throw failure("unexpected end of input") }
        let start = position
        switch bytes[position] {
        case UInt8(ascii: "{"):
            out.raw("{")
            var first = true
            try members { parser, key, _ throws(Failure) in
                if !first { out.raw(",") }
                first = false
                switch key {
                case .plain(let range): out.string(utf8: UnsafeBufferPointer(rebasing: parser.bytes[range]))
                case .decoded(var text): text.withUTF8 { out.string(utf8: $0) }
                }
                out.raw(":")
                try parser.write(to: &out)
            }
            out.raw("}")
        case UInt8(ascii: "["):
            out.raw("[")
            var first = true
            try elements { parser throws(Failure) in
                if !first { out.raw(",") }
                first = false
                try parser.write(to: &out)
            }
            out.raw("]")
        case UInt8(ascii: "\""):
            try writeString(to: &out)
        default:
            // A literal or a number: checked, then copied as it was written.
            try skipValue()
            out.raw(utf8: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        }
    }

    /// Writes the string the parser stands at, decoded, as `out.string(utf8:)`
    /// escapes it; a string without escapes is passed on where it lies.
    private mutating func writeString(to out: inout some CompactJSONOutput) throws(Failure) {
        let start = position + 1
        if try plainRun() {
            // No quote, backslash or control character: `string(utf8:)` would
            // escape only DEL, so without one the string is copied with its quotes.
            let quoted = UnsafeBufferPointer(rebasing: bytes[start - 1..<position])
            if let base = quoted.baseAddress, memchr(base, 0x7F, quoted.count) == nil {
                out.raw(utf8: quoted)
            } else {
                out.string(utf8: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]))
            }
            return
        }
        var failed: Failure?
        let decoded = [UInt8](unsafeUninitializedCapacity: bytes.count - start) { output, count in
            count = decode(from: start, into: output, failed: &failed)
        }
        if let failed { throw failed }
        decoded.withUnsafeBufferPointer { out.string(utf8: $0) }
    }

    private mutating func array() throws(Failure) -> JSONValue {
        var elements: [JSONValue] = []
        try self.elements { parser throws(Failure) in elements.append(try parser.value()) }
        return .array(elements)
    }

    /// Walks an array from its `[` to after its `]`, calling `element` when the
    /// parser stands at each element; `element` must parse it.
    private mutating func elements(_ element: (inout JSONParser) throws(Failure) -> Void) throws(Failure) {
        try enter()
        position += 1
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            depth -= 1
            return
        }
        while true {
            skipSpace()
            try element(&self)
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end of input") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; depth -= 1; return }
            throw failure("expected ',' or ']'")
        }
    }

    private mutating func number() throws(Failure) -> JSONValue {
        let start = position
        try skipNumber()
        return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// Moves past the number the parser stands at, or gives the error.
    @inline(__always) private mutating func skipNumber() throws(Failure) {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        // RFC 8259: no leading zeros ("01" is not JSON).
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            position = integerStart
            throw failure("invalid number")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw failure("invalid number") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard digits() > 0 else { throw failure("invalid number") }
        }
    }

    @inline(__always) private mutating func digits() -> Int {
        let start = position
        while position < bytes.count, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        return position - start
    }

    /// The first index at or after `index` that holds a quote, a backslash or a
    /// control character (or the end): eight bytes a step, since such bytes are
    /// rare in a string.
    @inline(__always) private func special(from index: Int) -> Int {
        var index = index
        guard let base = bytes.baseAddress else { return index }
        while index + 8 <= bytes.count {
            let word = ByteWord.load(base, index)
            let found = ByteWord.has(word, 0x22) | ByteWord.has(word, 0x5C) | ByteWord.hasBelow(word, 0x20)
            if found != 0 { return index + ByteWord.firstFlagged(found) }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            index += 1
        }
        return index
    }

    /// Moves past the opening quote and the plain bytes of a string; true when the
    /// string ended there (the parser then stands after its closing quote), false
    /// when it stands at the first backslash (or the end of input).
    @inline(__always) private mutating func plainRun() throws(Failure) -> Bool {
        position = special(from: position + 1)
        guard position < bytes.count else { return false }
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") {
            position += 1
            return true
        }
        if byte < 0x20 { throw failure("control character in string") }
        return false
    }

    /// Writes the string that starts at `start` (its first byte after the quote)
    /// into `output`, the parser standing at its first backslash: the plain bytes
    /// copied, the rest decoded. Returns the byte count, or sets `failed`.
    private mutating func decode(from start: Int, into output: UnsafeMutableBufferPointer<UInt8>, failed: inout Failure?) -> Int {
        var count = position - start
        if count > 0 { output.baseAddress!.update(from: bytes.baseAddress! + start, count: count) }
        do throws(Failure) {
            guard try decodeEscapes(into: output, count: &count) else { throw failure("unterminated string") }
        } catch {
            failed = error
            return 0
        }
        return count
    }

    /// Checks the string the parser stands at and moves past it: the walk and the
    /// errors of `string()`, nothing built.
    @inline(__always) private mutating func skipString() throws(Failure) {
        if try plainRun() { return }
        var unused = 0
        guard try decodeEscapes(into: nil, count: &unused) else { throw failure("unterminated string") }
    }

    private mutating func string() throws(Failure) -> String {
        let start = position + 1
        if try plainRun() {
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
        }
        // Escapes: decoded in one pass straight into the string's storage. The
        // decoded string is never longer than the rest of the line.
        var failed: Failure?
        let text = String(unsafeUninitializedCapacity: bytes.count - start) { decode(from: start, into: $0, failed: &failed) }
        if let failed { throw failed }
        return text
    }

    /// A string as its UTF-8 bytes, escapes decoded; the same walk and errors as
    /// `string()`, and no `String` (which would check the UTF-8 again).
    ///
    /// This is how a document's text is read: a long string, with an escaped line
    /// break in every line of news. On a line without control characters it is
    /// decoded from run to run of plain bytes that `memchr` finds (see
    /// `decodeByQuote`).
    private mutating func stringBytes() throws(Failure) -> [UInt8] {
        let start = position + 1
        guard controlFree else {
            if try plainRun() { return Array(UnsafeBufferPointer(rebasing: bytes[start..<position - 1])) }
            var failed: Failure?
            let result = [UInt8](unsafeUninitializedCapacity: bytes.count - start) { output, count in
                count = decode(from: start, into: output, failed: &failed)
            }
            if let failed { throw failed }
            return result
        }
        position = start
        guard start < bytes.count else { throw failure("unterminated string") }
        var failed: Failure?
        let result = [UInt8](unsafeUninitializedCapacity: bytes.count - start) { output, count in
            do throws(Failure) {
                // At least one byte of capacity: the storage exists.
                guard try decodeByQuote(into: output.baseAddress!, count: &count) else { throw failure("unterminated string") }
            } catch {
                failed = error
                count = 0
            }
        }
        if let failed { throw failed }
        return result
    }

    /// The index of the first `byte` in `bytes[start..<end]`, or `end`.
    @inline(__always) private func find(_ byte: UInt8, from start: Int, to end: Int) -> Int {
        guard start < end, let base = bytes.baseAddress, let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// `decodeEscapes` from the byte after a string's opening quote, for a line
    /// without control characters (`controlFree`): the string ends at the first
    /// quote that no backslash escapes, so its plain runs lie between the
    /// backslashes before that quote. `memchr` finds the quote; the runs are
    /// copied sixteen bytes a step, each two words stored whole and then tested
    /// for a backslash (news text has an escaped line break every line, so a run
    /// is some 60 bytes: a `memccpy` call for each cost more than the copy). The
    /// same result, errors and positions as `decodeEscapes`, which only adds the
    /// search for control characters.
    ///
    /// Words are stored only when their bytes lie before the quote, so the
    /// output, which is as long as the rest of the line, has room for them: the
    /// decoded string is never longer than its escaped form.
    private mutating func decodeByQuote(into out: UnsafeMutablePointer<UInt8>, count: inout Int) throws(Failure) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let target = UnsafeMutableRawPointer(out)
        // Kept in locals, not in `self`, between the calls into libc.
        var index = position
        var written = count
        var quote = find(UInt8(ascii: "\""), from: index, to: bytes.count)
        while true {
            // The plain bytes up to the quote or the first backslash before it:
            // sixteen bytes a step in two vector lanes, then eight, then one.
            var backslash = quote
            while index &+ 16 <= quote {
                let pair = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index, as: SIMD2<UInt64>.self)
                target.storeBytes(of: pair, toByteOffset: written, as: SIMD2<UInt64>.self)
                let flagged = ByteWord.has(pair, 0x5C)
                if flagged[0] | flagged[1] != 0 {
                    let offset = flagged[0] != 0 ? ByteWord.firstFlagged(flagged[0]) : 8 &+ ByteWord.firstFlagged(flagged[1])
                    backslash = index &+ offset
                    written &+= offset
                    break
                }
                index &+= 16
                written &+= 16
            }
            while backslash == quote, index + 8 <= quote {
                let word = ByteWord.load(base, index)
                target.storeBytes(of: word, toByteOffset: written, as: UInt64.self)
                let found = ByteWord.has(word, 0x5C)
                if found != 0 {
                    let offset = ByteWord.firstFlagged(found)
                    backslash = index + offset
                    written += offset
                    break
                }
                index += 8
                written += 8
            }
            if backslash == quote {
                while index < quote, base[index] != 0x5C {
                    out[written] = base[index]
                    index += 1
                    written += 1
                }
                backslash = index
            }
            if backslash == quote {
                count = written
                guard quote < bytes.count else {
                    position = quote
                    return false
                }
                position = quote + 1
                return true
            }
            if backslash + 1 < bytes.count, let decoded = Self.unescaped(base[backslash + 1]) {
                out[written] = decoded
                written += 1
                index = backslash + 2
            } else {
                // A \u escape, a bad one, or the end of the line.
                position = backslash
                count = written
                guard try escape(into: out, count: &count) else { return false }
                index = position
                written = count
            }
            // An escaped quote (or a \u escape cut by one) was not the end.
            if index > quote { quote = find(UInt8(ascii: "\""), from: index, to: bytes.count) }
        }
    }

    /// Decodes the rest of a string, from its first backslash, appending to
    /// `output` after `count` bytes; true when the closing quote was reached.
    ///
    /// Without `output` the string is only checked: the same walk and the same
    /// errors at the same places, nothing written.
    private mutating func decodeEscapes(into output: UnsafeMutableBufferPointer<UInt8>?, count: inout Int) throws(Failure) -> Bool {
        let out = output?.baseAddress
        while position < bytes.count {
            // Plain bytes up to the next quote, backslash or control character are
            // copied in one go (news texts have an escaped line break every line).
            let run = position
            position = special(from: position)
            if position > run, let out {
                (out + count).update(from: bytes.baseAddress! + run, count: position - run)
                count += position - run
            }
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return true
            }
            if byte < 0x20 { throw failure("control character in string") }
            guard try escape(into: out, count: &count) else { break }
        }
        return false
    }

    /// Decodes the escape at the backslash the parser stands at, appending to `out`
    /// (if any) after `count` bytes, and moves past it; false when the input ends
    /// after the backslash.
    private mutating func escape(into out: UnsafeMutablePointer<UInt8>?, count: inout Int) throws(Failure) -> Bool {
        func append(_ byte: UInt8) {
            guard let out else { return }
            out[count] = byte
            count += 1
        }
        position += 1
        guard position < bytes.count else { return false }
        let escape = bytes[position]
        position += 1
        if let decoded = Self.unescaped(escape) {
            append(decoded)
            return true
        }
        guard escape == UInt8(ascii: "u") else {
            position -= 1
            throw failure("invalid escape")
        }
        // A \uXXXX escape (6 bytes) decodes to at most 3 bytes, and a
        // surrogate pair (12 bytes) to 4, or to 6 when the pair is broken:
        // never more than its escaped form.
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
           bytes[position + 1] == UInt8(ascii: "u")
        {
            position += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
                append(0xEF)
                append(0xBF)
                append(0xBD)
                code = low
            }
        }
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        for unit in UTF8.encode(scalar)! { append(unit) }
        return true
    }

    /// The byte that a one-letter escape (the letter after the backslash) stands
    /// for, or nil for `u` and for a letter that is not an escape.
    @inline(__always) private static func unescaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard position + 4 <= bytes.count else { throw failure("invalid \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("invalid \\u escape")
            }
            code = code << 4 | digit
            position += 1
        }
        return code
    }
}
