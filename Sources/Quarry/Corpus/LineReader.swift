#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An immutable block of input bytes, shared by the lines cut from it: a line is a
/// range of its block, not a copy. The block is freed with the last of its lines.
public final class ByteBlock: Sendable {
    public let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// One line of input: a range of a shared block.
public struct InputLine: Sendable {
    public let block: ByteBlock
    public let range: Range<Int>

    public var count: Int { range.count }

    /// Calls `body` with the line's bytes.
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try block.bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }
}

/// Reads a file descriptor line by line in blocks, so that stdin and large JSONL
/// files stream in bounded memory (a line's own length aside).
///
/// Lines are handed out as ranges of the block they lie in, not copied: the thread
/// that reads the inputs only finds line ends, and the workers read the lines where
/// they are. A block is freed when its last line is.
///
/// - Complexity: linear in the input, however long a line is: the search for a
///   newline resumes where the previous one stopped, and a new block copies only
///   the unfinished line of the one before.
final class LineReader {
    private let descriptor: Int32
    private let blockSize: Int
    /// The size of the next read: blocks start small and double up to
    /// `blockSize`, so the first lines are there before a whole block is read
    /// (into fresh pages: 1 MB took about 0.5 ms while every worker waited).
    private var readSize: Int
    /// The block lines are being cut from.
    private var block = ByteBlock([])
    /// Where the next line starts in `block`.
    private var start = 0
    /// `block.bytes[start..<scanned]` is known to hold no newline.
    private var scanned = 0
    private var atEnd = false
    /// The error that ended reading early, if any (errno text).
    private(set) var readError: String?

    init(descriptor: Int32, blockSize: Int = 1 << 20, firstBlockSize: Int = 1 << 16) {
        self.descriptor = descriptor
        self.blockSize = max(1, blockSize)
        readSize = max(1, min(firstBlockSize, blockSize))
    }

    /// Whether every line has been handed out.
    var isExhausted: Bool { atEnd && start >= block.bytes.count }

    /// The next line without its `\n` (a trailing `\r` stays: it is text), or nil at
    /// the end; a last line without a newline is still a line.
    ///
    /// With `waiting` false, nil also when the line is not complete and the
    /// descriptor has nothing more to read yet (a pipe whose writer has not written
    /// it): no call blocks then, and `isExhausted` tells the two apart.
    func nextLine(waiting: Bool = true) -> InputLine? {
        while true {
            let from = scanned
            let newline: Int? = block.bytes.withUnsafeBufferPointer { bytes in
                guard from < bytes.count, let base = bytes.baseAddress,
                      let found = memchr(base + from, 0x0A, bytes.count - from)
                else { return nil }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                let line = InputLine(block: block, range: start..<newline)
                start = newline + 1
                scanned = start
                return line
            }
            scanned = block.bytes.count
            if atEnd {
                guard start < block.bytes.count else { return nil }
                let line = InputLine(block: block, range: start..<block.bytes.count)
                start = block.bytes.count
                scanned = start
                return line
            }
            if !waiting && !isReadable() { return nil }
            refill()
        }
    }

    /// Whether a read would return at once (data, the end, or an error).
    private func isReadable() -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&entry, 1, 0)
            if ready >= 0 { return ready > 0 }
            if errno != EINTR { return true }
        }
    }

    /// Starts a new block with the unfinished line of the current one and as much
    /// input as one read gives; sets `atEnd` at the end or on an error.
    private func refill() {
        let carried = block.bytes.count - start
        // A line longer than a block makes the next read as long as the line so
        // far, so that a long line is copied a bounded number of times in all.
        let readSize = max(self.readSize, carried)
        self.readSize = min(blockSize, self.readSize * 2)
        var got = 0
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: carried + readSize) { buffer, count in
            block.bytes.withUnsafeBufferPointer { old in
                if carried > 0 { buffer.baseAddress!.update(from: old.baseAddress! + start, count: carried) }
            }
            count = carried
            // One read, which may wait. A pipe gives at most what its writer has put
            // in it (64 KB at a time): what is there already joins this block,
            // without waiting for more.
            repeat {
                got = readRetrying(descriptor, buffer.baseAddress! + count, carried + readSize - count)
                failure = got < 0 ? errno : 0
                count += max(got, 0)
            } while got > 0 && count < carried + readSize && isReadable()
        }
        if got < 0 {
            readError = String(cString: strerror(failure))
            atEnd = true
        } else if got == 0 {
            atEnd = true
        }
        block = ByteBlock(bytes)
        scanned -= start
        start = 0
    }
}

/// `read(2)`, again when a signal interrupts it: the bytes read (0 at the end), or
/// -1 with `errno` set.
func readRetrying(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    while true {
        let got = read(descriptor, buffer, count)
        if got >= 0 || errno != EINTR { return got }
    }
}
