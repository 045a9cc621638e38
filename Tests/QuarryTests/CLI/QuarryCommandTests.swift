import Foundation
import Testing
@testable import Quarry

/// What one run of the built `quarry` binary did.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
}

enum QuarryBinary {
    /// The binary built beside these tests (same build folder, so never a stale one
    /// from another folder), else the default debug build.
    static let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("quarry").path,
        Repository.root + "/.build/debug/quarry",
    ]

    /// Runs `quarry arguments` from the repository root.
    static func run(_ arguments: [String]) throws -> CommandResult {
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("the quarry binary is not built: looked for \(candidates.joined(separator: ", ")); run `swift build` before `swift test`")
            throw CocoaError(.fileNoSuchFile)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Repository.root)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a full pipe cannot block it.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Whether `line` is the summary line of a run of `documents` documents.
func isSummary(_ line: String, documents: Int) -> Bool {
    line.range(of: #"^quarry: \#(documents) documents, \d+ sentences, \d+ mentions, \d+ facts in \d+\.\d\d s \(\d+\.\d MB/s\)"#,
               options: .regularExpression) != nil
}

/// stderr lines other than warnings (a warning is its headline, source line and caret).
func nonWarningLines(_ lines: [String]) -> [String] {
    var result: [String] = []
    var skip = 0
    for line in lines {
        if line.contains(": warning: ") { skip = 2; continue }
        if skip > 0, !line.hasPrefix("quarry: "), !line.contains(": error: ") { skip -= 1; continue }
        skip = 0
        result.append(line)
    }
    return result
}

@Suite struct QuarryCommandTests {
    @Test func runSeedsWritesOnlyJSONLinesAndOneSummary() throws {
        let result = try QuarryBinary.run(["run", "seeds/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdoutLines.isEmpty)
        for line in result.stdoutLines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["schema"] as? String == "quarry.fact/1", "not a fact line: \(line)")
            #expect((object?["doc"] as? String)?.hasPrefix("seeds/") == true)
        }
        #expect(result.stdout.hasSuffix("\n"))
        let other = nonWarningLines(result.stderrLines)
        #expect(other.count == 1, "\(result.stderr)")
        #expect(other.allSatisfy { isSummary($0, documents: 2) }, "\(result.stderr)")
        #expect(!result.stderr.contains(": error: "))
    }

    @Test func missingInputIsNamedAndExitsOne() throws {
        let result = try QuarryBinary.run(["run", "seeds/", "no-such-file.txt"])
        #expect(result.status == 1)
        #expect(result.stderrLines.contains("no-such-file.txt: warning: cannot read: no such file or directory"))
        #expect(result.stderrLines.last.map { isSummary($0, documents: 2) && $0.hasSuffix(", 1 input skipped") } == true, "\(result.stderr)")
        #expect(!result.stdoutLines.isEmpty)
    }

    @Test func brokenRulePackExitsTwoAndWritesNothing() throws {
        try withTemporaryDirectory { directory in
            var fixture = PackFixture.standard
            fixture.files["relations/rules.yaml"] = """
                relations:
                  - id: talks.discussed
                    relation: talks
                    pattern: '{COUNTRY+:parties} [z-a]'

                """
            try fixture.write(to: directory)
            let output = directory.path + "/out.jsonl"
            let result = try QuarryBinary.run(["run", "seeds/", "--rules", directory.path, "--output", output])
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == """
                \(directory.path)/relations/rules.yaml:4:37: error: range out of order in character class
                    pattern: '{COUNTRY+:parties} [z-a]'
                                                    ^
                quarry: rule pack '\(directory.path)' has 1 error; nothing processed

                """)
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["entities", "gazetteers", "pack.yaml", "relations"])
        }
    }

    @Test func outputFileGetsWhatStdoutWould() throws {
        try withTemporaryDirectory { directory in
            let output = directory.path + "/facts.jsonl"
            let toFile = try QuarryBinary.run(["run", "seeds/", "--output", output, "--jobs", "3"])
            #expect(toFile.status == 0)
            #expect(toFile.stdout.isEmpty)
            let toStdout = try QuarryBinary.run(["run", "seeds/", "--jobs", "1"])
            let written = try String(contentsOfFile: output, encoding: .utf8)
            #expect(written == toStdout.stdout)
            #expect(!written.isEmpty)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["facts.jsonl"])
        }
    }

    @Test func mentionsFileHoldsMentionRecords() throws {
        try withTemporaryDirectory { directory in
            let mentions = directory.path + "/mentions.jsonl"
            let result = try QuarryBinary.run(["run", "seeds/", "--mentions", mentions])
            #expect(result.status == 0)
            let lines = try String(contentsOfFile: mentions, encoding: .utf8).split(separator: "\n")
            #expect(!lines.isEmpty)
            #expect(lines.allSatisfy { $0.hasPrefix(#"{"schema":"quarry.mention/1","doc":"seeds/"#) })
            #expect(result.stdoutLines.allSatisfy { $0.hasPrefix(#"{"schema":"quarry.fact/1""#) })
        }
    }

    @Test func splitPrintsSentenceRecords() throws {
        let path = "seeds/000_e2a9e221910925eb.txt"
        let result = try QuarryBinary.run(["split", path])
        #expect(result.status == 0)
        let text = try String(contentsOfFile: Repository.root + "/" + path, encoding: .utf8)
        #expect(result.stdoutLines.count > 5)
        for (number, line) in result.stdoutLines.enumerated() {
            let value = try JSONParser.parse(line)
            #expect(orderedKeys(value) == ["doc", "index", "start", "end", "text"])
            #expect(value["doc"] == .string(path))
            #expect(value["index"] == .number(String(number)))
            guard case .number(let start)? = value["start"], case .number(let end)? = value["end"],
                  let low = Int(start), let high = Int(end)
            else {
                Issue.record("no offsets in \(line)")
                continue
            }
            #expect(value["text"] == .string(slice(text, scalars: low..<high)))
        }
    }

    @Test(arguments: ["fact", "mention"])
    func schemaPrintsValidJSON(kind: String) throws {
        let result = try QuarryBinary.run(["schema", kind])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["$id"] as? String == "quarry.\(kind)/1")
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let result = try QuarryBinary.run(["run", "seeds/", "--bogus"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--bogus"))
    }

    @Test func runWithoutPathsIsAUsageError() throws {
        let result = try QuarryBinary.run(["run"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("name at least one file or folder to read"))
    }

    @Test func checkValidatesTheRealPack() throws {
        let result = try QuarryBinary.run(["check"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderrLines.last?.hasPrefix("quarry: rule pack 'rules' is valid: ") == true)
        #expect(!result.stderr.contains(": error: "))
    }

    @Test func explainShowsTokensAndMatches() throws {
        let result = try QuarryBinary.run(["explain", "France and Japan agreed to start talks on a reciprocal access agreement."])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("  tokens: ⟨COUNTRY France⟩ and ⟨COUNTRY Japan⟩"))
        #expect(result.stdout.contains("MATCHED agreement.negotiation"))
    }

    @Test func explainNeedsTextOrFile() throws {
        let result = try QuarryBinary.run(["explain"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("give a TEXT or --file PATH"))
    }

    @Test func testReportsCounts() throws {
        let result = try QuarryBinary.run(["test"])
        #expect(result.status == 0 || result.status == 1)
        let last = try #require(result.stdoutLines.last)
        #expect(last.range(of: #"^\d+ passed, \d+ failed$"#, options: .regularExpression) != nil, "\(last)")
        #expect((result.status == 0) == last.hasSuffix(" 0 failed"))
    }
}
