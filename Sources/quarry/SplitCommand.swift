import ArgumentParser
import Foundation
import Quarry

struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split", abstract: "Print the sentences of documents as NDJSON {doc,index,start,end,text}.")

    @Argument(help: "Files or folders to read (.txt, .md, .jsonl); '-' reads JSONL documents from stdin.")
    var paths: [String] = []

    @OptionGroup var pack: PackOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("name at least one file or folder to read, or '-' for stdin") }
    }

    func run() throws {
        let rules = try pack.load(showWarnings: false)
        let splitter = SentenceSplitter(rules: rules.sentenceRules)
        let reader = CorpusReader(paths: paths) { Console.error($0.description) }
        let sink = RecordSink.standardOutput()
        do {
            while let document = reader.next() {
                var out = JSONBuffer()
                let bytes = document.utf8
                bytes.withUnsafeBufferPointer { text in
                    let index = ScalarIndex(text)
                    for (number, range) in splitter.split(text).enumerated() {
                        out.raw("{\"doc\":")
                        out.string(document.name)
                        out.raw(",\"index\":")
                        out.number(number)
                        out.raw(",\"start\":")
                        out.number(index.scalarOffset(range.lowerBound, in: text))
                        out.raw(",\"end\":")
                        out.number(index.scalarOffset(range.upperBound, in: text))
                        out.raw(",\"text\":")
                        out.string(String(decoding: text[range], as: UTF8.self))
                        out.raw("}\n")
                    }
                }
                try sink.write(out.bytes)
                if reader.isStreaming { try sink.flush() }
            }
            try sink.finish()
        } catch {
            if case .io(let message) = error {
                Console.error("quarry: " + message)
                throw ExitCode(1)
            }
            throw ExitCode(0)
        }
        if reader.skipped > 0 { throw ExitCode(1) }
    }
}
