import Foundation
import Testing
@testable import Quarry

#if canImport(Glibc)
import Glibc
#endif

/// JSONL lines that are not documents, huge lines, unreadable files and folders,
/// symlink loops and files that vanish while the run goes on.
@Suite("Robustness: corpus reader", .serialized)
struct CorpusRobustnessTests {
    static let sentence = EncodingRobustnessTests.sentence

    @Test("JSONL: bad lines are warned with their line number, the rest processed; no final newline needed")
    func badJSONLLines() throws {
        try Robust.withFolder { folder in
            let lines = [
                "{\"id\":\"one\",\"text\":\"\(Self.sentence)\"}",
                "this is not JSON",
                "{\"id\":\"three\",\"title\":\"no text\"}",
                "{\"id\":\"four\",\"text\":42}",
                "{\"id\":\"five\",\"text\":null}",
                "[\"an\",\"array\"]",
                "{\"id\":\"seven\",\"text\":\"cut off",
                "{\"id\":\"eight\",\"text\":\"ok\"} trailing",
                "",
                "{\"id\":\"ten\",\"text\":\"\(Self.sentence)\",\"date\":\"2024-05-03\"}",
            ]
            // No final newline: the last line is still a document.
            let path = try Robust.write(folder + "/docs.jsonl", lines.joined(separator: "\n"))
            let read = Robust.readAll([path])
            #expect(read.warnings == [
                "\(path):2:1: warning: not JSON: unexpected character, line skipped",
                "\(path):3:1: warning: no \"text\" field, line skipped",
                "\(path):4:1: warning: \"text\" is not a string, line skipped",
                "\(path):5:1: warning: \"text\" is not a string, line skipped",
                "\(path):6:1: warning: not a JSON object, line skipped",
                "\(path):7:30: warning: not JSON: unterminated string, line skipped",
                "\(path):8:28: warning: not JSON: unexpected text after the JSON value, line skipped",
            ])
            #expect(read.skipped == 7)
            #expect(read.documents.map(\.name) == ["one", "ten"])
            #expect(read.documents.last?.meta == .object([(key: "date", value: .string("2024-05-03"))]))
            let run = try Robust.pipeline([path])
            #expect(run.facts.map { $0["doc"] } == [.string("one"), .string("ten")])
            #expect(run.facts.last?["meta"] == .object([(key: "date", value: .string("2024-05-03"))]))
        }
    }

    @Test("JSONL: a 100 MB line is read whole, and line numbers after it stay right")
    func hundredMegabyteLine() throws {
        try Robust.withFolder { folder in
            let size = 100 << 20
            let filler = Array("Lorem ipsum dolor sit amet ".utf8)
            var big: [UInt8] = []
            big.reserveCapacity(size + 200)
            big += Array("{\"id\":\"big\",\"text\":\"".utf8)
            while big.count < size { big += filler }
            var bytes = Array("{\"id\":\"first\",\"text\":\"\(Self.sentence)\"}\n".utf8)
            bytes += big + Array("\"}\n".utf8)
            bytes += big + Array("\n".utf8)  // the same, cut off: not JSON
            bytes += Array("{\"id\":\"last\",\"text\":\"\(Self.sentence)\"}".utf8)
            let path = try Robust.write(folder + "/big.jsonl", bytes: bytes)
            bytes = []
            var warnings: [String] = []
            let reader = CorpusReader(paths: [path]) { warnings.append($0.description) }
            var names: [String] = []
            var sizes: [Int] = []
            while let document = reader.next() {
                names.append(document.name)
                sizes.append(document.text.utf8.count)
            }
            #expect(names == ["first", "big", "last"])
            #expect(sizes[1] == big.count - 20)
            #expect(warnings == ["\(path):3:\(big.count + 1): warning: not JSON: unterminated string, line skipped"])
            #expect(reader.skipped == 1)
        }
    }

    @Test("JSONL from stdin through the binary: bad lines warned as '-:N', exit 1", .enabled(if: Robust.hasBinary))
    func jsonlOnStdin() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", [
                "{\"id\":\"a\",\"text\":\"\(Self.sentence)\"}", "nope", "{\"id\":\"c\"}",
                "{\"id\":\"d\",\"text\":\"\(Self.sentence)\"}",
            ].joined(separator: "\n"))
            let result = try Robust.quarry(["run", "-", "--rules", Robust.rules, "--jobs", "2"], stdin: .file(input))
            #expect(result.status == 1)
            #expect(Robust.warnings(result) == [
                "-:2:1: warning: not JSON: unexpected character, line skipped",
                "-:3:1: warning: no \"text\" field, line skipped",
            ])
            let docs = result.stdoutText.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["doc"] }
            #expect(docs == [.string("a"), .string("d")])
        }
    }

    @Test("an unreadable file and folder are skipped with a warning (chmod 000)",
          .enabled(if: Robust.permissionsApply, "running as root: chmod 000 does not stop reads (see the setpriv variant)"))
    func unreadable() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/a.txt", Self.sentence)
            try Robust.write(folder + "/locked.txt", Self.sentence)
            try Robust.write(folder + "/shut/inside.txt", Self.sentence)
            chmod(folder + "/locked.txt", 0)
            chmod(folder + "/shut", 0)
            let read = Robust.readAll([folder])
            #expect(read.warnings == [
                "\(folder)/shut: warning: cannot read directory: permission denied",
                "\(folder)/locked.txt: warning: cannot read: permission denied",
            ])
            #expect(read.skipped == 2)
            #expect(read.documents.map(\.name) == ["\(folder)/a.txt"])
        }
    }

    @Test("as root: the binary run as nobody skips an unreadable file and folder, exit 1",
          .enabled(if: Robust.canDropPrivileges && Robust.hasBinary, "needs root, setpriv and the quarry binary"))
    func unreadableAsNobody() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/docs/a.txt", Self.sentence)
            try Robust.write(folder + "/docs/locked.txt", Self.sentence)
            try Robust.write(folder + "/docs/shut/inside.txt", Self.sentence)
            try Robust.write(folder + "/docs/unlisted/inside.txt", Self.sentence)
            chmod(folder + "/docs/locked.txt", 0)
            chmod(folder + "/docs/shut", 0)
            chmod(folder + "/docs/unlisted", 0o311)  // can enter, cannot list
            let binary = try #require(Robust.binary)
            let result = try Robust.run([
                "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                binary, "run", folder + "/docs", "--rules", Robust.rules, "--jobs", "1",
            ])
            #expect(result.status == 1)
            #expect(Robust.warnings(result) == [
                // Folders are listed when the run starts; files are opened as they are read.
                "\(folder)/docs/shut: warning: cannot read directory: permission denied",
                "\(folder)/docs/unlisted: warning: cannot read directory: permission denied",
                "\(folder)/docs/locked.txt: warning: cannot read: permission denied",
            ])
            #expect(result.stderrLines.last?.hasSuffix(", 3 inputs skipped") == true)
            #expect(result.stdoutText.split(separator: "\n").count == 1)
        }
    }

    @Test("symlink loops are skipped with a warning, once each")
    func symlinkLoops() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/docs/a.txt", Self.sentence)
            try Robust.write(folder + "/docs/sub/b.txt", Self.sentence)
            symlink("..", folder + "/docs/sub/up")               // back to docs: a loop
            symlink(folder + "/docs", folder + "/docs/sub/again") // absolute, same loop
            symlink("self.txt", folder + "/docs/self.txt")        // a link to itself
            symlink("ping.md", folder + "/docs/pong.md")          // two links to each other
            symlink("pong.md", folder + "/docs/ping.md")
            let read = Robust.readAll([folder + "/docs"])
            #expect(read.warnings == [
                "\(folder)/docs/ping.md: warning: cannot read: too many levels of symbolic links",
                "\(folder)/docs/pong.md: warning: cannot read: too many levels of symbolic links",
                "\(folder)/docs/self.txt: warning: cannot read: too many levels of symbolic links",
                "\(folder)/docs/sub/again: warning: directory already visited (symlink loop), skipped",
                "\(folder)/docs/sub/up: warning: directory already visited (symlink loop), skipped",
            ])
            #expect(read.documents.map(\.name) == ["\(folder)/docs/a.txt", "\(folder)/docs/sub/b.txt"])
            #expect(read.skipped == 5)
        }
    }

    @Test("a file deleted between listing and reading is warned and skipped; the rest is read")
    func vanishingFile() throws {
        try Robust.withFolder { folder in
            for name in ["a", "b", "c"] { try Robust.write(folder + "/\(name).txt", Self.sentence) }
            try Robust.write(folder + "/d.jsonl", "{\"id\":\"d\",\"text\":\"x\"}\n")
            var warnings: [String] = []
            let reader = CorpusReader(paths: [folder]) { warnings.append($0.description) }
            let first = reader.next()
            unlink(folder + "/b.txt")
            unlink(folder + "/d.jsonl")
            var names = [first?.name]
            while let document = reader.next() { names.append(document.name) }
            #expect(names == ["\(folder)/a.txt", "\(folder)/c.txt"])
            #expect(warnings == [
                "\(folder)/b.txt: warning: cannot read: no such file or directory",
                "\(folder)/d.jsonl: warning: cannot read: no such file or directory",
            ])
            #expect(reader.skipped == 2)
        }
    }

    @Test("files deleted by another process while the binary runs: each warned, none crash the run",
          .enabled(if: Robust.hasBinary))
    func filesVanishDuringRun() throws {
        try Robust.withFolder { folder in
            let count = 6000
            let body = String(repeating: Self.sentence + " ", count: 20)
            for index in 0..<count { try Robust.write(folder + "/docs/\(String(format: "%05d", index)).txt", body) }
            let child = try Robust.start([Robust.binary!, "run", folder + "/docs", "--rules", Robust.rules, "--jobs", "1"])
            // Wait until its first records are out (the folder is listed by then:
            // it is walked as files are needed, and a batch was processed), then
            // delete from the end, so files that were listed vanish before they are
            // read. (A file descriptor open on a file is no sign: the workers read a
            // file in microseconds.)
            let deadline = Date().addingTimeInterval(60)
            var reading = false
            while !reading && Date() < deadline {
                let size = (try? FileManager.default.attributesOfItem(atPath: child.stdoutPath!)[.size] as? Int) ?? 0
                reading = size > 0
                if !reading { usleep(1000) }
            }
            #expect(reading)
            var deleted = 0
            for index in stride(from: count - 1, through: count / 2, by: -1) where unlink(folder + "/docs/\(String(format: "%05d", index)).txt") == 0 {
                deleted += 1
            }
            let result = Robust.wait(child, timeout: 300)
            #expect(!result.timedOut && !result.signaled)
            let warnings = Robust.warnings(result)
            #expect(warnings.allSatisfy { $0.hasSuffix(".txt: warning: cannot read: no such file or directory") })
            let documents = Set(result.stdoutText.split(separator: "\n").compactMap { try? JSONParser.parse(String($0))["doc"] })
            // Every file is either processed or warned about, never both, never neither.
            print("robustness: files deleted mid-run: \(documents.count) processed, \(warnings.count) warned, \(deleted) deleted")
            #expect(documents.count + warnings.count == count)
            #expect(result.status == (warnings.isEmpty ? 0 : 1))
        }
    }
}
