/// A byte buffer that JSON is written into by hand: keys in a fixed order, no
/// encoder round trip per record.
public struct JSONBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    public mutating func append(_ other: JSONBuffer) {
        bytes.append(contentsOf: other.bytes)
    }

    public mutating func number(_ value: Int) {
        raw(String(value))
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

    /// A JSON string from UTF-8 bytes; runs that need no escape are copied whole.
    public mutating func string(utf8 value: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var run = 0
        for (index, byte) in value.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
            if run < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[run..<index])) }
            run = index + 1
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(Self.hex[Int(byte >> 4)])
                bytes.append(Self.hex[Int(byte & 0xF)])
            default: break
            }
        }
        if run < value.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: value[run...])) }
        bytes.append(0x22)
    }

    /// A flat object of strings, keys sorted (deterministic output).
    public mutating func attributes(_ attrs: [String: String]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, key) in attrs.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(key)
            bytes.append(UInt8(ascii: ":"))
            string(attrs[key]!)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// A JSON value as it was read.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): raw(flag ? "true" : "false")
        case .number(let text): raw(text)
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
