import Foundation
import Testing
@testable import Quarry

#if canImport(Glibc)
import Glibc
#endif

/// The binary as a user runs it: exit statuses, output that is complete or absent
/// after a signal or a full disk, a closed pipe, and huge documents in bounded memory.
@Suite("Robustness: command line", .serialized, .enabled(if: Robust.hasBinary, "no quarry binary built"))
struct CLIRobustnessTests {
    static let sentence = EncodingRobustnessTests.sentence

    /// A JSONL corpus of `count` documents, each with a fact.
    static func corpus(_ count: Int) -> String {
        (0..<count).map { "{\"id\":\"d\($0)\",\"text\":\"\(sentence) Japan and France held talks on Monday.\"}\n" }.joined()
    }

    static func summaryLine(_ result: Robust.Result) -> String? {
        result.stderrLines.last { $0.hasPrefix("quarry: ") && $0.contains(" documents, ") }
    }

    // MARK: Exit statuses

    @Test("exit 0: everything read; stderr holds only the summary")
    func exitZero() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/a.txt", Self.sentence)
            let result = try Robust.quarry(["run", input, "--rules", Robust.rules])
            #expect(result.status == 0)
            #expect(result.stderrLines.count == 1)
            #expect(Self.summaryLine(result)?.hasPrefix("quarry: 1 documents, 1 sentences, ") == true)
            #expect(result.stdoutText.split(separator: "\n").count == 1)
        }
    }

    @Test("exit 1: some inputs skipped, each named in a warning, the rest processed")
    func exitOne() throws {
        try Robust.withFolder { folder in
            try Robust.write(folder + "/docs/a.txt", Self.sentence)
            try Robust.write(folder + "/docs/b.txt", bytes: [0x41, 0x00, 0x42])
            try Robust.write(folder + "/docs/c.jsonl", "{\"id\":\"c1\",\"text\":\"\(Self.sentence)\"}\n{\"id\":\"c2\"}\n")
            let result = try Robust.quarry(["run", folder + "/docs", folder + "/missing.txt", "--rules", Robust.rules])
            #expect(result.status == 1)
            #expect(Robust.warnings(result) == [
                "\(folder)/missing.txt: warning: cannot read: no such file or directory",
                "\(folder)/docs/b.txt: warning: binary content (NUL byte at byte 1), skipped",
                "\(folder)/docs/c.jsonl:2:1: warning: no \"text\" field, line skipped",
            ])
            #expect(Self.summaryLine(result)?.hasSuffix(", 3 inputs skipped") == true)
            #expect(result.stdoutText.split(separator: "\n").count == 2)
        }
    }

    /// What the test above relies on: a child gets no descriptor of the test
    /// process but its standard three (other tests hold some open at the same time).
    @Test func aChildInheritsNoOtherDescriptor() throws {
        let opened = open("/dev/null", O_RDONLY)
        try #require(opened >= 0)
        let high = dup2(opened, 200)
        defer { close(opened); close(high) }
        let result = try Robust.run(["/bin/sh", "-c", "ls /proc/$$/fd"])
        let descriptors = result.stdoutText.split(separator: "\n").compactMap { Int32($0) }
        #expect(!descriptors.contains(opened) && !descriptors.contains(200), "\(descriptors)")
    }

    @Test("a folder of many folders under a low descriptor limit (ulimit -n 24): every file read, no warning",
          arguments: [1, 2])
    func manyFoldersFewDescriptors(jobs: Int) throws {
        guard let binary = Robust.binary else { throw POSIXError(.ENOENT) }
        try Robust.withFolder { folder in
            // More folders than descriptors: folders kept open for their files must
            // leave room to open the files (and the next folders).
            for index in 0..<60 { try Robust.write(folder + "/docs/f\(100 + index)/a.txt", Self.sentence) }
            let command = "ulimit -n 24 && exec \"$0\" run \"$1\" --rules \"$2\" --jobs \(jobs)"
            let result = try Robust.run(["/bin/sh", "-c", command, binary, folder + "/docs", Robust.rules])
            #expect(result.status == 0)
            #expect(Robust.warnings(result).isEmpty)
            #expect(Self.summaryLine(result)?.hasPrefix("quarry: 60 documents, ") == true)
        }
    }

    /// `script(1)`, to give the binary a terminal for its stderr.
    static let script = "/usr/bin/script"

    @Test("a progress bar on a terminal: drawn, cleared before the summary, the records the same",
          .enabled(if: FileManager.default.isExecutableFile(atPath: script), "no script(1) to make a terminal"),
          arguments: [1, 2])
    func progressBarOnATerminal(jobs: Int) throws {
        guard let binary = Robust.binary else { throw POSIXError(.ENOENT) }
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/news.jsonl", Self.corpus(400))
            let plain = try Robust.quarry(["run", input, "--rules", Robust.rules, "--jobs", "\(jobs)"])
            #expect(plain.status == 0)
            // Without a terminal, no bar and no escape codes.
            #expect(!plain.stderr.contains("\u{1B}"))
            // script(1) runs the command with the shell; these paths hold no quote.
            let paths = [binary, input, Robust.rules, folder]
            try #require(!paths.contains { $0.contains("'") })
            let command = "exec '\(binary)' run '\(input)' --rules '\(Robust.rules)' --jobs \(jobs) --output '\(folder)/facts.jsonl'"
            let result = try Robust.run([Self.script, "-qec", command, "/dev/null"])
            #expect(result.status == 0)
            // The terminal's bytes: each drawing starts by going back to the line's
            // start and clearing it, and so does the clearing before the summary.
            let screen = result.stdoutText
            let drawings = screen.components(separatedBy: "\r\u{1B}[K").dropFirst()
            #expect(drawings.contains { $0.contains(" docs  ") && $0.contains(" MB/s") }, "no bar drawn: \(screen.debugDescription)")
            #expect(drawings.last?.hasPrefix("quarry: 400 documents, ") == true, "the bar is not cleared before the summary: \(screen.debugDescription)")
            #expect(Robust.read(folder + "/facts.jsonl") == plain.stdoutText)
        }
    }

    @Test("exit 2: usage and rule-pack errors, nothing processed", arguments: [
        (["run"], "Error: name at least one file or folder to read, or '-' for stdin"),
        (["run", "x.txt", "--jobs", "0"], "Error: --jobs must be at least 1"),
        (["run", "x.txt", "--bogus"], "Error: Unknown option '--bogus'. Did you mean '--jobs'?"),
        (["frobnicate"], "Error: Unexpected argument 'frobnicate'"),
    ])
    func exitTwoUsage(_ arguments: [String], _ firstLine: String) throws {
        let result = try Robust.quarry(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines.first == firstLine)
    }

    @Test("exit 2: a missing rule pack, and an --output that cannot be created")
    func exitTwoPackAndOutput() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/a.txt", Self.sentence)
            let missing = try Robust.quarry(["run", input, "--rules", folder + "/nope"])
            #expect(missing.status == 2)
            #expect(missing.stderrLines == [
                "\(folder)/nope: error: rule pack folder '\(folder)/nope' does not exist",
                "quarry: rule pack '\(folder)/nope' has 1 error; nothing processed",
            ])
            let output = try Robust.quarry(["run", input, "--rules", Robust.rules, "--output", folder + "/no/such/dir/out.jsonl"])
            #expect(output.status == 2)
            #expect(output.stderrLines == ["quarry: \(folder)/no/such/dir/out.jsonl: cannot write: no such file or directory"])
            let directory = try Robust.quarry(["run", input, "--rules", Robust.rules, "--output", folder])
            #expect(directory.status == 2)
            #expect(directory.stderrLines == ["quarry: \(folder): cannot write: is a directory"])
            #expect(Robust.temporaryFiles(in: folder).isEmpty)
            #expect(Robust.temporaryFiles(in: (folder as NSString).deletingLastPathComponent).isEmpty)
        }
    }

    // MARK: Output that is complete or absent

    /// Starts `quarry run - --output out.jsonl` on a pipe, feeds it documents until its
    /// temporary file holds records (mid-run for sure: stdin is still open), signals it.
    @Test("SIGINT / SIGTERM mid-run on stdin: the target is the previous file, no temp file left",
          arguments: [SIGINT, SIGTERM])
    func signalWhileStreaming(_ signal: Int32) throws {
        try Robust.withFolder { folder in
            let target = folder + "/out.jsonl"
            try Robust.write(target, "previous complete file\n")
            let fds = try Robust.makePipe()
            let child = try Robust.start(
                [Robust.binary!, "run", "-", "--rules", Robust.rules, "--output", target, "--jobs", "2"],
                stdin: .descriptor(fds[0]))
            close(fds[0])
            let line = Array("{\"id\":\"s\",\"text\":\"\(Self.sentence)\"}\n".utf8)
            var holdsRecords = false
            let deadline = Date().addingTimeInterval(60)
            while !holdsRecords && Date() < deadline {
                _ = line.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
                usleep(20_000)
                holdsRecords = Robust.temporaryFiles(in: folder).contains { name in
                    ((try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? Int) ?? 0) > 0
                }
            }
            #expect(holdsRecords, "the temporary file never filled")
            kill(child.pid, signal)
            let result = Robust.wait(child, timeout: 30)
            close(fds[1])
            #expect(result.status == 128 + signal)
            #expect(Robust.read(target) == "previous complete file\n")
            #expect(Robust.temporaryFiles(in: folder).isEmpty)
        }
    }

    @Test("SIGINT / SIGTERM mid-run on a big file: no target, no temp file", arguments: [SIGINT, SIGTERM])
    func signalOnBigInput(_ signal: Int32) throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/big.jsonl", Self.corpus(60_000))
            let target = folder + "/out/facts.jsonl"
            try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
            let child = try Robust.start([Robust.binary!, "run", input, "--rules", Robust.rules, "--output", target, "--jobs", "2"])
            let deadline = Date().addingTimeInterval(60)
            while Robust.temporaryFiles(in: folder + "/out").isEmpty && Date() < deadline { usleep(2_000) }
            usleep(300_000)
            kill(child.pid, signal)
            let result = Robust.wait(child, timeout: 60)
            #expect(result.status == 128 + signal, "finished before the signal? stderr: \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: target))
            #expect(Robust.temporaryFiles(in: folder + "/out").isEmpty)
        }
    }

    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let path = NSTemporaryDirectory() + "quarry-mount-probe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { rmdir(path) }
        guard let result = try? Robust.run(["/bin/mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", path], timeout: 20),
              result.status == 0 else { return false }
        _ = try? Robust.run(["/bin/umount", path], timeout: 20)
        return true
    }()

    @Test("a full disk (a 256 KB tmpfs): exit 1, the reason named, the previous file kept, no temp file",
          .enabled(if: canMount, "needs root and mount (a tiny tmpfs)"))
    func fullDisk() throws {
        try Robust.withFolder { folder in
            let disk = folder + "/disk"
            try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
            let mounted = try Robust.run(["/bin/mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk])
            try #require(mounted.status == 0, "\(mounted.stderr)")
            defer { _ = try? Robust.run(["/bin/umount", "-l", disk]) }
            let target = disk + "/facts.jsonl"
            try Robust.write(target, "previous complete file\n")
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(3_000))
            for option in ["--output", "--mentions"] {
                let result = try Robust.quarry(["run", input, "--rules", Robust.rules, option, target])
                #expect(result.status == 1)
                #expect(result.stderrLines == ["quarry: \(target): cannot write: no space left on device"], "\(option)")
                #expect(Robust.read(target) == "previous complete file\n")
                #expect(Robust.temporaryFiles(in: disk).isEmpty)
            }
        }
    }

    @Test("stdout on /dev/full: exit 1 and the reason, once")
    func stdoutFull() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(10))
            let result = try Robust.quarry(["run", input, "--rules", Robust.rules], stdout: .file("/dev/full"))
            #expect(result.status == 1)
            #expect(result.stderrLines == ["quarry: stdout: cannot write: no space left on device"])
        }
    }

    // MARK: Streams

    /// Reads `fd` until `count` newlines have come or `seconds` pass; the bytes read.
    static func readLines(_ fd: Int32, count: Int, seconds: Double) -> [UInt8] {
        var got: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let deadline = Date().addingTimeInterval(seconds)
        while got.filter({ $0 == 0x0A }).count < count && Date() < deadline {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            got += buffer[..<n]
        }
        return got
    }

    @Test("stdin: each document's facts come out while stdin is still open, one document at a time",
          arguments: [1, 2])
    func streamingFactsComePromptly(_ jobs: Int) throws {
        let input = try Robust.makePipe()
        let output = try Robust.makePipe()
        let child = try Robust.start([Robust.binary!, "run", "-", "--rules", Robust.rules, "--jobs", "\(jobs)"],
                                     stdin: .descriptor(input[0]), stdout: .descriptor(output[1]))
        close(input[0])
        close(output[1])
        for number in 0..<3 {
            let line = Array("{\"id\":\"s\(number)\",\"text\":\"\(Self.sentence)\"}\n".utf8)
            _ = line.withUnsafeBytes { write(input[1], $0.baseAddress, $0.count) }
            // Nothing more is written until this document's fact has come back.
            let fact = String(decoding: Self.readLines(output[0], count: 1, seconds: 15), as: UTF8.self)
            #expect(fact.contains("\"doc\":\"s\(number)\""), "document \(number): \(fact)")
        }
        close(input[1])
        let result = Robust.wait(child, timeout: 60)
        close(output[0])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("stdin: a corpus piped in gives the same records as the file, at one job and at two")
    func streamingEqualsFile() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(3_000))
            let fromFile = try Robust.quarry(["run", input, "--rules", Robust.rules, "--mentions", folder + "/file.mentions"])
            try #require(fromFile.status == 0)
            let bytes = Array(try #require(Robust.read(input)).utf8)
            for jobs in [1, 2] {
                let mentions = folder + "/stdin-\(jobs).mentions"
                // Through a pipe, written 4,000 bytes at a time: lines arrive cut anywhere.
                let pipe = try Robust.makePipe()
                let child = try Robust.start([Robust.binary!, "run", "-", "--rules", Robust.rules, "--jobs", "\(jobs)", "--mentions", mentions],
                                             stdin: .descriptor(pipe[0]))
                close(pipe[0])
                let writer = pipe[1]
                let feeder = Thread {
                    var offset = 0
                    while offset < bytes.count {
                        let count = min(4_000, bytes.count - offset)
                        let written = bytes.withUnsafeBytes { write(writer, $0.baseAddress! + offset, count) }
                        if written <= 0 { break }
                        offset += written
                    }
                    close(writer)
                }
                feeder.start()
                let fromStdin = Robust.wait(child, timeout: 120)
                #expect(fromStdin.status == 0)
                #expect(fromStdin.stdout == fromFile.stdout, "--jobs \(jobs)")
                #expect(Robust.read(mentions) == Robust.read(folder + "/file.mentions"), "--jobs \(jobs)")
            }
        }
    }

    // MARK: Targets that are not regular files

    static func fileType(_ path: String, followLinks: Bool = true) -> mode_t? {
        var info = stat()
        let status = followLinks ? stat(path, &info) : lstat(path, &info)
        return status == 0 ? info.st_mode & S_IFMT : nil
    }

    /// What a reader thread got from a FIFO; `done` is signalled at its end of file.
    final class Received: @unchecked Sendable {
        var value: [UInt8] = []
        let done = DispatchSemaphore(value: 0)
    }

    @Test("--output /dev/null: written in place, /dev/null stays a device, no temp file in /dev")
    func outputDevNull() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(10))
            let before = Robust.temporaryFiles(in: "/dev")
            for option in ["--output", "--mentions"] {
                let result = try Robust.quarry(["run", input, "--rules", Robust.rules, option, "/dev/null"])
                #expect(result.status == 0, "\(option): \(result.stderr)")
                #expect(Self.fileType("/dev/null") == S_IFCHR, "\(option) replaced /dev/null")
                if Self.fileType("/dev/null") != S_IFCHR {
                    // Put the device back for the rest of the run (as root, it can be).
                    _ = try? Robust.run(["/bin/sh", "-c", "rm -f /dev/null && mknod -m 666 /dev/null c 1 3"])
                }
                #expect(Robust.temporaryFiles(in: "/dev") == before)
            }
        }
    }

    @Test("--output and --mentions to a FIFO: the reader gets the records, the FIFO stays one")
    func outputFIFO() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(50))
            let expected = try Robust.quarry(["run", input, "--rules", Robust.rules])
            try #require(expected.status == 0 && !expected.stdoutText.isEmpty)
            let mentionsFile = folder + "/mentions.jsonl"
            _ = try Robust.quarry(["run", input, "--rules", Robust.rules, "--mentions", mentionsFile])
            for option in ["--output", "--mentions"] {
                let fifo = folder + "/records.fifo"
                try #require(mkfifo(fifo, 0o600) == 0)
                // The reader opens the FIFO while quarry opens it to write.
                let received = Received()
                let reader = Thread {
                    let descriptor = open(fifo, O_RDONLY)
                    guard descriptor >= 0 else { return }
                    var buffer = [UInt8](repeating: 0, count: 1 << 16)
                    while true {
                        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                        if count <= 0 { break }
                        received.value += buffer[..<count]
                    }
                    close(descriptor)
                    received.done.signal()
                }
                reader.start()
                let result = try Robust.quarry(["run", input, "--rules", Robust.rules, option, fifo])
                let finished = received.done.wait(timeout: .now() + 60) == .success
                #expect(finished, "the reader of the FIFO got no end of file")
                if !finished {
                    // Let the reader's open return, so its thread ends.
                    close(open(fifo, O_WRONLY | O_NONBLOCK))
                }
                #expect(result.status == 0, "\(option): \(result.stderr)")
                let want = option == "--output" ? expected.stdoutText : (Robust.read(mentionsFile) ?? "?")
                #expect(String(decoding: received.value, as: UTF8.self) == want, "\(option)")
                #expect(Self.fileType(fifo) == S_IFIFO)
                #expect(Robust.temporaryFiles(in: folder).isEmpty)
                unlink(fifo)
            }
        }
    }

    @Test("--output through a symbolic link: the file it names is replaced, the link stays")
    func outputThroughLink() throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(5))
            let expected = try Robust.quarry(["run", input, "--rules", Robust.rules])
            try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
            let real = try Robust.write(folder + "/data/facts.jsonl", "previous\n")
            let link = folder + "/facts.jsonl"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "data/facts.jsonl")
            let result = try Robust.quarry(["run", input, "--rules", Robust.rules, "--output", link])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.fileType(link, followLinks: false) == S_IFLNK)
            #expect(Robust.read(real) == expected.stdoutText)
            #expect(Robust.temporaryFiles(in: folder).isEmpty && Robust.temporaryFiles(in: folder + "/data").isEmpty)
        }
    }

    @Test("a reader that closes the pipe (| head -c 100): exit 0, nothing on stderr", arguments: [["run"], ["split"]])
    func brokenPipe(_ command: [String]) throws {
        try Robust.withFolder { folder in
            let input = try Robust.write(folder + "/in.jsonl", Self.corpus(20_000))
            let fds = try Robust.makePipe()
            let child = try Robust.start([Robust.binary!] + command + [input, "--rules", Robust.rules], stdout: .descriptor(fds[1]))
            close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 100)
            let got = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, 100) }
            close(fds[0])
            let result = Robust.wait(child, timeout: 120)
            #expect(got > 0)
            #expect(result.status == 0)
            #expect(!result.signaled)
            #expect(result.stderr == "")
        }
    }

    @Test("a reader of stderr that goes away (2>&1 | head): the run goes on, its files complete, none left behind",
          arguments: [["--output"], ["--mentions"]])
    func closedStderr(_ option: [String]) throws {
        try Robust.withFolder { folder in
            // Many warnings, so that stderr is written after its reader is gone.
            for index in 0..<300 { try Robust.write(folder + "/docs/bad\(index).txt", bytes: [0x41, 0x00, 0x42]) }
            let input = try Robust.write(folder + "/docs/good.jsonl", Self.corpus(200))
            let expected = try Robust.quarry(["run", input, "--rules", Robust.rules] + option + [folder + "/expected.jsonl"])
            // The other records go to stdout, which stays open (/dev/null).
            let script = "\"$0\" run \"$1\" --rules \"$2\" \(option[0]) \"$3\" 2>&1 >/dev/null | head -c 10 >/dev/null; exit ${PIPESTATUS[0]}"
            let result = try Robust.run(["/bin/bash", "-c", script, Robust.binary!, folder + "/docs", Robust.rules, folder + "/out.jsonl"])
            // Inputs were skipped (exit 1); no signal, no trap.
            #expect(result.status == 1, "\(result.stderr)")
            #expect(Robust.read(folder + "/out.jsonl") == Robust.read(folder + "/expected.jsonl"))
            #expect(expected.status == 0)
            #expect(Robust.temporaryFiles(in: folder).isEmpty)
        }
    }

    // MARK: Huge documents

    /// The seed articles as one run of text: white space collapsed (no line break),
    /// and optionally without sentence punctuation.
    static func seedText(punctuation: Bool) -> String {
        let folder = Robust.root + "/seeds"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        var text = names.compactMap { Robust.read(folder + "/" + $0) }.joined(separator: " ")
        text = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ") + " "
        if !punctuation { text.removeAll { ".!?;:".contains($0) } }
        return text.isEmpty ? EncodingRobustnessTests.sentence + " " : text
    }

    /// A document of `megabytes` MB made of `unit` repeated, with no line break.
    static func writeHuge(_ path: String, megabytes: Int, unit: String) throws {
        let size = megabytes << 20
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + unit.utf8.count)
        let unitBytes = Array(unit.utf8)
        while bytes.count < size { bytes += unitBytes }
        try Robust.write(path, bytes: bytes)
    }

    /// Peak RSS must stay under 20 times the input (plus 150 MB for the runtime and
    /// the rule pack): the pipeline holds a bounded number of copies of a document's
    /// text (file bytes, the String, its UTF-8 array, token strings) and its mentions
    /// and encoded records, all linear in the text for news-like text, so anything
    /// quadratic blows far past this bound.
    static func memoryBound(_ input: Int) -> Int { 20 * input + (150 << 20) }

    /// The seed articles repeated to 50 MB as one line, with and without sentence
    /// punctuation (then the whole document is one 50 MB sentence).
    @Test("50 MB with no line break, and with no sentence punctuation: completes, bounded memory",
          arguments: [true, false])
    func fiftyMegabytes(_ punctuation: Bool) throws {
        let name = punctuation ? "no-line-break" : "no-punctuation"
        try Robust.withFolder { folder in
            let input = folder + "/\(name).txt"
            try Self.writeHuge(input, megabytes: 50, unit: Self.seedText(punctuation: punctuation))
            let size = 50 << 20
            // Generous: the linear pipeline needs well under a minute here.
            let result = try Robust.quarry(["run", input, "--rules", Robust.rules, "--jobs", "2", "--output", folder + "/out.jsonl"], timeout: 300)
            #expect(!result.timedOut, "\(name): not done after 300 s (OverlapResolver.resolve is quadratic in the mentions of a document; see docs/robustness.md)")
            #expect(result.status == 0 || result.timedOut, "\(result.stderr.prefix(2000))")
            #expect(result.maxRSS < Self.memoryBound(size), "max RSS \(result.maxRSS >> 20) MB for a 50 MB input")
            #expect(Robust.warnings(result) == [] || result.timedOut, "\(result.stderr.prefix(2000))")
            print("robustness: \(name): max RSS \(result.maxRSS >> 20) MB for 50 MB; \(Self.summaryLine(result) ?? "timed out")")
        }
    }

    @Test("a 100 MB JSONL line through the binary: read, bounded memory")
    func hundredMegabyteLineCLI() throws {
        try Robust.withFolder { folder in
            let unit = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Mr Smith went to Washington. "
            var bytes = Array("{\"id\":\"big\",\"text\":\"".utf8)
            let unitBytes = Array(unit.utf8)
            bytes.reserveCapacity(100 << 20 + 100)
            while bytes.count < 100 << 20 { bytes += unitBytes }
            bytes += Array("\"}\nnot json\n".utf8)
            let input = try Robust.write(folder + "/big.jsonl", bytes: bytes)
            let result = try Robust.quarry(["run", input, "--rules", Robust.rules, "--jobs", "2", "--output", folder + "/out.jsonl"], timeout: 300)
            #expect(!result.timedOut)
            #expect(result.status == 1)
            #expect(Robust.warnings(result) == ["\(input):2:1: warning: not JSON: unexpected character, line skipped"])
            #expect(result.maxRSS < Self.memoryBound(bytes.count), "max RSS \(result.maxRSS >> 20) MB for a 100 MB line")
            print("robustness: 100 MB line: max RSS \(result.maxRSS >> 20) MB; \(Self.summaryLine(result) ?? "")")
        }
    }
}
