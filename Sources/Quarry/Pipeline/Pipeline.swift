import Dispatch
import Foundation
import Synchronization

/// Runs the processor over a corpus on several threads and hands the encoded
/// records to the writer in document order.
///
/// Inputs are read in batches; while the workers process one batch, this thread
/// reads the next (handed to them at once) and writes the one finished, in order.
/// A JSONL line is parsed by the worker that takes it, so this thread only cuts
/// lines and writes (with one worker, it parses the lines and reads the files too:
/// it is otherwise idle). Memory is bounded by three batches, whatever the corpus
/// size, and the output does not depend on the number of jobs. From stdin, a batch
/// is the documents that have come already (at least one): a fast writer fills
/// batches as a file does, and facts still come out as the documents of a slow
/// one do.
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
    /// Documents per job in the first batch.
    static let firstBatchDocumentsPerJob = 32
    /// Documents a worker takes from a batch at once (at the end of a batch the
    /// other workers may wait for the last of them: a few tens of microseconds).
    static let documentsPerTake = 4
    public var batchBytes = 8 << 20
    private let scratches: [MatchScratch]
    /// Each worker's JSON of the mentions' entities, kept across its documents.
    private let mentionCaches: [RecordEncoder.MentionCache]

    public init(processor: DocumentProcessor, jobs: Int, encodeMentions: Bool) {
        self.processor = processor
        self.jobs = max(1, jobs)
        self.encodeMentions = encodeMentions
        scratches = (0..<max(1, jobs)).map { _ in processor.makeScratch() }
        mentionCaches = (0..<max(1, jobs)).map { _ in RecordEncoder.MentionCache() }
    }

    /// Processes every document `reader` yields; `write` gets each document's output
    /// in order and may throw to stop the run (a closed pipe, a full disk).
    /// `batchWritten` is called after the outputs of each batch (for a stream, the
    /// place to flush them).
    public func run(
        _ reader: CorpusReader, write: (Output) throws -> Void, batchWritten: () throws -> Void = {}
    ) throws -> Summary {
        var summary = Summary()
        let streaming = reader.isStreaming
        // With one worker this thread also reads and parses the inputs (see
        // `CorpusReader.resolvesItems`).
        reader.resolvesItems = jobs == 1
        // The workers wait for the first batch: it is small (reading 2,048 lines
        // took 2 to 4 ms, with every worker idle), and each next one four times as
        // large up to `batchDocuments`. Each is read while the workers process the
        // one before, which takes longer than reading four times as many lines.
        var nextLimit = min(batchDocuments, jobs * Self.firstBatchDocumentsPerJob)
        /// The next batch; from a stream, with `waiting` false, only what has come
        /// already (maybe nothing), and with `waiting` true, at least one document
        /// unless the input has ended.
        func readBatch(waiting: Bool) -> [CorpusReader.Item] {
            var batch: [CorpusReader.Item] = []
            var bytes = 0
            let limit = nextLimit
            nextLimit = min(batchDocuments, nextLimit * 4)
            while batch.count < limit, bytes < batchBytes,
                  let item = reader.nextItem(waiting: !streaming || (waiting && batch.isEmpty))
            {
                bytes += item.size
                batch.append(item)
            }
            return batch
        }
        // Threads of our own, not Dispatch's pool: on Linux the pool runs fewer
        // threads than asked when the machine looks busy, which halved --jobs 2.
        // They live for the whole run: threads started afresh for each batch often
        // began on one core together, and the other core idled until the kernel
        // moved one of them (25 ms of one core, several times a run, at --jobs 2).
        let workers = Workers(count: jobs) { [processor, encodeMentions, scratches, mentionCaches] worker, job in
            let scratch = scratches[worker]
            let mentionCache = encodeMentions ? mentionCaches[worker] : nil
            let batch = job.batch
            // A few documents at a time: fewer trips to the shared counter, and
            // neighbouring slots mostly written by one worker.
            var done = 0
            while let run = job.next.take(upTo: Self.documentsPerTake, below: batch.count) {
                for index in run {
                    let (document, warnings) = batch[index].resolve()
                    guard let document else {
                        job.results.store(Output(skipping: batch[index], warnings: warnings), at: index)
                        continue
                    }
                    var output = Self.encode(processor.process(document, scratch: scratch), mentions: mentionCache)
                    output.warnings = warnings + output.warnings
                    job.results.store(output, at: index)
                }
                done += run.count
            }
            // Once, when no document is left to take: the count is shared by every
            // worker, and lowering it for each take moved its cache line between
            // the cores thousands of times a run.
            job.finished(done)
        }
        var completed = false
        defer { workers.stop(waiting: !completed) }
        // The batch after the one being processed is handed over as soon as it is
        // read: a worker that runs out of documents goes on to it at once. So the
        // workers never wait for this thread at the end of a batch (waking them
        // there cost up to 4 ms of one core, several times a run, at --jobs 2:
        // the woken worker took this thread's core and the other core idled).
        // While they work, this thread reads the next batch and writes the one
        // finished. From a stream, the next batch is what has come while the
        // workers were busy: waiting for more would hold back the facts of the
        // batch before.
        let first = readBatch(waiting: true)
        var current = first.isEmpty ? nil : workers.hand(first)
        while let job = current {
            let following = readBatch(waiting: !streaming)
            current = following.isEmpty ? nil : workers.hand(following)
            job.wait()
            try job.results.forEachOutput { output in
                guard output.isDocument else {
                    summary.skipped += 1
                    try write(output)
                    return
                }
                summary.documents += 1
                summary.sentences += output.sentences
                summary.mentions += output.mentionCount
                summary.facts += output.factCount
                summary.bytes += output.bytes
                try write(output)
            }
            try batchWritten()
            if streaming && current == nil {
                let next = readBatch(waiting: true)
                current = next.isEmpty ? nil : workers.hand(next)
            }
        }
        completed = true
        return summary
    }

    /// The document's records; its mentions' too when given the worker's cache
    /// for them.
    static func encode(_ processed: ProcessedDocument, mentions cache: RecordEncoder.MentionCache?) -> Output {
        var facts = JSONBuffer()
        RecordEncoder.facts(processed, into: &facts)
        var mentionBuffer = JSONBuffer()
        if let cache { RecordEncoder.mentions(processed, into: &mentionBuffer, cache: cache) }
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
                  factCount: 0, bytes: 0, inputBytes: item.inputBytes)
    }
}

/// One slot per document of a batch; each slot is written by exactly one worker
/// and read only after all workers are done (`Workers.wait(for:)`: the
/// semaphores order the writes before the reads). Slots are separate places in
/// memory, so the workers store without a lock (one was taken and released a
/// document, its cache line moving between the cores).
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Pipeline.Output?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ output: Pipeline.Output, at index: Int) {
        slots[index] = output
    }

    /// Calls `body` with each output in order, moved out of its slot (no copy of
    /// its arrays, and none left behind to release with the slots).
    func forEachOutput(_ body: (Pipeline.Output) throws -> Void) rethrows {
        for index in slots.indices {
            guard let output = slots[index].take() else { continue }
            try body(output)
        }
    }
}

/// One batch handed to the workers: its inputs, a slot for each one's output, the
/// next input to take, and how many are not done yet.
private final class Job: Sendable {
    let batch: [CorpusReader.Item]
    let results: ResultSlots
    let next = NextIndex()
    private let remaining: Atomic<Int>
    private let done = DispatchSemaphore(value: 0)

    init(_ batch: [CorpusReader.Item]) {
        self.batch = batch
        results = ResultSlots(count: batch.count)
        remaining = Atomic(batch.count)
    }

    /// Records that a worker, finding no input left to take, is done with the
    /// `count` it took (their outputs stored); the last one lets `wait()` return.
    func finished(_ count: Int) {
        // A worker that took none leaves the count as it is (it may be 0 already).
        guard count > 0 else { return }
        // Releasing: this worker's stores come before the count it leaves; acquiring:
        // the last worker sees every other's, and the semaphore hands them on.
        if remaining.subtract(count, ordering: .acquiringAndReleasing).newValue == 0 { done.signal() }
    }

    /// Returns when every input's output is stored.
    func wait() {
        done.wait()
    }
}

/// The worker threads of a run: started once, each taking inputs from the oldest
/// batch handed over that has some left, and waiting only when none has.
private final class Workers: @unchecked Sendable {
    typealias Body = @Sendable (_ worker: Int, _ job: Job) -> Void

    /// Guards `queue` and `stopping`; its condition wakes waiting workers.
    private let condition = NSCondition()
    /// The batches handed over, oldest first, but for those a worker found empty.
    private var queue: [Job] = []
    private var stopping = false
    /// Raised with each batch handed over and at the stop.
    private let signal = Signal()
    private let exited = DispatchSemaphore(value: 0)
    private let count: Int

    init(count: Int, body: @escaping Body) {
        self.count = max(1, count)
        for worker in 0..<self.count {
            let thread = Thread { [self] in
                var job: Job?
                while let next = self.job(after: job) {
                    // The batch before goes now, not after this one: held while the
                    // next is read, it kept a fourth batch of documents alive.
                    job = next
                    body(worker, next)
                }
                exited.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Hands `batch` to the workers (waking those that sleep with one call).
    func hand(_ batch: [CorpusReader.Item]) -> Job {
        let job = Job(batch)
        condition.lock()
        queue.append(job)
        condition.broadcast()
        condition.unlock()
        signal.raise()
        return job
    }

    /// The oldest batch with inputs left, once `finished` (the batch a worker found
    /// empty, if any) is dropped; nil when the workers are to stop. A worker with
    /// none watches for one a while before it sleeps (see `Signal`).
    private func job(after finished: Job?) -> Job? {
        condition.lock()
        defer { condition.unlock() }
        if let finished, queue.first === finished { queue.removeFirst() }
        while queue.isEmpty && !stopping {
            signal.watchThenWait(condition) { queue.isEmpty && !stopping }
        }
        return stopping ? nil : queue.first
    }

    /// Ends every worker thread once it is done with the inputs it took (batches
    /// not yet taken are dropped: after a write error no one waits for them).
    /// With `waiting`, returns when they have ended: a worker still busy after a
    /// write error uses its scratch, which a next run would use too. Without, the
    /// workers are idle and end on their own (a sleeping thread can take a
    /// millisecond to wake on a virtual machine, and nothing needs it to).
    func stop(waiting: Bool) {
        condition.lock()
        stopping = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        signal.raise()
        if waiting {
            for _ in 0..<count { exited.wait() }
        }
    }
}
