@testable import ChainMapKit
import Testing

@Suite("Matching leads to links")
struct MatchLinkTests {
    static func matcher() throws -> LeadMatcher { LeadMatcher(chain: try LeadFixtures.chain()) }

    static func ids(_ matches: [LinkMatch], _ chain: Chain) -> [String] {
        matches.map { chain[$0.link].id }
    }

    @Test("a link's name splits where comparing each character with the separators splits it")
    func nameSeparators() {
        // The definition the scalar lookup stands for: Swift's Character equality.
        let separators = "（）()/、,，;；·[]【】 "
        // Every character of the first three planes (no separator has an equivalent above them).
        var characters: [Character] = (0...0x2FFFF).compactMap { Unicode.Scalar($0).map(Character.init) }
        characters += ["/\u{301}", "·\u{300}", "\u{387}\u{301}", "\u{37E}\u{301}", "\r\n", "（\u{20DD}"].map(Character.init)
        let differing = characters.filter { LeadMatcher.isNameSeparator($0) != separators.contains($0) }
        #expect(differing.isEmpty, "\(differing.prefix(10).map { $0.unicodeScalars.map { String($0.value, radix: 16) } })")
        #expect(characters.filter(LeadMatcher.isNameSeparator).count == 18)
        #expect(LeadMatcher.nameWords("锂盐（碳酸锂/氢氧化锂）") == ["锂盐（碳酸锂/氢氧化锂）", "锂盐", "碳酸锂", "氢氧化锂"])
        #expect(LeadMatcher.nameWords("电池\u{387}电芯") == ["电池\u{387}电芯", "电池", "电芯"])
        #expect(LeadMatcher.nameWords("电池/\u{301}电芯") == ["电池/\u{301}电芯"])
    }

    @Test("a row with no evidence but its code gets, looked up, the matches the matcher makes of it")
    func codeMatchesLookedUp() throws {
        let run = ChainPipeline().run([packageRoot().appendingPathComponent("chains").path], screening: false)
        let matchers = run.chains.map { LeadMatcher(chain: $0.analysis.chain) }
        #expect(matchers.count == 10)
        let keywords = ChainKeywords(matchers)
        var found = 0
        for slot in 0..<IndustryCode.slotCount {
            let code = IndustryCode(slot: slot)
            let value = try #require(IndustryCode.value(ofDigits: code.digits.utf8))
            #expect(IndustryCode.slot(digits: value, count: code.digits.count) == slot, "\(code)")
            for (c, matcher) in matchers.enumerated() {
                // Every code a chain covers, and every 37th of the rest, matched by the
                // matcher too (all of them took a minute and a half in a debug build).
                guard matcher.codeCovered[slot] || slot % 37 == 0 else {
                    #expect(keywords.codeMatches(code, chain: c) == [] && !keywords.covers(slot, chain: c), "\(code)")
                    continue
                }
                // With and without a section letter: the lookup reads the digits only.
                for code in [code, IndustryCode(digits: code.digits, section: "C")] {
                    let made = matcher.matches(explicit: [], code: code, hits: [], evidence: false)
                    #expect(keywords.codeMatches(code, chain: c) == made, "\(code) for \(matcher.chain.name)")
                    #expect(keywords.covers(slot, chain: c) == !made.isEmpty, "\(code) for \(matcher.chain.name)")
                    if !made.isEmpty { found += 1 }
                }
            }
        }
        // The ten chains cover 238 codes, some by their group (ten classes each).
        #expect(found == 2 * 238)
        #expect(keywords.codeMatches(nil, chain: 0) == [])
        // Codes of other lengths are matched as usual.
        #expect(keywords.codeMatches(IndustryCode(digits: "38411", section: nil), chain: 0) == nil)
        #expect(keywords.codeMatches(IndustryCode(digits: "3", section: nil), chain: 0) == nil)
    }

    @Test("evidence ranks explicit links over codes over keywords")
    func evidenceOrder() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        let separator = try #require(chain.link(id: "separator")).ref
        let explicit = matcher.match(LeadFixtures.lead("某公司", links: [separator]))
        let code = matcher.match(LeadFixtures.lead("某公司", code: "C2921"))
        let keyword = matcher.match(LeadFixtures.lead("某公司", scope: "湿法隔膜"))
        #expect(Self.ids(explicit, chain) == ["separator"])
        #expect(explicit[0].strength == 1)
        #expect(explicit[0].evidence == [.explicit])
        #expect(explicit[0].strength > code[0].strength)
        #expect(code[0].strength > keyword[0].strength)
    }

    @Test("codes match with or without the section letter, with text after them, and under a 2- or 3-digit link code")
    func codes() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        for text in ["C2921", "2921", "C2921 塑料薄膜制造", "2921塑料薄膜制造", "c2921"] {
            #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", code: text)), chain) == ["separator"], "\(text)")
        }
        // separator lists the group C292; a class under it matches, a sibling group does not.
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", code: "C2929")), chain) == ["separator"])
        #expect(matcher.match(LeadFixtures.lead("某公司", code: "C2931")).isEmpty)
        // A lead code coarser than the link's code says nothing about the link.
        #expect(matcher.match(LeadFixtures.lead("某公司", code: "C26")).isEmpty)
        // The vehicle link lists C361: C3612 is under it.
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", code: "C3612")), chain) == ["vehicle"])
    }

    @Test("a code given as an industry name (天眼查) is found by name")
    func codeByName() throws {
        #expect(IndustryCodeTable.standard.code(in: "制造业-电气机械和器材制造业-电池制造-锂离子电池制造")?.description == "C3841")
        #expect(IndustryCodeTable.standard.code(in: "3841")?.description == "C3841")
        #expect(IndustryCodeTable.standard.code(in: "餐饮") == nil)
    }

    @Test("keywords and the words of the link name match in the scope and in the enterprise name")
    func keywordsAndNames() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        // 碳酸锂 is a keyword of salt; 锂盐 is a word of its name 锂盐（碳酸锂/氢氧化锂）.
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", scope: "锂盐贸易")), chain) == ["salt"])
        let byName = matcher.match(LeadFixtures.lead("某电解液有限公司"))
        #expect(Self.ids(byName, chain) == ["electrolyte"])
        #expect(byName[0].evidence == [.keyword("电解液", written: nil, in: .name)])
    }

    @Test("Latin keywords match whatever their case")
    func latinCase() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", scope: "igbt模块")), chain) == ["igbt"])
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", scope: "SIC模块")), chain) == ["igbt"])
    }

    @Test("a Traditional scope matches the Simplified keywords")
    func traditionalScope() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        let matches = matcher.match(LeadFixtures.lead("臺灣某公司", scope: "鋰電池隔膜、濕法隔膜之研發製造"))
        #expect(Self.ids(matches, chain) == ["separator"])
        #expect(matches[0].evidence.contains(.keyword("锂电池隔膜", written: "鋰電池隔膜", in: .scope)))
        #expect(Self.ids(matcher.match(LeadFixtures.lead("香港某公司", scope: "驅動電機")), chain) == ["motor"])
    }

    @Test("a keyword written twice is shown as written first in the field, whatever order the scan reports it in")
    func firstSpelling() throws {
        let matcher = try Self.matcher()
        let scope = "鋰電池隔膜之研發，锂电池隔膜生产"
        var hits: [LeadMatcher.Hit] = []
        matcher.automaton.forEachMatch(in: scope) { hits.append(LeadMatcher.Hit(pattern: Int32($0), end: Int32($1), field: .scope)) }
        #expect(hits.count >= 2)
        let forward = matcher.matches(explicit: [], code: nil, hits: hits.sorted { $0.end < $1.end })
        let backward = matcher.matches(explicit: [], code: nil, hits: hits.sorted { $0.end > $1.end })
        #expect(forward == backward)
        #expect(forward.first?.evidence.contains(.keyword("锂电池隔膜", written: "鋰電池隔膜", in: .scope)) == true)
        // In the name too, the scope's spelling comes first.
        var both = hits
        matcher.automaton.forEachMatch(in: "锂电池隔膜公司") { both.append(LeadMatcher.Hit(pattern: Int32($0), end: Int32($1), field: .name)) }
        let named = matcher.matches(explicit: [], code: nil, hits: both.reversed())
        #expect(named.first?.evidence.contains(.keyword("锂电池隔膜", written: "鋰電池隔膜", in: .scope)) == true)
    }

    @Test("a longer, rarer keyword counts for more than a short or shared one")
    func specificity() {
        #expect(LeadMatcher.strength(of: "锂电池隔膜", sharedBy: 1) > LeadMatcher.strength(of: "隔膜", sharedBy: 1))
        #expect(LeadMatcher.strength(of: "隔膜", sharedBy: 1) > LeadMatcher.strength(of: "隔膜", sharedBy: 3))
        #expect(LeadMatcher.strength(of: "IGBT", sharedBy: 1) == LeadMatcher.strength(of: "隔膜", sharedBy: 1))
    }

    @Test("a keyword inside a longer one found at the same place is not counted again")
    func nested() throws {
        let chain = try LeadFixtures.chain("""
            chain: 测试
            links:
              - {id: battery, name: 电池, stage: 上游, keywords: [电池]}
              - {id: lithium, name: 锂电池, stage: 上游, keywords: [锂电池]}
            """)
        let matcher = LeadMatcher(chain: chain)
        #expect(Self.ids(matcher.match(LeadFixtures.lead("某公司", scope: "锂电池生产")), chain) == ["lithium"])
        #expect(Set(Self.ids(matcher.match(LeadFixtures.lead("某公司", scope: "锂电池、铅酸电池")), chain)) == ["lithium", "battery"])
    }

    @Test("a lead may match several links, best first")
    func several() throws {
        let matcher = try Self.matcher()
        let chain = matcher.chain
        let matches = matcher.match(LeadFixtures.lead("某公司", scope: "电解液、六氟磷酸锂、湿法隔膜", code: "C2661"))
        #expect(Self.ids(matches, chain) == ["electrolyte", "separator"])
        #expect(matches[0].strength > matches[1].strength)
    }

    @Test("keyword evidence combines over distinct words and stays below a code match alone")
    func combination() throws {
        let matcher = try Self.matcher()
        let one = matcher.match(LeadFixtures.lead("某公司", scope: "电解液"))[0].strength
        let two = matcher.match(LeadFixtures.lead("某公司", scope: "电解液、六氟磷酸锂"))[0].strength
        let many = matcher.match(LeadFixtures.lead("某电解液公司", scope: "电解液、六氟磷酸锂、电解液添加剂"))[0].strength
        #expect(two > one)
        #expect(many <= LeadMatcher.keywordCap)
        let code = matcher.match(LeadFixtures.lead("某公司", code: "C3972"))[0].strength
        #expect(code > many)
    }

    /// The hits ``LeadMatcher/mostSpecific(_:patterns:)`` keeps, by its rule spelled out:
    /// none that another hit of the field, strictly longer, spans.
    static func mostSpecificByRule(_ hits: [LeadMatcher.Hit], patterns: [[UInt8]]) -> [LeadMatcher.Hit] {
        func span(_ hit: LeadMatcher.Hit) -> (Int, Int) { (Int(hit.end) - patterns[Int(hit.pattern)].count, Int(hit.end)) }
        return hits.filter { hit in
            !hits.contains { other in
                let (a, b) = (span(hit), span(other))
                return other.field == hit.field && b.1 - b.0 > a.1 - a.0 && b.0 <= a.0 && a.1 <= b.1
            }
        }
    }

    @Test("a hit inside a longer one of the same field is left out, alike for a few hits and for many", arguments: [0, 1, 2, 5, 16, 17, 40])
    func mostSpecificHits(count: Int) {
        let patterns: [[UInt8]] = (1...6).map { [UInt8](repeating: 0x61, count: $0) }
        var generator = SeededGenerator(seed: UInt64(count) &+ 7)
        func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        for _ in 0..<200 {
            let hits = (0..<count).map { _ in
                let pattern = next(patterns.count)
                return LeadMatcher.Hit(
                    pattern: Int32(pattern), end: Int32(patterns[pattern].count + next(12)), field: next(2) == 0 ? .scope : .name)
            }
            let expected = Self.mostSpecificByRule(hits, patterns: patterns)
            let swept = LeadMatcher.mostSpecific(hits, patterns: patterns)
            let paired = hits.filter { !LeadMatcher.liesInside($0, hits, patterns: patterns) }
            #expect(swept.map(\.end) == expected.map(\.end) && swept.map(\.pattern) == expected.map(\.pattern))
            #expect(paired.map(\.end) == expected.map(\.end) && paired.map(\.pattern) == expected.map(\.pattern))
        }
    }

    @Test("many hits, reported longest first at each place or not, are swept as the rule says")
    func mostSpecificManyHits() {
        // Runs of hits that end at one place, in the scan's order (longest first) or
        // shuffled (as lanes that meet report them), in both fields: over the 1,024 hits
        // from which runs are thinned before the sort.
        let patterns: [[UInt8]] = (1...8).map { [UInt8](repeating: 0x61, count: $0) }
        var generator = SeededGenerator(seed: 1_024)
        func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        for round in 0..<6 {
            var hits: [LeadMatcher.Hit] = []
            var end = 8, field = LeadTextField.scope
            while hits.count < 1_100 + round * 300 {
                // Often the same place in the other field (a name and a scope that end alike).
                if next(3) == 0 {
                    field = field == .name ? .scope : .name
                } else {
                    end = 8 + next(400)
                    field = next(3) == 0 ? .name : .scope
                }
                var run = (0..<(1 + next(8))).map { _ in next(patterns.count) }
                run.sort(by: >)
                if next(4) == 0 { run.shuffle(using: &generator) }
                hits += run.map { LeadMatcher.Hit(pattern: Int32($0), end: Int32(end), field: field) }
            }
            let expected = Self.mostSpecificByRule(hits, patterns: patterns)
            let swept = LeadMatcher.mostSpecific(hits, patterns: patterns)
            #expect(swept.map(\.end) == expected.map(\.end) && swept.map(\.pattern) == expected.map(\.pattern), "round \(round)")
        }
    }

    @Test("a code read from a cell's bytes finds the table's code as reading the cell's text does")
    func codeFromBytes() {
        let table = IndustryCodeTable.standard
        let prefixes = ["", " ", "\t", "\u{3000}", "  ", "\"", "="]
        let letters = ["", "C", "c", "L", "Z", "U", "t", "中"]
        let suffixes = ["", " ", "锂离子电池制造", "X", "x", "-", "9", "\u{3000}", "（", "\"", "_"]
        var generator = SeededGenerator(seed: 99)
        func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        var found = 0
        for _ in 0..<20_000 {
            let length = 1 + next(6)
            // Digits of codes the table has, mostly, and any digits.
            let digits = next(4) == 0
                ? String((0..<length).map { _ in Character(String(next(10))) })
                : String(["3841", "0610", "72", "721", "7212", "2613", "99", "01", "0111", "4210", "30"][next(11)].prefix(length))
            let cell = prefixes[next(prefixes.count)] + letters[next(letters.count)] + digits + suffixes[next(suffixes.count)]
            var text = cell
            let fast = text.withUTF8 { bytes in
                ChainKeywords.code(UnsafeRawBufferPointer(bytes)).flatMap { table.canonical(value: $0.value, digits: $0.digits) }
            }
            let slow = table.code(in: LeadColumns.trimmed(cell))
            if let fast {
                found += 1
                #expect(fast == slow, "\(cell)")
            }
        }
        #expect(found > 2_000)
    }

    @Test("a code cell behind or before characters trimming drops is read as its text, not as the industry named after it")
    func codeBehindTrimmedCharacters() throws {
        let path = packageRoot().appendingPathComponent("chains/nev-battery.yaml").path
        let analysis = try #require(ChainPipeline().run([path], screening: false).chains.first).analysis
        let prefixes = ["*", "＊", "\u{00A0}", "\u{FEFF}", "\u{2003}", " ", ""]
        let cells = ["3841-镍钴冶炼", "C38>镍钴冶炼", "9999-镍钴冶炼", "D2345飞机制造-生物质能发电", "38 镍钴冶炼", "3841｜镍钴冶炼", "C3213", "镍钴冶炼"]
        // Trimmed characters after the code or the industry's name too (a quoted cell may end in CR).
        let suffixes = ["", " \r", "\u{3000}", "\u{00A0}"]
        var raw = "企业名称,国标行业\n", trimmed = "企业名称,国标行业\n"
        for (p, prefix) in prefixes.enumerated() {
            for (s, suffix) in suffixes.enumerated() {
                for (c, cell) in cells.enumerated() {
                    let name = s == 0 ? "企业\(p)-\(c)公司" : "企业\(p)-\(c)-\(s)公司"
                    raw += "\(name),\"\(prefix)\(cell)\(suffix)\"\n"
                    trimmed += "\(name),\(LeadColumns.trimmed(prefix + cell + suffix))\n"
                }
            }
        }
        let a = try LeadFixtures.screen(analysis.chain, files: [try LeadFixtures.temporaryFile("raw.csv", raw)])
        let b = try LeadFixtures.screen(analysis.chain, files: [try LeadFixtures.temporaryFile("trimmed.csv", trimmed)])
        func key(_ s: LeadScreening) -> [String] {
            s.recommendations.map { "\($0.lead.name) \($0.lead.code?.description ?? "-") \($0.score)" }.sorted()
        }
        #expect(key(a) == key(b))
        #expect(a.recommendedCount == b.recommendedCount && a.sources.map(\.counts) == b.sources.map(\.counts))
        // The nickel-cobalt gap (C3213) is recommended for the rows that name it, not for 3841 behind a star.
        #expect(a.recommendation("企业0-0公司") == nil)
        #expect(a.recommendation("企业0-6公司")?.lead.code?.description == "C3213")
        #expect(a.recommendation("企业6-7-1公司")?.lead.code?.description == "C3213")
    }
}
