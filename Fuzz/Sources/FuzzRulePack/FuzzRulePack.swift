import Foundation
import CFuzzDriver
import FuzzSupport
import Quarry

// Target 2: the rule-pack loader on arbitrary text. The input is split at NUL bytes
// into up to four files of a pack: pack.yaml, entities/e.yaml, relations/r.yaml,
// gazetteers/g.tsv; a missing or empty part takes the file of a small working pack.
// The files are written into a temporary pack folder and loaded; when the pack loads,
// the processor runs on a fixed text and on every rule example's text, so that
// fuzzed patterns are matched too (PCRE2 limits must turn runaways into warnings).

let defaults = [
    """
    name: fuzz
    version: '1'
    types:
      PLACE: ~
      COUNTRY: PLACE
      PERSON: ~
      TITLE: ~
    macros:
      talks: '(?:talks|discussions)'
    phases:
      - name: names
        gazetteers:
          - gazetteers/g.tsv
      - name: people
        rules:
          - entities/e.yaml
    relations:
      schema:
        talks:
          roles: {parties: {list: true, min: 2}}
      files:
        - relations/r.yaml
    """,
    """
    entities:
      - id: person.after-title
        type: PERSON
        pattern: '{TITLE:title} (?<name>\\p{Lu}\\p{Ll}+ \\p{Lu}\\p{Ll}+)'
        group: name
        attrs: {title: '{title}'}
        examples:
          - text: 'Prime Minister Fumio Kishida spoke.'
            mentions: [Fumio Kishida]
    """,
    """
    relations:
      - id: talks.held
        relation: talks
        pattern: '{COUNTRY+:parties} (?:held|began) {talks}'
        examples:
          - text: 'France and Japan held talks.'
            facts: [{parties: [France, Japan]}]
    """,
    "name\ttype\tcanonical\tid\tattrs\nFrance\tCOUNTRY\tFrance\tQ142\tiso3=FRA\nJapan\tCOUNTRY\tJapan\tQ17\tiso3=JPN\nPrime Minister\tTITLE\t\t\t\n",
]
let names = ["pack.yaml", "entities/e.yaml", "relations/r.yaml", "gazetteers/g.tsv"]

let folder: String = {
    let path = NSTemporaryDirectory() + "quarry-fuzz-pack-\(getpid())"
    for sub in ["", "/entities", "/relations", "/gazetteers"] {
        try? FileManager.default.createDirectory(atPath: path + sub, withIntermediateDirectories: true)
    }
    atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "quarry-fuzz-pack-\(getpid())") }
    return path
}()

let sampleText = "Prime Minister Fumio Kishida said France and Japan held talks. aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n\nFrance and Japan began discussions in Paris on 3 May 2024."

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRulePack(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let parts = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
    for (index, name) in names.enumerated() {
        let part = index < parts.count ? Array(parts[index]) : []
        let contents = part.isEmpty ? Array(defaults[index].utf8) : part
        FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(contents))
    }
    let pack: RulePack
    do {
        pack = try RulePack.load(directory: folder)
    } catch {
        FuzzSupport.require(!error.diagnostics.isEmpty, "a failed load reports nothing")
        FuzzSupport.require(error.diagnostics.contains { $0.severity == .error }, "a failed load reports no error")
        for diagnostic in error.diagnostics { _ = diagnostic.description }
        return 0
    }
    let processor = DocumentProcessor(pack: pack)
    let scratch = processor.makeScratch()
    var texts = [sampleText]
    texts += pack.phases.flatMap(\.rules).flatMap(\.examples).map(\.text).prefix(8)
    texts += pack.relationRules.flatMap(\.examples).map(\.text).prefix(8)
    for text in texts {
        FuzzSupport.check(processor.process(Document(name: "fuzz", text: text), scratch: scratch))
    }
    return 0
}

/// The entry point SwiftPM's link line names (`main` is an alias of it): libFuzzer's driver.
@_cdecl("FuzzRulePack_main")
public func fuzzRulePackMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzRulePack(data, size) }
}
