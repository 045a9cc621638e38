#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of one `SentenceSplitter.split` call: a single forward pass over bytes.
///
/// The text is cut into paragraphs first (a blank line, or a line break followed by an
/// indented line, as in hard-wrapped wire copy, always ends a sentence). Inside a
/// paragraph a single line break is white space, unless no line of the paragraph ends
/// with final punctuation (a list of lines), the next line starts with a bullet, or the
/// line before it is a headline that begins a sentence. Then the scanner stops at each
/// `.`, `?`, `!`, `…` or CJK full stop, reads the whole cluster of marks and the closing
/// quotes and brackets after it (they belong to the sentence), and decides from the next
/// word and the word before. Numbered and lettered inline lists (`1) ... 2) ...`) are
/// found by a first pass that keeps only markers with a consecutive neighbour.
///
/// Every look-around is bounded or cached, so the whole split stays linear.
struct SentenceScanner {
    /// The text, apart so that asking about its bytes never copies the scanner.
    private let text: SentenceBytes
    private let rules: SentenceRules
    /// How far back the word before a period is read: no listed entry is longer.
    private let wordLimit: Int

    /// The sentences found so far.
    private(set) var sentences: [Range<Int>] = []
    /// Where the current sentence began (possibly on white space, trimmed on emit).
    private var sentenceStart = 0
    /// `sentenceStart` for which `cachedContentStart` was computed.
    private var contentKey = -1
    private var cachedContentStart = 0
    /// Starts of list markers that begin a new sentence, ascending.
    private var markers: [Int] = []
    private var markerIndex = 0
    /// The last token checked for being an address, so long tokens are read once.
    private var addressToken = 0..<0
    private var addressTokenIsAddress = false

    private static let title = SentenceRules.Kind.title.flag
    private static let mayEnd =
        SentenceRules.Kind.abbreviation.flag | SentenceRules.Kind.month.flag | SentenceRules.Kind.number.flag
    private static let starter = SentenceRules.Kind.starter.flag
    private static let preposition = SentenceRules.Kind.preposition.flag
    private static let minor = SentenceRules.Kind.minor.flag

    /// The longest sentence-so-far that can still be an introductory phrase ("At 5 a.m.").
    private static let introMaxBytes = 64
    private static let introMaxWords = 4
    /// A line this long followed by another is taken for wrapped prose, not a list item.
    private static let listLineMaxBytes = 40
    /// Lines longer than this are never headlines.
    private static let headlineMaxBytes = 200
    /// List markers further apart than this are not one list.
    private static let markerMaxGap = 1000
    /// Room for a sentence per this many bytes is made at the start: news averages
    /// one per 108 bytes, so most documents never grow the array (growing it from
    /// empty took four or five allocations and copies for a 750-byte document).
    private static let bytesPerSentenceReserved = 64

    init(_ base: UnsafePointer<UInt8>, count: Int, rules: SentenceRules) {
        self.text = SentenceBytes(base, count: count)
        self.rules = rules
        self.wordLimit = max(rules.maxEntryLength, 16)
    }

    private var base: UnsafePointer<UInt8> { text.base }
    private var count: Int { text.count }

    /// Splits the whole text into `sentences`.
    ///
    /// A paragraph's end is found when the scan reaches it: the scan stops at every
    /// line break anyway, and a separate pass over the lines (a `memchr` per line) cost
    /// more than the rest of the line handling. The looks ahead that must not run into
    /// the next paragraph stop at a line break that ends one (`endsParagraph`).
    ///
    /// - Complexity: O(n) in the length of the text.
    mutating func run() {
        sentences.reserveCapacity(min(count / Self.bytesPerSentenceReserved, 4096) + 4)
        markers = Self.findListMarkers(in: text)
        var index = 0
        var lineStart = 0
        var paragraphStart = 0
        // Whether the current paragraph is a list of lines, once known.
        var isList: Bool? = nil
        while true {
            while markerIndex < markers.count && markers[markerIndex] < index { markerIndex += 1 }
            let limit = markerIndex < markers.count ? markers[markerIndex] : count
            index = text.nextStop(from: index, limit: limit)
            if index >= limit {
                if limit == count { break }
                emit(at: limit)
                markerIndex += 1
                continue
            }
            switch base[index] {
            case 0x0A:
                if text.endsParagraph(index) {
                    emit(at: index)
                    paragraphStart = index + 1
                    isList = nil
                } else {
                    // Any line but the last that is long or ends a sentence says the
                    // paragraph is prose; only a paragraph that opens with short open
                    // lines is read to its end.
                    if isList == nil && (index - lineStart >= Self.listLineMaxBytes
                        || text.lineEndsWithTerminal(lineStart, index))
                    {
                        isList = false
                    }
                    let list = isList ?? Self.paragraphIsList(in: text, from: paragraphStart)
                    isList = list
                    // A line that opens with a small letter continues the sentence: it
                    // has no bullet, and no headline ends right before one (`isHeadline`).
                    // The text goes on after a line break that does not end a paragraph.
                    let continues = SentenceBytes.isASCIILower(base[index + 1])
                    if list || (!continues && (text.startsWithBullet(index + 1) || isHeadline(lineStart, index))) {
                        emit(at: index)
                    }
                }
                index += 1
                lineStart = index
            case 0x2E, 0x3F, 0x21:
                index = terminal(at: index, limit: limit)
            default:
                index = text.terminalLength(at: index) > 0 ? terminal(at: index, limit: limit) : index + 1
            }
        }
        emit(at: count)
    }

    // MARK: Paragraphs and lines

    /// Whether the paragraph starting at `start` is a list of lines: none ends with
    /// final punctuation and all but the last are short, so they are not prose wrapped
    /// at a fixed width.
    ///
    /// Static, like `findListMarkers`, because `run` is `mutating`: a call from there
    /// to a method of `self` copies the whole scanner first (see `SentenceBytes`).
    private static func paragraphIsList(in text: SentenceBytes, from start: Int) -> Bool {
        var lineStart = start
        while true {
            let end = text.next(0x0A, from: lineStart)
            if text.lineEndsWithTerminal(lineStart, end) { return false }
            if end >= text.count { return true }
            // Only the text's last line may be long: a paragraph's last line counts.
            if end - lineStart >= Self.listLineMaxBytes { return false }
            if text.endsParagraph(end) { return true }
            lineStart = end + 1
        }
    }

    /// Whether the sentence so far, ending with the line `start..<end`, reads like a
    /// headline or a byline: all capitals, or title case right before a dateline.
    ///
    /// Title case alone is not enough: in hard-wrapped wire copy a first line such as
    /// "Standard Oil Co and BP North America" continues on the next line.
    private mutating func isHeadline(_ start: Int, _ end: Int) -> Bool {
        // The next line first: in wrapped prose it most often opens with a small
        // letter, and that one byte decides (each test here only says no, so their
        // order does not change the answer). The line break at `end` does not end
        // the paragraph, so the text goes on after it.
        // Bounded, so that a run of white-space-only lines is not read once per line.
        let lookahead = min(count, end + Self.headlineMaxBytes)
        let next = text.skipWhiteSpaceInParagraph(from: end + 1, limit: lookahead)
        if next < lookahead && text.letterCase(at: next) == .lower { return false }
        let first = contentStart(upTo: end)
        guard first < end, end - first <= Self.headlineMaxBytes, !text.lineEndsWithTerminal(start, end) else {
            return false
        }
        // A line with a small letter can only be a title-case headline before a
        // dateline: without one, the first small letter decides (most lines of
        // wrapped prose are read no further than their first word). Every byte of a
        // word is asked for its case; white space is never a letter.
        var upper = 0
        var lower = 0
        var capitalisedWords = 0
        var word = first
        var seenLetter = false
        var index = first
        while index < end {
            let space = text.whiteSpaceLength(at: index)
            if space > 0 {
                index += space
                word = index
                seenLetter = false
                continue
            }
            switch text.letterCase(at: index) {
            case .upper:
                upper += 1
                if !seenLetter { capitalisedWords += 1 }
            case .lower:
                // Asked once: after a first small letter the answer stays yes.
                if lower == 0 && !text.isDateline(next, lookahead) { return false }
                if !seenLetter {
                    var wordEnd = index
                    while wordEnd < end, text.whiteSpaceLength(at: wordEnd) == 0 { wordEnd += 1 }
                    if !isMinor(word, wordEnd) { return false }
                }
                lower += 1
            case .digit, .other:
                index += 1
                continue
            }
            seenLetter = true
            index += 1
        }
        // An all-capitals line, or one with no letters at all (a page number, a
        // counter, a rule of dashes), stands alone.
        if lower == 0 { return upper >= 2 || upper == 0 }
        return capitalisedWords >= 2
    }

    /// Whether `start..<end`, stripped of punctuation around it, is a `[minor]` word.
    private func isMinor(_ start: Int, _ end: Int) -> Bool {
        var first = start
        while first < end && !SentenceBytes.isASCIILetter(base[first]) { first += 1 }
        var last = first
        while last < end && SentenceBytes.isASCIILetter(base[last]) { last += 1 }
        return rules.flags(base + first, count: last - first) & Self.minor != 0
    }

    // MARK: Final punctuation

    /// Handles the cluster of final punctuation starting at `start`, emitting a sentence
    /// when it ends one; returns where scanning resumes.
    private mutating func terminal(at start: Int, limit: Int) -> Int {
        var index = start
        var dots = 0
        var marks = 0
        var ellipses = 0
        var spaced = false
        var secondDotSpaced = false
        var fullStop = false
        while index < limit {
            let byte = base[index]
            if byte == 0x2E {
                dots += 1
                index += 1
            } else if byte == 0x3F || byte == 0x21 {
                marks += 1
                index += 1
            } else if byte == 0x20 && dots > 0 && index + 1 < limit && base[index + 1] == 0x2E {
                if dots == 1 && marks == 0 && ellipses == 0 { secondDotSpaced = true }
                spaced = true
                index += 1
            } else if text.terminalLength(at: index) == 3 {
                if base[index] == 0xE2 { ellipses += 1 } else { fullStop = true }
                index += 3
            } else {
                break
            }
        }
        let marksEnd = index
        while index < limit {
            let length = text.closerLength(at: index)
            if length == 0 { break }
            index += length
        }
        let end = index
        if fullStop {
            emit(at: end)
            return end
        }
        let glued = end < limit && text.whiteSpaceLength(at: end) == 0
        if glued {
            if dots == 1 && marks == 0 && ellipses == 0 && marksEnd == end { return gluedPeriod(at: start, limit: limit) }
            return end
        }
        let next = text.skipWhiteSpaceInParagraph(from: end, limit: limit)
        if next >= limit || base[next] == 0x0A {
            emit(at: end)
            return end
        }
        let word = text.skipOpeners(from: next, limit: limit)
        let nextCase = word < limit ? text.letterCase(at: word) : .other
        if marks > 0 {
            if nextCase != .lower { emit(at: end) }
            return end
        }
        if dots == 1 && ellipses == 0 {
            if periodEndsSentence(at: start, next: word, nextCase: nextCase, limit: limit) { emit(at: end) }
            return end
        }
        // An ellipsis: `[...]` marks an omission, never an end.
        if start > 0 && (base[start - 1] == 0x5B || base[start - 1] == 0x28) { return end }
        if nextCase == .lower { return end }
        if dots + 3 * ellipses >= 4 {
            // "word. . . . Next": the period ends the sentence, the ellipsis opens the next.
            if spaced && secondDotSpaced && start > 0 && text.whiteSpaceLength(before: start) == 0 {
                emit(at: start + 1)
                return start + 1
            }
            emit(at: end)
            return end
        }
        // Three spaced dots mark an omission inside a sentence; "..." before a starter ends one.
        if !spaced && startsSentence(at: word, limit: limit) { emit(at: end) }
        return end
    }

    /// A period with a letter or digit right after it: a decimal, an address, an
    /// abbreviation like `U.S.-based`, or two sentences with the space missing.
    private mutating func gluedPeriod(at index: Int, limit: Int) -> Int {
        let resume = index + 1
        guard index > sentenceStart, index + 2 < limit else { return resume }
        let before = base[index - 1]
        guard SentenceBytes.isASCIILower(before) || SentenceBytes.isDigit(before),
            SentenceBytes.isASCIIUpper(base[index + 1]), SentenceBytes.isASCIILower(base[index + 2]),
            !isInAddress(index)
        else { return resume }
        emit(at: resume)
        return resume
    }

    /// Whether the token around `index` is an e-mail address, a URL or a path.
    private mutating func isInAddress(_ index: Int) -> Bool {
        if addressToken.contains(index) { return addressTokenIsAddress }
        var start = index
        while start > 0 && text.whiteSpaceLength(before: start) == 0 { start -= 1 }
        var end = index
        var address = false
        while end < count && text.whiteSpaceLength(at: end) == 0 {
            if base[end] == 0x40 || base[end] == 0x2F { address = true }
            end += 1
        }
        if end - start >= 4 && base[start] == 0x77 && base[start + 1] == 0x77 && base[start + 2] == 0x77
            && base[start + 3] == 0x2E
        {
            address = true
        }
        addressToken = start..<end
        addressTokenIsAddress = address
        return address
    }

    /// Whether a lone period at `index`, followed by white space and the word at `next`,
    /// ends the sentence.
    private mutating func periodEndsSentence(at index: Int, next: Int, nextCase: SentenceBytes.LetterCase, limit: Int) -> Bool {
        if nextCase == .lower { return false }
        var wordStart = index
        while wordStart > sentenceStart && index - wordStart <= wordLimit
            && text.whiteSpaceLength(before: wordStart) == 0 && text.openerLength(before: wordStart) == 0
        {
            wordStart -= 1
        }
        if index - wordStart > wordLimit { return true }
        // Rules and markup glued before a word ("******U.S.", "<BP.") are not part of it.
        while wordStart < index && base[wordStart] < 0x80 && !SentenceBytes.isASCIILetter(base[wordStart])
            && !SentenceBytes.isDigit(base[wordStart]) && base[wordStart] != 0x2E
        {
            wordStart += 1
        }
        let length = index - wordStart
        if length == 0 { return true }
        let flags = rules.flags(base + wordStart, count: length + 1)
        if flags & Self.title != 0 { return false }
        if isListMarker(wordStart, index) { return false }
        let letter = length == 1 && SentenceBytes.isASCIILetter(base[wordStart])
        if nextCase == .digit { return flags & Self.mayEnd == 0 && !letter }
        if flags & Self.mayEnd != 0 || letter || text.isLetterDots(wordStart, index) {
            return startsSentence(at: next, limit: limit) && !isIntroductoryPhrase(before: index)
        }
        return true
    }

    /// Whether `start..<end` is a list marker (`1`, `12`, `a`) opening the sentence,
    /// maybe after a bullet.
    private mutating func isListMarker(_ word: Int, _ end: Int) -> Bool {
        let glued = text.bulletLength(at: word)
        let start = glued > 0 && word + glued < end ? word + glued : word
        let length = end - start
        let digits = (1...2).contains(length) && (start..<end).allSatisfy { SentenceBytes.isDigit(base[$0]) }
        guard digits || (length == 1 && SentenceBytes.isASCIILower(base[start])) else { return false }
        var first = contentStart(upTo: end)
        if first == start { return true }
        let bullet = text.bulletLength(at: first)
        guard bullet > 0 else { return false }
        first += bullet
        while first < start, text.whiteSpaceLength(at: first) > 0 { first += text.whiteSpaceLength(at: first) }
        return first == start
    }

    /// Whether the word at `start` commonly opens a sentence: a `[starter]` or a `[title]`.
    private func startsSentence(at start: Int, limit: Int) -> Bool {
        var end = start
        while end < limit && end - start <= wordLimit {
            let byte = base[end]
            if SentenceBytes.isASCIILetter(byte) {
                end += 1
            } else if byte >= 0xC0, let scalar = text.scalar(at: end), scalar.properties.isAlphabetic {
                end += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            } else {
                break
            }
        }
        guard end > start, end - start <= wordLimit else { return false }
        if rules.flags(base + start, count: end - start) & Self.starter != 0 { return true }
        return end < limit && base[end] == 0x2E
            && rules.flags(base + start, count: end - start + 1) & Self.title != 0
    }

    /// Whether the sentence so far, up to the period at `end`, is only a short phrase
    /// opened by a `[preposition]` ("At 5 a.m."), which no abbreviation ends.
    private mutating func isIntroductoryPhrase(before end: Int) -> Bool {
        var start = contentStart(upTo: end)
        while start < end, text.openerLength(at: start) > 0 { start += text.openerLength(at: start) }
        guard start < end, end - start <= Self.introMaxBytes else { return false }
        var wordEnd = start
        while wordEnd < end && SentenceBytes.isASCIILetter(base[wordEnd]) { wordEnd += 1 }
        guard rules.flags(base + start, count: wordEnd - start) & Self.preposition != 0 else { return false }
        var words = 1
        var index = wordEnd
        while index < end {
            if text.whiteSpaceLength(at: index) > 0 && text.whiteSpaceLength(at: index + 1) == 0 { words += 1 }
            index += 1
        }
        return words <= Self.introMaxWords
    }

    // MARK: Emitting

    /// Ends the current sentence at `end`, trimmed; an empty one is dropped.
    private mutating func emit(at end: Int) {
        guard end > sentenceStart else { return }
        var start = contentStart(upTo: end)
        var last = end
        if start < last {
            while last > start {
                let length = text.whiteSpaceLength(before: last)
                if length == 0 { break }
                last -= length
            }
        } else {
            start = last
        }
        if start < last { sentences.append(start..<last) }
        sentenceStart = end
    }

    /// The first byte of the current sentence that is not white space, or `limit` when
    /// there is none before it.
    ///
    /// The scan is remembered and resumed, so leading white space is read once per
    /// sentence however often this is asked.
    private mutating func contentStart(upTo limit: Int) -> Int {
        if contentKey != sentenceStart {
            contentKey = sentenceStart
            cachedContentStart = sentenceStart
        }
        while cachedContentStart < limit {
            let length = text.whiteSpaceLength(at: cachedContentStart)
            if length == 0 { break }
            cachedContentStart += length
        }
        return min(cachedContentStart, limit)
    }

    // MARK: List markers

    /// Starts of the markers of inline lists (`1.`, `2.)`, `3)`, `a.`, `• 9.`) that have a
    /// neighbour with the next or previous number or letter in the same style.
    ///
    /// - Complexity: O(n) in the length of the text.
    private static func findListMarkers(in text: SentenceBytes) -> [Int] {
        let base = text.base
        let count = text.count
        /// A number or letter before a delimiter, and whether a neighbour confirmed it.
        struct Candidate {
            let start: Int
            let value: Int
            var confirmed = false
        }
        // One array and a table on the stack: this runs for every document, where
        // four growing arrays, a table on the heap and two filtered copies were
        // allocated each time.
        var candidates: [Candidate] = []
        var lastInGroup = InlineArray<6, Int>(repeating: -1)
        // The next `.` and the next `)`, each found by its own search.
        var dot = text.next(0x2E, from: 0)
        var bracket = text.next(0x29, from: 0)
        while true {
            let delimiter = min(dot, bracket)
            guard delimiter < count else { break }
            if delimiter == dot {
                dot = text.next(0x2E, from: delimiter + 1)
            } else {
                bracket = text.next(0x29, from: delimiter + 1)
            }
            let byte = base[delimiter]
            var style = 0
            var end = delimiter + 1
            if byte == 0x2E {
                if end < count && base[end] == 0x29 {
                    style = 1
                    end += 1
                }
            } else {
                if delimiter > 0 && base[delimiter - 1] == 0x2E { continue }
                style = 2
            }
            guard end < count, text.whiteSpaceLength(at: end) > 0 else { continue }
            var first = delimiter
            while first > 0 && delimiter - first < 3 && SentenceBytes.isDigit(base[first - 1]) { first -= 1 }
            var value = 0
            var kind = 0
            if (1...2).contains(delimiter - first) && (first == 0 || !SentenceBytes.isDigit(base[first - 1])) {
                for index in first..<delimiter { value = value * 10 + Int(base[index] - 0x30) }
            } else if delimiter == first && delimiter > 0 && SentenceBytes.isASCIILower(base[delimiter - 1]) {
                first = delimiter - 1
                value = Int(base[first] - 0x61)
                kind = 1
            } else {
                continue
            }
            guard let start = text.markerStart(first) else { continue }
            let group = kind * 3 + style
            var candidate = Candidate(start: start, value: value)
            let previous = lastInGroup[group]
            if previous >= 0 && candidates[previous].value + 1 == value
                && start - candidates[previous].start <= Self.markerMaxGap
            {
                candidates[previous].confirmed = true
                candidate.confirmed = true
            }
            lastInGroup[group] = candidates.count
            candidates.append(candidate)
        }
        return candidates.compactMap { $0.confirmed ? $0.start : nil }
    }
}
