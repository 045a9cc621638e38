import Foundation
import Testing
@testable import Quarry

@Suite struct SignalTests {
    @Test func aRaiseBeforeTheWatchIsSeenAtOnce() {
        let signal = Signal(looks: 5)
        let seen = signal.now
        signal.raise()
        #expect(signal.watch(from: seen))
        #expect(signal.now != seen)
    }

    @Test func aWatchWithNoRaiseGivesUp() {
        let signal = Signal(looks: 5)
        #expect(!signal.watch(from: signal.now))
    }

    /// A raise from another thread while one watches ends the watch (on a machine
    /// of one core the watch gives up at once, and the thread would sleep).
    @Test func aRaiseFromAnotherThreadEndsTheWatch() {
        let signal = Signal(looks: 10_000_000)
        let seen = signal.now
        let raiser = Thread { usleep(2_000); signal.raise() }
        raiser.start()
        let seenRaise = signal.watch(from: seen)
        if ProcessInfo.processInfo.activeProcessorCount > 1 { #expect(seenRaise) }
        while signal.now == seen { usleep(100) }
    }
}
