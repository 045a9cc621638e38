import Testing
@testable import Quarry

/// How a match becomes facts: role order, list or single values, `each`, the
/// reasons a match gives no fact (which `quarry explain` shows) and pruning.
///
/// `RelationExtractor` resolves slot and role names once per rule; these pin down
/// what the per-match path must still produce.
@Suite struct FactBuildingTests {
    /// A pack whose relations exercise the schema: declared role order, a single role
    /// with a minimum, a list role with a minimum, a role no rule fills.
    static let packYAML = pack(schema: """
          schema:
            visit:
              roles: {visitor: one, destination: one, host: one}
            welcome:
              roles: {host: {min: 1}, guest: one}
            summit:
              roles: {members: {list: true, min: 2}, venue: one}

        """)

    /// The test pack's pack.yaml with `schema` (lines of the `relations` mapping,
    /// empty for none).
    static func pack(schema: String) -> String {
        """
        name: fact-building
        version: '1'
        types:
          PLACE: ~
          COUNTRY: PLACE
          CITY: PLACE
        phases:
          - name: names
            gazetteers:
              - gazetteers/places.tsv
        relations:
        \(schema)  files:
            - relations/rules.yaml

        """
    }

    static let places = """
        name\ttype\tcanonical\tid\tattrs
        France\tCOUNTRY\tFrance\tQ142\t
        Japan\tCOUNTRY\tJapan\tQ17\t
        Korea\tCOUNTRY\tSouth Korea\tQ884\t
        South Korea\tCOUNTRY\tSouth Korea\tQ884\t
        Paris\tCITY\tParis\tQ90\tstands_for=France
        Osaka\tCITY\tOsaka\tQ35765\t

        """

    static let rules = """
        relations:
          - id: visit.by
            relation: visit
            pattern: '{PLACE:destination} was visited by {COUNTRY+:visitor}'
            each: visitor
          - id: visit.short
            relation: visit
            pattern: '{CITY:destination} was visited'
          - id: welcome.guest
            relation: welcome
            pattern: '(?:{COUNTRY:host} )?welcomed {COUNTRY:guest}'
          - id: summit.in
            relation: summit
            pattern: '{COUNTRY:first} and {COUNTRY+:rest} met in {CITY:venue}'
            args: {members: [first, rest]}

        """

    static func pack() throws -> RulePack {
        try PackFixture(files: [
            "pack.yaml": packYAML,
            "gazetteers/places.tsv": places,
            "relations/rules.yaml": rules,
        ]).load()
    }

    /// Each fact's roles in order, as `role=canonical` or `role=[a, b]`; absent roles
    /// as `role=-`.
    static func roles(_ fact: Fact) -> String {
        fact.args.map { binding in
            let role = binding.role
            return switch binding.value {
            case .single(let argument): "\(role)=\(argument.entity.canonical)"
            case .list(let arguments): "\(role)=[\(arguments.map(\.entity.canonical).joined(separator: ", "))]"
            case .absent: "\(role)=-"
            }
        }.joined(separator: " ")
    }

    /// The lines `quarry explain` shows for one rule's matches in `text`.
    static func explained(_ text: String, rule: String, pack: RulePack) -> [String] {
        Explainer(pack: pack).explain(Document(name: "<text>", text: text), rule: rule)
            .split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("    \(rule): ") }
    }

    @Test func rolesFollowTheSchemaOrderWithUnfilledRolesAbsent() throws {
        let facts = process("Paris was visited by Japan.", with: try Self.pack()).facts
        #expect(facts.map(Self.roles) == ["visitor=Japan destination=Paris host=-"])
    }

    @Test func eachGivesOneFactPerElementAndDropsOnlyTheElementThatRepeatsARole() throws {
        let pack = try Self.pack()
        let facts = process("Paris was visited by Japan, France and Korea.", with: pack).facts
        // Paris stands for France only where a COUNTRY is wanted: as a PLACE it is
        // Paris, so France is a visitor of its own.
        #expect(facts.map(Self.roles) == [
            "visitor=Japan destination=Paris host=-",
            "visitor=France destination=Paris host=-",
            "visitor=South Korea destination=Paris host=-",
        ])
        let repeated = process("France was visited by Japan and France.", with: pack).facts
        #expect(repeated.map(Self.roles) == ["visitor=Japan destination=France host=-"])
        #expect(Self.explained("France was visited by Japan and France.", rule: "visit.by", pack: pack) == [
            "    visit.by: matched \"France was visited by Japan and France\" but made no fact: two roles name the same entity",
            "    visit.by: MATCHED visit visitor=Japan destination=France  \"France was visited by Japan and France\"",
        ])
    }

    @Test func aSingleRoleBelowItsMinimumDropsTheMatch() throws {
        let pack = try Self.pack()
        #expect(process("France welcomed Japan.", with: pack).facts.map(Self.roles) == ["host=France guest=Japan"])
        #expect(process("They welcomed Japan.", with: pack).facts.isEmpty)
        #expect(Self.explained("They welcomed Japan.", rule: "welcome.guest", pack: pack) == [
            "    welcome.guest: matched \"welcomed Japan\" but made no fact: role 'host' has 0 distinct entities, fewer than its min 1",
        ])
        #expect(Self.explained("Japan welcomed Japan.", rule: "welcome.guest", pack: pack) == [
            "    welcome.guest: matched \"Japan welcomed Japan\" but made no fact: two roles name the same entity",
        ])
    }

    @Test func aListRoleJoinsItsSlotsAndCountsDistinctEntities() throws {
        let pack = try Self.pack()
        let facts = process("France and Japan and Korea met in Osaka.", with: pack).facts
        #expect(facts.map(Self.roles) == ["members=[France, Japan, South Korea] venue=Osaka"])
        // Korea and South Korea are one entity.
        let text = "Korea and South Korea met in Osaka."
        #expect(process(text, with: pack).facts.isEmpty)
        #expect(Self.explained(text, rule: "summit.in", pack: pack) == [
            "    summit.in: matched \"Korea and South Korea met in Osaka\" but made no fact: role 'members' has 1 distinct entity, fewer than its min 2",
        ])
    }

    @Test func aFactThatAnotherSaysMoreFullyIsPruned() throws {
        let pack = try Self.pack()
        // visit.short finds "Osaka was visited", which visit.by says with a visitor too.
        let facts = process("Osaka was visited by Japan.", with: pack).facts
        #expect(facts.map(\.rule.id) == ["visit.by"])
        #expect(facts.map(Self.roles) == ["visitor=Japan destination=Osaka host=-"])
        // With no visitor, only visit.short matches, and its fact stays.
        #expect(process("Osaka was visited.", with: pack).facts.map(Self.roles) == ["visitor=- destination=Osaka host=-"])
    }

    @Test func withoutSchemasRolesAreArgsThenUnnamedSlotsAndListsFollowTheirSlots() throws {
        let rules = """
            relations:
              - id: met
                relation: met
                pattern: '{COUNTRY:first} and {COUNTRY+:rest} met in {CITY:venue} with {COUNTRY+:guests}'
                args: {parties: [first, rest]}

            """
        let pack = try PackFixture(files: [
            "pack.yaml": Self.pack(schema: ""),
            "gazetteers/places.tsv": Self.places,
            "relations/rules.yaml": rules,
        ]).load()
        let facts = process("France and Japan met in Osaka with Korea.", with: pack).facts
        #expect(facts.map(Self.roles) == ["parties=[France, Japan] venue=Osaka guests=[South Korea]"])
    }
}
