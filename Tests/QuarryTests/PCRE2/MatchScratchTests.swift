import Testing
@testable import Quarry

@Suite struct MatchScratchTests {
    @Test func catastrophicBacktrackingThrowsALimitError() throws {
        let pattern = try Pattern("(a+)+$")
        let text = Array((String(repeating: "a", count: 30_000) + "b").utf8)
        let scratch = MatchScratch()
        var caught: PCRE2Error?
        do {
            try text.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
                try scratch.forEachMatch(of: pattern, in: buffer) { _ in true }
            }
        } catch {
            caught = error
        }
        let error = try #require(caught)
        guard case .match = error else {
            Issue.record("expected a .match error, got \(error)")
            return
        }
        #expect(error.isLimit)
        #expect(!error.message.isEmpty)
    }

    @Test func scratchIsReusableAfterALimitError() throws {
        let scratch = MatchScratch(limits: .init(matchLimit: 10_000))
        let slow = try Pattern("(a+)+$")
        let text = Array((String(repeating: "a", count: 40) + "b").utf8)
        #expect(throws: PCRE2Error.self) {
            try text.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
                try scratch.forEachMatch(of: slow, in: buffer) { _ in true }
            }
        }
        let fine = try Pattern("b")
        let found = try text.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try scratch.firstMatch(of: fine, in: buffer, from: 0)
        }
        #expect(found?.first == 40..<41)
    }

    @Test func lowerMatchLimitStopsSooner() throws {
        // 25 "a"s and a "b" take far more than 1,000 steps to fail.
        let scratch = MatchScratch(limits: .init(matchLimit: 1_000))
        let pattern = try Pattern("(a+)+$")
        let text = Array((String(repeating: "a", count: 25) + "b").utf8)
        do {
            try text.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
                try scratch.forEachMatch(of: pattern, in: buffer) { _ in true }
            }
            Issue.record("no limit error")
        } catch {
            #expect(error.isLimit)
        }
    }

    @Test func emptySubjectIsAllowed() throws {
        let pattern = try Pattern("^$")
        let empty: [UInt8] = []
        let found = try empty.withUnsafeBufferPointer { (buffer) throws(PCRE2Error) in
            try MatchScratch().firstMatch(of: pattern, in: buffer, from: 0)
        }
        #expect(found?.first == 0..<0)
    }
}
