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
    /// The rules without required words (they may run on any sentence), and the
    /// others' word numbers as a mask, with the rule of each number (-1: an entity
    /// rule's).
    private let rulesWithoutWords: [Int]
    private let wordMask: RuleMask
    private let ruleOfWord: [Int]

    /// What turning a rule's match into facts needs, worked out once per rule.
    ///
    /// A rule names its slots and roles by string; a match happens thousands of
    /// times per corpus. So every name is resolved here, and the per-match path
    /// works on small arrays indexed by slot position and role number instead of
    /// dictionaries keyed by name.
    struct FactPlan: Sendable {
        /// A role as it is filled, in fill order.
        struct Role: Sendable {
            var name: String
            /// Positions (in `RulePattern.slots`) of the slots whose arguments the role
            /// takes, in order; a name that is no slot of the pattern is left out (it
            /// binds nothing).
            var slots: [Int]
            /// Whether a non-empty role is a list: as the schema declares it, else when
            /// it takes several slots or a list slot other than the rule's `each`.
            var isList: Bool
            /// The schema's minimum of distinct entities, nil when undeclared.
            var minimum: Int?
            /// Where its value goes in the fact's roles (see `args`): every role of
            /// its name there, so a name filled twice keeps the later value.
            var positions: [Int]
        }

        /// The roles in the order they are filled: `args`, then each slot that no
        /// role names, as a role of its own name.
        var roles: [Role]
        /// The fact's roles in output order, all absent: the schema's roles, then the
        /// filled roles the schema does not declare. Each fact starts from a copy and
        /// its roles write their values straight into their positions.
        var args: [Fact.Binding]
        /// The position of the rule's `each` slot, nil when it has none (or names no
        /// slot of the pattern).
        var each: Int?
        /// Per slot of the pattern (in order), the types (with subtypes) it takes.
        var slotTypes: [TypeSet]

        init(_ rule: RelationRule, schema: RelationSchema?, codec: TokenCodec) {
            let slots = rule.pattern.slots
            var position: [String: Int] = [:]
            for (index, slot) in slots.enumerated() { position[slot.name] = index }
            let listSlots = Set(slots.filter { $0.isList && $0.name != rule.each }.map(\.name))
            func declared(_ name: String) -> RelationSchema.Role? { schema?.roles.first { $0.name == name } }

            var named = rule.args.map { (name: $0.role, slots: $0.slots) }
            let inArgs = Set(rule.args.flatMap(\.slots))
            for slot in slots where !inArgs.contains(slot.name) { named.append((slot.name, [slot.name])) }

            let schemaRoles = schema?.roles.map(\.name) ?? []
            let order = schemaRoles + named.map(\.name).filter { !schemaRoles.contains($0) }
            args = order.map { Fact.Binding(role: $0, value: .absent) }
            roles = named.map { name, slotNames in
                let role = declared(name)
                return Role(
                    name: name, slots: slotNames.compactMap { position[$0] },
                    isList: role?.isList ?? (slotNames.count > 1 || slotNames.contains { listSlots.contains($0) }),
                    minimum: role?.minimum, positions: order.indices.filter { order[$0] == name })
            }
            each = rule.each.flatMap { position[$0] }
            slotTypes = slots.map { slot in
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
        let words = self.words
        rulesWithoutWords = words.indices.filter { words[$0] == nil }
        wordMask = RuleMask(words.compactMap { $0 })
        var ruleOfWord = [Int](repeating: -1, count: (words.compactMap { $0 }.max() ?? -1) + 1)
        for (rule, word) in words.enumerated() { if let word { ruleOfWord[word] = rule } }
        self.ruleOfWord = ruleOfWord
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
        guard let hits, !hits.everywhere else {
            return filters.indices.contains { filters[$0].canMatch(present, mentions: count) }
        }
        // Only the rules the sentence's words allow (one mask test per 64 rules;
        // most rules' words are not in a given sentence), and those without words.
        return rulesWithoutWords.contains { filters[$0].canMatch(present, mentions: count) }
            || hits.contains(wordMask, sentence: sentence) { word in
                filters[ruleOfWord[word]].canMatch(present, mentions: count)
            }
    }

    /// The facts of one sentence, in match order then rule order, without repeats
    /// and without facts that another fact of the sentence says more fully.
    ///
    /// With `hits`, a rule runs only if the sentence holds one of its required words.
    /// `present` is the types of the sentence's mentions, when the caller has
    /// worked them out already (`TokenCodec.types(of:)`).
    public func facts(
        in tokens: TokenString, sentence: Sentence, text: UnsafeBufferPointer<UInt8>, scratch: MatchScratch,
        hits: WordHits? = nil, present: TypeSet? = nil, only ruleID: String? = nil,
        dropped: ((String, Range<Int>, String) -> Void)? = nil, warn: (String, PCRE2Error) -> Void
    ) -> [Fact] {
        let present = present ?? pack.codec.types(of: tokens.mentions)
        let mentionCount = tokens.mentions.count
        var facts: [Fact] = []
        tokens.bytes.withUnsafeBufferPointer { subject in
            // The hot loop touches only the compiled patterns and filters; a rule
            // (a struct of many references) is read only when its pattern matched.
            for index in patterns.indices {
                guard hits?.allows(words[index], sentence: sentence.index) ?? true,
                      filters[index].canMatch(present, mentions: mentionCount)
                else { continue }
                if let ruleID, pack.relationRules[index].id != ruleID { continue }
                do throws(PCRE2Error) {
                    try scratch.forEachMatch(of: patterns[index], in: subject) { match in
                        let span = match.range
                        guard !tokens.isInsideToken(span.lowerBound), !tokens.isInsideToken(span.upperBound) else { return true }
                        let rule = pack.relationRules[index]
                        makeFacts(rule, plan: plans[index], match: match, tokens: tokens, sentence: sentence, text: text, into: &facts) { range, reason in
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

    /// Appends to `facts` the facts of one match of `rule` (one per element of its
    /// `each` slot, or one), and reports each match that gives none to `dropped`.
    private func makeFacts(
        _ rule: RelationRule, plan: FactPlan, match: MatchGroups, tokens: TokenString, sentence: Sentence,
        text: UnsafeBufferPointer<UInt8>, into facts: inout [Fact], dropped: (Range<Int>, String) -> Void
    ) {
        let bound = boundSlots(rule.pattern.slots, plan: plan, match: match, tokens: tokens)
        var attrs: [String: String] = [:]
        if !rule.attrs.isEmpty {
            let values = EntityTagger.values(of: rule.pattern, match: match, tokens: tokens, text: text)
            attrs = Template.attributes(rule.attrs) { values[$0] }
        }
        let matchRange = tokens.documentOffset(match.range.lowerBound)..<tokens.documentOffset(match.range.upperBound)
        func add(_ each: EachElement?) {
            switch Self.buildFact(rule, plan: plan, bound: bound, each: each, attrs: attrs, sentence: sentence, matchRange: matchRange) {
            case .success(let fact): facts.append(fact)
            case .failure(let reason): dropped(matchRange, reason.message)
            }
        }
        if let slot = plan.each, let elements = bound.ranges[slot] {
            for element in elements { add(EachElement(slot: slot, argument: element)) }
        } else {
            add(nil)
        }
    }

    /// The arguments one match binds, all slots in one array: a match binds a few
    /// mentions, and an array per slot would cost an allocation each.
    struct BoundSlots {
        /// The arguments of every slot that took part, slot after slot in pattern order.
        var arguments: [FactArgument] = []
        /// Per slot (by position in the pattern), where its arguments lie in
        /// `arguments`; nil for a slot that took no part in the match.
        var ranges: [Range<Int>?] = []
    }

    /// What the match binds to each slot of the pattern.
    private func boundSlots(
        _ slots: [RulePattern.Slot], plan: FactPlan, match: MatchGroups, tokens: TokenString
    ) -> BoundSlots {
        var bound = BoundSlots()
        bound.ranges.reserveCapacity(slots.count)
        // Most slots bind one mention; a list slot may grow the array.
        bound.arguments.reserveCapacity(slots.count)
        for (position, slot) in slots.enumerated() {
            guard let range = slot.groups.lazy.compactMap({ match[$0] }).first else {
                bound.ranges.append(nil)
                continue
            }
            let start = bound.arguments.count
            for mention in tokens.mentions(in: range) {
                bound.arguments.append(argument(mention, for: slot, accepted: plan.slotTypes[position]))
            }
            bound.ranges.append(start..<bound.arguments.count)
        }
        return bound
    }

    /// The one element of the `each` slot a fact is made for: in this fact that slot
    /// binds it alone.
    struct EachElement {
        var slot: Int
        /// Its index in `BoundSlots.arguments`.
        var argument: Int
    }

    /// Why a match gave no fact.
    struct Drop: Error {
        var message: String
    }

    /// The fact of a match whose slots bound `bound` (with `each`'s slot binding only
    /// its element), or why it gives none.
    private static func buildFact(
        _ rule: RelationRule, plan: FactPlan, bound: BoundSlots, each: EachElement?, attrs: [String: String],
        sentence: Sentence, matchRange: Range<Int>
    ) -> Result<Fact, Drop> {
        var ordered = plan.args
        for role in plan.roles {
            let value: ArgumentValue
            switch roleValue(role, bound: bound, each: each) {
            case .success(let found): value = found
            case .failure(let drop): return .failure(drop)
            }
            for position in role.positions { ordered[position].value = value }
        }
        if namesOneEntityTwice(ordered) {
            return .failure(Drop(message: "two roles name the same entity"))
        }
        return .success(Fact(
            relation: rule.relation, args: ordered, attrs: attrs, cameo: rule.cameo, sentence: sentence,
            matchRange: matchRange, rule: rule.reference, ruleOrder: rule.order))
    }

    /// The value of `role`: its slots' distinct entities, or why the fact has too few.
    private static func roleValue(_ role: FactPlan.Role, bound: BoundSlots, each: EachElement?) -> Result<ArgumentValue, Drop> {
        if !role.isList, (role.minimum ?? 0) <= 1 {
            // One argument is all the role keeps, and the minimum asks for no more
            // than one: its first candidate, with no list of the distinct ones.
            guard let first = firstCandidate(of: role, bound: bound, each: each) else {
                return role.minimum == 1 ? .failure(tooFew(role, count: 0, minimum: 1)) : .success(.absent)
            }
            return .success(.single(bound.arguments[first]))
        }
        let arguments = distinctArguments(of: role, bound: bound, each: each)
        if let minimum = role.minimum, arguments.count < minimum {
            return .failure(tooFew(role, count: arguments.count, minimum: minimum))
        }
        if arguments.isEmpty { return .success(.absent) }
        return .success(role.isList ? .list(arguments) : .single(arguments[0]))
    }

    /// Why a fact with `count` distinct entities in `role` is dropped.
    private static func tooFew(_ role: FactPlan.Role, count: Int, minimum: Int) -> Drop {
        Drop(message: "role '\(role.name)' has \(count) distinct entit\(count == 1 ? "y" : "ies"), fewer than its min \(minimum)")
    }

    /// The arguments (as indexes in `bound.arguments`) a slot gives a fact.
    private static func candidates(of slot: Int, bound: BoundSlots, each: EachElement?) -> Range<Int> {
        if let each, each.slot == slot { return each.argument..<each.argument + 1 }
        return bound.ranges[slot] ?? 0..<0
    }

    /// The first argument (as an index in `bound.arguments`) of `role`'s slots, nil
    /// when they bound none.
    private static func firstCandidate(of role: FactPlan.Role, bound: BoundSlots, each: EachElement?) -> Int? {
        for slot in role.slots {
            let range = candidates(of: slot, bound: bound, each: each)
            if !range.isEmpty { return range.lowerBound }
        }
        return nil
    }

    /// The arguments of `role`'s slots in order, each entity once.
    private static func distinctArguments(of role: FactPlan.Role, bound: BoundSlots, each: EachElement?) -> [FactArgument] {
        var arguments: [FactArgument] = []
        for slot in role.slots {
            for index in candidates(of: slot, bound: bound, each: each) {
                let argument = bound.arguments[index]
                if !arguments.contains(where: { sameEntity($0, argument) }) { arguments.append(argument) }
            }
        }
        return arguments
    }

    /// Whether two single roles name the same entity: such a fact says nothing.
    ///
    /// Reads the values in place by index: a fact has a handful of roles, and copying
    /// each (role, value) pair out of the array costs more than comparing them.
    private static func namesOneEntityTwice(_ args: [Fact.Binding]) -> Bool {
        for index in args.indices {
            guard case .single(let argument) = args[index].value else { continue }
            for earlier in 0..<index {
                if case .single(let other) = args[earlier].value, sameEntity(other, argument) { return true }
            }
        }
        return false
    }

    /// Whether two arguments name one entity (same type and canonical name).
    static func sameEntity(_ a: FactArgument, _ b: FactArgument) -> Bool {
        a.entity.type == b.entity.type && a.entity.canonical == b.entity.canonical
    }

    /// Canonical names of a role, sorted, for comparing facts.
    static func names(_ value: ArgumentValue) -> [String] {
        value.arguments.map(\.entity.canonical).sorted()
    }

    /// What `prune` compares of a fact: each role that has arguments, with its
    /// sorted canonical names. A role named twice counts once, with its first
    /// non-empty value. A fact has a handful of roles, so a small array searched by
    /// name costs less than a dictionary.
    typealias Signature = [(role: String, names: [String])]

    /// The signature of `fact`.
    static func signature(of fact: Fact) -> Signature {
        var signature: Signature = []
        signature.reserveCapacity(fact.args.count)
        for item in fact.args {
            let names = names(item.value)
            guard !names.isEmpty, !signature.contains(where: { $0.role == item.role }) else { continue }
            signature.append((item.role, names))
        }
        return signature
    }

    /// Whether every role of `mine` has the same names in `theirs`.
    static func covers(_ theirs: Signature, _ mine: Signature) -> Bool {
        mine.allSatisfy { role in theirs.contains { $0.role == role.role && $0.names == role.names } }
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
        let signatures = sorted.map(signature(of:))
        var kept: [Fact] = []
        for (index, fact) in sorted.enumerated() {
            let mine = signatures[index]
            let redundant = sorted.indices.contains { other in
                guard other != index, sorted[other].relation == fact.relation else { return false }
                let theirs = signatures[other]
                return covers(theirs, mine) && (theirs.count > mine.count || other < index && theirs.count == mine.count)
            }
            if !redundant { kept.append(fact) }
        }
        return kept
    }
}
