import ArgumentParser
import Foundation
import Quarry
import Synchronization

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Extract facts from documents and write them as NDJSON.")

    @Argument(help: "Files or folders to read (.txt, .md, .jsonl); '-' reads JSONL documents from stdin.")
    var paths: [String] = []

    @OptionGroup var pack: PackOptions

    @Option(name: .long, help: "Write facts to this file (atomically) instead of stdout.")
    var output: String?

    @Option(name: .long, help: "Also write every entity mention to this file as NDJSON.")
    var mentions: String?

    @Option(name: .long, help: "Worker threads (default: the cores this process may run on, within its control group's CPU limit).")
    var jobs: Int = Cores.available

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one file or folder to read, or '-' for stdin") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        // A closed stderr (`2>&1 | head`) must not end the run: its warnings are
        // dropped, and the records still go where they were asked to (a closed
        // stdout ends it quietly, see `RecordSink`).
        signal(SIGPIPE, SIG_IGN)
        // Loading gains nothing from more threads than cores (`--jobs` may ask for
        // more workers than that: 500 loader threads took 50 ms to start).
        let rulePack = try pack.load(jobs: min(jobs, Cores.available))
        // The pack lives until the process ends: freeing its objects one by one
        // when `run` returns took 5.7 M instructions (about a millisecond) for
        // memory the exit gives back anyway.
        _ = Unmanaged.passRetained(rulePack)
        let started = Date()
        let factSink: RecordSink
        let mentionSink: RecordSink?
        do {
            factSink = try output.map { path throws(RecordSink.Failure) in try RecordSink.file(path) } ?? .standardOutput()
            mentionSink = try mentions.map { path throws(RecordSink.Failure) in try RecordSink.file(path) }
        } catch {
            if case .io(let message) = error { Console.error("quarry: " + message) }
            throw ExitCode(2)
        }
        let progress = Progress(enabled: Console.stderrIsTerminal)
        let reader = CorpusReader(paths: paths) { warning in
            progress.clear()
            Console.error(warning.description)
        }
        // Only a progress bar needs the total: a walk of every folder, on a thread
        // of its own, so that reading starts at once (the bar shows a fraction
        // once the total is known).
        if progress.enabled {
            let paths = paths
            Thread.detachNewThread { progress.setTotal(CorpusReader.totalBytes(of: paths)) }
        }
        let pipeline = Pipeline(processor: DocumentProcessor(pack: rulePack), jobs: jobs, encodeMentions: mentionSink != nil)
        let summary: Pipeline.Summary
        do {
            var documents = 0
            var facts = 0
            var inputBytes = 0
            summary = try pipeline.run(reader) { output in
                if !output.warnings.isEmpty {
                    progress.clear()
                    output.warnings.forEach { Console.error($0.description) }
                }
                try factSink.write(output.facts)
                if let mentionSink { try mentionSink.write(output.mentions) }
                if output.isDocument { documents += 1 }
                facts += output.factCount
                inputBytes += output.inputBytes
                progress.update(documents: documents, bytes: inputBytes, facts: facts)
            } batchWritten: {
                // From stdin, a batch's records go out as soon as they are made.
                if reader.isStreaming {
                    try factSink.flush()
                    try mentionSink?.flush()
                }
            }
            try factSink.finish()
            try mentionSink?.finish()
        } catch let failure as RecordSink.Failure {
            factSink.abandon()
            mentionSink?.abandon()
            progress.clear()
            if case .io(let message) = failure {
                Console.error("quarry: " + message)
                throw ExitCode(1)
            }
            // A reader that closed the pipe wants no more and no message.
            throw ExitCode(0)
        }
        progress.clear()
        let seconds = Date().timeIntervalSince(started)
        let rate = Double(summary.bytes) / 1e6 / max(seconds, 1e-9)
        let skipped = reader.skipped + summary.skipped
        Console.error(
            "quarry: \(summary.documents) documents, \(summary.sentences) sentences, \(summary.mentions) mentions, "
                + "\(summary.facts) facts in \(Figures.fixed(seconds, digits: 2)) s (\(Figures.fixed(rate, digits: 1)) MB/s)"
                + (skipped > 0 ? ", \(skipped) input\(skipped == 1 ? "" : "s") skipped" : ""))
        if skipped > 0 { throw ExitCode(1) }
    }
}

/// A one-line progress bar on stderr, drawn only on a terminal and at most ten
/// times a second.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    /// The total bytes of input, once a walk has worked it out (-1 before, and
    /// for stdin); set from that walk's thread.
    private let total = Atomic<Int>(-1)
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func setTotal(_ bytes: Int?) { total.store(bytes ?? -1, ordering: .relaxed) }

    func update(documents: Int, bytes: Int, facts: Int) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = Date()
        let seconds = max(Date().timeIntervalSince(started), 1e-3)
        let rate = Double(bytes) / 1e6 / seconds
        var line = String(format: "%d docs  %.1f MB  %d facts  %.1f MB/s", documents, Double(bytes) / 1e6, facts, rate)
        let total = total.load(ordering: .relaxed)
        if total > 0 {
            let fraction = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(fraction * Double(width))
            let eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
            line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + String(format: "%3.0f%%  ", fraction * 100) + line + String(format: "  ETA %.0fs", eta)
        }
        Console.send("\r\u{1B}[K" + line, to: 2)
        drawn = true
    }

    func clear() {
        guard enabled, drawn else { return }
        Console.send("\r\u{1B}[K", to: 2)
        drawn = false
    }
}
