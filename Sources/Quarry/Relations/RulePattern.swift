/// A rule's pattern with its placeholders expanded and compiled: `{TYPE}`,
/// `{TYPE:slot}`, `{TYPE+:slot}` (a coordinated list), `{A|B:slot}` (either type),
/// `{macro}`, `{gap}` / `{gap:N}` / `{gap:M-N}` (a bounded run of words), and a space
/// for any run of white space. `\d` is an ASCII digit (`\p{Nd}` any decimal digit).
/// Everything else is PCRE2 syntax.
public struct RulePattern: Sendable {
    /// A placeholder that binds mentions.
    public struct Slot: Sendable, Hashable {
        public var name: String
        /// The types named in the placeholder; their subtypes match too.
        public var types: [String]
        /// Whether it binds a coordinated list.
        public var isList: Bool
        /// The capture group numbers standing for this slot (one per occurrence).
        public var groups: [Int]
    }

    /// Why a pattern could not be expanded, at which scalar offset of the source.
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
        public var offset: Int
        public var isWarning = false
    }

    public let source: String
    public let expanded: String
    public let pattern: Pattern
    public let slots: [Slot]
    /// Named groups the user wrote, with their numbers.
    public let userGroups: [String: Int]
    /// For each top-level alternative of the pattern, the placeholders it cannot
    /// skip, as the types each accepts: a sentence can match only if, for some
    /// alternative, it has a mention for each of them.
    public let requiredBranches: [[[String]]]
    /// The placeholders every match needs (for reports): those of the only
    /// alternative; empty when there are several.
    public var requiredTypes: [[String]] { requiredBranches.count == 1 ? requiredBranches[0] : [] }
    /// Every type any placeholder names.
    public let mentionedTypes: Set<String>
    /// Macros the expansion used (to warn of unused ones).
    public let usedMacros: Set<String>
    /// Words one of which every match holds (lowercase ASCII), nil when there are
    /// none worth looking for: the rule runs only on sentences holding one.
    public let requiredWords: [String]?
    /// Words one of which every match starts with (`RequiredWords.leading`), nil
    /// when that is not known.
    public let leadingWords: [String]?

    /// Expands and compiles `source`.
    ///
    /// - Throws: the problems found: unknown types or macros, bad placeholders, and
    ///   PCRE2's compile error mapped back to the offset in `source`.
    public init(
        _ source: String, macros: [String: String], codec: TokenCodec, caseless: Bool
    ) throws(Problem) {
        var expander = Expander(macros: macros, codec: codec, caseless: caseless)
        try expander.expand(source, depth: 0, sourceOffset: nil)
        self.source = source
        let output = expander.output
        expanded = output
        usedMacros = expander.usedMacros
        mentionedTypes = expander.mentionedTypes
        requiredBranches = expander.branches
        (requiredWords, leadingWords) = RequiredWords.analysis(of: output)
        let compiled: Pattern
        do {
            compiled = try Pattern(output, options: caseless ? [.caseless] : [])
        } catch {
            guard case .compile(_, let message, let offset) = error else { throw Problem(message: error.message, offset: 0) }
            throw Problem(message: message, offset: expander.sourceOffset(ofExpandedByte: offset))
        }
        pattern = compiled
        var slots: [String: Slot] = [:]
        var order: [String] = []
        var user: [String: Int] = [:]
        for (name, number) in compiled.groupNames {
            if let internalIndex = Expander.internalIndex(name) {
                let info = expander.slotGroups[internalIndex]
                if slots[info.name] == nil {
                    order.append(info.name)
                    slots[info.name] = Slot(name: info.name, types: info.types, isList: info.isList, groups: [])
                }
                slots[info.name]?.groups.append(number)
            } else {
                user[name] = number
            }
        }
        self.slots = order.compactMap { slots[$0] }
        userGroups = user
    }
}

/// Expands placeholders and macros, keeping a map from the expansion back to the
/// source so PCRE2's error offsets point at what the user wrote.
private struct Expander {
    let macros: [String: String]
    let codec: TokenCodec
    /// Whether the pattern is compiled caseless: its tokens are then set apart as
    /// case-sensitive (see `token(accepting:)`).
    let caseless: Bool
    /// The expansion so far, as UTF-8: most of it is copied from the source a
    /// scalar at a time, and appending a scalar to a `String` cost hundreds of
    /// instructions. It becomes a `String` once, at the end.
    var utf8: [UInt8] = []
    var output: String { String(decoding: utf8, as: UTF8.self) }
    var outputBytes: Int { utf8.count }
    /// (byte offset in output, scalar offset in source) at each source character.
    var map: [(output: Int, source: Int)] = []
    var slotGroups: [(name: String, types: [String], isList: Bool)] = []
    var usedMacros = Set<String>()
    var mentionedTypes = Set<String>()
    /// Required placeholders of each top-level alternative (see `requiredBranches`).
    var branches: [[[String]]] = [[]]
    /// The paren depth that counts as top level: 1 when one group wraps the whole
    /// pattern, so that its alternatives are the pattern's.
    private var topDepth = 0
    /// Scalars in the top-level source pattern.
    var sourceLength = 0
    private var stack: [String] = []

    init(macros: [String: String], codec: TokenCodec, caseless: Bool) {
        self.macros = macros
        self.codec = codec
        self.caseless = caseless
    }

    /// The pattern of one token of `types`, in a group of its own without the
    /// caseless option when the pattern has it.
    ///
    /// A token's classes are ranges of hundreds of private-use characters, and
    /// PCRE2 looks up the other case of each character of a caseless range when it
    /// compiles it: that was two thirds of compiling the default pack's patterns
    /// (22.7 M of 55.7 M instructions with the JIT). Private-use characters have no
    /// other case, so the token matches the same either way.
    private func token(accepting types: [String]) -> String {
        let token = codec.tokenPattern(accepting: types)
        return caseless ? "(?-i:" + token + ")" : token
    }

    static func internalIndex(_ name: String) -> Int? {
        guard name.hasPrefix("quarry_slot_") else { return nil }
        return Int(name.dropFirst("quarry_slot_".count))
    }

    func sourceOffset(ofExpandedByte byte: Int) -> Int {
        // PCRE2 reports "missing )" and the like at the end of the pattern.
        if byte >= outputBytes { return sourceLength }
        var best = 0
        for entry in map where entry.output <= byte { best = entry.source }
        return best
    }

    private mutating func emit(_ text: String, source: Int?) {
        if let source { map.append((outputBytes, source)) }
        utf8.append(contentsOf: text.utf8)
    }

    /// Emits source scalars as they are (a `String` made of each cost more than
    /// the copy).
    private mutating func emit(_ scalars: ArraySlice<Unicode.Scalar>, source: Int?) {
        if let source { map.append((outputBytes, source)) }
        Self.append(scalars, to: &utf8)
    }

    /// Appends the UTF-8 of `scalars` to `bytes`.
    private static func append(_ scalars: ArraySlice<Unicode.Scalar>, to bytes: inout [UInt8]) {
        for scalar in scalars {
            if scalar.isASCII {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
    }

    /// `scalars` as a string, made from their UTF-8 (a `String.UnicodeScalarView`
    /// appended a scalar at a time: some 10,000 instructions for a placeholder).
    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        append(scalars, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Expands `text`; `sourceOffset` is nil inside a macro (its errors point at the
    /// macro's use).
    mutating func expand(_ text: String, depth: Int, sourceOffset: Int?) throws(RulePattern.Problem) {
        let scalars = Array(text.unicodeScalars)
        if depth == 0 {
            sourceLength = scalars.count
            topDepth = Self.wrapsWhole(scalars) ? 1 : 0
        }
        var index = 0
        var inClass = false
        var parenDepth = 0
        var lastWasSpace = false
        func at(_ i: Int) -> Int { sourceOffset ?? i }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                let end = min(index + 2, scalars.count)
                var escapeEnd = end
                // \x{..}, \p{..}, \N{..}, \o{..}, \g{..}, \k{..} keep their braces.
                if end < scalars.count, scalars[end] == "{", "xpPNogk".unicodeScalars.contains(scalars[end - 1]),
                   let close = scalars[end...].firstIndex(of: "}")
                {
                    escapeEnd = close + 1
                }
                // \d is an ASCII digit: news digits are ASCII, and with UCP PCRE2's
                // \d is a property lookup that cannot use its start-byte table
                // (ten times slower). \p{Nd} still means any decimal digit.
                let letter = end - index == 2 ? scalars[index + 1] : nil
                if letter == "d" {
                    emit(inClass ? "0-9" : "[0-9]", source: at(end - 2))
                } else if letter == "D", !inClass {
                    emit("[^0-9]", source: at(end - 2))
                } else {
                    emit(scalars[index..<escapeEnd], source: at(end - 2))
                }
                index = escapeEnd
                lastWasSpace = false
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                emit(scalars[index...index], source: at(index))
                index += 1
                continue
            }
            switch scalar {
            case "[":
                inClass = true
                emit("[", source: at(index))
                // A leading ] or ^] is literal inside a class.
                if index + 1 < scalars.count, scalars[index + 1] == "^" {
                    emit("^", source: at(index + 1))
                    index += 1
                }
                if index + 1 < scalars.count, scalars[index + 1] == "]" {
                    emit("]", source: at(index + 1))
                    index += 1
                }
                index += 1
                lastWasSpace = false
                continue
            case " ", "\t", "\n":
                if !lastWasSpace { emit("\\s+", source: at(index)) }
                lastWasSpace = true
                index += 1
                continue
            case "(":
                parenDepth += 1
            case ")":
                parenDepth -= 1
            case "|":
                if parenDepth == topDepth && depth == 0 { branches.append([]) }
            case "{":
                if let close = scalars[index...].firstIndex(of: "}") {
                    let body = Self.string(scalars[(index + 1)..<close])
                    if try expandBrace(body, at: at(index), depth: depth) {
                        // A gap's words carry their trailing white space, so a space
                        // written after it is already matched.
                        if body == "gap" || body.hasPrefix("gap:") {
                            var after = close + 1
                            while after < scalars.count, scalars[after] == " " || scalars[after] == "\t" || scalars[after] == "\n" {
                                after += 1
                            }
                            index = after
                            lastWasSpace = true
                            continue
                        }
                        let next = close + 1 < scalars.count ? scalars[close + 1] : " "
                        let skippable = next == "?" || next == "*" || (next == "{" && close + 2 < scalars.count && scalars[close + 2] == "0")
                        if parenDepth == topDepth, depth == 0, !skippable, let last = lastPlaceholderTypes {
                            branches[branches.count - 1].append(last)
                        }
                        lastPlaceholderTypes = nil
                        index = close + 1
                        lastWasSpace = false
                        continue
                    }
                }
            default:
                break
            }
            lastWasSpace = false
            emit(scalars[index...index], source: at(index))
            index += 1
        }
        if depth == 0, parenDepth != 0 || inClass {
            // PCRE2 reports these itself, with its own message and offset.
            return
        }
    }

    private var lastPlaceholderTypes: [String]?

    /// Whether one group, opened by the first character, closes at the last.
    static func wrapsWhole(_ scalars: [Unicode.Scalar]) -> Bool {
        guard scalars.first == "(", scalars.last == ")" else { return false }
        var depth = 0
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
                if depth == 0 { return index == scalars.count - 1 }
            }
            index += 1
        }
        return false
    }

    /// Expands a `{...}` that is a placeholder, macro or gap; returns false for
    /// anything else (a PCRE2 quantifier such as `{2,3}`), which stays as it is.
    private mutating func expandBrace(_ body: String, at offset: Int, depth: Int) throws(RulePattern.Problem) -> Bool {
        if body.isEmpty || body.first!.isNumber || body.first == "," { return false }
        if body == "gap" || body.hasPrefix("gap:") {
            var low = 0
            var high = 5
            if body.hasPrefix("gap:") {
                let spec = body.dropFirst(4)
                let parts = spec.split(separator: "-", omittingEmptySubsequences: false)
                if parts.count == 1, let n = Int(parts[0]) {
                    high = n
                } else if parts.count == 2, let m = Int(parts[0]), let n = Int(parts[1]), m <= n {
                    low = m
                    high = n
                } else {
                    throw .init(message: "invalid gap '{\(body)}': write {gap}, {gap:N} or {gap:M-N}", offset: offset)
                }
            }
            emit("(?:[^\\s\\x{E000}-\\x{E3FF}]+\\s+){\(low),\(high)}", source: offset)
            return true
        }
        let firstScalar = body.unicodeScalars.first!
        if ("a"..."z").contains(firstScalar) || firstScalar == "_" {
            if let colon = body.firstIndex(of: ":"), macros[String(body[..<colon])] != nil {
                throw .init(message: "macro '{\(body[..<colon])}' cannot bind a slot: write the placeholder {TYPE:\(body[body.index(after: colon)...])} itself", offset: offset)
            }
            guard body.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
                return false
            }
            guard let macro = macros[body] else {
                throw .init(message: "unknown macro '{\(body)}'", offset: offset)
            }
            guard !stack.contains(body), depth < 16 else {
                throw .init(message: "macro '{\(body)}' refers to itself", offset: offset)
            }
            usedMacros.insert(body)
            stack.append(body)
            emit("(?:", source: offset)
            try expand(macro, depth: depth + 1, sourceOffset: offset)
            emit(")", source: nil)
            stack.removeLast()
            return true
        }
        guard ("A"..."Z").contains(firstScalar) else { return false }
        // {TYPE}, {TYPE:slot}, {TYPE+:slot}, {A|B:slot}
        var spec = Substring(body)
        var slot: String?
        if let colon = spec.firstIndex(of: ":") {
            slot = String(spec[spec.index(after: colon)...])
            spec = spec[..<colon]
        }
        var isList = false
        if spec.hasSuffix("+") {
            isList = true
            spec = spec.dropLast()
        }
        let types = spec.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        for type in types {
            guard !type.isEmpty, type.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
                throw .init(message: "invalid placeholder '{\(body)}': write {TYPE}, {TYPE:slot} or {TYPE+:slot}", offset: offset)
            }
            guard codec.types.contains(type) else {
                throw .init(message: "unknown type '\(type)' in placeholder '{\(body)}'", offset: offset)
            }
        }
        if let slot {
            guard let first = slot.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_",
                  slot.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }),
                  slot.count <= 24
            else {
                throw .init(message: "invalid slot name '\(slot)' in '{\(body)}': letters, digits and _ only", offset: offset)
            }
        }
        mentionedTypes.formUnion(types)
        if depth == 0 { lastPlaceholderTypes = types }
        let token = token(accepting: types)
        let body = isList
            ? "(?:both\\s+)?\(token)(?:(?:\\s*,\\s*(?:the\\s+)?\(token))*\\s*,?\\s+(?:and|&)\\s+(?:the\\s+)?\(token))?"
            : token
        if let slot {
            emit("(?<quarry_slot_\(slotGroups.count)>\(body))", source: offset)
            slotGroups.append((slot, types, isList))
        } else {
            emit("(?:\(body))", source: offset)
        }
        return true
    }
}
