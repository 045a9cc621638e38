/// A problem found in a rule pack or an input, with the place it was found.
///
/// Printed the way compilers print: `path:line:col: error: message`, then the
/// offending source line and a caret under the column.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is: an error stops the run, a warning does not.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file as the user named it (relative paths stay relative).
    public var file: String
    /// 1-based line; 0 when the problem belongs to the whole file.
    public var line: Int
    /// 1-based column in Unicode scalars; 0 when unknown.
    public var column: Int
    /// Lowercase message that quotes the offending value.
    public var message: String
    /// The source line the problem is on, shown under the message with a caret.
    public var sourceLine: String?

    public init(
        _ severity: Severity, file: String, line: Int, column: Int, message: String,
        sourceLine: String? = nil
    ) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:col: severity: message`, without the source line.
    public var headline: String {
        var place = file
        if line > 0 {
            place += ":\(line)"
            if column > 0 { place += ":\(column)" }
        }
        return "\(place): \(severity.rawValue): \(message)"
    }

    /// The headline, and when known the source line with a caret under the column.
    public var description: String {
        guard let sourceLine, column > 0 else { return headline }
        let pad = sourceLine.unicodeScalars.prefix(column - 1).map { $0 == "\t" ? "\t" : " " }.joined()
        return headline + "\n" + sourceLine + "\n" + pad + "^"
    }
}
