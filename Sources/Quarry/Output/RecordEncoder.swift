/// Writes a processed document's facts and mentions as NDJSON records
/// (`quarry.fact/1`, `quarry.mention/1`), field order fixed, offsets in Unicode
/// scalars.
public enum RecordEncoder {
    public static let factSchema = "quarry.fact/1"
    public static let mentionSchema = "quarry.mention/1"

    /// Appends one line per fact of `processed` to `out`.
    public static func facts(_ processed: ProcessedDocument, into out: inout JSONBuffer) {
        guard !processed.facts.isEmpty else { return }
        // The document's meta is the same in each of its facts: encoded once.
        var meta = JSONBuffer()
        processed.document.writeMeta(to: &meta)
        // A fact's record is about a kilobyte, its meta aside.
        out.reserveCapacity(out.count + processed.facts.count * (1024 + meta.count))
        // Every fact's id starts with the document's name.
        var document = StableHash()
        document.add(processed.document.name)
        processed.bytes.withUnsafeBufferPointer { text in
            let index = ScalarIndex(text)
            // By index: a `for` over the facts copied each one (a dozen references).
            for position in processed.facts.indices {
                encode(processed.facts[position], processed, text, index, identity: document, meta: meta, &out)
            }
        }
    }

    /// Appends one line per mention of `processed` to `out`. The JSON of a
    /// mention's entities and rule is taken from `cache` when it holds the
    /// mention's box (a worker keeps one for all its documents: the mentions of a
    /// gazetteer entry share a box, and most mentions are of a few entries);
    /// without one, a small one for this document.
    public static func mentions(_ processed: ProcessedDocument, into out: inout JSONBuffer, cache: MentionCache? = nil) {
        guard !processed.mentions.isEmpty else { return }
        let cache = cache ?? MentionCache(slots: processed.mentions.count)
        // A mention's record is about 350 bytes.
        out.reserveCapacity(out.count + processed.mentions.count * 400)
        // Every record starts with the same schema and name, then its sentence:
        // that head is written once, and its sentence part again when it changes.
        var head = JSONBuffer()
        head.raw("{\"schema\":\"")
        head.raw(text: mentionSchema)
        head.raw("\",\"doc\":")
        head.string(processed.document.name)
        head.raw(",\"sentence\":")
        let documentHead = head.count
        processed.bytes.withUnsafeBufferPointer { text in
            let index = ScalarIndex(text)
            var sentence = 0
            var headSentence = -1
            for mention in processed.mentions {
                while sentence + 1 < processed.sentences.count,
                      processed.sentences[sentence].range.upperBound <= mention.range.lowerBound
                {
                    sentence += 1
                }
                if sentence != headSentence {
                    head.truncate(to: documentHead)
                    self.sentence(processed.sentences[sentence], text, index, &head)
                    head.raw(",\"text\":")
                    headSentence = sentence
                }
                out.append(head)
                out.string(utf8: UnsafeBufferPointer(rebasing: text[mention.range]))
                cache.write(mention.info, into: &out) { out in
                    out.raw(",\"start\":")
                    out.number(index.scalarOffset(mention.range.lowerBound, in: text))
                    out.raw(",\"end\":")
                    out.number(index.scalarOffset(mention.range.upperBound, in: text))
                }
            }
        }
    }

    /// The JSON of mentions' entities and rules, by their shared box: what a
    /// mention record holds after its `text` up to its `start`, and after its
    /// `end`. A gazetteer entry's mentions all have the same; writing it afresh
    /// for each was most of the cost of `--mentions`.
    ///
    /// A small table of the last boxes seen, each in the slot its address picks
    /// (a box in a slot is kept alive by it, so its address is never another's).
    /// One worker uses it at a time: `@unchecked Sendable` so that it can be
    /// handed to the thread that owns it, as `MatchScratch` is.
    public final class MentionCache: @unchecked Sendable {
        private struct Slot {
            var box: Shared<Mention.Info>?
            /// The two parts, one after the other.
            var bytes: [UInt8] = []
            /// Where the second part starts.
            var split = 0
        }

        private var slots: [Slot]
        private let mask: Int

        /// A table of `slots` slots (rounded up to a power of two).
        public init(slots: Int = 1024) {
            var count = 1
            while count < slots { count *= 2 }
            self.slots = Array(repeating: Slot(), count: count)
            mask = count - 1
        }

        /// Writes the entities' part of `box`, then `between`, then its rule's part.
        @inline(__always)
        func write(_ box: Shared<Mention.Info>, into out: inout JSONBuffer, between: (inout JSONBuffer) -> Void) {
            // Boxes are at least 16-byte aligned: the bits above those pick the slot.
            let slot = Int(bitPattern: UInt(bitPattern: ObjectIdentifier(box)) >> 4) & mask
            if slots[slot].box !== box { fill(slot, with: box) }
            slots[slot].bytes.withUnsafeBufferPointer { bytes in
                let split = slots[slot].split
                out.raw(utf8: UnsafeBufferPointer(rebasing: bytes[..<split]))
                between(&out)
                out.raw(utf8: UnsafeBufferPointer(rebasing: bytes[split...]))
            }
        }

        @inline(never)
        private func fill(_ slot: Int, with box: Shared<Mention.Info>) {
            var json = JSONBuffer()
            let info = box.value
            RecordEncoder.entity(info.entity, &json)
            let split = json.count
            json.raw(",\"stands_for\":")
            json.stringOrNull(info.standsFor?.canonical)
            json.raw(",\"rule\":")
            RecordEncoder.rule(info.rule, &json)
            json.raw("}\n")
            slots[slot] = Slot(box: box, bytes: json.bytes, split: split)
        }
    }

    private static func sentence(_ sentence: Sentence, _ text: UnsafeBufferPointer<UInt8>, _ index: ScalarIndex, _ out: inout JSONBuffer) {
        out.raw("{\"index\":")
        out.number(sentence.index)
        out.raw(",\"start\":")
        out.number(index.scalarOffset(sentence.range.lowerBound, in: text))
        out.raw(",\"end\":")
        out.number(index.scalarOffset(sentence.range.upperBound, in: text))
        out.raw("}")
    }

    /// Longest evidence written whole, in bytes; a longer sentence (a text without
    /// sentence punctuation) gives the match with some context, marked with "…".
    public static let maxEvidenceBytes = 2000
    static let evidenceContext = 300

    /// The fact's sentence, or for a very long one the match and its surroundings:
    /// the byte range shown, and whether it is cut (marked "…") before and after.
    static func evidence(_ fact: Fact, _ text: UnsafeBufferPointer<UInt8>) -> (range: Range<Int>, cutBefore: Bool, cutAfter: Bool) {
        let sentence = fact.sentence.range
        guard sentence.count > maxEvidenceBytes else { return (sentence, false, false) }
        var start = max(sentence.lowerBound, fact.matchRange.lowerBound - evidenceContext)
        var end = min(sentence.upperBound, fact.matchRange.upperBound + evidenceContext)
        while start > sentence.lowerBound, text[start] & 0xC0 == 0x80 { start -= 1 }
        while end < sentence.upperBound, text[end] & 0xC0 == 0x80 { end += 1 }
        return (start..<end, start > sentence.lowerBound, end < sentence.upperBound)
    }

    /// The evidence as a JSON string, written from the text's bytes.
    private static func writeEvidence(_ fact: Fact, _ text: UnsafeBufferPointer<UInt8>, _ out: inout JSONBuffer) {
        let (range, cutBefore, cutAfter) = evidence(fact, text)
        guard cutBefore || cutAfter else {
            out.string(utf8: UnsafeBufferPointer(rebasing: text[range]))
            return
        }
        let ellipsis = Array("…".utf8)
        let shown = (cutBefore ? ellipsis : []) + text[range] + (cutAfter ? ellipsis : [])
        shown.withUnsafeBufferPointer { out.string(utf8: $0) }
    }

    static func rule(_ rule: RuleReference, _ out: inout JSONBuffer) {
        out.raw("{\"id\":")
        out.string(rule.id)
        out.raw(",\"file\":")
        out.string(rule.file)
        out.raw(",\"line\":")
        out.number(rule.line)
        out.raw("}")
    }

    /// `"text":…,"canonical":…,"type":…,"id":…,"attrs":{…},"start":…,"end":…`
    private static func mentionFields(
        _ mention: Mention, entity: Entity, _ text: UnsafeBufferPointer<UInt8>, _ index: ScalarIndex, _ out: inout JSONBuffer
    ) {
        out.raw("\"text\":")
        out.string(utf8: UnsafeBufferPointer(rebasing: text[mention.range]))
        self.entity(entity, &out)
        out.raw(",\"start\":")
        out.number(index.scalarOffset(mention.range.lowerBound, in: text))
        out.raw(",\"end\":")
        out.number(index.scalarOffset(mention.range.upperBound, in: text))
    }

    /// `,"canonical":…,"type":…,"id":…,"attrs":{…}`
    static func entity(_ entity: Entity, _ out: inout JSONBuffer) {
        out.raw(",\"canonical\":")
        out.string(entity.canonical)
        out.raw(",\"type\":")
        out.string(entity.type)
        out.raw(",\"id\":")
        out.stringOrNull(entity.id)
        out.raw(",\"attrs\":")
        out.attributes(entity.attrs)
    }

    private static func argument(_ argument: FactArgument, _ text: UnsafeBufferPointer<UInt8>, _ index: ScalarIndex, _ out: inout JSONBuffer) {
        out.raw("{")
        mentionFields(argument.mention, entity: argument.entity, text, index, &out)
        out.raw("}")
    }

    private static func encode(
        _ fact: Fact, _ processed: ProcessedDocument, _ text: UnsafeBufferPointer<UInt8>, _ index: ScalarIndex,
        identity document: StableHash, meta: JSONBuffer, _ out: inout JSONBuffer
    ) {
        var identity = document
        identity.add(fact.sentence.index)
        identity.add(fact.rule.id)
        identity.add(fact.relation)
        var key = StableHash()
        key.add(fact.relation)
        // Roles in name order: their indices are sorted by the names alone, which
        // copies no argument.
        let roles = fact.args.map(\.role)
        for position in roles.indices.sorted(by: { roles[$0] < roles[$1] }) {
            let role = fact.args[position].role
            let value = fact.args[position].value
            identity.add(role)
            key.add(role)
            switch value {
            case .single(let argument):
                identity.add(argument.mention.range)
                key.add(argument.entity.canonical)
            case .list(let arguments):
                for argument in arguments { identity.add(argument.mention.range) }
                for name in arguments.map(\.entity.canonical).sorted() { key.add(name) }
            case .absent:
                identity.add("-")
                key.add("-")
            }
        }
        out.raw("{\"schema\":\"")
        out.raw(text: factSchema)
        out.raw("\",\"id\":\"")
        out.hex(identity.value)
        out.raw("\",\"key\":\"")
        out.hex(key.value)
        out.raw("\",\"relation\":")
        out.string(fact.relation)
        out.raw(",\"args\":{")
        for position in fact.args.indices {
            let role = fact.args[position].role
            let value = fact.args[position].value
            if position > 0 { out.raw(",") }
            out.string(role)
            out.raw(":")
            switch value {
            case .single(let single): argument(single, text, index, &out)
            case .list(let list):
                out.raw("[")
                for (offset, element) in list.enumerated() {
                    if offset > 0 { out.raw(",") }
                    argument(element, text, index, &out)
                }
                out.raw("]")
            case .absent: out.raw("null")
            }
        }
        out.raw("},\"attrs\":")
        out.attributes(fact.attrs)
        out.raw(",\"cameo\":")
        out.stringOrNull(fact.cameo)
        out.raw(",\"doc\":")
        out.string(processed.document.name)
        out.raw(",\"sentence\":")
        sentence(fact.sentence, text, index, &out)
        out.raw(",\"evidence\":")
        writeEvidence(fact, text, &out)
        out.raw(",\"rule\":")
        rule(fact.rule, &out)
        out.raw(",\"meta\":")
        out.append(meta)
        out.raw("}\n")
    }
}
