import Foundation

/// Threads of the loader's own: started with the pool, before the first task is
/// known, and kept until `close()`. They take tasks in the order added, and a task
/// may add more (a rule file, once parsed, adds its patterns' compiles).
///
/// Dispatch's pool, asked for two threads, started its second up to 3 ms after
/// the first task on a two-core machine (the pack loads in 15 ms there), and each
/// stage waited for the slowest task of the one before.
final class TaskPool: @unchecked Sendable {
    typealias Task = @Sendable (TaskPool) -> Void

    /// Guards everything below; its condition wakes threads waiting for tasks.
    private let condition = NSCondition()
    private var tasks: [Task] = []
    /// The next task to take.
    private var head = 0
    /// Tasks taken and not finished.
    private var running = 0
    private var closing = false

    /// A pool of `threads` threads: `threads - 1` started here, and the one that
    /// calls `runAll()`.
    init(threads: Int) {
        for _ in 0..<max(0, threads - 1) {
            let thread = Thread { [self] in
                work(untilIdle: false)
            }
            // As the main thread's: YAML trees and patterns are parsed by recursion.
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Raised when a task is added or one ends. Watched for up to about 4 ms: the
    /// loader's own serial steps between the prefetch and the merge of the tries
    /// take 2 ms or so, and a thread that slept through them woke up to 1.5 ms
    /// late for the merge.
    private let signal = Signal(looks: 5000)

    /// Adds `task`, to be run on the first thread free.
    func add(_ task: @escaping Task) {
        condition.lock()
        tasks.append(task)
        condition.signal()
        condition.unlock()
        signal.raise()
    }

    /// Runs tasks on this thread too; returns when every task added so far, and
    /// every task those added, is done.
    func runAll() {
        work(untilIdle: true)
    }

    /// Ends the pool's threads once the tasks left are done, without waiting for
    /// them (a sleeping thread can take a millisecond to wake on a virtual
    /// machine); the tasks hold what they use.
    func close() {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
        signal.raise()
    }

    private func work(untilIdle: Bool) {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if head < tasks.count {
                let task = tasks[head]
                head += 1
                running += 1
                condition.unlock()
                task(self)
                condition.lock()
                running -= 1
                if head == tasks.count && running == 0 {
                    // All done: the tasks' closures (and what they hold) go now.
                    tasks.removeAll()
                    head = 0
                    condition.broadcast()
                }
                signal.raise()
            } else if untilIdle ? running == 0 : closing {
                return
            } else {
                // Watched a while before sleeping (see `Signal`): a rule file being
                // parsed adds its patterns within a millisecond or so.
                signal.watchThenWait(condition) { head == tasks.count && !(untilIdle ? running == 0 : closing) }
            }
        }
    }
}
