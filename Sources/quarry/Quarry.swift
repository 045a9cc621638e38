import ArgumentParser
import Foundation
import Quarry

@main
struct QuarryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "Rule-based fact extraction from news: sentences, entities, relations, as NDJSON.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, CheckCommand.self, TestCommand.self, ExplainCommand.self, SplitCommand.self,
            SchemaCommand.self, BenchStageCommand.self,
        ])

    /// Parses and runs; usage errors exit 2 (not ArgumentParser's 64), as the design says.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                QuarryCommand.exit(withError: error)
            }
            Console.error(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

/// Options every command that loads a rule pack shares.
struct PackOptions: ParsableArguments {
    @Option(name: .long, help: "The rule pack folder.")
    var rules: String = "rules"

    /// Loads the pack, printing every problem; exits 2 when it has errors. Its
    /// files are parsed and its patterns compiled on `jobs` threads.
    func load(showWarnings: Bool = true, jobs: Int = Cores.available) throws -> RulePack {
        do {
            let pack = try RulePack.load(directory: rules, jobs: jobs)
            if showWarnings { pack.warnings.forEach { Console.error($0.description) } }
            return pack
        } catch {
            error.diagnostics.forEach { Console.error($0.description) }
            let errors = error.diagnostics.filter { $0.severity == .error }.count
            Console.error("quarry: rule pack '\(rules)' has \(errors) error\(errors == 1 ? "" : "s"); nothing processed")
            throw ExitCode(2)
        }
    }
}

/// Writing to stderr and stdout without Foundation's buffering surprises.
enum Console {
    static func error(_ text: String) {
        send(text + "\n", to: 2)
    }

    static func out(_ text: String) {
        send(text + "\n", to: 1)
    }

    /// Writes `text` to `descriptor` with `write(2)`. A reader that went away
    /// (`quarry run … 2>&1 | head`) or any other failure drops the rest of the
    /// text, nothing more: `FileHandle.write` stopped the process with a trap
    /// there, and left the run's temporary output files behind.
    static func send(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
