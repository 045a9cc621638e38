/// A list of names compiled into a byte trie, matched whole-word and longest-first
/// from every word start of a text. The files of a phase are merged into one trie
/// (one per case setting), so a text is scanned once per phase, not once per file.
///
/// A trie walk over bytes beats both plain alternations and trie-shaped PCRE2
/// patterns here (see bench/README.md), needs no splitting under PCRE2's pattern
/// size limit, and loads 50,000 names in well under a second.
public final class Gazetteer: Sendable {
    /// One line of a gazetteer file.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var entity: Entity
        /// The entity the name stands for (from its `stands_for` attribute).
        public var standsFor: Entity?
        /// The file and line the name came from, as the pack names them.
        public var file: String
        public var line: Int
        /// The file's place in the pack, for overlap ties.
        public var order: Int

        public init(name: String, entity: Entity, standsFor: Entity?, file: String, line: Int, order: Int) {
            self.name = name
            self.entity = entity
            self.standsFor = standsFor
            self.file = file
            self.line = line
            self.order = order
        }
    }

    /// Per entry, what every mention of it shares: boxed once here, not per mention
    /// (empty when not `isScannable`).
    public let shared: [Shared<Mention.Info>]
    /// Per entry, its file's place in the pack (`Entry.order`), without the entry
    /// (empty when not `isScannable`).
    public let orders: [Int]

    /// The file the names came from (the first one, for a merged gazetteer).
    public let file: String
    public let caseless: Bool
    public let entries: [Entry]
    /// The phase the gazetteer runs in.
    public let phase: Int
    /// One record a node, so that a step of a walk reads one place: the entry that
    /// ends there, its edges, and its 256-entry table if it has one.
    struct Node {
        /// `entry << 1 | wordEnd` for the (first) entry ending here, or -1.
        var term: Int32
        /// The first child: a node's children are numbered one after the other.
        var firstChild: Int32
        /// Offset of the node's table in `denseNext`; for a node with few edges,
        /// `-1 - count`, its edges' bytes being in `edgeBytes`.
        var dense: Int32
        /// Up to four edge bytes, the first in the low byte, in child order.
        var edgeBytes: UInt32
    }
    private let nodes: [Node]
    private let denseNext: [Int32]
    /// Nodes with more edges than this get a table.
    private static let denseThreshold = 4
    /// Per byte: `wordByte` (an ASCII word character), `rootByte` (a name starts with
    /// it, after folding), `leadByte` (starts a non-ASCII character). One load a
    /// byte decides whether anything can start there.
    private let byteClass: [UInt8]
    private static let wordByte: UInt8 = 1
    private static let rootByte: UInt8 = 2
    private static let leadByte: UInt8 = 4
    /// Per pair of bytes (folded), which third bytes a name starting with them may
    /// go on with (see `thirdBytes`); 0 when no name starts so. One load ends most
    /// walks before they begin: no name starts with the pair, or none goes on with
    /// the third byte.
    private let startPairs: [UInt32]
    /// The names' start keys (`startKey`: a name's first four bytes, or fewer
    /// where a non-word byte or its end comes first), each with the node its word
    /// bytes lead to, in a table open-addressed by `startKeyHash`.
    ///
    /// A walk whose text has a start key no name has is not begun: common words
    /// pass the pair test ("for" as in "foreign minister") but seldom this one
    /// ("for "). The others begin from the key's node, not from the pair's: one
    /// load of the table instead of a record a byte, records the cache seldom held.
    private let startNodes: [StartNode]
    /// `64 - log2(startNodes.count)`, the shift of the key's hash.
    private let startNodeShift: UInt64

    /// A slot of `startNodes`: a start key (0 for an empty slot: a key never is)
    /// and the node `depth` bytes down that its word bytes lead to.
    struct StartNode {
        var key: UInt64 = 0
        var node: Int32 = 0
        var depth: Int32 = 0
    }

    /// Whether the names were compiled into a trie (`scan` works).
    public let isScannable: Bool
    /// Whether every ASCII byte a name can start with is a word character (letters,
    /// digits, `_`): then in ASCII text a name can only start at a word start, and
    /// `scan` finds those 64 bytes at a time (see `wordStarts`).
    let startsAtWordStartsOnly: Bool

    /// Compiles `entries`; names are folded to ASCII lowercase when `caseless`. Where
    /// several entries share a name, the first one is the match. With `scannable`
    /// false the gazetteer only holds its entries (a pack's files, which are merged
    /// into one trie per phase before anything is scanned).
    ///
    /// - Complexity: O(total name bytes × log(name count)) for the sort.
    public init(file: String, entries: [Entry], caseless: Bool, phase: Int = 0, scannable: Bool = true) {
        self.file = file
        self.phase = phase
        self.caseless = caseless
        self.entries = entries
        isScannable = scannable
        // A pack's files are never scanned (only their merged gazetteer is): they
        // need no boxes and no tables (the 64 K `startPairs` alone is 256 KB to
        // fill, for each file and each time the loader rebuilds one).
        guard scannable else {
            orders = []
            shared = []
            nodes = []
            denseNext = []
            startPairs = []
            startNodes = []
            startNodeShift = 63
            byteClass = []
            startsAtWordStartsOnly = true
            return
        }
        // Entries are read in place, by index: a closure over each entry copied it
        // (a dozen references), once for each of these.
        orders = entries.indices.map { entries[$0].order }
        shared = entries.indices.map { index in
            Shared(Mention.Info(
                entity: entries[index].entity, standsFor: entries[index].standsFor,
                rule: RuleReference(id: "gazetteer", file: entries[index].file, line: entries[index].line)))
        }
        let keys: [[UInt8]] = entries.indices.map { index in
            caseless ? entries[index].name.utf8.map(Gazetteer.fold) : Array(entries[index].name.utf8)
        }
        let order = keys.indices.sorted { a, b in
            let difference = Self.compare(keys[a], keys[b])
            return difference < 0 || (difference == 0 && a < b)
        }
        var builder = TrieBuilder(keys: keys, order: order)
        builder.build()
        var nodes: [Node] = []
        nodes.reserveCapacity(builder.edgeStart.count - 1)
        // Room for every table at once: grown a table at a time, the array was
        // copied into fresh pages again and again.
        var denseNext: [Int32] = []
        denseNext.reserveCapacity(256 * (0..<(builder.edgeStart.count - 1)).count {
            builder.edgeStart[$0 + 1] - builder.edgeStart[$0] > Self.denseThreshold
        })
        let wordEnds: [Bool] = entries.map { $0.name.unicodeScalars.last.map(Gazetteer.isWord) == true }
        // Nodes are stored depth-first (see `TrieBuilder.depthFirst`): a walk down a
        // name reads neighbouring records, not one far-off record a byte.
        let (newID, oldID) = builder.depthFirst()
        for node in oldID {
            let low = Int(builder.edgeStart[node])
            let high = Int(builder.edgeStart[node + 1])
            var dense = Int32(-1 - (high - low))
            var edgeBytes: UInt32 = 0
            if high - low > Self.denseThreshold {
                dense = Int32(denseNext.count)
                var table = [Int32](repeating: -1, count: 256)
                for edge in low..<high { table[Int(builder.edgeBytes[edge])] = newID[Int(builder.edgeTarget[edge])] }
                denseNext += table
            } else {
                for edge in low..<high {
                    precondition(newID[Int(builder.edgeTarget[edge])] == newID[Int(builder.edgeTarget[low])] + Int32(edge - low),
                                 "trie children are not consecutive")
                    edgeBytes |= UInt32(builder.edgeBytes[edge]) << (8 * UInt32(edge - low))
                }
            }
            var term: Int32 = -1
            if builder.termStart[node] < builder.termStart[node + 1] {
                let entry = builder.termEntries[Int(builder.termStart[node])]
                term = entry << 1 | (wordEnds[Int(entry)] ? 1 : 0)
            }
            let firstChild = low < high ? newID[Int(builder.edgeTarget[low])] : 0
            nodes.append(Node(term: term, firstChild: firstChild, dense: dense, edgeBytes: edgeBytes))
        }
        var rootNext = [Int32](repeating: -1, count: 256)
        for edge in Int(builder.edgeStart[0])..<Int(builder.edgeStart[1]) {
            rootNext[Int(builder.edgeBytes[edge])] = newID[Int(builder.edgeTarget[edge])]
        }
        self.nodes = nodes
        self.denseNext = denseNext
        // The third bytes after each pair of bytes; a name of one byte lets any
        // pair that starts with its byte go on.
        var startPairs = [UInt32](repeating: 0, count: 65536)
        for first in 0..<256 where rootNext[first] >= 0 {
            let child = nodes[Int(rootNext[first])]
            if child.term >= 0 {
                for second in 0..<256 { startPairs[first << 8 | second] = ~0 }
                continue
            }
            for second in 0..<256 {
                var next: Int32 = -1
                if child.dense >= 0 {
                    next = denseNext[Int(child.dense) + second]
                } else {
                    for edge in 0..<Int(-1 - child.dense) where Int((child.edgeBytes >> (8 * UInt32(edge))) & 0xFF) == second {
                        next = child.firstChild + Int32(edge)
                    }
                }
                if next >= 0 {
                    startPairs[first << 8 | second] = Self.thirdBytes(nodes[Int(next)], denseNext)
                }
            }
        }
        self.startPairs = startPairs
        (startNodes, startNodeShift) = Self.startNodeTable(keys, caseless: caseless, nodes: nodes, denseNext: denseNext)
        let byteClass: [UInt8] = (0..<256).map { value in
            let byte = UInt8(value)
            var bits: UInt8 = 0
            if byte < 0x80, Gazetteer.isASCIIWord(byte) { bits |= Gazetteer.wordByte }
            if rootNext[Int(caseless ? Gazetteer.fold(byte) : byte)] >= 0 { bits |= Gazetteer.rootByte }
            if byte >= 0x80 { bits |= Gazetteer.leadByte }
            return bits
        }
        self.byteClass = byteClass
        startsAtWordStartsOnly = byteClass[..<0x80].allSatisfy { $0 & Gazetteer.rootByte == 0 || $0 & Gazetteer.wordByte != 0 }
    }

    /// The `startNodes` table of `keys` (names as the trie holds them) and its
    /// hash shift: at most half full, at least 1 K slots.
    private static func startNodeTable(
        _ keys: [[UInt8]], caseless: Bool, nodes: [Node], denseNext: [Int32]
    ) -> ([StartNode], UInt64) {
        /// The child of `node` for `byte` (which the trie has).
        func child(_ node: Int32, _ byte: UInt8) -> Int32 {
            let record = nodes[Int(node)]
            if record.dense >= 0 { return denseNext[Int(record.dense) + Int(byte)] }
            for edge in 0..<Int(-1 - record.dense) where UInt8(truncatingIfNeeded: record.edgeBytes >> (8 * UInt32(edge))) == byte {
                return record.firstChild + Int32(edge)
            }
            preconditionFailure("the trie lacks a byte of one of its names")
        }
        // Sized for every name having a key of its own (most share one).
        var bits = 10
        while 1 << bits < 2 * keys.count { bits += 1 }
        let shift = UInt64(64 - bits)
        let mask = (1 << bits) - 1
        var table = [StartNode](repeating: StartNode(), count: 1 << bits)
        for key in keys {
            var raw: UInt64 = 0
            for (offset, byte) in key.prefix(4).enumerated() { raw |= UInt64(byte) << (8 * UInt64(offset)) }
            let start = startKey(raw, caseless: caseless)
            var slot = Int(startKeyHash(start, shift: shift))
            while table[slot].key != 0 && table[slot].key != start { slot = (slot + 1) & mask }
            guard table[slot].key == 0 else { continue }
            // The trie holds names folded as the key is: its word bytes are the name's.
            let depth = startKeyDepth(start)
            var node: Int32 = 0
            for byte in key.prefix(depth) { node = child(node, byte) }
            table[slot] = StartNode(key: start, node: node, depth: Int32(depth))
        }
        return (table, shift)
    }

    /// The number of word bytes of a start key: where its 0x20 is.
    static func startKeyDepth(_ key: UInt64) -> Int {
        (63 - key.leadingZeroBitCount) >> 3
    }

    /// The start key of up to four bytes (the first in the low byte, the missing
    /// ones zero): the word bytes before the first byte that is not one (not an
    /// ASCII letter, digit or `_`, or missing), folded when `caseless`, then 0x20
    /// in that byte's place. A name and a text that it starts compute the same key:
    /// a name ending in a word character is followed by a byte that is not one.
    @inline(__always) static func startKey(_ raw: UInt64, caseless: Bool) -> UInt64 {
        // The test works on ASCII bytes; a byte with its high bit set is not a word byte.
        let isWord = asciiWordBits(raw & (ByteWord.ones &* 0x7F)) & ~raw
        let cut = UInt64((~isWord & ByteWord.highs).trailingZeroBitCount >> 3)
        var key = raw & ((1 << (8 * cut)) &- 1)
        if caseless {
            let letters = (key | ByteWord.ones &* 0x20) &+ ByteWord.ones &* UInt64(0x80 - 0x61)
            let notAfterZ = ~((key | ByteWord.ones &* 0x20) &+ ByteWord.ones &* UInt64(0x7F - 0x7A))
            key |= (letters & notAfterZ & isWord & ByteWord.highs) >> 2
        }
        return key | 0x20 << (8 * cut)
    }

    @inline(__always) static func startKeyHash(_ key: UInt64, shift: UInt64) -> UInt64 {
        (key &* 0x9E37_79B9_7F4A_7C15) >> shift
    }

    /// The third bytes a walk that has reached `node` two bytes down may need, as
    /// bit `byte & 31` for each: every bit when a name ends at the node (the walk
    /// must go on to report it), else those of its children's bytes.
    ///
    /// Bytes that share their low five bits share a bit, so the test may let a
    /// walk through that finds nothing, never stop one that would. It needs no
    /// folding either: ASCII case changes only bit 5.
    private static func thirdBytes(_ node: Node, _ denseNext: [Int32]) -> UInt32 {
        if node.term >= 0 { return ~0 }
        var bits: UInt32 = 0
        if node.dense >= 0 {
            for byte in 0..<256 where denseNext[Int(node.dense) + byte] >= 0 { bits |= 1 << UInt32(byte & 31) }
        } else {
            for edge in 0..<Int(-1 - node.dense) { bits |= 1 << ((node.edgeBytes >> (8 * UInt32(edge))) & 31) }
        }
        return bits
    }

    /// Negative, zero or positive as `x` sorts before, with or after `y`, byte by
    /// byte and a prefix first (the order of `lexicographicallyPrecedes`, in one
    /// pass over buffers instead of two generic ones for the sort's ties).
    private static func compare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                for index in 0..<min(x.count, y.count) where x[index] != y[index] {
                    return Int(x[index]) - Int(y[index])
                }
                return x.count - y.count
            }
        }
    }

    @inline(__always) static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// Whether the character that ends just before byte `index` is a word character.
    @inline(__always) static func wordBefore(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        guard index > 0 else { return false }
        let byte = text[index - 1]
        if byte < 0x80 { return isASCIIWord(byte) }
        var start = index - 1
        while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(text, at: start).map(isWord) ?? false
    }

    /// Whether the character that starts at byte `index` is a word character.
    @inline(__always) static func wordAt(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        guard index < text.count else { return false }
        let byte = text[index]
        if byte < 0x80 { return isASCIIWord(byte) }
        return scalar(text, at: index).map(isWord) ?? false
    }

    private static func scalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar? {
        var iterator = text[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    @inline(__always) static func isASCIIWord(_ byte: UInt8) -> Bool {
        let lower = byte | 0x20
        return (byte >= 0x30 && byte <= 0x39) || (lower >= 0x61 && lower <= 0x7A) || byte == 0x5F
    }

    /// Calls `found` with the longest name that starts at each word start of
    /// `text[range]` and ends at a word end, and the index of its (first) entry.
    ///
    /// Matches from different starts may overlap; overlap resolution decides later.
    ///
    /// Where 64 bytes in a row are ASCII (most of English news), their word starts
    /// come from `wordStarts` as a bit mask, without a test and a branch per byte;
    /// elsewhere, and for names that start with punctuation, the scan goes a
    /// character at a time. The two ways find the same starts (a test compares them).
    ///
    /// - Complexity: O(n × d), d the depth reached from a word start (short in
    ///   practice).
    public func scan(_ text: UnsafeBufferPointer<UInt8>, in range: Range<Int>, found: (Range<Int>, Int) -> Void) {
        scan(text, in: range, blocks: startsAtWordStartsOnly, found: found)
    }

    /// `scan`, with the 64-byte blocks used or not (for tests: both give the same).
    func scan(_ text: UnsafeBufferPointer<UInt8>, in range: Range<Int>, blocks: Bool, found: (Range<Int>, Int) -> Void) {
        precondition(isScannable, "gazetteer \(file) was loaded without a trie")
        guard let base = text.baseAddress, !range.isEmpty else { return }
        precondition(!blocks || startsAtWordStartsOnly, "gazetteer \(file) has names that start with punctuation")
        nodes.withUnsafeBufferPointer { nodes in
        denseNext.withUnsafeBufferPointer { denseNext in
        byteClass.withUnsafeBufferPointer { byteClass in
        startPairs.withUnsafeBufferPointer { startPairs in
        startNodes.withUnsafeBufferPointer { startNodes in
            let caseless = self.caseless
            let end = range.upperBound
            let startNodeShift = self.startNodeShift
            let startNodeMask = startNodes.count - 1

            /// The node to walk on from, and how many bytes after `index` it is
            /// reached, by the start key of the text at `index`; nil when no name has
            /// that key (none starts there).
            @inline(__always) func startNode(at index: Int) -> StartNode? {
                var raw: UInt64
                if end - index >= 4 {
                    raw = UInt64(UnsafeRawPointer(base + index).loadUnaligned(as: UInt32.self))
                } else {
                    raw = 0
                    for offset in 0..<(end - index) { raw |= UInt64(text[index + offset]) << (8 * UInt64(offset)) }
                }
                let key = Gazetteer.startKey(raw, caseless: caseless)
                var slot = Int(Gazetteer.startKeyHash(key, shift: startNodeShift))
                while true {
                    let entry = startNodes[slot]
                    if entry.key == key { return entry }
                    if entry.key == 0 { return nil }
                    slot = (slot + 1) & startNodeMask
                }
            }

            /// The longest name from `index` (where a name may start), if any.
            @inline(__always) func walk(from index: Int) {
                if index + 1 < end {
                    // Two bytes in one load, and most starts end here: no name
                    // starts with them, or none goes on with the third byte.
                    let first = Int(caseless ? Gazetteer.fold(text[index]) : text[index])
                    let pair = first << 8 | Int(caseless ? Gazetteer.fold(text[index + 1]) : text[index + 1])
                    let thirdBytes = startPairs[pair]
                    if index + 2 < end {
                        if thirdBytes >> (text[index + 2] & 31) & 1 == 0 { return }
                    } else if thirdBytes == 0 {
                        return
                    }
                }
                guard let start = startNode(at: index) else { return }
                var node = Int(start.node)
                var position = index + Int(start.depth)
                var bestEnd = -1
                var bestEntry = -1
                while true {
                    let record = nodes[node]
                    if record.term >= 0 {
                        // A name that ends with a word character may not run into one.
                        if record.term & 1 == 0 || position >= end || !Gazetteer.wordAt(text, position) {
                            bestEnd = position
                            bestEntry = Int(record.term >> 1)
                        }
                    }
                    guard position < end else { break }
                    let byte = caseless ? Gazetteer.fold(text[position]) : text[position]
                    if record.dense >= 0 {
                        let next = denseNext[Int(record.dense) + Int(byte)]
                        if next < 0 { break }
                        node = Int(next)
                    } else {
                        let count = Int(-1 - record.dense)
                        var edge = 0
                        while edge < count, UInt8(truncatingIfNeeded: record.edgeBytes >> (8 * UInt32(edge))) != byte { edge += 1 }
                        if edge == count { break }
                        node = Int(record.firstChild) + edge
                    }
                    position += 1
                }
                if bestEnd > 0 {
                    found(index..<bestEnd, bestEntry)
                }
            }

            var index = range.lowerBound
            var previousIsWord = Gazetteer.wordBefore(text, index)
            while index < end {
                if blocks && end - index >= 64 {
                    if let starts = Gazetteer.wordStarts(base + index, afterWord: previousIsWord) {
                        var starts = starts
                        while starts != 0 {
                            let start = index + starts.trailingZeroBitCount
                            starts &= starts &- 1
                            if byteClass[Int(text[start])] & Gazetteer.rootByte != 0 { walk(from: start) }
                        }
                        previousIsWord = byteClass[Int(text[index + 63])] & Gazetteer.wordByte != 0
                        index += 64
                        continue
                    }
                }
                // A character at a time up to the end of these 64 bytes (or of the
                // range): past the non-ASCII byte that stopped the block above.
                let stop = blocks ? min(end, index + 64) : end
                while index < stop {
                    if previousIsWord {
                        // Nothing starts inside a word: skip its ASCII letters and digits.
                        while index < end, byteClass[Int(text[index])] & Gazetteer.wordByte != 0 { index += 1 }
                        guard index < end else { break }
                    }
                    let lead = text[index]
                    let bits = byteClass[Int(lead)]
                    let isWord: Bool
                    var width = 1
                    if bits & Gazetteer.leadByte == 0 {
                        isWord = bits & Gazetteer.wordByte != 0
                    } else {
                        isWord = Gazetteer.wordAt(text, index)
                        var next = index + 1
                        while next < end, text[next] & 0xC0 == 0x80 { next += 1 }
                        width = next - index
                    }
                    // A name starts at a character start, and not inside a word.
                    if !(isWord && previousIsWord) && bits & Gazetteer.rootByte != 0 { walk(from: index) }
                    previousIsWord = isWord
                    index += width
                }
            }
        }
        }
        }
        }
        }
    }

    /// The word starts among the 64 bytes at `bytes` as a bit mask (bit `k` for
    /// byte `k`), or nil when one of the bytes is not ASCII. A word start is an
    /// ASCII word character (letter, digit, `_`) after a byte that is not one;
    /// `afterWord` says what the byte before the first one is.
    ///
    /// Eight bytes at a time, with no branch: each byte's high bit is set where it
    /// is a word character, then shifted against its predecessor's.
    @inline(__always) static func wordStarts(_ bytes: UnsafePointer<UInt8>, afterWord: Bool) -> UInt64? {
        var starts: UInt64 = 0
        var nonASCII: UInt64 = 0
        // The word bit of the byte before, in the high bit of byte 0.
        var carry: UInt64 = afterWord ? 0x80 : 0
        for part in 0..<8 {
            let word = ByteWord.load(bytes, part * 8)
            nonASCII |= word
            let isWord = asciiWordBits(word)
            let begins = isWord & ~(isWord << 8 | carry)
            carry = isWord >> 56
            // The eight high bits gathered into the top byte (no two products
            // overlap, so nothing carries), then into place.
            starts |= (((begins >> 7) &* 0x0102_0408_1020_4080) >> 56) << (8 * UInt64(part))
        }
        return nonASCII & ByteWord.highs == 0 ? starts : nil
    }

    /// The high bit of each byte of `word` (all ASCII) set where the byte is a
    /// letter, a digit or `_`. For a byte below 0x80, adding `0x80 - low` sets its
    /// high bit when it is at least `low`, and adding `0x7F - high` when it is above
    /// `high`; no sum leaves its byte.
    @inline(__always) static func asciiWordBits(_ word: UInt64) -> UInt64 {
        @inline(__always) func within(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
            (word &+ ByteWord.ones &* UInt64(0x80 - low)) & ~(word &+ ByteWord.ones &* UInt64(0x7F - high))
        }
        let digits = within(word, 0x30, 0x39)
        let letters = within(word | ByteWord.ones &* 0x20, 0x61, 0x7A)
        let underscores = within(word, 0x5F, 0x5F)
        return (digits | letters | underscores) & ByteWord.highs
    }
}

/// Builds the flat trie from keys in sorted order, breadth-first: a node's children
/// are all made when it is visited, so its edges are contiguous and node ids follow
/// the visiting order. `depthFirst` renumbers the nodes for the scan.
private struct TrieBuilder {
    /// The keys in sorted order (`keys[order[i]]`), read without the indirection.
    let sorted: [[UInt8]]
    let order: [Int]
    var edgeStart: [Int32] = []
    var edgeBytes: [UInt8] = []
    var edgeTarget: [Int32] = []
    var termStart: [Int32] = []
    var termEntries: [Int32] = []

    init(keys: [[UInt8]], order: [Int]) {
        sorted = order.map { keys[$0] }
        self.order = order
    }

    mutating func build() {
        // A node per distinct prefix, at most one per key byte (and the root).
        let bound = sorted.reduce(1) { $0 + $1.count }
        edgeStart.reserveCapacity(bound + 1)
        termStart.reserveCapacity(bound + 1)
        edgeBytes.reserveCapacity(bound)
        edgeTarget.reserveCapacity(bound)
        // queue[n] is node n: the range of `order` below it and its depth.
        var queue: [(range: Range<Int>, depth: Int)] = [(0..<order.count, 0)]
        queue.reserveCapacity(bound)
        var head = 0
        while head < queue.count {
            let (range, depth) = queue[head]
            head += 1
            edgeStart.append(Int32(edgeBytes.count))
            termStart.append(Int32(termEntries.count))
            var index = range.lowerBound
            while index < range.upperBound, sorted[index].count == depth {
                termEntries.append(Int32(order[index]))
                index += 1
            }
            while index < range.upperBound {
                let byte = sorted[index][depth]
                var stop = index + 1
                while stop < range.upperBound, sorted[stop][depth] == byte { stop += 1 }
                edgeBytes.append(byte)
                edgeTarget.append(Int32(queue.count))
                queue.append((index..<stop, depth + 1))
                index = stop
            }
        }
        edgeStart.append(Int32(edgeBytes.count))
        termStart.append(Int32(termEntries.count))
    }

    /// A numbering of the built nodes in which every node's children stay
    /// consecutive, but the blocks of children come depth-first: a node's first
    /// child's block follows its own, so a chain of single children (the tail of
    /// most names) lies in consecutive records. `newID[old]` is a node's new
    /// number, `oldID[new]` the inverse.
    func depthFirst() -> (newID: [Int32], oldID: [Int]) {
        let count = edgeStart.count - 1
        var newID = [Int32](repeating: -1, count: count)
        var oldID: [Int] = []
        oldID.reserveCapacity(count)
        newID[0] = 0
        oldID.append(0)
        // Nodes whose children are still to be numbered, the next on top.
        var stack = [0]
        while let node = stack.popLast() {
            let low = Int(edgeStart[node])
            let high = Int(edgeStart[node + 1])
            for edge in low..<high {
                let child = Int(edgeTarget[edge])
                newID[child] = Int32(oldID.count)
                oldID.append(child)
            }
            for edge in (low..<high).reversed() { stack.append(Int(edgeTarget[edge])) }
        }
        return (newID, oldID)
    }
}
