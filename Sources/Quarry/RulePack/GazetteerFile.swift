import Foundation

/// Reads a gazetteer TSV: a header `name<TAB>type<TAB>canonical<TAB>id<TAB>attrs`,
/// then one name a line; `#` lines and blank lines are skipped.
public enum GazetteerFile {
    /// The entries of `text`, and every problem found with its line and column.
    ///
    /// - Parameters:
    ///   - file: the path as the user named it, for diagnostics.
    ///   - source: the path the entries' mentions give as their rule's file.
    ///   - isKnownType: whether a type may be used (the pack's hierarchy).
    public static func parse(
        _ text: String, file: String, source: String? = nil, caseless: Bool, order: Int = 0,
        isKnownType: (String) -> Bool
    ) -> ([Gazetteer.Entry], [Diagnostic]) {
        // Lines and fields are cut on bytes with plain loops, and a field becomes a
        // String only when it is kept: splitting a String by Character walks
        // grapheme clusters, and a 50,000-name file is read in a blink this way.
        // The bytes are read through a pointer: each `Array` subscript was a
        // bounds check, and the loops run over every byte of every line.
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            parse(bytes, file: file, source: source, caseless: caseless, order: order, isKnownType: isKnownType)
        }
    }

    private static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, source: String?, caseless: Bool, order: Int,
        isKnownType: (String) -> Bool
    ) -> ([Gazetteer.Entry], [Diagnostic]) {
        var entries: [Gazetteer.Entry] = []
        var diagnostics: [Diagnostic] = []
        var sawHeader = false
        var seen: [NameKey: Int] = [:]
        /// Where the next `byte` is in `range`, its end when there is none.
        func next(_ byte: UInt8, in range: Range<Int>) -> Int {
            guard !range.isEmpty, let base = bytes.baseAddress,
                  let found = memchr(base + range.lowerBound, Int32(byte), range.count)
            else { return range.upperBound }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        func string(_ range: Range<Int>) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        // A name a line: room for them all at once, so that the duplicate check
        // never hashes its names again as it grows.
        var lineCount = 1
        var cursor = next(0x0A, in: 0..<bytes.count)
        while cursor < bytes.count {
            lineCount += 1
            cursor = next(0x0A, in: (cursor + 1)..<bytes.count)
        }
        entries.reserveCapacity(lineCount)
        seen.reserveCapacity(lineCount)
        let entryFile = source ?? file
        // Most lines of a file share their type: its check is remembered, with the
        // bytes it was made from.
        var lastType = ""
        var lastTypeRange = 0..<0
        var lastTypeIsKnown = false
        // Likewise their attributes (a name and its variants, one line each): a line
        // with the attribute bytes of the last valid one shares its dictionary
        // (building one took a sixth of reading a file).
        var lastAttrs: [String: String] = [:]
        var lastAttrsRange = 0..<0
        var tabs: [Int] = []
        var lineStart = 0
        var number = 0
        while lineStart < bytes.count {
            number += 1
            let lineEnd = next(0x0A, in: lineStart..<bytes.count)
            defer { lineStart = lineEnd + 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd == lineStart || bytes[lineStart] == UInt8(ascii: "#") { continue }
            tabs.removeAll(keepingCapacity: true)
            var tab = next(0x09, in: lineStart..<contentEnd)
            while tab < contentEnd {
                tabs.append(tab)
                tab = next(0x09, in: (tab + 1)..<contentEnd)
            }
            // The functions below read constants of the line: the variables
            // themselves, captured, were checked for exclusive access at every read.
            let (start, end, cuts) = (lineStart, contentEnd, tabs)
            let fieldCount = cuts.count + 1
            /// The byte range of field `index` (0-based, below `fieldCount`).
            func range(_ index: Int) -> Range<Int> {
                (index == 0 ? start : cuts[index - 1] + 1)..<(index == cuts.count ? end : cuts[index])
            }
            func field(_ index: Int) -> String { string(range(index)) }
            func problem(_ severity: Diagnostic.Severity, column: Int, _ message: String) {
                let line = string(start..<end)
                diagnostics.append(Diagnostic(severity, file: file, line: number, column: column, message: message, sourceLine: line))
            }
            /// Column (1-based, in scalars) where field `index` starts.
            func column(ofField index: Int) -> Int {
                (0..<index).map { field($0).unicodeScalars.count + 1 }.reduce(0, +) + 1
            }
            if !sawHeader {
                sawHeader = true
                if (0..<fieldCount).map(field) != ["name", "type", "canonical", "id", "attrs"] {
                    problem(.error, column: 1, "the header must be 'name<TAB>type<TAB>canonical<TAB>id<TAB>attrs'")
                    return ([], diagnostics)
                }
                continue
            }
            guard fieldCount == 5 else {
                let place = fieldCount > 5 ? column(ofField: 5) - 1 : string(lineStart..<contentEnd).unicodeScalars.count + 1
                problem(.error, column: place, "expected 5 tab-separated columns, found \(fieldCount)")
                continue
            }
            let name = trimmed(UnsafeBufferPointer(rebasing: bytes[range(0)]))
            guard !name.isEmpty else {
                problem(.error, column: 1, "empty name")
                continue
            }
            let typeRange = range(1)
            if typeRange.count != lastTypeRange.count
                || !zip(typeRange, lastTypeRange).allSatisfy({ bytes[$0] == bytes[$1] })
            {
                lastTypeRange = typeRange
                lastType = string(typeRange)
                lastTypeIsKnown = isKnownType(lastType)
            }
            guard lastTypeIsKnown else {
                problem(.error, column: column(ofField: 1), "unknown type '\(lastType)'")
                continue
            }
            let type = lastType
            let attrsRange = range(4)
            var attrs: [String: String]
            if !attrsRange.isEmpty, attrsRange.count == lastAttrsRange.count,
               memcmp(bytes.baseAddress! + attrsRange.lowerBound, bytes.baseAddress! + lastAttrsRange.lowerBound, attrsRange.count) == 0
            {
                attrs = lastAttrs
            } else {
                // `key=value` pairs split at ';', empty pairs skipped. The dictionary
                // is made with room for them all: grown a pair at a time, it was
                // rehashed.
                var pairs = attrsRange.isEmpty ? 0 : 1
                for position in attrsRange where bytes[position] == UInt8(ascii: ";") { pairs += 1 }
                attrs = pairs == 0 ? [:] : .init(minimumCapacity: pairs)
                var attrsOK = true
                var pairStart = attrsRange.lowerBound
                for position in attrsRange.lowerBound...attrsRange.upperBound
                    where position == attrsRange.upperBound || bytes[position] == UInt8(ascii: ";")
                {
                    defer { pairStart = position + 1 }
                    guard position > pairStart else { continue }
                    let equals = next(UInt8(ascii: "="), in: pairStart..<position)
                    guard equals != position, equals != pairStart else {
                        problem(.error, column: column(ofField: 4), "attribute '\(string(pairStart..<position))' is not key=value")
                        attrsOK = false
                        break
                    }
                    attrs[string(pairStart..<equals)] = string((equals + 1)..<position)
                }
                guard attrsOK else { continue }
                lastAttrs = attrs
                lastAttrsRange = attrsRange
            }
            let key = NameKey(name: caseless ? String(decoding: name.utf8.map(Gazetteer.fold), as: UTF8.self) : name, type: type)
            // One hash for a new name, as nearly all are; a duplicate puts the first
            // line back.
            if let previous = seen.updateValue(number, forKey: key) {
                seen[key] = previous
                problem(.warning, column: 1, "duplicate name '\(name)' of type \(type) (first on line \(previous))")
                continue
            }
            // A canonical name spelled as the name is the name's string, not a copy.
            let canonicalRange = range(2)
            let canonical = canonicalRange.isEmpty || name.utf8.elementsEqual(UnsafeBufferPointer(rebasing: bytes[canonicalRange]))
                ? name : field(2)
            let entity = Entity(type: type, canonical: canonical, id: range(3).isEmpty ? nil : field(3), attrs: attrs)
            entries.append(Gazetteer.Entry(name: name, entity: entity, standsFor: nil, file: entryFile, line: number, order: order))
        }
        if !sawHeader {
            diagnostics.append(Diagnostic(.error, file: file, line: 0, column: 0, message: "empty gazetteer: no header line"))
        }
        return (entries, diagnostics)
    }

    /// A name with its type, as the duplicate check compares them (a pair, not a
    /// string joined for each line).
    struct NameKey: Hashable {
        var name: String
        var type: String
    }

    /// The name in `field` without the spaces and tabs around it (Unicode space
    /// separators too); a field that starts and ends with a visible ASCII byte, as
    /// nearly all do, is taken as it is.
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> String {
        guard let first = field.first, let last = field.last else { return "" }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return String(decoding: field, as: UTF8.self) }
        return trimmed(String(decoding: field, as: UTF8.self))
    }

    /// `field` without the spaces and tabs around it (Unicode space separators too).
    static func trimmed(_ field: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (!scalar.isASCII && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = field.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return field }
        return String(scalars[first...last])
    }

    /// Loads a gazetteer file on its own, any type allowed (benchmarks, tools).
    public static func load(path: String, caseless: Bool) throws(RulePackError) -> Gazetteer {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RulePackError(diagnostics: [Diagnostic(.error, file: path, line: 0, column: 0, message: "cannot read gazetteer")])
        }
        let (entries, problems) = parse(String(decoding: data, as: UTF8.self), file: path, caseless: caseless) { _ in true }
        if problems.contains(where: { $0.severity == .error }) { throw RulePackError(diagnostics: problems) }
        return Gazetteer(file: path, entries: entries, caseless: caseless)
    }
}
