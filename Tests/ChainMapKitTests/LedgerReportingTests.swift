@testable import ChainMapKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 17, the rest: YAML ledgers with as-of and targets, a chain's targets, the
/// quarters, the chart, the roadmap on the calendar and the region's sums.
@Suite("Project ledger: YAML, quarters, chart, roadmap, region")
struct LedgerReportingTests {
    static func directory() throws -> URL {
        let directory = try TestScratch.directory("ledger")
        return directory
    }

    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }

    @Test("a YAML ledger: projects with the table's headers, as-of and a targets block")
    func yamlLedger() throws {
        let path = try Self.write("""
            as-of: 2026-06-30
            year: 2026
            targets:
              签约项目: 10
              履约率: 90%
            projects:
              - 项目名称: 甲电池项目
                投资方: 甲公司
                产业链: nev-battery
                环节: 电芯
                协议投资额（万元）: 250000
                签约日期: 2026-01-10
                开工日期: 2026-03-20
                状态: 开工
              - name: 乙正极项目
                link: cathode
                agreed: 6
                signed: 2026/2/15
                owner: 高新区

            """, "台账.yaml", in: try Self.directory())
        let ledger = ProjectLedgerLoader(chains: ProjectLedgerTests.chains).load(path: path)
        #expect(ledger.diagnostics.isEmpty, "\(ledger.diagnostics)")
        #expect(ledger.asOf == Self.day("2026-06-30"))
        #expect(ledger.targets?.year == 2026)
        #expect(ledger.targets?.values == [.signed: 10, .fulfilmentRate: 0.9])
        #expect(ledger.projects.map(\.name) == ["甲电池项目", "乙正极项目"])
        #expect(ledger.projects[0].agreed == 25 && ledger.projects[0].link == "cell" && ledger.projects[0].status == .started)
        #expect(ledger.projects[0].location.line == 7)
        #expect(ledger.projects[1].chain == "nev-battery" && ledger.projects[1].signedOn == Self.day("2026-02-15"))
        #expect(ledger.projects[1].owner == "高新区")
    }

    @Test("a YAML ledger's problems are located: unknown and repeated keys, no name, a bad as-of, a bad target, a value's own problem")
    func yamlDiagnostics() throws {
        let path = try Self.write("""
            as-of: 2026-02-30
            targets: {签约项目: 许多}
            projects:
              - 项目名称: 甲
                投资放: 甲公司
                环节: 电芯
                link: 正极材料
              - 投资方: 乙公司
              - 丙
              - 项目名称: 丁
                签约日期: 2026-13-01

            """, "台账.yaml", in: try Self.directory())
        let ledger = ProjectLedgerLoader(chains: ProjectLedgerTests.chains).load(path: path)
        #expect(ledger.diagnostics.map(\.description) == [
            "\(path):1:8: error: 'as-of' '2026-02-30' is not a date such as 2026-09-30",
            "\(path):2:17: error: '签约项目' must be a whole number of projects, got '许多'",
            "\(path):5:5: error: unknown key '投资放' in a project; did you mean '投资方'?",
            "\(path):7:5: error: the project gives 环节 twice ('link')",
            "\(path):8:5: error: a project is missing 项目名称 (name)",
            "\(path):9:5: error: a project must be a mapping of 项目名称, 投资方, 产业链 … to values",
            "\(path):11:11: error: 签约日期 '2026-13-01' is not a date such as 2026-03-15",
        ])
        #expect(ledger.hasErrors)
    }

    @Test("a YAML ledger without projects: is an error at the top")
    func yamlWithoutProjects() throws {
        let path = try Self.write("as-of: 2026-06-30\n", "台账.yml", in: try Self.directory())
        let ledger = ProjectLedgerLoader(chains: ProjectLedgerTests.chains).load(path: path)
        #expect(ledger.diagnostics.map(\.description) == ["\(path):1:1: error: the ledger is missing the required key 'projects'"])
        #expect(ledger.failed)
    }

    @Test("quarters of the year by hand: signings and starts by their dates, the years before in one entry, the future marked")
    func quarters() {
        let quarters = QuarterFigures.year(2026, of: ProjectMeasuresTests.ledger, asOf: Self.day("2026-09-30"))
        #expect(quarters.map(\.label) == ["2025年及以前", "2026Q1", "2026Q2", "2026Q3", "2026Q4"])
        // P7 signed and started in 2025; P1, P2 signed in Q1 (P4 is 终止), P3 in Q2; P5 after as-of.
        #expect(quarters.map(\.signed) == [1, 2, 1, 0, 0])
        // P1 started 03-20 (Q1), P3 09-01 (Q3), P7 2025.
        #expect(quarters.map(\.started) == [1, 1, 0, 1, 0])
        #expect(quarters.map(\.agreedInvest) == [2, 31, 120, 0, 0])
        #expect(quarters.map(\.fundsInPlace) == [0.4, 11, 0, 0, 0])
        #expect(quarters.map(\.isFuture) == [false, false, false, false, true])
        // Without earlier projects there is no entry for the years before.
        let later = QuarterFigures.year(2026, of: Array(ProjectMeasuresTests.ledger.prefix(3)), asOf: Self.day("2026-09-30"))
        #expect(later.map(\.label) == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"])
    }

    @Test("the chart read back as XML: one bar per figure above zero, heights in proportion, unique ids, nothing in a future quarter")
    func chart() throws {
        let quarters = QuarterFigures.year(2026, of: ProjectMeasuresTests.ledger, asOf: Self.day("2026-09-30"))
        let graphviz = try Graphviz()
        let svg = try QuarterChart(quarters, asOf: Self.day("2026-09-30")).render(.svg, with: graphviz).bytes
        let document = try XMLDocument(data: Data(svg), options: [.nodeLoadExternalEntitiesNever])
        let ids = try document.nodes(forXPath: "//*[@id]").compactMap { ($0 as? XMLElement)?.svgAttribute("id") }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.hasPrefix("chart-") || $0.hasPrefix("a_chart-") || $0 == "quarter-chart" }, "\(ids)")
        func height(_ id: String) throws -> Double? {
            guard let group = try document.nodes(forXPath: "//*[@id='chart-\(id)']").first as? XMLElement else { return nil }
            let polygon = try #require(try group.nodes(forXPath: ".//*[local-name()='polygon']").first as? XMLElement)
            let ys = (polygon.svgAttribute("points") ?? "").split(separator: " ").compactMap { Double($0.split(separator: ",")[1]) }
            return (ys.max() ?? 0) - (ys.min() ?? 0)
        }
        // Q1: 2 signed, 1 started — the signed bar twice as tall.
        let signed = try #require(try height("q1-signed"))
        let started = try #require(try height("q1-started"))
        #expect(abs(signed / started - 2) < 0.02)
        // Q2 has no start: no bar, but its value "0" is written.
        #expect(try height("q2-started") == nil)
        #expect(try document.nodes(forXPath: "//*[@id='chart-q2-started-value']").first?.stringValue?.contains("0") == true)
        // Q4 is after as-of: no bars, no values.
        #expect(try document.nodes(forXPath: "//*[starts-with(@id,'chart-q4-')]").isEmpty)
        #expect(String(decoding: svg, as: UTF8.self).contains("2026Q4（未到）"))
        // Classes and tooltips say what a bar is.
        let bar = try #require(try document.nodes(forXPath: "//*[@id='chart-q2-agreed']").first as? XMLElement)
        #expect(bar.svgAttribute("class") == "node bar agreed")
        #expect(bar.xmlString.contains("2026Q2 协议投资额 120"))
    }

    @Test("the roadmap on the calendar: windows from as-of, quarters by the signings the targets still need, projects timed by their dates")
    func schedule() throws {
        var targets = ProjectTargets()
        targets.year = 2026
        targets.values = [.signed: 8]
        targets.quarters = [3: [.signed: 4], 4: [.signed: 6]]
        let ledger = ChainLedger(ProjectMeasuresTests.ledger, asOf: Self.day("2026-09-30"), targets: targets)
        let schedule = ReportRoadmap.Schedule(ledger)
        #expect(schedule.quarters.map { "\($0.year)Q\($0.quarter)" } == ["2026Q4", "2027Q1", "2027Q2", "2027Q3", "2027Q4"])
        // 3 signed in 2026 so far; the Q4 milestone is 6, Q3's 4: 2 more in Q4. 2027 has no targets.
        #expect(schedule.capacity == [2, nil, nil, nil, nil])
        #expect(schedule.windows == ["2026Q4—2027Q4", "2028—2029年", "2030年起"])

        // The battery chain's near-term gaps take Q4's two places first, then share 2027.
        let path = packageRoot().appendingPathComponent("chains/nev-battery.yaml").path
        var options = ChainPipeline.Options()
        options.asOf = Self.day("2026-09-30")
        let analysed = try #require(ChainPipeline(options: options).run([path], screening: false).chains.first)
        let chainLedger = try #require(analysed.ledger)
        let roadmap = ReportRoadmap(analysis: analysed.analysis, gapLeads: analysed.analysis.entries.map { GapLeads(entry: $0, leads: [], matched: 0) }, ledger: chainLedger)
        let near = roadmap.phases[0]
        #expect(near.window == "2026Q4—2027Q4")
        let timings = Dictionary(uniqueKeysWithValues: near.items.map { (analysed.chain[$0.entry.link].id, $0.timing ?? "") })
        // The chain's targets (chains/projects/targets-nev-battery-2026.yaml): Q4 14, Q3 11, and
        // 7 signed in 2026: 3 places in Q4 for the three open gaps, by priority.
        #expect(timings["lithium-ore"] == "推介「锂矿资源合作开发项目」，力争 2026Q4 签约")
        #expect(timings["nickel-cobalt"] == "在谈「镍钴冶炼项目」，力争 2026Q4 签约")
        #expect(timings["lipf6"] == "已签约，约定 2026-07-31 开工，已逾期")
        #expect(roadmap.phases[1].items.first?.timing == "已签约，约定 2026-06-30 开工，已逾期")
        // Without a ledger nothing is placed on the calendar.
        let plain = ReportRoadmap(analysis: analysed.analysis, gapLeads: [])
        #expect(plain.phases.allSatisfy { $0.window == nil })
    }

    @Test("a chain's targets: come from its file; two files are an error at the second")
    func chainTargets() throws {
        let directory = try Self.directory()
        _ = try Self.write("year: 2026\ntargets: {签约项目: 4}\n", "t.yaml", in: directory)
        _ = try Self.write("year: 2026\ntargets: {签约项目: 5}\n", "u.yaml", in: directory)
        let good = try Self.write("chain: 测试\nid: t\nstages: [上游]\ntargets: t.yaml\nlinks:\n  - {id: a, name: 甲, stage: 上游}\n", "good.yaml", in: directory)
        let loaded = ChainLoader().load(path: good)
        #expect(loaded.diagnostics.isEmpty)
        #expect(loaded.chain?.targetFile?.written == "t.yaml")
        let bad = try Self.write("chain: 测试\nid: t\nstages: [上游]\ntargets: [t.yaml, u.yaml]\nlinks:\n  - {id: a, name: 甲, stage: 上游}\n", "bad.yaml", in: directory)
        #expect(ChainLoader().load(path: bad).diagnostics.map(\.description) == [
            "\(bad):4:19: error: 'targets' names one file (the chain's targets for the year), not 2",
        ])
        // The pipeline reads it: the chain's ledger measures against it.
        let chain = try #require(ChainPipeline().attachProjects([loaded.chain!]).chains.first)
        #expect(chain.projectTargets?.values == [.signed: 4])
    }

    @Test("the region counts each project once: a ledger named by two chains, and the same project in two ledgers")
    func region() throws {
        let directory = try Self.directory()
        let header = "项目名称,投资方,产业链,环节,协议投资额,签约日期\n"
        _ = try Self.write(header + "甲项目,甲公司,a,x,10,2026-01-10\n乙项目,乙公司,b,y,5,2026-02-10\n", "l1.csv", in: directory)
        _ = try Self.write(header + "甲项目,甲公司,a,x,10,2026-01-10\n丙项目,丙公司,b,y,1,2026-03-10\n", "l2.csv", in: directory)
        let a = try Self.write("chain: 甲链\nid: a\nstages: [上游]\nprojects: [l1.csv, l2.csv]\nlinks:\n  - {id: x, name: 甲, stage: 上游}\n", "a.yaml", in: directory)
        let b = try Self.write("chain: 乙链\nid: b\nstages: [上游]\nprojects: l1.csv\nlinks:\n  - {id: y, name: 乙, stage: 上游}\n", "b.yaml", in: directory)
        var options = ChainPipeline.Options()
        options.asOf = Self.day("2026-06-30")
        let run = ChainPipeline(options: options).run([a, b], screening: false)
        #expect(!run.hasErrors, "\(run.diagnostics)")
        // Chain a finds 甲 in both its ledgers and counts it once; b reads l1 only, so not 丙.
        #expect(run.chains[0].ledger?.analysis.projects.map(\.name) == ["甲项目"])
        #expect(run.chains[1].ledger?.analysis.projects.map(\.name) == ["乙项目"])
        let region = try #require(run.projects.ledger(across: run.chains))
        #expect(region.analysis.projects.map(\.name) == ["甲项目", "乙项目", "丙项目"])
        #expect(region.analysis.overall.agreedInvest == 16)
        #expect(region.asOf == Self.day("2026-06-30"))
        let system = IndustrySystem(run.chains, ledger: region)
        let report = try #require(ReportLedger(system: system))
        #expect(report.measuresTable.rows.map { $0[0] } == ["合计", "产业链：甲链", "产业链：乙链", "责任单位：未注明"])
        #expect(report.overview.hasPrefix("截至 2026-06-30，项目台账中各产业链共有项目 3 个（同一项目只计一次），其中已签约 3 个"))
    }

    @Test("a project a ledger lists for one chain and another ledger for another stays in each chain; across ledgers the listing furthest along counts")
    func projectInTwoChains() throws {
        let directory = try Self.directory()
        let header = "项目名称,投资方,产业链,环节,协议投资额,签约日期,开工日期,状态\n"
        _ = try Self.write(header + "甲项目,甲公司,a,x,10,2025-01-10,,签约\n", "2025.csv", in: directory)
        _ = try Self.write(header + "甲项目,甲公司,b,y,10,2025-01-10,2025-09-01,开工\n", "2026.csv", in: directory)
        let a = try Self.write("chain: 甲链\nid: a\nstages: [上游]\nprojects: [2025.csv, 2026.csv]\nlinks:\n  - {id: x, name: 甲, stage: 上游}\n", "a.yaml", in: directory)
        let b = try Self.write("chain: 乙链\nid: b\nstages: [上游]\nprojects: [2025.csv, 2026.csv]\nlinks:\n  - {id: y, name: 乙, stage: 上游}\n", "b.yaml", in: directory)
        var options = ChainPipeline.Options()
        options.asOf = Self.day("2026-06-30")
        let run = ChainPipeline(options: options).run([a, b], screening: false)
        #expect(!run.hasErrors, "\(run.diagnostics)")
        #expect(run.chains[0].ledger?.analysis.projects.map(\.status) == [.signed])
        #expect(run.chains[1].ledger?.analysis.projects.map(\.status) == [.started])
        let region = try #require(run.projects.ledger(across: run.chains))
        #expect(region.analysis.projects.map(\.status) == [.started])
    }

    @Test("hostile ledger text is escaped in the report's section 8: HTML, Markdown, workbook")
    func hostile() throws {
        let directory = try Self.directory()
        let name = "<script>alert(1)</script>|**项目**一期"
        _ = try Self.write("""
            项目名称,投资方,产业链,环节,协议投资额,签约日期,约定开工日期,责任单位
            "\(name)",<img src=x onerror=alert(1)>,t,a,10,2026-01-10,2026-02-01,"[督办](javascript:alert(1))"

            """, "l.csv", in: directory)
        let chainFile = try Self.write("chain: 测试\nid: t\nstages: [上游, 下游]\nprojects: l.csv\nlinks:\n  - {id: a, name: 甲, stage: 上游, supplies: [b]}\n  - {id: b, name: 乙, stage: 下游}\nenterprises:\n  - {name: 乙厂, links: [b], role: 龙头}\n", "t.yaml", in: directory)
        var options = ChainPipeline.Options()
        options.asOf = Self.day("2026-09-30")
        let analysed = try #require(ChainPipeline(options: options).run([chainFile], screening: false).chains.first)
        let report = ChainReport(analysed, map: nil, chart: nil)
        let ledger = try #require(report.ledger)
        #expect(ledger.alertsTable.rows.first?[0] == name)
        let html = HtmlReport.page(report)
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let markdown = MarkdownReport.document(report, mapImage: nil)
        #expect(!markdown.contains("<script>") && !markdown.contains("督办](javascript:"))
        #expect(markdown.contains("\\[督办\\](javascript:alert(1))"))
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>\\|\\*\\*项目\\*\\*一期"))
        // The workbook holds the text as it is (a cell is text, not markup).
        let sheets = ReportTables.workbook(report)
        #expect(sheets.contains { $0.name == "问题台账" })
    }
}

