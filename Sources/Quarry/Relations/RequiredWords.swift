/// The words a pattern cannot match without: a set of ASCII strings of which every
/// match holds at least one (with what its positive lookbehinds saw just before).
/// A sentence that contains none of them is never given to the pattern, which
/// saves most PCRE2 calls ("visited" or "talks" are in few sentences; a call costs
/// the same whether it matches or not).
///
/// The analysis reads the expanded PCRE2 pattern and is conservative: any construct
/// it does not understand counts as "could be anything", and a pattern whose words
/// it cannot pin down gets none (and runs everywhere, as before). Words are ASCII
/// and lowercased; the scanner that looks for them ignores ASCII case, so a word
/// found in a case-sensitive pattern is found in any case (a superset, still safe).
/// Rule patterns write a space as `\s+`, so their words hold no white space and
/// line breaks in the text do not matter.
public enum RequiredWords {
    /// Shorter words say too little to be worth a scan ("of", "to").
    public static let minimumLength = 3
    /// More alternatives than this at one node count as "anything".
    static let maximumCount = 64

    /// The words of `pattern` (expanded PCRE2 syntax), sorted; nil when every match
    /// need not hold one of a few words of `minimumLength` or more.
    public static func of(_ pattern: String) -> [String]? {
        analysis(of: pattern).words
    }

    /// The strings every match of `pattern` (expanded PCRE2 syntax) starts with, one
    /// of them at least (ASCII, lowercased), sorted; nil when that is not known or
    /// one is shorter than `minimumLength`. A search for the pattern need not try
    /// any place before the first of them.
    ///
    /// Zero-width items before the first one that consumes (`\b`, lookarounds,
    /// anchors) are passed over: PCRE2 still sees the text before the place a
    /// search starts. A pattern with backtracking verbs or `\G`, whose matches may
    /// depend on where a search starts, has none.
    public static func leading(of pattern: String) -> [String]? {
        analysis(of: pattern).leading
    }

    /// `of(pattern)` and `leading(of: pattern)`, from one reading of the pattern.
    public static func analysis(of pattern: String) -> (words: [String]?, leading: [String]?) {
        var parser = Parser(bytes: Array(pattern.utf8))
        let info = parser.alternation()
        if parser.index != parser.bytes.count { parser.failed = true }
        guard !parser.failed else { return (nil, nil) }
        return (words(of: info), leading(of: info, in: parser.bytes))
    }

    private static func words(of info: Info) -> [String]? {
        guard let words = best(info.required, info.exact), words.allSatisfy({ $0.count >= minimumLength }) else { return nil }
        return words.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    private static func leading(of info: Info, in bytes: [UInt8]) -> [String]? {
        for index in bytes.indices.dropLast() where bytes[index] == UInt8(ascii: "(") && bytes[index + 1] == UInt8(ascii: "*")
            || bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "G")
        {
            return nil
        }
        // Short strings end too often in a text to be worth placing ("19").
        guard let starts = info.starts, !starts.isEmpty, starts.allSatisfy({ $0.count >= minimumLength }) else { return nil }
        return starts.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    /// A set of strings, as an array that holds each once (`inserting`,
    /// `union`): the sets of a pattern hold a few short words, and comparing them
    /// costs less than hashing them. As a `Set<[UInt8]>` they took 20 M
    /// instructions for the default pack's 44 patterns, half of it hashing.
    /// No result depends on the order of a set's strings.
    typealias Words = [[UInt8]]

    /// The set of the empty string alone, made once: a sequence starts from it, and
    /// starts from it again after every item that is not exact.
    static let emptyString: Words = [[]]
    /// The set of each ASCII byte alone, made once: most atoms are one character.
    static let singleBytes: [Words] = (0..<128).map { [[UInt8($0)]] }

    /// `words` and the strings of `other` that it does not hold.
    static func union(_ words: Words, _ other: Words) -> Words {
        var result = words
        for word in other where !result.contains(word) { result.append(word) }
        return result
    }

    /// The set of `byte` alone.
    static func single(_ byte: UInt8) -> Words {
        byte < 0x80 ? singleBytes[Int(byte)] : [[byte]]
    }

    /// What is known of a part of a pattern.
    struct Info {
        /// Every string the part can match, when there are few (lowercased).
        var exact: Words?
        /// Strings one of which every match of the part holds.
        var required: Words?
        /// For a positive lookbehind, the strings it can see when there are few: the
        /// text just before the place holds one of them, so they join what follows
        /// in the pattern (`(?<=in )19\d\d` needs "in 19" in the sentence).
        var behind: Words? = nil
        /// Strings one of which every match of the part starts with, when not
        /// `exact` itself (see `starts`).
        var leading: Words? = nil

        /// Strings one of which every match starts with: the exact strings when none
        /// of them is empty (the longest such), else `leading`.
        var starts: Words? {
            if let exact, !exact.contains([]) { return exact }
            return leading
        }

        /// Matches the empty string only: an assertion, an anchor, a lookbehind.
        var isZeroWidth: Bool { exact.map { $0.count == 1 && $0[0].isEmpty } ?? false }

        /// Matches the empty string only (an assertion, an anchor, a comment).
        static let empty = Info(exact: emptyString, required: nil)
        /// Matches something not known.
        static let unknown = Info(exact: nil, required: nil)
        /// Never matches ((*FAIL)).
        static let never = Info(exact: [], required: nil)
    }

    /// Words in nearly every English sentence: a requirement made of one of them
    /// saves nothing, so any other is preferred (it is still kept when it is all
    /// there is, since it is still true).
    static let common: [[UInt8]] = [
        "the", "and", "with", "will", "for", "that", "from", "have", "has", "was", "were", "are", "said", "this",
        "which", "would", "been", "its", "not", "but", "they", "their", "also", "after", "set",
    ].map { Array($0.utf8) }

    /// `common` by length: index 3, 4 and 5 hold the words of that length.
    static let commonByLength: [[[UInt8]]] = (0...5).map { length in common.filter { $0.count == length } }

    /// Whether `word` is one of `common` (all of three to five letters).
    static func isCommon(_ word: [UInt8]) -> Bool {
        guard word.count >= 3, word.count <= 5 else { return false }
        return commonByLength[word.count].contains(word)
    }

    /// The more selective of two requirements that both hold: the one whose
    /// shortest word is longest (a common word counting as shorter than any other
    /// of three letters or more), then the one with fewer words, then the first. A
    /// set holding the empty string requires nothing.
    static func best(_ first: Words?, _ second: Words?) -> Words? {
        var choice = Choice()
        choice.consider(first)
        choice.consider(second)
        return choice.words
    }

    /// `best` worked out as the candidates come, without a list of them: the first
    /// of the most selective so far.
    struct Choice {
        private(set) var words: Words?
        private var score = (shortest: -1, count: 0)

        mutating func consider(_ candidate: Words?) {
            guard let candidate else { return }
            var shortest = Int.max
            for word in candidate {
                // A set holding the empty string requires nothing.
                if word.isEmpty { return }
                // A common word scores 5, less than any other word it could be.
                shortest = min(shortest, 2 * word.count > 5 && isCommon(word) ? 5 : 2 * word.count)
            }
            if shortest > score.shortest || (shortest == score.shortest && candidate.count < score.count) {
                words = candidate
                score = (shortest, candidate.count)
            }
        }
    }

    /// Every string of `left` followed by every string of `right`; nil when there
    /// would be more than `maximumCount`.
    ///
    /// The empty string alone is the product's identity, and the commonest operand
    /// (a run starting afresh): that set is returned as it is, not built anew.
    static func product(_ left: Words, _ right: Words) -> Words? {
        if left.count == 1, left[0].isEmpty { return right.count <= maximumCount ? right : nil }
        if right.count == 1, right[0].isEmpty { return left.count <= maximumCount ? left : nil }
        if left.count == 1, right.count == 1 { return [left[0] + right[0]] }
        guard left.count * right.count <= maximumCount else { return nil }
        var result = Words()
        result.reserveCapacity(left.count * right.count)
        for a in left {
            for b in right {
                // Two pairs can make the same string ("a"+"bc", "ab"+"c").
                let joined = a + b
                if !result.contains(joined) { result.append(joined) }
            }
        }
        return result
    }

    /// A recursive-descent reader of PCRE2 syntax that keeps only what the analysis
    /// needs. `failed` gives up on the whole pattern (extended mode, `\Q`, `(*ACCEPT)`).
    struct Parser {
        let bytes: [UInt8]
        var index = 0
        var failed = false

        init(bytes: [UInt8]) { self.bytes = bytes }

        private var atEnd: Bool { index >= bytes.count }
        private func peek(_ offset: Int = 0) -> UInt8? {
            index + offset < bytes.count ? bytes[index + offset] : nil
        }

        /// Branches separated by `|`: one branch is itself; several match what any
        /// of them does.
        mutating func alternation() -> Info {
            let first = sequence()
            guard !failed, peek() == UInt8(ascii: "|") else { return first }
            var exact: Words? = Words()
            var required: Words? = Words()
            var leading: Words? = Words()
            var branch = first
            while true {
                if let l = branch.starts, let sum = leading { leading = RequiredWords.union(sum, l) } else { leading = nil }
                if let l = leading, l.count > maximumCount { leading = nil }
                // A union only grows: one over `maximumCount` is dropped at once,
                // which also keeps each `union` short.
                if let e = branch.exact, let sum = exact { exact = RequiredWords.union(sum, e) } else { exact = nil }
                if let e = exact, e.count > maximumCount { exact = nil }
                if let r = best(branch.required, branch.exact), let sum = required {
                    required = RequiredWords.union(sum, r)
                } else {
                    required = nil
                }
                if let r = required, r.count > maximumCount { required = nil }
                guard !failed, peek() == UInt8(ascii: "|") else { break }
                index += 1
                branch = sequence()
            }
            return Info(exact: exact, required: required, leading: leading)
        }

        mutating func sequence() -> Info {
            var candidates = RequiredWords.Choice()
            // The exact strings of the run of exact items read so far.
            var run = RequiredWords.emptyString
            var whole: Words? = RequiredWords.emptyString
            // What the first item that is not zero-width starts with.
            var leading: Words?
            var leadingKnown = false
            while !failed {
                skipIgnored()
                guard !failed, let byte = peek(), byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") else { break }
                let item = plainRun() ?? quantified(atom())
                if !leadingKnown && !item.isZeroWidth {
                    leading = item.starts
                    leadingKnown = true
                }
                candidates.consider(item.required)
                if let behind = item.behind {
                    // What the lookbehind sees ends where the run does: it starts a
                    // run of its own, which the items after it continue. The match
                    // itself (`whole`) does not hold it.
                    candidates.consider(run)
                    run = behind
                    continue
                }
                if let exact = item.exact, let joined = Self.product(run, exact) {
                    run = joined
                } else {
                    candidates.consider(run)
                    run = item.exact ?? RequiredWords.emptyString
                    candidates.consider(item.exact)
                }
                if let current = whole, let exact = item.exact { whole = Self.product(current, exact) } else { whole = nil }
            }
            candidates.consider(run)
            return Info(exact: whole, required: candidates.words, leading: leading)
        }

        private static func product(_ left: Words, _ right: Words) -> Words? { RequiredWords.product(left, right) }

        /// Two or more plain characters in a row that no quantifier follows, read as
        /// one string (patterns are mostly words: this saves a set per character).
        private mutating func plainRun() -> Info? {
            func isPlain(_ byte: UInt8) -> Bool {
                switch byte {
                case 0x80..., UInt8(ascii: "\\"), UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "|"),
                     UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"),
                     UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"):
                    return false
                default:
                    return true
                }
            }
            var end = index
            while end < bytes.count, isPlain(bytes[end]) { end += 1 }
            // The last character belongs to a quantifier that follows it (perhaps
            // after a `\E` or a comment, which the regular path skips).
            if end < bytes.count {
                switch bytes[end] {
                case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: "\\"), UInt8(ascii: "("):
                    end -= 1
                default:
                    break
                }
            }
            guard end - index >= 2 else { return nil }
            let run = bytes[index..<end].map(Self.lower)
            index = end
            return Info(exact: [run], required: nil)
        }

        /// Skips what PCRE2 ignores between an atom and its quantifier: `\E` and
        /// `(?#...)` comments.
        private mutating func skipIgnored() {
            while !failed {
                if peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "E") {
                    index += 2
                } else if peek() == UInt8(ascii: "("), peek(1) == UInt8(ascii: "?"), peek(2) == UInt8(ascii: "#") {
                    guard let close = find(UInt8(ascii: ")"), from: index) else { return }
                    index = close + 1
                } else {
                    return
                }
            }
        }

        /// Reads a quantifier after `atom`, if there is one.
        private mutating func quantified(_ atom: Info) -> Info {
            skipIgnored()
            guard let byte = peek() else { return atom }
            var minimum = 1
            var maximum: Int? = 1
            switch byte {
            case UInt8(ascii: "*"): minimum = 0; maximum = nil; index += 1
            case UInt8(ascii: "+"): minimum = 1; maximum = nil; index += 1
            case UInt8(ascii: "?"): minimum = 0; maximum = 1; index += 1
            case UInt8(ascii: "{"):
                switch braceQuantifier() {
                case .literal: return atom
                case .ambiguous:
                    // Either the atom repeated or literal braces: nothing is known.
                    return .unknown
                case .bounds(let low, let high): (minimum, maximum) = (low, high)
                }
            default: return atom
            }
            // Lazy or possessive.
            if peek() == UInt8(ascii: "?") || peek() == UInt8(ascii: "+") { index += 1 }
            if minimum == 0 {
                if maximum == 1, let exact = atom.exact, exact.count < maximumCount {
                    return Info(exact: RequiredWords.union(exact, RequiredWords.emptyString), required: nil)
                }
                return .unknown
            }
            let required = RequiredWords.best(atom.required, atom.exact)
            return Info(exact: maximum == 1 ? atom.exact : nil, required: required, leading: atom.starts)
        }

        enum Brace { case literal, ambiguous, bounds(Int, Int?) }

        /// What the `{` at `index` opens: `{n}`, `{n,}` or `{n,m}` (consumed), a
        /// literal brace (nothing consumed), or a form PCRE2 versions read
        /// differently, `{,m}` or one with spaces (consumed).
        private mutating func braceQuantifier() -> Brace {
            var cursor = index + 1
            var spaces = false
            func skipSpaces() {
                while cursor < bytes.count, bytes[cursor] == 0x20 {
                    spaces = true
                    cursor += 1
                }
            }
            func number() -> Int? {
                var value: Int?
                while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39 {
                    value = min((value ?? 0) * 10 + Int(bytes[cursor] - 0x30), 1_000_000)
                    cursor += 1
                }
                return value
            }
            skipSpaces()
            let low = number()
            skipSpaces()
            var high = low
            var comma = false
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ",") {
                comma = true
                cursor += 1
                skipSpaces()
                high = number()
                skipSpaces()
            }
            guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "}"), low != nil || (comma && high != nil) else {
                return .literal
            }
            index = cursor + 1
            guard let low, !spaces else { return .ambiguous }
            return .bounds(low, comma ? high : low)
        }

        private mutating func atom() -> Info {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "("): return group()
            case UInt8(ascii: "["): return characterClass()
            case UInt8(ascii: "\\"): return escape()
            case UInt8(ascii: "."): index += 1; return .unknown
            case UInt8(ascii: "^"), UInt8(ascii: "$"): index += 1; return .empty
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                failed = true
                return .unknown
            case UInt8(ascii: "{"):
                if case .literal = braceQuantifier() {
                    index += 1
                    return Info(exact: RequiredWords.single(byte), required: nil)
                }
                // A quantifier with nothing to repeat, or braces read two ways.
                return .unknown
            case 0x80...:
                // A non-ASCII character: words are ASCII, so it breaks a word.
                index += 1
                while let next = peek(), next & 0xC0 == 0x80 { index += 1 }
                return .unknown
            default:
                index += 1
                return Info(exact: RequiredWords.single(Self.lower(byte)), required: nil)
            }
        }

        static func lower(_ byte: UInt8) -> UInt8 {
            byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
        }

        /// The value of a hex digit, nil for any other byte.
        static func hexValue(_ byte: UInt8) -> Int? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
            default: return nil
            }
        }

        private mutating func escape() -> Info {
            index += 1
            guard let byte = peek() else {
                failed = true
                return .unknown
            }
            index += 1
            switch byte {
            case UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "A"), UInt8(ascii: "z"), UInt8(ascii: "Z"),
                 UInt8(ascii: "G"), UInt8(ascii: "K"), UInt8(ascii: "E"):
                return .empty
            case UInt8(ascii: "Q"):
                failed = true
                return .unknown
            case UInt8(ascii: "x"):
                // \xhh or \x{h...}: a literal when ASCII.
                var value = 0
                if peek() == UInt8(ascii: "{") {
                    guard let close = find(UInt8(ascii: "}"), from: index) else { return .unknown }
                    let digits = bytes[(index + 1)..<close]
                    index = close + 1
                    // Hex digits, spaces anywhere among them; a sign or anything
                    // else is not a character this reader knows.
                    var any = false
                    for byte in digits where byte != 0x20 {
                        guard let digit = Self.hexValue(byte) else { return .unknown }
                        value = min(value * 16 + digit, 0x11_0000)
                        any = true
                    }
                    guard any else { return .unknown }
                } else {
                    var count = 0
                    while count < 2, let next = peek(), let digit = Self.hexValue(next) {
                        value = value * 16 + digit
                        index += 1
                        count += 1
                    }
                }
                guard value < 0x80 else { return .unknown }
                return Info(exact: RequiredWords.single(Self.lower(UInt8(value))), required: nil)
            case UInt8(ascii: "p"), UInt8(ascii: "P"), UInt8(ascii: "g"), UInt8(ascii: "k"), UInt8(ascii: "o"),
                 UInt8(ascii: "N"):
                // A property, back reference, octal or named character: skip its
                // argument; what it matches is not known.
                if let open = peek(), open == UInt8(ascii: "{") || open == UInt8(ascii: "<") || open == UInt8(ascii: "'") {
                    let closer: UInt8 = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : open == UInt8(ascii: "<") ? UInt8(ascii: ">") : UInt8(ascii: "'")
                    guard let close = find(closer, from: index + 1) else { return .unknown }
                    index = close + 1
                } else if byte == UInt8(ascii: "p") || byte == UInt8(ascii: "P") {
                    // \pL: a one-letter property.
                    if peek() != nil { index += 1 }
                } else if byte == UInt8(ascii: "g") {
                    // \g1, \g-1, \g+1
                    if peek() == UInt8(ascii: "-") || peek() == UInt8(ascii: "+") { index += 1 }
                    while let next = peek(), next >= 0x30, next <= 0x39 { index += 1 }
                } else if byte != UInt8(ascii: "N") {
                    failed = true
                }
                return .unknown
            case UInt8(ascii: "c"):
                if peek() != nil { index += 1 }
                return .unknown
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // A back reference or an octal escape.
                while let next = peek(), next >= 0x30, next <= 0x39 { index += 1 }
                return .unknown
            case UInt8(ascii: "n"): return Info(exact: RequiredWords.single(0x0A), required: nil)
            case UInt8(ascii: "t"): return Info(exact: RequiredWords.single(0x09), required: nil)
            case UInt8(ascii: "r"): return Info(exact: RequiredWords.single(0x0D), required: nil)
            case UInt8(ascii: "f"): return Info(exact: RequiredWords.single(0x0C), required: nil)
            case UInt8(ascii: "e"): return Info(exact: RequiredWords.single(0x1B), required: nil)
            case UInt8(ascii: "a"): return Info(exact: RequiredWords.single(0x07), required: nil)
            case 0x80...:
                while let next = peek(), next & 0xC0 == 0x80 { index += 1 }
                return .unknown
            default:
                // \d \w \s \h \v \R \X \C and the like are classes; an escaped
                // punctuation character is itself.
                let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                return isAlphanumeric ? .unknown : Info(exact: RequiredWords.single(Self.lower(byte)), required: nil)
            }
        }

        /// `[...]`: a class of a few plain ASCII characters ([Ss], [89]) is their
        /// set; anything else (ranges, escapes, negation) matches something unknown.
        private mutating func characterClass() -> Info {
            index += 1
            var negated = false
            var simple = true
            // The lowercased bytes of the class, as bits: only a class of up to
            // four is kept.
            var members = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            if peek() == UInt8(ascii: "^") {
                negated = true
                index += 1
            }
            var first = true
            while let byte = peek() {
                if byte == UInt8(ascii: "]") && !first { break }
                first = false
                if byte == UInt8(ascii: "\\") {
                    simple = false
                    guard let escaped = peek(1), escaped != UInt8(ascii: "Q") else {
                        // \Q...\E quotes even a ]: not followed here.
                        failed = true
                        return .unknown
                    }
                    index += 2
                    // Only these escapes take a braced argument.
                    if "xpPNo".utf8.contains(escaped), peek() == UInt8(ascii: "{"),
                       let close = bytes[index...].firstIndex(of: UInt8(ascii: "}"))
                    {
                        index = close + 1
                    }
                    continue
                }
                if byte == UInt8(ascii: "["), peek(1) == UInt8(ascii: ":"),
                   let close = bytes[index...].firstIndex(of: UInt8(ascii: "]"))
                {
                    simple = false
                    index = close + 1
                    continue
                }
                if byte == UInt8(ascii: "-") || byte >= 0x80 { simple = false }
                let member = Self.lower(byte)
                switch member >> 6 {
                case 0: members.0 |= 1 << (member & 63)
                case 1: members.1 |= 1 << (member & 63)
                case 2: members.2 |= 1 << (member & 63)
                default: members.3 |= 1 << (member & 63)
                }
                index += 1
            }
            guard peek() == UInt8(ascii: "]") else {
                failed = true
                return .unknown
            }
            index += 1
            let count = members.0.nonzeroBitCount + members.1.nonzeroBitCount + members.2.nonzeroBitCount + members.3.nonzeroBitCount
            guard simple, !negated, count > 0, count <= 4 else { return .unknown }
            var exact = Words()
            for (base, bits) in [(0, members.0), (64, members.1), (128, members.2), (192, members.3)] {
                var rest = bits
                while rest != 0 {
                    exact.append([UInt8(base + rest.trailingZeroBitCount)])
                    rest &= rest - 1
                }
            }
            return Info(exact: count == 1 ? RequiredWords.single(exact[0][0]) : exact, required: nil)
        }

        private mutating func group() -> Info {
            index += 1
            // (*VERB) and (*VERB:NAME)
            if peek() == UInt8(ascii: "*") {
                guard let close = find(UInt8(ascii: ")"), from: index) else { return .unknown }
                let verb = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                index = close + 1
                let name = verb.split(separator: ":", maxSplits: 1).first.map(String.init) ?? verb
                switch name {
                case "FAIL", "F": return .never
                case "ACCEPT":
                    failed = true
                    return .unknown
                case "COMMIT", "PRUNE", "SKIP", "THEN", "MARK", "", "UTF", "UCP", "NO_AUTO_POSSESS",
                     "NO_START_OPT", "NO_DOTSTAR_ANCHOR", "NO_JIT", "NOTEMPTY", "NOTEMPTY_ATSTART":
                    return .empty
                default:
                    // (*positive_lookahead: ...) and other long forms.
                    failed = true
                    return .unknown
                }
            }
            var kind = Kind.capture
            var lookbehind = false
            if peek() == UInt8(ascii: "?") {
                index += 1
                guard let next = peek() else {
                    failed = true
                    return .unknown
                }
                switch next {
                case UInt8(ascii: ":"), UInt8(ascii: "|"), UInt8(ascii: ">"):
                    index += 1
                case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "*"):
                    index += 1
                    kind = .assertion
                case UInt8(ascii: "<"):
                    if peek(1) == UInt8(ascii: "=") || peek(1) == UInt8(ascii: "!") || peek(1) == UInt8(ascii: "*") {
                        lookbehind = peek(1) == UInt8(ascii: "=")
                        index += 2
                        kind = .assertion
                    } else {
                        skipName(to: UInt8(ascii: ">"))
                    }
                case UInt8(ascii: "'"):
                    index += 1
                    skipName(to: UInt8(ascii: "'"))
                case UInt8(ascii: "P"):
                    if peek(1) == UInt8(ascii: "<") {
                        index += 1
                        skipName(to: UInt8(ascii: ">"))
                    } else {
                        // (?P=name) and (?P>name): a back reference or a call.
                        return skipGroup()
                    }
                case UInt8(ascii: "#"):
                    guard let close = find(UInt8(ascii: ")"), from: index) else { return .unknown }
                    index = close + 1
                    return .empty
                case UInt8(ascii: "("), UInt8(ascii: "R"), UInt8(ascii: "&"), UInt8(ascii: "C"),
                     UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    // Conditions, recursion, subroutine calls, callouts.
                    return skipGroup()
                case UInt8(ascii: "-") where peek(1).map({ $0 >= 0x30 && $0 <= 0x39 }) ?? false:
                    return skipGroup()
                default:
                    // Option settings: (?i) (?i: ...) (?-i) (?^).
                    var cursor = index
                    while cursor < bytes.count, bytes[cursor] != UInt8(ascii: ")"), bytes[cursor] != UInt8(ascii: ":") {
                        // Extended mode changes what white space and # mean.
                        if bytes[cursor] == UInt8(ascii: "x") { failed = true }
                        cursor += 1
                    }
                    guard cursor < bytes.count else {
                        failed = true
                        return .unknown
                    }
                    index = cursor + 1
                    if bytes[cursor] == UInt8(ascii: ")") { return .empty }
                }
            }
            let inner = alternation()
            guard peek() == UInt8(ascii: ")") else {
                failed = true
                return .unknown
            }
            index += 1
            if lookbehind {
                // Zero-width, but the subject holds what it saw, and that ends here.
                return Info(exact: RequiredWords.emptyString, required: inner.required, behind: inner.exact)
            }
            return kind == .assertion ? .empty : inner
        }

        private enum Kind { case capture, assertion }

        /// Where the next `closer` at or after `start` is; when there is none, the
        /// pattern is not one this reader follows (`failed`).
        private mutating func find(_ closer: UInt8, from start: Int) -> Int? {
            guard start <= bytes.count, let close = bytes[start...].firstIndex(of: closer) else {
                failed = true
                return nil
            }
            return close
        }

        private mutating func skipName(to closer: UInt8) {
            guard let close = find(closer, from: index) else { return }
            index = close + 1
        }

        /// Skips a group whose match is not known, nested parentheses and all.
        private mutating func skipGroup() -> Info {
            var depth = 1
            var inClass = false
            while let byte = peek() {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if inClass {
                    if byte == UInt8(ascii: "]") { inClass = false }
                } else if byte == UInt8(ascii: "[") {
                    inClass = true
                    if peek() == UInt8(ascii: "^") { index += 1 }
                    if peek() == UInt8(ascii: "]") { index += 1 }
                } else if byte == UInt8(ascii: "(") {
                    depth += 1
                } else if byte == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { return .unknown }
                }
            }
            failed = true
            return .unknown
        }
    }
}

