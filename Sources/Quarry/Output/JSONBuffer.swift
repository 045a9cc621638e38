/// A byte buffer that JSON is written into by hand: keys in a fixed order, no
/// encoder round trip per record.
public struct JSONBuffer: Sendable, CompactJSONOutput {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Bytes written so far.
    public var count: Int { bytes.count }

    public mutating func reserveCapacity(_ capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { text in
            // Most are one byte of punctuation: appended as a byte, not a buffer.
            if text.count == 1 { bytes.append(text[0]) } else { bytes.append(contentsOf: text) }
        }
    }

    /// `text` as it is. Not `raw(_:)`: a string literal would pick a `String`
    /// overload over the `StaticString` one, and pay for a string.
    public mutating func raw(text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(utf8 value: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: value)
    }

    public mutating func append(_ other: JSONBuffer) {
        bytes.append(contentsOf: other.bytes)
    }

    /// Drops what was written after the first `count` bytes.
    public mutating func truncate(to count: Int) {
        bytes.removeSubrange(count...)
    }

    /// A decimal integer, written digit by digit (no `String` made for it).
    public mutating func number(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // At most 19 digits, written backwards into a buffer on the stack.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// A 64-bit value as 16 lower-case hex digits.
    public mutating func hex(_ value: UInt64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { digits in
            for index in 0..<16 {
                let digit = UInt8(value >> UInt64(60 - 4 * index) & 0xF)
                digits[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(digits))
        }
    }

    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; other
    /// characters (non-ASCII included) as UTF-8.
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    /// A JSON string from UTF-8 bytes; runs that need no escape are copied whole,
    /// found eight bytes a step (most strings have nothing to escape).
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var run = 0
        var index = 0
        while index < value.count {
            if let base = value.baseAddress {
                while index + 8 <= value.count {
                    let word = ByteWord.load(base, index)
                    if ByteWord.hasBelow(word, 0x20) | ByteWord.has(word, 0x22) | ByteWord.has(word, 0x5C) | ByteWord.has(word, 0x7F) != 0 {
                        break
                    }
                    index += 8
                }
            }
            let end = min(index + 8, value.count)
            while index < end {
                let byte = value[index]
                if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                    if run < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<index])) }
                    run = index + 1
                    escape(byte)
                }
                index += 1
            }
        }
        if run < value.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[run...])) }
        bytes.append(0x22)
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
        default:
            raw("\\u00")
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0xF)])
        }
    }

    /// A flat object of strings, keys sorted (deterministic output).
    public mutating func attributes(_ attrs: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        defer { bytes.append(UInt8(ascii: "}")) }
        if attrs.count == 1, let member = attrs.first {
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
            string(member.value)
            return
        }
        for (index, member) in attrs.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(member.key)
            bytes.append(UInt8(ascii: ":"))
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
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                self.value(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}
