/// Finds, in one pass over a document, which sentences hold a required word of which
/// rule (see `RequiredWords`): an Aho–Corasick automaton over bytes, ASCII case
/// folded, compiled to a table with one step per byte.
public struct WordScanner: Sendable {
    /// How many rules the scanner numbers.
    public let ruleCount: Int
    /// Byte to its column in the table (case folded; bytes in no word share 0).
    private let columns: [UInt8]
    private let columnCount: Int
    /// `table[row + column]`: the row of the next state (`state * columnCount`, so
    /// that a step needs no multiplication), as `~row` when that state ends a word.
    private let table: [Int32]
    /// Per state, the range of `outputs` holding the rules whose words end there.
    private let outputStart: [Int32]
    /// Rule numbers; `fold` marks a character that PCRE2's caseless matching takes
    /// for an ASCII letter (KELVIN SIGN for k, LONG S for s), which a byte scan
    /// cannot see: a document holding one gets every rule on every sentence.
    private let outputs: [Int32]
    private static let fold: Int32 = -1

    /// A scanner for `words[rule]` (lowercase ASCII); a rule with nil words is not
    /// scanned for (the caller runs it everywhere).
    public init(words: [[String]?]) {
        ruleCount = words.count
        var patterns: [(bytes: [UInt8], rule: Int32)] = []
        for (rule, list) in words.enumerated() {
            for word in list ?? [] { patterns.append((Array(word.utf8), Int32(rule))) }
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
        // The trie.
        var children: [[Int32]] = [[Int32](repeating: -1, count: columnCount)]
        var ends: [[Int32]] = [[]]
        for pattern in patterns {
            var state = 0
            for byte in pattern.bytes {
                let column = Int(columns[Int(byte)])
                if children[state][column] < 0 {
                    children[state][column] = Int32(children.count)
                    children.append([Int32](repeating: -1, count: columnCount))
                    ends.append([])
                }
                state = Int(children[state][column])
            }
            if !ends[state].contains(pattern.rule) { ends[state].append(pattern.rule) }
        }
        // Failure links in breadth-first order turn the trie into a full table.
        let stateCount = children.count
        var next = [Int32](repeating: 0, count: stateCount * columnCount)
        var failure = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for column in 0..<columnCount {
            let child = children[0][column]
            if child >= 0 {
                next[column] = child
                queue.append(Int(child))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for rule in ends[failure[state]] where !ends[state].contains(rule) { ends[state].append(rule) }
            for column in 0..<columnCount {
                let child = children[state][column]
                if child >= 0 {
                    failure[Int(child)] = Int(next[failure[state] * columnCount + column])
                    next[state * columnCount + column] = child
                    queue.append(Int(child))
                } else {
                    next[state * columnCount + column] = next[failure[state] * columnCount + column]
                }
            }
        }
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for state in 0..<stateCount {
            outputs += ends[state].sorted()
            outputStart.append(Int32(outputs.count))
        }
        table = next.map { ends[Int($0)].isEmpty ? $0 * Int32(columnCount) : ~($0 * Int32(columnCount)) }
        self.columns = columns
        self.columnCount = columnCount
        self.outputStart = outputStart
        self.outputs = outputs
    }

    /// Which rules' words each of `sentences` (sorted, not overlapping) holds. A word
    /// counts for the sentence its last byte is in.
    public func scan(_ text: UnsafeBufferPointer<UInt8>, sentences: [Sentence]) -> WordHits {
        let stride = (ruleCount + 63) / 64
        var bits = [UInt64](repeating: 0, count: sentences.count * stride)
        var everywhere = false
        guard ruleCount > 0, !sentences.isEmpty, let base = text.baseAddress else {
            return WordHits(stride: stride, bits: bits, everywhere: false)
        }
        table.withUnsafeBufferPointer { table in
            columns.withUnsafeBufferPointer { columns in
                outputStart.withUnsafeBufferPointer { outputStart in
                    outputs.withUnsafeBufferPointer { outputs in
                        bits.withUnsafeMutableBufferPointer { bits in
                            var row: Int32 = 0
                            var sentence = 0
                            let count = text.count
                            let width = Int32(columnCount)
                            var offset = 0
                            while offset < count {
                                row = table[Int(row &+ Int32(columns[Int(base[offset])]))]
                                if row < 0 {
                                    row = ~row
                                    let state = row / width
                                    while sentence < sentences.count, sentences[sentence].range.upperBound <= offset { sentence += 1 }
                                    let inside = sentence < sentences.count && sentences[sentence].range.lowerBound <= offset
                                    for output in Int(outputStart[Int(state)])..<Int(outputStart[Int(state) + 1]) {
                                        let rule = Int(outputs[output])
                                        if rule < 0 {
                                            everywhere = true
                                        } else if inside {
                                            bits[sentence &* stride &+ rule >> 6] |= 1 << UInt64(rule & 63)
                                        }
                                    }
                                }
                                offset &+= 1
                            }
                        }
                    }
                }
            }
        }
        return WordHits(stride: stride, bits: bits, everywhere: everywhere)
    }
}

/// Which sentences hold which rules' required words (the result of one scan).
public struct WordHits: Sendable {
    fileprivate let stride: Int
    /// A row of bits per sentence.
    fileprivate let bits: [UInt64]
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
}

/// The required words of every rule of a pack, numbered for one `WordScanner`:
/// entity rules phase by phase, then relation rules.
public struct RuleWords: Sendable {
    public let scanner: WordScanner
    /// Per phase, per entity rule: its number, nil when it has no words.
    public let entity: [[Int?]]
    /// Per relation rule: its number, nil when it has no words.
    public let relation: [Int?]

    public init(pack: RulePack) {
        var words: [[String]?] = []
        var entity: [[Int?]] = []
        for phase in pack.phases {
            entity.append(phase.rules.map { rule in
                words.append(rule.pattern.requiredWords)
                return rule.pattern.requiredWords == nil ? nil : words.count - 1
            })
        }
        relation = pack.relationRules.map { rule in
            words.append(rule.pattern.requiredWords)
            return rule.pattern.requiredWords == nil ? nil : words.count - 1
        }
        self.entity = entity
        scanner = WordScanner(words: words)
    }
}
