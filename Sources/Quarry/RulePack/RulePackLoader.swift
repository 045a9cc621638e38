import Foundation
import Yams

/// Reads `pack.yaml` and every file it names, checking everything and collecting
/// every problem before it reports, so an author fixes a pack in one pass.
struct RulePackLoader {
    let directory: String
    private var diagnostics: [Diagnostic] = []
    private var types = TypeHierarchy()
    private var codec = TokenCodec(types: TypeHierarchy())
    private var packMacros: [String: String] = [:]
    private var usedMacros = Set<String>()
    private var order = 0
    private var ruleIDs: [String: RuleReference] = [:]
    /// What `prefetch` worked out ahead, on several threads; empty with one job.
    private var prefetched = Prefetched()
    /// Threads `prefetch` may use.
    private let jobs: Int

    /// The pack folder's own name: records name rule files from it ("rules/…"),
    /// so they do not depend on how the user spelled `--rules`.
    private let displayBase: String

    init(directory: String, jobs: Int = 1) {
        self.jobs = max(1, jobs)
        var directory = directory
        while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory
        displayBase = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
    }

    /// The path a record gives for a file of the pack.
    private func display(_ typed: String) -> String {
        typed.hasPrefix(directory + "/") ? displayBase + typed.dropFirst(directory.count) : typed
    }

    /// The path as the user named it, for a path `display` gave.
    private func typed(_ shown: String) -> String {
        shown.hasPrefix(displayBase + "/") ? directory + shown.dropFirst(displayBase.count) : shown
    }

    private func path(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : directory + "/" + relative
    }

    private mutating func error(_ file: String, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, line: 0, column: 0, message: message))
    }

    /// The text of `file`, nil when it cannot be read (callers say which file).
    fileprivate static func read(_ file: String) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    mutating func load() throws(RulePackError) -> RulePack {
        // With more than one job, the pool's threads start now: they are ready when
        // pack.yaml names the files to read.
        let pool = jobs > 1 ? TaskPool(threads: jobs) : nil
        defer { pool?.close() }
        let packFile = path("pack.yaml")
        guard let text = Self.read(packFile) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory)
            let message = exists && isDirectory.boolValue
                ? "cannot read pack.yaml in rule pack '\(directory)'"
                : "rule pack folder '\(directory)' does not exist"
            throw RulePackError(diagnostics: [Diagnostic(.error, file: exists ? packFile : directory, line: 0, column: 0, message: message)])
        }
        let (parsed, problem) = YAMLDocument.parse(text, file: packFile)
        guard let document = parsed, let root = document.root, root.isMapping else {
            throw RulePackError(diagnostics: [problem ?? Diagnostic(.error, file: packFile, line: 0, column: 0, message: "pack.yaml must be a mapping")])
        }
        checkKeys(root, allowed: ["name", "version", "description", "types", "sentences", "macros", "resolution", "phases", "relations"], in: document)
        let name = root.member("name")?.string ?? "unnamed"
        let version = root.member("version")?.string ?? "0"
        loadTypes(root.member("types"), document)
        codec = TokenCodec(types: types)
        packMacros = loadMacros(root.member("macros"), document)
        if let pool { prefetch(root, on: pool) }
        let sentenceRules = loadSentences(root.member("sentences")?.string ?? "sentences")
        var shortNames = Set<String>()
        var pronouns: [String: Set<String>] = [:]
        if let resolution = root.member("resolution") {
            checkKeys(resolution, allowed: ["short_names", "pronouns"], in: document)
            for node in resolution.member("short_names")?.elements ?? [] {
                guard let type = node.string, types.contains(type) else {
                    diagnostics.append(document.diagnostic(.error, "unknown type '\(node.string ?? "")' in resolution.short_names", at: node))
                    continue
                }
                shortNames.insert(type)
            }
            for (type, keyNode, words) in resolution.member("pronouns")?.members ?? [] {
                guard types.contains(type) else {
                    diagnostics.append(document.diagnostic(.error, "unknown type '\(type)' in resolution.pronouns", at: keyNode))
                    continue
                }
                pronouns[type] = Set(words.elements.compactMap(\.string))
            }
        }
        var phases: [RulePack.Phase] = []
        for (index, node) in (root.member("phases")?.elements ?? []).enumerated() {
            phases.append(loadPhase(node, index: index, document))
        }
        if root.member("phases") == nil {
            diagnostics.append(document.diagnostic(.error, "pack.yaml has no 'phases': list the gazetteers and entity rules", at: root))
        }
        // The gazetteers are complete once their stands_for entities are resolved:
        // with more than one job, they merge into tries on another thread while the
        // relation rules load and the checks below run. The resolution's warnings
        // still come out after the relation files' diagnostics, as they always have.
        let beforeStandsFor = diagnostics.count
        resolveStandsFor(&phases, document: document)
        let standsForWarnings = Array(diagnostics[beforeStandsFor...])
        diagnostics.removeSubrange(beforeStandsFor...)
        let files = phases
        let merging = pool.map { Merging(files, on: $0) }
        var relationRules: [RelationRule] = []
        var schemas: [String: RelationSchema] = [:]
        if let relations = root.member("relations") {
            checkKeys(relations, allowed: ["schema", "files"], in: document)
            schemas = loadSchemas(relations.member("schema"), document)
            for node in relations.member("files")?.elements ?? [] {
                guard let file = node.string else { continue }
                relationRules += loadRelationFile(file, schemas: schemas, at: node, document)
            }
        }
        // In file order, so the warnings come out the same way every run.
        for (macro, keyNode, _) in root.member("macros")?.members ?? [] where packMacros[macro] != nil && !usedMacros.contains(macro) {
            diagnostics.append(document.diagnostic(.warning, "macro '\(macro)' is never used", at: keyNode))
        }
        diagnostics += standsForWarnings
        warnUnmatchable(phases: files, relationRules: relationRules)
        warnShadowedNames(files)
        // The rules' words need no gazetteer: their scanner is built while the
        // tries merge.
        let words = RuleWords(phases: files.map(\.rules), relationRules: relationRules)
        phases = merging?.phases() ?? files.map { $0.merged() }
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw RulePackError(diagnostics: diagnostics) }
        return RulePack(
            directory: directory, name: name, version: version, types: types, sentenceRules: sentenceRules,
            phases: phases, relationRules: relationRules, schemas: schemas, shortNameTypes: shortNames, pronouns: pronouns,
            warnings: diagnostics, words: words)
    }

    /// Warns of a name that another file of the same phase already lists: the
    /// first one is always the match, so the later line is never used.
    /// The phases' files as read, before they are merged: the names of the files of
    /// one case setting are checked together, as their merged trie will hold them.
    ///
    /// The first entry of a name is kept as its place (file and entry index), not a
    /// copy, and found with one hash when the name is new, as nearly all are.
    private mutating func warnShadowedNames(_ phases: [RulePack.Phase]) {
        for phase in phases {
            for caseless in [false, true] {
                // Room for every name at once: grown as it filled, the dictionary
                // was rehashed a dozen times.
                let names = phase.gazetteers.reduce(0) { $0 + ($1.caseless == caseless ? $1.entries.count : 0) }
                var first = [String: (file: Int, entry: Int)](minimumCapacity: names)
                for (fileIndex, file) in phase.gazetteers.enumerated() where file.caseless == caseless {
                    // Entries are read in place: a copy of each (a dozen references) was a
                    // fifth of this check.
                    let entries = file.entries
                    for entryIndex in entries.indices {
                        let name = entries[entryIndex].name
                        let key = caseless ? String(decoding: name.utf8.map(Gazetteer.fold), as: UTF8.self) : name
                        guard let place = first.updateValue((fileIndex, entryIndex), forKey: key) else { continue }
                        first[key] = place
                        let earlier = phase.gazetteers[place.file].entries[place.entry]
                        let entry = entries[entryIndex]
                        if earlier.file != entry.file || earlier.entity.type != entry.entity.type {
                            diagnostics.append(Diagnostic(.warning, file: typed(entry.file), line: entry.line, column: 1,
                                                          message: "'\(entry.name)' is also at \(typed(earlier.file)):\(earlier.line), which comes first: this line is never used"))
                        }
                    }
                }
            }
        }
    }

    /// Warns of rules that can never match: a placeholder whose types nothing in
    /// the pack tags, or a pattern that matches the empty string.
    private mutating func warnUnmatchable(phases: [RulePack.Phase], relationRules: [RelationRule]) {
        var tagged = Set<String>()
        for phase in phases {
            for gazetteer in phase.gazetteers {
                let entries = gazetteer.entries
                for index in entries.indices {
                    tagged.insert(entries[index].entity.type)
                    if let type = entries[index].standsFor?.type { tagged.insert(type) }
                }
            }
            for rule in phase.rules { tagged.insert(rule.type) }
        }
        let scratch = MatchScratch(maxGroups: 64)
        let patterns = phases.flatMap(\.rules).map { ($0.reference, $0.pattern) } + relationRules.map { ($0.reference, $0.pattern) }
        for (reference, pattern) in patterns {
            for required in pattern.requiredTypes {
                let wanted = required.reduce(into: Set<String>()) { $0.formUnion(types.descendants(of: $1)) }
                if wanted.isDisjoint(with: tagged) {
                    diagnostics.append(Diagnostic(.warning, file: typed(reference.file), line: reference.line, column: 0,
                                                  message: "rule '\(reference.id)' can never match: nothing in the pack tags \(required.joined(separator: " or "))"))
                }
            }
            if pattern.pattern.captureCount <= 64, pattern.pattern.matchesEmpty(scratch: scratch) {
                diagnostics.append(Diagnostic(.warning, file: typed(reference.file), line: reference.line, column: 0,
                                              message: "rule '\(reference.id)' matches the empty string; empty matches are ignored"))
            }
        }
    }

    private mutating func checkKeys(_ node: Node, allowed: Set<String>, in document: YAMLDocument) {
        for (key, keyNode, _) in node.members where !allowed.contains(key) {
            let list = allowed.sorted().joined(separator: ", ")
            diagnostics.append(document.diagnostic(.error, "unknown key '\(key)' (expected one of: \(list))", at: keyNode))
        }
    }

    private mutating func loadTypes(_ node: Node?, _ document: YAMLDocument) {
        var parents: [String: String?] = [:]
        guard let node else {
            diagnostics.append(Diagnostic(.error, file: document.file, line: 0, column: 0, message: "pack.yaml declares no 'types'"))
            return
        }
        for (name, keyNode, value) in node.members {
            guard name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }), !name.isEmpty else {
                diagnostics.append(document.diagnostic(.error, "type name '\(name)' must be upper case letters, digits and _", at: keyNode))
                continue
            }
            parents[name] = value.isNull ? .some(nil) : .some(value.string)
        }
        for (name, _, value) in node.members {
            if let parent = value.string, !value.isNull, parents[parent] == nil {
                diagnostics.append(document.diagnostic(.error, "type '\(name)' has unknown parent type '\(parent)'", at: value))
                parents[name] = .some(nil)
            }
        }
        if parents.count > TokenCodec.maxTypes {
            diagnostics.append(document.diagnostic(.error, "too many types (\(parents.count)); at most \(TokenCodec.maxTypes)", at: node))
        }
        types = TypeHierarchy(parents: parents)
        for name in parents.keys {
            var seen = Set<String>()
            var current: String? = name
            while let type = current {
                if !seen.insert(type).inserted {
                    diagnostics.append(document.diagnostic(.error, "type '\(name)' is its own ancestor", at: node.member(name)))
                    break
                }
                current = parents[type] ?? nil
            }
        }
    }

    private mutating func loadMacros(_ node: Node?, _ document: YAMLDocument) -> [String: String] {
        var macros: [String: String] = [:]
        for (name, keyNode, value) in node?.members ?? [] {
            guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) || first == "_",
                  name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
            else {
                diagnostics.append(document.diagnostic(.error, "macro name '\(name)' must be lower case letters, digits and _", at: keyNode))
                continue
            }
            if name == "gap" {
                diagnostics.append(document.diagnostic(.error, "'gap' is a built-in placeholder and cannot be a macro", at: keyNode))
                continue
            }
            guard let text = value.string else {
                diagnostics.append(document.diagnostic(.error, "macro '\(name)' must be a string", at: value))
                continue
            }
            macros[name] = text
        }
        return macros
    }

    private mutating func loadSentences(_ folder: String) -> SentenceRules {
        let folderPath = path(folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folderPath) else {
            return .empty
        }
        var files: [(path: String, text: String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let file = folderPath + "/" + name
            guard let text = Self.read(file) else {
                error(file, "cannot read sentence rules")
                continue
            }
            files.append((file, text))
        }
        let (rules, problems) = SentenceRules.parse(files: files)
        diagnostics += problems
        return rules
    }

    private mutating func loadPhase(_ node: Node, index: Int, _ document: YAMLDocument) -> RulePack.Phase {
        checkKeys(node, allowed: ["name", "gazetteers", "rules"], in: document)
        let name = node.member("name")?.string ?? "phase\(index + 1)"
        var gazetteers: [Gazetteer] = []
        for entry in node.member("gazetteers")?.elements ?? [] {
            var file: String?
            var caseless = false
            if entry.isMapping {
                checkKeys(entry, allowed: ["file", "caseless"], in: document)
                file = entry.member("file")?.string
                caseless = entry.member("caseless")?.bool ?? false
            } else {
                file = entry.string
            }
            guard let file else {
                diagnostics.append(document.diagnostic(.error, "a gazetteer needs a file", at: entry))
                continue
            }
            if let gazetteer = loadGazetteer(file, caseless: caseless, phase: index, at: entry, document) {
                gazetteers.append(gazetteer)
            }
        }
        var rules: [EntityRule] = []
        for entry in node.member("rules")?.elements ?? [] {
            guard let file = entry.string else { continue }
            rules += loadEntityFile(file, phase: index, at: entry, document)
        }
        // Scanners are merged once the pack's stands_for entries are resolved.
        return RulePack.Phase(name: name, gazetteers: gazetteers, rules: rules, merging: false)
    }

    // MARK: Gazetteers

    private mutating func loadGazetteer(
        _ relative: String, caseless: Bool, phase: Int, at node: Node, _ document: YAMLDocument
    ) -> Gazetteer? {
        let file = path(relative)
        var entries: [Gazetteer.Entry]
        let problems: [Diagnostic]
        if let done = prefetched.gazetteer(file, caseless: caseless) {
            order += 1
            (entries, problems) = done
            for index in entries.indices { entries[index].order = order }
        } else {
            guard let text = Self.read(file) else {
                diagnostics.append(document.diagnostic(.error, "cannot read gazetteer '\(relative)'", at: node))
                return nil
            }
            order += 1
            (entries, problems) = GazetteerFile.parse(
                text, file: file, source: display(file), caseless: caseless, order: order) { types.contains($0) }
        }
        diagnostics += problems
        return Gazetteer(file: file, entries: entries, caseless: caseless, phase: phase, scannable: false)
    }

    /// Gives every entry with a `stands_for` attribute the entity it names.
    ///
    /// Each entry's attributes are looked up once: the targets are kept by place
    /// as the canonical names are gathered (three lookups of "stands_for" an entry
    /// were two thirds of this).
    private mutating func resolveStandsFor(_ phases: inout [RulePack.Phase], document: YAMLDocument) {
        var byCanonical: [String: Entity] = [:]
        var targets: [(phase: Int, gazetteer: Int, entries: [(index: Int, target: String)])] = []
        for phaseIndex in phases.indices {
            for (gazetteerIndex, gazetteer) in phases[phaseIndex].gazetteers.enumerated() {
                let entries = gazetteer.entries
                var pointing: [(index: Int, target: String)] = []
                // The canonical name of the entry before: a name's variants follow
                // it, and the first entity of a name is already in.
                var previous: String?
                for index in entries.indices {
                    let attrs = entries[index].entity.attrs
                    // A name's few attributes are looked through, not hashed into.
                    if !attrs.isEmpty, let target = attrs.first(where: { $0.key.utf8.count == 10 && $0.key == "stands_for" })?.value {
                        pointing.append((index, target))
                        continue
                    }
                    let entity = entries[index].entity
                    if entity.canonical == previous { continue }
                    previous = entity.canonical
                    // One hash for a new canonical name, as most are; a repeated one
                    // puts the first entity back.
                    if let first = byCanonical.updateValue(entity, forKey: entity.canonical) {
                        byCanonical[entity.canonical] = first
                    }
                }
                if !pointing.isEmpty { targets.append((phaseIndex, gazetteerIndex, pointing)) }
            }
        }
        for (phaseIndex, gazetteerIndex, pointing) in targets {
            let gazetteer = phases[phaseIndex].gazetteers[gazetteerIndex]
            var resolved = gazetteer.entries
            for (index, target) in pointing {
                if let entity = byCanonical[target] {
                    resolved[index].standsFor = entity
                } else {
                    diagnostics.append(Diagnostic(.warning, file: typed(resolved[index].file), line: resolved[index].line, column: 0,
                                                  message: "stands_for '\(target)' names no entity of the pack"))
                }
            }
            phases[phaseIndex].gazetteers[gazetteerIndex] = Gazetteer(
                file: gazetteer.file, entries: resolved, caseless: gazetteer.caseless, phase: gazetteer.phase, scannable: false)
        }
    }

    // MARK: Rule files

    private mutating func ruleFile(_ relative: String, at node: Node, _ pack: YAMLDocument) -> (YAMLDocument, Node)? {
        let file = path(relative)
        let parsed: YAMLDocument?
        let problem: Diagnostic?
        if let done = prefetched.document(file) {
            (parsed, problem) = done
        } else {
            guard let text = Self.read(file) else {
                diagnostics.append(pack.diagnostic(.error, "cannot read rule file '\(relative)'", at: node))
                return nil
            }
            (parsed, problem) = YAMLDocument.parse(text, file: file)
        }
        if let problem { diagnostics.append(problem) }
        guard let document = parsed else { return nil }
        guard let root = document.root else { return nil }
        guard root.isMapping else {
            diagnostics.append(document.diagnostic(.error, "a rule file must be a mapping", at: root))
            return nil
        }
        return (document, root)
    }

    private mutating func fileMacros(_ root: Node, _ document: YAMLDocument) -> [String: String] {
        packMacros.merging(loadMacros(root.member("macros"), document)) { _, file in file }
    }

    /// Reads a rule file and calls `body` with each rule of its list `key`, the
    /// file's macros in scope; then warns of the file's macros no rule used.
    private mutating func forEachRule(
        in relative: String, key: String, at node: Node, _ pack: YAMLDocument,
        _ body: (inout RulePackLoader, YAMLDocument, [String: String], Node) -> Void
    ) {
        guard let (document, root) = ruleFile(relative, at: node, pack) else { return }
        checkKeys(root, allowed: ["macros", key], in: document)
        let macros = fileMacros(root, document)
        let usedBefore = usedMacros
        usedMacros = []
        for rule in root.member(key)?.elements ?? [] {
            body(&self, document, macros, rule)
        }
        warnUnusedFileMacros(root, used: usedMacros, document)
        usedMacros.formUnion(usedBefore)
    }

    /// Warns of the file's own macros that none of its rules used.
    private mutating func warnUnusedFileMacros(_ root: Node, used: Set<String>, _ document: YAMLDocument) {
        for (name, keyNode, _) in root.member("macros")?.members ?? [] where !used.contains(name) {
            diagnostics.append(document.diagnostic(.warning, "macro '\(name)' is never used", at: keyNode))
        }
    }

    private mutating func compile(
        _ node: Node?, field: String, rule: Node, macros: [String: String], caseless: Bool, _ document: YAMLDocument
    ) -> RulePattern? {
        guard let node, let source = node.string, node.isScalar, !node.isNull else {
            diagnostics.append(document.diagnostic(.error, "rule has no '\(field)'", at: node ?? rule))
            return nil
        }
        do throws(RulePattern.Problem) {
            let key = Prefetched.PatternKey(source: source, macros: macros, caseless: caseless)
            let pattern: RulePattern
            if let done = prefetched.pattern(key) {
                pattern = try done.get()
            } else {
                pattern = try RulePattern(source, macros: macros, codec: codec, caseless: caseless)
            }
            usedMacros.formUnion(pattern.usedMacros)
            return pattern
        } catch {
            let place = document.place(of: error.offset, in: node)
            diagnostics.append(document.diagnostic(.error, error.message, at: node, columnOffset: place.columnOffset, lineOffset: place.lineOffset))
            return nil
        }
    }

    private mutating func ruleIdentity(_ rule: Node, _ document: YAMLDocument) -> RuleReference? {
        guard let idNode = rule.member("id"), let id = idNode.string, !id.isEmpty else {
            diagnostics.append(document.diagnostic(.error, "rule has no 'id'", at: rule))
            return nil
        }
        let reference = RuleReference(id: id, file: display(document.file), line: rule.mark?.line ?? 0)
        if let first = ruleIDs[id] {
            diagnostics.append(document.diagnostic(.error, "duplicate rule id '\(id)' (first at \(typed(first.file)):\(first.line))", at: idNode))
            return nil
        }
        ruleIDs[id] = reference
        return reference
    }

    private mutating func attributes(_ node: Node?, _ document: YAMLDocument) -> [(key: String, value: Template)] {
        guard let node else { return [] }
        if !node.isMapping {
            diagnostics.append(document.diagnostic(.error, "'attrs' must be a mapping", at: node))
            return []
        }
        return node.members.map { ($0.key, Template($0.value.string ?? "")) }
    }

    private mutating func examples(_ node: Node?, key: String, _ document: YAMLDocument) -> [RuleExample] {
        var result: [RuleExample] = []
        for example in node?.elements ?? [] {
            guard let text = example.member("text")?.string else {
                diagnostics.append(document.diagnostic(.error, "an example needs a 'text'", at: example))
                continue
            }
            checkKeys(example, allowed: ["text", key], in: document)
            var expected: [RuleExample.Expectation] = []
            for item in example.member(key)?.elements ?? [] {
                if let name = item.string, item.isScalar {
                    guard key == "mentions" else {
                        diagnostics.append(document.diagnostic(.error, "a fact is a mapping of roles to names, e.g. {parties: [France, Japan]}", at: item))
                        continue
                    }
                    expected.append(["text": [name]])
                    continue
                }
                var expectation: RuleExample.Expectation = [:]
                for (role, _, value) in item.members {
                    expectation[role] = value.isSequence ? value.elements.compactMap(\.string) : [value.string ?? ""]
                }
                expected.append(expectation)
            }
            if example.member(key) == nil {
                diagnostics.append(document.diagnostic(.error, "an example needs '\(key)' (use [] when the rule must not match)", at: example))
            }
            result.append(RuleExample(text: text, expected: expected, file: document.file, line: example.mark?.line ?? 0))
        }
        return result
    }

    private mutating func checkTemplates(_ templates: [Template], pattern: RulePattern, at node: Node, _ document: YAMLDocument) {
        let known = Set(pattern.slots.map(\.name)).union(pattern.userGroups.keys)
        for template in templates {
            for filter in template.unknownFilters {
                let list = Template.filters.sorted().joined(separator: ", ")
                diagnostics.append(document.diagnostic(.error, "unknown filter '\(filter)' (filters: \(list))", at: node))
            }
            for name in template.references where !known.contains(name) {
                diagnostics.append(document.diagnostic(.error, "'{\(name)}' names no slot or named group of the pattern", at: node))
            }
        }
    }

    private mutating func loadEntityFile(_ relative: String, phase: Int, at node: Node, _ pack: YAMLDocument) -> [EntityRule] {
        var rules: [EntityRule] = []
        forEachRule(in: relative, key: "entities", at: node, pack) { loader, document, macros, rule in
            if let loaded = loader.loadEntityRule(rule, phase: phase, macros: macros, document) { rules.append(loaded) }
        }
        return rules
    }

    private mutating func loadEntityRule(_ rule: Node, phase: Int, macros: [String: String], _ document: YAMLDocument) -> EntityRule? {
        checkKeys(rule, allowed: ["id", "type", "pattern", "group", "canonical", "entity_id", "attrs", "caseless", "examples", "description"], in: document)
        guard let reference = ruleIdentity(rule, document) else { return nil }
        guard let typeNode = rule.member("type"), let type = typeNode.string else {
            diagnostics.append(document.diagnostic(.error, "rule '\(reference.id)' has no 'type'", at: rule))
            return nil
        }
        guard types.contains(type) else {
            diagnostics.append(document.diagnostic(.error, "unknown type '\(type)'", at: typeNode))
            return nil
        }
        let caseless = rule.member("caseless")?.bool ?? false
        guard let pattern = compile(rule.member("pattern"), field: "pattern", rule: rule, macros: macros, caseless: caseless, document) else { return nil }
        let group = rule.member("group")?.string
        if let group, pattern.userGroups[group] == nil {
            diagnostics.append(document.diagnostic(.error, "group '\(group)' is not a named group of the pattern", at: rule.member("group")))
            return nil
        }
        let canonical = rule.member("canonical")?.string.map(Template.init)
        let entityID = rule.member("entity_id")?.string.map(Template.init)
        let attrs = attributes(rule.member("attrs"), document)
        checkTemplates([canonical, entityID].compactMap { $0 } + attrs.map(\.value), pattern: pattern,
                       at: rule.member("attrs") ?? rule.member("canonical") ?? rule, document)
        if pattern.mentionedTypes.isEmpty == false && phase == 0 {
            diagnostics.append(document.diagnostic(.warning, "rule '\(reference.id)' names entity types but runs in the first phase, where there are no mentions yet", at: rule.member("pattern")))
        }
        order += 1
        return EntityRule(
            id: reference.id, type: type, pattern: pattern, group: group, canonical: canonical, entityID: entityID,
            attrs: attrs, reference: reference, phase: phase, order: order,
            examples: examples(rule.member("examples"), key: "mentions", document))
    }

    private mutating func loadSchemas(_ node: Node?, _ document: YAMLDocument) -> [String: RelationSchema] {
        var schemas: [String: RelationSchema] = [:]
        for (name, _, value) in node?.members ?? [] {
            checkKeys(value, allowed: ["roles", "cameo", "description"], in: document)
            var roles: [RelationSchema.Role] = []
            for (role, _, spec) in value.member("roles")?.members ?? [] {
                if let kind = spec.string, spec.isScalar {
                    guard kind == "one" || kind == "list" else {
                        diagnostics.append(document.diagnostic(.error, "role '\(role)' must be 'one', 'list' or {list: true, min: N}", at: spec))
                        continue
                    }
                    roles.append(.init(name: role, isList: kind == "list", minimum: 0))
                } else {
                    checkKeys(spec, allowed: ["list", "min"], in: document)
                    let isList = spec.member("list")?.bool ?? false
                    roles.append(.init(name: role, isList: isList, minimum: spec.member("min")?.int ?? 0))
                }
            }
            schemas[name] = RelationSchema(name: name, roles: roles, cameo: value.member("cameo")?.string)
        }
        return schemas
    }

    private mutating func loadRelationFile(
        _ relative: String, schemas: [String: RelationSchema], at node: Node, _ pack: YAMLDocument
    ) -> [RelationRule] {
        var rules: [RelationRule] = []
        forEachRule(in: relative, key: "relations", at: node, pack) { loader, document, macros, rule in
            if let loaded = loader.loadRelationRule(rule, schemas: schemas, macros: macros, document) { rules.append(loaded) }
        }
        return rules
    }

    private mutating func loadRelationRule(
        _ rule: Node, schemas: [String: RelationSchema], macros: [String: String], _ document: YAMLDocument
    ) -> RelationRule? {
        checkKeys(rule, allowed: ["id", "relation", "pattern", "attrs", "cameo", "each", "args", "caseless", "examples", "description"], in: document)
        guard let reference = ruleIdentity(rule, document) else { return nil }
        guard let relationNode = rule.member("relation"), let relation = relationNode.string else {
            diagnostics.append(document.diagnostic(.error, "rule '\(reference.id)' has no 'relation'", at: rule))
            return nil
        }
        let schema = schemas[relation]
        if !schemas.isEmpty && schema == nil {
            diagnostics.append(document.diagnostic(.error, "relation '\(relation)' is not declared in pack.yaml (relations.schema)", at: relationNode))
            return nil
        }
        let caseless = rule.member("caseless")?.bool ?? true
        guard let pattern = compile(rule.member("pattern"), field: "pattern", rule: rule, macros: macros, caseless: caseless, document) else { return nil }
        if pattern.slots.isEmpty {
            diagnostics.append(document.diagnostic(.error, "rule '\(reference.id)' binds no slot: write {TYPE:slot}", at: rule.member("pattern")))
            return nil
        }
        let slotNames = Set(pattern.slots.map(\.name))
        var args: [(role: String, slots: [String])] = []
        for (role, _, value) in rule.member("args")?.members ?? [] {
            let slots = value.isSequence ? value.elements.compactMap(\.string) : [value.string ?? ""]
            for slot in slots where !slotNames.contains(slot) {
                diagnostics.append(document.diagnostic(.error, "args: '\(slot)' is not a slot of the pattern", at: value))
            }
            args.append((role, slots))
        }
        let each = rule.member("each")?.string
        if let each, pattern.slots.first(where: { $0.name == each })?.isList != true {
            diagnostics.append(document.diagnostic(.error, "each: '\(each)' is not a list slot ({TYPE+:\(each)}) of the pattern", at: rule.member("each")))
        }
        if let schema {
            let roleNames = Set(schema.roles.map(\.name))
            let produced = Set(args.map(\.role)).union(slotNames.subtracting(args.flatMap(\.slots)))
            for role in produced.sorted() where !roleNames.contains(role) {
                diagnostics.append(document.diagnostic(.error, "role '\(role)' is not a role of '\(relation)' (roles: \(schema.roles.map(\.name).joined(separator: ", ")))", at: rule.member("pattern")))
            }
        }
        let attrs = attributes(rule.member("attrs"), document)
        checkTemplates(attrs.map(\.value), pattern: pattern, at: rule.member("attrs") ?? rule, document)
        order += 1
        return RelationRule(
            id: reference.id, relation: relation, pattern: pattern, attrs: attrs,
            cameo: rule.member("cameo")?.string ?? schema?.cameo, each: each, args: args, reference: reference,
            order: order, examples: examples(rule.member("examples"), key: "facts", document))
    }
}

// MARK: Prefetching

extension RulePackLoader {
    /// The slow parts of loading that do not depend on its order (parsing each
    /// gazetteer and rule file, compiling each pattern), done ahead on `jobs`
    /// threads. The loader then reads pack.yaml in order as always and takes each
    /// result from here, so the pack and its diagnostics are the same whatever
    /// `jobs` is; what the prefetch could not do (an unreadable file), the loader
    /// does itself and reports.
    ///
    /// Loading is serial work before any document is read, so it limits how much
    /// faster a run gets with more cores (see docs/DESIGN-NOTES.md, "Throughput").
    fileprivate func prefetch(_ root: Node, on pool: TaskPool) {
        var gazetteers: [(file: String, caseless: Bool)] = []
        var ruleFiles: [(file: String, key: String, caseless: Bool)] = []
        for phase in root.member("phases")?.elements ?? [] {
            for entry in phase.member("gazetteers")?.elements ?? [] {
                let file = entry.isMapping ? entry.member("file")?.string : entry.string
                if let file { gazetteers.append((path(file), entry.member("caseless")?.bool ?? false)) }
            }
            for entry in phase.member("rules")?.elements ?? [] {
                if let file = entry.string { ruleFiles.append((path(file), "entities", false)) }
            }
        }
        for entry in root.member("relations")?.member("files")?.elements ?? [] {
            if let file = entry.string { ruleFiles.append((path(file), "relations", true)) }
        }
        let prefetched = prefetched
        // The rule files first: once one is parsed, its patterns are compiled (the
        // most work) while the other files are still being read.
        let loader = self
        for (file, key, caseless) in ruleFiles {
            pool.add { pool in
                guard let text = Self.read(file) else { return }
                let parsed = YAMLDocument.parse(text, file: file)
                prefetched.store(document: parsed, file: file)
                guard let document = parsed.0, let fileRoot = document.root, fileRoot.isMapping else { return }
                // A copy of the loader works out the file's macros; its diagnostics are
                // dropped (the loader reports them when it reads the file in order).
                var copy = loader
                let macros = copy.fileMacros(fileRoot, document)
                let codec = loader.codec
                for rule in fileRoot.member(key)?.elements ?? [] {
                    guard let node = rule.member("pattern"), let source = node.string, node.isScalar, !node.isNull else { continue }
                    let patternKey = Prefetched.PatternKey(source: source, macros: macros, caseless: rule.member("caseless")?.bool ?? caseless)
                    guard prefetched.claim(patternKey) else { continue }
                    pool.add { _ in
                        let result = Result { () throws(RulePattern.Problem) in
                            try RulePattern(patternKey.source, macros: patternKey.macros, codec: codec, caseless: patternKey.caseless)
                        }
                        prefetched.store(pattern: result, key: patternKey)
                    }
                }
            }
        }
        let types = types
        for (file, caseless) in gazetteers {
            let source = display(file)
            pool.add { _ in
                guard let text = Self.read(file) else { return }
                let parsed = GazetteerFile.parse(text, file: file, source: source, caseless: caseless, order: 0) { types.contains($0) }
                prefetched.store(gazetteer: parsed, file: file, caseless: caseless)
            }
        }
        pool.runAll()
    }

    /// Frees what the prefetch worked out (every rule file's YAML tree) on another
    /// thread: freed here, it took half a millisecond before the first document,
    /// while the other cores were idle.
    mutating func releasePrefetched() {
        guard jobs > 1 else { return }
        // The closure holds the last reference, so the tree is freed there.
        let leftovers = Unmanaged.passRetained(prefetched)
        prefetched = Prefetched()
        DispatchQueue.global().async { leftovers.release() }
    }
}

/// What the prefetch worked out, shared by its threads (behind a lock) and read by
/// the loader once they are done.
final class Prefetched: @unchecked Sendable {
    /// A pattern is the same compiled pattern wherever the same text, macros and
    /// case flag meet.
    struct PatternKey: Hashable, Sendable {
        var source: String
        var macros: [String: String]
        var caseless: Bool
    }

    private let lock = NSLock()
    private var documents: [String: (YAMLDocument?, Diagnostic?)] = [:]
    private var gazetteers: [String: ([Gazetteer.Entry], [Diagnostic])] = [:]
    private var patterns: [PatternKey: Result<RulePattern, RulePattern.Problem>] = [:]
    private var claimed = Set<PatternKey>()

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private static func gazetteerKey(_ file: String, _ caseless: Bool) -> String { (caseless ? "i:" : "s:") + file }

    func store(document: (YAMLDocument?, Diagnostic?), file: String) { locked { documents[file] = document } }
    func document(_ file: String) -> (YAMLDocument?, Diagnostic?)? { locked { documents[file] } }

    func store(gazetteer: ([Gazetteer.Entry], [Diagnostic]), file: String, caseless: Bool) {
        locked { gazetteers[Self.gazetteerKey(file, caseless)] = gazetteer }
    }

    func gazetteer(_ file: String, caseless: Bool) -> ([Gazetteer.Entry], [Diagnostic])? {
        locked { gazetteers[Self.gazetteerKey(file, caseless)] }
    }

    /// True the first time `key` is claimed: its pattern is compiled once.
    func claim(_ key: PatternKey) -> Bool { locked { claimed.insert(key).inserted } }

    func store(pattern: Result<RulePattern, RulePattern.Problem>, key: PatternKey) { locked { patterns[key] = pattern } }
    func pattern(_ key: PatternKey) -> Result<RulePattern, RulePattern.Problem>? { locked { patterns[key] } }
}

/// Phases merged on one of the pool's threads (`RulePack.Phase.merged()`);
/// `phases()` waits for them.
private final class Merging: @unchecked Sendable {
    private var merged: [RulePack.Phase] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ phases: [RulePack.Phase], on pool: TaskPool) {
        pool.add { [self] _ in
            merged = phases.map { $0.merged() }
            done.signal()
        }
    }

    func phases() -> [RulePack.Phase] {
        done.wait()
        return merged
    }
}
