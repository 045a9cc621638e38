#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where records go: stdout, or a file that is complete or absent.
///
/// A file is written under a temporary name beside it, flushed to disk and renamed
/// into place by `finish()`; if the run fails, is interrupted (SIGINT, SIGTERM) or
/// the disk fills, the temporary file is removed and the target is left as it was.
/// The target is a directory: the sink fails at once, before any document is read.
///
/// A target that is not a regular file (`/dev/null`, a FIFO, `/dev/stdout`, a
/// `>(...)` of the shell) is a stream: it is written in place, like stdout. Renamed
/// onto, it would be replaced by a regular file (and `/dev/null` with it). A
/// symbolic link to a regular file is written through: the file it names is
/// replaced, the link stays.
public final class RecordSink {
    /// Why records could not be written.
    public enum Failure: Error, Sendable, Equatable {
        /// The reader of stdout went away (`| head`): stop quietly.
        case brokenPipe
        /// Writing failed; the message names the file and the system's reason.
        case io(String)
    }

    private let descriptor: Int32
    private let target: String?
    private let temporary: String?
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 20
    private var slot: Int?
    /// Whether the descriptor of a file sink is still open (`finish` and `abandon`
    /// may both run after a failure; each closes and unlinks at most once).
    private var isOpen = true
    /// Makes the temporary names of two sinks of one process differ (--output and
    /// --mentions naming the same file must not write into one temporary file).
    nonisolated(unsafe) private static var created = 0

    /// Whether `finish` closes the descriptor (a stream sink opened by path).
    private let closes: Bool

    private init(descriptor: Int32, target: String?, temporary: String?, closes: Bool = false) {
        self.descriptor = descriptor
        self.target = target
        self.temporary = temporary
        self.closes = closes
    }

    /// A sink that writes to stdout.
    public static func standardOutput() -> RecordSink {
        signal(SIGPIPE, SIG_IGN)
        return RecordSink(descriptor: 1, target: nil, temporary: nil)
    }

    /// A sink that writes `path` atomically (a regular file, or a new one), or in
    /// place (anything else that can be written, such as `/dev/null` or a FIFO).
    public static func file(_ path: String) throws(Failure) -> RecordSink {
        // A target that can never be renamed onto fails now, not after the whole run.
        var existing = stat()
        let exists = stat(path, &existing) == 0
        let kind = existing.st_mode & S_IFMT
        if exists && kind == S_IFDIR {
            throw .io("\(path): cannot write: \(String(cString: strerror(EISDIR)).lowercased())")
        }
        if exists && kind != S_IFREG {
            return try stream(path)
        }
        // Through a symbolic link, the file it names is the one replaced.
        var target = path
        var link = stat()
        if exists && lstat(path, &link) == 0 && (link.st_mode & S_IFMT) == S_IFLNK, let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        let directory = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let name = target.split(separator: "/").last.map(String.init) ?? target
        created += 1
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).tmp-\(getpid())" + (created > 1 ? "-\(created)" : "")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
        }
        // The new file keeps the permissions of the one it replaces.
        if exists { fchmod(descriptor, existing.st_mode & 0o7777) }
        let sink = RecordSink(descriptor: descriptor, target: target, temporary: temporary)
        sink.slot = CleanupRegistry.register(temporary)
        return sink
    }

    /// A sink that writes the device, FIFO or socket at `path` in place.
    private static func stream(_ path: String) throws(Failure) -> RecordSink {
        signal(SIGPIPE, SIG_IGN)
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .io("\(path): cannot write: \(String(cString: strerror(errno)).lowercased())")
        }
        return RecordSink(descriptor: descriptor, target: path, temporary: nil, closes: true)
    }

    /// Buffers `bytes`, writing when the buffer is full.
    public func write(_ bytes: [UInt8]) throws(Failure) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushAt { try flush() }
    }

    /// Writes what is buffered.
    public func flush() throws(Failure) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { throw .brokenPipe }
                throw .io("\(target ?? "stdout"): cannot write: \(String(cString: strerror(errno)).lowercased())")
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and for a file syncs and renames it into place.
    public func finish() throws(Failure) {
        guard let target, let temporary else {
            try flush()
            if closes && isOpen {
                isOpen = false
                close(descriptor)
            }
            return
        }
        guard isOpen else { return }
        do {
            try flush()
        } catch {
            abandon()
            throw error
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            isOpen = false
            unlink(temporary)
            unregister()
            throw .io("\(target): cannot write: \(reason)")
        }
        isOpen = false
        if rename(temporary, target) != 0 {
            let reason = String(cString: strerror(errno)).lowercased()
            unlink(temporary)
            unregister()
            throw .io("\(target): cannot write: \(reason)")
        }
        unregister()
        // Make the rename itself durable.
        let directory = target.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes a file's temporary copy; the target stays as it was. Safe to call
    /// more than once, and after `finish`.
    public func abandon() {
        guard let temporary, isOpen else { return }
        isOpen = false
        close(descriptor)
        unlink(temporary)
        unregister()
    }

    private func unregister() {
        if let slot { CleanupRegistry.unregister(slot) }
        slot = nil
    }
}

/// Temporary files to remove if the process is interrupted by SIGINT, SIGTERM or SIGHUP.
///
/// The handler may only call async-signal-safe functions, so the paths are kept as
/// C strings in a fixed table that it reads without locks.
enum CleanupRegistry {
    private static let capacity = 8
    nonisolated(unsafe) private static var paths = [UnsafeMutablePointer<CChar>?](repeating: nil, count: capacity)
    nonisolated(unsafe) private static var installed = false

    static func register(_ path: String) -> Int? {
        if !installed {
            installed = true
            signal(SIGINT, cleanupHandler)
            signal(SIGTERM, cleanupHandler)
            signal(SIGHUP, cleanupHandler)
        }
        guard let index = paths.firstIndex(where: { $0 == nil }) else { return nil }
        paths[index] = strdup(path)
        return index
    }

    static func unregister(_ index: Int) {
        let path = paths[index]
        paths[index] = nil
        free(path)
    }

    static func removeAll() {
        for case let path? in paths { unlink(path) }
    }
}

private func cleanupHandler(_ signal: Int32) {
    CleanupRegistry.removeAll()
    _exit(128 + signal)
}
