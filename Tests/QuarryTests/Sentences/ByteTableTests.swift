import Testing

@testable import Quarry

@Suite struct ByteTableTests {
    /// Looks `key` up through the pointer-and-count entry point the splitter uses.
    private func flags(_ table: ByteTable, _ key: [UInt8]) -> UInt8 {
        key.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { table.flags($0, count: buffer.count) } ?? 0
        }
    }

    /// A table grown well past its first slots answers like a dictionary: every key
    /// with the union of the flags it was inserted with, and 0 for keys never inserted
    /// (prefixes, extensions and near misses of inserted ones).
    @Test func answersLikeADictionary() {
        var table = ByteTable()
        var expected: [[UInt8]: UInt8] = [:]
        var seed: UInt64 = 0x1234_5678_9ABC_DEF1
        for _ in 0..<3_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(seed >> 60) % 9 + 1
            let key = (0..<length).map { UInt8(truncatingIfNeeded: (seed >> (8 * UInt64($0) % 56)) % 6) + 0x61 }
            let flag = UInt8(1) << UInt8(seed >> 33 & 7)
            table.insert(key, flags: flag)
            expected[key, default: 0] |= flag
        }
        #expect(table.maxKeyLength == expected.keys.map(\.count).max())
        for (key, value) in expected {
            #expect(table.flags(key) == value, "\(key)")
            #expect(flags(table, key) == value, "\(key)")
            for probe in [key + [0x61], Array(key.dropLast()), key.map { $0 + 6 }] where expected[probe] == nil {
                #expect(table.flags(probe) == 0, "\(probe)")
            }
        }
    }

    /// An empty table, the empty key and keys longer than any entry find nothing.
    @Test func findsNothingOutsideItsKeys() {
        var table = ByteTable()
        #expect(table.flags(Array("Mr.".utf8)) == 0)
        table.insert(Array("Mr.".utf8), flags: 1)
        table.insert(Array("Mr.".utf8), flags: 4)
        #expect(table.flags(Array("Mr.".utf8)) == 5)
        #expect(table.flags([]) == 0)
        #expect(table.flags(Array("Mrs.".utf8)) == 0)
        #expect(table.maxKeyLength == 3)
    }
}
