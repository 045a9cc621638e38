import Foundation
import Quarry

/// Helpers shared by the fuzz targets: where the repository is, and the invariants
/// every processed document must keep whatever its input.
public enum FuzzSupport {
    /// The repository root: `$QUARRY_ROOT`, else found from this file's path
    /// (Fuzz/Sources/FuzzSupport/FuzzSupport.swift).
    public static let root: String = {
        if let root = ProcessInfo.processInfo.environment["QUARRY_ROOT"] { return root }
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The real rule pack (`$QUARRY_RULES`, else `rules/` of the repository).
    public static func loadRules() -> RulePack {
        let directory = ProcessInfo.processInfo.environment["QUARRY_RULES"] ?? root + "/rules"
        do {
            return try RulePack.load(directory: directory)
        } catch {
            fatalError("fuzz: cannot load the rule pack '\(directory)': \(error)")
        }
    }

    /// Crashes (so libFuzzer keeps the input) unless `condition` holds.
    @inline(__always)
    public static func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("fuzz invariant broken: " + message()) }
    }

    static func isBoundary(_ bytes: [UInt8], _ offset: Int) -> Bool {
        offset == bytes.count || (offset >= 0 && offset < bytes.count && bytes[offset] & 0xC0 != 0x80)
    }

    /// Checks every range of `processed` (sentences, mentions, facts) lies in the text on
    /// character boundaries, in order, and that the encoded records parse as JSON and
    /// their scalar offsets slice the text back to each argument's `text`.
    public static func check(_ processed: ProcessedDocument) {
        let bytes = processed.bytes
        require(bytes == Array(processed.document.text.utf8), "bytes are not the text")
        var previousEnd = 0
        for (index, sentence) in processed.sentences.enumerated() {
            let range = sentence.range
            require(sentence.index == index, "sentence index \(sentence.index) at \(index)")
            require(range.lowerBound >= previousEnd && range.upperBound <= bytes.count && !range.isEmpty,
                    "sentence \(index) \(range) after \(previousEnd) in \(bytes.count) bytes")
            require(isBoundary(bytes, range.lowerBound) && isBoundary(bytes, range.upperBound), "sentence \(index) splits a character")
            previousEnd = range.upperBound
        }
        var previousStart = 0
        for mention in processed.mentions {
            let range = mention.range
            require(range.lowerBound >= previousStart, "mentions out of order")
            require(!range.isEmpty && range.upperBound <= bytes.count, "mention \(range) outside \(bytes.count) bytes")
            require(isBoundary(bytes, range.lowerBound) && isBoundary(bytes, range.upperBound), "mention \(range) splits a character")
            require(processed.sentences.contains { $0.range.contains(range.lowerBound) && range.upperBound <= $0.range.upperBound },
                    "mention \(range) crosses a sentence boundary")
            previousStart = range.lowerBound
        }
        for fact in processed.facts {
            require(processed.sentences.contains(fact.sentence), "fact of an unknown sentence")
            require(fact.matchRange.lowerBound >= fact.sentence.range.lowerBound
                    && fact.matchRange.upperBound <= fact.sentence.range.upperBound, "fact match outside its sentence")
            for (_, value) in fact.args {
                for argument in value.arguments {
                    let range = argument.mention.range
                    require(range.lowerBound >= fact.sentence.range.lowerBound && range.upperBound <= fact.sentence.range.upperBound,
                            "argument \(range) outside its sentence \(fact.sentence.range)")
                }
            }
        }
        var facts = JSONBuffer()
        RecordEncoder.facts(processed, into: &facts)
        var mentions = JSONBuffer()
        RecordEncoder.mentions(processed, into: &mentions)
        let scalars = Array(processed.document.text.unicodeScalars)
        for output in [facts.bytes, mentions.bytes] {
            for line in output.split(separator: 0x0A) {
                let value: JSONValue
                do {
                    value = try JSONParser.parse(String(decoding: line, as: UTF8.self))
                } catch {
                    fatalError("fuzz invariant broken: record is not JSON (\(error.message) at \(error.offset)): \(String(decoding: line, as: UTF8.self))")
                }
                checkOffsets(value, scalars)
            }
        }
    }

    /// Every object with `text`, `start` and `end` must slice the text to `text`
    /// (mention objects; `evidence` and sentences are not checked).
    static func checkOffsets(_ value: JSONValue, _ scalars: [Unicode.Scalar]) {
        switch value {
        case .object(let members):
            if case .string(let text)? = value["text"], case .number(let start)? = value["start"],
               case .number(let end)? = value["end"], let s = Int(start), let e = Int(end)
            {
                require(0 <= s && s <= e && e <= scalars.count, "offsets \(s)..<\(e) outside \(scalars.count) scalars")
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[s..<e])
                require(String(view) == text, "text[\(s):\(e)] is '\(String(view))', record says '\(text)'")
            }
            for (_, member) in members { checkOffsets(member, scalars) }
        case .array(let elements):
            for element in elements { checkOffsets(element, scalars) }
        default: break
        }
    }
}
