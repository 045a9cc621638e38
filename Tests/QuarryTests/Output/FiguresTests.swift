import Foundation
import Testing
@testable import Quarry

@Suite struct FiguresTests {
    @Test(arguments: [
        (0.0, 2, "0.00"), (0.004, 2, "0.00"), (0.006, 2, "0.01"), (0.125, 2, "0.12"), (0.375, 2, "0.38"),
        (2.675, 2, "2.67"), (1.005, 2, "1.00"), (47.15, 1, "47.1"), (47.25, 1, "47.2"), (999.96, 1, "1000.0"),
        (16.34, 0, "16"), (0.5, 0, "0"), (1.5, 0, "2"), (-0.001, 2, "-0.00"), (123456.789, 3, "123456.789"),
    ])
    func fixedWritesWhatPrintfWrites(value: Double, digits: Int, expected: String) {
        #expect(Figures.fixed(value, digits: digits) == expected)
        #expect(String(format: "%.\(digits)f", value) == expected)
    }

    @Test func fixedAgreesWithPrintfOnSummaryFigures() {
        // Durations and rates as runs print them: seconds with two decimals, MB/s with one.
        var generator = SplitMix(seed: 0xF16_0E5)
        for _ in 0..<20_000 {
            let value = Double(generator.next() % 100_000_000) / Double(1 + generator.next() % 100_000) / (generator.next() % 2 == 0 ? 1 : 4096)
            for digits in 0...3 {
                #expect(Figures.fixed(value, digits: digits) == String(format: "%.\(digits)f", value), "\(value)")
            }
        }
    }

    @Test func valuesBeyondTheRangeAreDescribed() {
        #expect(Figures.fixed(.infinity, digits: 1) == "inf")
        #expect(Figures.fixed(1e20, digits: 1) == "1e+20")
    }
}
