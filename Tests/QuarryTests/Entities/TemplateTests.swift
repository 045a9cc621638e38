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

    @Test(arguments: [
        ("March", "03"), ("MAR", "03"), ("mAy", "05"), ("Sept.", "09"), ("Dec.", "12"), ("decimal", "12"),
        ("Ma", "Ma"), ("", ""), ("Mars", "03"), ("Marzo", "03"), ("Ðec", "Ðec"), ("Xyz", "Xyz"),
        // A combining mark after the third letter makes it another character.
        ("Mar\u{301}ch", "Mar\u{301}ch"), ("Ma\u{301}r", "Ma\u{301}r"),
        // Non-ASCII after the third character is not part of it.
        ("Mayé", "05"),
    ])
    func theMonthFilterReadsTheFirstThreeCharacters(text: String, expected: String) {
        #expect(Template.apply(.month, to: text) == expected)
    }

    @Test(arguments: [
        ("7", "07"), ("12", "12"), ("", ""), ("\r\n", "0\r\n"), ("\r", "0\r"), ("٣", "0٣"), ("e\u{301}", "0e\u{301}"),
        ("é", "0é"), ("2\r\n", "2\r\n"), ("123", "123"),
    ])
    func padTwoCountsCharacters(text: String, expected: String) {
        #expect(Template.apply(.pad2, to: text) == expected)
        #expect(Template.characterCount(text) == text.count)
    }

    @Test func attributesKeepTheFirstOfTwoWithOneKey() {
        let values = ["day": "5"]
        #expect(Template.attributes([], { values[$0] }).isEmpty)
        #expect(Template.attributes([("value", Template("--{day|pad2}"))], { values[$0] }) == ["value": "--05"])
        #expect(Template.attributes([("a", Template("{day}")), ("b", Template("x")), ("a", Template("y"))], { values[$0] })
            == ["a": "5", "b": "x"])
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

@Suite struct CollapseTests {
    static func collapsed(_ text: String, _ range: Range<Int>? = nil) -> String {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { collapse($0, range ?? 0..<bytes.count) }
    }

    @Test func runsOfWhiteSpaceBecomeOneSpaceAndTheEndsAreTrimmed() {
        #expect(Self.collapsed("Lome\n  Convention") == "Lome Convention")
        #expect(Self.collapsed(" \t Treaty of\r\nRome \n") == "Treaty of Rome")
        #expect(Self.collapsed("   ") == "")
        #expect(Self.collapsed("") == "")
        #expect(Self.collapsed("x") == "x")
    }

    @Test func longAndNonASCIITextsAreKeptWhole() {
        let long = "Comprehensive and Progressive Agreement for Trans-Pacific Partnership"
        #expect(Self.collapsed(long.split(separator: " ").joined(separator: "\n ")) == long)
        #expect(Self.collapsed("Traité  de\nl’Élysée") == "Traité de l’Élysée")
    }

    @Test func onlyTheRangeIsRead() {
        #expect(Self.collapsed("the  Camp David  accords", 5..<15) == "Camp David")
    }
}
