import CFuzzDriver
import FuzzSupport
import Quarry

// Target 1: arbitrary bytes as a document. The bytes go through what the corpus
// reader does with a .txt file (NUL check, TextDecoder with U+FFFD replacement, BOM),
// and, when they parse as a JSONL line, through the JSON parser's `text`; then the
// splitter and the whole DocumentProcessor with the real rules/ run, and every
// range and record is checked (FuzzSupport.check).

nonisolated(unsafe) let processor = DocumentProcessor(pack: FuzzSupport.loadRules())
nonisolated(unsafe) let scratch = processor.makeScratch()

func run(_ text: String, name: String) {
    let processed = processor.process(Document(name: name, text: text), scratch: scratch)
    FuzzSupport.check(processed)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDocument(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // As a .txt file: binary content is skipped by the reader.
    if !bytes.contains(0) {
        let decoded = TextDecoder.decode(bytes)
        FuzzSupport.require(decoded.text.unicodeScalars.allSatisfy { $0 != "\u{0}" }, "decoded text has NUL")
        FuzzSupport.require(decoded.invalidOffsets == decoded.invalidOffsets.sorted(), "invalid offsets out of order")
        FuzzSupport.require(decoded.invalidOffsets.allSatisfy { $0 < size }, "invalid offset past the input")
        if decoded.invalidOffsets.isEmpty {
            let body = size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? Array(bytes[3...]) : Array(bytes)
            FuzzSupport.require(Array(decoded.text.utf8) == body, "valid UTF-8 changed by decoding")
        }
        run(decoded.text, name: "fuzz.txt")
    }
    // As a JSONL line.
    if let value = try? JSONParser.parse(bytes), case .string(let text)? = value["text"], !text.utf8.contains(0) {
        run(text, name: "fuzz.jsonl:1")
    }
    return 0
}

/// The entry point SwiftPM's link line names (`main` is an alias of it): libFuzzer's driver.
@_cdecl("FuzzDocument_main")
public func fuzzDocumentMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzDocument(data, size) }
}
