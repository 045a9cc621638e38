import Testing
@testable import Quarry

@Suite struct PCRE2ErrorTests {
    @Test func descriptionNamesCodeAndOffset() {
        let error = PCRE2Error.compile(code: 114, message: "missing closing parenthesis", offset: 3)
        #expect(error.description == "missing closing parenthesis (PCRE2 error 114 at pattern offset 3)")
        #expect(error.message == "missing closing parenthesis")
        #expect(!error.isLimit)
    }

    @Test func limitCodesAreLimits() {
        // PCRE2_ERROR_MATCHLIMIT is -47, PCRE2_ERROR_DEPTHLIMIT -53, a bad option -34.
        #expect(PCRE2Error.match(code: -47, message: "match limit exceeded").isLimit)
        #expect(PCRE2Error.match(code: -53, message: "depth limit exceeded").isLimit)
        #expect(!PCRE2Error.match(code: -34, message: "bad option value").isLimit)
        #expect(PCRE2Error.match(code: -47, message: "match limit exceeded").description == "match limit exceeded (PCRE2 error -47)")
    }

    @Test func messageComesFromPCRE2() {
        #expect(PCRE2Error.text(for: -47) == "match limit exceeded")
        #expect(PCRE2Error.text(for: 114) == "missing closing parenthesis")
    }
}
