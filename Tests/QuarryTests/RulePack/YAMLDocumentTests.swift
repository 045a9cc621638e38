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

    /// The lines are those YAML counts: LF, CR LF and a lone CR end one (CR LF is
    /// one `Character`, so a split by characters would see none of its line ends).
    @Test func sourceLinesEndAsYAMLLinesEnd() {
        let texts = ["a: 1\r\nb: 2\nc: ü\n", "\n", "", "x\r\n\r\ny\n\nz", "é\u{301}\nn\u{301}", "a\rb\r\n", "\r", "\r\r\n\n"]
        for text in texts {
            let lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            for number in 0...(lines.count + 1) {
                let expected = number > 0 && number <= lines.count ? lines[number - 1] : nil
                #expect(YAMLDocument.sourceLine(number, of: text) == expected, "line \(number) of \(text.debugDescription)")
            }
        }
    }

    @Test func diagnosticInACRLFFileQuotesItsLine() throws {
        let (parsed, problem) = YAMLDocument.parse("a: 1\r\nb:\r\n  c: 2\r\n", file: "f.yaml")
        let document = try #require(parsed)
        #expect(problem == nil)
        let diagnostic = document.diagnostic(.error, "bad", at: document.root?.member("b")?.member("c"))
        #expect(diagnostic.line == 3)
        #expect(diagnostic.sourceLine == "  c: 2")
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

    /// Keys are read as a resolver with only the `.bool` rule reads them: a quoted
    /// and a plain `yes` are two keys (a string and a boolean), a quoted and a plain
    /// `a` one key given twice.
    @Test func keysResolveOnlyBooleans() throws {
        let (twoKeys, noProblem) = YAMLDocument.parse("yes: 1\n'yes': 2\n", file: "f.yaml")
        #expect(noProblem == nil)
        #expect(try #require(twoKeys).root?.members.map(\.key) == ["yes", "yes"])
        let (_, sameKey) = YAMLDocument.parse("a: 1\n'a': 2\n", file: "f.yaml")
        #expect(sameKey?.message.contains("duplicated") == true)
        let (_, taggedBool) = YAMLDocument.parse("!!bool yes: 1\nyes: 2\n", file: "f.yaml")
        #expect(taggedBool?.message.contains("duplicated") == true)
        let (_, nested) = YAMLDocument.parse("a:\n  - b: 1\n    b: 2\n", file: "f.yaml")
        #expect(nested?.message.contains("duplicated") == true)
    }

    @Test func plainValuesAreBooleans() throws {
        let (parsed, _) = YAMLDocument.parse("a: true\nb: 'true'\nc: Off\nd: tRuE\ne: 1\n", file: "f.yaml")
        let document = try #require(parsed)
        let root = try #require(document.root)
        #expect(root.member("a")?.bool == true)
        #expect(root.member("b")?.bool == nil)
        #expect(root.member("c")?.bool == false)
        #expect(root.member("d")?.bool == true)
        #expect(root.member("e")?.bool == nil)
    }
}
