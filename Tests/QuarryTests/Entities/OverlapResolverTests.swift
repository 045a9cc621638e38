import Testing
@testable import Quarry

@Suite struct OverlapResolverTests {
    static func mention(_ range: Range<Int>, _ name: String, phase: Int = 0, order: Int = 0) -> Mention {
        Mention(range: range, entity: Entity(type: "X", canonical: name), rule: RuleReference(id: name, file: "f", line: 1),
                phase: phase, order: order)
    }

    static func names(_ mentions: [Mention]) -> [String] { mentions.map(\.entity.canonical) }

    /// `count` mentions "m0", "m1"… of random places, lengths, phases and orders.
    static func randomCandidates(
        _ count: Int, within span: UInt64, longest: UInt64, phases: UInt64, orders: UInt64, using generator: inout SplitMix
    ) -> [Mention] {
        (0..<count).map { index in
            let start = Int(generator.next() % span)
            let length = Int(generator.next() % longest) + 1
            return mention(start..<(start + length), "m\(index)", phase: Int(generator.next() % phases), order: Int(generator.next() % orders))
        }
    }

    @Test func longestWinsWhateverThePhase() {
        let kept = OverlapResolver.resolve([
            Self.mention(0..<5, "short", phase: 0, order: 0),
            Self.mention(0..<10, "long", phase: 3, order: 9),
        ])
        #expect(Self.names(kept) == ["long"])
    }

    @Test func equalLengthEarlierPhaseWins() {
        let kept = OverlapResolver.resolve([
            Self.mention(2..<7, "later phase", phase: 1, order: 0),
            Self.mention(3..<8, "earlier phase", phase: 0, order: 5),
        ])
        #expect(Self.names(kept) == ["earlier phase"])
    }

    @Test func equalLengthAndPhaseEarlierOrderWins() {
        let kept = OverlapResolver.resolve([
            Self.mention(3..<8, "second rule", phase: 0, order: 2),
            Self.mention(2..<7, "first rule", phase: 0, order: 1),
        ])
        #expect(Self.names(kept) == ["first rule"])
    }

    @Test func fullTieEarlierStartWins() {
        let kept = OverlapResolver.resolve([
            Self.mention(3..<8, "later", phase: 0, order: 1),
            Self.mention(2..<7, "earlier", phase: 0, order: 1),
        ])
        #expect(Self.names(kept) == ["earlier"])
    }

    @Test func touchingSpansBothStayAndEmptySpansGo() {
        let kept = OverlapResolver.resolve([
            Self.mention(5..<10, "b"), Self.mention(0..<5, "a"), Self.mention(3..<3, "empty"),
        ])
        #expect(Self.names(kept) == ["a", "b"])
    }

    /// Two lists resolve as their concatenation does, at every split (full ties
    /// included: the earlier candidate wins across the two lists too).
    @Test func twoListsResolveAsTheirConcatenation() {
        var generator = SplitMix(seed: 7)
        for _ in 0..<50 {
            let candidates = Self.randomCandidates(20, within: 40, longest: 6, phases: 2, orders: 2, using: &generator)
            let whole = OverlapResolver.resolve(candidates)
            for split in 0...candidates.count {
                let parts = OverlapResolver.resolve(Array(candidates[..<split]), Array(candidates[split...]))
                #expect(Self.names(parts) == Self.names(whole))
            }
        }
        #expect(OverlapResolver.resolve([], []).isEmpty)
    }

    @Test func resultIsSortedNonOverlappingAndMaximal() {
        var generator = SplitMix(seed: 42)
        for _ in 0..<50 {
            let candidates = Self.randomCandidates(30, within: 100, longest: 12, phases: 3, orders: 5, using: &generator)
            let kept = OverlapResolver.resolve(candidates)
            for (a, b) in zip(kept, kept.dropFirst()) {
                #expect(a.range.upperBound <= b.range.lowerBound)
            }
            // Nothing was dropped that overlaps nothing kept.
            for candidate in candidates where !kept.contains(candidate) {
                #expect(kept.contains { $0.range.overlaps(candidate.range) })
            }
            // Nothing kept is beaten by an overlapping candidate that was dropped.
            for mention in kept {
                for rival in candidates where rival.range.overlaps(mention.range) && !kept.contains(rival) {
                    #expect(rival.range.count <= mention.range.count || kept.contains { $0.range.overlaps(rival.range) && $0 != mention })
                }
            }
        }
    }
}

/// A small deterministic random source, so a failing case repeats.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
