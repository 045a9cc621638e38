import Testing
@testable import Quarry

@Suite struct GazetteerTests {
    static func gazetteer(_ names: [String], caseless: Bool = false) -> Gazetteer {
        let entries = names.enumerated().map { index, name in
            Gazetteer.Entry(name: name, entity: Entity(type: "X", canonical: name), standsFor: nil, file: "g.tsv", line: index + 2, order: 0)
        }
        return Gazetteer(file: "g.tsv", entries: entries, caseless: caseless)
    }

    /// Every (range, names) the scan reports.
    static func scan(_ gazetteer: Gazetteer, _ text: String) -> [(range: Range<Int>, names: [String])] {
        var found: [(Range<Int>, [String])] = []
        Array(text.utf8).withUnsafeBufferPointer { buffer in
            gazetteer.scan(buffer, in: 0..<buffer.count) { range, entry in
                found.append((range, [gazetteer.entries[entry].name]))
            }
        }
        return found
    }

    static func ranges(_ names: [String], _ text: String, caseless: Bool = false) -> [Range<Int>] {
        scan(gazetteer(names, caseless: caseless), text).map(\.range)
    }

    @Test func wholeWordsOnly() {
        let marked = MarkedText("Japanese officials met «Japan» in «Japan», not Japans or preJapan.")
        #expect(Self.ranges(["Japan"], marked.text) == marked.byteRanges)
    }

    @Test func namesOfOneAndTwoBytesAndNamesAtTheVeryEnd() {
        // One-byte names skip the two-byte shortcut; a name may end the text.
        let marked = MarkedText("«A» and «AB» but not ABC; «A»")
        #expect(Self.ranges(["A", "AB"], marked.text) == marked.byteRanges)
        let caseless = MarkedText("«eu» talks with «UN» and «u.n.» staff in «EU»")
        #expect(Self.ranges(["EU", "UN", "U.N."], caseless.text, caseless: true) == caseless.byteRanges)
        #expect(Self.ranges(["Mali"], "M") == [])
        #expect(Self.ranges(["M"], "M") == [0..<1])
    }

    @Test func longestMatchFromEachStart() {
        let marked = MarkedText("«United States of America» and «United States» officials")
        let found = Self.scan(Self.gazetteer(["United States", "United States of America", "United"]), marked.text)
        #expect(found.map(\.range) == marked.byteRanges)
        #expect(found.map(\.names) == [["United States of America"], ["United States"]])
    }

    @Test func overlappingStartsAreAllReported() {
        // Overlap resolution, not the scan, decides between "South Korea" and "Korea".
        let found = Self.scan(Self.gazetteer(["South Korea", "Korea"]), "South Korea")
        #expect(found.map(\.range) == [0..<11, 6..<11])
    }

    @Test func caselessFoldsCase() {
        let marked = MarkedText("«JAPAN», «japan» and «Japan»")
        #expect(Self.ranges(["Japan"], marked.text, caseless: true) == marked.byteRanges)
        #expect(Self.ranges(["Japan"], marked.text, caseless: false) == [marked.byteRanges[2]])
    }

    @Test func caselessReportsEveryEntryOfTheName() {
        let found = Self.scan(Self.gazetteer(["Turkey", "turkey"], caseless: true), "TURKEY")
        #expect(found.map(\.names) == [["Turkey"]])
    }

    @Test func namesEndingWithAPeriod() {
        let marked = MarkedText("The «U.S.» said. In the «U.S.», and «U.S.»")
        #expect(Self.ranges(["U.S."], marked.text) == marked.byteRanges)
    }

    @Test func nonASCIINeighboursAreWordCharacters() {
        #expect(Self.ranges(["Japan"], "éJapan") == [])
        #expect(Self.ranges(["Japan"], "Japané") == [])
        #expect(Self.ranges(["Japan"], "東京Japan") == [])
        let marked = MarkedText("«Japan»’s navy, “«Japan»”, «Japan»—«Japan» 😀«Japan»")
        #expect(Self.ranges(["Japan"], marked.text) == marked.byteRanges)
    }

    @Test func nonASCIINames() {
        let marked = MarkedText("«Zoë» met «Sébastien Lecornu» in «東京» but not Zoëy.")
        let names = ["Zoë", "Sébastien Lecornu", "東京"]
        let found = Self.scan(Self.gazetteer(names), marked.text)
        #expect(found.map(\.range) == marked.byteRanges)
        #expect(found.map(\.names) == [["Zoë"], ["Sébastien Lecornu"], ["東京"]])
    }

    @Test func scanStaysInsideTheRange() {
        let gazetteer = Self.gazetteer(["Japan"])
        var found: [Range<Int>] = []
        Array("Japan Japan".utf8).withUnsafeBufferPointer { buffer in
            gazetteer.scan(buffer, in: 6..<11) { range, _ in found.append(range) }
        }
        #expect(found == [6..<11])
    }
}
