import ArgumentParser
import Foundation
import Quarry

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show sentences, mentions, the token string and which relation rules matched: why a rule did or did not fire.")

    @OptionGroup var pack: PackOptions

    @Argument(help: "The text to explain (or use --file).")
    var text: String?

    @Option(name: .long, help: "Explain a file's text instead.")
    var file: String?

    @Option(name: .long, help: "Only this sentence (0-based index).")
    var sentence: Int?

    @Option(name: .long, help: "Only this relation rule.")
    var rule: String?

    func validate() throws {
        guard (text == nil) != (file == nil) else { throw ValidationError("give a TEXT or --file PATH (one of them)") }
    }

    func run() throws {
        let loaded = try pack.load(showWarnings: false)
        let document: Document
        if let file {
            var found: Document?
            let reader = CorpusReader(paths: [file]) { Console.error($0.description) }
            found = reader.next()
            guard let found else { throw ExitCode(1) }
            document = found
        } else {
            document = Document(name: "<text>", text: text ?? "")
        }
        if let rule, !loaded.relationRules.contains(where: { $0.id == rule }) {
            Console.error("quarry: no relation rule '\(rule)' in '\(pack.rules)'")
            throw ExitCode(2)
        }
        let explanation = Explainer(pack: loaded).explain(document, sentence: sentence, rule: rule)
        Console.out(explanation)
    }
}
