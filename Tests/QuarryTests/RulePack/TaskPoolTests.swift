import Foundation
import Synchronization
import Testing
@testable import Quarry

@Suite struct TaskPoolTests {
    /// Tasks that add tasks, three levels deep: `runAll` returns once the last of
    /// them is done, whatever the number of threads.
    @Test(arguments: [1, 2, 3, 8])
    func runAllWaitsForTasksThatTasksAdd(threads: Int) {
        let pool = TaskPool(threads: threads)
        defer { pool.close() }
        let done = Mutex<[Int]>([])
        for first in 0..<5 {
            pool.add { pool in
                for second in 0..<4 {
                    pool.add { pool in
                        for third in 0..<3 {
                            pool.add { _ in
                                usleep(50)
                                done.withLock { $0.append(first * 100 + second * 10 + third) }
                            }
                        }
                    }
                }
            }
        }
        pool.runAll()
        let finished = done.withLock { $0 }
        #expect(finished.count == 5 * 4 * 3)
        #expect(Set(finished).count == 60)
        // The pool runs a second round as it ran the first.
        pool.add { _ in done.withLock { $0.append(-1) } }
        pool.runAll()
        #expect(done.withLock { $0.count } == 61)
    }

    /// With nothing added, `runAll` returns at once.
    @Test func runAllWithNoTasksReturns() {
        let pool = TaskPool(threads: 2)
        pool.runAll()
        pool.close()
    }
}
