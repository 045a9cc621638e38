/// What the sentence splitter knows about English: abbreviations and word lists.
///
/// The knowledge comes from the plain-text files of `rules/sentences/`, so a user
/// teaches the splitter a new abbreviation by adding a line, not by changing Swift.
/// A file is a sequence of sections; a `[kind]` line opens a section and every other
/// line of it is one entry (`#` starts a comment, blank lines are ignored):
///
/// - `[title]`: abbreviations that never end a sentence (`Mr.`, `Gen.`, `St.`).
/// - `[abbreviation]`: abbreviations that may end a sentence (`Inc.`, `a.m.`, `U.S.`);
///   one ends a sentence only when the next word is capitalised and is a `[starter]`
///   or a `[title]`.
/// - `[month]` and `[number]`: like `[abbreviation]`, but never end a sentence before
///   a number (`Feb. 26`, `No. 5`, `pp. 10-12`).
/// - `[starter]`: capitalised words that commonly open a sentence (`The`, `He`).
/// - `[preposition]`: words that open an introductory phrase; a sentence so far that
///   is only such a short phrase ("At 5 a.m.") does not end at an abbreviation.
/// - `[minor]`: words a title-case headline leaves in lower case (`of`, `and`).
///
/// An entry matches as written and in capitals; every kind but `[title]` also
/// matches in lower case, and word kinds also match capitalised.
public struct SentenceRules: Sendable {
    /// The kinds of entries a rule file can list, named as in its `[kind]` headers.
    enum Kind: String, CaseIterable, Sendable {
        case title, abbreviation, month, number, starter, preposition, minor

        /// The bit this kind sets in a `ByteTable` entry.
        var flag: UInt8 { 1 << UInt8(Kind.allCases.firstIndex(of: self) ?? 0) }

        /// Abbreviation kinds list words with their final period; word kinds do not.
        var isAbbreviation: Bool {
            switch self {
            case .title, .abbreviation, .month, .number: true
            case .starter, .preposition, .minor: false
            }
        }
    }

    /// Every entry of every kind; abbreviations keep their final period as a key.
    let table: ByteTable

    /// Built-in empty rules (no abbreviations); used only by tests and as a fallback.
    public static let empty = SentenceRules(table: ByteTable())

    /// Parses the rule files; returns the rules and the problems found (file:line:col).
    ///
    /// Every problem of every file is reported, not only the first; an entry with an
    /// error is left out and the rest still load.
    public static func parse(files: [(path: String, text: String)]) -> (SentenceRules, [Diagnostic]) {
        var table = ByteTable()
        var diagnostics: [Diagnostic] = []
        var firstSeen: [String: String] = [:]
        for file in files {
            var kind: Kind?
            // Lines are cut at the byte: as characters, "\r\n" is one, and a file with
            // CRLF line ends was one long line (a comment, when it began with one).
            for (lineIndex, rawLine) in file.text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
                .enumerated()
            {
                let line = String(decoding: rawLine.last == 0x0D ? rawLine.dropLast() : rawLine, as: UTF8.self)
                let scalars = Array(line.unicodeScalars)
                let lineNumber = lineIndex + 1
                func report(_ severity: Diagnostic.Severity, _ column: Int, _ message: String) {
                    diagnostics.append(
                        Diagnostic(
                            severity, file: file.path, line: lineNumber, column: column + 1,
                            message: message, sourceLine: line))
                }
                guard let (start, end) = content(of: scalars) else { continue }
                let text = Self.string(scalars[start..<end])
                if scalars[start] == "[" {
                    guard scalars[end - 1] == "]" else {
                        report(.error, start, "section header \"\(text)\" has no closing \"]\"")
                        continue
                    }
                    let (nameStart, nameEnd) = trimmed(scalars, start + 1, end - 1)
                    let name = Self.string(scalars[nameStart..<nameEnd])
                    guard let parsed = Kind(rawValue: name) else {
                        let names = Kind.allCases.map(\.rawValue).joined(separator: ", ")
                        report(.error, start + 1, "unknown kind \"\(name)\"; expected one of \(names)")
                        kind = nil
                        continue
                    }
                    kind = parsed
                    continue
                }
                guard let kind else {
                    report(.error, start, "entry \"\(text)\" comes before any [kind] header")
                    continue
                }
                if let space = scalars[start..<end].firstIndex(where: { $0.properties.isWhitespace }) {
                    report(.error, space, "entry \"\(text)\" contains white space; write one entry a line")
                    continue
                }
                if kind.isAbbreviation, scalars[end - 1] != "." {
                    report(.error, end - 1, "\(kind.rawValue) \"\(text)\" must end with \".\"")
                    continue
                }
                if !kind.isAbbreviation, let dot = scalars[start..<end].firstIndex(of: ".") {
                    report(.error, dot, "\(kind.rawValue) \"\(text)\" is a word and must not contain \".\"")
                    continue
                }
                let place = "\(file.path):\(lineNumber)"
                let key = "\(kind.rawValue) \(text)"
                if let first = firstSeen[key] {
                    report(.warning, start, "duplicate \(kind.rawValue) \"\(text)\" (first listed at \(first))")
                    continue
                }
                firstSeen[key] = place
                for variant in variants(of: Array(text.utf8), kind: kind) {
                    table.insert(variant, flags: kind.flag)
                }
            }
        }
        return (SentenceRules(table: table), diagnostics)
    }

    /// The text of `scalars` (from their UTF-8, not appended one by one).
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { bytes.append(contentsOf: UTF8.encode(scalar)!) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The scalar range of a line without its comment and surrounding white space.
    ///
    /// A `#` starts a comment at the start of the line or after white space, so an
    /// entry may still contain `#` (`No#`).
    private static func content(of scalars: [Unicode.Scalar]) -> (Int, Int)? {
        var end = scalars.count
        for index in scalars.indices where scalars[index] == "#" {
            if index == 0 || scalars[index - 1].properties.isWhitespace {
                end = index
                break
            }
        }
        let (start, trimmedEnd) = trimmed(scalars, 0, end)
        return start < trimmedEnd ? (start, trimmedEnd) : nil
    }

    /// `start..<end` of `scalars` without white space at either end.
    private static func trimmed(_ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> (Int, Int) {
        var start = start
        var end = end
        while start < end, scalars[start].properties.isWhitespace { start += 1 }
        while end > start, scalars[end - 1].properties.isWhitespace { end -= 1 }
        return (start, end)
    }

    /// The spellings an entry matches: as written, in capitals, and, for every kind but
    /// titles, in lower case; words also capitalised.
    ///
    /// Only ASCII letters change case, so `N°.` keeps its degree sign.
    private static func variants(of bytes: [UInt8], kind: Kind) -> [[UInt8]] {
        let upper = bytes.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        let lower = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var result = [bytes, upper]
        if kind != .title { result.append(lower) }
        if !kind.isAbbreviation, let first = upper.first { result.append([first] + lower.dropFirst()) }
        return result
    }

    /// The flags of the byte string `base[0..<count]` (0 when it is not listed).
    ///
    /// - Complexity: O(`count`) expected.
    func flags(_ base: UnsafePointer<UInt8>, count: Int) -> UInt8 {
        table.flags(base, count: count)
    }

    /// The longest entry in bytes: no word longer than this needs a lookup.
    var maxEntryLength: Int { table.maxKeyLength }
}
