import Foundation
import Testing
@testable import Quarry

/// A user's rules that would hang, loop or crash a naive engine: catastrophic
/// backtracking, empty matches, broken gazetteer lines, duplicate ids, patterns too
/// large for PCRE2. Each gives a clear error or warning naming the rule.
@Suite("Robustness: hostile rules", .serialized)
struct RuleRobustnessTests {
    static let longRun = String(repeating: "a", count: 40)

    static var hostile: RobustPack {
        var pack = RobustPack.standard
        pack.files["entities/rules.yaml"] = """
            entities:
              - id: hostile.entity
                type: PERSON
                pattern: '(a+)+$'

            """
        pack.files["relations/rules.yaml"] = """
            relations:
              - id: talks.held
                relation: talks
                pattern: '{COUNTRY+:parties} held talks'
              - id: hostile.relation
                relation: noise
                pattern: '{COUNTRY:country} (a+)+$'

            """
        return pack
    }

    @Test("(a+)+$ in an entity and a relation rule: a warning naming each rule, the other facts kept")
    func catastrophicBacktracking() throws {
        try Robust.withFolder { folder in
            let loaded = Self.hostile.load(in: folder)
            let pack = try #require(loaded.pack, "\(loaded.diagnostics)")
            let text = "France and Japan held talks. France \(Self.longRun)!"
            let processor = DocumentProcessor(pack: pack)
            let processed = processor.process(Document(name: "doc.txt", text: text), scratch: processor.makeScratch())
            #expect(processed.warnings.map(\.description) == [
                "doc.txt: warning: rule 'hostile.entity' gave up on sentence 1: match limit exceeded; the rule is skipped there",
                "doc.txt: warning: rule 'hostile.relation' gave up on sentence 1: match limit exceeded; the rule is skipped there",
            ])
            #expect(processed.facts.map(\.relation) == ["talks"])
        }
    }

    @Test("the binary on a hostile pack and a long run of a's: warnings, exit 0, no hang",
          .enabled(if: Robust.hasBinary))
    func catastrophicBacktrackingCLI() throws {
        try Robust.withFolder { folder in
            try Self.hostile.write(to: folder + "/pack")
            var text = ""
            for index in 0..<50 { text += "France and Japan held talks. France \(String(repeating: "a", count: 30 + index))!\n" }
            let input = try Robust.write(folder + "/doc.txt", text)
            let result = try Robust.quarry(["run", input, "--rules", folder + "/pack", "--jobs", "2"], timeout: 300)
            #expect(!result.timedOut)
            #expect(result.status == 0)
            let warnings = Robust.warnings(result)
            #expect(warnings.count == 100)  // both rules give up on each sentence with a run of a's
            #expect(warnings.first == "\(input): warning: rule 'hostile.entity' gave up on sentence 1: match limit exceeded; the rule is skipped there")
            #expect(warnings.allSatisfy { $0.contains("rule 'hostile.") && $0.hasSuffix(": match limit exceeded; the rule is skipped there") })
            #expect(result.stdoutText.split(separator: "\n").count == 50)
        }
    }

    @Test("patterns that match the empty string: no hang, no empty mention, no fact without arguments")
    func emptyMatches() throws {
        try Robust.withFolder { folder in
            var pack = RobustPack.standard
            pack.files["entities/rules.yaml"] = """
                entities:
                  - id: empty.entity
                    type: PERSON
                    pattern: 'q*'
                  - id: empty.lookahead
                    type: PERSON
                    pattern: '(?=a)|\\b'

                """
            pack.files["relations/rules.yaml"] = """
                relations:
                  - id: empty.relation
                    relation: noise
                    pattern: '(?:{COUNTRY:country})?'

                """
            let loaded = pack.load(in: folder)
            let rules = try #require(loaded.pack, "\(loaded.diagnostics)")
            let text = "France and Japan held talks. Some text about a thing. " + String(repeating: "word ", count: 2000)
            let processor = DocumentProcessor(pack: rules)
            let processed = processor.process(Document(name: "doc", text: text), scratch: processor.makeScratch())
            #expect(processed.warnings.isEmpty)
            #expect(processed.mentions.allSatisfy { !$0.range.isEmpty })
            #expect(processed.mentions.filter { $0.entity.type == "PERSON" }.isEmpty)
            #expect(processed.facts.allSatisfy { fact in
                fact.args.contains { if case .absent = $0.value { false } else { true } }
            })
            // The loader tries each pattern on the empty subject, so 'empty.lookahead'
            // (empty only inside a text) is not warned of; it is still harmless.
            #expect(loaded.diagnostics == [
                "DIR/entities/rules.yaml:2: warning: rule 'empty.entity' matches the empty string; empty matches are ignored",
                "DIR/relations/rules.yaml:2: warning: rule 'empty.relation' matches the empty string; empty matches are ignored",
            ])
        }
    }

    @Test("a gazetteer line with the wrong number of columns: an error at file:line:col with a caret")
    func gazetteerColumns() throws {
        try Robust.withFolder { folder in
            var pack = RobustPack.standard
            pack.files["gazetteers/places.tsv"] = "name\ttype\tcanonical\tid\tattrs\nFrance\tCOUNTRY\tFrance\tQ142\tiso3=FRA\nParis\tCITY\nRome\tCOUNTRY\tRome\t\t\textra\nOslo COUNTRY Oslo\n"
            let loaded = pack.load(in: folder)
            #expect(loaded.pack == nil)
            #expect(loaded.diagnostics == [
                "DIR/gazetteers/places.tsv:3:11: error: expected 5 tab-separated columns, found 2\nParis\tCITY\n     \t    ^",
                "DIR/gazetteers/places.tsv:4:20: error: expected 5 tab-separated columns, found 6\nRome\tCOUNTRY\tRome\t\t\textra\n    \t       \t    \t\t^",
                "DIR/gazetteers/places.tsv:5:18: error: expected 5 tab-separated columns, found 1\nOslo COUNTRY Oslo\n                 ^",
            ])
        }
    }

    @Test("duplicate rule ids, in one file and across files: an error naming the id and the first place")
    func duplicateIDs() throws {
        try Robust.withFolder { folder in
            var pack = RobustPack.standard
            pack.files["entities/rules.yaml"] = """
                entities:
                  - id: talks.held
                    type: PERSON
                    pattern: 'Mr (?<name>\\p{Lu}\\p{Ll}+)'
                    group: name

                """
            pack.files["relations/rules.yaml"] = """
                relations:
                  - id: talks.held
                    relation: talks
                    pattern: '{COUNTRY+:parties} held talks'
                  - id: talks.held
                    relation: talks
                    pattern: '{COUNTRY+:parties} began talks'

                """
            let loaded = pack.load(in: folder)
            #expect(loaded.pack == nil)
            #expect(loaded.diagnostics == [
                "DIR/relations/rules.yaml:2:9: error: duplicate rule id 'talks.held' (first at DIR/entities/rules.yaml:2)\n  - id: talks.held\n        ^",
                "DIR/relations/rules.yaml:5:9: error: duplicate rule id 'talks.held' (first at DIR/entities/rules.yaml:2)\n  - id: talks.held\n        ^",
            ])
        }
    }

    /// Debian's PCRE2 has link size 2: compiled code over 64 KB is error 120.
    @Test("a 200 KB pattern: PCRE2's 'regular expression is too large' at file:line:col, naming nothing else")
    func hugePattern() throws {
        try Robust.withFolder { folder in
            var words: [String] = []
            var size = 0
            var index = 0
            while size < 200_000 {
                let word = "word\(index)x"
                words.append(word)
                size += word.utf8.count + 1
                index += 1
            }
            let pattern = "{COUNTRY:country} (?:" + words.joined(separator: "|") + ")"
            var pack = RobustPack.standard
            pack.files["relations/rules.yaml"] = """
                relations:
                  - id: talks.held
                    relation: talks
                    pattern: '{COUNTRY+:parties} held talks'
                  - id: huge.pattern
                    relation: noise
                    pattern: '\(pattern)'

                """
            let loaded = pack.load(in: folder)
            #expect(loaded.pack == nil)
            #expect(loaded.diagnostics.count == 1)
            let headline = loaded.diagnostics.first?.split(separator: "\n").first.map(String.init)
            #expect(headline?.hasPrefix("DIR/relations/rules.yaml:7:") == true)
            #expect(headline?.hasSuffix(": error: regular expression is too large") == true)
            // The caret is under a column of the pattern's line.
            let column = headline.flatMap { Int($0.split(separator: ":")[2]) } ?? 0
            #expect(column > 14 && column <= 14 + pattern.unicodeScalars.count + 1)
        }
    }

    @Test("parentheses nested 300 deep: PCRE2's nesting limit (250) is a compile error at its column")
    func deepNesting() throws {
        try Robust.withFolder { folder in
            let pattern = "{COUNTRY:country} " + String(repeating: "(?:", count: 300) + "a" + String(repeating: ")", count: 300)
            var pack = RobustPack.standard
            pack.files["relations/rules.yaml"] = """
                relations:
                  - id: deep.pattern
                    relation: noise
                    pattern: '\(pattern)'

                """
            let loaded = pack.load(in: folder)
            #expect(loaded.pack == nil)
            let headline = loaded.diagnostics.first?.split(separator: "\n").first.map(String.init)
            #expect(headline?.hasPrefix("DIR/relations/rules.yaml:4:") == true)
            #expect(headline?.hasSuffix(": error: parentheses are too deeply nested") == true)
        }
    }

    @Test("a broken pack through the binary: exit 2, nothing written, --output untouched",
          .enabled(if: Robust.hasBinary))
    func brokenPackCLI() throws {
        try Robust.withFolder { folder in
            var pack = RobustPack.standard
            pack.files["relations/rules.yaml"] = "relations:\n  - id: bad\n    relation: talks\n    pattern: '{COUNTRY+:parties} (held talks'\n"
            try pack.write(to: folder + "/pack")
            let input = try Robust.write(folder + "/doc.txt", "France and Japan held talks.")
            try Robust.write(folder + "/out.jsonl", "previous\n")
            let result = try Robust.quarry(["run", input, "--rules", folder + "/pack", "--output", folder + "/out.jsonl"])
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderrLines == [
                "\(folder)/pack/relations/rules.yaml:4:45: error: missing closing parenthesis",
                "    pattern: '{COUNTRY+:parties} (held talks'",
                "                                            ^",
                "quarry: rule pack '\(folder)/pack' has 1 error; nothing processed",
            ])
            #expect(Robust.read(folder + "/out.jsonl") == "previous\n")
            #expect(Robust.temporaryFiles(in: folder).isEmpty)
        }
    }
}
