import ChainMapKit
import Foundation
import Testing

@Suite("Gap report outputs")
struct GapReportTests {
    static func analyses() throws -> [GapAnalysis] {
        let first = try gapTestChain(GapPriorityTests.workedExample)
        let second = try gapTestChain("""
            chain: 生物医药
            id: bio
            links:
              - {id: api, name: 原料药, stage: 上游, supplies: [drug], weight: 4}
              - {id: drug, name: 制剂|成药, stage: 中游, supplies: [cro]}
              - {id: cro, name: CRO/CDMO, stage: 下游}
            enterprises:
              - {name: 某制药, links: [drug], role: 链主, revenue: 80}
            """)
        return [GapAnalysis(first), GapAnalysis(second)]
    }

    @Test("JSON: an array across chains, highest priority first, with the contract's fields")
    func json() throws {
        let analyses = try Self.analyses()
        let text = GapReport.json(analyses)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed.count == analyses.reduce(0) { $0 + $1.entries.count })
        let kinds: Set<String> = ["fill", "extend", "distant", "strengthen"]
        for object in parsed {
            #expect(object["id"] is String)
            #expect(object["name"] is String)
            #expect(object["stage"] is String)
            #expect(kinds.contains(object["kind"] as? String ?? ""))
            #expect(object["priority"] is NSNumber)
            let reasons = try #require(object["reasons"] as? [String])
            #expect(!reasons.isEmpty)
            #expect(object["chain"] is String)
            #expect(object.keys.contains("distance"))
        }
        let priorities = parsed.compactMap { ($0["priority"] as? NSNumber)?.doubleValue }
        #expect(priorities == priorities.sorted(by: >))
        #expect(Set(parsed.compactMap { $0["chain"] as? String }) == ["example", "bio"])
        // The contract's keys come first, and slashes are not escaped.
        #expect(text.contains("\"CRO/CDMO\""))
        #expect(text.hasPrefix("[\n  {\n    \"id\": "))
        #expect(text.range(of: "\"reasons\"")!.lowerBound < text.range(of: "\"chain\"")!.lowerBound)
        #expect(GapReport.json(analyses) == text)
        #expect(GapReport.json([]) == "[\n\n]\n" || GapReport.json([]) == "[]\n")
    }

    @Test("records carry the entry's facts")
    func records() throws {
        let analyses = try Self.analyses()
        let records = GapReport.records(analyses)
        // 原料药 directly feeds the 链主 of its chain and ranks first across both chains.
        #expect(records.first?.id == "api")
        let first = try #require(records.first { $0.id == "cathode" })
        #expect(first.id == "cathode")
        #expect(first.name == "正极材料")
        #expect(first.stage == "上游")
        #expect(first.kind == .fill)
        #expect(first.label == "补链")
        #expect(first.priority == 58.6)
        #expect(first.weight == 4)
        #expect(first.distance == 1)
        #expect(first.enterprises == 0)
        #expect(first.chainName == "示例动力电池")
    }

    @Test("CSV starts with the BOM and has one row per entry")
    func csv() throws {
        let analyses = try Self.analyses()
        let csv = GapReport.csv(analyses)
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 + analyses.reduce(0) { $0 + $1.entries.count })
        #expect(lines[0].hasSuffix("序号,产业链,环节ID,环节,阶段,类型,优先级,距离,战略权重,本地企业数,理由,备注"))
        #expect(lines[1].hasPrefix("1,生物医药,api,原料药,上游,补链,"))
        #expect(lines[2].hasPrefix("2,示例动力电池,cathode,正极材料,上游,补链,58.6,1,4,0,"))
    }

    @Test("Markdown: overview for several chains, a section per chain, pipes escaped")
    func markdown() throws {
        let analyses = try Self.analyses()
        let markdown = GapReport.markdown(IndustrySystem(analyses.map { AnalysedChain(analysis: $0) }))
        #expect(markdown.hasPrefix("## 产业体系总览\n"))
        #expect(markdown.contains("## 示例动力电池（示例市）：缺失与薄弱环节"))
        #expect(markdown.contains("## 生物医药：缺失与薄弱环节"))
        #expect(markdown.contains("制剂\\|成药"))
        #expect(!GapReport.markdown(IndustrySystem([AnalysedChain(analysis: analyses[0])])).contains("产业体系总览"))
    }

    @Test("overview: one row per chain with coverage, completeness and the top entry")
    func overview() throws {
        let table = ReportIndex.table(IndustrySystem(try Self.analyses().map { AnalysedChain(analysis: $0) }))
        #expect(table.headers == ["产业链", "地区", "环节", "有企业环节", "覆盖率", "完整度", "补链", "强链", "延链", "远期", "本地企业", "首要任务"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0] == ["示例动力电池", "示例市", "5", "3", "60.0%", "44.7", "1", "2", "1", "0", "3", "补链「正极材料」"])
        #expect(GapReport.summaryLine(try Self.analyses()[0].summary)
            == "覆盖率 60.0%（3/5 个环节已有本地企业）；完整度 44.7；补链 1、强链 2、延链 1、远期 0；本地企业 3 家，其中链主/龙头 1 家")
    }

    @Test("terminal text: plain without colour, kinds coloured with it")
    func text() throws {
        let analyses = try Self.analyses()
        let system = IndustrySystem(analyses.map { AnalysedChain(analysis: $0) })
        let plain = GapReport.text(system, colour: false)
        #expect(!plain.contains("\u{1B}"))
        #expect(plain.hasPrefix("产业体系总览"))
        #expect(plain.contains("覆盖率 60.0%"))
        let coloured = GapReport.text(system, colour: true)
        #expect(coloured.contains(TextStyle.red.and(.bold).apply(to: "补链")))
        #expect(TextTableTests.plain(coloured) == plain)
    }

    @Test("a chain with nothing to do says so")
    func nothingToDo() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 完整
            links:
              - {id: a, name: 甲, stage: 上游}
            enterprises:
              - {name: 甲集团, links: [a], role: 链主}
            """))
        #expect(analysis.entries.isEmpty)
        #expect(GapReport.text(IndustrySystem([AnalysedChain(analysis: analysis)]), colour: false).contains("所有环节均已覆盖，且无薄弱环节。"))
        #expect(GapReport.json([analysis]).contains("[") )
        #expect(analysis.summary.completeness == 100)
    }
}
