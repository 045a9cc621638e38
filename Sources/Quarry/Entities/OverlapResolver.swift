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
        guard let low = candidates.lazy.map(\.range.lowerBound).min(),
              let high = candidates.lazy.map(\.range.upperBound).max()
        else { return [] }
        let ranked = candidates.indices.sorted { i, j in
            let a = candidates[i]
            let b = candidates[j]
            if a.range.count != b.range.count { return a.range.count > b.range.count }
            if a.phase != b.phase { return a.phase < b.phase }
            if a.order != b.order { return a.order < b.order }
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            return a.rule.line < b.rule.line
        }
        var taken = [UInt64](repeating: 0, count: (high - low + 63) / 64 + 1)
        var kept: [Int] = []
        for index in ranked {
            let range = candidates[index].range
            guard !range.isEmpty else { continue }
            let span = (range.lowerBound - low)..<(range.upperBound - low)
            if span.contains(where: { taken[$0 >> 6] & (1 << UInt64($0 & 63)) != 0 }) { continue }
            for bit in span { taken[bit >> 6] |= 1 << UInt64(bit & 63) }
            kept.append(index)
        }
        return kept.sorted { candidates[$0].range.lowerBound < candidates[$1].range.lowerBound }.map { candidates[$0] }
    }
}
