#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Reads the documents of a run, in order: folders walked recursively in sorted path
/// order, `.txt` and `.md` files as one document each, `.jsonl` files and stdin (`-`)
/// as one document per line.
///
/// Bad input never stops the reader: it reports a warning naming the file and place
/// and goes on. `skipped` counts inputs that were left out, for the exit status.
public final class CorpusReader {
    /// File name endings read from a folder.
    public static let extensions = ["txt", "md", "jsonl"]

    /// What is left to read, the next last: paths not looked at yet, files found,
    /// and the end of a folder's listing. Folders are walked as their files are
    /// needed, so that reading starts at once (a walk of 20,000 files took 80 ms)
    /// and the walk goes on while the workers process what it found.
    private var pending: [Pending]
    /// The folders being walked (device and inode), to stop at a symlink loop.
    private var visited = Set<[UInt64]>()
    private var jsonl: (reader: LineReader, path: String, line: Int, descriptor: Int32)?
    private let warn: (Diagnostic) -> Void
    /// Inputs left out (unreadable, binary, bad JSONL lines).
    public private(set) var skipped = 0
    /// Whether any input is stdin, so output should flush per document.
    public let isStreaming: Bool
    /// Whether a folder's files are opened by name in it (see `Folder`).
    private let keepsFolders: Bool

    private enum Pending {
        /// A path given or listed, not looked at yet.
        case path(String, explicit: Bool)
        /// A file to read: its size (nil when the folder's listing said it is a
        /// regular file, and nothing looked further) and whether it was a regular
        /// file when seen; in a folder, also the folder and its name there.
        case file(String, size: Int?, regular: Bool, in: Folder?)
        /// Every entry of the folder with this identity has been walked.
        case leave([UInt64])
        case stdin
    }

    /// A reader over `paths`; `warn` receives every warning as it happens.
    public convenience init(paths: [String], warn: @escaping (Diagnostic) -> Void) {
        self.init(paths: paths, keepsFolders: true, warn: warn)
    }

    /// With `keepsFolders` false, no folder is kept open for its files (see
    /// `Folder`): a walk that only sums sizes leaves them to the reader that reads.
    private init(paths: [String], keepsFolders: Bool, warn: @escaping (Diagnostic) -> Void) {
        self.warn = warn
        self.keepsFolders = keepsFolders
        isStreaming = paths.contains("-")
        pending = paths.reversed().map { $0 == "-" ? .stdin : .path($0, explicit: true) }
    }

    /// The total size in bytes of the files under `paths` (nil with stdin), from a
    /// walk of its own that warns of nothing: a progress bar's total, worked out on
    /// another thread while the run's reader starts reading.
    public static func totalBytes(of paths: [String]) -> Int? {
        CorpusReader(paths: paths, keepsFolders: false) { _ in }.knownTotalBytes
    }

    /// The total size in bytes of the files to read, when known (no stdin). This
    /// walks every folder at once (for a progress bar).
    public var knownTotalBytes: Int? {
        guard !isStreaming else { return nil }
        var files: [Pending] = []
        while let next = nextInput() { files.append(next) }
        pending = files.reversed()
        return files.reduce(0) { total, file in
            guard case .file(let path, let size, _, let folder) = file else { return total }
            if let size { return total + size }
            var info = stat()
            return total + (Self.status(of: path, in: folder, &info) == 0 ? Int(info.st_size) : 0)
        }
    }

    /// The next file (or stdin) to read, walking folders as far as it takes, in
    /// sorted path order; warns of paths that cannot be read.
    private func nextInput() -> Pending? {
        while let next = pending.popLast() {
            switch next {
            case .file, .stdin:
                return next
            case .leave(let identity):
                visited.remove(identity)
            case .path(let path, let explicit):
                var info = stat()
                guard stat(path, &info) == 0 else {
                    let reason = String(cString: strerror(errno))
                    warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read: \(reason.lowercased())"))
                    skipped += 1
                    continue
                }
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    if explicit || Self.extensions.contains(Self.fileExtension(path)) {
                        return .file(path, size: Int(info.st_size), regular: (info.st_mode & S_IFMT) == S_IFREG, in: nil)
                    }
                    continue
                }
                let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
                guard visited.insert(identity).inserted else {
                    warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "directory already visited (symlink loop), skipped"))
                    skipped += 1
                    continue
                }
                guard let directory = opendir(path) else {
                    let reason = String(cString: strerror(errno))
                    warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read directory: \(reason.lowercased())"))
                    skipped += 1
                    visited.remove(identity)
                    continue
                }
                // A regular file's listing says so (`d_type`), and a file is then
                // opened by its name in the folder: no `stat` and no lookup of the
                // whole path for each file (of the four system calls a small file
                // took, the two lookups cost most; see `Folder`). Anything else (a
                // folder, a link, a listing that does not say) is looked at as
                // before.
                var entries: [(name: String, regular: Bool)] = []
                while let entry = readdir(directory) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name.utf8.first != UInt8(ascii: ".") { entries.append((name, entry.pointee.d_type == UInt8(DT_REG))) }
                }
                let folder = keepsFolders ? Folder.keeping(directory) : nil
                if folder == nil { closedir(directory) }
                let base = path.hasSuffix("/") ? path : path + "/"
                pending.append(.leave(identity))
                // Sorted by bytes, last first (the stack pops the first name next).
                for (name, regular) in entries.sorted(by: { Self.bytesPrecede($1.name, $0.name) }) {
                    if !regular {
                        pending.append(.path(base + name, explicit: false))
                    } else if Self.extensions.contains(Self.fileExtension(name)) {
                        pending.append(.file(base + name, size: nil, regular: true, in: folder))
                    }
                }
            }
        }
        return nil
    }

    /// `stat` of the file at `path`, by its name in `folder` when there is one.
    private static func status(of path: String, in folder: Folder?, _ info: inout stat) -> Int32 {
        guard let folder else { return stat(path, &info) }
        return fstatat(folder.descriptor, String(name(path)), &info, 0)
    }

    /// The last component of a path the walk made (folder, slash, name).
    static func name(_ path: String) -> Substring {
        let utf8 = path.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return Substring(path) }
        return path[utf8.index(after: slash)...]
    }

    /// Whether `x` sorts before `y` byte by byte, a prefix first (the order of
    /// `x.utf8.lexicographicallyPrecedes(y.utf8)`, whose generic walk took a third
    /// of listing a folder of 21,578 files).
    static func bytesPrecede(_ x: String, _ y: String) -> Bool {
        var x = x
        var y = y
        return x.withUTF8 { x in
            y.withUTF8 { y in
                let common = min(x.count, y.count)
                let difference = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return difference != 0 ? difference < 0 : x.count < y.count
            }
        }
    }

    /// The lowercased part of the path's last component after its last dot ("" for none).
    static func fileExtension(_ path: String) -> String {
        let utf8 = path.utf8
        var end = utf8.endIndex
        // A trailing slash belongs to no name.
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
        var index = end
        while index > utf8.startIndex {
            let before = utf8.index(before: index)
            let byte = utf8[before]
            if byte == UInt8(ascii: "/") { return "" }
            if byte == UInt8(ascii: ".") { return String(path[index..<end]).lowercased() }
            index = before
        }
        return ""
    }

    /// One input as the reader hands it over: a text file or a JSONL line, whose
    /// reading and parsing are left to whoever takes it (a worker thread), so that
    /// the thread reading the inputs does little more than cut lines and list files
    /// (with one worker, it also reads and parses them: see `resolvesItems`).
    public enum Item: Sendable {
        /// A `.txt` or `.md` file (or any file named on the command line), one
        /// document, with its size and kind when the folder walk saw it (no size
        /// when its folder's listing said it is a regular file), and the folder to
        /// open it in by name.
        case textFile(path: String, size: Int?, regular: Bool, folder: Folder?)
        /// An input read and parsed already (see `resolvesItems`): what `resolve()`
        /// gives, with the input's `size` and `inputBytes`.
        case resolved(document: Document?, warnings: [Diagnostic], size: Int, inputBytes: Int)
        case jsonLine(InputLine, path: String, number: Int)

        /// Bytes of input it came from (for a file, as last seen).
        public var size: Int {
            switch self {
            case .textFile(_, let size, _, _): size ?? 0
            case .resolved(_, _, let size, _): size
            case .jsonLine(let line, _, _): line.count
            }
        }

        /// Bytes of input it takes up: a JSONL line's line end counts.
        public var inputBytes: Int {
            switch self {
            case .textFile(_, let size, _, _): size ?? 0
            case .resolved(_, _, _, let inputBytes): inputBytes
            case .jsonLine(let line, _, _): line.count + 1
            }
        }

        /// The document and the warnings that reading it gave; a nil document is
        /// an input left out (an unreadable or binary file, a bad line), named in a
        /// warning.
        public func resolve() -> (document: Document?, warnings: [Diagnostic]) {
            switch self {
            case .textFile(let path, let size, let regular, let folder):
                CorpusReader.readTextFile(path, size: size, regular: regular, in: folder)
            case .resolved(let document, let warnings, _, _): (document, warnings)
            case .jsonLine(let line, let path, let number):
                line.withBytes { CorpusReader.parseJSONLine($0, path: path, number: number, in: line.block, at: line.range.lowerBound) }
            }
        }
    }

    /// Whether `nextItem` reads and parses each input itself (`Item.resolved`)
    /// instead of leaving that to the worker that takes it. With one worker the
    /// reading thread is otherwise idle, and the worker would spend a twentieth of
    /// a JSONL run parsing lines, and wait on each file's system calls in turn in a
    /// folder (the Reuters corpus as 21,578 files: 0.12 s of them). With several,
    /// the workers parse and read on every core (and several files at once from a
    /// slow disk), which one reading thread would hold back.
    public var resolvesItems = false

    /// The next document, or nil when every input is read. Its warnings go to
    /// `warn` and a line left out counts in `skipped`.
    public func next() -> Document? {
        while let item = nextItem() {
            let (document, warnings) = item.resolve()
            warnings.forEach(warn)
            if let document { return document }
            skipped += 1
        }
        return nil
    }

    /// The next input, or nil when every input is read; a JSONL line comes unparsed
    /// (see `Item.resolve()`).
    ///
    /// With `waiting` false, nil also when the next input is a line of stdin that
    /// has not come yet: the call never waits for a stream's writer.
    public func nextItem(waiting: Bool = true) -> Item? {
        guard resolvesItems else { return nextInputItem(waiting: waiting) }
        guard let item = nextInputItem(waiting: waiting) else { return nil }
        let (document, warnings) = item.resolve()
        // A file the walk did not size is as large as what was read.
        if case .textFile(_, nil, _, _) = item {
            let size = document?.inputBytes ?? 0
            return .resolved(document: document, warnings: warnings, size: size, inputBytes: size)
        }
        return .resolved(document: document, warnings: warnings, size: item.size, inputBytes: item.inputBytes)
    }

    /// `nextItem` as the worker is to resolve it.
    private func nextInputItem(waiting: Bool) -> Item? {
        while true {
            switch nextJSONLLine(waiting: waiting) {
            case .line(let item): return item
            case .notYet: return nil
            case .none: break
            }
            guard let input = nextInput() else { return nil }
            guard case .file(let path, let size, let regular, let folder) = input else {
                jsonl = (LineReader(descriptor: 0), "-", 0, -1)
                continue
            }
            if Self.fileExtension(path) == "jsonl" {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    cannotRead(path)
                    continue
                }
                jsonl = (LineReader(descriptor: descriptor), path, 0, descriptor)
                continue
            }
            return .textFile(path: path, size: size, regular: regular, folder: folder)
        }
    }

    private func cannotRead(_ path: String) {
        warn(Self.cannotRead(path))
        skipped += 1
    }

    /// The warning for a file that `open` or `read` refused (from `errno`).
    private static func cannotRead(_ path: String) -> Diagnostic {
        let reason = String(cString: strerror(errno)).lowercased()
        return Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read: \(reason)")
    }

    /// A text file as a document, with the warnings it gives; nil (and a warning)
    /// for a file that cannot be read or is binary. Called by the worker that
    /// takes the file, so files are read and checked on every core (with one
    /// worker, the reading thread reads them: `resolvesItems`).
    ///
    /// `size` (as the folder walk saw it) sizes the buffer, plus a byte to see that
    /// the file has not grown; a file that has is read on (without a size, the
    /// buffer holds 16 KB, a news article or two, to start with). From a `regular`
    /// file a read that returns less than asked has reached the end (from a pipe it
    /// may not have): one system call fewer a file, in a folder of small ones. In
    /// a `folder` the file is opened by its name there.
    static func readTextFile(_ path: String, size: Int?, regular: Bool, in folder: Folder? = nil) -> (Document?, [Diagnostic]) {
        let descriptor = folder.map { openat($0.descriptor, String(name(path)), O_RDONLY | O_CLOEXEC) } ?? open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return (nil, [cannotRead(path)]) }
        defer { close(descriptor) }
        var capacity = max((size ?? 16_383) + 1, 4096)
        var bytes: [UInt8] = []
        var failed = false
        var ended = false
        while !ended && !failed {
            // The bytes so far, then what the reads give, straight into the new
            // storage: nothing is zero-filled first (that took a tenth of the
            // reading thread's time in a folder of small files).
            bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                count = bytes.count
                if count > 0 { buffer.baseAddress!.update(from: bytes, count: count) }
                while count < buffer.count {
                    let got = readRetrying(descriptor, buffer.baseAddress! + count, buffer.count - count)
                    if got < 0 {
                        failed = true
                        break
                    }
                    if got == 0 {
                        ended = true
                        break
                    }
                    count += got
                    if regular && count < buffer.count {
                        ended = true
                        break
                    }
                }
            }
            capacity *= 2
        }
        if failed { return (nil, [cannotRead(path)]) }
        // Read without a size, a small file sits in a buffer of 16 KB: kept by
        // its document, a batch of 2,048 such files read ahead (one job) held
        // 32 MB. The document gets the bytes in storage of their own size.
        if size == nil, bytes.capacity > 2 * bytes.count {
            bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                bytes.withUnsafeBufferPointer { read in
                    if read.count > 0 { buffer.baseAddress!.update(from: read.baseAddress!, count: read.count) }
                }
                count = bytes.count
            }
        }
        let (document, warnings) = decode(bytes, file: path, name: path)
        guard var document else { return (nil, warnings) }
        document.inputBytes = bytes.count
        return (document, warnings)
    }

    private static func decode(_ bytes: [UInt8], file: String, name: String) -> (Document?, [Diagnostic]) {
        if let nul = bytes.withUnsafeBufferPointer({ buffer in
            buffer.isEmpty ? nil : memchr(buffer.baseAddress!, 0, buffer.count).map { buffer.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        }) {
            return (nil, [Diagnostic(.warning, file: file, line: 0, column: 0, message: "binary content (NUL byte at byte \(nul)), skipped")])
        }
        var warnings: [Diagnostic] = []
        let result = TextDecoder.repair(bytes)
        if let first = result.invalidOffsets.first {
            let count = result.invalidOffsets.count
            let what = count == 1 ? "1 invalid sequence" : "\(count) invalid sequences"
            warnings.append(Diagnostic(.warning, file: file, line: 0, column: 0,
                                       message: "invalid UTF-8 at byte \(first): \(what) replaced with U+FFFD"))
        }
        return (Document(name: name, validUTF8: result.utf8), warnings)
    }

    /// What the JSONL input at hand gives next.
    private enum JSONLNext {
        case line(Item)
        /// A stream's next line has not come yet (only when not waiting).
        case notYet
        /// No JSONL input is open, or the one that was has ended.
        case none
    }

    private func nextJSONLLine(waiting: Bool) -> JSONLNext {
        while let source = jsonl {
            guard let line = source.reader.nextLine(waiting: waiting) else {
                if !source.reader.isExhausted { return .notYet }
                if let error = source.reader.readError {
                    warn(Diagnostic(.warning, file: source.path, line: source.line + 1, column: 0, message: "cannot read: \(error.lowercased())"))
                    skipped += 1
                }
                if source.descriptor >= 0 { close(source.descriptor) }
                jsonl = nil
                return .none
            }
            let number = source.line + 1
            jsonl?.line = number
            if line.withBytes({ $0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }) { continue }
            return .line(.jsonLine(line, path: source.path, number: number))
        }
        return .none
    }

    /// A JSONL line as a document, with the warnings it gives; nil (and a warning)
    /// for a line that is left out.
    ///
    /// With `block`, `raw` is the line at `start` of that block, and the document's
    /// `meta` keeps the block rather than a copy of the line's members.
    static func parseJSONLine(
        _ raw: UnsafeBufferPointer<UInt8>, path: String, number: Int, in block: ByteBlock? = nil, at start: Int = 0
    ) -> (Document?, [Diagnostic]) {
        var warnings: [Diagnostic] = []
        // The line as parsed: `raw` itself, or its repaired copy.
        var repaired: [UInt8]?
        let check = TextDecoder.check(raw)
        if TextDecoder.hasBOM(raw) || !check.valid {
            let decoded = TextDecoder.repair(raw)
            if let first = decoded.invalidOffsets.first {
                let count = decoded.invalidOffsets.count
                let what = count == 1 ? "1 invalid sequence" : "\(count) invalid sequences"
                warnings.append(Diagnostic(.warning, file: path, line: number, column: 0,
                                           message: "invalid UTF-8 at byte \(first) of the line: \(what) replaced with U+FFFD"))
            }
            repaired = decoded.utf8
        }
        // `id` and `text` are built (the text as UTF-8 bytes, which the document
        // keeps); the other members (the document's `meta`) are only checked, and
        // built or written when the document's facts are.
        let object: JSONParser.DocumentMembers?
        do throws(JSONParser.Failure) {
            if let repaired {
                object = try repaired.withUnsafeBufferPointer { bytes throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes) }
            } else {
                object = try JSONParser.parseDocument(raw, controlFree: check.controlFree)
            }
        } catch {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: error.offset + 1, message: "not JSON: \(error.message), line skipped"))
            return (nil, warnings)
        }
        guard var object else {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: 1, message: "not a JSON object, line skipped"))
            return (nil, warnings)
        }
        guard let text = object.text else {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: 1, message: "no \"text\" field, line skipped"))
            return (nil, warnings)
        }
        guard case .utf8(var bytes) = text else {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: 1, message: "\"text\" is not a string, line skipped"))
            return (nil, warnings)
        }
        let name: String
        switch object.id {
        case .string(let id)?: name = id
        case .number(let id)?: name = id
        default: name = "\(path):\(number)"
        }
        if bytes.withUnsafeBufferPointer({ $0.count > 0 && memchr($0.baseAddress!, 0, $0.count) != nil }) {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: 0, message: "binary content (NUL character in \"text\"), line skipped"))
            return (nil, warnings)
        }
        // A BOM at the start of the text (escaped, or after the line's own) is dropped.
        if bytes.withUnsafeBufferPointer(TextDecoder.hasBOM) { bytes.removeFirst(3) }
        var document = Document(name: name, validUTF8: bytes, inputBytes: raw.count + 1)
        if repaired == nil, let block, !object.others.isEmpty {
            document.setMeta(members: object.others, ofLineAt: start, in: block)
        } else if let first = object.others.first, let last = object.others.last {
            // The members are kept as the bytes from the first to the last (in news
            // JSONL the text comes after them), and built when written.
            let span = first.lowerBound..<last.upperBound
            let bytes = repaired.map { Array($0[span]) } ?? Array(raw[span])
            var members = object.others
            object.others = []
            for index in members.indices { members[index] = members[index].lowerBound - span.lowerBound..<members[index].upperBound - span.lowerBound }
            document.setMeta(members: members, of: bytes)
        }
        return (document, warnings)
    }
}

/// A folder whose files are being read, open until the last of them is: a file is
/// opened by its name in it (`openat`), not by its whole path, and the walk asks
/// nothing more of a file its listing says is regular. A small file took four
/// system calls (`stat` by path, `open` by path, `read`, `close`), and the two
/// lookups of its path were most of their cost: over the Reuters corpus as 21,578
/// files, 130 to 180 ms of system time, against 80 to 90 ms for `openat`, `read`
/// and `close`.
///
/// At most `limit` folders are kept open at once (files of a batch can lie in
/// thousands of small folders): 256, or a quarter of the descriptors the process
/// may still open (`ulimit -n`, less those open when the first folder is), so
/// that the files themselves can be opened. The files of any other folder are
/// opened by path.
public final class Folder: @unchecked Sendable {
    /// The listing, kept open for its descriptor.
    private let directory: OpaquePointer
    let descriptor: Int32
    static let limit: Int = {
        var descriptors = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &descriptors) == 0 else { return 256 }
        let free = Int(clamping: descriptors.rlim_cur) - (openDescriptors() ?? 16)
        return max(0, min(256, free / 4))
    }()
    private static let open = Atomic<Int>(0)

    private init(_ directory: OpaquePointer) {
        self.directory = directory
        descriptor = dirfd(directory)
    }

    /// A folder that keeps `directory` open (and closes it when it goes), or nil
    /// when `limit` folders are open already or the listing has no descriptor.
    static func keeping(_ directory: OpaquePointer) -> Folder? {
        guard dirfd(directory) >= 0 else { return nil }
        guard open.add(1, ordering: .relaxed).newValue <= limit else {
            open.subtract(1, ordering: .relaxed)
            return nil
        }
        return Folder(directory)
    }

    /// How many descriptors the process has open (Linux's `/proc`), nil when it
    /// cannot tell.
    private static func openDescriptors() -> Int? {
        guard let listing = opendir("/proc/self/fd") else { return nil }
        defer { closedir(listing) }
        var entries = 0
        while readdir(listing) != nil { entries += 1 }
        // Less ".", ".." and the listing's own descriptor.
        return max(0, entries - 3)
    }

    /// How many folders are open now.
    static var openCount: Int { open.load(ordering: .relaxed) }

    deinit {
        closedir(directory)
        Folder.open.subtract(1, ordering: .relaxed)
    }
}
