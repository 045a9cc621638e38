import Dispatch
import Foundation

/// Runs the processor over a corpus on several threads and hands the encoded
/// records to the writer in document order.
///
/// Inputs are read in batches; while the workers process one batch, this thread
/// reads the next and writes the one before, in order. A JSONL line is parsed by
/// the worker that takes it, so this thread only cuts lines and writes. Memory is
/// bounded by three batches, whatever the corpus size, and the output does not
/// depend on the number of jobs. Stdin is read a few documents at a time, so facts
/// come out as its documents do.
public final class Pipeline {
    /// Counts for the summary line.
    public struct Summary: Sendable {
        public var documents = 0
        public var sentences = 0
        public var mentions = 0
        public var facts = 0
        public var bytes = 0
        /// JSONL lines left out (each named in a warning).
        public var skipped = 0
    }

    /// One input's records, encoded by the worker that processed it; for a JSONL
    /// line left out, only its warnings.
    public struct Output: Sendable {
        /// False for an input that gave no document (a bad JSONL line).
        public var isDocument = true
        public var facts: [UInt8]
        public var mentions: [UInt8]
        public var warnings: [Diagnostic]
        public var sentences: Int
        public var mentionCount: Int
        public var factCount: Int
        public var bytes: Int
        /// Bytes of input the document came from (see `Document.inputBytes`).
        public var inputBytes: Int
    }

    public let processor: DocumentProcessor
    public let jobs: Int
    public let encodeMentions: Bool
    /// Largest batch, in documents and in bytes of text.
    public var batchDocuments = 2048
    public var batchBytes = 8 << 20
    private let scratches: [MatchScratch]

    public init(processor: DocumentProcessor, jobs: Int, encodeMentions: Bool) {
        self.processor = processor
        self.jobs = max(1, jobs)
        self.encodeMentions = encodeMentions
        scratches = (0..<max(1, jobs)).map { _ in processor.makeScratch() }
    }

    /// Processes every document `reader` yields; `write` gets each document's output
    /// in order and may throw to stop the run (a closed pipe, a full disk).
    public func run(_ reader: CorpusReader, write: (Output) throws -> Void) throws -> Summary {
        var summary = Summary()
        let streaming = reader.isStreaming
        func readBatch() -> [CorpusReader.Item] {
            var batch: [CorpusReader.Item] = []
            var bytes = 0
            let limit = streaming ? jobs : batchDocuments
            while batch.count < limit, bytes < batchBytes, let item = reader.nextItem() {
                bytes += item.size
                batch.append(item)
            }
            return batch
        }
        /// Starts the workers on `batch`; the group is done when every document is.
        func start(_ batch: [CorpusReader.Item]) -> (group: DispatchGroup, results: ResultSlots) {
            let results = ResultSlots(count: batch.count)
            let group = DispatchGroup()
            let next = NextIndex()
            // Threads of our own, not Dispatch's pool: on Linux the pool runs fewer
            // threads than asked when the machine looks busy, which halved --jobs 2.
            for worker in 0..<min(jobs, batch.count) {
                let scratch = scratches[worker]
                group.enter()
                let thread = Thread { [processor, encodeMentions] in
                    while let index = next.take(below: batch.count) {
                        let (document, warnings) = batch[index].resolve()
                        guard let document else {
                            results.store(Output(skipping: batch[index], warnings: warnings), at: index)
                            continue
                        }
                        var output = Self.encode(processor.process(document, scratch: scratch), mentions: encodeMentions)
                        output.warnings = warnings + output.warnings
                        results.store(output, at: index)
                    }
                    group.leave()
                }
                thread.stackSize = 8 << 20
                thread.start()
            }
            return (group, results)
        }
        // While the workers process one batch, this thread reads the next and
        // writes the one before: the workers never wait for either.
        var current = readBatch()
        var running = current.isEmpty ? nil : start(current)
        defer { running?.group.wait() }
        while let (group, results) = running {
            let following = streaming ? [] : readBatch()
            group.wait()
            running = following.isEmpty ? nil : start(following)
            for output in results.outputs() {
                guard output.isDocument else {
                    summary.skipped += 1
                    try write(output)
                    continue
                }
                summary.documents += 1
                summary.sentences += output.sentences
                summary.mentions += output.mentionCount
                summary.facts += output.factCount
                summary.bytes += output.bytes
                try write(output)
            }
            if streaming {
                current = readBatch()
                running = current.isEmpty ? nil : start(current)
            }
        }
        return summary
    }

    static func encode(_ processed: ProcessedDocument, mentions: Bool) -> Output {
        var facts = JSONBuffer()
        RecordEncoder.facts(processed, into: &facts)
        var mentionBuffer = JSONBuffer()
        if mentions { RecordEncoder.mentions(processed, into: &mentionBuffer) }
        return Output(
            facts: facts.bytes, mentions: mentionBuffer.bytes, warnings: processed.warnings,
            sentences: processed.sentences.count, mentionCount: processed.mentions.count,
            factCount: processed.facts.count, bytes: processed.bytes.count, inputBytes: processed.document.inputBytes)
    }
}

extension Pipeline.Output {
    /// The output of an input that gave no document: its warnings only.
    init(skipping item: CorpusReader.Item, warnings: [Diagnostic]) {
        self.init(isDocument: false, facts: [], mentions: [], warnings: warnings, sentences: 0, mentionCount: 0,
                  factCount: 0, bytes: 0, inputBytes: item.size + 1)
    }
}


/// One slot per document of a batch; each slot is written by exactly one worker
/// and read only after all workers are done.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [Pipeline.Output?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ output: Pipeline.Output, at index: Int) {
        lock.lock()
        slots[index] = output
        lock.unlock()
    }

    func outputs() -> [Pipeline.Output] { slots.compactMap { $0 } }
}
