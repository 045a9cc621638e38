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

    @Test func theCoresAllowedComeFromTheAffinityMask() {
        #expect(Cores.allowedCores(status: "Name:\tquarry\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n") == 2)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t1\n") == 1)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\tffffffff,ffffffff\n") == 64)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t00000000,00000010\n") == 1)
        #expect(Cores.allowedCores(status: "Cpus_allowed:\t0\n") == nil)
        #expect(Cores.allowedCores(status: "Name:\tquarry\n") == nil)
    }
}
