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

    @Test func textEndingInsideTheFirstThreeBytesOfAName() {
        // The pair table also answers for the third byte: where there is none, the
        // walk must still report a name of two bytes and nothing else.
        let names = ["Ma", "Mali", "Ab", "Abc", "Xyz", "Q"]
        for caseless in [false, true] {
            #expect(Self.ranges(names, "Ma", caseless: caseless) == [0..<2])
            #expect(Self.ranges(names, "X", caseless: caseless) == [])
            #expect(Self.ranges(names, "Xy", caseless: caseless) == [])
            #expect(Self.ranges(names, "Xyz", caseless: caseless) == [0..<3])
            #expect(Self.ranges(names, "Ab Abc", caseless: caseless) == [0..<2, 3..<6])
            #expect(Self.ranges(names, "Q Q", caseless: caseless) == [0..<1, 2..<3])
            #expect(Self.ranges(names, "Mal", caseless: caseless) == [])
        }
        #expect(Self.ranges(names, "XYZ xYz XYz", caseless: true) == [0..<3, 4..<7, 8..<11])
        #expect(Self.ranges(names, "XYZ xYz XYz", caseless: false) == [])
        // A range that stops after two bytes of a name, with the rest of the name
        // in the buffer beyond it.
        let gazetteer = Self.gazetteer(names)
        for (text, stop, expected) in [("Mali", 2, [0..<2]), ("Xyz", 2, []), ("Abc", 2, [0..<2]), ("Abc", 1, [])] {
            var found: [Range<Int>] = []
            Array(text.utf8).withUnsafeBufferPointer { buffer in
                gazetteer.scan(buffer, in: 0..<stop) { range, _ in found.append(range) }
            }
            #expect(found == expected, "\(text) up to \(stop)")
        }
    }

    @Test func thirdBytesThatShareTheirLowBitsStillMatch() {
        // "p" (0x70) and "0" (0x30) share a bit of the third-byte filter; "Japan"
        // must not be lost to "Ja0", nor "Ja0" found in "Japan".
        #expect(Self.ranges(["Ja0", "Japan"], "Japan Ja0 Jap") == [0..<5, 6..<9])
        #expect(Self.ranges(["Ja0"], "Japan") == [])
        // More children two bytes down than a node keeps edges for (a table node).
        let dense = ["Jaa", "Jab", "Jac", "Jad", "Jae", "Japan"]
        #expect(Self.ranges(dense, "Jae Japan Jaf Jaqan JAPAN") == [0..<3, 4..<9])
        #expect(Self.ranges(dense, "Jae Japan Jaf Jaqan JAPAN", caseless: true) == [0..<3, 4..<9, 20..<25])
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

    /// What `scan` must report, worked out the slow way: at every character start
    /// not inside a word, the longest name (the first entry of it) that the text
    /// holds there and that does not run into a word character.
    static func expected(_ gazetteer: Gazetteer, _ bytes: [UInt8], in range: Range<Int>) -> [(Range<Int>, Int)] {
        let key = { (name: [UInt8]) in gazetteer.caseless ? name.map(Gazetteer.fold) : name }
        let names = gazetteer.entries.map { key(Array($0.name.utf8)) }
        let text = key(bytes)
        var found: [(Range<Int>, Int)] = []
        bytes.withUnsafeBufferPointer { buffer in
            for start in range where bytes[start] & 0xC0 != 0x80 {
                if Gazetteer.wordAt(buffer, start) && Gazetteer.wordBefore(buffer, start) { continue }
                var best: (Range<Int>, Int)?
                for (entry, name) in names.enumerated() where !name.isEmpty && start + name.count <= range.upperBound {
                    guard text[start..<(start + name.count)].elementsEqual(name) else { continue }
                    let end = start + name.count
                    let last = String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.last!
                    if Gazetteer.isWord(last) && end < range.upperBound && Gazetteer.wordAt(buffer, end) { continue }
                    if best == nil || end > best!.0.upperBound { best = (start..<end, entry) }
                }
                if let best { found.append(best) }
            }
        }
        return found
    }

    /// Random text from pieces of the names, words around them, punctuation, digits
    /// and non-ASCII characters, so that scans cross 64-byte blocks of every kind.
    static func randomText(_ names: [String], using generator: inout SplitMix) -> [UInt8] {
        let pieces = ["the", "of", "said", "Ja", "pan", "x", "_", "7", "2024", " ", " ", " ", "  ", ", ", ". ", "\n", "(", ")", "'",
                      "-", "é", "Côte", "日本", "—", "\u{A0}", "ü"]
        var text = ""
        let length = Int(generator.next() % 400)
        while text.utf8.count < length {
            let pick = generator.next() % 3
            if pick == 0, !names.isEmpty {
                var name = names[Int(generator.next() % UInt64(names.count))]
                if generator.next() % 4 == 0 { name = name.uppercased() }
                if generator.next() % 4 == 0 { name = String(name.dropLast()) }
                text += name
            } else {
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
        }
        return Array(text.utf8)
    }

    @Test func blockScanFindsWhatTheSlowWayFinds() {
        let packs: [(names: [String], caseless: Bool)] = [
            (["Japan", "Japanese", "Japan Times", "Côte d'Ivoire", "Côte", "U.S.", "US", "x", "pan", "ThePan", "7th Fleet", "日本", "é"], false),
            (["japan", "Japan Times", "u.s.", "said", "of the", "_x", "2024", "Côte d'Ivoire"], true),
            (["Japan", "'s", "(Japan)", "-x", "—"], false),
            // Names of one, two and three bytes, a pair that ends a name and goes on,
            // third bytes that share a filter bit ("p" and "0"), a table node two
            // bytes down: every answer of the pair table.
            (["J", "Ja", "Jap", "Ja0", "US", "USA", "pa", "pan", "x_", "x7", "Thx", "The", "Tha", "Thb", "Thc", "Thd", "Th日"], false),
            (["j", "JA", "jap", "ja0", "us", "USA", "PAN", "x_", "thx", "the", "tha", "thb", "thc", "thd", "th日", "é"], true),
        ]
        var generator = SplitMix(seed: 0x6A2E_77E5)
        for pack in packs {
            let gazetteer = Self.gazetteer(pack.names, caseless: pack.caseless)
            for _ in 0..<300 {
                let bytes = Self.randomText(pack.names, using: &generator)
                // A range from and to character starts, as a document's text is.
                var low = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(min(bytes.count, 8) + 1))
                while low < bytes.count, bytes[low] & 0xC0 == 0x80 { low += 1 }
                var high = max(low, bytes.count - Int(generator.next() % 3))
                while high < bytes.count, bytes[high] & 0xC0 == 0x80 { high += 1 }
                let expected = Self.expected(gazetteer, bytes, in: low..<high)
                var modes = [false]
                if gazetteer.startsAtWordStartsOnly { modes.append(true) }
                for blocks in modes {
                    var found: [(Range<Int>, Int)] = []
                    bytes.withUnsafeBufferPointer { buffer in
                        gazetteer.scan(buffer, in: low..<high, blocks: blocks) { found.append(($0, $1)) }
                    }
                    #expect(found.map(\.0) == expected.map(\.0), "\(pack.names) blocks: \(blocks) in \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                    #expect(found.map(\.1) == expected.map(\.1))
                }
            }
        }
        // Names that start with punctuation may start inside a run of punctuation:
        // such a gazetteer scans a character at a time.
        #expect(Self.gazetteer(["Japan", "US"]).startsAtWordStartsOnly)
        #expect(!Self.gazetteer(["Japan", "'s"]).startsAtWordStartsOnly)
    }

    /// Hundreds of names over a small alphabet share their first bytes and their
    /// start keys' hashes: the table of start keys probes past collisions, and a
    /// walk from a key's node finds what a walk from the root does.
    @Test(arguments: [false, true])
    func manyNamesSharingTheirFirstBytes(caseless: Bool) {
        var generator = SplitMix(seed: caseless ? 0x5EED_0002 : 0x5EED_0001)
        let alphabet = Array("aAbB .-'é".unicodeScalars).map(String.init)
        var names: [String] = []
        while names.count < 400 {
            var name = ""
            for _ in 0..<(1 + Int(generator.next() % 7)) { name += alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            if name.first != " " && name.last != " " { names.append(name) }
        }
        let gazetteer = Self.gazetteer(names, caseless: caseless)
        for _ in 0..<40 {
            var text = ""
            while text.utf8.count < 200 {
                text += generator.next() % 2 == 0 ? names[Int(generator.next() % UInt64(names.count))]
                    : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let bytes = Array(text.utf8)
            var found: [(Range<Int>, Int)] = []
            bytes.withUnsafeBufferPointer { buffer in
                gazetteer.scan(buffer, in: 0..<bytes.count, blocks: false) { found.append(($0, $1)) }
            }
            let expected = Self.expected(gazetteer, bytes, in: 0..<bytes.count)
            #expect(found.map(\.0) == expected.map(\.0), "\(text.debugDescription)")
            #expect(found.map(\.1) == expected.map(\.1))
        }
    }

    @Test func wordBitsOfEveryASCIIByteInEveryPlace() {
        for byte in UInt8(0)..<0x80 {
            for place in 0..<8 {
                // The byte among neighbours of both kinds.
                for filler: UInt8 in [0x20, 0x61] {
                    var word = UInt64(filler) &* ByteWord.ones
                    word &= ~(UInt64(0xFF) << (8 * UInt64(place)))
                    word |= UInt64(byte) << (8 * UInt64(place))
                    let bit = Gazetteer.asciiWordBits(word) >> (8 * UInt64(place) + 7) & 1
                    #expect((bit == 1) == Gazetteer.isASCIIWord(byte), "byte \(byte) at \(place)")
                }
            }
        }
    }

    @Test func wordStartsOfABlock() {
        var generator = SplitMix(seed: 0xB10C)
        let alphabet = Array("aZ09_ .,-(\n".utf8)
        for _ in 0..<500 {
            let bytes = (0..<64).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let afterWord = generator.next() % 2 == 0
            var expected: UInt64 = 0
            for index in 0..<64 where Gazetteer.isASCIIWord(bytes[index]) {
                let before = index == 0 ? afterWord : Gazetteer.isASCIIWord(bytes[index - 1])
                if !before { expected |= 1 << UInt64(index) }
            }
            bytes.withUnsafeBufferPointer { buffer in
                #expect(Gazetteer.wordStarts(buffer.baseAddress!, afterWord: afterWord) == expected)
            }
        }
        var nonASCII = Array(repeating: UInt8(0x61), count: 64)
        nonASCII[63] = 0xC3
        nonASCII.withUnsafeBufferPointer { buffer in
            #expect(Gazetteer.wordStarts(buffer.baseAddress!, afterWord: false) == nil)
        }
    }

    /// The up-to-four bytes at the start of `bytes`, as the scan loads them.
    static func raw(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.prefix(4).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    @Test(arguments: [
        // A name, and texts it starts: the text's start key must be the name's.
        ("Japan", ["Japan", "Japanese", "Japan's", "JapanX"], false),
        ("EU", ["EU", "EU ", "EU's", "EU.", "EU\u{2019}s"], false),
        ("ECB", ["ECB", "ECB,", "ECB)"], false),
        ("U.S.", ["U.S.", "U.S.-Japan", "U.S"], false),
        ("G7", ["G7", "G7 summit"], false),
        ("Côte d'Ivoire", ["Côte d'Ivoire"], false),
        ("'s", ["'s", "'said"], false),
        ("japan", ["JAPAN", "Japan", "jApAnEsE"], true),
        ("u_s", ["U_S", "u_S "], true),
        ("x", ["X", "x,", "x "], true),
    ])
    func aNameAndTheTextsItStartsShareAStartKey(name: String, texts: [String], caseless: Bool) {
        let folded = Array(name.utf8).map { caseless ? Gazetteer.fold($0) : $0 }
        let key = Gazetteer.startKey(Self.raw(folded), caseless: caseless)
        for text in texts {
            let bytes = Array(text.utf8)
            // A text that goes on with a word character after a name that ends with
            // one is not a match, and may have another key.
            let matches = bytes.count >= folded.count && bytes.prefix(folded.count).map { caseless ? Gazetteer.fold($0) : $0 } == folded
                && !(Gazetteer.isASCIIWord(folded.last!) && bytes.count > folded.count && Gazetteer.isASCIIWord(bytes[folded.count]))
            if matches {
                #expect(Gazetteer.startKey(Self.raw(bytes), caseless: caseless) == key, "\(name) in \(text)")
            }
        }
    }

    @Test func startKeysTellCommonWordsFromTheNamesTheyBegin() {
        let key = { (text: String) in Gazetteer.startKey(Self.raw(Array(text.utf8)), caseless: false) }
        #expect(key("for ") != key("foreign minister"))
        #expect(key("The ") != key("Thessaloniki"))
        #expect(key("for ") == key("for,"))
        #expect(key("US") == key("US "))
        // Caseless keys fold letters only.
        #expect(Gazetteer.startKey(Self.raw(Array("AB_9".utf8)), caseless: true) == key("ab_9"))
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
