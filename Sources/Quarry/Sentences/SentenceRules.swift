/// Interim stand-in until the data-driven splitter lands: no rules.
public struct SentenceRules: Sendable {
    public static func parse(files: [(path: String, text: String)]) -> (SentenceRules, [Diagnostic]) {
        (SentenceRules(), [])
    }

    public static let empty = SentenceRules()
}
