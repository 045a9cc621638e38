import Testing
@testable import Quarry

@Suite struct StableHashTests {
    static func hash(_ parts: [String]) -> String {
        var hash = StableHash()
        for part in parts { hash.add(part) }
        return hash.hex
    }

    @Test func knownValues() {
        // FNV-1a 64 with a 0xFF byte after each part (computed independently).
        #expect(Self.hash([]) == "cbf29ce484222325")
        #expect(Self.hash(["a"]) == "089bc907b544c769")
        #expect(Self.hash(["quarry", "fact"]) == "7e64aad96a87923d")
        #expect(Self.hash(["Sébastien"]) == "b9256ddae0b6a759")
    }

    @Test func partsAreSeparated() {
        #expect(Self.hash(["ab", "c"]) != Self.hash(["a", "bc"]))
        #expect(Self.hash(["", "a"]) != Self.hash(["a", ""]))
    }

    @Test func alwaysSixteenLowercaseHexDigits() {
        for parts in [[], ["a"], ["x", "y", "z"], ["0"]] {
            let hex = Self.hash(parts)
            #expect(hex.count == 16)
            #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        }
    }
}
