#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves mentions within one document: a later short name ("Kishida") becomes a
/// mention of the earlier full name it abbreviates ("Fumio Kishida"), and a one-word
/// mention that a rule tagged ("Prime Minister Kishida" in a headline) takes the
/// entity of the full name the document gives, before or after it.
///
/// Which types resolve this way is the pack's choice (`resolution.short_names`), and
/// so are the sentence-initial pronouns that carry a person from one sentence into
/// the next (`resolution.pronouns`).
/// Standing for another entity ("Tokyo" for Japan) is settled when tagging, from the
/// gazetteer's `stands_for` attribute.
public struct DocumentResolver: Sendable {
    public let types: Set<String>
    /// Sentence-initial pronouns by the type they stand for (`resolution.pronouns`).
    public let pronouns: [String: Set<String>]
    /// `pronouns` by type name, in a fixed order, each as its UTF-8 bytes (a
    /// sentence's first word is compared with a handful of them, not made a string
    /// and hashed), and the longest pronoun in bytes.
    private let pronounsByType: [(type: String, words: [[UInt8]])]
    private let longestPronoun: Int
    /// The bytes a pronoun starts with: most sentences start with a word that is
    /// none ("The"), told by one load.
    private let pronounFirstBytes: [Bool]
    /// `types` as a list: one or two short names, compared rather than hashed for
    /// every mention.
    private let typeList: [String]

    public init(types: Set<String>, pronouns: [String: Set<String>] = [:]) {
        self.types = types
        self.pronouns = pronouns
        pronounsByType = pronouns.sorted { $0.key < $1.key }.map { ($0.key, $0.value.sorted().map { Array($0.utf8) }) }
        longestPronoun = pronouns.values.flatMap { $0 }.map(\.utf8.count).max() ?? 0
        var firstBytes = [Bool](repeating: false, count: 256)
        for word in pronouns.values.flatMap({ $0 }) { if let first = word.utf8.first { firstBytes[Int(first)] = true } }
        pronounFirstBytes = firstBytes
        typeList = types.sorted()
    }

    /// `mentions` (sorted) with a mention added for each later occurrence of the last
    /// word of a multi-word name of a resolvable type, where no mention is yet.
    ///
    /// - Complexity: O(n × k) for k distinct short names; k is small in a document.
    public func resolve(_ text: UnsafeBufferPointer<UInt8>, mentions: [Mention], sentences: [Sentence]) -> [Mention] {
        let named = resolveShortNames(text, mentions: mentions, sentences: sentences)
        return pronouns.isEmpty ? named : resolvePronouns(text, mentions: named, sentences: sentences)
    }

    /// A sentence that opens with a pronoun of `pronouns` ("His itinerary ...") gets a
    /// mention of the entity of that type the previous sentence names, when it names
    /// exactly one: the cautious reading of "he" in news, where the subject of one
    /// sentence is carried into the next.
    private func resolvePronouns(_ text: UnsafeBufferPointer<UInt8>, mentions: [Mention], sentences: [Sentence]) -> [Mention] {
        var added: [Mention] = []
        var cursor = 0
        // The mentions of the sentence before, as indices of `mentions`.
        var previous = 0..<0
        for sentence in sentences {
            let inside = EntityTagger.mentions(of: mentions, in: sentence.range, from: &cursor).indices
            defer { previous = inside }
            let start = sentence.range.lowerBound
            guard start < sentence.range.upperBound, pronounFirstBytes[Int(text[start])] else { continue }
            var end = start
            while end < sentence.range.upperBound, Gazetteer.isASCIIWord(text[end]) { end += 1 }
            guard end > start, end - start <= longestPronoun,
                  inside.first.map({ mentions[$0].range.lowerBound >= end }) ?? true
            else { continue }
            let word = text[start..<end]
            for (type, words) in pronounsByType where words.contains(where: { $0.elementsEqual(word) }) {
                let candidates = mentions[previous].filter { $0.type == type }
                guard let antecedent = candidates.last,
                      Set(candidates.map(\.entity.canonical)).count == 1
                else { continue }
                added.append(antecedent.moved(
                    to: sentence.range.lowerBound..<end,
                    rule: RuleReference(id: "resolution.pronoun", file: antecedent.rule.file, line: antecedent.rule.line),
                    phase: Int.max, order: Int.max))
                break
            }
        }
        guard !added.isEmpty else { return mentions }
        return (mentions + added).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    private func resolveShortNames(_ text: UnsafeBufferPointer<UInt8>, mentions: [Mention], sentences: [Sentence]) -> [Mention] {
        guard !types.isEmpty else { return mentions }
        // Last word of each multi-word name and its full mentions, in text order
        // (of each name's first): a document names a few people, so the names are
        // compared where they lie rather than copied and hashed.
        var fullNames: [(name: Range<Int>, mentions: [Mention])] = []
        /// The index in `fullNames` of the name with the bytes of `range`.
        func nameIndex(_ range: Range<Int>) -> Int? {
            fullNames.firstIndex { $0.name.count == range.count && Self.same(text, $0.name, range) }
        }
        for mention in mentions where isResolvable(mention.type) {
            guard let space = text[mention.range].lastIndex(where: Self.isSpace) else { continue }
            let last = (space + 1)..<mention.range.upperBound
            guard last.count >= 3, text[last.lowerBound] >= 0x41 && text[last.lowerBound] <= 0x5A || text[last.lowerBound] >= 0x80
            else { continue }
            if let index = nameIndex(last) {
                fullNames[index].mentions.append(mention)
            } else {
                fullNames.append((last, [mention]))
            }
        }
        guard !fullNames.isEmpty else { return mentions }
        /// The full mention a short name at `offset` stands for: the nearest one
        /// before it, else the first one after it.
        func full(for name: Int, at offset: Int) -> Mention? {
            let candidates = fullNames[name].mentions
            return candidates.last { $0.range.lowerBound < offset } ?? candidates.first
        }
        var mentions = mentions
        for index in mentions.indices where isResolvable(mentions[index].type) {
            let range = mentions[index].range
            guard !text[range].contains(where: Self.isSpace), let name = nameIndex(range), let full = full(for: name, at: range.lowerBound)
            else { continue }
            var entity = full.entity
            entity.attrs.merge(mentions[index].entity.attrs) { fullValue, _ in fullValue }
            mentions[index].entity = entity
        }
        var added: [Mention] = []
        for (nameNumber, (nameRange, fulls)) in fullNames.enumerated() {
            let name = Array(text[nameRange])
            // Only after the first full name: before it, a lone surname is too weak.
            var index = fulls[0].range.upperBound
            while let hit = find(name, in: text, from: index) {
                index = hit + name.count
                let range = hit..<(hit + name.count)
                guard !Gazetteer.wordBefore(text, hit), !Gazetteer.wordAt(text, range.upperBound),
                      let full = full(for: nameNumber, at: hit)
                else { continue }
                added.append(full.moved(
                    to: range, rule: RuleReference(id: "resolution.short_name", file: full.rule.file, line: full.rule.line),
                    phase: Int.max, order: Int.max))
            }
        }
        // A short name never displaces a mention that is already there.
        let fresh = EntityTagger.insideSentences(added, sentences).filter { !overlapsAny(mentions, $0.range) }
        return (mentions + OverlapResolver.resolve(fresh)).sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Whether mentions of `type` resolve (`types`): lengths compared first, as
    /// most type names differ in length.
    private func isResolvable(_ type: String) -> Bool {
        let length = type.utf8.count
        return typeList.contains { $0.utf8.count == length && $0 == type }
    }

    /// Whether the bytes of `a` and `b` (of one length) are the same.
    private static func same(_ text: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        memcmp(text.baseAddress! + a.lowerBound, text.baseAddress! + b.lowerBound, a.count) == 0
    }

    /// A space, line feed or tab: what separates the words of a name.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09
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
        guard let first = needle.first, needle.count <= text.count, let base = text.baseAddress else { return nil }
        var index = start
        let last = text.count - needle.count
        while index <= last {
            // memchr finds the candidate first bytes at memory speed.
            guard let found = memchr(base + index, Int32(first), last - index + 1) else { return nil }
            index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            var matched = true
            for offset in 1..<needle.count where text[index + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return index }
            index += 1
        }
        return nil
    }
}
