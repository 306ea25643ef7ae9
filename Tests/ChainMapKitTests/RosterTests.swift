@testable import ChainMapKit
import Foundation
import Testing

/// Issue 16: the region's roster (摸排名录) placed on the chain. The fixture
/// (Fixtures/roster) has firms that fit by code only (江津冷轧钢材), by keywords only
/// (重庆隆鑫车架), by both and on two links (江津曲轴发动机), by neither (江津餐饮), with a
/// Traditional scope (重慶電動機車), below the threshold (江津连杆加工厂), and one the chain
/// file already types with another role (江津车架厂).
@Suite("Roster placement (摸排)")
struct RosterTests {
    static func fixture(_ name: String) throws -> String {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("roster/" + name).path
    }

    static func run(_ roster: String = "roster.csv", configure: (inout ChainPipeline.Options) -> Void = { _ in }) throws -> PipelineRun {
        var options = ChainPipeline.Options()
        options.roster.files = [try fixture(roster)]
        options.roster.keepUnplaced = true
        configure(&options)
        return ChainPipeline(options: options).run([try fixture("chain.yaml")], screening: false)
    }

    /// The fixture chain placed with a roster of `csv`, and the roster's path.
    static func run(csv: String) throws -> (PipelineRun, String) {
        let roster = try TestScratch.directory("roster").appendingPathComponent("roster.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: roster))
        var options = ChainPipeline.Options()
        options.roster.files = [roster]
        return (ChainPipeline(options: options).run([try fixture("chain.yaml")], screening: false), roster)
    }

    static func placement(_ run: PipelineRun, _ name: String) throws -> RosterPlacement {
        try #require(run.chains[0].roster?.placements.first { $0.enterprise.name == name }, "\(name)")
    }

    static func links(_ run: PipelineRun, _ placement: RosterPlacement) -> [String] {
        placement.matches.map { run.chains[0].chain[$0.link].id }
    }

    @Test("each firm is placed by code, keywords or both, with its evidence and a confidence; a firm can sit on two links")
    func placements() throws {
        let run = try Self.run()
        let steel = try Self.placement(run, "江津冷轧钢材有限公司")
        #expect(Self.links(run, steel) == ["steel"])
        #expect(steel.matches[0].evidence.contains { if case .code = $0 { true } else { false } })
        #expect(steel.confidence >= 0.9)
        let frame = try Self.placement(run, "重庆隆鑫车架制造有限公司")
        #expect(Self.links(run, frame) == ["frame"])
        #expect(frame.matches[0].evidence.allSatisfy { if case .keyword = $0 { true } else { false } })
        let two = try Self.placement(run, "江津曲轴发动机有限公司")
        #expect(Set(Self.links(run, two)) == ["crank", "engine"])
        #expect(two.revenue == 12)
        #expect(RosterReport.evidence(two.matches[0]).hasPrefix("经营范围含「"))
        let roster = try #require(run.chains[0].roster)
        #expect(roster.unplaced == 1)
        #expect(roster.unplacedNames.map(\.name) == ["江津餐饮管理有限公司"])
        #expect(roster.rows == 9)
        // One short keyword alone is listed for review, and does not count.
        let weak = try Self.placement(run, "江津连杆加工厂")
        #expect(weak.confidence < RosterOptions.defaultThreshold)
        #expect(RosterReport.standing(weak, roster) == .review)
        #expect(!run.chains[0].chain.enterprises.contains { $0.name == "江津连杆加工厂" })
    }

    @Test("a Traditional-character scope and a GBK file place the same")
    func traditionalAndGBK() throws {
        let utf8 = try Self.run()
        let gbk = try Self.run("roster-gbk.csv")
        let traditional = try Self.placement(utf8, "重慶電動機車有限公司")
        #expect(Self.links(utf8, traditional) == ["e2w"])
        #expect(traditional.enterprise.capital == 0.3)  // 3000萬元
        func summary(_ run: PipelineRun) -> [String] {
            run.chains[0].roster!.placements.map { "\($0.enterprise.name) \(Self.links(run, $0)) \($0.confidence) \($0.proposedRole?.rawValue ?? "-")" }
        }
        #expect(summary(utf8) == summary(gbk))
        #expect(gbk.rosterSources[0].encoding == .gb18030)
    }

    @Test("a firm the chain file types with another role: a warning with both places, and the typed role and links stand")
    func typedFirmWins() throws {
        let run = try Self.run()
        let warning = try #require(run.diagnostics.first { $0.message.contains("江津车架厂") })
        #expect(warning.message == "the roster suggests '江津车架厂' as 龙头, but the chain file lists it as 配套; the chain file's role stands")
        #expect(warning.location?.file.hasSuffix("roster.csv") == true)
        #expect(warning.location?.line == 8)
        #expect(warning.notes.first?.location?.file.hasSuffix("chain.yaml") == true)
        #expect(warning.notes.first?.location?.line == 44)
        let chain = run.chains[0].chain
        let typed = chain.enterprises.filter { $0.name == "江津车架厂" }
        #expect(typed.count == 1)
        #expect(typed[0].role == .supporter && !typed[0].isFromRoster && typed[0].revenue == 0.2)
    }

    @Test("the merged picture: a gap filled only through the roster is covered; a link with only small untiered roster firms stays 强链")
    func mergedAnalysis() throws {
        let plain = ChainPipeline().run([try Self.fixture("chain.yaml")], screening: false).chains[0].analysis
        let steel = try #require(plain.chain.links.first { $0.id == "steel" }).ref
        let frame = try #require(plain.chain.links.first { $0.id == "frame" }).ref
        let e2w = try #require(plain.chain.links.first { $0.id == "e2w" }).ref
        #expect(plain.status(of: steel) == .fill)
        #expect(plain.status(of: frame) == .strengthen)
        #expect(plain.status(of: e2w) == .extend)
        let merged = try Self.run().chains[0].analysis
        #expect(merged.status(of: steel) == .covered)
        #expect(merged.chain.enterprises(on: steel).map(\.name) == ["江津冷轧钢材有限公司", "重庆摩托车用钢有限公司"])
        #expect(merged.status(of: frame) == .strengthen)
        #expect(merged.enterprises(on: frame).first?.name == "江津车架厂")  // the chain file's first
        #expect(merged.status(of: e2w) == .strengthen)
        #expect(merged.summary.enterpriseCount == 8)
    }

    @Test("roles are proposed, never decided: a proposed 龙头 counts only with --accept-roles")
    func proposedRoles() throws {
        let run = try Self.run()
        let engine = try Self.placement(run, "江津曲轴发动机有限公司")
        #expect(engine.proposedRole == .champion)
        let chain = run.chains[0].chain
        #expect(chain.enterprises.first { $0.name == "江津曲轴发动机有限公司" }?.role == .supporter)
        let crank = try #require(chain.links.first { $0.id == "crank" }).ref
        #expect(run.chains[0].analysis.status(of: crank) == .strengthen)
        let accepted = try Self.run { $0.roster.acceptRoles = true }
        #expect(accepted.chains[0].chain.enterprises.first { $0.name == "江津曲轴发动机有限公司" }?.role == .champion)
        #expect(accepted.chains[0].analysis.status(of: crank) == .covered)
        // No 链主 is proposed: the chain file has one.
        #expect(!run.chains[0].roster!.placements.contains { $0.proposedRole == .leader })
    }

    @Test("a 所属环节 word that names no link is warned of, as screening does, and the firm is placed by its other evidence")
    func unknownLinkWord() throws {
        let (run, roster) = try Self.run(csv: "企业名称,所属环节,经营范围\n甲车架有限公司,framex,摩托车车架生产\n乙公司,steel,\n")
        #expect(run.diagnostics.filter { $0.location?.file == roster }.map { $0.description.replacingOccurrences(of: roster, with: "R") } == [
            "R:2:9: warning: 所属环节 names 'framex', which is not a link id or name of the chain; did you mean 'frame'?",
        ])
        #expect(run.chains[0].roster?.placements.map(\.enterprise.name).sorted() == ["乙公司", "甲车架有限公司"])
    }

    @Test("a firm listed twice with two revenues: merged, the first row's stands, and the other is warned of")
    func repeatedRowRevenue() throws {
        let (run, roster) = try Self.run(csv: "企业名称,经营范围,营业收入\n甲车架有限公司,摩托车车架生产,3亿\n甲车架有限公司,摩托车车架生产,50亿\n")
        #expect(run.diagnostics.filter { $0.location?.file == roster }.flatMap(\.lines).map { $0.replacingOccurrences(of: roster, with: "R") } == [
            "R:3:1: warning: '甲车架有限公司' is listed again with revenue 50 亿元; the 3 亿元 of an earlier row stands",
            "R:2:1: note: '甲车架有限公司' is first listed here",
        ])
        #expect(run.chains[0].roster?.placements.map(\.revenue) == [3])
    }

    @Test("the threshold decides what counts")
    func threshold() throws {
        let strict = try Self.run { $0.roster.threshold = 0.9 }
        #expect(strict.chains[0].roster!.counted.map(\.enterprise.name) == ["江津冷轧钢材有限公司"])
        let loose = try Self.run { $0.roster.threshold = 0.4 }
        #expect(loose.chains[0].chain.enterprises.contains { $0.name == "江津连杆加工厂" })
    }

    @Test("roster: in the chain file is read relative to it; a missing file is a located error")
    func rosterKey() throws {
        let directory = try TestScratch.directory("chainmap-roster")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: try Self.fixture("roster.csv"), toPath: directory.appendingPathComponent("名录.csv").path)
        var yaml = try String(contentsOfFile: try Self.fixture("chain.yaml"), encoding: .utf8)
        yaml += "roster: [名录.csv]\n"
        let file = directory.appendingPathComponent("chain.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let run = ChainPipeline().run([file], screening: false)
        #expect(run.chains[0].roster?.counted.count == 6)
        try (yaml.replacingOccurrences(of: "roster: [名录.csv]", with: "roster: [没有.csv]")).write(toFile: file, atomically: true, encoding: .utf8)
        let missing = ChainLoader().load(path: file)
        #expect(missing.chain == nil)
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(missing.diagnostics.map(\.description) == [
            "\(file):\(lines):10: error: roster file '没有.csv' does not exist (looked for \(directory.path)/没有.csv)",
        ])
    }

    @Test("locate's JSON: an entry per roster enterprise with links (id, confidence, evidence) and proposed_role; unplaced ones with no links")
    func json() throws {
        let run = try Self.run()
        let text = RosterReport.json([(run.chains[0].chain, run.chains[0].roster!)])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(entries.count == 9)
        #expect(entries.map { $0["name"] as? String }.first == "江津冷轧钢材有限公司")
        let two = try #require(entries.first { $0["name"] as? String == "江津曲轴发动机有限公司" })
        let links = try #require(two["links"] as? [[String: Any]])
        #expect(links.map { $0["id"] as? String } == ["engine", "crank"])
        #expect((links[0]["confidence"] as? Double ?? 0) >= (links[1]["confidence"] as? Double ?? 1))
        #expect(links.allSatisfy { ($0["evidence"] as? String)?.isEmpty == false })
        #expect(two["proposed_role"] as? String == "龙头")
        let none = try #require(entries.first { $0["name"] as? String == "江津餐饮管理有限公司" })
        #expect((none["links"] as? [Any])?.isEmpty == true)
        #expect(none["proposed_role"] is NSNull)
    }

    @Test("the YAML block, pasted into the chain file, checks clean and gives the same coverage")
    func yamlPastedBack() throws {
        let run = try Self.run()
        let block = RosterReport.yaml(run.chains[0].chain, run.chains[0].roster!)
        var yaml = try String(contentsOfFile: try Self.fixture("chain.yaml"), encoding: .utf8)
        let entries = block.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("enterprises:") }.dropFirst()
        yaml += entries.joined(separator: "\n")
        let loaded = ChainLoader().load(bytes: Array(yaml.utf8), file: "pasted.yaml", defaultID: "pasted")
        let chain = try #require(loaded.chain, "\(loaded.diagnostics)\n\(yaml)")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let pasted = GapAnalysis(chain)
        let merged = run.chains[0].analysis
        #expect(pasted.statuses == merged.statuses.enumerated().map { i, status in
            // The pasted roles are the proposals, so a link with a proposed 龙头 is covered.
            chain.enterprises(on: LinkRef(i)).contains { $0.role.isAnchor } ? .covered : status
        })
        #expect(pasted.summary.coveredCount == merged.summary.coveredCount)
        // A second run shows nothing new: every counted firm is now in the chain file.
        var options = RosterOptions()
        options.files = [try Self.fixture("roster.csv")]
        let again = RosterPlacer(options: options).place([chain])
        #expect(again.rosters[0]!.counted.isEmpty)
        #expect(again.rosters[0]!.typed.count == 7)
    }

    @Test("Screening after the roster placement reuses its matchers for the chains whose links they match")
    func screeningReusesThePlacementsMatchers() throws {
        let chain = try #require(ChainLoader().load(path: try Self.fixture("chain.yaml")).chain)
        var options = RosterOptions()
        options.files = [try Self.fixture("roster.csv")]
        let run = RosterPlacer(options: options).place([chain, chain])
        #expect(run.matchers.count == 2)
        let merged = RosterPlacer.merged(chain, roster: run.rosters[0]!)
        #expect(merged.enterprises.count > chain.enterprises.count)
        // A chain with one more link is compiled again.
        let extended = Chain(
            name: merged.name, id: merged.id, region: merged.region, stages: merged.stages,
            links: merged.links + [Link(
                ref: LinkRef(chain.links.count), id: "extra", name: "附加环节", stage: 0, keywords: ["附加"],
                location: chain.links[0].location)],
            enterprises: merged.enterprises, leads: merged.leads, file: merged.file)
        let screener = try LeadScreener(analyses: [GapAnalysis(merged), GapAnalysis(extended)], matchers: run.matchers)
        #expect(screener.chains[0].matcher === run.matchers[0])
        #expect(screener.chains[1].matcher !== run.matchers[1])
        #expect(screener.chains[1].matcher.chain.links.count == chain.links.count + 1)
        // Without the placement's matchers (or with the wrong number), each is compiled.
        let alone = try LeadScreener(analyses: [GapAnalysis(merged)], matchers: run.matchers)
        #expect(alone.chains[0].matcher !== run.matchers[0])
    }

    @Test("YAML scalars round-trip: names with colons, quotes, leading dashes and numbers")
    func yamlScalars() throws {
        // Found by review: a trailing colon and U+2028 went out plain, and broke the chain
        // file the list is pasted into.
        let names = [
            "普通公司", "甲: 乙", "\"引号\"公司", "- 开头", "123", "true", "a #b", "[x]", "新\n行", "尾空格 ",
            "甲公司:", "乙 :", "戊:#", "辛\u{2028}壬", "庚\u{2029}", "己:\t乙", "丁公司\t# x", "\t前", "后\t",
        ]
        for name in names {
            let yaml = "v: \(YAMLText.scalar(name))\n"
            let node = try #require(try Yams.compose(yaml: yaml))
            #expect(node["v"]?.string == name, "\(name) → \(yaml)")
        }
        // Pasted under enterprises: as `locate --yaml` writes them, the chain loads with
        // each name as written.
        // (The loader trims a value's spaces, U+2029 among them, and a name is one line.)
        let pasted = names.filter { !$0.contains("\n") && $0.trimmingCharacters(in: .whitespacesAndNewlines) == $0 }
        let entries = pasted.map {
            "  - name: \(YAMLText.scalar($0))\n    links: [cell]\n"
        }
        let chainYAML = "chain: 测试链\nlinks:\n  - {id: cell, name: 电芯, stage: 上游}\nenterprises:\n" + entries.joined()
        let loaded = ChainLoader().load(bytes: Array(chainYAML.utf8), file: "c.yaml", defaultID: "c")
        #expect(loaded.diagnostics.filter { $0.severity == .error }.map(\.description) == [])
        #expect(loaded.chain?.enterprises.map(\.name) == pasted)
    }
}

import Yams

/// The sample roster shipped with the battery chain (chains/rosters/nev-battery-sample.csv):
/// what the example in output/ is built from.
@Suite("The shipped sample roster")
struct SampleRosterTests {
    @Test("the battery chain's sample roster: Traditional scopes placed, the typed firms recognised, four links left to fill and one weak")
    func sample() throws {
        var options = ChainPipeline.Options()
        options.roster.keepUnplaced = true
        let run = ChainPipeline(options: options).run([packageRoot().appendingPathComponent("chains/nev-battery.yaml").path], screening: false)
        #expect(!run.diagnostics.contains { $0.isError || $0.severity == .warning }, "\(run.diagnostics)")
        let chain = try #require(run.chains.first)
        let roster = try #require(chain.roster)
        #expect(roster.rows == 253)
        #expect(roster.placements.count == 174)
        #expect(roster.unplaced == 79)
        #expect(roster.typed.map(\.enterprise.name).sorted() == ["示例储能科技有限公司", "示例碳素负极材料有限公司"])
        // The Hong Kong- and Taiwan-invested firms register their scopes in Traditional characters.
        for name in ["东莞新能源科技有限公司", "宁德新能源科技有限公司", "中达电通股份有限公司"] {
            let placement = try #require(roster.placements.first { $0.enterprise.name == name }, "\(name)")
            #expect(placement.confidence >= roster.options.threshold, "\(name)")
        }
        // A link the region lacks stays a gap to fill; one held only by a small untiered
        // roster firm is weak.
        let kinds = Dictionary(uniqueKeysWithValues: chain.analysis.entries.map { (chain.chain[$0.link].id, $0.kind) })
        #expect(kinds == ["lithium-ore": .fill, "nickel-cobalt": .fill, "lipf6": .fill, "echelon": .fill, "separator": .strengthen])
    }
}

/// The fast paths taken for large rosters give what the general paths give.
@Suite("Fast paths")
struct FastPathTests {
    @Test("a city cell's province: exact names, then the remembered search, the same on the second asking")
    func provinceOfCity() {
        for _ in 0..<2 {
            #expect(Regions.province(ofCity: "深圳市") == "广东")
            #expect(Regions.province(ofCity: "深圳") == "广东")
            #expect(Regions.province(ofCity: "广东省深圳市南山区") == "广东")
            #expect(Regions.province(ofCity: "示例市") == nil)
        }
    }

    @Test("display width: the ASCII and CJK fast path and the general path agree on mixed text")
    func displayWidth() {
        #expect(TextTable.displayWidth("示例ABC（一）") == 13)
        #expect(TextTable.displayWidth("电池🔋") == 6)
        #expect(TextTable.displayWidth("锂e\u{301}") == 3)
        #expect(TextTable.displayWidth("电芯\t") == 4)
    }

    @Test("text that keeps its line breaks is still escaped elsewhere, and a table cell with a break is split")
    func escapes() {
        #expect(TerminalText.escape("一\n二\u{1B}[2J", keepingLineBreaks: true) == "一\n二\\u{1B}[2J")
        #expect(TerminalText.escape("一\n二 — 三", keepingLineBreaks: true) == "一\n二 — 三")
        let table = TextTable(headers: ["名称", "说明"], rows: [["甲", "一行\n两行"], ["乙\u{1B}[2J", "—"]])
        #expect(table.text() == "名称         说明\n-----------------\n甲           一行\n             两行\n乙\\u{1B}[2J  —\n")
    }
}
