import ArgumentParser
import Foundation
import Quarry

/// Times one stage alone, in process, for `make bench`; not for everyday use.
struct BenchStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-stage", abstract: "Time one stage alone over a corpus (used by make bench).",
        shouldDisplay: false)

    enum Stage: String, ExpressibleByArgument {
        case read, split, words, gazetteer, patterns
    }

    @Argument(help: "The stage: read (the corpus reader: files, JSONL parsing, UTF-8 checks), split, words (the scan for the rules' required words, over sentences split beforehand), gazetteer, or patterns (each entity rule's pattern alone over the raw text).")
    var stage: Stage

    @Argument(help: "The corpus to read.")
    var paths: [String]

    @OptionGroup var pack: PackOptions

    @Option(name: .long, help: "The gazetteer TSV to load (gazetteer stage).")
    var gazetteer: String?

    @Flag(name: .long, help: "Load the gazetteer caseless.")
    var caseless = false

    func run() throws {
        let readStart = Date()
        let reader = CorpusReader(paths: paths) { Console.error($0.description) }
        var texts: [[UInt8]] = []
        while let document = reader.next() { texts.append(document.utf8) }
        let readSeconds = Date().timeIntervalSince(readStart)
        let bytes = texts.map(\.count).reduce(0, +)
        var loadSeconds = 0.0
        var names: Int?
        var matches = 0
        let seconds: Double
        switch stage {
        case .read:
            seconds = readSeconds
            matches = texts.count
        case .split:
            let splitter = SentenceSplitter(rules: try pack.load(showWarnings: false).sentenceRules)
            let start = Date()
            for text in texts { matches += splitter.split(text).count }
            seconds = Date().timeIntervalSince(start)
        case .words:
            let loaded = try pack.load(showWarnings: false)
            let splitter = SentenceSplitter(rules: loaded.sentenceRules)
            let scanner = RuleWords(pack: loaded).scanner
            let sentences = texts.map { text in
                splitter.split(text).enumerated().map { Sentence(index: $0.offset, range: $0.element) }
            }
            let start = Date()
            for (text, sentences) in zip(texts, sentences) {
                text.withUnsafeBufferPointer { buffer in
                    matches += scanner.scan(buffer, sentences: sentences).everywhere ? 1 : 0
                }
            }
            seconds = Date().timeIntervalSince(start)
        case .gazetteer:
            guard let gazetteer else { throw ValidationError("--gazetteer FILE is required for the gazetteer stage") }
            let loadStart = Date()
            let loaded = try GazetteerFile.load(path: gazetteer, caseless: caseless)
            loadSeconds = Date().timeIntervalSince(loadStart)
            names = loaded.entries.count
            let start = Date()
            for text in texts {
                text.withUnsafeBufferPointer { buffer in
                    loaded.scan(buffer, in: 0..<buffer.count) { _, _ in matches += 1 }
                }
            }
            seconds = Date().timeIntervalSince(start)
        case .patterns:
            let loaded = try pack.load(showWarnings: false)
            let scratch = MatchScratch(maxGroups: max(loaded.maxGroups, 1))
            var total = 0.0
            for rule in loaded.phases.flatMap(\.rules) {
                let start = Date()
                var found = 0
                for text in texts {
                    text.withUnsafeBufferPointer { buffer in
                        try? scratch.forEachMatch(of: rule.pattern.pattern, in: buffer) { _ in
                            found += 1
                            return true
                        }
                    }
                }
                let elapsed = Date().timeIntervalSince(start)
                total += elapsed
                matches += found
                Console.error(String(format: "%8.1f MB/s  %7d matches  %@", Double(bytes) / 1e6 / elapsed, found, rule.id))
            }
            // Relation rules over the token strings of the sentences they would run on.
            let processor = DocumentProcessor(pack: loaded)
            let extractor = processor.extractor
            var sentences: [(tokens: TokenString, present: TypeSet)] = []
            for (index, text) in texts.enumerated() {
                let processed = processor.process(Document(name: "\(index)", text: String(decoding: text, as: UTF8.self)), scratch: scratch)
                processed.bytes.withUnsafeBufferPointer { buffer in
                    var cursor = 0
                    for sentence in processed.sentences {
                        let inside = Array(EntityTagger.mentions(of: processed.mentions, in: sentence.range, from: &cursor))
                        guard !inside.isEmpty else { continue }
                        let tokens = TokenString(text: buffer, range: sentence.range, mentions: inside, codec: loaded.codec)
                        sentences.append((tokens, loaded.codec.types(of: inside)))
                    }
                }
            }
            for (index, rule) in loaded.relationRules.enumerated() {
                let start = Date()
                var found = 0
                var ran = 0
                for sentence in sentences where extractor.filters[index].canMatch(sentence.present, mentions: sentence.tokens.mentions.count) {
                    ran += sentence.tokens.bytes.count
                    sentence.tokens.bytes.withUnsafeBufferPointer { buffer in
                        try? scratch.forEachMatch(of: rule.pattern.pattern, in: buffer) { _ in
                            found += 1
                            return true
                        }
                    }
                }
                let elapsed = Date().timeIntervalSince(start)
                total += elapsed
                Console.error(String(format: "%8.3f s  %6.1f MB run  %7d matches  %@", elapsed, Double(ran) / 1e6, found, rule.id))
            }
            seconds = total
        }
        Console.out(
            "{\"stage\":\"\(stage.rawValue)\",\"bytes\":\(bytes),\"seconds\":\(seconds),\"load_seconds\":\(loadSeconds),"
                + "\"names\":\(names.map(String.init) ?? "null"),\"matches\":\(matches)}")
    }
}
