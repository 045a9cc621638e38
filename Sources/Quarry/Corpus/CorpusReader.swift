#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the documents of a run, in order: folders walked recursively in sorted path
/// order, `.txt` and `.md` files as one document each, `.jsonl` files and stdin (`-`)
/// as one document per line.
///
/// Bad input never stops the reader: it reports a warning naming the file and place
/// and goes on. `skipped` counts inputs that were left out, for the exit status.
public final class CorpusReader {
    /// File name endings read from a folder.
    public static let extensions = ["txt", "md", "jsonl"]

    private var pending: [String]
    private var jsonl: (reader: LineReader, path: String, line: Int, descriptor: Int32)?
    private let warn: (Diagnostic) -> Void
    /// Inputs left out (unreadable, binary, bad JSONL lines).
    public private(set) var skipped = 0
    /// Whether any input is stdin, so output should flush per document.
    public let isStreaming: Bool

    /// A reader over `paths`; `warn` receives every warning as it happens.
    public init(paths: [String], warn: @escaping (Diagnostic) -> Void) {
        self.warn = warn
        isStreaming = paths.contains("-")
        pending = []
        var expanded: [String] = []
        var visited = Set<[UInt64]>()
        for path in paths {
            if path == "-" {
                expanded.append(path)
            } else {
                expand(path, explicit: true, into: &expanded, visited: &visited)
            }
        }
        pending = expanded.reversed()
    }

    /// The total size in bytes of the files to read, when known (no stdin).
    public var knownTotalBytes: Int? {
        guard !isStreaming else { return nil }
        var total = 0
        for path in pending {
            var info = stat()
            if stat(path, &info) == 0 { total += Int(info.st_size) }
        }
        return total
    }

    private func expand(_ path: String, explicit: Bool, into result: inout [String], visited: inout Set<[UInt64]>) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read: \(reason.lowercased())"))
            skipped += 1
            return
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let identity = [UInt64(info.st_dev), UInt64(info.st_ino)]
            guard visited.insert(identity).inserted else {
                warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "directory already visited (symlink loop), skipped"))
                skipped += 1
                return
            }
            guard let directory = opendir(path) else {
                let reason = String(cString: strerror(errno))
                warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read directory: \(reason.lowercased())"))
                skipped += 1
                return
            }
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." && !name.hasPrefix(".") { names.append(name) }
            }
            closedir(directory)
            let base = path.hasSuffix("/") ? path : path + "/"
            for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                expand(base + name, explicit: false, into: &result, visited: &visited)
            }
            visited.remove(identity)
            return
        }
        if explicit || Self.extensions.contains(Self.fileExtension(path)) {
            result.append(path)
        }
    }

    static func fileExtension(_ path: String) -> String {
        guard let name = path.split(separator: "/").last, let dot = name.lastIndex(of: ".") else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// One input as the reader hands it over: a document ready to process, or a
    /// JSONL line whose parsing is left to whoever takes it (a worker thread), so
    /// that the thread reading the inputs does little more than cut lines.
    public enum Item: Sendable {
        case document(Document)
        case jsonLine(InputLine, path: String, number: Int)

        /// Bytes of input it came from.
        public var size: Int {
            switch self {
            case .document(let document): document.utf8.count
            case .jsonLine(let line, _, _): line.count
            }
        }

        /// The document and the warnings that reading it gave; a nil document is
        /// an input left out (a bad line), named in a warning.
        public func resolve() -> (document: Document?, warnings: [Diagnostic]) {
            switch self {
            case .document(let document): (document, [])
            case .jsonLine(let line, let path, let number): line.withBytes { CorpusReader.parseJSONLine($0, path: path, number: number) }
            }
        }
    }

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
        while true {
            switch nextJSONLLine(waiting: waiting) {
            case .line(let item): return item
            case .notYet: return nil
            case .none: break
            }
            guard let path = pending.popLast() else { return nil }
            if path == "-" {
                jsonl = (LineReader(descriptor: 0), "-", 0, -1)
                continue
            }
            if Self.fileExtension(path) == "jsonl" {
                let descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else {
                    cannotRead(path)
                    continue
                }
                jsonl = (LineReader(descriptor: descriptor), path, 0, descriptor)
                continue
            }
            if let document = readTextFile(path) { return .document(document) }
        }
    }

    private func cannotRead(_ path: String) {
        let reason = String(cString: strerror(errno)).lowercased()
        warn(Diagnostic(.warning, file: path, line: 0, column: 0, message: "cannot read: \(reason)"))
        skipped += 1
    }

    private func readTextFile(_ path: String) -> Document? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            cannotRead(path)
            return nil
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        // Reserve the file's size, so a large file is not copied as the array grows.
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_size > 0 { bytes.reserveCapacity(Int(info.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                cannotRead(path)
                return nil
            }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[0..<got])
        }
        var document = decode(bytes, file: path, line: 0, name: path)
        document?.inputBytes = bytes.count
        return document
    }

    private func decode(_ bytes: [UInt8], file: String, line: Int, name: String) -> Document? {
        if let nul = bytes.firstIndex(of: 0) {
            let place = line > 0 ? "" : " at byte \(nul)"
            warn(Diagnostic(.warning, file: file, line: line, column: 0, message: "binary content (NUL byte\(place)), skipped"))
            skipped += 1
            return nil
        }
        let result = TextDecoder.repair(bytes)
        if let first = result.invalidOffsets.first {
            let count = result.invalidOffsets.count
            let what = count == 1 ? "1 invalid sequence" : "\(count) invalid sequences"
            warn(Diagnostic(.warning, file: file, line: line, column: 0,
                            message: "invalid UTF-8 at byte \(first): \(what) replaced with U+FFFD"))
        }
        return Document(name: name, validUTF8: result.utf8)
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
    static func parseJSONLine(_ raw: UnsafeBufferPointer<UInt8>, path: String, number: Int) -> (Document?, [Diagnostic]) {
        var warnings: [Diagnostic] = []
        // The line as parsed: `raw` itself, or its repaired copy.
        var repaired: [UInt8]?
        if TextDecoder.hasBOM(raw) || !TextDecoder.isValid(raw) {
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
        do {
            func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONParser.DocumentMembers?, JSONParser.Failure> {
                Result { () throws(JSONParser.Failure) in try JSONParser.parseDocument(bytes) }
            }
            object = try (repaired?.withUnsafeBufferPointer(parse) ?? parse(raw)).get()
        } catch {
            warnings.append(Diagnostic(.warning, file: path, line: number, column: error.offset + 1, message: "not JSON: \(error.message), line skipped"))
            return (nil, warnings)
        }
        guard let object else {
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
        if let first = object.others.first, let last = object.others.last {
            // The members are kept as the bytes from the first to the last (in news
            // JSONL the text comes after them), and built when written.
            let span = first.lowerBound..<last.upperBound
            let bytes = repaired.map { Array($0[span]) } ?? Array(raw[span])
            document.setMeta(members: object.others.map { ($0.lowerBound - span.lowerBound)..<($0.upperBound - span.lowerBound) }, of: bytes)
        }
        return (document, warnings)
    }
}
