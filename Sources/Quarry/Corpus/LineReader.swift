#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor line by line with a fixed buffer, so that stdin and large
/// JSONL files stream in bounded memory (a line's own length aside).
final class LineReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private let chunk = 1 << 20
    /// The error that ended reading early, if any (errno text).
    private(set) var readError: String?

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// The next line without its `\n` (a trailing `\r` stays: it is text), or nil at
    /// the end. The last line needs no final newline.
    func nextLine() -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunk))
            let got = buffer.withUnsafeMutableBufferPointer { pointer in
                read(descriptor, pointer.baseAddress! + old, chunk)
            }
            if got < 0 {
                if errno == EINTR { buffer.removeLast(chunk); continue }
                readError = String(cString: strerror(errno))
            }
            buffer.removeLast(chunk - max(0, got))
            if got <= 0 { atEnd = true }
        }
    }
}
