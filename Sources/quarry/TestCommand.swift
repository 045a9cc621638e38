import ArgumentParser
import Quarry

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run every rule's examples; print failures with expected and actual.")

    @OptionGroup var pack: PackOptions

    @Argument(help: "The rule pack folder (same as --rules).")
    var folder: String?

    @Option(name: .long, help: "Only rules whose id contains this text.")
    var filter: String?

    func run() throws {
        var options = pack
        if let folder { options.rules = folder }
        let loaded = try options.load(showWarnings: false)
        let report = RuleTester(pack: loaded).run(filter: filter)
        for failure in report.failures { Console.out(failure.description) }
        Console.out("\(report.passed) passed, \(report.failures.count) failed")
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}
