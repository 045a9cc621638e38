#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// An immutable block of input bytes, shared by the lines cut from it: a line is a
/// range of its block, not a copy. The block's memory goes back to its pool (or is
/// freed) with the last of its lines.
public final class ByteBlock: @unchecked Sendable {
    /// Written by the reader before the block is made, only read after.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    /// How many bytes of the storage the block holds.
    public let count: Int
    private let pool: BlockPool?

    /// A block of the first `count` bytes of `storage`, which it owns (and hands
    /// back to `pool` when it goes).
    init(storage: UnsafeMutableBufferPointer<UInt8>, count: Int, pool: BlockPool?) {
        self.storage = storage
        self.count = count
        self.pool = pool
    }

    /// An empty block.
    convenience init() {
        self.init(storage: UnsafeMutableBufferPointer(start: nil, count: 0), count: 0, pool: nil)
    }

    deinit {
        if let pool { pool.give(storage) } else { storage.deallocate() }
    }

    /// Calls `body` with the block's bytes.
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try body(UnsafeBufferPointer(start: storage.baseAddress, count: count))
    }
}

/// Memory for a reader's blocks, used again once a block's lines are done: a new
/// block of fresh memory is a page fault every 4 KB while the reader fills it
/// (about 3,000 over the Reuters corpus, half of the reading thread's time in
/// the kernel). Blocks go back from the workers' threads, so the list is locked.
final class BlockPool: @unchecked Sendable {
    /// The capacity of a pooled block: a read's size and the unfinished line
    /// carried over from the block before (up to a read's size). Only the bytes
    /// read are ever touched; blocks for longer lines are freed.
    let capacity: Int
    /// How many free blocks are kept: about the blocks that two batches in
    /// flight span.
    private let limit: Int
    /// The free blocks (memory that no block holds any more, so sent freely).
    private struct Free: @unchecked Sendable {
        var blocks: [UnsafeMutableBufferPointer<UInt8>] = []
    }
    private let free = Mutex(Free())

    init(readSize: Int, limit: Int = 8) {
        capacity = 2 * readSize
        self.limit = limit
    }

    /// Storage for at least `count` bytes: a pooled block when `count` fits one.
    func take(_ count: Int) -> UnsafeMutableBufferPointer<UInt8> {
        guard count <= capacity else { return .allocate(capacity: count) }
        return free.withLock { $0.blocks.popLast() } ?? .allocate(capacity: capacity)
    }

    /// Takes back the storage of a block that is gone.
    func give(_ storage: UnsafeMutableBufferPointer<UInt8>) {
        let kept = storage.count == capacity && free.withLock { free in
            guard free.blocks.count < limit else { return false }
            free.blocks.append(storage)
            return true
        }
        if !kept { storage.deallocate() }
    }

    deinit {
        free.withLock { free in free.blocks.forEach { $0.deallocate() } }
    }
}

/// One line of input: a range of a shared block.
public struct InputLine: Sendable {
    public let block: ByteBlock
    public let range: Range<Int>

    public var count: Int { range.count }

    /// Calls `body` with the line's bytes.
    public func withBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        try block.withBytes { try body(UnsafeBufferPointer(rebasing: $0[range])) }
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
    private var block = ByteBlock()
    private let pool: BlockPool
    /// Where the next line starts in `block`.
    private var start = 0
    /// The block's bytes `start..<scanned` are known to hold no newline.
    private var scanned = 0
    private var atEnd = false
    /// The error that ended reading early, if any (errno text).
    private(set) var readError: String?

    init(descriptor: Int32, blockSize: Int = 1 << 20, firstBlockSize: Int = 1 << 16) {
        self.descriptor = descriptor
        self.blockSize = max(1, blockSize)
        readSize = max(1, min(firstBlockSize, blockSize))
        pool = BlockPool(readSize: self.blockSize)
    }

    /// Whether every line has been handed out.
    var isExhausted: Bool { atEnd && start >= block.count }

    /// The next line without its `\n` (a trailing `\r` stays: it is text), or nil at
    /// the end; a last line without a newline is still a line.
    ///
    /// With `waiting` false, nil also when the line is not complete and the
    /// descriptor has nothing more to read yet (a pipe whose writer has not written
    /// it): no call blocks then, and `isExhausted` tells the two apart.
    func nextLine(waiting: Bool = true) -> InputLine? {
        while true {
            let from = scanned
            let newline: Int? = block.withBytes { bytes in
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
            scanned = block.count
            if atEnd {
                guard start < block.count else { return nil }
                let line = InputLine(block: block, range: start..<block.count)
                start = block.count
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
        let carried = block.count - start
        // A line longer than a block makes the next read as long as the line so
        // far, so that a long line is copied a bounded number of times in all.
        let readSize = max(self.readSize, carried)
        self.readSize = min(blockSize, self.readSize * 2)
        var got = 0
        var failure: Int32 = 0
        let storage = pool.take(carried + readSize)
        var count = carried
        if carried > 0 {
            block.withBytes { old in storage.baseAddress!.update(from: old.baseAddress! + start, count: carried) }
        }
        // One read, which may wait. A pipe gives at most what its writer has put in
        // it (64 KB at a time): what is there already joins this block, without
        // waiting for more.
        repeat {
            got = readRetrying(descriptor, storage.baseAddress! + count, carried + readSize - count)
            failure = got < 0 ? errno : 0
            count += max(got, 0)
        } while got > 0 && count < carried + readSize && isReadable()
        if got < 0 {
            readError = String(cString: strerror(failure))
            atEnd = true
        } else if got == 0 {
            atEnd = true
        }
        block = ByteBlock(storage: storage, count: count, pool: pool)
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
