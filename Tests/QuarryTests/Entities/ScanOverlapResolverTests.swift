import Testing
@testable import Quarry

/// `OverlapResolver.resolve` against the plain form of its policy: candidate
/// indexes stably sorted by (length desc, phase, order, start, rule line), each kept
/// when none of its bytes is taken, the kept ones then sorted by start.
@Suite struct ScanOverlapResolverTests {
    static func mention(
        _ range: Range<Int>, _ name: String, phase: Int = 0, order: Int = 0, line: Int = 1
    ) -> Mention {
        Mention(range: range, entity: Entity(type: "X", canonical: name), rule: RuleReference(id: name, file: "f", line: line),
                phase: phase, order: order)
    }

    static func names(_ mentions: [Mention]) -> [String] { mentions.map(\.entity.canonical) }

    /// The policy spelled out, one byte at a time.
    static func reference(_ candidates: [Mention]) -> [Mention] {
        let ranked = candidates.indices.sorted { i, j in
            let a = candidates[i]
            let b = candidates[j]
            if a.range.count != b.range.count { return a.range.count > b.range.count }
            if a.phase != b.phase { return a.phase < b.phase }
            if a.order != b.order { return a.order < b.order }
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            return a.rule.line < b.rule.line
        }
        var taken = Set<Int>()
        var kept: [Int] = []
        for index in ranked where !candidates[index].range.isEmpty {
            let range = candidates[index].range
            guard !range.contains(where: taken.contains) else { continue }
            taken.formUnion(range)
            kept.append(index)
        }
        return kept.sorted { candidates[$0].range.lowerBound < candidates[$1].range.lowerBound }.map { candidates[$0] }
    }

    @Test func aFullTieKeepsTheFirstCandidate() {
        let kept = OverlapResolver.resolve([
            Self.mention(4..<9, "first", phase: 1, order: 2, line: 7),
            Self.mention(4..<9, "second", phase: 1, order: 2, line: 7),
        ])
        #expect(Self.names(kept) == ["first"])
        let reversed = OverlapResolver.resolve([
            Self.mention(4..<9, "second", phase: 1, order: 2, line: 7),
            Self.mention(4..<9, "first", phase: 1, order: 2, line: 7),
        ])
        #expect(Self.names(reversed) == ["second"])
    }

    @Test func equalOnAllButTheRuleLineTheEarlierLineWins() {
        let kept = OverlapResolver.resolve([
            Self.mention(4..<9, "line 9", line: 9),
            Self.mention(4..<9, "line 3", line: 3),
        ])
        #expect(Self.names(kept) == ["line 3"])
    }

    /// Spans across 64-byte words of the taken set, at far offsets, and the extreme
    /// phase and order the document resolver gives short names.
    @Test func longSpansFarOffsetsAndExtremeRanks() {
        let candidates = [
            Self.mention(1_000_000..<1_000_200, "long", phase: .max, order: .max),
            Self.mention(1_000_190..<1_000_390, "overlapping", phase: .max, order: .max),
            Self.mention(1_000_390..<1_000_391, "touching"),
            Self.mention(1_000_063..<1_000_065, "inside"),
            Self.mention(999_990..<1_000_000, "before"),
        ]
        let kept = OverlapResolver.resolve(candidates)
        #expect(Self.names(kept) == ["before", "long", "touching"])
        #expect(kept == Self.reference(candidates))
    }

    @Test func onlyEmptyOrNoCandidatesKeepNothing() {
        #expect(OverlapResolver.resolve([]).isEmpty)
        #expect(OverlapResolver.resolve([Self.mention(5..<5, "empty"), Self.mention(0..<0, "also")]).isEmpty)
    }

    @Test func agreesWithThePlainPolicyOnRandomCandidates() {
        var generator = SplitMix(seed: 0x0E71_A9ED)
        for round in 0..<300 {
            let count = generator.below(round % 10 == 0 ? 200 : 25)
            let candidates = (0..<count).map { index -> Mention in
                let start = generator.below(300)
                // Few lengths, phases, orders and lines, so that ties are common;
                // now and then a span longer than a word of the taken set.
                let length = generator.below(10) == 0 ? generator.below(150) : generator.below(6)
                return Self.mention(
                    start..<(start + length), "m\(index)", phase: generator.below(3), order: generator.below(3),
                    line: generator.below(3))
            }
            let kept = OverlapResolver.resolve(candidates)
            #expect(Self.names(kept) == Self.names(Self.reference(candidates)), "round \(round)")
        }
    }
}
