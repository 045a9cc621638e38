internal import CPCRE2

/// An error reported by PCRE2 while compiling or matching a pattern.
public enum PCRE2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern does not compile; `offset` is the byte offset into the pattern
    /// where PCRE2 gave up.
    case compile(code: Int32, message: String, offset: Int)
    /// The match stopped before it could decide, e.g. at the match or depth limit;
    /// the message is PCRE2's own.
    case match(code: Int32, message: String)

    /// PCRE2's message for the error.
    public var message: String {
        switch self {
        case .compile(_, let message, _), .match(_, let message): message
        }
    }

    /// True when the match gave up at a resource limit (match, depth, heap or JIT stack).
    public var isLimit: Bool {
        guard case .match(let code, _) = self else { return false }
        return [PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT]
            .contains(code)
    }

    public var description: String {
        switch self {
        case .compile(let code, let message, let offset):
            "\(message) (PCRE2 error \(code) at pattern offset \(offset))"
        case .match(let code, let message):
            "\(message) (PCRE2 error \(code))"
        }
    }

    /// PCRE2's text for an error code.
    static func text(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { pointer in
            pcre2_get_error_message_8(code, pointer.baseAddress, pointer.count)
        }
        guard count > 0 else { return "unknown PCRE2 error \(code)" }
        return String(decoding: buffer[0..<Int(count)], as: UTF8.self)
    }
}
