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

    @Test func numbersAndRangesHashAsTheirText() {
        for number in [0, 7, 10, 99, 100, 12_345, -1, -90, Int.max, Int.min] {
            var text = StableHash()
            text.add(String(number))
            var digits = StableHash()
            digits.add(number)
            #expect(digits.hex == text.hex, "\(number)")
        }
        for range in [0..<0, 0..<10, 9..<100, 1180..<1185] {
            var text = StableHash()
            text.add("\(range.lowerBound)-\(range.upperBound)")
            var digits = StableHash()
            digits.add(range)
            #expect(digits.hex == text.hex, "\(range)")
        }
    }

    @Test func valueIsTheHexNumber() {
        var hash = StableHash()
        hash.add("quarry")
        #expect(UInt64(hash.hex, radix: 16) == hash.value)
    }
}
