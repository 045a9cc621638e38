import Testing
@testable import Quarry

/// Reading a gazetteer TSV: what each line gives, and where each problem is.
@Suite struct GazetteerFileTests {
    /// Every kind of line at once: comments, blank lines, names with spaces around
    /// them (ASCII and Unicode), attributes with empty pairs and `=` in the value,
    /// a duplicate, a CRLF line, each kind of error.
    static let text = [
        "name\ttype\tcanonical\tid\tattrs",
        "# comment",
        "",
        "  Paris \tCITY\t\tQ90\tcountry=FRA;capital=yes",
        "Lyon\tCITY\t\t\t;;a=b;;",
        "Paris\tCITY\tDup\t\t",
        "\u{A0}Nice\u{A0}\tCITY\t\t\t",
        "\tCITY\t\t\t",
        "Tours\tTOWN\t\t\t",
        "Évian\tCITY\tÉ\tid\tbad",
        "Évian2\tCITY\tÉ\tid\t=x",
        "Too\tmany\tcols\there\tx\ty",
        "Few\tCITY",
        "Caen\tCITY\t\t\tk=v=w;k=z\r",
        "lyon\tCITY\t\t\t",
        "Metz\tCITY\tMetz (Moselle)\tQ22690\t",
    ].joined(separator: "\n")

    static func parse(caseless: Bool) -> ([Gazetteer.Entry], [Diagnostic]) {
        GazetteerFile.parse(text, file: "places.tsv", source: "rules/places.tsv", caseless: caseless, order: 3) { $0 == "CITY" }
    }

    @Test func entriesKeepTheirNamesFieldsAndPlaces() {
        let (entries, _) = Self.parse(caseless: false)
        #expect(entries.map(\.name) == ["Paris", "Lyon", "Nice", "Caen", "lyon", "Metz"])
        #expect(entries.map(\.line) == [4, 5, 7, 14, 15, 16])
        #expect(entries.allSatisfy { $0.file == "rules/places.tsv" && $0.order == 3 && $0.standsFor == nil })
        #expect(entries[0].entity == Entity(type: "CITY", canonical: "Paris", id: "Q90", attrs: ["country": "FRA", "capital": "yes"]))
        #expect(entries[1].entity.attrs == ["a": "b"])
        #expect(entries[3].entity.attrs == ["k": "z"])
        #expect(entries[5].entity.canonical == "Metz (Moselle)")
        #expect(entries[5].entity.id == "Q22690")
    }

    @Test func problemsNameTheirLineAndColumn() {
        let (_, problems) = Self.parse(caseless: false)
        #expect(problems.map { "\($0.line):\($0.column) \($0.severity) \($0.message)" } == [
            "6:1 warning duplicate name 'Paris' of type CITY (first on line 4)",
            "8:1 error empty name",
            "9:7 error unknown type 'TOWN'",
            "10:17 error attribute 'bad' is not key=value",
            "11:18 error attribute '=x' is not key=value",
            "12:21 error expected 5 tab-separated columns, found 6",
            "13:9 error expected 5 tab-separated columns, found 2",
        ])
        #expect(problems.allSatisfy { $0.file == "places.tsv" && $0.sourceLine != nil })
    }

    @Test func caselessNamesCollideAcrossCase() {
        let (entries, problems) = Self.parse(caseless: true)
        #expect(!entries.map(\.name).contains("lyon"))
        #expect(problems.contains { $0.line == 15 && $0.message == "duplicate name 'lyon' of type CITY (first on line 5)" })
    }

    /// Lines with the attribute bytes of the last valid line share its dictionary;
    /// a line whose attributes are wrong is not that line, and a name spelled as its
    /// canonical name is its canonical name.
    @Test func linesWithTheSameAttributesAndCanonicalNames() {
        let text = [
            "name\ttype\tcanonical\tid\tattrs",
            "Paris\tCITY\tParis\t\tcountry=FRA",
            "paris\tCITY\tParis\t\tcountry=FRA",
            "Pariz\tCITY\tParis\t\tcountryFRA",
            "PARIS\tCITY\t\t\tcountry=FRA",
            "Lyon\tCITY\t\t\tcountry=FRB",
            "Lyons\tCITY\tLyon\t\tcountry=FRB;x=y",
            "Lyonn\tCITY\tLyon\t\tcountry=FRB",
            "Nice\tCITY\t\t\t",
        ].joined(separator: "\n")
        let (entries, problems) = GazetteerFile.parse(text, file: "f.tsv", caseless: false) { _ in true }
        #expect(entries.map(\.name) == ["Paris", "paris", "PARIS", "Lyon", "Lyons", "Lyonn", "Nice"])
        #expect(entries.map(\.entity.attrs) == [
            ["country": "FRA"], ["country": "FRA"], ["country": "FRA"], ["country": "FRB"], ["country": "FRB", "x": "y"],
            ["country": "FRB"], [:],
        ])
        #expect(entries.map(\.entity.canonical) == ["Paris", "Paris", "PARIS", "Lyon", "Lyon", "Lyon", "Nice"])
        #expect(problems.map(\.message) == ["attribute 'countryFRA' is not key=value"])
    }

    @Test func aBadHeaderStopsTheFile() {
        let (entries, problems) = GazetteerFile.parse("name\ttype\tcanonical\n", file: "f.tsv", caseless: false) { _ in true }
        #expect(entries.isEmpty)
        #expect(problems.map(\.message) == ["the header must be 'name<TAB>type<TAB>canonical<TAB>id<TAB>attrs'"])
        let (_, empty) = GazetteerFile.parse("# only a comment\n", file: "f.tsv", caseless: false) { _ in true }
        #expect(empty.map(\.message) == ["empty gazetteer: no header line"])
    }
}
