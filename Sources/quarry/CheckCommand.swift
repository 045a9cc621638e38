import ArgumentParser
import Quarry

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a rule pack; print every problem compiler-style.")

    @OptionGroup var pack: PackOptions

    @Argument(help: "The rule pack folder (same as --rules).")
    var folder: String?

    func run() throws {
        var options = pack
        if let folder { options.rules = folder }
        let loaded = try options.load()
        let gazetteerNames = loaded.phases.flatMap(\.gazetteers).map(\.entries.count).reduce(0, +)
        let entityRules = loaded.phases.flatMap(\.rules).count
        let warnings = loaded.warnings.count
        Console.error(
            "quarry: rule pack '\(options.rules)' is valid: \(loaded.phases.count) phases, \(gazetteerNames) gazetteer names, "
                + "\(entityRules) entity rules, \(loaded.relationRules.count) relation rules, "
                + "\(warnings) warning\(warnings == 1 ? "" : "s")")
    }
}
