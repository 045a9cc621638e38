internal import CPCRE2

/// The per-thread state of matching: match data, a match context with limits, and a
/// JIT stack.
///
/// PCRE2 forbids sharing these between threads at the same time, so each worker owns
/// one. The class is `@unchecked Sendable` so that it can be handed to the thread
/// that will own it; it is never used by two threads at once.
public final class MatchScratch: @unchecked Sendable {
    /// The limits that stop a runaway pattern.
    public struct Limits: Sendable, Hashable {
        /// PCRE2's match limit: calls of its internal match function per attempt.
        public var matchLimit: UInt32
        /// PCRE2's depth limit: backtracking depth (interpreter only).
        public var depthLimit: UInt32
        /// Size of the JIT stack in bytes.
        public var jitStackBytes: Int

        public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 10_000, jitStackBytes: Int = 1 << 20) {
            self.matchLimit = matchLimit
            self.depthLimit = depthLimit
            self.jitStackBytes = jitStackBytes
        }

        public static let standard = Limits()
    }

    private let matchData: OpaquePointer
    private let context: OpaquePointer
    private let jitStack: OpaquePointer?
    private let pairs: Int

    /// Scratch for patterns with at most `maxGroups` capture groups.
    public init(maxGroups: Int = 64, limits: Limits = .standard) {
        pairs = maxGroups + 1
        guard let data = pcre2_match_data_create_8(UInt32(pairs), nil),
              let context = pcre2_match_context_create_8(nil)
        else { preconditionFailure("PCRE2 could not allocate match data for \(maxGroups) groups") }
        matchData = data
        self.context = context
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, limits.jitStackBytes, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// The first match of `pattern` in `text` at or after byte `start`, as the byte
    /// ranges of group 0 and every capture group (nil for an unset group).
    public func firstMatch(
        of pattern: Pattern, in text: UnsafeBufferPointer<UInt8>, from start: Int
    ) throws(PCRE2Error) -> [Range<Int>?]? {
        var result: [Range<Int>?]?
        try forEachMatch(of: pattern, in: text, from: start) { match in
            result = (0...pattern.captureCount).map { match[$0] }
            return false
        }
        return result
    }

    /// Calls `body` with every non-overlapping match of `pattern` in `text`, from
    /// byte `start`, until `body` returns false.
    ///
    /// The text must be valid UTF-8 (documents are validated once when read), so no
    /// per-call UTF check runs. After an empty match the next attempt must not be
    /// empty at the same place, so the loop always advances.
    ///
    /// - Complexity: linear in the text for linear patterns; a pattern that runs into
    ///   the match limit throws instead of hanging.
    public func forEachMatch(
        of pattern: Pattern, in text: UnsafeBufferPointer<UInt8>, from start: Int = 0,
        _ body: (MatchGroups) throws(PCRE2Error) -> Bool
    ) throws(PCRE2Error) {
        precondition(pattern.captureCount < pairs, "match scratch holds \(pairs - 1) groups, pattern has \(pattern.captureCount)")
        // A null subject pointer is not allowed even for an empty subject.
        let empty: UInt8 = 0
        let base = text.baseAddress ?? withUnsafePointer(to: empty) { $0 }
        let length = text.count
        var offset = start
        var options: UInt32 = 0
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        while offset <= length {
            let rc: Int32
            if pattern.isJIT {
                rc = pcre2_jit_match_8(pattern.code, base, length, offset, options, matchData, context)
            } else {
                rc = pcre2_match_8(pattern.code, base, length, offset, options | PCRE2_NO_UTF_CHECK, matchData, context)
            }
            if rc == PCRE2_ERROR_NOMATCH { return }
            if rc < 0 { throw .match(code: rc, message: PCRE2Error.text(for: rc)) }
            let groups = MatchGroups(ovector: ovector, count: pattern.captureCount + 1)
            let matchStart = ovector[0]
            let matchEnd = ovector[1]
            guard try body(groups) else { return }
            if matchEnd == matchStart {
                options = PCRE2_NOTEMPTY_ATSTART
                offset = matchEnd
            } else {
                options = 0
                offset = matchEnd
            }
            if offset == length && options != 0 { return }
        }
    }
}

/// The byte ranges of one match's groups, valid only inside the closure that gets it.
public struct MatchGroups {
    fileprivate let ovector: UnsafeMutablePointer<Int>
    /// Group 0 and the capture groups.
    public let count: Int

    /// The byte range of group `index`, or nil when it did not take part in the match.
    public subscript(index: Int) -> Range<Int>? {
        guard index < count else { return nil }
        let start = ovector[2 * index]
        let end = ovector[2 * index + 1]
        if start == quarry_pcre2_unset() || end < start { return nil }
        return start..<end
    }

    /// The whole match.
    public var range: Range<Int> { ovector[0]..<ovector[1] }
}
