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
    /// Per rule, what turning a match into a fact needs, worked out once.
    private let plans: [FactPlan]

    /// A rule's roles with their slots and schema, and the types each slot takes.
    struct FactPlan: Sendable {
        var schema: RelationSchema?
        /// The roles in the order they are filled: `args`, then each slot that no
        /// role names, as a role of its own name.
        var roles: [(name: String, slots: [String], declared: RelationSchema.Role?)]
        /// Per slot of the pattern (in order), the types (with subtypes) it takes.
        var slotTypes: [TypeSet]

        init(_ rule: RelationRule, schema: RelationSchema?, codec: TokenCodec) {
            self.schema = schema
            func declared(_ name: String) -> RelationSchema.Role? { schema?.roles.first { $0.name == name } }
            var roles = rule.args.map { (name: $0.role, slots: $0.slots, declared: declared($0.role)) }
            let named = Set(rule.args.flatMap(\.slots))
            for slot in rule.pattern.slots where !named.contains(slot.name) {
                roles.append((slot.name, [slot.name], declared(slot.name)))
            }
            self.roles = roles
            slotTypes = rule.pattern.slots.map { slot in
                var set = TypeSet()
                for name in slot.types {
                    for type in codec.types.descendants(of: name) {
                        if let index = codec.index(of: type) { set.insert(index) }
                    }
                }
                return set
            }
        }
    }

    public init(pack: RulePack, words: RuleWords? = nil) {
        self.pack = pack
        filters = pack.relationRules.map { RuleFilter($0.pattern, codec: pack.codec) }
        patterns = pack.relationRules.map(\.pattern.pattern)
        self.words = (words ?? RuleWords(pack: pack)).relation
        plans = pack.relationRules.map { FactPlan($0, schema: pack.schemas[$0.relation], codec: pack.codec) }
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
                        facts += makeFacts(rule, plan: plans[index], match: match, tokens: tokens, sentence: sentence, text: text) { range, reason in
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

    /// The argument a mention gives to a slot that takes `accepted` types: itself, or
    /// the entity it stands for when only that has a type the slot accepts.
    private func argument(_ mention: Mention, for slot: RulePattern.Slot, accepted: TypeSet) -> FactArgument {
        func takes(_ type: String) -> Bool {
            if let index = pack.codec.index(of: type) { return accepted.contains(index) }
            return slot.types.contains { pack.types.isA(type, $0) }
        }
        if takes(mention.type) {
            return FactArgument(mention: mention, entity: mention.entity)
        }
        if let standsForType = mention.standsForType, takes(standsForType), let standsFor = mention.standsFor {
            var entity = standsFor
            entity.attrs["via_type"] = mention.entity.type
            entity.attrs["via_canonical"] = mention.entity.canonical
            return FactArgument(mention: mention, entity: entity)
        }
        return FactArgument(mention: mention, entity: mention.entity)
    }

    private func makeFacts(
        _ rule: RelationRule, plan: FactPlan, match: MatchGroups, tokens: TokenString, sentence: Sentence,
        text: UnsafeBufferPointer<UInt8>, dropped: (Range<Int>, String) -> Void
    ) -> [Fact] {
        var bound: [String: (slot: RulePattern.Slot, arguments: [FactArgument])] = [:]
        for (position, slot) in rule.pattern.slots.enumerated() {
            guard let range = slot.groups.lazy.compactMap({ match[$0] }).first else { continue }
            bound[slot.name] = (slot, tokens.mentions(in: range).map { argument($0, for: slot, accepted: plan.slotTypes[position]) })
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
            switch buildFact(rule, plan: plan, slots: variant, listSlots: Set(bound.filter { $0.value.slot.isList && $0.key != rule.each }.keys),
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
        _ rule: RelationRule, plan: FactPlan, slots: [String: [FactArgument]], listSlots: Set<String>, attrs: [String: String],
        sentence: Sentence, matchRange: Range<Int>
    ) -> Result<Fact, Drop> {
        let schema = plan.schema
        let roles = plan.roles
        var values: [String: ArgumentValue] = [:]
        for (role, roleSlots, declared) in roles {
            var arguments: [FactArgument] = []
            for slot in roleSlots {
                for argument in slots[slot] ?? [] where !arguments.contains(where: { Self.sameEntity($0, argument) }) {
                    arguments.append(argument)
                }
            }
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
        for (role, _, _) in roles where schema?.roles.contains(where: { $0.name == role }) != true {
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
