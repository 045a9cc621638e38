import Testing
@testable import Quarry

@Suite struct RulePackTests {
    /// The standard fixture with `rules.yaml` holding one relation rule with `pattern`.
    static func withPattern(_ pattern: String) -> PackFixture {
        var fixture = PackFixture.standard
        fixture.files["relations/rules.yaml"] = """
            relations:
              - id: talks.discussed
                relation: talks
                pattern: '\(pattern)'

            """
        return fixture
    }

    @Test func standardFixtureLoads() throws {
        let pack = try PackFixture.standard.load()
        #expect(pack.name == "fixture")
        #expect(pack.relationRules.map(\.id) == ["visit.each", "talks.with", "talks.discussed"])
        #expect(pack.phases.map(\.name) == ["names", "people"])
        #expect(pack.shortNameTypes == ["PERSON"])
        #expect(pack.warnings.isEmpty)
        #expect(pack.types.isA("CITY", "PLACE"))
        #expect(!pack.types.isA("PLACE", "CITY"))
    }

    @Test func filesThatCannotBeReadAreNamedWhereThePackListsThem() throws {
        var fixture = PackFixture.standard
        fixture.files["pack.yaml"] = PackFixture.packYAML
            .replacingOccurrences(of: "      - gazetteers/titles.tsv\n", with: "      - gazetteers/titles.tsv\n      - gazetteers/missing.tsv\n      - gazetteers/folder.tsv\n")
            .replacingOccurrences(of: "    - relations/rules.yaml\n", with: "    - relations/rules.yaml\n    - relations/missing.yaml\n")
        fixture.files["gazetteers/folder.tsv/inside.tsv"] = "name\ttype\tcanonical\tid\tattrs\n"
        #expect(try fixture.loadErrors() == [
            """
            DIR/pack.yaml:17:9: error: cannot read gazetteer 'gazetteers/missing.tsv'
                  - gazetteers/missing.tsv
                    ^
            """,
            """
            DIR/pack.yaml:18:9: error: cannot read gazetteer 'gazetteers/folder.tsv'
                  - gazetteers/folder.tsv
                    ^
            """,
            """
            DIR/pack.yaml:30:7: error: cannot read rule file 'relations/missing.yaml'
                - relations/missing.yaml
                  ^
            """,
        ])
    }

    @Test func aLargeGazetteerIsReadWhole() throws {
        var fixture = PackFixture.standard
        let names = (0..<20_000).map { "Town Number \($0)\tCITY\t\t\tcountry=XYZ;note=a line long enough to need more than one block" }
        fixture.files["gazetteers/places.tsv"] = (["name\ttype\tcanonical\tid\tattrs"] + names).joined(separator: "\n")
        let pack = try fixture.load()
        let entries = pack.phases[0].gazetteers[0].entries
        #expect(entries.count == 20_000)
        #expect(entries.last?.name == "Town Number 19999")
        #expect(entries.last?.line == 20_001)
    }

    @Test func malformedYAML() throws {
        var fixture = PackFixture.standard
        fixture.files["relations/rules.yaml"] = """
            relations:
              - id: visit.each
                relation: visit: oops

            """
        #expect(try fixture.loadErrors() == [
            """
            DIR/relations/rules.yaml:3:20: error: invalid YAML: mapping values are not allowed in this context
                relation: visit: oops
                               ^
            """,
        ])
    }

    @Test func unknownPlaceholderType() throws {
        #expect(try Self.withPattern("{COUNTRI+:parties} discussed trade").loadErrors() == [
            """
            DIR/relations/rules.yaml:4:15: error: unknown type 'COUNTRI' in placeholder '{COUNTRI+:parties}'
                pattern: '{COUNTRI+:parties} discussed trade'
                          ^
            """,
        ])
    }

    @Test func invalidRegexPointsAtTheOffendingCharacter() throws {
        #expect(try Self.withPattern("{COUNTRY+:parties} discussed [z-a]").loadErrors() == [
            """
            DIR/relations/rules.yaml:4:47: error: range out of order in character class
                pattern: '{COUNTRY+:parties} discussed [z-a]'
                                                          ^
            """,
        ])
    }

    @Test func invalidRegexColumnCountsCharactersNotBytes() throws {
        #expect(try Self.withPattern("{COUNTRY+:parties} a discuté [z-a]").loadErrors() == [
            """
            DIR/relations/rules.yaml:4:47: error: range out of order in character class
                pattern: '{COUNTRY+:parties} a discuté [z-a]'
                                                          ^
            """,
        ])
    }

    @Test func invalidRegexAfterADoubledQuote() throws {
        // In a single-quoted YAML scalar '' is one quote: the column counts both.
        #expect(try Self.withPattern("{COUNTRY+:parties}'' [z-a]").loadErrors() == [
            """
            DIR/relations/rules.yaml:4:39: error: range out of order in character class
                pattern: '{COUNTRY+:parties}'' [z-a]'
                                                  ^
            """,
        ])
    }

    @Test func unknownMacro() throws {
        #expect(try Self.withPattern("{COUNTRY+:parties} {talkz}").loadErrors() == [
            """
            DIR/relations/rules.yaml:4:34: error: unknown macro '{talkz}'
                pattern: '{COUNTRY+:parties} {talkz}'
                                             ^
            """,
        ])
    }

    @Test func duplicateRuleID() throws {
        var fixture = PackFixture.standard
        fixture.files["relations/rules.yaml"] = """
            relations:
              - id: talks.discussed
                relation: talks
                pattern: '{COUNTRY+:parties} discussed trade'
              - id: talks.discussed
                relation: talks
                pattern: '{COUNTRY+:parties} talked'

            """
        #expect(try fixture.loadErrors() == [
            """
            DIR/relations/rules.yaml:5:9: error: duplicate rule id 'talks.discussed' (first at DIR/relations/rules.yaml:2)
              - id: talks.discussed
                    ^
            """,
        ])
    }

    @Test func everyProblemIsReportedInOnePass() throws {
        var fixture = PackFixture.standard
        fixture.files["relations/rules.yaml"] = """
            relations:
              - id: a
                relation: talks
                pattern: '{COUNTRI+:parties} met'
              - id: b
                relation: talks
                pattern: '{COUNTRY+:parties} [z-a]'

            """
        #expect(try fixture.loadErrors() == [
            """
            DIR/relations/rules.yaml:4:15: error: unknown type 'COUNTRI' in placeholder '{COUNTRI+:parties}'
                pattern: '{COUNTRI+:parties} met'
                          ^
            """,
            """
            DIR/relations/rules.yaml:7:37: error: range out of order in character class
                pattern: '{COUNTRY+:parties} [z-a]'
                                                ^
            """,
        ])
    }

    @Test func gazetteerLineWithTooFewColumns() throws {
        var fixture = PackFixture.standard
        fixture.files["gazetteers/places.tsv"] = "name\ttype\tcanonical\tid\tattrs\nFrance\tCOUNTRY\tFrance\tQ142\tiso3=FRA\nSpain\tCOUNTRY\tSpain\n"
        #expect(try fixture.loadErrors() == [
            "DIR/gazetteers/places.tsv:3:20: error: expected 5 tab-separated columns, found 3\nSpain\tCOUNTRY\tSpain\n     \t       \t     ^",
        ])
    }

    @Test func unknownGazetteerType() throws {
        var fixture = PackFixture.standard
        fixture.files["gazetteers/places.tsv"] = "name\ttype\tcanonical\tid\tattrs\nFrance\tCOUNTRY\tFrance\tQ142\tiso3=FRA\nTokyo\tCTY\tTokyo\t\t\n"
        #expect(try fixture.loadErrors() == [
            "DIR/gazetteers/places.tsv:3:7: error: unknown type 'CTY'\nTokyo\tCTY\tTokyo\t\t\n     \t^",
        ])
    }

    @Test func unknownEntityRuleType() throws {
        var fixture = PackFixture.standard
        fixture.files["entities/people.yaml"] = """
            entities:
              - id: person.after-title
                type: PERSN
                pattern: '{TITLE} \\p{Lu}\\p{Ll}+'

            """
        #expect(try fixture.loadErrors() == [
            """
            DIR/entities/people.yaml:3:11: error: unknown type 'PERSN'
                type: PERSN
                      ^
            """,
        ])
    }

    @Test func unusedMacroIsAWarningAndThePackLoads() throws {
        var fixture = PackFixture.standard
        fixture.files["pack.yaml"] = PackFixture.packYAML.replacingOccurrences(of: "resolution:", with: "macros:\n  unused: 'x'\nresolution:")
        let warnings = try withTemporaryDirectory { directory in
            try fixture.write(to: directory)
            let pack = try RulePack.load(directory: directory.path)
            #expect(pack.relationRules.count == 3)
            return pack.warnings.map { $0.description.replacingOccurrences(of: directory.path, with: "DIR") }
        }
        #expect(warnings == [
            """
            DIR/pack.yaml:11:3: warning: macro 'unused' is never used
              unused: 'x'
              ^
            """,
        ])
    }

    @Test func unusedMacrosAreReportedInFileOrder() throws {
        // Macros live in a dictionary; the warnings must follow the file, not the
        // dictionary's order (which changes from run to run).
        var fixture = PackFixture.standard
        let names = ["zulu", "alpha", "mike", "bravo", "yankee", "charlie", "xray", "delta"]
        let macros = names.map { "  \($0): 'x'" }.joined(separator: "\n")
        fixture.files["pack.yaml"] = PackFixture.packYAML.replacingOccurrences(of: "resolution:", with: "macros:\n\(macros)\nresolution:")
        let warned = try withTemporaryDirectory { directory in
            try fixture.write(to: directory)
            return try RulePack.load(directory: directory.path).warnings.map(\.message)
        }
        #expect(warned == names.map { "macro '\($0)' is never used" })
    }

    @Test func standsForWarningsComeAfterThePacksOtherWarningsOnAnyThreadCount() throws {
        // The stands_for entities are resolved before the relation rules load (so
        // that the gazetteers can merge meanwhile), but their warnings keep their
        // place after the warnings about the pack's own macros.
        var fixture = PackFixture.standard
        fixture.files["pack.yaml"] = PackFixture.packYAML.replacingOccurrences(of: "resolution:", with: "macros:\n  unused: 'x'\nresolution:")
        fixture.files["gazetteers/places.tsv"] = PackFixture.places + "Atlantis\tCITY\tAtlantis\t\tstands_for=Mu\n"
        let warned = try withTemporaryDirectory { directory in
            try fixture.write(to: directory)
            return try [1, 3].map { jobs in try RulePack.load(directory: directory.path, jobs: jobs).warnings.map(\.message) }
        }
        #expect(warned[0] == ["macro 'unused' is never used", "stands_for 'Mu' names no entity of the pack"])
        #expect(warned[1] == warned[0])
    }

    /// `stands_for` names the first entity of that canonical name in the pack,
    /// whatever follows it: its own variants, or another entity of the same name.
    @Test func standsForNamesTheFirstEntityOfItsCanonicalName() throws {
        var fixture = PackFixture.standard
        fixture.files["gazetteers/places.tsv"] = PackFixture.places + """
            Georgia\tCOUNTRY\tGeorgia\tQ230\tiso3=GEO
            georgia\tCOUNTRY\tGeorgia\tQ230\tiso3=GEO
            State of Georgia\tCITY\tGeorgia\tQ1428\t
            Tbilisi\tCITY\tTbilisi\tQ994\tstands_for=Georgia
            Seoul\tCITY\tSeoul\tQ8684\tstands_for=South Korea

            """
        let pack = try withTemporaryDirectory { directory in
            try fixture.write(to: directory)
            return try RulePack.load(directory: directory.path)
        }
        let entries = pack.phases.flatMap(\.gazetteers).flatMap(\.entries)
        let standsFor = { (name: String) in entries.first { $0.name == name }?.standsFor }
        #expect(standsFor("Tbilisi")?.id == "Q230")
        #expect(standsFor("Tbilisi")?.type == "COUNTRY")
        #expect(standsFor("Seoul")?.id == "Q884")
        #expect(standsFor("Paris")?.canonical == "France")
        #expect(pack.warnings.isEmpty)
    }

    @Test func theDefaultPackLoadsTheSameOnSeveralThreads() throws {
        let serial = try RulePack.load(directory: Robust.rules, jobs: 1)
        let parallel = try RulePack.load(directory: Robust.rules, jobs: 4)
        #expect(parallel.warnings == serial.warnings)
        func summary(_ pack: RulePack) -> [String] {
            pack.phases.flatMap { phase in
                phase.gazetteers.map { "\($0.file) \($0.caseless) \($0.entries.map { "\($0.name) \($0.order) \($0.line)" })" }
                    + phase.rules.map { "\($0.id) \($0.order) \($0.pattern.pattern.source) \($0.pattern.requiredWords ?? [])" }
            } + pack.relationRules.map { "\($0.id) \($0.order) \($0.pattern.pattern.source) \($0.pattern.requiredWords ?? [])" }
        }
        #expect(summary(parallel) == summary(serial))
        #expect(summary(serial).count > 40)
        // The rules' words, worked out before the tries merge, number the same
        // rules as words worked out from the finished pack.
        for pack in [serial, parallel] {
            let words = RuleWords(phases: pack.phases.map(\.rules), relationRules: pack.relationRules)
            #expect(pack.words.entity == words.entity)
            #expect(pack.words.entityLeads == words.entityLeads)
            #expect(pack.words.relation == words.relation)
            #expect(pack.words.scanner.ruleCount == words.scanner.ruleCount)
            #expect(pack.words.relation.compactMap { $0 }.count > 20)
        }
    }

    @Test func brokenPatternsAndFilesReportTheSameOnSeveralThreads() throws {
        // loadErrors() compares one thread with three; here every kind of file is
        // broken at once, in several files.
        var fixture = PackFixture.standard
        for (path, text) in fixture.files where path.hasSuffix(".yaml") && path != "pack.yaml" {
            fixture.files[path] = text.replacingOccurrences(of: "pattern: '", with: "pattern: '(?<broken")
        }
        fixture.files["pack.yaml"] = PackFixture.packYAML.replacingOccurrences(
            of: "    - relations/rules.yaml", with: "    - relations/rules.yaml\n    - relations/extra.yaml\n    - relations/missing.yaml")
        fixture.files["relations/extra.yaml"] = "relations: [unclosed"
        let errors = try #require(try fixture.loadErrors())
        #expect(errors.count >= 3)
    }

    @Test func aNameAnEarlierFileOfThePhaseHasIsReportedAsNeverUsed() throws {
        // Names are compared within a phase's files of one case setting, as their
        // merged trie holds them; the same report whatever the thread count.
        var fixture = PackFixture.standard
        fixture.files["pack.yaml"] = PackFixture.packYAML.replacingOccurrences(
            of: "      - gazetteers/titles.tsv", with: "      - gazetteers/titles.tsv\n      - gazetteers/more.tsv\n      - {file: gazetteers/folded.tsv, caseless: true}")
        fixture.files["gazetteers/more.tsv"] = "name\ttype\tcanonical\tid\tattrs\nParis\tCOUNTRY\tParis\t\t\nLyon\tCITY\t\t\t\n"
        fixture.files["gazetteers/folded.tsv"] = "name\ttype\tcanonical\tid\tattrs\nlyon\tCITY\t\t\t\nLYON\tCITY\t\t\t\n"
        let reports = try withTemporaryDirectory { directory in
            try fixture.write(to: directory)
            return try [1, 3].map { jobs in
                try RulePack.load(directory: directory.path, jobs: jobs).warnings.map {
                    $0.description.replacingOccurrences(of: directory.path, with: "DIR")
                }
            }
        }
        #expect(reports[0] == reports[1])
        let shadowed = reports[0].filter { $0.contains("never used") }
        #expect(shadowed.count == 1)
        #expect(shadowed.first?.hasPrefix("DIR/gazetteers/more.tsv:2:1: warning: 'Paris' is also at DIR/gazetteers/places.tsv:6") == true)
    }

    @Test func missingFolder() throws {
        do {
            _ = try RulePack.load(directory: "/nonexistent/quarry-rules")
            Issue.record("a missing folder loaded")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["/nonexistent/quarry-rules: error: rule pack folder '/nonexistent/quarry-rules' does not exist"])
        }
    }

    @Test func realPackLoadsWithoutErrors() throws {
        let pack = try RulePack.load(directory: Repository.rules)
        #expect(!pack.relationRules.isEmpty)
        #expect(!pack.phases.isEmpty)
        #expect(pack.warnings.allSatisfy { $0.severity == .warning })
    }
}
