/// Chooses, among overlapping candidate mentions, the ones to keep.
///
/// The policy: the longest span wins; between equal lengths, the earlier phase,
/// then the rule or gazetteer that comes first in the pack, then the earlier start.
/// The result never overlaps and is sorted by start.
public enum OverlapResolver {
    /// - Complexity: O(n log n + m), m the total length of the candidates: kept
    ///   spans are marked in a bit set over the bytes they cover, so each candidate
    ///   is checked against its own bytes only.
    public static func resolve(_ candidates: [Mention]) -> [Mention] {
        resolve(candidates, [])
    }

    /// `resolve(first + second)`, without making that array: the tagger resolves
    /// its earlier mentions with each phase's candidates (the concatenation was an
    /// allocation and a copy of every mention, twice a document).
    public static func resolve(_ first: [Mention], _ second: [Mention]) -> [Mention] {
        let count = first.count + second.count
        guard count > 0 else { return [] }
        /// Candidate `index` of `first + second`.
        func candidate(_ index: Int) -> Mention {
            index < first.count ? first[index] : second[index - first.count]
        }
        // Called per phase of every document, mostly with a handful of candidates:
        // the work space lives in temporary (stack when small) buffers, and the sort
        // compares plain integers read once per candidate. A comparator reading
        // `Mention`s would copy them (three references each, so retains and
        // releases) and follow the rule's box on every comparison.
        return withUnsafeTemporaryAllocation(of: Rank.self, capacity: count) { buffer in
            var ranks = buffer
            var low = Int.max
            var high = Int.min
            for index in 0..<count {
                let rank = Rank(candidate(index), index: index)
                low = min(low, rank.start)
                high = max(high, rank.end)
                ranks.initializeElement(at: index, to: rank)
            }
            ranks.sort()
            return withUnsafeTemporaryAllocation(of: Placed.self, capacity: count) { placed in
                placed.initialize(repeating: .dropped)
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: TakenBytes.wordCount(low, high)) {
                    var taken = TakenBytes(words: $0, low: low)
                    keep(ranks, taken: &taken, marking: placed)
                }
                var kept = compact(placed)
                // Kept spans are non-empty and disjoint, so their starts differ: any
                // sort by start gives the one order, and ties (hence stability)
                // cannot arise. In candidate order they are mostly sorted already
                // (the tagger passes its sorted earlier mentions first), which costs
                // the sort far less than the ranked order would.
                kept.sort { $0.start < $1.start }
                return kept.map { candidate($0.index) }
            }
        }
    }

    /// Walks `ranks` (sorted) and keeps the ones whose spans are free, taking their
    /// bytes: `placed[index]` of a kept candidate is set.
    private static func keep(
        _ ranks: UnsafeMutableBufferPointer<Rank>, taken: inout TakenBytes, marking placed: UnsafeMutableBufferPointer<Placed>
    ) {
        for rank in ranks where rank.start < rank.end && taken.takeIfFree(first: rank.start, last: rank.end - 1) {
            placed[rank.index] = Placed(start: rank.start, index: rank.index)
        }
    }

    /// Moves the kept entries of `placed` to its front, in candidate order; returns
    /// that front.
    private static func compact(_ placed: UnsafeMutableBufferPointer<Placed>) -> UnsafeMutableBufferPointer<Placed> {
        var count = 0
        for position in placed.indices where placed[position].index >= 0 {
            placed[count] = placed[position]
            count += 1
        }
        return UnsafeMutableBufferPointer(rebasing: placed[..<count])
    }

    /// A candidate where it starts, and which one it is (small, for the sort by
    /// start); `dropped` for one not kept.
    private struct Placed {
        var start: Int
        var index: Int

        static let dropped = Placed(start: 0, index: -1)
    }

    /// What ranks a candidate against the others, copied out of its `Mention`.
    private struct Rank: Comparable {
        var length: Int
        var phase: Int
        var order: Int
        var start: Int
        var line: Int
        /// Position among the candidates: the last tie-break, which is the order a
        /// stable sort of the candidates leaves full ties in (the first one wins).
        var index: Int

        var end: Int { start + length }

        init(_ mention: Mention, index: Int) {
            length = mention.range.count
            phase = mention.phase
            order = mention.order
            start = mention.range.lowerBound
            line = mention.rule.line
            self.index = index
        }

        /// Whether `a` comes before `b`: longer first, then the earlier phase, rule
        /// order, start and rule line, then the earlier candidate.
        static func < (a: Rank, b: Rank) -> Bool {
            if a.length != b.length { return a.length > b.length }
            if a.phase != b.phase { return a.phase < b.phase }
            if a.order != b.order { return a.order < b.order }
            if a.start != b.start { return a.start < b.start }
            if a.line != b.line { return a.line < b.line }
            return a.index < b.index
        }
    }

    /// One bit per byte from `low` on, set where a kept span lies.
    private struct TakenBytes {
        private let words: UnsafeMutableBufferPointer<UInt64>
        private let low: Int

        /// The words needed for the bytes `low..<high`.
        static func wordCount(_ low: Int, _ high: Int) -> Int { (high - low + 63) / 64 + 1 }

        /// Over `words` (uninitialized, `wordCount` of them), all clear.
        init(words: UnsafeMutableBufferPointer<UInt64>, low: Int) {
            words.initialize(repeating: 0)
            self.words = words
            self.low = low
        }

        /// Marks the bytes `first...last` taken if none of them is; tells whether it
        /// did. A word at a time: spans are short, so most lie in one word.
        mutating func takeIfFree(first: Int, last: Int) -> Bool {
            let from = first - low
            let through = last - low
            if from >> 6 == through >> 6 {
                let mask = Self.mask(from & 63, through & 63)
                guard words[from >> 6] & mask == 0 else { return false }
                words[from >> 6] |= mask
                return true
            }
            return takeIfFreeAcrossWords(from, through)
        }

        /// `takeIfFree` for bit numbers `from...through` in different words.
        private mutating func takeIfFreeAcrossWords(_ from: Int, _ through: Int) -> Bool {
            for word in (from >> 6)...(through >> 6) where words[word] & mask(word, from, through) != 0 {
                return false
            }
            for word in (from >> 6)...(through >> 6) {
                words[word] |= mask(word, from, through)
            }
            return true
        }

        /// The bits of word `word` that lie in `from...through` (bit numbers).
        private func mask(_ word: Int, _ from: Int, _ through: Int) -> UInt64 {
            Self.mask(word == from >> 6 ? from & 63 : 0, word == through >> 6 ? through & 63 : 63)
        }

        /// Bits `from...through` of a word.
        @inline(__always)
        private static func mask(_ from: Int, _ through: Int) -> UInt64 {
            (UInt64.max << UInt64(from)) & (UInt64.max >> UInt64(63 - through))
        }
    }
}
