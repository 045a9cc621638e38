import Foundation

/// Hands out the indexes of a list of work to the threads that share it, each
/// index once: batch documents to the pipeline's workers, files and patterns to
/// the rule pack's prefetch.
final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// The next index below `count`, or nil when all are taken.
    func take(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard value < count else { return nil }
        value += 1
        return value - 1
    }
}
