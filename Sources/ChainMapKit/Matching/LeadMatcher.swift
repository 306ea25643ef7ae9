/// Which text of a lead a keyword was found in.
public enum LeadTextField: String, Hashable, Sendable {
    /// 经营范围 / 主营产品 / 主营业务.
    case scope
    /// 企业名称.
    case name

    /// The Chinese word for the field, for reasons.
    public var label: String {
        switch self {
        case .scope: "经营范围"
        case .name: "企业名称"
        }
    }
}

/// One piece of evidence that a lead works in a link.
public enum MatchEvidence: Hashable, Sendable {
    /// The lead names the link in its `links`.
    case explicit
    /// The lead's GB/T 4754-2017 code falls under one of the link's codes.
    case code(lead: IndustryCode, link: IndustryCode)
    /// A keyword (or a word of the link's name) occurs in the lead's text; `written` is
    /// the spelling found when it is a Traditional variant of `keyword`.
    case keyword(String, written: String?, in: LeadTextField)
}

/// How well a lead matches one link: a strength in 0...1 and its evidence, strongest first.
public struct LinkMatch: Hashable, Sendable {
    /// The link matched.
    public var link: LinkRef
    /// 1 for an explicit link; about 0.6–0.9 for a code; 0.25–0.8 for keywords, more for
    /// longer and rarer ones; evidence of different kinds combines (see docs/matching.md).
    public var strength: Double
    /// What the match rests on, strongest first.
    public var evidence: [MatchEvidence]

    public init(link: LinkRef, strength: Double, evidence: [MatchEvidence]) {
        self.link = link
        self.strength = strength
        self.evidence = evidence
    }
}

/// Matches leads to the links of one chain: explicit links, GB/T 4754-2017 codes, and
/// keywords and link names in the business scope or the enterprise name.
///
/// Build it once per chain: it expands every keyword into its Traditional spellings
/// with OpenCC and compiles all spellings into one ``KeywordAutomaton``.
public final class LeadMatcher: Sendable {
    /// A word that identifies one or more links.
    public struct Term: Hashable, Sendable {
        /// The word as the chain file writes it.
        public var text: String
        /// The links that list it (as a keyword or a word of their name).
        public var links: [LinkRef]
        /// The strength one occurrence lends to each of those links.
        public var strength: Double
    }

    /// Strength of a code match by the number of digits of the link's code, divided by
    /// the square root of the number of links that list the same code (a code that
    /// several links share tells them apart no better than a shared keyword).
    public static let codeStrength: [Int: Double] = [4: 0.9, 3: 0.75, 2: 0.6]
    /// Strength of keyword evidence: `keywordBase + keywordSpan × specificity` per word,
    /// combined over distinct words and capped at `keywordCap`.
    public static let keywordBase = 0.25
    /// See ``keywordBase``.
    public static let keywordSpan = 0.35
    /// See ``keywordBase``.
    public static let keywordCap = 0.8

    /// The chain whose links leads are matched to. The matcher reads its links only, so
    /// it serves the same chain with more enterprises too (its roster placed).
    public let chain: Chain
    /// The words, each once.
    public let terms: [Term]
    /// The automaton over every spelling of every word.
    public let automaton: KeywordAutomaton
    /// For each pattern of the automaton: its term and its spelling (nil when it is the
    /// word as written).
    let patternTerm: [Int32]
    let patternSpelling: [String?]
    /// Link codes by code key (see ``codeKey(digits:count:)``): the link, its code as
    /// evidence shows it (the table's form), and the strength a match to it lends.
    let linksByCode: [Int: [(link: LinkRef, evidence: IndustryCode, strength: Double)]]
    /// Whether any link code covers a code, by ``IndustryCode/slot(digits:count:)``.
    let codeCovered: [Bool]
    /// Link ids and names → link, for the words of a links column.
    let linkByWord: [String: LinkRef]

    /// Compiles the matcher for a chain.
    public init(chain: Chain) {
        self.chain = chain

        // Words per link: keywords, then the words of the link's name.
        var termIndex: [String: Int] = [:]
        var texts: [String] = []
        var linksOf: [[LinkRef]] = []
        for link in chain.links {
            var words = link.keywords
            words += Self.nameWords(link.name)
            var seen = Set<String>()
            for word in words {
                let trimmed = LeadColumns.trimmed(word)
                let key = Self.foldKey(trimmed)
                guard !trimmed.isEmpty, seen.insert(key).inserted else { continue }
                if let index = termIndex[key] {
                    linksOf[index].append(link.ref)
                } else {
                    termIndex[key] = texts.count
                    texts.append(trimmed)
                    linksOf.append([link.ref])
                }
            }
        }
        terms = zip(texts, linksOf).map { text, links in
            Term(text: text, links: links, strength: Self.strength(of: text, sharedBy: links.count))
        }

        var patterns: [String] = []
        var patternTerm: [Int32] = []
        var patternSpelling: [String?] = []
        for (index, spellings) in ChineseVariants.expand(texts).enumerated() {
            for (k, spelling) in spellings.enumerated() {
                patterns.append(spelling)
                patternTerm.append(Int32(index))
                patternSpelling.append(k == 0 ? nil : spelling)
            }
        }
        automaton = KeywordAutomaton(patterns: patterns)
        self.patternTerm = patternTerm
        self.patternSpelling = patternSpelling

        var byCode: [Int: [(LinkRef, IndustryCode)]] = [:]
        for link in chain.links {
            for code in link.codes {
                guard let value = Int(code.digits) else { continue }
                let key = Self.codeKey(digits: value, count: code.digits.count)
                if byCode[key]?.contains(where: { $0.0 == link.ref }) != true {
                    byCode[key, default: []].append((link.ref, code))
                }
            }
        }
        linksByCode = byCode.mapValues { entries in
            let share = 1 / Double(entries.count).squareRoot()
            return entries.map { link, code in
                (link: link, evidence: IndustryCodeTable.standard.canonical(code) ?? code,
                 strength: (Self.codeStrength[code.digits.count] ?? 0.6) * share)
            }
        }
        codeCovered = Self.coveredCodes(chain.links.flatMap(\.codes))
        var byWord: [String: LinkRef] = [:]
        for link in chain.links where byWord[link.id] == nil { byWord[link.id] = link.ref }
        for link in chain.links where byWord[link.name] == nil { byWord[link.name] = link.ref }
        linkByWord = byWord
    }

    /// The words of a link's name: the whole name, and its parts between brackets,
    /// slashes and enumeration commas when it has any (锂盐（碳酸锂/氢氧化锂） → 锂盐,
    /// 碳酸锂, 氢氧化锂). Parts shorter than two characters are left out.
    static func nameWords(_ name: String) -> [String] {
        let parts = name.split(whereSeparator: isNameSeparator)
            .map { String($0) }
            .filter { units($0) >= 2 }
        return parts.count > 1 ? [name] + parts : [name]
    }

    /// The characters a link's name is split at: （）()/、,，;；·[]【】 and the space, and
    /// what Swift's `Character` equality takes for them (canonically equivalent: U+037E
    /// for ;, U+0387 for ·). Each is one scalar, and so is any character equal to one,
    /// so a scalar lookup gives what comparing with each `Character` gave, without
    /// comparing grapheme clusters: that was 3 % of a one-row `leads` run's start for a
    /// 100-link chain.
    static func isNameSeparator(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex else { return false }
        switch first.value {
        case 0x20, 0x28, 0x29, 0x2C, 0x2F, 0x3B, 0x5B, 0x5D, 0xB7, 0x37E, 0x387, 0x3001, 0x3010, 0x3011, 0xFF08, 0xFF09, 0xFF0C, 0xFF1B:
            return true
        default:
            return false
        }
    }

    /// Specificity units of a word: one per Han character, half per other letter or digit.
    static func units(_ word: String) -> Double {
        word.unicodeScalars.reduce(0) { total, scalar in
            if scalar.value >= 0x2E80 { return total + 1 }
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return total + 0.5 }
            return total
        }
    }

    /// The strength one occurrence of a word lends: longer words (up to four characters)
    /// and words that fewer links share count for more.
    static func strength(of word: String, sharedBy links: Int) -> Double {
        let length = min(1, units(word) / 4)
        let specificity = length / Double(links).squareRoot()
        return keywordBase + keywordSpan * specificity
    }

    /// The key words are compared by: ASCII letters folded.
    static func foldKey(_ word: String) -> String {
        String(decoding: word.utf8.map(KeywordAutomaton.fold), as: UTF8.self)
    }

    static func codeKey(digits value: Int, count: Int) -> Int { count * 100_000 + value }

    // MARK: Matching

    /// A keyword occurrence found by the automaton.
    struct Hit {
        var pattern: Int32
        var end: Int32
        var field: LeadTextField

        /// Where the hit comes in a row, for choosing among hits of one term: the scope
        /// before the name, then by its end.
        var place: (Int, Int32) { (field == .scope ? 0 : 1, end) }
    }

    /// Matches a lead to the links of the chain, best first. Links with no evidence are
    /// not listed.
    public func match(_ lead: Lead) -> [LinkMatch] {
        match(lead, evidence: true)
    }

    /// ``match(_:)``, with each match's evidence left empty without `evidence`.
    func match(_ lead: Lead, evidence: Bool) -> [LinkMatch] {
        var hits: [Hit] = []
        if let scope = lead.scope {
            automaton.forEachMatch(in: scope) { hits.append(Hit(pattern: Int32($0), end: Int32($1), field: .scope)) }
        }
        automaton.forEachMatch(in: lead.name) { hits.append(Hit(pattern: Int32($0), end: Int32($1), field: .name)) }
        return matches(explicit: lead.links, code: lead.code, hits: hits, evidence: evidence)
    }

    /// The links that the words of a lead's links column name (a link id, else a link
    /// name), each once, in the order written; and the words that name no link.
    public func links(named words: [String]) -> (links: [LinkRef], unknown: [String]) {
        var links: [LinkRef] = []
        var unknown: [String] = []
        for word in words {
            if let ref = linkByWord[word] {
                if !links.contains(ref) { links.append(ref) }
            } else {
                unknown.append(word)
            }
        }
        return (links, unknown)
    }

    /// For every 2-, 3- and 4-digit code, whether some link code covers it.
    static func coveredCodes(_ linkCodes: [IndustryCode]) -> [Bool] {
        var covered = [Bool](repeating: false, count: IndustryCode.slotCount)
        for code in linkCodes {
            guard let value = Int(code.digits) else { continue }
            let n = code.digits.count
            // The code and every longer code under it.
            var low = value, high = value, width = n
            while width <= 4 {
                for v in low...high { covered[IndustryCode.slot(digits: v, count: width)] = true }
                low *= 10
                high = high * 10 + 9
                width += 1
            }
        }
        return covered
    }

    /// Combines the evidence for each link into its strength; best first. Without
    /// `evidence`, each match's evidence is left empty (its strength and order are the
    /// same): what a screening needs to judge a row it will most likely pass over.
    func matches(explicit: [LinkRef], code: IndustryCode?, hits: [Hit], evidence: Bool = true) -> [LinkMatch] {
        var scratch = MatchScratch()
        return matches(explicit: explicit, code: code, hits: hits, evidence: evidence, scratch: &scratch)
    }

    /// The lists ``matches(explicit:code:hits:evidence:scratch:)`` works in, kept by a
    /// caller that matches row after row so that they are allocated once, not twice per
    /// row and chain (with their frees, a third of matching a ten-chain report's rows).
    /// Empty between calls.
    struct MatchScratch {
        fileprivate var entries: [MatchEntry] = []
        fileprivate var words: [MatchWord] = []
    }

    /// A link with evidence in a row (``matches(explicit:code:hits:evidence:scratch:)``).
    fileprivate struct MatchEntry {
        let link: LinkRef
        var explicit = false
        var code = 0.0
        var codeEvidence: MatchEvidence?
    }

    /// A term found for a link, where it comes first in the row.
    fileprivate struct MatchWord {
        let entry: Int
        let term: Int
        var hit: Hit
    }

    /// ``matches(explicit:code:hits:evidence:)`` working in `scratch`'s lists.
    func matches(explicit: [LinkRef], code: IndustryCode?, hits: [Hit], evidence: Bool = true, scratch: inout MatchScratch) -> [LinkMatch] {
        var result: [LinkMatch] = []
        matches(explicit: explicit, code: code, hits: hits, evidence: evidence, scratch: &scratch, into: &result)
        return result
    }

    /// ``matches(explicit:code:hits:evidence:scratch:)`` made in `result`, which is
    /// emptied first: a list whose room no other array shares is filled again, not
    /// allocated anew (the matches of row after row, for each chain, were a third of a
    /// ten-chain report's allocations).
    func matches(
        explicit: [LinkRef], code: IndustryCode?, hits: [Hit], evidence: Bool = true, scratch: inout MatchScratch,
        into result: inout [LinkMatch]
    ) {
        // A row has evidence for a few links, each from a few terms: two flat lists searched
        // in order, not dictionaries (hashing each link and term made this most of the work
        // on a matching row), nor a list per link (each an allocation). The result does not
        // depend on their order: links and words are sorted below, by total orders.
        typealias Entry = MatchEntry
        typealias Word = MatchWord
        // Plain loops over the two lists, no closure capturing them: a captured list was
        // boxed on the heap and checked for exclusive access on every use. The lists are
        // the scratch's, moved out and back (emptied, their room kept).
        var entries: [Entry] = []
        var words: [Word] = []
        swap(&entries, &scratch.entries)
        swap(&words, &scratch.words)
        defer {
            entries.removeAll(keepingCapacity: true)
            words.removeAll(keepingCapacity: true)
            swap(&entries, &scratch.entries)
            swap(&words, &scratch.words)
        }
        @inline(__always) func entry(_ ref: LinkRef, _ entries: inout [Entry]) -> Int {
            if let i = entries.firstIndex(where: { $0.link == ref }) { return i }
            entries.append(Entry(link: ref))
            return entries.count - 1
        }
        for ref in explicit {
            entries[entry(ref, &entries)].explicit = true
        }
        if let code, var value = IndustryCode.value(ofDigits: code.digits.utf8) {
            // The code itself, then its group and division.
            var count = code.digits.utf8.count
            // No link code is the code or a prefix of it (``codeCovered``): none of the
            // lookups would find a link (a row matched for its keywords, mostly).
            if (2...4).contains(count) && !codeCovered[IndustryCode.slot(digits: value, count: count)] { count = 0 }
            while count >= 2 {
                if let links = linksByCode[Self.codeKey(digits: value, count: count)] {
                    for (ref, evidence, strength) in links {
                        let e = entry(ref, &entries)
                        if strength > entries[e].code {
                            entries[e].code = strength
                            entries[e].codeEvidence = .code(lead: code, link: evidence)
                        }
                    }
                }
                value /= 10
                count -= 1
            }
        }
        let specific = hits.count > 16 ? Self.mostSpecific(hits, patterns: automaton.patterns) : hits
        for hit in specific where hits.count > 16 || !Self.liesInside(hit, hits, patterns: automaton.patterns) {
            let termIndex = Int(patternTerm[Int(hit.pattern)])
            for ref in terms[termIndex].links {
                let e = entry(ref, &entries)
                // A term found several times is shown as written where it comes first: in
                // the scope before the name, at its first place there (so that the order in
                // which the scan reports occurrences does not matter).
                var w = 0
                while w < words.count && !(words[w].entry == e && words[w].term == termIndex) { w += 1 }
                if w < words.count {
                    if words[w].hit.place <= hit.place { continue }
                    words[w].hit = hit
                } else {
                    words.append(Word(entry: e, term: termIndex, hit: hit))
                }
            }
        }
        // Each link's words together, strongest first, then by term.
        if words.count > 1 {
            words.sort { a, b in
                if a.entry != b.entry { return a.entry < b.entry }
                let (x, y) = (terms[a.term].strength, terms[b.term].strength)
                return x > y || (x == y && a.term < b.term)
            }
        }
        result.removeAll(keepingCapacity: true)
        result.reserveCapacity(entries.count)
        var w = 0
        for (e, entry) in entries.enumerated() {
            let first = w
            while w < words.count && words[w].entry == e { w += 1 }
            var unmatched = 1.0
            for i in first..<w { unmatched *= 1 - terms[words[i].term].strength }
            let keyword = min(Self.keywordCap, 1 - unmatched)
            let explicit = entry.explicit ? 1.0 : 0
            let strength = 1 - (1 - explicit) * (1 - entry.code) * (1 - keyword)
            var items: [MatchEvidence] = []
            if evidence {
                items.reserveCapacity((entry.explicit ? 1 : 0) + (entry.codeEvidence == nil ? 0 : 1) + w - first)
                if entry.explicit { items.append(.explicit) }
                if let evidence = entry.codeEvidence { items.append(evidence) }
                for i in first..<w {
                    let hit = words[i].hit
                    items.append(.keyword(terms[words[i].term].text, written: patternSpelling[Int(hit.pattern)], in: hit.field))
                }
            }
            result.append(LinkMatch(link: entry.link, strength: strength, evidence: items))
        }
        if result.count > 1 {
            result.sort { $0.strength > $1.strength || ($0.strength == $1.strength && $0.link < $1.link) }
        }
    }

    /// Whether a hit lies inside a longer one in the same field, among a row's few hits
    /// (``mostSpecific(_:patterns:)`` keeps those that do not).
    @inline(__always)
    static func liesInside(_ hit: Hit, _ hits: [Hit], patterns: [[UInt8]]) -> Bool {
        guard hits.count > 1 else { return false }
        let end = Int(hit.end)
        let begin = end - patterns[Int(hit.pattern)].count
        for other in hits where other.field == hit.field {
            let otherEnd = Int(other.end)
            let otherBegin = otherEnd - patterns[Int(other.pattern)].count
            if otherEnd - otherBegin > end - begin && otherBegin <= begin && end <= otherEnd { return true }
        }
        return false
    }

    /// Drops occurrences that lie inside a longer occurrence in the same field (电池
    /// inside 锂电池): the longer word is the evidence. One sweep by start (then longer
    /// first), so that a scope with tens of thousands of hits stays linear-logarithmic.
    static func mostSpecific(_ hits: [Hit], patterns: [[UInt8]]) -> [Hit] {
        guard hits.count > 1 else { return hits }
        func start(_ hit: Hit) -> Int { Int(hit.end) - patterns[Int(hit.pattern)].count }
        if hits.count <= 16 {
            // The usual row: a few hits, compared pairwise without sorting or allocating.
            return hits.filter { !liesInside($0, hits, patterns: patterns) }
        }
        // The occurrences the scan reports at one place come longest first: one right after
        // a longer one that ends at the same place in the same field lies inside it, and is
        // dropped before the sort. Keywords nested by the hundreds (电, 电电, …) in a long
        // cell gave hundreds of occurrences at every place, all sorted (200 rows: 13 s).
        var hits = hits
        if hits.count > 1024 {
            var kept = 1
            for i in 1..<hits.count {
                let (previous, hit) = (hits[kept - 1], hits[i])
                if previous.end == hit.end && previous.field == hit.field
                    && patterns[Int(previous.pattern)].count > patterns[Int(hit.pattern)].count { continue }
                hits[kept] = hit
                kept += 1
            }
            hits.removeSubrange(kept...)
        }
        let order = hits.indices.sorted { a, b in
            let (x, y) = (hits[a], hits[b])
            if x.field != y.field { return x.field.rawValue < y.field.rawValue }
            if start(x) != start(y) { return start(x) < start(y) }
            return x.end > y.end
        }
        var keep = [Bool](repeating: true, count: hits.count)
        var field = hits[order[0]].field
        var maxEnd = Int.min, maxEndStart = Int.min
        for index in order {
            let hit = hits[index]
            if hit.field != field {
                field = hit.field
                maxEnd = Int.min
                maxEndStart = Int.min
            }
            let (begin, end) = (start(hit), Int(hit.end))
            // An earlier-starting hit that ends later (or as late, starting earlier) is longer and holds it.
            if maxEnd > end || (maxEnd == end && maxEndStart < begin) {
                keep[index] = false
            }
            if end > maxEnd {
                maxEnd = end
                maxEndStart = begin
            }
        }
        return hits.indices.filter { keep[$0] }.map { hits[$0] }
    }
}
