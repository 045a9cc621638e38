/// Tags a document's mentions, phase by phase: gazetteers over the whole text,
/// pattern rules over each sentence (its token string, which holds the mentions of
/// the earlier phases, for a rule with placeholders; its text for one without),
/// then one overlap resolution per phase.
public struct EntityTagger: Sendable {
    public let pack: RulePack
    /// Per phase, what tagging needs of it, worked out once.
    private let plans: [PhasePlan]

    /// One phase's tables, in one object: the loop over phases then holds one
    /// reference per phase and document, not one per table (a `Phase` and five
    /// arrays cost a dozen retains and releases for every document).
    private final class PhasePlan: Sendable {
        let scanners: [Gazetteer]
        /// Per rule: the sentences the rule can match.
        let filters: [RuleFilter]
        /// Per rule: its number in the pack's `WordScanner` (nil: no words).
        let words: [Int?]
        /// Per rule: where the scanner places its first word, when every match of
        /// the rule starts with one of its words (nil: the rule runs from the
        /// sentence's start).
        let leads: [RuleWords.Lead?]
        /// The rules in boxes: a rule is a large struct, and the loops below hand
        /// one to `apply` for every sentence; a box is one reference.
        let rules: [Shared<EntityRule>]
        /// The rules that name no type (matched on the text) and those that do
        /// (matched on token strings), by index.
        let textRules: [Int]
        let tokenRules: [Int]

        init(_ phase: RulePack.Phase, codec: TokenCodec, words: [Int?], leads: [RuleWords.Lead?]) {
            scanners = phase.scanners
            let filters = phase.rules.map { RuleFilter($0.pattern, codec: codec) }
            self.filters = filters
            self.words = words
            self.leads = leads
            rules = phase.rules.map(Shared.init)
            textRules = filters.indices.filter { filters[$0].accepted.isEmpty }
            tokenRules = filters.indices.filter { !filters[$0].accepted.isEmpty }
        }
    }

    public init(pack: RulePack, words: RuleWords? = nil) {
        self.pack = pack
        let words = words ?? RuleWords(pack: pack)
        plans = pack.phases.indices.map {
            PhasePlan(pack.phases[$0], codec: pack.codec, words: words.entity[$0], leads: words.entityLeads[$0])
        }
    }

    /// The mentions of `text`, sorted by start, none crossing a sentence boundary.
    ///
    /// `hits` (from the pack's `WordScanner` over `text`) tells which sentences
    /// hold a rule's required words; a rule is not run on the others. Without it,
    /// every rule runs on every sentence.
    ///
    /// Every rule sees one sentence at a time: its matches, lookarounds, `^` and `$`
    /// stay inside the sentence.
    ///
    /// `warn` receives a rule that gave up at a PCRE2 limit in some sentence (the
    /// rule is skipped there; everything else goes on).
    public func tag(
        _ text: UnsafeBufferPointer<UInt8>, sentences: [Sentence], scratch: MatchScratch, hits: WordHits? = nil,
        warn: (String, Sentence, PCRE2Error) -> Void
    ) -> [Mention] {
        var accepted: [Mention] = []
        let codec = pack.codec
        for (phaseIndex, plan) in plans.enumerated() {
            var candidates: [Mention] = []
            for gazetteer in plan.scanners {
                // Names come in order of their starts: the sentence a name must lie
                // in moves forward with them. A name that crosses a sentence
                // boundary, or lies between sentences, is dropped here (the rules
                // below match inside one sentence, so theirs never do).
                var sentence = 0
                gazetteer.scan(text, in: 0..<text.count) { range, entryIndex in
                    while sentence < sentences.count, sentences[sentence].range.upperBound <= range.lowerBound { sentence += 1 }
                    guard sentence < sentences.count, sentences[sentence].range.lowerBound <= range.lowerBound,
                          range.upperBound <= sentences[sentence].range.upperBound
                    else { return }
                    candidates.append(Mention(
                        range: range, shared: gazetteer.shared[entryIndex], phase: phaseIndex, order: gazetteer.orders[entryIndex]))
                }
            }
            // Rules that name no type need no token string: they match the text of
            // each sentence itself (of each sentence holding one of their words).
            for index in plan.textRules {
                let rule = plan.rules[index]
                let words = plan.words[index]
                let lead = plan.leads[index]
                for sentence in sentences where hits?.allows(words, sentence: sentence.index) ?? true {
                    // A rule whose matches start with one of a few words is tried
                    // from where the first of them may start (PCRE2 still sees the
                    // sentence before it, for \b and lookbehinds), and not at all
                    // in a sentence without one.
                    var start = 0
                    if let lead, let hits, !hits.everywhere {
                        guard let end = hits.firstWordEnd(leading: lead.slot, sentence: sentence.index) else { continue }
                        start = max(0, end - sentence.range.lowerBound - (lead.longest - 1))
                    }
                    do {
                        try apply(rule, to: TokenString(plainAt: sentence.range.lowerBound), subject: UnsafeBufferPointer(rebasing: text[sentence.range]),
                                  from: start, text: text, phase: phaseIndex, scratch: scratch, into: &candidates)
                    } catch {
                        warn(rule.value.id, sentence, error)
                    }
                }
            }
            if !plan.tokenRules.isEmpty {
                var cursor = 0
                for sentence in sentences {
                    let inside = Self.mentions(of: accepted, in: sentence.range, from: &cursor)
                    let present = codec.types(of: inside)
                    // The token string is built for the first rule that can run, if
                    // any (no list of those rules is made per sentence).
                    var tokens: TokenString?
                    for index in plan.tokenRules
                        where plan.filters[index].canMatch(present, mentions: inside.count)
                            && (hits?.allows(plan.words[index], sentence: sentence.index) ?? true)
                    {
                        let string = tokens ?? TokenString(text: text, range: sentence.range, mentions: Array(inside), codec: codec)
                        tokens = string
                        do {
                            try string.bytes.withUnsafeBufferPointer { (subject) throws(PCRE2Error) in
                                try apply(plan.rules[index], to: string, subject: subject, from: 0, text: text, phase: phaseIndex, scratch: scratch, into: &candidates)
                            }
                        } catch {
                            warn(plan.rules[index].value.id, sentence, error)
                        }
                    }
                }
            }
            accepted = OverlapResolver.resolve(accepted, candidates)
        }
        return accepted
    }

    /// The mentions of a sorted list that lie in `range`, advancing `cursor` (sentences
    /// come in order, so the whole walk is linear).
    public static func mentions(of sorted: [Mention], in range: Range<Int>, from cursor: inout Int) -> ArraySlice<Mention> {
        while cursor < sorted.count, sorted[cursor].range.lowerBound < range.lowerBound { cursor += 1 }
        var end = cursor
        while end < sorted.count, sorted[end].range.upperBound <= range.upperBound { end += 1 }
        return sorted[cursor..<end]
    }

    /// Drops candidates that cross a sentence boundary or lie between sentences.
    static func insideSentences(_ candidates: [Mention], _ sentences: [Sentence]) -> [Mention] {
        candidates.filter { mention in
            var low = 0
            var high = sentences.count
            while low < high {
                let mid = (low + high) / 2
                if sentences[mid].range.upperBound <= mention.range.lowerBound { low = mid + 1 } else { high = mid }
            }
            return low < sentences.count && sentences[low].range.lowerBound <= mention.range.lowerBound
                && mention.range.upperBound <= sentences[low].range.upperBound
        }
    }

    /// Matches the rule in `box` over `subject`, the bytes of `tokens` (for a plain
    /// token string, the document text itself: no copy), from byte `start` of it.
    private func apply(
        _ box: Shared<EntityRule>, to tokens: TokenString, subject: UnsafeBufferPointer<UInt8>, from start: Int,
        text: UnsafeBufferPointer<UInt8>, phase: Int, scratch: MatchScratch, into candidates: inout [Mention]
    ) throws(PCRE2Error) {
        let groupNumber = box.value.group.flatMap { box.value.pattern.userGroups[$0] }
        do {
            try scratch.forEachMatch(of: box.value.pattern.pattern, in: subject, from: start) { match in
                guard let span = groupNumber.map({ match[$0] }) ?? match.range, !span.isEmpty,
                      !tokens.isInsideToken(span.lowerBound), !tokens.isInsideToken(span.upperBound)
                else { return true }
                let range = tokens.documentOffset(span.lowerBound)..<tokens.documentOffset(span.upperBound)
                guard !range.isEmpty else { return true }
                // Read only now: most calls find nothing, and a rule is large.
                let rule = box.value
                let values = Self.values(of: rule.pattern, match: match, tokens: tokens, text: text)
                let surface = collapse(text, range)
                let entity = Entity(
                    type: rule.type,
                    canonical: rule.canonical.map { $0.fill { values[$0] } } ?? surface,
                    id: rule.entityID.map { $0.fill { values[$0] } }.flatMap { $0.isEmpty ? nil : $0 },
                    attrs: Template.attributes(rule.attrs) { values[$0] })
                candidates.append(Mention(range: range, entity: entity, rule: rule.reference, phase: phase, order: rule.order))
                return true
            }
        }
    }

    /// What a template can refer to in a match: each slot's canonical name (a list's
    /// joined by ", ") and each named group's text.
    static func values(
        of pattern: RulePattern, match: MatchGroups, tokens: TokenString, text: UnsafeBufferPointer<UInt8>
    ) -> TemplateValues {
        var values = TemplateValues(capacity: pattern.slots.count + pattern.userGroups.count)
        for slot in pattern.slots {
            guard let range = slot.groups.lazy.compactMap({ match[$0] }).first else { continue }
            values[slot.name] = tokens.mentions(in: range).map(\.entity.canonical).joined(separator: ", ")
        }
        for (name, number) in pattern.userGroups {
            guard let range = match[number] else { continue }
            values[name] = collapse(text, tokens.documentOffset(range.lowerBound)..<tokens.documentOffset(range.upperBound))
        }
        return values
    }
}

/// What a template can refer to in one match, by name. A match has a handful of
/// them, and a template looks up each once: names are compared (lengths first,
/// as most differ in length) rather than hashed into a dictionary made per match.
struct TemplateValues {
    private var entries: [(name: String, value: String)] = []

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    /// The value of `name`; setting one that is there replaces it.
    subscript(name: String) -> String? {
        get { index(of: name).map { entries[$0].value } }
        set {
            let index = index(of: name)
            switch (index, newValue) {
            case (let index?, let value?): entries[index].value = value
            case (let index?, nil): entries.remove(at: index)
            case (nil, let value?): entries.append((name, value))
            case (nil, nil): break
            }
        }
    }

    private func index(of name: String) -> Int? {
        let length = name.utf8.count
        return entries.firstIndex { $0.name.utf8.count == length && $0.name == name }
    }
}

/// The text of `range` with each run of white space made one space.
func collapse(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    // Written straight into the string's storage (a short one is made in place):
    // the text collapsed is never longer than the range.
    String(unsafeUninitializedCapacity: range.count) { output in
        var count = 0
        var inSpace = false
        for byte in text[range] {
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                inSpace = true
                continue
            }
            if inSpace && count > 0 {
                output[count] = 0x20
                count += 1
            }
            inSpace = false
            output[count] = byte
            count += 1
        }
        return count
    }
}
