/// Resolves mentions within one document: a later short name ("Kishida") becomes a
/// mention of the earlier full name it abbreviates ("Fumio Kishida"), and a one-word
/// mention that a rule tagged ("Prime Minister Kishida" in a headline) takes the
/// entity of the full name the document gives, before or after it.
///
/// Which types resolve this way is the pack's choice (`resolution.short_names`).
/// Standing for another entity ("Tokyo" for Japan) is settled when tagging, from the
/// gazetteer's `stands_for` attribute.
public struct DocumentResolver: Sendable {
    public let types: Set<String>

    public init(types: Set<String>) { self.types = types }

    /// `mentions` (sorted) with a mention added for each later occurrence of the last
    /// word of a multi-word name of a resolvable type, where no mention is yet.
    ///
    /// - Complexity: O(n × k) for k distinct short names; k is small in a document.
    public func resolve(_ text: UnsafeBufferPointer<UInt8>, mentions: [Mention], sentences: [Sentence]) -> [Mention] {
        guard !types.isEmpty else { return mentions }
        // Short name -> (first offset after its full name, the full mention).
        var shortNames: [[UInt8]: Mention] = [:]
        var firstSeen: [[UInt8]: Int] = [:]
        for mention in mentions where types.contains(mention.entity.type) {
            let bytes = Array(text[mention.range])
            guard let space = bytes.lastIndex(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }) else { continue }
            let last = Array(bytes[(space + 1)...])
            guard last.count >= 3, let first = last.first, first >= 0x41 && first <= 0x5A || first >= 0x80 else { continue }
            if shortNames[last] == nil { firstSeen[last] = mention.range.upperBound }
            shortNames[last] = mention
        }
        guard !shortNames.isEmpty else { return mentions }
        var mentions = mentions
        for index in mentions.indices where types.contains(mentions[index].entity.type) {
            let bytes = Array(text[mentions[index].range])
            guard !bytes.contains(where: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 }), let full = shortNames[bytes] else { continue }
            var entity = full.entity
            entity.attrs.merge(mentions[index].entity.attrs) { fullValue, _ in fullValue }
            mentions[index].entity = entity
        }
        var added: [Mention] = []
        for (name, full) in shortNames.sorted(by: { $0.value.range.lowerBound < $1.value.range.lowerBound }) {
            let from = firstSeen[name] ?? full.range.upperBound
            var index = from
            while let hit = find(name, in: text, from: index) {
                index = hit + name.count
                let range = hit..<(hit + name.count)
                guard !Gazetteer.wordBefore(text, hit), !Gazetteer.wordAt(text, range.upperBound) else { continue }
                added.append(Mention(
                    range: range, entity: full.entity, standsFor: full.standsFor,
                    rule: RuleReference(id: "resolution.short_name", file: full.rule.file, line: full.rule.line),
                    phase: Int.max, order: Int.max))
            }
        }
        // A short name never displaces a mention that is already there.
        let fresh = EntityTagger.insideSentences(added, sentences).filter { !overlapsAny(mentions, $0.range) }
        return (mentions + OverlapResolver.resolve(fresh)).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Whether `range` overlaps a mention of `sorted` (sorted by start, not overlapping).
    private func overlapsAny(_ sorted: [Mention], _ range: Range<Int>) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid].range.upperBound <= range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low].range.overlaps(range)
    }

    private func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= text.count else { return nil }
        var index = start
        let last = text.count - needle.count
        while index <= last {
            if text[index] == first {
                var matched = true
                for offset in 1..<needle.count where text[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }
}
