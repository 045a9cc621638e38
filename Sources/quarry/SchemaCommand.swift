import ArgumentParser
import Quarry

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema (draft 2020-12) of a record kind.")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case fact, mention
    }

    @Argument(help: "The record kind: fact or mention.")
    var kind: Kind = .fact

    func run() {
        Console.out(kind == .fact ? RecordSchema.fact : RecordSchema.mention)
    }
}
