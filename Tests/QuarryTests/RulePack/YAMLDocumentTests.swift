import Testing
@testable import Quarry

@Suite struct YAMLDocumentTests {
    @Test func sourceLineCountsFromOne() {
        let text = "a: 1\nb: 2\n\nc: 3"
        #expect(YAMLDocument.sourceLine(1, of: text) == "a: 1")
        #expect(YAMLDocument.sourceLine(2, of: text) == "b: 2")
        #expect(YAMLDocument.sourceLine(3, of: text) == "")
        #expect(YAMLDocument.sourceLine(4, of: text) == "c: 3")
        #expect(YAMLDocument.sourceLine(5, of: text) == nil)
        #expect(YAMLDocument.sourceLine(0, of: text) == nil)
    }

    /// The lines are those of a split by `Character`, where CR LF is one character
    /// and not a line feed.
    @Test func sourceLineIsTheCharacterSplit() {
        let texts = ["a: 1\r\nb: 2\nc: ü\n", "\n", "", "x\r\n\r\ny\n\nz", "é\u{301}\nn\u{301}"]
        for text in texts {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for number in 0...(lines.count + 1) {
                let expected = number > 0 && number <= lines.count ? String(lines[number - 1]) : nil
                #expect(YAMLDocument.sourceLine(number, of: text) == expected, "line \(number) of \(text.debugDescription)")
            }
        }
    }

    @Test func diagnosticQuotesTheLineOfTheNode() throws {
        let (parsed, problem) = YAMLDocument.parse("a: 1\nb:\n  c: 2\n", file: "f.yaml")
        let document = try #require(parsed)
        #expect(problem == nil)
        let c = document.root?.member("b")?.member("c")
        let diagnostic = document.diagnostic(.error, "bad", at: c)
        #expect(diagnostic.line == 3)
        #expect(diagnostic.sourceLine == "  c: 2")
    }
}
