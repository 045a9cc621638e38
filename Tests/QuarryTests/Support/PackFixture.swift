import Testing
@testable import Quarry

/// A small rule pack written into a temporary folder: files by relative path.
///
/// `standard` is a working pack (places, titles, people after a title, three kinds of
/// relation rule); tests replace or add files to break it in one place.
struct PackFixture {
    var files: [String: String]

    static let packYAML = """
        name: fixture
        version: '1'
        types:
          PLACE: ~
          COUNTRY: PLACE
          CITY: PLACE
          PERSON: ~
          TITLE: ~
          ORG: ~
        resolution:
          short_names: [PERSON]
        phases:
          - name: names
            gazetteers:
              - gazetteers/places.tsv
              - gazetteers/titles.tsv
          - name: people
            rules:
              - entities/people.yaml
        relations:
          schema:
            talks:
              roles: {parties: {list: true, min: 2}}
            visit:
              roles: {visitor: one, destination: one}
          files:
            - relations/rules.yaml

        """

    static let places = """
        name\ttype\tcanonical\tid\tattrs
        France\tCOUNTRY\tFrance\tQ142\tiso3=FRA
        Japan\tCOUNTRY\tJapan\tQ17\tiso3=JPN
        South Korea\tCOUNTRY\tSouth Korea\tQ884\tiso3=KOR
        Korea\tCOUNTRY\tSouth Korea\tQ884\tiso3=KOR
        Paris\tCITY\tParis\tQ90\tcountry=FRA;stands_for=France
        Tokyo\tCITY\tTokyo\tQ1490\tcountry=JPN;stands_for=Japan

        """

    static let titles = """
        name\ttype\tcanonical\tid\tattrs
        Prime Minister\tTITLE\tPrime Minister\t\t
        Defense Minister\tTITLE\tDefense Minister\t\t

        """

    static let people = """
        entities:
          - id: person.after-title
            type: PERSON
            pattern: '{TITLE:title} (?<name>\\p{Lu}\\p{Ll}+ \\p{Lu}\\p{Ll}+)'
            group: name
            attrs: {title: '{title}'}

        """

    static let relations = """
        relations:
          - id: visit.each
            relation: visit
            pattern: '{COUNTRY+:visitor} visited {PLACE:destination}'
            each: visitor
          - id: talks.with
            relation: talks
            pattern: '{COUNTRY:party} held talks with {COUNTRY+:others}'
            args: {parties: [party, others]}
          - id: talks.discussed
            relation: talks
            pattern: '{COUNTRY+:parties} discussed trade'

        """

    static var standard: PackFixture {
        PackFixture(files: [
            "pack.yaml": packYAML,
            "gazetteers/places.tsv": places,
            "gazetteers/titles.tsv": titles,
            "entities/people.yaml": people,
            "relations/rules.yaml": relations,
        ])
    }

    /// Writes the pack into `directory`.
    func write(to directory: TemporaryDirectory) throws {
        for (relative, text) in files { try directory.write(relative, text) }
    }

    /// Writes the pack into a temporary folder and loads it.
    func load() throws -> RulePack {
        try withTemporaryDirectory { directory in
            try write(to: directory)
            return try RulePack.load(directory: directory.path)
        }
    }

    /// Writes the pack and returns what loading it reports: every diagnostic's
    /// description (with `directory.path` shown as `DIR`), or nil when it loads.
    ///
    /// The pack is loaded twice, on one thread and with its files parsed and its
    /// patterns compiled on three (`RulePack.load(directory:jobs:)`): both must
    /// report the same, in the same order.
    func loadErrors(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String]? {
        try withTemporaryDirectory { directory -> [String]? in
            try write(to: directory)
            func errors(jobs: Int) -> [String]? {
                do {
                    _ = try RulePack.load(directory: directory.path, jobs: jobs)
                    return nil
                } catch {
                    return error.diagnostics.map { $0.description.replacingOccurrences(of: directory.path, with: "DIR") }
                }
            }
            let serial = errors(jobs: 1)
            #expect(errors(jobs: 3) == serial, "loading on three threads reports differently", sourceLocation: sourceLocation)
            return serial
        }
    }
}

/// Runs every stage of `pack` on `text`.
func process(_ text: String, with pack: RulePack, name: String = "doc") -> ProcessedDocument {
    let processor = DocumentProcessor(pack: pack)
    return processor.process(Document(name: name, text: text), scratch: processor.makeScratch())
}

/// Role name to canonical names, for comparing facts.
func summary(_ fact: Fact) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for binding in fact.args {
        let role = binding.role
        switch binding.value {
        case .single(let argument): result[role] = [argument.entity.canonical]
        case .list(let arguments): result[role] = arguments.map(\.entity.canonical)
        case .absent: break
        }
    }
    return result
}
