/// A fixture text with its expected spans marked in place: `"«France» and «Japan»"`
/// is the text `"France and Japan"` with two spans.
///
/// The markers are stripped; each span is kept as UTF-8 byte offsets (what PCRE2 and
/// the library work in) and as Unicode scalar offsets (what records carry).
struct MarkedText {
    static let open: Character = "«"
    static let close: Character = "»"

    let text: String
    /// Each marked span, in the order its opening marker appears, as UTF-8 byte ranges.
    let byteRanges: [Range<Int>]
    /// The same spans as Unicode scalar ranges.
    let scalarRanges: [Range<Int>]

    init(_ marked: String) {
        var text = ""
        var bytes: [Range<Int>] = []
        var scalars: [Range<Int>] = []
        var openBytes: [(index: Int, byte: Int, scalar: Int)] = []
        var byteCount = 0
        var scalarCount = 0
        for character in marked {
            if character == Self.open {
                openBytes.append((bytes.count, byteCount, scalarCount))
                bytes.append(0..<0)
                scalars.append(0..<0)
            } else if character == Self.close {
                let start = openBytes.removeLast()
                bytes[start.index] = start.byte..<byteCount
                scalars[start.index] = start.scalar..<scalarCount
            } else {
                text.append(character)
                byteCount += String(character).utf8.count
                scalarCount += character.unicodeScalars.count
            }
        }
        precondition(openBytes.isEmpty, "unbalanced markers in \(marked)")
        self.text = text
        byteRanges = bytes
        scalarRanges = scalars
    }

    var bytes: [UInt8] { Array(text.utf8) }

    /// The text of marked span `index`.
    func span(_ index: Int) -> String {
        String(decoding: Array(text.utf8)[byteRanges[index]], as: UTF8.self)
    }

    /// The text of every marked span.
    var spans: [String] { byteRanges.indices.map(span) }
}

/// The text of a UTF-8 byte range of `text`.
func slice(_ text: String, bytes range: Range<Int>) -> String {
    String(decoding: Array(text.utf8)[range], as: UTF8.self)
}

/// The text of a Unicode scalar range of `text` (Python's `text[start:end]`).
func slice(_ text: String, scalars range: Range<Int>) -> String {
    var result = String.UnicodeScalarView()
    result.append(contentsOf: Array(text.unicodeScalars)[range])
    return String(result)
}
