#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor line by line with a fixed read buffer, so that stdin and
/// large JSONL files stream in bounded memory (a line's own length aside).
///
/// - Complexity: linear in the input, however long a line is: the search for a
///   newline resumes where the previous one stopped, and each refill moves only the
///   unfinished line to the front.
final class LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Where the next line starts in `buffer`.
    private var start = 0
    /// `buffer[start..<scanned]` is known to hold no newline.
    private var scanned = 0
    private var atEnd = false
    private var chunk: [UInt8]
    /// The error that ended reading early, if any (errno text).
    private(set) var readError: String?

    init(descriptor: Int32, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    }

    /// The next line without its `\n` (a trailing `\r` stays: it is text), or nil at
    /// the end. The last line needs no final newline.
    func nextLine() -> [UInt8]? {
        while true {
            let from = scanned
            let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
                guard from < bytes.count, let base = bytes.baseAddress,
                      let found = memchr(base + from, 0x0A, bytes.count - from)
                else { return nil }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                scanned = start
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                scanned = start
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                scanned -= start
                start = 0
            }
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                readError = String(cString: strerror(errno))
                atEnd = true
            } else if got == 0 {
                atEnd = true
            } else {
                buffer.append(contentsOf: chunk[0..<got])
            }
        }
    }
}
