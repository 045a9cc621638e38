import Foundation
import Testing
@testable import Quarry

/// What a reader yields and warns, read to the end.
struct ReadResult {
    var documents: [Document] = []
    var warnings: [Diagnostic] = []
    var skipped = 0

    init(paths: [String], resolvesItems: Bool = false) {
        var warnings: [Diagnostic] = []
        let reader = CorpusReader(paths: paths) { warnings.append($0) }
        reader.resolvesItems = resolvesItems
        while let document = reader.next() { documents.append(document) }
        self.warnings = warnings
        skipped = reader.skipped
    }

    var names: [String] { documents.map(\.name) }
}

@Suite struct CorpusReaderTests {
    @Test func walksFoldersRecursivelyInSortedOrder() throws {
        try withTemporaryDirectory { directory in
            try directory.write("b.txt", "beta")
            try directory.write("a.md", "alpha")
            try directory.write("sub/c.txt", "gamma")
            try directory.write("sub/Z.txt", "upper")
            try directory.write("aa/d.txt", "delta")
            try directory.write("notes.csv", "not read from a folder")
            try directory.write("README", "no extension")
            try directory.write("e.TXT", "upper-case extension")
            try directory.write(".hidden.txt", "hidden")
            try directory.write(".git/x.txt", "hidden folder")
            let root = directory.path
            let result = ReadResult(paths: [root])
            #expect(result.names == [
                root + "/a.md", root + "/aa/d.txt", root + "/b.txt", root + "/e.TXT", root + "/sub/Z.txt", root + "/sub/c.txt",
            ])
            #expect(result.documents.map(\.text) == ["alpha", "delta", "beta", "upper-case extension", "upper", "gamma"])
            #expect(result.warnings.isEmpty)
            #expect(result.skipped == 0)
        }
    }

    @Test func folderGivenWithTrailingSlash() throws {
        try withTemporaryDirectory { directory in
            try directory.write("a.txt", "alpha")
            let result = ReadResult(paths: [directory.path + "/"])
            #expect(result.names == [directory.path + "/a.txt"])
        }
    }

    @Test func explicitFilesOfAnyExtensionAreRead() throws {
        try withTemporaryDirectory { directory in
            let csv = try directory.write("notes.csv", "France and Japan")
            let plain = try directory.write("README", "plain")
            let result = ReadResult(paths: [csv, plain])
            #expect(result.names == [csv, plain])
            #expect(result.documents.map(\.text) == ["France and Japan", "plain"])
        }
    }

    @Test func textKeepsCRLFAndDropsTheBOM() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("a.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("Line one.\r\nLine two.".utf8))
            let result = ReadResult(paths: [file])
            #expect(result.documents.first?.text == "Line one.\r\nLine two.")
        }
    }

    @Test func jsonlLinesBecomeDocuments() throws {
        try withTemporaryDirectory { directory in
            let lines = [
                #"{"id":"doc-1","text":"First.","title":"T","date":"2024-05-01"}"#,
                "not json",
                #"{"text":"no id"}"#,
                #"{"id":"x"}"#,
                "",
                #"{"id":7,"text":"numeric id","score":1.50}"#,
                #"["an array"]"#,
                #"{"id":"doc-2","text":42}"#,
                #"{"id":"doc-3","text":"Sébastien \u00e9 😀"}"#,
            ]
            let file = try directory.write("batch.jsonl", lines.joined(separator: "\n") + "\n")
            let result = ReadResult(paths: [file])
            #expect(result.names == ["doc-1", file + ":3", "7", "doc-3"])
            #expect(result.documents.map(\.text) == ["First.", "no id", "numeric id", "Sébastien é 😀"])
            #expect(result.documents[0].meta == .object([("title", .string("T")), ("date", .string("2024-05-01"))]))
            #expect(result.documents[1].meta == nil)
            #expect(result.documents[2].meta == .object([("score", .number("1.50"))]))
            // `meta` written from the line's bytes is the built value written.
            for document in result.documents {
                var written = JSONBuffer()
                document.writeMeta(to: &written)
                var built = JSONBuffer()
                if let meta = document.meta { built.value(meta) } else { built.raw("null") }
                #expect(written.bytes == built.bytes)
            }
            #expect(result.documents.map(\.utf8) == result.documents.map { Array($0.text.utf8) })
            #expect(result.warnings.map(\.description) == [
                file + ":2:1: warning: not JSON: unexpected character, line skipped",
                file + ":4:1: warning: no \"text\" field, line skipped",
                file + ":7:1: warning: not a JSON object, line skipped",
                file + ":8:1: warning: \"text\" is not a string, line skipped",
            ])
            #expect(result.skipped == 4)
        }
    }

    @Test func jsonlTextKeepsItsBytesAndDropsALeadingBOM() throws {
        try withTemporaryDirectory { directory in
            let lines = [
                #"{"id":"a","text":"\ufeffescaped BOM"}"#,
                "{\"id\":\"b\",\"text\":\"\u{FEFF}\u{301}raw BOM, then a combining accent\"}",
                #"{"id":"c","text":"BOM \ufeff inside, \ud83d\ude00 and a lone \udc00"}"#,
                #"{"id":"d","text":"\ufeff"}"#,
            ]
            let file = try directory.write("bom.jsonl", lines.joined(separator: "\n") + "\n")
            let result = ReadResult(paths: [file])
            #expect(result.documents.map(\.text) == [
                "escaped BOM", "\u{301}raw BOM, then a combining accent", "BOM \u{FEFF} inside, 😀 and a lone \u{FFFD}", "",
            ])
            #expect(result.documents.map(\.utf8) == result.documents.map { Array($0.text.utf8) })
            #expect(result.warnings.isEmpty)
        }
    }

    @Test func jsonlErrorColumnPointsAtTheBadCharacter() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("a.jsonl", #"{"id":"a","text":"x",}"# + "\n")
            let result = ReadResult(paths: [file])
            #expect(result.documents.isEmpty)
            #expect(result.warnings.map(\.description) == [file + ":1:22: warning: not JSON: expected a string key, line skipped"])
        }
    }

    @Test func jsonlControlCharactersAreWhiteSpaceBetweenTokensAndErrorsInStrings() throws {
        // A line with a tab or CR is read the exact way, not by quotes alone.
        try withTemporaryDirectory { directory in
            let lines = [
                "{\t\"id\":\t\"a\",\r\"text\":\t\"tabs between\\ttokens\"\t}",
                "{\"id\": \"b\", \"text\": \"a raw\ttab\"}",
                "{\"id\": \"c\", \"m\": \"raw\u{1F}\", \"text\": \"x\"}",
                "{\"id\": \"d\", \"text\": \"\\\"quoted\\\" and \\\\\", \"m\": \"\\\"\"}",
            ]
            let file = try directory.write("a.jsonl", lines.joined(separator: "\n") + "\n")
            let result = ReadResult(paths: [file])
            #expect(result.names == ["a", "d"])
            #expect(result.documents.map(\.text) == ["tabs between\ttokens", "\"quoted\" and \\"])
            #expect(result.warnings.map(\.description) == [
                file + ":2:27: warning: not JSON: control character in string, line skipped",
                file + ":3:22: warning: not JSON: control character in string, line skipped",
            ])
        }
    }

    @Test func jsonlWithCRLFLinesAndNoFinalNewline() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("a.jsonl", "{\"id\":\"a\",\"text\":\"one\"}\r\n{\"id\":\"b\",\"text\":\"two\"}")
            let result = ReadResult(paths: [file])
            #expect(result.names == ["a", "b"])
            #expect(result.warnings.isEmpty)
        }
    }

    @Test func binaryFilesAreSkippedWithAWarning() throws {
        try withTemporaryDirectory { directory in
            try directory.write("a.txt", "alpha")
            let binary = try directory.write("b.txt", bytes: [0x50, 0x4B, 0x03, 0x00, 0x04])
            try directory.write("c.txt", "gamma")
            let result = ReadResult(paths: [directory.path])
            #expect(result.documents.map(\.text) == ["alpha", "gamma"])
            #expect(result.warnings.map(\.description) == [binary + ": warning: binary content (NUL byte at byte 3), skipped"])
            #expect(result.skipped == 1)
        }
    }

    @Test func invalidUTF8IsReplacedAndWarnedWithItsByteOffset() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("a.txt", bytes: Array("Café ".utf8) + [0xC0, 0xAF] + Array(" ok".utf8))
            let result = ReadResult(paths: [file])
            #expect(result.documents.first?.text == "Café \u{FFFD}\u{FFFD} ok")
            #expect(result.warnings.map(\.description) == [file + ": warning: invalid UTF-8 at byte 6: 2 invalid sequences replaced with U+FFFD"])
            #expect(result.skipped == 0)
        }
    }

    @Test func missingPathIsWarnedAndCounted() throws {
        try withTemporaryDirectory { directory in
            let good = try directory.write("a.txt", "alpha")
            let missing = directory.path + "/missing.txt"
            let result = ReadResult(paths: [missing, good])
            #expect(result.names == [good])
            #expect(result.warnings.map(\.description) == [missing + ": warning: cannot read: no such file or directory"])
            #expect(result.skipped == 1)
        }
    }

    @Test func unreadableFileIsWarnedAndCounted() throws {
        // Root reads any file whatever its mode, so this only tests something as a user.
        guard getuid() != 0 else { return }
        try withTemporaryDirectory { directory in
            let file = try directory.write("a.txt", "secret")
            chmod(file, 0)
            defer { chmod(file, 0o644) }
            let result = ReadResult(paths: [file])
            #expect(result.documents.isEmpty)
            #expect(result.warnings.map(\.description) == [file + ": warning: cannot read: permission denied"])
            #expect(result.skipped == 1)
        }
    }

    /// With one worker the reading thread reads and parses the inputs
    /// (`resolvesItems`): documents, warnings and counts are what the worker's
    /// reading gives.
    @Test func inputsResolvedByTheReaderGiveWhatTheWorkersGive() throws {
        try withTemporaryDirectory { directory in
            try directory.write("a.txt", "alpha")
            try directory.write("b.txt", bytes: [0x50, 0x4B, 0x03, 0x00, 0x04])
            try directory.write("c.md", bytes: Array("Café ".utf8) + [0xC0, 0xAF])
            try directory.write("d.txt", "")
            try directory.write("e.txt", "\u{FEFF}with a BOM\r\n")
            try directory.write("f/g.txt", String(repeating: "long ", count: 5_000))
            try directory.write("h.jsonl", "{\"id\":\"h1\",\"text\":\"one\"}\n{\"text\":3}\n\n{\"id\":\"h4\",\"text\":\"four\",\"meta\":[1]}\n{bad\n")
            let missing = directory.path + "/missing.txt"
            let paths = [directory.path, missing]
            let byWorkers = ReadResult(paths: paths)
            let byReader = ReadResult(paths: paths, resolvesItems: true)
            #expect(byReader.names == byWorkers.names)
            #expect(byReader.documents.map(\.text) == byWorkers.documents.map(\.text))
            #expect(byReader.documents.map(\.inputBytes) == byWorkers.documents.map(\.inputBytes))
            #expect(byReader.documents.map { $0.meta.map { "\($0)" } } == byWorkers.documents.map { $0.meta.map { "\($0)" } })
            #expect(byReader.warnings.map(\.description) == byWorkers.warnings.map(\.description))
            #expect(byReader.skipped == byWorkers.skipped)
            #expect(byWorkers.skipped == 4)
            // The items themselves: resolved already, with the input's sizes.
            let reader = CorpusReader(paths: [directory.path + "/a.txt", directory.path + "/h.jsonl"]) { _ in }
            reader.resolvesItems = true
            guard case .resolved(let document?, let warnings, let size, let inputBytes) = reader.nextItem() else {
                Issue.record("a text file the reader resolves is not an Item.resolved")
                return
            }
            #expect(document.text == "alpha" && warnings.isEmpty && size == 5 && inputBytes == 5)
            guard case .resolved(let line?, _, let lineSize, let lineBytes) = reader.nextItem() else {
                Issue.record("a JSONL line the reader resolves is not an Item.resolved")
                return
            }
            #expect(line.name == "h1" && lineSize == 24 && lineBytes == 25)
        }
    }

    @Test func filesTheListingCallsRegularAreOpenedInTheirFolder() throws {
        try withTemporaryDirectory { directory in
            try directory.write("outside/real.txt", "linked to")
            try directory.write("in/a.txt", "plain")
            try directory.write("in/b.csv", "not read")
            try #require(symlink(directory.path + "/outside/real.txt", directory.path + "/in/link.txt") == 0)
            try #require(symlink(directory.path + "/outside", directory.path + "/in/sub") == 0)
            let reader = CorpusReader(paths: [directory.path + "/in"]) { _ in }
            var items: [CorpusReader.Item] = []
            while let item = reader.nextItem() { items.append(item) }
            // A regular file is opened by name in its folder, without a size; a
            // link is looked at by its path, as it always was (and a linked
            // folder's files are listed as any folder's).
            let seen = items.compactMap { item -> String? in
                guard case .textFile(let path, let size, let regular, let folder) = item else { return nil }
                return "\(CorpusReader.name(path)) size:\(size.map(String.init) ?? "-") regular:\(regular) folder:\(folder != nil)"
            }
            #expect(seen == [
                "a.txt size:- regular:true folder:true", "link.txt size:9 regular:true folder:false",
                "real.txt size:- regular:true folder:true",
            ])
            #expect(items.map { $0.resolve().document?.text } == ["plain", "linked to", "linked to"])
            // Read without a size, a document's bytes take no more room than they need.
            #expect(items[0].resolve().document?.utf8.capacity ?? 0 < 64)
            #expect(items.map(\.size) == [0, 9, 0])
        }
    }

    @Test func emptyAndLargeFilesListedWithoutASizeAreReadWhole() throws {
        try withTemporaryDirectory { directory in
            let large = String(repeating: "Japan and France held talks. ", count: 2_000)  // 58,000 bytes
            try directory.write("a.txt", "")
            try directory.write("b.txt", large)
            let result = ReadResult(paths: [directory.path])
            #expect(result.documents.map(\.text) == ["", large])
            #expect(result.documents.map(\.inputBytes) == [0, large.utf8.count])
        }
    }

    @Test func filesOfMoreFoldersThanAreKeptOpenAreAllRead() throws {
        try withTemporaryDirectory { directory in
            let count = Folder.limit + 40
            for index in 0..<count { try directory.write("f\(1000 + index)/a.txt", "text \(index)") }
            let reader = CorpusReader(paths: [directory.path]) { _ in }
            var items: [CorpusReader.Item] = []
            while let item = reader.nextItem() { items.append(item) }
            // Every item still held: the folders past the limit were closed, and
            // their files are opened by path.
            #expect(Folder.openCount <= Folder.limit)
            let inFolders = items.filter { if case .textFile(_, _, _, _?) = $0 { true } else { false } }.count
            #expect(inFolders <= Folder.limit)
            #expect(Folder.limit == 0 || inFolders >= 1)
            #expect(items.map { $0.resolve().document?.text } == (0..<count).map { "text \($0)" })
        }
    }

    @Test func namesSortByTheirBytes() {
        var generator = SplitMix(seed: 0x50_27)
        let pieces = ["a", "b", "B", "10", "9", "é", "e\u{301}", "Z", "_", "-", ".txt", "日本", ""]
        let names = (0..<400).map { _ in (0..<Int(generator.next() % 4)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined() }
        for (x, y) in Array(zip(names, names.reversed())) + Array(zip(names, names.dropFirst())) {
            #expect(CorpusReader.bytesPrecede(x, y) == x.utf8.lexicographicallyPrecedes(y.utf8), "\(x) \(y)")
        }
        #expect(CorpusReader.bytesPrecede("a", "ab") && !CorpusReader.bytesPrecede("ab", "a") && !CorpusReader.bytesPrecede("a", "a"))
    }

    @Test func emptyFileIsAnEmptyDocument() throws {
        try withTemporaryDirectory { directory in
            let file = try directory.write("empty.txt", "")
            let result = ReadResult(paths: [file])
            #expect(result.documents.map(\.text) == [""])
            #expect(result.warnings.isEmpty)
        }
    }

    @Test func symlinkLoopIsWarnedNotFollowedForever() throws {
        try withTemporaryDirectory { directory in
            try directory.write("sub/a.txt", "alpha")
            try FileManager.default.createSymbolicLink(atPath: directory.path + "/sub/loop", withDestinationPath: directory.path + "/sub")
            let result = ReadResult(paths: [directory.path])
            #expect(result.names == [directory.path + "/sub/a.txt"])
            #expect(result.warnings.map(\.message) == ["directory already visited (symlink loop), skipped"])
        }
    }

    /// The total walks every folder at once (for a progress bar); the files are
    /// then read as if it had not, with the walk's warnings given once.
    @Test func knownTotalBytesThenTheSameFilesInOrder() throws {
        try withTemporaryDirectory { directory in
            try directory.write("b/2.txt", "two")
            try directory.write("a/1.txt", "one")
            try directory.write("c.md", "three")
            try FileManager.default.createSymbolicLink(atPath: directory.path + "/a/loop", withDestinationPath: directory.path + "/a")
            var warnings: [String] = []
            let reader = CorpusReader(paths: [directory.path, directory.path + "/missing.txt"]) { warnings.append($0.message) }
            #expect(reader.knownTotalBytes == 11)
            #expect(reader.knownTotalBytes == 11)
            var texts: [String] = []
            while let document = reader.next() { texts.append(document.text) }
            #expect(texts == ["one", "two", "three"])
            #expect(warnings == ["directory already visited (symlink loop), skipped", "cannot read: no such file or directory"])
            #expect(reader.skipped == 2)
        }
    }

    @Test func aTotalWorkedOutOnItsOwnIsTheReadersTotal() throws {
        try withTemporaryDirectory { directory in
            try directory.write("a/1.txt", "one")
            try directory.write("a/b/2.md", "東京")
            try directory.write("c.jsonl", "{\"text\": \"x\"}\n")
            try directory.write("d.csv", "not read")
            try FileManager.default.createSymbolicLink(atPath: directory.path + "/a/loop", withDestinationPath: directory.path + "/a")
            let paths = [directory.path, directory.path + "/missing.txt"]
            // No warnings from this walk (the reader that reads gives them), and
            // the same total; nil for stdin.
            let total = 3 + "東京".utf8.count + "{\"text\": \"x\"}\n".utf8.count
            #expect(CorpusReader.totalBytes(of: paths) == total)
            #expect(CorpusReader(paths: paths) { _ in }.knownTotalBytes == total)
            #expect(CorpusReader.totalBytes(of: [directory.path, "-"]) == nil)
        }
    }

    @Test func knownTotalBytesSumsFileSizes() throws {
        try withTemporaryDirectory { directory in
            try directory.write("a.txt", "12345")
            try directory.write("b.txt", "東京")
            let reader = CorpusReader(paths: [directory.path]) { _ in }
            #expect(reader.knownTotalBytes == 11)
            #expect(!reader.isStreaming)
        }
    }

    /// A file's size as the folder walk saw it only sizes the buffer: a file that
    /// has grown or shrunk since is read whole all the same.
    @Test(arguments: [0, 1, 100, 4095, 4096, 9_999, 10_000, 10_001, 1 << 20])
    func textFileReadWholeWhateverItsSizeWas(_ hint: Int) throws {
        try withTemporaryDirectory { directory in
            let text = String(repeating: "Japan and France held talks. ", count: 345)  // 10,005 bytes
            let path = try directory.write("a.txt", text)
            let (document, warnings) = CorpusReader.readTextFile(path, size: hint, regular: true)
            #expect(warnings.isEmpty)
            #expect(document?.text == text)
            #expect(document?.inputBytes == text.utf8.count)
        }
    }

    /// A pipe named on the command line (`quarry run <(zcat a.txt.gz)`) gives its
    /// text in pieces: a short read is not its end.
    @Test func textFromAPipeIsReadToItsEnd() throws {
        try withTemporaryDirectory { directory in
            let path = directory.path + "/pipe.txt"
            try #require(mkfifo(path, 0o600) == 0)
            let pieces = ["Japan and France ", "held talks ", "on Monday."]
            let writer = Thread {
                let descriptor = open(path, O_WRONLY)
                for piece in pieces {
                    _ = Array(piece.utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    usleep(20_000)
                }
                close(descriptor)
            }
            writer.start()
            let read = ReadResult(paths: [path])
            #expect(read.warnings.isEmpty)
            #expect(read.documents.map(\.text) == [pieces.joined()])
        }
    }
}
