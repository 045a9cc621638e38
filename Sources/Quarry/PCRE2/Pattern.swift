internal import CPCRE2

/// A compiled PCRE2 pattern (UTF, UCP, JIT-compiled when the platform has JIT).
///
/// A compiled pattern is read-only once built, so PCRE2 lets threads share it; the
/// mutable state of matching lives in a `MatchScratch`, one per thread.
public final class Pattern: @unchecked Sendable {
    /// How a pattern is compiled.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// Letters match their other case (Unicode case folding).
        public static let caseless = Options(rawValue: PCRE2_CASELESS)
        /// Allow the same group name more than once (in alternatives).
        public static let duplicateNames = Options(rawValue: PCRE2_DUPNAMES)
    }

    /// The pattern text as it was compiled.
    public let source: String
    /// Number of capturing groups.
    public let captureCount: Int
    /// Whether the pattern was JIT-compiled.
    public let isJIT: Bool
    let code: OpaquePointer

    /// Compiles `source`.
    ///
    /// - Throws: `PCRE2Error.compile` with PCRE2's message and the byte offset.
    public init(_ source: String, options: Options = []) throws(PCRE2Error) {
        self.source = source
        var errorCode: Int32 = 0
        var errorOffset = 0
        let flags = PCRE2_UTF | PCRE2_UCP | options.rawValue
        let compiled = source.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                pcre2_compile_8(bytes.baseAddress, bytes.count - 1, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw .compile(code: errorCode, message: PCRE2Error.text(for: errorCode), offset: errorOffset)
        }
        code = compiled
        isJIT = pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
    }

    deinit { pcre2_code_free_8(code) }

    /// The number of the capture group called `name`, or nil when there is none.
    ///
    /// With duplicate names, use `groupNumbers(named:)`.
    public func groupNumber(named name: String) -> Int? {
        let number = pcre2_substring_number_from_name_8(code, name)
        return number > 0 ? Int(number) : nil
    }

    /// Every group's name and number, in the order of the name table.
    public var groupNames: [(name: String, number: Int)] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table, count > 0 else { return [] }
        var result: [(String, Int)] = []
        for index in 0..<Int(count) {
            let entry = table + index * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            let nameStart = entry + 2
            var length = 0
            while length < Int(entrySize) - 2, nameStart[length] != 0 { length += 1 }
            result.append((String(decoding: UnsafeBufferPointer(start: nameStart, count: length), as: UTF8.self), number))
        }
        return result
    }

    /// Whether the pattern can match the empty string somewhere (a rule smell).
    public func matchesEmpty(scratch: MatchScratch) -> Bool {
        let empty: [UInt8] = []
        return empty.withUnsafeBufferPointer { text in
            (try? scratch.firstMatch(of: self, in: text, from: 0)) != nil
        }
    }
}
