/// Finds, in one pass over a document, which sentences hold a required word of which
/// rule (see `RequiredWords`): an Aho–Corasick automaton over bytes, ASCII case
/// folded, compiled to a table with one step per byte.
///
/// The scan runs over every byte of every document, so the table is kept small
/// (byte classes for columns, 16-bit entries when the rows fit, states numbered
/// breadth first so the shallow states most bytes visit share cache lines) and the
/// inner loop does nothing but step until a state ends a word.
public struct WordScanner: Sendable {
    /// How many rules the scanner numbers.
    public let ruleCount: Int
    /// Byte to its column in the table (case folded; bytes in no word share 0).
    private let columns: [UInt8]
    private let columnCount: Int
    /// `table[row + column]`: the row of the next state (`state * columnCount`, so
    /// that a step needs no multiplication), as `~row` when that state ends a word.
    private let table: Steps
    /// Per state, where its row of `masks` starts; `fold` for a state that ends a
    /// character PCRE2's caseless matching takes for an ASCII letter (KELVIN SIGN
    /// for k, LONG S for s), which a byte scan cannot see: a document holding one
    /// gets every rule on every sentence.
    private let maskStart: [Int32]
    /// Per state that ends a word, the bits of the rules whose words end there, in
    /// the layout of a sentence's row of `WordHits.bits` (`stride` words): a word
    /// found costs an OR per 64 rules, whatever the number of rules it serves.
    private let masks: [UInt64]
    /// Per state, the leading rules (see `init`) whose words end there, a bit each
    /// by the rule's place in `leading`.
    private let leadBits: [UInt64]
    /// How many rules' first words are placed (`leading`).
    public let leadingCount: Int
    /// The longest word in bytes: an automaton started this many bytes minus one
    /// before a place finds every word that ends at or after it.
    private let longestWord: Int
    /// A text at least this long is scanned as four quarters side by side (see
    /// `scan`).
    private static let chainMinimum = 256
    private static let fold: Int32 = -1

    /// The step table in the narrowest entry type that holds every row: with the
    /// default pack, 16-bit entries halve it to about 58 KB.
    private enum Steps: Sendable {
        case narrow([Int16])
        case wide([Int32])
    }

    /// A scanner for `words[rule]` (lowercase ASCII); a rule with nil words is not
    /// scanned for (the caller runs it everywhere).
    ///
    /// For each list of `leading` (at most 64 lists of lowercase ASCII words), a
    /// scan also tells where in each sentence one of its words first ends
    /// (`WordHits.firstWordEnd`): a rule whose every match starts with one of them
    /// need not be tried before that, nor at all in a sentence without one.
    public init(words: [[String]?], leading: [[String]] = []) {
        precondition(leading.count <= 64, "at most 64 lists of leading words, not \(leading.count)")
        ruleCount = words.count
        leadingCount = leading.count
        var patterns: [(bytes: [UInt8], rule: Int32)] = []
        for (rule, list) in words.enumerated() {
            for word in list ?? [] { patterns.append((Array(word.utf8), Int32(rule))) }
        }
        // A leading list ends its words as a rule numbered after the real ones.
        for (slot, list) in leading.enumerated() {
            for word in list { patterns.append((Array(word.utf8), Int32(words.count + slot))) }
        }
        // U+212A KELVIN SIGN and U+017F LATIN SMALL LETTER LONG S.
        patterns.append(([0xE2, 0x84, 0xAA], Self.fold))
        patterns.append(([0xC5, 0xBF], Self.fold))

        var columns = [UInt8](repeating: 0, count: 256)
        var columnCount = 1
        for pattern in patterns {
            for byte in pattern.bytes where columns[Int(byte)] == 0 {
                guard columnCount < 255 else { continue }
                columns[Int(byte)] = UInt8(columnCount)
                if byte >= 0x61 && byte <= 0x7A { columns[Int(byte - 0x20)] = UInt8(columnCount) }
                columnCount += 1
            }
        }
        // The trie: `children[state * columnCount + column]`, one flat array (an
        // array a state cost an allocation each and a check at every step).
        var children = [Int32](repeating: -1, count: columnCount)
        var ends: [[Int32]] = [[]]
        for pattern in patterns {
            var state = 0
            for byte in pattern.bytes {
                let slot = state * columnCount + Int(columns[Int(byte)])
                if children[slot] < 0 {
                    children[slot] = Int32(ends.count)
                    children.append(contentsOf: repeatElement(-1, count: columnCount))
                    ends.append([])
                }
                state = Int(children[slot])
            }
            if !ends[state].contains(pattern.rule) { ends[state].append(pattern.rule) }
        }
        // Failure links in breadth-first order turn the trie into a full table.
        let stateCount = ends.count
        var next = [Int32](repeating: 0, count: stateCount * columnCount)
        var failure = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = [0]
        queue.reserveCapacity(stateCount)
        for column in 0..<columnCount {
            let child = children[column]
            if child >= 0 {
                next[column] = child
                queue.append(Int(child))
            }
        }
        var head = 1
        while head < queue.count {
            let state = queue[head]
            head += 1
            for rule in ends[failure[state]] where !ends[state].contains(rule) { ends[state].append(rule) }
            for column in 0..<columnCount {
                let child = children[state * columnCount + column]
                if child >= 0 {
                    failure[Int(child)] = Int(next[failure[state] * columnCount + column])
                    next[state * columnCount + column] = child
                    queue.append(Int(child))
                } else {
                    next[state * columnCount + column] = next[failure[state] * columnCount + column]
                }
            }
        }
        // Renumbered in breadth-first order (`queue`, the root first), so that the
        // rows of the shallow states, which most bytes lead to, lie together.
        var number = [Int](repeating: 0, count: stateCount)
        for (position, state) in queue.enumerated() { number[state] = position }
        let stride = Self.stride(ruleCount)
        var maskStart: [Int32] = []
        var masks: [UInt64] = []
        var leadBits: [UInt64] = []
        var rows: [Int] = []
        rows.reserveCapacity(stateCount * columnCount)
        let endsWord = ends.map { !$0.isEmpty }
        for state in queue {
            leadBits.append(ends[state].reduce(0) { bits, rule in
                Int(rule) >= words.count ? bits | 1 << UInt64(Int(rule) - words.count) : bits
            })
            if ends[state].contains(Self.fold) {
                maskStart.append(Self.fold)
            } else {
                maskStart.append(Int32(masks.count))
                if !ends[state].isEmpty { masks += Self.mask(of: ends[state].filter { $0 < words.count }, stride: stride) }
            }
            for column in 0..<columnCount {
                let target = Int(next[state * columnCount + column])
                let row = number[target] * columnCount
                rows.append(endsWord[target] ? ~row : row)
            }
        }
        table = Self.steps(rows)
        self.columns = columns
        longestWord = patterns.map { $0.bytes.count }.max() ?? 1
        self.columnCount = columnCount
        self.maskStart = maskStart
        self.masks = masks
        self.leadBits = leadBits
    }

    /// Words of bits per sentence for `ruleCount` rules.
    private static func stride(_ ruleCount: Int) -> Int { (ruleCount + 63) / 64 }

    /// The bits of `rules` (not `fold`), `stride` words.
    private static func mask(of rules: [Int32], stride: Int) -> [UInt64] {
        var mask = [UInt64](repeating: 0, count: stride)
        for rule in rules { mask[Int(rule) >> 6] |= 1 << UInt64(rule & 63) }
        return mask
    }

    /// `rows` as 16-bit entries when every one fits, else 32-bit.
    private static func steps(_ rows: [Int]) -> Steps {
        if rows.allSatisfy({ Int16(exactly: $0) != nil }) {
            return .narrow(rows.map { Int16(truncatingIfNeeded: $0) })
        }
        return .wide(rows.map { Int32($0) })
    }

    /// Which rules' words each of `sentences` (sorted, not overlapping) holds. A word
    /// counts for the sentence its last byte is in.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, sentences: [Sentence]) -> WordHits {
        let stride = Self.stride(ruleCount)
        var bits = [UInt64](repeating: 0, count: sentences.count * stride)
        var firstEnds = [Int32](repeating: .max, count: sentences.count * leadingCount)
        guard ruleCount > 0, !sentences.isEmpty, text.baseAddress != nil else {
            return WordHits(stride: stride, bits: bits, leadingCount: leadingCount, firstEnds: firstEnds, everywhere: false)
        }
        let everywhere = switch table {
        case .narrow(let table): scan(text, sentences: sentences, table: table, stride: stride, into: &bits, firstEnds: &firstEnds)
        case .wide(let table): scan(text, sentences: sentences, table: table, stride: stride, into: &bits, firstEnds: &firstEnds)
        }
        return WordHits(stride: stride, bits: bits, leadingCount: leadingCount, firstEnds: firstEnds, everywhere: everywhere)
    }

    /// The scan over a table of `Entry`: sets the bits of the words found, lowers
    /// the first ends of the leading rules' words, and tells whether the text holds
    /// a `fold` character. It stops at the first such one:
    /// every rule is then allowed everywhere, so the bits no longer matter.
    ///
    /// Each step waits for the table load of the step before, so one pass runs at
    /// the speed of that chain of loads, not of the processor. A long text is
    /// therefore scanned as four quarters side by side, four independent chains in
    /// one loop (two gave 32 ms of a Reuters run, four 27 ms): the first quarter
    /// from the start, each other one from `longestWord - 1` bytes before it, so
    /// that every word that ends in it is found there (a word found twice sets its
    /// bits twice, which changes nothing, and the least first end is kept).
    private func scan<Entry: FixedWidthInteger & SignedInteger>(
        _ text: UnsafeBufferPointer<UInt8>, sentences: [Sentence], table: [Entry], stride: Int,
        into bits: inout [UInt64], firstEnds: inout [Int32]
    ) -> Bool {
        table.withUnsafeBufferPointer { table in
            columns.withUnsafeBufferPointer { columns in
                maskStart.withUnsafeBufferPointer { maskStart in
                    masks.withUnsafeBufferPointer { masks in
                        leadBits.withUnsafeBufferPointer { leadBits in
                        firstEnds.withUnsafeMutableBufferPointer { firstEnds in
                        bits.withUnsafeMutableBufferPointer { bits in
                            /// Records the word that ends at `offset` in the state of
                            /// `row`; true for a `fold` character. Not inlined: the
                            /// loops that step the automaton keep their registers.
                            @inline(never)
                            func found(_ row: Int, at offset: Int, _ cursor: inout SentenceCursor) -> Bool {
                                // Rows fit 32 bits (the widest table), and 32-bit
                                // division is the cheaper.
                                let state = Int(UInt32(truncatingIfNeeded: row) / UInt32(truncatingIfNeeded: columnCount))
                                let start = Int(maskStart[state])
                                guard start >= 0 else { return true }
                                if let sentence = cursor.sentence(holding: offset) {
                                    Self.merge(masks, from: start, into: bits, at: sentence &* stride, count: stride)
                                    // The chains run side by side, so a later place
                                    // may come first: the least one is kept.
                                    var lead = leadBits[state]
                                    while lead != 0 {
                                        let slot = sentence &* leadingCount &+ lead.trailingZeroBitCount
                                        lead &= lead &- 1
                                        firstEnds[slot] = min(firstEnds[slot], Int32(truncatingIfNeeded: offset))
                                    }
                                }
                                return false
                            }
                            /// Moves a chain to the state of `next`, a table entry read at
                            /// `offset`, recording the word that ends there if any; true
                            /// for a `fold`.
                            @inline(__always)
                            func take(_ next: Int, _ row: inout Int, at offset: Int, _ cursor: inout SentenceCursor) -> Bool {
                                if next >= 0 {
                                    row = next
                                    return false
                                }
                                row = ~next
                                return found(row, at: offset, &cursor)
                            }
                            /// One chain from `offset` up to `limit`; true for a `fold`.
                            func run(from offset: Int, to limit: Int, row: inout Int, _ cursor: inout SentenceCursor) -> Bool {
                                var offset = offset
                                while true {
                                    offset = Self.step(table, columns, text, from: offset, to: limit, row: &row)
                                    guard offset < limit else { return false }
                                    if found(row, at: offset, &cursor) { return true }
                                    offset &+= 1
                                }
                            }
                            let count = text.count
                            var first = SentenceCursor(sentences)
                            var firstRow = 0
                            guard count >= Self.chainMinimum, count / 4 > longestWord else {
                                return run(from: 0, to: count, row: &firstRow, &first)
                            }
                            // Chain k (k > 0) starts `overlap` bytes before quarter k,
                            // in the root state, and goes on to the end of its quarter
                            // (the last one, of the text) after the shared loop.
                            let quarter = count / 4
                            let overlap = longestWord - 1
                            var second = SentenceCursor(sentences)
                            var third = SentenceCursor(sentences)
                            var fourth = SentenceCursor(sentences)
                            var secondRow = 0
                            var thirdRow = 0
                            var fourthRow = 0
                            var a = 0
                            var b = quarter - overlap
                            var c = 2 * quarter - overlap
                            var d = 3 * quarter - overlap
                            while a < quarter {
                                let nextA = Int(truncatingIfNeeded: table[firstRow &+ Int(columns[Int(text[a])])])
                                let nextB = Int(truncatingIfNeeded: table[secondRow &+ Int(columns[Int(text[b])])])
                                let nextC = Int(truncatingIfNeeded: table[thirdRow &+ Int(columns[Int(text[c])])])
                                let nextD = Int(truncatingIfNeeded: table[fourthRow &+ Int(columns[Int(text[d])])])
                                if take(nextA, &firstRow, at: a, &first) || take(nextB, &secondRow, at: b, &second)
                                    || take(nextC, &thirdRow, at: c, &third) || take(nextD, &fourthRow, at: d, &fourth)
                                {
                                    return true
                                }
                                a &+= 1
                                b &+= 1
                                c &+= 1
                                d &+= 1
                            }
                            return run(from: b, to: 2 * quarter, row: &secondRow, &second)
                                || run(from: c, to: 3 * quarter, row: &thirdRow, &third)
                                || run(from: d, to: count, row: &fourthRow, &fourth)
                        }
                        }
                        }
                    }
                }
            }
        }
    }

    /// ORs the `count` words of `masks` from `start` into `bits` from `target`. One
    /// word (up to 64 rules, as in the default pack) is the case worth a branch: a
    /// loop the compiler vectorizes costs it more than the OR itself.
    @inline(__always)
    private static func merge(
        _ masks: UnsafeBufferPointer<UInt64>, from start: Int, into bits: UnsafeMutableBufferPointer<UInt64>,
        at target: Int, count: Int
    ) {
        if count == 1 {
            bits[target] |= masks[start]
        } else {
            for word in 0..<count { bits[target &+ word] |= masks[start &+ word] }
        }
    }

    /// Steps the automaton from `row` over the bytes of `text` from `start` up to
    /// `limit`, stopping at the first byte whose step ends in a state that ends a
    /// word; returns that byte's offset (`limit` if none) with `row` the row reached
    /// (decoded). Only this loop touches every byte, so it checks the end of the
    /// text once per `lanes` bytes and leaves for nothing but a final state.
    @inline(__always)
    private static func step<Entry: FixedWidthInteger & SignedInteger>(
        _ table: UnsafeBufferPointer<Entry>, _ columns: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>,
        from start: Int, to limit: Int, row: inout Int
    ) -> Int {
        let lanes = 8
        var current = row
        var offset = start
        let count = limit
        let lastBlock = count &- lanes
        while offset <= lastBlock {
            for lane in 0..<lanes {
                let next = Int(truncatingIfNeeded: table[current &+ Int(columns[Int(text[offset &+ lane])])])
                guard next >= 0 else {
                    row = ~next
                    return offset &+ lane
                }
                current = next
            }
            offset &+= lanes
        }
        while offset < count {
            let next = Int(truncatingIfNeeded: table[current &+ Int(columns[Int(text[offset])])])
            guard next >= 0 else {
                row = ~next
                return offset
            }
            current = next
            offset &+= 1
        }
        row = current
        return count
    }
}

/// Which of a sorted list of sentences holds an offset, for offsets that never go
/// back: the current sentence's bounds are kept at hand, so a word found inside the
/// same sentence as the last one costs two comparisons.
private struct SentenceCursor {
    private let sentences: [Sentence]
    private var index = -1
    private var start = 0
    private var end = 0

    init(_ sentences: [Sentence]) { self.sentences = sentences }

    /// The index of the sentence holding `offset`, nil when it lies between
    /// sentences or after the last.
    @inline(__always)
    mutating func sentence(holding offset: Int) -> Int? {
        if offset >= end { advance(past: offset) }
        return offset >= start ? index : nil
    }

    /// Moves to the first sentence ending after `offset` (past the last: bounds
    /// that hold no offset).
    private mutating func advance(past offset: Int) {
        repeat {
            index += 1
            guard index < sentences.count else {
                start = .max
                end = .max
                return
            }
            start = sentences[index].range.lowerBound
            end = sentences[index].range.upperBound
        } while end <= offset
    }
}

/// Which sentences hold which rules' required words (the result of one scan).
public struct WordHits: Sendable {
    fileprivate let stride: Int
    /// A row of bits per sentence.
    fileprivate let bits: [UInt64]
    fileprivate let leadingCount: Int
    /// Per sentence, per leading rule, the offset where one of its words first
    /// ends; `Int32.max` for none.
    fileprivate let firstEnds: [Int32]
    /// Set when the text holds a character a byte scan cannot judge: every rule may
    /// match everywhere.
    public let everywhere: Bool

    /// Whether sentence `sentence` (its index in the scanned list) holds a word of
    /// `rule`; a rule without words (nil) may match anywhere.
    @inline(__always)
    public func allows(_ rule: Int?, sentence: Int) -> Bool {
        guard let rule, !everywhere else { return true }
        return bits[sentence &* stride &+ rule >> 6] & (1 << UInt64(rule & 63)) != 0
    }

    /// The offset in the text of the last byte of the first word of leading rule
    /// `slot` (its place in the scanner's `leading`) in sentence `sentence`; nil
    /// when the sentence holds none, or when every rule may match everywhere.
    @inline(__always)
    public func firstWordEnd(leading slot: Int, sentence: Int) -> Int? {
        guard !everywhere else { return nil }
        let end = firstEnds[sentence &* leadingCount &+ slot]
        return end == .max ? nil : Int(end)
    }

    /// Whether `body` is true for some rule of `rules` (numbers, ascending) whose
    /// words sentence `sentence` holds, trying those rules only: one test of the
    /// sentence's row against a mask per 64 rules. Not for `everywhere` hits.
    func contains(_ rules: RuleMask, sentence: Int, where body: (Int) -> Bool) -> Bool {
        precondition(!everywhere, "hits for a text a byte scan cannot judge allow every rule")
        let row = sentence &* stride
        for word in 0..<min(stride, rules.mask.count) {
            var found = bits[row &+ word] & rules.mask[word]
            while found != 0 {
                let rule = word &* 64 &+ found.trailingZeroBitCount
                found &= found &- 1
                if body(rule) { return true }
            }
        }
        return false
    }
}

/// Rule numbers of a `WordScanner` as a bit mask in the layout of a row of
/// `WordHits`, to find in one test which of them a sentence's words allow.
struct RuleMask: Sendable {
    fileprivate let mask: [UInt64]

    init(_ rules: some Sequence<Int>) {
        var mask: [UInt64] = []
        for rule in rules {
            while mask.count <= rule >> 6 { mask.append(0) }
            mask[rule >> 6] |= 1 << UInt64(rule & 63)
        }
        self.mask = mask
    }
}

/// The required words of every rule of a pack, numbered for one `WordScanner`:
/// entity rules phase by phase, then relation rules.
public struct RuleWords: Sendable {
    public let scanner: WordScanner
    /// Per phase, per entity rule: its number, nil when it has no words.
    public let entity: [[Int?]]
    /// Per phase, per entity rule: where the scanner places its first word, for a
    /// rule whose every match starts with one of its words; else nil.
    public let entityLeads: [[Lead?]]
    /// Per relation rule: its number, nil when it has no words.
    public let relation: [Int?]

    /// A rule whose matches all start with one of a few words
    /// (`RulePattern.leadingWords`): a match cannot start before the first such
    /// word's end minus `longest - 1` bytes, nor in a sentence without one.
    public struct Lead: Sendable, Hashable {
        /// The words' place in the scanner's `leading` (see `WordHits.firstWordEnd`).
        public let slot: Int
        /// The longest of the words, in bytes.
        public let longest: Int
    }

    /// The pack's own (built when it was loaded).
    public init(pack: RulePack) {
        self = pack.words
    }

    /// The words of `phases`' entity rules, phase by phase, and of `relationRules`.
    init(phases: [[EntityRule]], relationRules: [RelationRule]) {
        var words: [[String]?] = []
        // Lists of leading words, each once (the month-first date rules share one).
        var leading: [[String]] = []
        var leadSlots: [[String]: Int] = [:]
        var entity: [[Int?]] = []
        var entityLeads: [[Lead?]] = []
        for rules in phases {
            var numbers: [Int?] = []
            var leads: [Lead?] = []
            for rule in rules {
                words.append(rule.pattern.requiredWords)
                numbers.append(rule.pattern.requiredWords == nil ? nil : words.count - 1)
                if let starts = rule.pattern.leadingWords, let slot = leadSlots[starts] ?? (leading.count < 64 ? leading.count : nil) {
                    if slot == leading.count {
                        leading.append(starts)
                        leadSlots[starts] = slot
                    }
                    leads.append(Lead(slot: slot, longest: starts.map(\.utf8.count).max() ?? 1))
                } else {
                    leads.append(nil)
                }
            }
            entity.append(numbers)
            entityLeads.append(leads)
        }
        relation = relationRules.map { rule in
            words.append(rule.pattern.requiredWords)
            return rule.pattern.requiredWords == nil ? nil : words.count - 1
        }
        self.entity = entity
        self.entityLeads = entityLeads
        scanner = WordScanner(words: words, leading: leading)
    }
}
