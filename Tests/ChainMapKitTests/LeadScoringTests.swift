@testable import ChainMapKit
import Foundation
import Testing

@Suite("Scoring and ranking leads")
struct LeadScoringTests {
    @Test("ranking orders by score, then source, then line, then name, ties on each included")
    func rankKeys() {
        var generator = SystemRandomNumberGenerator()
        let files = ["a.csv", "b.xlsx"]
        let list: [Recommendation] = (0..<600).map { _ in
            var points = ScorePoints()
            points.fit = Double(Int.random(in: 0...4, using: &generator)) * 2.5
            let location = FileLocation(
                file: files.randomElement(using: &generator)!, line: Int.random(in: 2...6, using: &generator), column: 1,
                sheet: Bool.random(using: &generator) ? "Sheet2" : nil)
            let name = ["甲公司", "乙公司", "丙公司", "A Co"].randomElement(using: &generator)!
            return Recommendation(
                lead: Lead(name: name, location: location), matches: [], points: points, reasons: [],
                sourceIndex: Int.random(in: 0...2, using: &generator))
        }
        // The order spelt out: higher score, earlier source, earlier line, then the name.
        func expected(_ a: Recommendation, _ b: Recommendation) -> Bool {
            (-a.score, a.sourceIndex, a.lead.location.line, a.lead.name) < (-b.score, b.sourceIndex, b.lead.location.line, b.lead.name)
        }
        var keys = list.indices.map { RankKey(list[$0], slot: $0) }
        keys.sort { a, b in RankKey.ranksBefore(a, b) { list[$0].lead.name < list[$1].lead.name } }
        var order = Array(list.indices)
        order.sort { expected(list[$0], list[$1]) }
        #expect(keys.map(\.slot) == order)
        // Every pair, through the keys and through the recommendations.
        for _ in 0..<2000 {
            let (a, b) = (Int.random(in: 0..<list.count, using: &generator), Int.random(in: 0..<list.count, using: &generator))
            let byKeys = RankKey.ranksBefore(RankKey(list[a], slot: a), RankKey(list[b], slot: b)) { list[$0].lead.name < list[$1].lead.name }
            #expect(byKeys == expected(list[a], list[b]))
            #expect(LeadScreener.ranksBefore(list[a], list[b]) == expected(list[a], list[b]))
        }
    }

    @Test("a capped list keeps the best overall, the best of each link and every lead with a stage, in its order; its floors are those scores")
    func pruneKeepsTheBest() {
        var generator = SeededGenerator(seed: 20)
        let scoring = LeadScoring()
        let names = ["甲公司", "乙公司", "丙公司", "A Co"]
        // What prune keeps, spelt out: the ranking of every recommendation, its first
        // `best`, each link's first `perLink` by the score for it (ties to the better
        // ranked), and every lead with a stage; the kept in the list's order.
        func expected(_ list: [Recommendation], best: Int, perLink: Int) -> [Int] {
            func before(_ a: Recommendation, _ b: Recommendation) -> Bool {
                (-a.score, a.sourceIndex, a.lead.location.line, a.lead.name) < (-b.score, b.sourceIndex, b.lead.location.line, b.lead.name)
            }
            let order = list.indices.sorted { before(list[$0], list[$1]) }
            var keep = Set(order.prefix(best))
            var links: Set<LinkRef> = []
            for r in list { for match in r.matches { links.insert(match.link) } }
            for link in links {
                let members = order.filter { list[$0].matches.contains { $0.link == link } }
                let ranked = members.indices.sorted { a, b in
                    let (x, y) = (list[members[a]].score(for: link, scoring: scoring), list[members[b]].score(for: link, scoring: scoring))
                    return x != y ? x > y : a < b
                }
                for a in ranked.prefix(perLink) { keep.insert(members[a]) }
            }
            for i in list.indices where list[i].lead.status != nil { keep.insert(i) }
            return list.indices.filter(keep.contains)
        }
        for round in 0..<300 {
            let pick = { (n: Int) in Int(generator.next() % UInt64(n)) }
            let count = pick(400)
            let list: [Recommendation] = (0..<count).map { i in
                var points = ScorePoints()
                points.fit = Double(pick(5)) * 2.5
                points.size = Double(pick(3))
                // The column tells the recommendations apart; ranking never reads it.
                var lead = Lead(name: names[pick(names.count)], location: FileLocation(file: "a.csv", line: 2 + pick(8), column: i + 1))
                if pick(20) == 0 { lead.status = .negotiating }
                // The matcher gives each link one match; about one recommendation in ten may
                // repeat one (built another way), which must count once, by its first.
                var links = Set<Int>()
                let repeats = pick(10) == 0
                let matches: [LinkMatch] = (0..<pick(4)).compactMap { _ in
                    let link = pick(12)
                    guard links.insert(link).inserted || repeats else { return nil }
                    return LinkMatch(link: LinkRef(link), strength: Double(1 + pick(4)) / 4, evidence: [])
                }
                return Recommendation(lead: lead, matches: matches, points: points, reasons: [], sourceIndex: pick(2))
            }
            let (best, perLink) = (1 + pick(40), pick(5))
            var pruned = list
            LeadRetention(best: best, bestPerLink: perLink).prune(&pruned, scoring: scoring, always: true)
            let want = list.count > best ? expected(list, best: best, perLink: perLink) : list.indices.map { $0 }
            #expect(pruned.map { $0.lead.location.column - 1 } == want, "round \(round): \(count) leads, best \(best), \(perLink) per link")
            // The floors of the list: the best-th score, and each link's perLink-th score for it.
            let retention = LeadRetention(best: best, bestPerLink: perLink)
            var floor = ScoreFloor(links: 10, retention: retention)
            let scores = list.map(\.score).sorted(by: >)
            floor.overall = scores.count >= best ? scores[best - 1] : -.infinity
            for link in 0..<10 {
                let forLink = list.filter { $0.matches.contains { $0.link.index == link } }.map { $0.score(for: LinkRef(link), scoring: scoring) }.sorted(by: >)
                floor.perLink[link] = perLink == 0 ? Double.infinity : forLink.count >= perLink ? forLink[perLink - 1] : -.infinity
            }
            // Raised from the list's best scores, taken in parts as blocks are merged
            // (``ScoreTops``).
            var tops = ScoreTops()
            var start = 0
            while start < list.count {
                let end = min(list.count, start + 1 + pick(60))
                Array(list[start..<end]).withUnsafeBufferPointer { tops.add($0, retention: retention, scoring: scoring) }
                start = end
            }
            #expect(tops.overall.count <= best && tops.perLink.allSatisfy { $0.count <= perLink })
            var fromTops = ScoreFloor(links: 10, retention: retention)
            fromTops.raise(to: tops, retention: retention)
            #expect(fromTops == floor, "round \(round): \(count) leads, best \(best), \(perLink) per link")
            // Keeping none overall (a map's leads per gap), no floor is raised.
            let perGapOnly = LeadRetention(best: 0, bestPerLink: perLink)
            var (fromTops0, tops0) = (ScoreFloor(links: 10, retention: perGapOnly), ScoreTops())
            list.withUnsafeBufferPointer { tops0.add($0, retention: perGapOnly, scoring: scoring) }
            fromTops0.raise(to: tops0, retention: perGapOnly)
            #expect(fromTops0 == ScoreFloor(links: 10, retention: perGapOnly))
            // And from a chain's batch that absorbs the list block by block, cut or not: a
            // batch takes in its own scores when it first absorbs another.
            var batch = ChainBatch()
            batch.recommendations = Array(list.prefix(1 + pick(80)))
            var taken = batch.recommendations.count
            let absorbs = taken < list.count
            while taken < list.count {
                let end = min(list.count, taken + 1 + pick(80))
                var block = ChainBatch()
                block.recommendations = Array(list[taken..<end])
                if end - taken > 1 && pick(4) == 0 {
                    // A batch that has absorbed one of its own first.
                    let middle = taken + (end - taken) / 2
                    block.recommendations = Array(list[taken..<middle])
                    var rest = ChainBatch()
                    rest.recommendations = Array(list[middle..<end])
                    block.absorb(rest, retention: retention, scoring: scoring)
                }
                batch.absorb(block, retention: retention, scoring: scoring)
                taken = end
            }
            var fromBatch = ScoreFloor(links: 10, retention: retention)
            fromBatch.raise(to: batch.tops, retention: retention)
            if absorbs {
                #expect(fromBatch == floor, "round \(round): \(count) leads, best \(best), \(perLink) per link")
            }
        }
    }

    @Test("lists joined by moving are the lists joined, in order, whether or not another array shares them")
    func joinedMoving() {
        var generator = SeededGenerator(seed: 21)
        for _ in 0..<200 {
            let lists: [[Recommendation]] = (0..<Int(generator.next() % 5)).map { l in
                (0..<Int(generator.next() % 6)).map { i in
                    Recommendation(
                        lead: Lead(name: "企业\(l)-\(i)", location: FileLocation(file: "a.csv", line: i + 2, column: 1)),
                        matches: [], points: ScorePoints(), reasons: [], sourceIndex: l)
                }
            }
            var moved = lists
            if generator.next() % 2 == 0 { moved = moved.map { $0.map { $0 } } }   // each list held once
            let joined = Recommendation.joinedMoving(&moved)
            #expect(joined.map(\.lead.name) == lists.flatMap { $0 }.map(\.lead.name))
            #expect(moved.allSatisfy(\.isEmpty) && lists.flatMap { $0 }.count == joined.count)
        }
    }

    static func recommendations(_ block: Int, _ count: Int) -> [Recommendation] {
        (0..<count).map { i in
            Recommendation(
                lead: Lead(name: "企业\(block)-\(i)", location: FileLocation(file: "a.csv", line: i + 2, column: 1)),
                matches: [], points: ScorePoints(), reasons: [], sourceIndex: 0)
        }
    }

    /// Where each list's elements are: a list copied (because another array still held
    /// it when it was changed) has them elsewhere.
    static func buffers(_ lists: [[Recommendation]]) -> [UnsafeRawPointer?] {
        lists.map { $0.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
    }

    /// Pops one element from each list and says which lists were copied by it (a list
    /// that another array still holds is copied by its first change).
    static func copiedByAPop(_ lists: inout [[Recommendation]], were before: [UnsafeRawPointer?]) -> [Int] {
        lists.indices.filter { l in
            _ = lists[l].popLast()
            return Self.buffers([lists[l]])[0] != before[l]
        }
    }

    @Test("a batch's blocks are moved out, held once: a pop from one keeps its buffer")
    func blocksTakenOnce() {
        var batch = ChainBatch()
        batch.absorbedBlocks = [Self.recommendations(0, 3), Self.recommendations(1, 2)]
        batch.recommendations = Self.recommendations(2, 4)
        let names = (batch.absorbedBlocks + [batch.recommendations]).flatMap { $0 }.map(\.lead.name)
        let before = Self.buffers(batch.absorbedBlocks + [batch.recommendations])
        var lists = [Self.recommendations(9, 1)]
        batch.takeBlocks(into: &lists)
        #expect(batch.absorbedBlocks.isEmpty && batch.recommendations.isEmpty)
        #expect(lists.dropFirst().flatMap { $0 }.map(\.lead.name) == names)
        lists.removeFirst()
        #expect(Self.copiedByAPop(&lists, were: before) == [])
    }

    @Test("a source's batches give each chain its lists, in file order, moved out of the read and held once by its collector")
    func sourceListsMovedOnce() {
        // A read of three blocks for two chains; chain 1's lists, then chain 0's.
        var read = RowRead<ScreenBatch>(summary: RowSourceSummary(file: "a.csv", format: "CSV"))
        for b in 0..<3 {
            var batch = ScreenBatch(chains: 2)
            for c in 0..<2 {
                batch.chains[c].absorbedBlocks = b == 1 ? [Self.recommendations(10 * c + b, 2)] : []
                batch.chains[c].recommendations = Self.recommendations(100 * c + b, 1 + b)
                batch.chains[c].counts.matched = 10 * c + b
                batch.chains[c].localNames = ["本地\(c)-\(b)"]
            }
            read.batches.append(batch)
        }
        var batches = read.takeBatches()
        #expect(read.batches.isEmpty)
        func lists(of c: Int) -> [[Recommendation]] { batches.flatMap { $0.chains[c].absorbedBlocks + [$0.chains[c].recommendations] } }
        let names = (0..<2).map { c in lists(of: c).flatMap { $0 }.map(\.lead.name) }
        let before = (0..<2).map { Self.buffers(lists(of: $0)) }
        var rows = RowCounts()
        rows.rows = 7
        for c in [1, 0] {
            let outcome = SourceOutcome(chain: c, taking: &batches, summary: LeadSourceSummary(source: "a.csv", format: "CSV"), rows: rows)
            #expect(batches.allSatisfy { $0.chains[c].absorbedBlocks.isEmpty && $0.chains[c].recommendations.isEmpty })
            #expect(outcome.recommendations.flatMap { $0 }.map(\.lead.name) == names[c])
            #expect(outcome.localNames == (0..<3).map { "本地\(c)-\($0)" })
            #expect(outcome.summary.counts.rows == 7 && outcome.summary.counts.matched == 30 * c + 3)
            // Uncapped, the collector keeps the lists as they come: each still in its buffer
            // and held once (a pop keeps it there).
            var collector = ChainCollector()
            collector.add(consume outcome, retention: .all, scoring: LeadScoring())
            #expect(Self.buffers(collector.batches) == before[c])
            #expect(Self.copiedByAPop(&collector.batches, were: before[c]) == [])
        }
    }

    static func screener(scoring: LeadScoring = LeadScoring()) throws -> LeadScreener {
        try LeadScreener(analysis: GapAnalysis(try LeadFixtures.chain()), scoring: scoring)
    }

    static func score(_ lead: Lead, _ screener: LeadScreener) -> Double? {
        guard case .recommended(let recommendation) = screener.chains[0].evaluate(lead) else { return nil }
        return recommendation.score
    }

    /// Random leads that match some gap: a scope from the chain's words, maybe a code,
    /// a province, capital, investment and stage.
    static func randomLeads(_ count: Int, seed: UInt64) -> [Lead] {
        var generator = SeededGenerator(seed: seed)
        let scopes = ["电解液", "湿法隔膜", "磷酸铁锂、三元材料", "IGBT模块", "碳酸锂", "驱动电机", "锂电池隔膜、涂覆", "六氟磷酸锂"]
        let codes: [String?] = [nil, "C2661", "C2921", "C3985", "C3972", "C2613", "C3812"]
        let provinces: [String?] = [nil, "广东", "江苏", "四川", "香港"]
        return (0..<count).map { i in
            let pick = { (n: Int) in Int(generator.next() % UInt64(n)) }
            return LeadFixtures.lead(
                "随机企业\(i)", scope: scopes[pick(scopes.count)], code: codes[pick(codes.count)],
                province: provinces[pick(provinces.count)],
                capital: pick(3) == 0 ? nil : Double(pick(5000)) / 100, invest: pick(2) == 0 ? nil : Double(pick(50)),
                status: pick(2) == 0 ? nil : Lead.Status.allCases[pick(6)])
        }
    }

    @Test("at equal fit, a 上市公司 outranks an untagged lead")
    func listedOutranksUntagged() throws {
        let screener = try Self.screener()
        for lead in Self.randomLeads(200, seed: 1) {
            var listed = lead
            listed.tags = ["上市公司"]
            let plain = try #require(Self.score(lead, screener))
            let tagged = try #require(Self.score(listed, screener))
            #expect(tagged > plain, "\(lead)")
        }
    }

    @Test("a partner of the 链主 outranks a stranger, and a 龙头's partner a supporter's")
    func partnerOutranksStranger() throws {
        let screener = try Self.screener()
        for lead in Self.randomLeads(200, seed: 2) {
            var leaderPartner = lead, championPartner = lead, supporterPartner = lead, stranger = lead
            leaderPartner.partner = "示例汽车集团有限公司"
            championPartner.partner = "示例电芯科技有限公司"
            supporterPartner.partner = "示例电机有限公司"
            stranger.partner = "某外地企业有限公司"
            let scores = try [leaderPartner, championPartner, supporterPartner, stranger].map { try #require(Self.score($0, screener)) }
            #expect(scores[0] > scores[1] && scores[1] > scores[2] && scores[2] > scores[3], "\(scores)")
            #expect(scores[3] == Self.score(lead, screener))
        }
        // The partner may be written inside a longer text.
        let text = LeadFixtures.lead("某公司", scope: "电解液", partner: "为示例汽车集团有限公司供货")
        #expect(try #require(Self.score(text, screener)) > Self.score(LeadFixtures.lead("某公司", scope: "电解液"), screener)!)
    }

    @Test("tier, size, region and stage each only raise a lead's score")
    func monotone() throws {
        var scoring = LeadScoring()
        scoring.preferredRegions = ["粤港澳", "长三角"]
        let screener = try Self.screener(scoring: scoring)
        for lead in Self.randomLeads(200, seed: 3) {
            let base = try #require(Self.score(lead, screener))
            var bigger = lead
            bigger.capital = (lead.capital ?? 0) + 50
            #expect(try #require(Self.score(bigger, screener)) >= base)
            var later = lead
            later.status = .signed
            if (lead.status.map { $0 < .signed } ?? true) {
                #expect(try #require(Self.score(later, screener)) > base)
            }
            var preferred = lead
            preferred.province = "广东省"
            #expect(try #require(Self.score(preferred, screener)) >= base)
        }
    }

    @Test("the first preferred region counts more than the next; regions expand to provinces")
    func regions() throws {
        var scoring = LeadScoring()
        scoring.preferredRegions = ["粤港澳", "长三角", "京津冀"]
        let screener = try Self.screener(scoring: scoring)
        let score = { (province: String) in Self.score(LeadFixtures.lead("某公司", scope: "电解液", province: province), screener)! }
        #expect(score("广东省") > score("江苏省"))
        #expect(score("香港特别行政区") == score("广东"))
        #expect(score("江苏") > score("北京市"))
        #expect(score("北京") > score("四川省"))
        #expect(score("廣東") == score("广东"))
        scoring.preferredRegions = ["粤港奥"]
        #expect(throws: DiagnosticError.self) { try Self.screener(scoring: scoring) }
    }

    @Test("a stronger match, and a match to a more urgent gap, rank higher")
    func fit() throws {
        let screener = try Self.screener()
        let strong = try #require(Self.score(LeadFixtures.lead("甲", scope: "电解液、六氟磷酸锂", code: "C2661"), screener))
        let weak = try #require(Self.score(LeadFixtures.lead("乙", scope: "电解液"), screener))
        #expect(strong > weak)
        let analysis = screener.chains[0].analysis
        let priority = { (id: String) in analysis.entry(for: analysis.chain.link(id: id)!.ref)!.priority }
        // Same kind of evidence (a 4-digit code of one link each) on gaps of different priority.
        let electrolyte = try #require(Self.score(LeadFixtures.lead("丙", code: "C2661"), screener))
        let salt = try #require(Self.score(LeadFixtures.lead("丁", code: "C2613"), screener))
        #expect(priority("electrolyte") > priority("salt"))
        #expect(electrolyte > salt)
    }

    @Test("tier weights are settable, and a new tier can be added")
    func tierWeights() throws {
        var scoring = LeadScoring()
        scoring.setTierPoints("上市公司", 0)
        scoring.setTierPoints("瞪羚企业", 5)
        let screener = try Self.screener(scoring: scoring)
        let plain = Self.score(LeadFixtures.lead("甲", scope: "电解液"), screener)
        #expect(Self.score(LeadFixtures.lead("甲", scope: "电解液", tags: ["上市公司"]), screener) == plain)
        #expect(Self.score(LeadFixtures.lead("甲", scope: "电解液", tags: ["省级瞪羚企业"]), screener)! == plain! + 5)
        // Default tiers recognise the usual spellings, Traditional ones too.
        let defaults = try Self.screener()
        let base = Self.score(LeadFixtures.lead("甲", scope: "电解液"), defaults)!
        for tag in ["A股上市", "国家级专精特新\"小巨人\"", "專精特新", "世界500强", "中国民营企业500强", "高新技术企业"] {
            #expect(Self.score(LeadFixtures.lead("甲", scope: "电解液", tags: [tag]), defaults)! > base, "\(tag)")
        }
    }

    @Test("reasons say what built the score, and their points add up to it")
    func reasons() throws {
        var scoring = LeadScoring()
        scoring.preferredRegions = ["粤港澳"]
        let screener = try Self.screener(scoring: scoring)
        let lead = LeadFixtures.lead(
            "某新材料股份有限公司", scope: "电解液、六氟磷酸锂", code: "C2661", tags: ["上市公司"], province: "广东",
            capital: 12.5, invest: 20, status: .negotiating, partner: "示例汽车集团有限公司")
        guard case .recommended(let r) = screener.chains[0].evaluate(lead) else {
            Issue.record("not recommended")
            return
        }
        #expect(r.reasons[0].hasPrefix("补链（缺失环节）「电解液」"))
        // The gap's priority with one decimal always, as the gaps table prints it.
        let entry = try #require(screener.chains[0].analysis.entries.first { screener.chains[0].analysis.chain[$0.link].name == "电解液" })
        #expect(r.reasons[0].contains("，优先级 \(NumberText.tenths(entry.priority))，"))
        #expect(r.reasons[0].contains("国标行业 C2661 与环节代码一致"))
        // Keywords of one field together, the most specific first.
        #expect(r.reasons[0].contains("经营范围含「六氟磷酸锂」「电解液」"))
        for word in ["上市公司", "注册资本 12.5 亿元", "意向投资 20 亿元", "本地链主「示例汽车集团有限公司」", "位于广东（粤港澳）", "项目阶段：在谈"] {
            #expect(r.reasons.contains { $0.contains(word) }, "\(word)")
        }
        let points = r.reasons.compactMap { reason -> Double? in
            guard let plus = reason.range(of: " +", options: .backwards) else { return nil }
            return Double(reason[plus.upperBound...])
        }
        #expect(points.count == r.reasons.count)
        #expect(abs(points.reduce(0, +) - r.score) < 0.05 * Double(points.count))
        #expect(r.score <= screener.chains[0].scorer.scoring.maximum)
    }

    @Test("leads already local (same name after trimming) and leads matching no gap are left out")
    func exclusions() throws {
        let screener = try Self.screener()
        guard case .local = screener.chains[0].evaluate(LeadFixtures.lead(" 示例电机有限公司 ", scope: "驱动电机")) else {
            Issue.record("a local enterprise was recommended")
            return
        }
        guard case .noTarget = screener.chains[0].evaluate(LeadFixtures.lead("某电池公司", scope: "动力电池")) else {
            Issue.record("a lead matching only strong links was recommended")
            return
        }
        #expect(screener.chains[0].matcher.match(LeadFixtures.lead("某餐饮公司", scope: "餐饮服务")).isEmpty)
        // The verdict from the name alone names the covered links only when asked to
        // (a screening that keeps no lead left out does not read them).
        let matches = screener.chains[0].matcher.match(LeadFixtures.lead("某电池公司", scope: "动力电池"))
        let scorer = screener.chains[0].scorer
        guard case .noTarget(let named) = scorer.verdict(name: "某电池公司", province: nil, untargeted: matches),
              case .noTarget(let unnamed) = scorer.verdict(name: "某电池公司", province: nil, untargeted: matches, naming: false),
              case .local = scorer.verdict(name: "示例电机有限公司", province: nil, untargeted: matches, naming: false)
        else {
            Issue.record("verdicts from the name")
            return
        }
        #expect(!matches.isEmpty && named == matches.map(\.link) && unnamed.isEmpty)
    }

    @Test("the same enterprise in several sources appears once, with its best score")
    func duplicates() throws {
        let chain = try LeadFixtures.chain("""
            chain: 测试
            links:
              - {id: electrolyte, name: 电解液, stage: 上游, supplies: [cell], codes: [C2661], keywords: [电解液]}
              - {id: cell, name: 电芯, stage: 中游}
            enterprises:
              - {name: 本地电芯, links: [cell], role: 链主}
            leads:
              - {name: 甲电解液有限公司, tags: [上市公司]}
            """)
        let file = try LeadFixtures.temporaryFile("dup.csv", "企业名称,国标行业,经营范围\n甲电解液有限公司,C2661,电解液\n乙电解液有限公司,C2661,电解液\n")
        let screening = try LeadScreener(analysis: GapAnalysis(chain)).screen([.chainFile, .file(file)]).screenings[0]
        #expect(screening.names.sorted() == ["乙电解液有限公司", "甲电解液有限公司"])
        #expect(screening.duplicates == 1)
        let kept = try #require(screening.recommendation("甲电解液有限公司"))
        #expect(kept.lead.location.file == file)
    }

    @Test("the per-gap view lists each gap and weak link, highest priority first, with its best leads")
    func perGap() throws {
        let screening = try LeadFixtures.screen(
            try LeadFixtures.chain(), files: [try LeadFixtures.path("qcc-utf8.csv"), try LeadFixtures.path("variants-a.csv")])
        let gaps = screening.perGap(limit: 1)
        #expect(gaps.map(\.entry.link) == screening.analysis.entries.map(\.link))
        let cathode = try #require(gaps.first { screening.analysis.chain[$0.entry.link].id == "cathode" })
        #expect(cathode.leads.map(\.lead.name) == ["壹正极新材料有限公司"])
        let all = screening.leads(for: cathode.entry.link)
        #expect(all.map(\.lead.name) == ["壹正极新材料有限公司", "丁正极材料有限公司"])
        #expect(gaps.contains { $0.leads.isEmpty })
    }

    @Test("reasons left for the list writers come out as the screening would word them")
    func reasonsWordedByTheLists() throws {
        // Several links (另匹配), tiers, amounts, a preferred region, a partner, and two rows
        // of one enterprise (merged): every kind of reason.
        var rows = ["企业名称,国标行业,经营范围,企业标签,注册资本,意向投资,所属省份,配套关系,跟进状态"]
        rows.append("甲新能源有限公司,C2661,电解液；六氟磷酸锂；湿法隔膜；磷酸铁锂；碳酸锂；IGBT,上市公司、专精特新,5000万元,2亿,广东省,示例电芯科技有限公司,接洽")
        rows.append("乙材料有限公司,C3985,三元材料,高新技术企业,300万元,,江苏省,,")
        rows.append("甲新能源有限公司,C292,锂电池隔膜,,1亿元,,广东省,,")
        rows.append("丁化学有限公司,,六氟磷酸鋰與電解液,,,,,,")
        let file = try LeadFixtures.temporaryFile("reasons.csv", rows.joined(separator: "\n") + "\n")
        var scoring = LeadScoring()
        scoring.preferredRegions = ["粤港澳"]
        func screen(wording: Bool) throws -> LeadScreening {
            var screener = try LeadScreener(analysis: GapAnalysis(try LeadFixtures.chain()), scoring: scoring)
            screener.wordsReasons = wording
            return screener.screen([.file(file)]).screenings[0]
        }
        let worded = try screen(wording: true)
        let left = try screen(wording: false)
        #expect(worded.recommendations.count == 3)
        #expect(worded.duplicates == 1)
        #expect(worded.recommendations.map(\.reasons.count) == [9, 2, 1])
        // A keyword found in another spelling says both.
        #expect(worded.recommendations[2].reasons[0].contains("经营范围含「六氟磷酸鋰」（六氟磷酸锂）「電解液」（电解液）"))
        #expect(worded.recommendations.allSatisfy { !$0.reasonsPending })
        // Left unworded until a list writes them, and worded then as the screening would.
        #expect(left.recommendations.allSatisfy { $0.reasonsPending && $0.reasons.isEmpty })
        #expect(left.recommendations.map { left.reasons(of: $0) } == worded.recommendations.map(\.reasons))
        #expect(LeadReport.json(left) == LeadReport.json(worded))
        #expect(LeadReport.csv(left) == LeadReport.csv(worded))
        // Every other output words them too, should a library caller leave them.
        #expect(LeadReport.text(left, limit: nil, perGap: 3, colour: false) == LeadReport.text(worded, limit: nil, perGap: 3, colour: false))
        #expect(LeadReport.markdown(left, limit: nil, perGap: 3) == LeadReport.markdown(worded, limit: nil, perGap: 3))
        for kind in ["补链", "另匹配", "企业层级", "规模", "以商引商", "目标区域", "项目阶段"] {
            #expect(LeadReport.json(worded).contains(kind))
        }
    }

    @Test("the JSON list's extra fields carry each record's own columns, when records of files with other columns alternate")
    func extraFieldsOfSeveralFiles() throws {
        // Two exports with different pass-through columns (one name to escape), ranked so
        // that their records alternate, and one enterprise in both (merged: both files'
        // columns).
        let a = try LeadFixtures.temporaryFile(
            "a.csv", "企业名称,经营范围,注册资本,法定代表人,电话\n甲电解液有限公司,电解液,1亿元,张三,010-1\n丙电解液有限公司,电解液,100万元,李四,010-2\n戊电解液有限公司,电解液,10亿元,周七,010-5\n")
        let b = try LeadFixtures.temporaryFile(
            "b.csv", "企业名称,经营范围,注册资本,\"引\"\"号\",成立日期\n乙电解液有限公司,电解液,5000万元,x,2015-01-01\n丁电解液有限公司,电解液,10万元,\"y\\\",2016-02-02\n戊电解液有限公司,电解液,10亿元,z,2017-03-03\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [a, b])
        #expect(screening.recommendations.map(\.lead.name) == ["戊电解液有限公司", "甲电解液有限公司", "乙电解液有限公司", "丙电解液有限公司", "丁电解液有限公司"])
        let list = try #require(JSONSerialization.jsonObject(with: Data(LeadReport.json(screening).utf8)) as? [[String: Any]])
        #expect(list.count == screening.recommendations.count)
        for (record, recommendation) in zip(list, screening.recommendations) {
            let extra = try #require(record["extra"] as? [String: String])
            let want = Dictionary(uniqueKeysWithValues: recommendation.lead.extra.map { ($0.name, $0.value) })
            #expect(extra == want, "\(recommendation.lead.name)")
        }
        #expect(list.map { ($0["extra"] as? [String: String])?["电话"] } == ["010-5", "010-1", nil, "010-2", nil])
        #expect(list.map { ($0["extra"] as? [String: String])?["引\"号"] } == ["z", nil, "x", nil, "y\\"])
        // The keys in the columns' order, escaped.
        #expect(LeadReport.json(screening).contains("\"extra\": {\"法定代表人\": \"周七\", \"电话\": \"010-5\", \"引\\\"号\": \"z\", \"成立日期\": \"2017-03-03\"}"))
    }

    @Test("a column name spelt with other bytes for the same text keeps its own bytes in the JSON list")
    func extraKeysKeepTheirBytes() throws {
        // 备注é as one code point in one export, as e + U+0301 in the other: equal as Swift
        // strings, different bytes; records of the two alternate.
        let composed = "备注\u{E9}", decomposed = "备注e\u{301}"
        let a = try LeadFixtures.temporaryFile("nfc.csv", "企业名称,经营范围,注册资本,\(composed)\n甲电解液有限公司,电解液,1亿元,a1\n丙电解液有限公司,电解液,100万元,a2\n")
        let b = try LeadFixtures.temporaryFile("nfd.csv", "企业名称,经营范围,注册资本,\(decomposed)\n乙电解液有限公司,电解液,5000万元,b1\n丁电解液有限公司,电解液,10万元,b2\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [a, b])
        #expect(screening.recommendations.map(\.lead.name) == ["甲电解液有限公司", "乙电解液有限公司", "丙电解液有限公司", "丁电解液有限公司"])
        let json = Array(LeadReport.json(screening).utf8)
        func count(_ text: String) -> Int {
            let needle = Array(text.utf8)
            return json.indices.dropLast(max(0, needle.count - 1)).filter { json[$0..<($0 + needle.count)].elementsEqual(needle) }.count
        }
        #expect(count("\"\(composed)\": \"a") == 2)
        #expect(count("\"\(decomposed)\": \"b") == 2)
    }

    @Test("a registration cell says closed however it is quoted, a stray quote inside the word too")
    func closedRegistrationCells() throws {
        let rows = [
            "企业名称,经营范围,登记状态",
            "甲电解液有限公司,电解液,注销",
            "乙电解液有限公司,电解液,\"吊销\"",
            "丙电解液有限公司,电解液,\"吊\"销",
            "丁电解液有限公司,电解液,\"已注\"销（2020）",
            "戊电解液有限公司,电解液,存续",
            "己电解液有限公司,电解液,\"存续\"",
        ]
        let file = try LeadFixtures.temporaryFile("closed.csv", rows.joined(separator: "\n") + "\n")
        let screening = try LeadScreener(analysis: GapAnalysis(try LeadFixtures.chain())).screen([.file(file)]).screenings[0]
        #expect(screening.names.sorted() == ["己电解液有限公司", "戊电解液有限公司"])
        #expect(screening.totals.closed == 4)
    }
}
