/// Chooses, among overlapping candidate mentions, the ones to keep.
///
/// The policy: the longest span wins; between equal lengths, the earlier phase,
/// then the rule or gazetteer that comes first in the pack, then the earlier start.
/// The result never overlaps and is sorted by start.
public enum OverlapResolver {
    /// - Complexity: O(n log n).
    public static func resolve(_ candidates: [Mention]) -> [Mention] {
        let ranked = candidates.sorted { a, b in
            if a.range.count != b.range.count { return a.range.count > b.range.count }
            if a.phase != b.phase { return a.phase < b.phase }
            if a.order != b.order { return a.order < b.order }
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            return a.rule.line < b.rule.line
        }
        var kept: [Mention] = []
        for candidate in ranked where !candidate.range.isEmpty {
            // kept is sorted by start: find where the candidate would go.
            var low = 0
            var high = kept.count
            while low < high {
                let mid = (low + high) / 2
                if kept[mid].range.lowerBound < candidate.range.lowerBound { low = mid + 1 } else { high = mid }
            }
            if low > 0, kept[low - 1].range.overlaps(candidate.range) { continue }
            if low < kept.count, kept[low].range.overlaps(candidate.range) { continue }
            kept.insert(candidate, at: low)
        }
        return kept
    }
}
