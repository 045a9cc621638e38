import Synchronization

/// Hands out the indexes of a list of work to the threads that share it, each
/// index once: batch documents to the pipeline's workers, files and patterns to
/// the rule pack's prefetch.
///
/// An atomic counter, not a lock: with two workers, a lock's cache line moved
/// between the cores twice a document.
final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)

    /// The next index below `count`, or nil when all are taken.
    func take(below count: Int) -> Int? {
        take(upTo: 1, below: count)?.lowerBound
    }

    /// The next at most `run` indexes below `count`, or nil when all are taken.
    func take(upTo run: Int, below count: Int) -> Range<Int>? {
        let start = value.wrappingAdd(run, ordering: .relaxed).oldValue
        guard start < count else { return nil }
        return start..<min(start + run, count)
    }
}
