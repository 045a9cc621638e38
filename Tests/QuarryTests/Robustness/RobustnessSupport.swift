import Foundation
import Testing
@testable import Quarry

#if canImport(Glibc)
import Glibc
#endif

/// Shared by the robustness suites: temporary folders, the quarry binary as a
/// subprocess (with its own peak memory from wait4), and probes of what the sandbox
/// allows (chmod as root, tmpfs mounts).
enum Robust {
    /// The repository root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: url.appendingPathComponent("rules/pack.yaml").path)
            {
                return url.path
            }
        }
        preconditionFailure("no repository above \(#filePath)")
    }()

    static var rules: String { root + "/rules" }

    /// The real rule pack, loaded once.
    static let pack: RulePack = {
        do { return try RulePack.load(directory: rules) } catch { preconditionFailure("rules/ does not load: \(error)") }
    }()

    /// The quarry executable to run: `$QUARRY_BINARY`, else a release build under the
    /// repository (.build-robust-rel, .build), else the debug one built beside the tests.
    static let binary: String? = {
        let fm = FileManager.default
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["QUARRY_BINARY"] { candidates.append(path) }
        candidates += [".build-robust-rel/release/quarry", ".build/release/quarry"].map { root + "/" + $0 }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("quarry").path)
            folder.deleteLastPathComponent()
        }
        return candidates.first { fm.isExecutableFile(atPath: $0) && !isDirectory($0) }
    }()

    static var hasBinary: Bool { binary != nil }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Whether chmod 000 stops this process from reading (false as root).
    static let permissionsApply: Bool = {
        let path = NSTemporaryDirectory() + "quarry-chmod-probe-\(getpid())"
        guard FileManager.default.createFile(atPath: path, contents: Data("x".utf8)) else { return false }
        defer { unlink(path) }
        chmod(path, 0)
        let fd = open(path, O_RDONLY)
        if fd >= 0 { close(fd); return false }
        return true
    }()

    /// Whether `setpriv` can run a command as user nobody (to test permissions as root).
    static let canDropPrivileges: Bool = {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        let result = try? run(["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/true"], timeout: 10)
        return result?.status == 0
    }()

    /// A folder for one test, removed when `body` returns (tmpfs mounts inside are
    /// unmounted first).
    static func withFolder<T>(_ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory().replacingOccurrences(of: "//", with: "/") + "quarry-robust-" + UUID().uuidString
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        try FileManager.default.createDirectory(atPath: trimmed, withIntermediateDirectories: true)
        chmod(trimmed, 0o755)
        defer {
            _ = try? Robust.run(["/bin/chmod", "-R", "u+rwx", trimmed], timeout: 30)
            try? FileManager.default.removeItem(atPath: trimmed)
        }
        return try body(trimmed)
    }

    @discardableResult
    static func write(_ path: String, _ text: String) throws -> String {
        try write(path, bytes: Array(text.utf8))
    }

    @discardableResult
    static func write(_ path: String, bytes: [UInt8]) throws -> String {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads every document of `paths`, collecting the warnings as printed.
    static func readAll(_ paths: [String]) -> (documents: [Document], warnings: [String], skipped: Int) {
        var warnings: [String] = []
        let reader = CorpusReader(paths: paths) { warnings.append($0.description) }
        var documents: [Document] = []
        while let document = reader.next() { documents.append(document) }
        return (documents, warnings, reader.skipped)
    }

    /// Runs the real pipeline (one job) over `paths` with the real rules, and returns
    /// the fact records, the reader's and the processor's warnings, the inputs left
    /// out (by the reader or by the workers, as the exit status counts them) and the
    /// documents.
    static func pipeline(_ paths: [String], pack: RulePack = Robust.pack, jobs: Int = 1)
        throws -> (facts: [JSONValue], warnings: [String], skipped: Int, documents: Int)
    {
        var warnings: [String] = []
        let reader = CorpusReader(paths: paths) { warnings.append($0.description) }
        let pipeline = Pipeline(processor: DocumentProcessor(pack: pack), jobs: jobs, encodeMentions: false)
        var lines: [JSONValue] = []
        let summary = try pipeline.run(reader) { output in
            warnings += output.warnings.map(\.description)
            for line in output.facts.split(separator: 0x0A) {
                lines.append(try JSONParser.parse(String(decoding: line, as: UTF8.self)))
            }
        }
        return (lines, warnings, reader.skipped + summary.skipped, summary.documents)
    }

    /// Every mention object (with text, start, end) in a fact record.
    static func mentionObjects(_ value: JSONValue) -> [(text: String, start: Int, end: Int)] {
        var result: [(String, Int, Int)] = []
        func visit(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if case .string(let text)? = value["text"], case .number(let s)? = value["start"],
                   case .number(let e)? = value["end"], let start = Int(s), let end = Int(e)
                {
                    result.append((text, start, end))
                }
                for member in members { visit(member.value) }
            case .array(let elements): elements.forEach(visit)
            default: break
            }
        }
        visit(value)
        return result
    }

    /// Python's `text[start:end]`: a slice in Unicode scalars.
    static func scalarSlice(_ text: String, _ start: Int, _ end: Int) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard 0 <= start, start <= end, end <= scalars.count else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    // MARK: Subprocesses

    struct Result {
        /// Exit status, or 128 + signal when killed by a signal.
        var status: Int32
        var signaled: Bool
        var stdout: [UInt8]
        var stderr: String
        /// Peak resident set size of the child, in bytes (ru_maxrss of wait4).
        var maxRSS: Int
        var timedOut: Bool
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    enum Input {
        case null
        case file(String)
        /// The read end of a pipe the caller keeps writing to.
        case descriptor(Int32)
    }

    enum Output {
        case capture
        case file(String)
        case descriptor(Int32)
    }

    /// A running child: its pid and where its output is captured.
    struct Child {
        var pid: pid_t
        var stdoutPath: String?
        var stderrPath: String
    }

    /// A pipe whose two ends close on exec (the child gets only the end it is given).
    static func makePipe() throws -> [Int32] {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fds
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which
    /// Swift's Glibc module does not show: looked up by name, and left out where
    /// the C library has none.
    static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, first)
    }

    /// Starts `arguments` (argv[0] a path) with stdin/stdout as given; stdout and
    /// stderr are captured in temporary files.
    static func start(_ arguments: [String], stdin: Input = .null, stdout: Output = .capture) throws -> Child {
        let base = NSTemporaryDirectory() + "quarry-child-" + UUID().uuidString
        let stderrPath = base + ".err"
        var stdoutPath: String?
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        switch stdin {
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
        case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 0)
        }
        switch stdout {
        case .capture:
            stdoutPath = base + ".out"
            posix_spawn_file_actions_addopen(&actions, 1, stdoutPath!, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .file(let path): posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, 1)
        }
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of the test process: other tests, running at the same time,
        // hold descriptors that are not closed on exec, and a child under a low
        // descriptor limit (`ulimit -n 24`) found them counted against it.
        closeFrom(3, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Default signal dispositions in the child (the test runner may ignore SIGPIPE).
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
        return Child(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// Waits for `child` (killing it after `timeout` seconds) and collects its output.
    static func wait(_ child: Child, timeout: Double) -> Result {
        var status: Int32 = 0
        var usage = rusage()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while true {
            let rc = wait4(child.pid, &status, WNOHANG, &usage)
            if rc == child.pid { break }
            if rc < 0 && errno != EINTR { break }
            if Date() > deadline && !timedOut {
                timedOut = true
                kill(child.pid, SIGKILL)
            }
            usleep(20_000)
        }
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        let code = signaled ? 128 + (status & 0x7F) : (status >> 8) & 0xFF
        let out = child.stdoutPath.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } ?? []
        let err = read(child.stderrPath) ?? ""
        if let path = child.stdoutPath { unlink(path) }
        unlink(child.stderrPath)
        return Result(status: code, signaled: signaled, stdout: out, stderr: err, maxRSS: Int(usage.ru_maxrss) * 1024, timedOut: timedOut)
    }

    static func run(_ arguments: [String], stdin: Input = .null, stdout: Output = .capture, timeout: Double = 120) throws -> Result {
        wait(try start(arguments, stdin: stdin, stdout: stdout), timeout: timeout)
    }

    /// Runs `quarry ARGS...`.
    static func quarry(_ arguments: [String], stdin: Input = .null, stdout: Output = .capture, timeout: Double = 120) throws -> Result {
        guard let binary else { throw POSIXError(.ENOENT) }
        return try run([binary] + arguments, stdin: stdin, stdout: stdout, timeout: timeout)
    }

    /// The lines of the output that are not the final summary line.
    static func warnings(_ result: Result) -> [String] {
        result.stderrLines.filter { !$0.hasPrefix("quarry: ") || !$0.contains(" documents, ") }
    }

    /// Files in `folder` whose names look like a sink's temporary file.
    static func temporaryFiles(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") && $0.contains(".tmp-") }
    }
}

/// A small rule pack written into a folder, for tests that break one file of it.
struct RobustPack {
    var files: [String: String]

    static let packYAML = """
        name: robust
        version: '1'
        types:
          PLACE: ~
          COUNTRY: PLACE
          PERSON: ~
          TITLE: ~
        phases:
          - name: names
            gazetteers:
              - gazetteers/places.tsv
          - name: more
            rules:
              - entities/rules.yaml
        relations:
          schema:
            talks:
              roles: {parties: {list: true, min: 2}}
            noise:
              roles: {country: one}
          files:
            - relations/rules.yaml

        """

    static let places = """
        name\ttype\tcanonical\tid\tattrs
        France\tCOUNTRY\tFrance\tQ142\tiso3=FRA
        Japan\tCOUNTRY\tJapan\tQ17\tiso3=JPN

        """

    static let entities = """
        entities:
          - id: person.mr
            type: PERSON
            pattern: 'Mr (?<name>\\p{Lu}\\p{Ll}+)'
            group: name

        """

    static let relations = """
        relations:
          - id: talks.held
            relation: talks
            pattern: '{COUNTRY+:parties} held talks'

        """

    static var standard: RobustPack {
        RobustPack(files: [
            "pack.yaml": packYAML, "gazetteers/places.tsv": places,
            "entities/rules.yaml": entities, "relations/rules.yaml": relations,
        ])
    }

    func write(to folder: String) throws {
        for (relative, text) in files { try Robust.write(folder + "/" + relative, text) }
    }

    /// Loads the pack from `folder/pack`; diagnostics with the folder shown as `DIR`.
    func load(in folder: String) -> (pack: RulePack?, diagnostics: [String]) {
        let directory = folder + "/pack"
        do {
            try write(to: directory)
            let pack = try RulePack.load(directory: directory)
            return (pack, pack.warnings.map { $0.description.replacingOccurrences(of: directory, with: "DIR") })
        } catch let error as RulePackError {
            return (nil, error.diagnostics.map { $0.description.replacingOccurrences(of: directory, with: "DIR") })
        } catch {
            return (nil, ["\(error)"])
        }
    }
}
