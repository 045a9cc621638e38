#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A count that goes up whenever a waiting thread may have something to do, for
/// threads to watch a while before they sleep.
///
/// Why not sleep at once: Linux wakes a sleeping thread on the waking thread's
/// core when it can. On a two-core virtual machine the woken thread then shared
/// that core with its waker for up to a scheduler tick (4 ms) while the other
/// core idled, several times a run. A thread that is still watching when the work
/// comes is running already, on a core of its own.
final class Signal: Sendable {
    private let count = Atomic<Int>(0)
    /// Watching stops after this many looks (each gives the core away if another
    /// thread wants it): about a millisecond on an idle machine.
    private let looks: Int

    init(looks: Int = 1000) {
        self.looks = looks
    }

    /// The count now, to watch from.
    var now: Int { count.load(ordering: .acquiring) }

    /// Records that something may be there for a waiting thread.
    func raise() {
        count.wrappingAdd(1, ordering: .releasing)
    }

    /// Watches the count until it moves from `seen` (true) or the looks run out
    /// (false: the caller goes to sleep). On one core it never watches: there the
    /// thread it waits for needs the core.
    func watch(from seen: Int) -> Bool {
        guard Cores.available > 1 else { return count.load(ordering: .acquiring) != seen }
        for _ in 0..<looks {
            if count.load(ordering: .acquiring) != seen { return true }
            sched_yield()
        }
        return count.load(ordering: .acquiring) != seen
    }

    /// Waits once for what `blocked` says is missing: called with `condition`
    /// locked and `blocked()` true; returns with it locked, after a raise or a
    /// wake-up (the caller checks again). The lock is let go while watching.
    func watchThenWait(_ condition: NSCondition, while blocked: () -> Bool) {
        let seen = now
        condition.unlock()
        let moved = watch(from: seen)
        condition.lock()
        if !moved && blocked() { condition.wait() }
    }
}
