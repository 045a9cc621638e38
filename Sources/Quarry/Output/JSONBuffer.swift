/// A byte buffer that JSON is written into by hand: keys in a fixed order, no
/// encoder round trip per record.
public struct JSONBuffer: Sendable, CompactJSONOutput {
    /// The bytes, in memory of the buffer's own: a write of a few bytes is a copy
    /// and a count. An `Array` took about 120 instructions for each
    /// `append(contentsOf:)`, and a mention record is some 25 writes. Copied when
    /// shared, as an array would be.
    private final class Storage: @unchecked Sendable {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }
    }

    /// Every new buffer shares this empty one until its first write (most
    /// documents have no facts: their buffers never allocate).
    private static let empty = Storage(capacity: 0)
    private var storage = JSONBuffer.empty

    public init() {}

    /// The bytes written, as an array (a copy).
    public var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Calls `body` with the bytes written, without a copy.
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Bytes written so far.
    public var count: Int { storage.count }

    public mutating func reserveCapacity(_ capacity: Int) {
        if capacity > storage.capacity { grow(to: capacity) }
    }

    /// Room for `extra` more bytes, not shared: where they go.
    @inline(__always)
    private mutating func room(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if storage.count &+ extra > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            grow(to: max(storage.count + extra, 2 * storage.capacity, 256))
        }
        return storage.base + storage.count
    }

    /// A storage of its own with room for `capacity` bytes, holding these.
    @inline(never)
    private mutating func grow(to capacity: Int) {
        let grown = Storage(capacity: max(capacity, storage.count))
        grown.base.initialize(from: storage.base, count: storage.count)
        grown.count = storage.count
        storage = grown
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        room(1).pointee = byte
        storage.count &+= 1
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let source = buffer.baseAddress, !buffer.isEmpty else { return }
        room(buffer.count).initialize(from: source, count: buffer.count)
        storage.count &+= buffer.count
    }

    /// Inlined: a literal's length is then known where it is written, and its
    /// bytes are copied without a call (a call cost some 55 instructions, and a
    /// fact record makes about forty).
    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { text in
            // Most are one byte of punctuation: appended as a byte, not a buffer.
            if text.count == 1 { append(text[0]) } else { append(text) }
        }
    }

    /// `text` as it is. Not `raw(_:)`: a string literal would pick a `String`
    /// overload over the `StaticString` one, and pay for a string.
    public mutating func raw(text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    @inline(__always)
    public mutating func raw(utf8 value: UnsafeBufferPointer<UInt8>) {
        append(value)
    }

    public mutating func append(_ other: JSONBuffer) {
        other.withBytes { append($0) }
    }

    /// Drops what was written after the first `count` bytes.
    public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= storage.count, "truncating \(storage.count) bytes to \(count)")
        guard count < storage.count else { return }
        _ = room(0)
        storage.count = count
    }

    /// A decimal integer, written digit by digit straight into the buffer (no
    /// `String` made for it).
    public mutating func number(_ value: Int) {
        var magnitude = value.magnitude
        var digits = 1
        var power: UInt = 10
        // At most 20 digits: a power past the largest UInt would overflow, and
        // `magnitude >= power` then stops first.
        while digits < 20, magnitude >= power {
            digits += 1
            power &*= 10
        }
        let sign = value < 0 ? 1 : 0
        let to = room(sign + digits)
        if sign == 1 { to.pointee = UInt8(ascii: "-") }
        var index = sign + digits
        repeat {
            index -= 1
            to[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while index > sign
        storage.count &+= sign + digits
    }

    /// A 64-bit value as 16 lower-case hex digits.
    public mutating func hex(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            for index in 0..<16 {
                let digit = UInt8(value >> UInt64(60 - 4 * index) & 0xF)
                digits[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            append(UnsafeBufferPointer(digits))
        }
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; other
    /// characters (non-ASCII included) as UTF-8.
    @inline(__always)
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    /// A JSON string from UTF-8 bytes. Most strings have nothing to escape: they
    /// are checked eight bytes a step and copied as they are checked, with their
    /// quotes, into room made once; the others go on from their first escape.
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        let to = room(value.count + 2)
        to.pointee = 0x22
        let plain = Self.copyPlain(value, to: to + 1)
        guard plain < value.count else {
            to[plain + 1] = 0x22
            storage.count &+= plain + 2
            return
        }
        storage.count &+= plain + 1
        escapedRest(value, from: plain)
    }

    /// Whether `byte` is written escaped: a quote, a backslash, a control character.
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
    }

    /// Nonzero when some byte of `word` needs an escape; its lowest flag is the first.
    @inline(__always)
    private static func escapes(_ word: UInt64) -> UInt64 {
        ByteWord.hasBelow(word, 0x20) | ByteWord.has(word, 0x22) | ByteWord.has(word, 0x5C) | ByteWord.has(word, 0x7F)
    }

    /// Copies the bytes of `value` to `to` up to the first that needs an escape,
    /// and returns how many those are; `to` has room for all of `value`, and may
    /// get bytes after those (a word is stored whole). A string of eight bytes or
    /// more goes a word at a time, its last word ending at its end (overlapping
    /// the word before, whose bytes all passed); a shorter one byte by byte.
    @inline(__always)
    private static func copyPlain(_ value: UnsafeBufferPointer<UInt8>, to: UnsafeMutablePointer<UInt8>) -> Int {
        guard let base = value.baseAddress else { return 0 }
        let count = value.count
        guard count >= 8 else {
            var index = 0
            while index < count {
                let byte = base[index]
                if needsEscape(byte) { break }
                to[index] = byte
                index += 1
            }
            return index
        }
        let target = UnsafeMutableRawPointer(to)
        var index = 0
        while index + 8 < count {
            let word = ByteWord.load(base, index)
            target.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
            let found = escapes(word)
            if found != 0 { return index + ByteWord.firstFlagged(found) }
            index += 8
        }
        let word = ByteWord.load(base, count - 8)
        target.storeBytes(of: word, toByteOffset: count - 8, as: UInt64.self)
        let found = escapes(word)
        return found != 0 ? count - 8 + ByteWord.firstFlagged(found) : count
    }

    /// The rest of a string from its byte `start`, which needs an escape, and its
    /// closing quote: each escape, then the run after it that needs none (a
    /// sentence's line breaks come here).
    @inline(never)
    private mutating func escapedRest(_ value: UnsafeBufferPointer<UInt8>, from start: Int) {
        var index = start
        while index < value.count {
            escape(value[index])
            let rest = UnsafeBufferPointer(rebasing: value[(index + 1)...])
            let plain = Self.copyPlain(rest, to: room(rest.count))
            storage.count &+= plain
            index += 1 + plain
        }
        append(0x22)
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: append(0x5C); append(0x22)
        case 0x5C: append(0x5C); append(0x5C)
        case 0x0A: append(0x5C); append(UInt8(ascii: "n"))
        case 0x0D: append(0x5C); append(UInt8(ascii: "r"))
        case 0x09: append(0x5C); append(UInt8(ascii: "t"))
        default:
            raw("\\u00")
            append(Self.hex[Int(byte >> 4)])
            append(Self.hex[Int(byte & 0xF)])
        }
    }

    /// A flat object of strings, keys sorted (deterministic output).
    public mutating func attributes(_ attrs: [String: String]) {
        append(UInt8(ascii: "{"))
        defer { append(UInt8(ascii: "}")) }
        if attrs.count == 1, let member = attrs.first {
            string(member.key)
            append(UInt8(ascii: ":"))
            string(member.value)
            return
        }
        if attrs.count == 2 {
            // The commonest case (a country's iso2 and iso3), ordered without a
            // sorted copy of the dictionary.
            var members = attrs.makeIterator()
            var first = members.next()!
            var second = members.next()!
            if second.key < first.key { swap(&first, &second) }
            string(first.key)
            append(UInt8(ascii: ":"))
            string(first.value)
            append(UInt8(ascii: ","))
            string(second.key)
            append(UInt8(ascii: ":"))
            string(second.value)
            return
        }
        for (index, member) in attrs.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            string(member.key)
            append(UInt8(ascii: ":"))
            string(member.value)
        }
    }

    /// A JSON value as it was read.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .number(let text): raw(text: text)
        case .string(let text): string(text)
        case .array(let elements):
            append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                self.value(element)
            }
            append(UInt8(ascii: "]"))
        case .object(let members):
            append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { append(UInt8(ascii: ",")) }
                string(member.key)
                append(UInt8(ascii: ":"))
                self.value(member.value)
            }
            append(UInt8(ascii: "}"))
        }
    }
}
