import Foundation
import Testing
@testable import Quarry

/// Lines cut from blocks of input: every line whole and in order, whatever the
/// block size, however long a line.
@Suite struct LineReaderTests {
    /// The lines `LineReader` gives for `text` read in blocks of `blockSize` bytes
    /// (the first of `firstBlockSize`, doubling up to `blockSize`).
    private static func lines(of text: [UInt8], blockSize: Int, firstBlockSize: Int? = nil) throws -> [[UInt8]] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-lines-\(UUID().uuidString)").path
        try Data(text).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor, blockSize: blockSize, firstBlockSize: firstBlockSize ?? blockSize)
        var lines: [[UInt8]] = []
        while let line = reader.nextLine() { lines.append(line.withBytes { Array($0) }) }
        #expect(reader.readError == nil)
        return lines
    }

    /// What splitting on newlines gives: a last line without a newline counts, an
    /// empty text has none.
    private static func expected(_ text: [UInt8]) -> [[UInt8]] {
        var parts = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if text.last == 0x0A || text.isEmpty { parts.removeLast() }
        return parts
    }

    @Test(arguments: [(1, nil), (2, nil), (3, nil), (7, nil), (64, nil), (1 << 20, nil), (64, 1), (1 << 20, 5), (1 << 20, 1 << 16)])
    func everyLineWholeAndInOrder(blockSize: Int, firstBlockSize: Int?) throws {
        let texts: [String] = [
            "",
            "\n",
            "one",
            "one\ntwo\n",
            "one\r\ntwo\r\n\n\nthree",
            String(repeating: "long line ", count: 300) + "\nshort\n" + String(repeating: "é", count: 500),
            (0..<200).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }.joined(separator: "\n") + "\n",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(try Self.lines(of: bytes, blockSize: blockSize, firstBlockSize: firstBlockSize) == Self.expected(bytes), "\(text.prefix(30))")
        }
    }

    @Test func linesKeptWhileReadingGoesOnStayWhole() throws {
        // Lines held past many refills: a block's memory goes back to the pool
        // only when its last line is gone, so a kept line is never overwritten.
        let text = (0..<3_000).map { "line \($0) " + String(repeating: "y", count: $0 % 53) }.joined(separator: "\n") + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-lines-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor, blockSize: 256, firstBlockSize: 16)
        var kept: [InputLine] = []
        var copies: [[UInt8]] = []
        while let line = reader.nextLine() {
            copies.append(line.withBytes { Array($0) })
            // Every third line kept; the others dropped at once, so their blocks
            // are reused while the kept ones' are not.
            if copies.count % 3 == 0 { kept.append(line) }
        }
        #expect(copies == Self.expected(Array(text.utf8)))
        for (index, line) in kept.enumerated() {
            #expect(line.withBytes { Array($0) } == copies[3 * index + 2])
        }
    }

    @Test func aPoolHandsBackTheMemoryOfBlocksThatAreGone() {
        let pool = BlockPool(readSize: 64, limit: 2)
        let blocks = (0..<3).map { _ in pool.take(100) }
        // A pooled block holds a read and a carried line as long.
        #expect(blocks.allSatisfy { $0.count == 128 })
        blocks.forEach(pool.give)
        // The pool keeps two (its limit), last in first out; any size that fits
        // takes one.
        #expect(pool.take(10).baseAddress == blocks[1].baseAddress)
        #expect(pool.take(128).baseAddress == blocks[0].baseAddress)
        // A longer block has memory of its own.
        let long = pool.take(500)
        #expect(long.count == 500)
        pool.give(long)
        // Back to the pool, which frees them when it goes.
        pool.give(blocks[0])
        pool.give(blocks[1])
    }

    @Test func linesShareTheirBlock() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-lines-\(UUID().uuidString)").path
        try Data("a\nbb\nccc\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let reader = LineReader(descriptor: descriptor)
        let first = try #require(reader.nextLine())
        let second = try #require(reader.nextLine())
        // No copy per line: both are ranges of one block.
        #expect(first.block === second.block)
        #expect(first.range == 0..<1 && second.range == 2..<4)
    }

    @Test("not waiting on a pipe: nil until a line is whole, then the line; at the end, exhausted")
    func notWaitingOnAPipe() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let reader = LineReader(descriptor: fds[0], blockSize: 4)
        func send(_ text: String) { _ = Array(text.utf8).withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) } }
        #expect(reader.nextLine(waiting: false) == nil)
        #expect(!reader.isExhausted)
        send("first li")
        #expect(reader.nextLine(waiting: false) == nil)
        #expect(!reader.isExhausted)
        send("ne\nsecond line\nthi")
        #expect(reader.nextLine(waiting: false).map { $0.withBytes { String(decoding: $0, as: UTF8.self) } } == "first line")
        #expect(reader.nextLine(waiting: false).map { $0.withBytes { String(decoding: $0, as: UTF8.self) } } == "second line")
        #expect(reader.nextLine(waiting: false) == nil)
        #expect(!reader.isExhausted)
        send("rd")
        close(fds[1])
        #expect(reader.nextLine(waiting: false).map { $0.withBytes { String(decoding: $0, as: UTF8.self) } } == "third")
        #expect(reader.nextLine(waiting: false) == nil)
        #expect(reader.isExhausted)
        #expect(reader.nextLine() == nil)
    }
}
