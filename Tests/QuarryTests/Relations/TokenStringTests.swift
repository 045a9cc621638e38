import Testing
@testable import Quarry

@Suite struct TokenStringTests {
    @Test func tokensReplaceMentionsAndOffsetsMapBack() throws {
        let marked = MarkedText("Sébastien 😀 said «France» and «東京» «agreed» quickly.")
        // The third span is not a mention; it marks where "agreed" is in the document.
        let string = tokens(MarkedText("Sébastien 😀 said «France» and «東京» agreed quickly."), ["COUNTRY", "CITY"])
        #expect(string.tokens.count == 2)
        #expect(string.mentions.map(\.entity.canonical) == ["France", "東京"])
        let text = String(decoding: string.bytes, as: UTF8.self)
        #expect(!text.contains("France"))
        #expect(!text.contains("東京"))
        #expect(text.hasPrefix("Sébastien 😀 said \u{E000}"))
        // "agreed" in the token string maps back to "agreed" in the document.
        let agreed = try #require(text.utf8.firstRange(of: "agreed".utf8))
        let start = text.utf8.distance(from: text.utf8.startIndex, to: agreed.lowerBound)
        #expect(string.documentOffset(start) == marked.byteRanges[2].lowerBound)
        #expect(string.documentOffset(start + 6) == marked.byteRanges[2].upperBound)
        // Token edges map to mention edges; inside a token maps to the mention's end.
        for (index, token) in string.tokens.enumerated() {
            #expect(string.documentOffset(token.lowerBound) == marked.byteRanges[index].lowerBound)
            #expect(string.documentOffset(token.upperBound) == marked.byteRanges[index].upperBound)
            #expect(string.documentOffset(token.lowerBound + 1) == marked.byteRanges[index].upperBound)
            #expect(string.isInsideToken(token.lowerBound + 1))
            #expect(!string.isInsideToken(token.lowerBound))
            #expect(!string.isInsideToken(token.upperBound))
        }
        #expect(string.documentOffset(string.bytes.count) == marked.bytes.count)
    }

    @Test func offsetsOfASentenceInsideADocument() {
        let marked = MarkedText("First one. Then «France» met «Japan».")
        let sentenceStart = 11
        let mentions = marked.byteRanges.map { range in
            Mention(range: range, entity: Entity(type: "COUNTRY", canonical: "c"), rule: RuleReference(id: "t", file: "f", line: 1), phase: 0, order: 0)
        }
        let string = marked.bytes.withUnsafeBufferPointer { text in
            TokenString(text: text, range: sentenceStart..<text.count, mentions: mentions, codec: testCodec)
        }
        #expect(string.base == sentenceStart)
        #expect(string.documentOffset(0) == sentenceStart)
        #expect(string.documentOffset(string.tokens[0].lowerBound) == marked.byteRanges[0].lowerBound)
        #expect(string.documentOffset(string.tokens[1].upperBound) == marked.byteRanges[1].upperBound)
        #expect(string.mentions(in: 0..<string.tokens[1].lowerBound).count == 1)
        #expect(string.mentions(in: 0..<string.bytes.count).count == 2)
    }

    @Test func standsForAddsItsTypeToTheToken() {
        let mention = Mention(range: 0..<5, entity: Entity(type: "CITY", canonical: "Tokyo"),
                              standsFor: Entity(type: "COUNTRY", canonical: "Japan"),
                              rule: RuleReference(id: "t", file: "f", line: 1), phase: 0, order: 0)
        let token = String(decoding: testCodec.token(for: mention), as: UTF8.self)
        #expect(token.unicodeScalars.count == 4)
        #expect(token.unicodeScalars.first == TokenCodec.open)
        #expect(token.unicodeScalars.last == TokenCodec.close)
        #expect(token.unicodeScalars.contains(testCodec.scalars["CITY"]!))
        #expect(token.unicodeScalars.contains(testCodec.scalars["COUNTRY"]!))
    }
}

@Suite struct TokenCodecTests {
    @Test func everyTypeHasItsIndexAndOthersNone() {
        // Names of equal lengths and names that share a prefix, few enough for the
        // list search and many enough for the dictionary.
        let few = ["CITY", "DATE", "PLACE", "TITLE", "PERSON", "REGION", "ORG", "ORGAN"]
        let many = few + (0..<20).map { "TYPE\($0)" }
        for names in [few, many] {
            let codec = TokenCodec(types: TypeHierarchy(parents: Dictionary(uniqueKeysWithValues: names.map { ($0, String?.none) })))
            let indexes = names.map { codec.index(of: $0) }
            #expect(indexes.allSatisfy { $0 != nil })
            #expect(Set(indexes.compactMap { $0 }).count == names.count)
            for unknown in ["CITI", "OR", "ORGANS", "", "city", "PERSON ", "TYPE99"] {
                #expect(codec.index(of: unknown) == nil, "\(unknown)")
            }
        }
    }
}
