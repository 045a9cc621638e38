import Testing
@testable import Quarry

@Suite struct TemplateTests {
    static let values = ["year": "1987", "month": "March", "day": "5", "name": "élysée palace", "empty": ""]

    static func fill(_ text: String) -> String {
        Template(text).fill { values[$0] }
    }

    @Test func referencesAndFilters() {
        #expect(Self.fill("{year}-{month|month}-{day|pad2}") == "1987-03-05")
        #expect(Self.fill("{name|capitalize}") == "Élysée palace")
        #expect(Self.fill("{name|upper}") == "ÉLYSÉE PALACE")
        #expect(Self.fill("{month|lower}") == "march")
        #expect(Self.fill("{month|lower|capitalize}") == "March")
        #expect(Self.fill("{day|pad2|pad2}") == "05")
    }

    @Test func aLoneReferenceIsItsValue() {
        #expect(Self.fill("{name}") == "élysée palace")
        #expect(Self.fill("{missing}") == "")
        #expect(Self.fill("{empty}") == "")
    }

    @Test func literalsAndWhatIsNotAReference() {
        #expect(Self.fill("kind: weekday") == "kind: weekday")
        #expect(Self.fill("{} and {not a name} and {year") == "{} and {not a name} and {year")
        #expect(Self.fill("--{month|month}-{day|pad2}") == "--03-05")
        #expect(Self.fill("no such month: {name|month}") == "no such month: élysée palace")
    }

    @Test func unknownFiltersAreReportedAndLeaveTheValue() {
        let template = Template("{year|shout}-{month|month|whisper}")
        #expect(template.unknownFilters == ["shout", "whisper"])
        #expect(template.references == ["year", "month"])
        #expect(template.fill { Self.values[$0] } == "1987-03")
        #expect(Template("{year}-{month|month}").unknownFilters.isEmpty)
    }
}

@Suite struct TemplateValuesTests {
    @Test func aValueIsFoundByItsNameAmongNamesOfTheSameLength() {
        var values = TemplateValues(capacity: 2)
        values["year"] = "1987"
        values["name"] = "Baker"
        values["day"] = "5"
        #expect(values["year"] == "1987")
        #expect(values["name"] == "Baker")
        #expect(values["day"] == "5")
        #expect(values["yea"] == nil)
        #expect(values["years"] == nil)
        #expect(values["Name"] == nil)
        // A later value of a name replaces the earlier one; nil removes it.
        values["name"] = "James Baker"
        #expect(values["name"] == "James Baker")
        values["year"] = nil
        #expect(values["year"] == nil)
        #expect(values["day"] == "5")
        #expect(Template("{name}, {day|pad2}").fill { values[$0] } == "James Baker, 05")
    }
}
