import Yams

/// A YAML file of the rule pack, parsed with the places of its nodes, so that every
/// problem can be reported as `file:line:col`.
struct YAMLDocument {
    let file: String
    /// The file's text: a diagnostic quotes its line (see `sourceLine`).
    let text: String
    let root: Node?

    /// The resolver the pack's files are read with: only booleans are resolved, as
    /// Yams's default resolver tries seven regular expressions on every plain
    /// scalar it hashes. Only mapping keys are hashed (Yams checks them for
    /// duplicates), and a key's tag decides whether two keys of the same text are
    /// the same key; values keep their unresolved tags, which `Node.bool` reads.
    private static let resolver = Resolver.basic.appending(.bool)

    /// The words the `.bool` rule of `resolver` matches, the only keys it gives
    /// another tag than a resolver without rules.
    private static let boolWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ]

    /// Parses `text`; a syntax error becomes a diagnostic at the place libyaml names.
    ///
    /// The file is read first without any resolver rule: a rule is an
    /// `NSRegularExpression`, and setting up the first one and matching every key
    /// took a twentieth of the start-up. That reading is the one `resolver` gives
    /// unless a key is a boolean word or not a scalar (a key such as `yes`, or a
    /// mapping as a key, whose hash reads the scalars in it): then, and on any
    /// error, the file is read again with `resolver`, so the nodes and every error
    /// are what they were.
    ///
    /// The encoding is given: Yams's default reads the whole environment on every
    /// call to look for `YAMS_DEFAULT_ENCODING` (and prints to stdout when it is set).
    static func parse(_ text: String, file: String) -> (YAMLDocument?, Diagnostic?) {
        if let root = try? Yams.compose(yaml: text, .basic, .default, .utf8), Self.hasPlainKeys(root) {
            return (YAMLDocument(file: file, text: text, root: root), nil)
        }
        do {
            let root = try Yams.compose(yaml: text, Self.resolver, .default, .utf8)
            return (YAMLDocument(file: file, text: text, root: root), nil)
        } catch let error as YamlError {
            var line = 0
            var column = 0
            var message = "invalid YAML"
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                 .composer(let context, let problem, let mark, _):
                line = mark.line
                column = mark.column
                message = "invalid YAML: " + problem + (context.map { " " + $0.text } ?? "")
            case .reader(let problem, _, _, _):
                message = "invalid YAML: " + problem
            default:
                message = "invalid YAML: \(error)"
            }
            let source = sourceLine(line, of: text)
            return (nil, Diagnostic(.error, file: file, line: line, column: column, message: message, sourceLine: source))
        } catch {
            return (nil, Diagnostic(.error, file: file, line: 0, column: 0, message: "invalid YAML: \(error)"))
        }
    }

    /// Whether every key of every mapping in `node` is a scalar that is not a
    /// boolean word: keys that any resolver with only the `.bool` rule reads alike.
    static func hasPlainKeys(_ node: Node) -> Bool {
        switch node {
        case .mapping(let mapping):
            // By index, as in `member`.
            for index in mapping.indices {
                let (key, value) = mapping[index]
                guard case .scalar(let scalar) = key, !boolWords.contains(scalar.string), hasPlainKeys(value) else { return false }
            }
            return true
        case .sequence(let sequence):
            return sequence.allSatisfy(hasPlainKeys)
        case .scalar, .alias:
            return true
        }
    }

    /// A diagnostic at `node` (or the file when the node has no place).
    func diagnostic(_ severity: Diagnostic.Severity, _ message: String, at node: Node?, columnOffset: Int = 0,
                    lineOffset: Int = 0) -> Diagnostic
    {
        guard let mark = node?.mark else {
            return Diagnostic(severity, file: file, line: 0, column: 0, message: message)
        }
        let line = mark.line + lineOffset
        let column = lineOffset > 0 ? 1 + columnOffset : mark.column + columnOffset
        let source = Self.sourceLine(line, of: text)
        return Diagnostic(severity, file: file, line: line, column: column, message: message, sourceLine: source)
    }

    /// The place, within the file, of scalar offset `offset` into the value of `node`.
    ///
    /// Quoted and plain one-line scalars map exactly (a doubled quote counts as two
    /// source characters); a block scalar maps to its line, at the first column of
    /// its text.
    func place(of offset: Int, in node: Node) -> (lineOffset: Int, columnOffset: Int) {
        guard case .scalar(let scalar) = node else { return (0, 0) }
        let value = Array(scalar.string.unicodeScalars)
        let prefix = value.prefix(offset)
        switch scalar.style {
        case .singleQuoted:
            let quotes = prefix.filter { $0 == "'" }.count
            return (0, 1 + prefix.count + quotes)
        case .doubleQuoted:
            let escapes = prefix.filter { $0 == "\\" || $0 == "\"" }.count
            return (0, 1 + prefix.count + escapes)
        case .literal, .folded:
            let newlines = prefix.filter { $0 == "\n" }.count
            let lineStart = prefix.lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let indent = mark(of: node).map { max(0, $0.column - 1) } ?? 0
            return (1 + newlines, indent + 2 + (prefix.count - lineStart) - 1)
        default:
            return (0, prefix.count)
        }
    }

    private func mark(of node: Node) -> Mark? { node.mark }

    /// Line `number` (1-based) of `text` without its line end, nil when there is
    /// no such line.
    ///
    /// Lines end as YAML ends them, at LF, CR LF or a lone CR (a CR LF file's
    /// lines are those of its LF twin). Only a diagnostic needs a line, so the text
    /// is not cut into lines up front (a split by `Character` walked grapheme
    /// clusters, took a twentieth of the start-up, and saw one line in a CR LF
    /// file, since CR LF is one character: its diagnostics quoted nothing).
    static func sourceLine(_ number: Int, of text: String) -> String? {
        guard number > 0 else { return nil }
        let utf8 = text.utf8
        var line = 1
        var lineStart = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = utf8.index(after: index)
                continue
            }
            if line == number { return String(text[lineStart..<index]) }
            var next = utf8.index(after: index)
            if byte == 0x0D, next < utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
            line += 1
            lineStart = next
            index = next
        }
        return line == number ? String(text[lineStart...]) : nil
    }
}

extension Node {
    /// The mapping's value for `key`, with the key node (for places).
    ///
    /// The pairs are read by index: a `for` loop over a `Node.Mapping` copies all
    /// its pairs into a new array first (its `makeIterator`), and the loader looks
    /// up a few members of every rule.
    func member(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        for index in mapping.indices where mapping[index].key.keyString == key { return mapping[index].value }
        return nil
    }

    /// The keys of a mapping with their nodes, in order.
    var members: [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let mapping) = self else { return [] }
        return mapping.map { ($0.key.keyString ?? "", $0.key, $0.value) }
    }

    /// `string` of a mapping key: a scalar's text is read as it is (Yams's
    /// `string` first looks in a mapping for a `=` key, a generic walk that was
    /// 40% of `member`); any other node goes that way.
    var keyString: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return string
    }

    /// The elements of a sequence.
    var elements: [Node] {
        guard case .sequence(let sequence) = self else { return [] }
        return Array(sequence)
    }

    var isMapping: Bool { if case .mapping = self { return true } else { return false } }
    var isSequence: Bool { if case .sequence = self { return true } else { return false } }
    var isScalar: Bool { if case .scalar = self { return true } else { return false } }
    var isNull: Bool { if case .scalar(let s) = self { return s.string == "" || s.string == "~" || s.string == "null" } else { return false } }
}
