/// Runs the relation rules over each sentence's token string and turns matches into
/// facts.
public struct RelationExtractor: Sendable {
    public let pack: RulePack
    /// Per rule, the sentences it can match.
    public let filters: [RuleFilter]
    /// Per rule, its compiled pattern.
    private let patterns: [Pattern]
    /// Per rule, its number in the pack's `WordScanner` (nil: no required words).
    public let words: [Int?]

    public init(pack: RulePack, words: RuleWords? = nil) {
        self.pack = pack
        filters = pack.relationRules.map { RuleFilter($0.pattern, codec: pack.codec) }
        patterns = pack.relationRules.map(\.pattern.pattern)
        self.words = (words ?? RuleWords(pack: pack)).relation
    }

    /// The type names mentions can be taken as (their own and stood-for), for reports.
    public static func typeNames(of mentions: some Sequence<Mention>) -> Set<String> {
        var present = Set<String>()
        for mention in mentions {
            present.insert(mention.entity.type)
            if let standsFor = mention.standsFor { present.insert(standsFor.type) }
        }
        return present
    }

    /// Whether any rule can run on a sentence whose mentions have `present` types
    /// and number `count` (and, with `hits`, hold a rule's words): when none can, the
    /// sentence needs no token string.
    public func anyRule(canRunOn present: TypeSet, mentions count: Int, hits: WordHits?, sentence: Int) -> Bool {
        filters.indices.contains { index in
            filters[index].canMatch(present, mentions: count) && (hits?.allows(words[index], sentence: sentence) ?? true)
        }
    }

    /// The facts of one sentence, in match order then rule order, without repeats
    /// and without facts that another fact of the sentence says more fully.
    ///
    /// With `hits`, a rule runs only if the sentence holds one of its required words.
    public func facts(
        in tokens: TokenString, sentence: Sentence, text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
        hits: WordHits? = nil, only ruleID: String? = nil, dropped: ((String, Range<Int>, String) -> Void)? = nil,
        warn: (String, PCRE2Error) -> Void
    ) -> [Fact] {
        let present = pack.codec.types(of: tokens.mentions)
        let mentionCount = tokens.mentions.count
        var facts: [Fact] = []
        tokens.bytes.withUnsafeBufferPointer { subject in
            // The hot loop touches only the compiled patterns and filters; a rule
            // (a struct of many references) is read only when its pattern matched.
            for index in patterns.indices {
                guard filters[index].canMatch(present, mentions: mentionCount),
                      hits?.allows(words[index], sentence: sentence.index) ?? true
                else { continue }
                if let ruleID, pack.relationRules[index].id != ruleID { continue }
                do throws(PCRE2Error) {
                    try scratch.forEachMatch(of: patterns[index], in: subject) { match in
                        let span = match.range
                        guard !tokens.isInsideToken(span.lowerBound), !tokens.isInsideToken(span.upperBound) else { return true }
                        let rule = pack.relationRules[index]
                        facts += makeFacts(rule, match: match, tokens: tokens, sentence: sentence, text: text) { range, reason in
                            dropped?(rule.id, range, reason)
                        }
                        return true
                    }
                } catch {
                    warn(pack.relationRules[index].id, error)
                }
            }
        }
        return Self.prune(facts)
    }

    /// The argument a mention gives to a slot: itself, or the entity it stands for
    /// when only that has a type the slot accepts.
    private func argument(_ mention: Mention, for slot: RulePattern.Slot) -> FactArgument {
        let types = pack.types
        if slot.types.contains(where: { types.isA(mention.entity.type, $0) }) {
            return FactArgument(mention: mention, entity: mention.entity)
        }
        if let standsFor = mention.standsFor, slot.types.contains(where: { types.isA(standsFor.type, $0) }) {
            var entity = standsFor
            entity.attrs["via_type"] = mention.entity.type
            entity.attrs["via_canonical"] = mention.entity.canonical
            return FactArgument(mention: mention, entity: entity)
        }
        return FactArgument(mention: mention, entity: mention.entity)
    }

    private func makeFacts(
        _ rule: RelationRule, match: MatchGroups, tokens: TokenString, sentence: Sentence, text: UnsafeBufferPointer<UInt8>,
        dropped: (Range<Int>, String) -> Void
    ) -> [Fact] {
        var bound: [String: (slot: RulePattern.Slot, arguments: [FactArgument])] = [:]
        for slot in rule.pattern.slots {
            guard let range = slot.groups.lazy.compactMap({ match[$0] }).first else { continue }
            bound[slot.name] = (slot, tokens.mentions(in: range).map { argument($0, for: slot) })
        }
        var attrs: [String: String] = [:]
        if !rule.attrs.isEmpty {
            let values = EntityTagger.values(of: rule.pattern, match: match, tokens: tokens, text: text)
            attrs = Dictionary(rule.attrs.map { ($0.key, $0.value.fill { values[$0] }) }, uniquingKeysWith: { a, _ in a })
        }
        let matchRange = tokens.documentOffset(match.range.lowerBound)..<tokens.documentOffset(match.range.upperBound)
        var variants: [[String: [FactArgument]]] = [bound.mapValues(\.arguments)]
        if let each = rule.each, let list = bound[each]?.arguments {
            variants = list.map { element in
                var variant = bound.mapValues(\.arguments)
                variant[each] = [element]
                return variant
            }
        }
        return variants.compactMap { variant in
            switch buildFact(rule, slots: variant, listSlots: Set(bound.filter { $0.value.slot.isList && $0.key != rule.each }.keys),
                             attrs: attrs, sentence: sentence, matchRange: matchRange)
            {
            case .success(let fact): return fact
            case .failure(let reason):
                dropped(matchRange, reason.message)
                return nil
            }
        }
    }

    /// Why a match gave no fact.
    struct Drop: Error {
        var message: String
    }

    private func buildFact(
        _ rule: RelationRule, slots: [String: [FactArgument]], listSlots: Set<String>, attrs: [String: String],
        sentence: Sentence, matchRange: Range<Int>
    ) -> Result<Fact, Drop> {
        let schema = pack.schemas[rule.relation]
        var roles: [(role: String, slots: [String])] = rule.args
        let named = Set(rule.args.flatMap(\.slots))
        for slot in rule.pattern.slots where !named.contains(slot.name) {
            roles.append((slot.name, [slot.name]))
        }
        var values: [String: ArgumentValue] = [:]
        for (role, roleSlots) in roles {
            var arguments: [FactArgument] = []
            for slot in roleSlots {
                for argument in slots[slot] ?? [] where !arguments.contains(where: { Self.sameEntity($0, argument) }) {
                    arguments.append(argument)
                }
            }
            let declared = schema?.roles.first { $0.name == role }
            let isList = declared?.isList ?? (roleSlots.count > 1 || roleSlots.contains { listSlots.contains($0) })
            if let minimum = declared?.minimum, arguments.count < minimum {
                return .failure(Drop(message: "role '\(role)' has \(arguments.count) distinct entit\(arguments.count == 1 ? "y" : "ies"), fewer than its min \(minimum)"))
            }
            if arguments.isEmpty {
                values[role] = .absent
            } else if isList {
                values[role] = .list(arguments)
            } else {
                values[role] = .single(arguments[0])
            }
        }
        var ordered: [(role: String, value: ArgumentValue)] = []
        for role in schema?.roles ?? [] { ordered.append((role.name, values[role.name] ?? .absent)) }
        for (role, _) in roles where schema?.roles.contains(where: { $0.name == role }) != true {
            ordered.append((role, values[role] ?? .absent))
        }
        // A fact whose single roles name the same entity twice says nothing.
        let singles = ordered.compactMap { item -> FactArgument? in
            if case .single(let argument) = item.value { return argument }
            return nil
        }
        for (index, argument) in singles.enumerated() where singles[..<index].contains(where: { Self.sameEntity($0, argument) }) {
            return .failure(Drop(message: "two roles name the same entity"))
        }
        return .success(Fact(
            relation: rule.relation, args: ordered, attrs: attrs, cameo: rule.cameo, sentence: sentence,
            matchRange: matchRange, rule: rule.reference, ruleOrder: rule.order))
    }

    /// Whether two arguments name one entity (same type and canonical name).
    static func sameEntity(_ a: FactArgument, _ b: FactArgument) -> Bool {
        a.entity.type == b.entity.type && a.entity.canonical == b.entity.canonical
    }

    /// Canonical names of a role, sorted, for comparing facts.
    static func names(_ value: ArgumentValue) -> [String] {
        value.arguments.map(\.entity.canonical).sorted()
    }

    /// Facts in order (match start, then rule order), each said once: a repeat of an
    /// earlier fact goes, and so does a fact whose roles another fact of the same
    /// relation repeats and adds to.
    static func prune(_ facts: [Fact]) -> [Fact] {
        guard facts.count > 1 else { return facts }
        let sorted = facts.enumerated().sorted { a, b in
            if a.element.matchRange.lowerBound != b.element.matchRange.lowerBound {
                return a.element.matchRange.lowerBound < b.element.matchRange.lowerBound
            }
            if a.element.ruleOrder != b.element.ruleOrder { return a.element.ruleOrder < b.element.ruleOrder }
            return a.offset < b.offset
        }.map(\.element)
        let signatures = sorted.map { fact in
            Dictionary(fact.args.compactMap { item -> (String, [String])? in
                let names = names(item.value)
                return names.isEmpty ? nil : (item.role, names)
            }, uniquingKeysWith: { a, _ in a })
        }
        var kept: [Fact] = []
        for (index, fact) in sorted.enumerated() {
            let mine = signatures[index]
            let redundant = sorted.indices.contains { other in
                guard other != index, sorted[other].relation == fact.relation else { return false }
                let theirs = signatures[other]
                let covers = mine.allSatisfy { theirs[$0.key] == $0.value }
                return covers && (theirs.count > mine.count || other < index && theirs.count == mine.count)
            }
            if !redundant { kept.append(fact) }
        }
        return kept
    }
}
