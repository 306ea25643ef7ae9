import Foundation
import Testing
@testable import ChainMapKit

/// Issue 13: what a new user tripped over writing 江津 摩托车 from the README and
/// running it on exports shaped like 企查查 (UTF-8 with BOM, a title line and a footer)
/// and 天眼查 (GBK). Each test is one numbered item; the fixtures are in
/// Fixtures/jiangjin.
@Suite("Issue 13: an analyst's first chain")
struct AnalystDraftTests {
    static func chain() throws -> Chain {
        let result = try loadFixture("jiangjin/motorcycle.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.flatMap(\.lines))")
        return try #require(result.chain)
    }

    static func path(_ name: String) throws -> String {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("jiangjin").appendingPathComponent(name).path
    }

    /// Screens the fixture exports, keeping the excluded leads (--explain-excluded).
    static func screen(_ scoring: LeadScoring = LeadScoring(), files: [String] = ["qcc.csv", "tyc-gbk.tsv"]) throws -> LeadScreening {
        var screener = try LeadScreener(analysis: GapAnalysis(chain()), scoring: scoring, reading: ReadingOptions())
        screener.keepExcluded = true
        return screener.screen(try files.map { .file(try path($0)) }).screenings[0]
    }

    // MARK: 1. Chinese commas in flow lists

    @Test("1. every list field splits on ， 、 and ；")
    func chineseCommasSplitLists() throws {
        let chain = try Self.chain()
        #expect(chain.stages.map(\.name) == ["上游", "中游", "下游"])
        func link(_ id: String) throws -> Link { try #require(chain.links.first { $0.id == id }) }
        #expect(try link("crank").keywords == ["摩托车曲轴", "连杆", "缸体"])
        #expect(try link("frame").keywords == ["摩托车车架", "车架焊接"])
        #expect(try link("steel").supplies.map { chain[$0].id } == ["frame", "crank"])
        #expect(chain.enterprises[0].tags == ["上市公司", "专精特新"])
    }

    @Test("1. an item after a Chinese comma is located at its own column")
    func itemsAfterAChineseCommaAreLocated() {
        let result = loadYAML("""
            chain: 摩托车
            links:
              - id: steel
                name: 钢材
                stage: 上游
                supplies: [frame，crnk；whole]
              - id: frame
                name: 车架
                stage: 中游
            """)
        #expect(result.diagnostics.flatMap(\.lines) == [
            "t.yaml:6:22: error: 'supplies' names 'crnk', which is not a link id of this file",
            "t.yaml:6:27: error: 'supplies' names 'whole', which is not a link id of this file",
        ])
    }

    // MARK: 2. check goes on after a tab

    @Test("2. a tab is reported and every other error of the draft too")
    func tabDoesNotStopTheCheck() throws {
        let result = try loadFixture("jiangjin/draft.yaml")
        #expect(result.chain == nil)
        #expect(result.diagnostics.flatMap(\.lines) == [
            "jiangjin/draft.yaml:6:1: error: tab character in indentation; YAML indents with spaces only",
            "jiangjin/draft.yaml:7:12: error: stage '上流' is not one of the stages (上游, 中游, 下游); did you mean '上游'?",
            "jiangjin/draft.yaml:12:13: error: 'weight' must be a whole number from 1 to 5, got '9'",
            "jiangjin/draft.yaml:16:5: error: unknown key 'keywrods' in link; did you mean 'keywords'?",
            "jiangjin/draft.yaml:19:13: error: 'links' names 'steal', which is not a link id of this file; did you mean 'steel'?",
            "jiangjin/draft.yaml:20:11: error: 'role' must be one of 链主, 龙头, 配套, got '龙头老大'",
            "jiangjin/draft.yaml:21:14: error: 'revenue' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '八十五亿'",
            "jiangjin/draft.yaml:22:5: error: unknown key '签约日期' in enterprise; known keys are name, links, role, revenue, tags, notes; to keep a field of your own, name it 'x-签约日期' (or write it in 'notes')",
        ])
    }

    // MARK: 3. Role synonyms

    @Test("3. 链主企业, 龙头企业, 配套企业 and their Traditional forms are roles")
    func roleSynonyms() throws {
        let chain = try Self.chain()
        #expect(chain.enterprises.map(\.role) == [.leader, .champion, .supporter])
        for (text, role) in [("链主企业", Enterprise.Role.leader), ("鏈主企業", .leader), ("龙头企业", .champion),
                             ("龍頭", .champion), ("配套企业", .supporter), ("配套企業", .supporter)] {
            let result = loadYAML("""
                chain: c
                links:
                  - id: a
                    name: A
                    stage: 上游
                enterprises:
                  - name: 甲
                    links: [a]
                    role: \(text)
                """)
            #expect(result.chain?.enterprises.first?.role == role, "\(text): \(result.diagnostics.flatMap(\.lines))")
        }
    }

    // MARK: 4. Units

    @Test("4. revenue takes the units lead files take")
    func revenueUnits() throws {
        let chain = try Self.chain()
        #expect(chain.enterprises.map(\.revenue) == [85, 12, 0.85])
        // The same reader as the lead files' capital column.
        #expect(try LeadValues.amount("5000万元人民币", bareUnit: 0.0001)?.yi == 0.5)
        #expect(try LeadValues.amount("85亿", bareUnit: 1)?.yi == 85)
        let lines = loadYAML("""
            chain: c
            links:
              - id: a
                name: A
                stage: 上游
            enterprises:
              - name: 甲
                links: [a]
                revenue: -3亿
            """).diagnostics.flatMap(\.lines)
        #expect(lines == ["t.yaml:9:14: error: 'revenue' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '-3亿'"])
    }

    // MARK: 5. Notes and x- fields

    @Test("5. notes / 备注 and x- keys are kept; a misspelt key is still an error")
    func notesAndExtensionKeys() throws {
        let chain = try Self.chain()
        func link(_ id: String) throws -> Link { try #require(chain.links.first { $0.id == id }) }
        #expect(try link("ecu").notes == "国四排放必需")
        #expect(try link("whole").extra == [ExtraField(name: "x-定位", value: "大排量休闲摩托车")])
        #expect(chain.enterprises[2].notes == "2024 年走访")
        let misspelt = loadYAML("""
            chain: c
            links:
              - id: a
                name: A
                stage: 上游
                ntoes: 草稿
                x-对标地区: 台州
            """).diagnostics.flatMap(\.lines)
        #expect(misspelt == ["t.yaml:6:5: error: unknown key 'ntoes' in link; did you mean 'notes'?"])
        // Passed through to gaps --json and --csv.
        let analysis = GapAnalysis(chain)
        let json = GapReport.json([analysis])
        #expect(json.contains("\"notes\": \"国四排放必需\""))
        let csv = GapReport.csv([analysis])
        #expect(csv.split(whereSeparator: \.isNewline).first?.hasSuffix(",理由,备注") == true)
        #expect(csv.contains(",国四排放必需"))
    }

    @Test("5. a lead's x- column goes through to the CSV and JSON of leads")
    func leadExtensionColumns() throws {
        let file = try LeadFixtures.temporaryFile("x.csv", "企业名称,经营范围,x-对接人,备注\n某曲轴公司,摩托车曲轴,张三,已电话联系\n")
        let screening = try LeadFixtures.screen(try Self.chain(), files: [file])
        let lead = try #require(screening.recommendation("某曲轴公司")?.lead)
        #expect(lead.extra == [ExtraField(name: "x-对接人", value: "张三")])
        #expect(lead.notes == "已电话联系")
        let csv = LeadReport.csv(screening)
        #expect(csv.split(whereSeparator: \.isNewline).first?.hasSuffix(",来源,x-对接人") == true)
        #expect(LeadReport.json(screening).contains("\"extra\": {\"x-对接人\": \"张三\"}"))
    }

    // MARK: 6. did-you-mean only for slips

    @Test("6. a name that merely shares letters gets no suggestion")
    func noMisleadingSuggestion() {
        #expect(Suggestion.closest(to: "wheel", in: ["steel", "frame", "crank", "ecu", "engine", "whole", "e2w"]) == nil)
        #expect(Suggestion.closest(to: "steal", in: ["steel", "frame"]) == "steel")
        #expect(Suggestion.closest(to: "ecu", in: ["cell", "ecus"]) == "ecus")
        let lines = loadYAML("""
            chain: c
            links:
              - id: steel
                name: 钢材
                stage: 上游
                supplies: [wheel]
            """).diagnostics.flatMap(\.lines)
        #expect(lines == ["t.yaml:6:16: error: 'supplies' names 'wheel', which is not a link id of this file"])
    }

    // MARK: 7. Footers and title lines

    @Test("7. a title line and a footer are skipped once, not counted")
    func footersAreNotData() throws {
        let screening = try Self.screen(files: ["qcc.csv"])
        let source = try #require(screening.sources.first)
        #expect(source.counts.rows == 9)
        #expect(source.counts.footers == 2)
        #expect(screening.diagnostics.flatMap(\.lines).map { $0.replacingOccurrences(of: try! Self.path("x").dropLast(1), with: "") } == [
            "qcc.csv:2:1: warning: the header row is line 2; the 1 line(s) above it are not data and were skipped",
            "qcc.csv:12:1: warning: '共 9 条' is a footer of the export, not data; it was skipped (2 rows like this; the first is here)",
        ])
        #expect(LeadReport.summary(screening).contains("读取 9 行"))
        #expect(LeadReport.summary(screening).contains("跳过页脚 2 行"))
    }

    // MARK: 8. One tier table with synonyms

    @Test("8. every synonym of a listed, state-owned, foreign or 500强 company is its tier")
    func tierSynonyms() {
        let table = TierTable.standard
        func tier(_ tag: String) -> String? { table.tier(of: tag).map { table.tiers[$0].name } }
        for tag in ["A股", "港股", "美股", "B股", "主板", "创业板", "科创板", "北交所", "新三板", "上市", "主板上市"] {
            #expect(tier(tag) == "上市公司", "\(tag)")
        }
        for tag in ["国有企业", "国企", "地方国企"] { #expect(tier(tag) == "国企", "\(tag)") }
        for tag in ["央企", "央企子公司", "中央企业"] { #expect(tier(tag) == "央企", "\(tag)") }
        for tag in ["外资", "外商独资", "中外合资", "跨国公司", "台资企业"] { #expect(tier(tag) == "外资企业", "\(tag)") }
        #expect(tier("三类500强") == "中国500强")
        #expect(tier("世界500强") == "世界500强")
        #expect(tier("民营企业500强") == "民营500强")
        #expect(tier("小微企业") == nil)
    }

    @Test("8. lead scoring and the strength rule read the same table")
    func tiersScoreAndStrengthen() throws {
        let screening = try Self.screen()
        func tierPoints(_ name: String) throws -> Double { try #require(screening.recommendation(name)).points.tiers }
        #expect(try tierPoints("浙江某曲轴有限公司") == 8)  // A股
        #expect(try tierPoints("联合汽车电子有限公司") == 6)  // 外商独资
        #expect(try tierPoints("深圳某电控有限公司") == 8)  // 新三板
        #expect(try tierPoints("雅迪科技集团有限公司") == 12)  // 三类500强
        #expect(try tierPoints("宗申动力股份有限公司") == 8)  // 主板上市
        // Two enterprises, one of them "A股": a strong link under min-enterprises 2.
        let chain = try LeadFixtures.chain("""
            chain: c
            analysis:
              min-enterprises: 2
            links:
              - id: a
                name: A
                stage: 上游
            enterprises:
              - name: 甲
                links: [a]
                tags: [A股]
              - name: 乙
                links: [a]
            """)
        #expect(GapAnalysis(chain).entries.isEmpty)
    }

    // MARK: 9. Latin keywords at word boundaries

    @Test("9. ECU does not match inside Security; it matches beside CJK text")
    func latinKeywordsAtWordBoundaries() throws {
        let screening = try Self.screen(files: ["qcc.csv"])
        #expect(screening.recommendation("深信服科技股份有限公司") == nil)
        #expect(screening.recommendation("联合汽车电子有限公司")?.evidenceText(for: try #require(screening.analysis.chain.links.first { $0.id == "ecu" }?.ref))
            == "经营范围含「电喷系统」「ECU」")
    }

    // MARK: 10. The per-link view shows what it sorts by

    @Test("10. the per-gap table shows 本环节得分 and is sorted by it")
    func perLinkOrderIsShown() throws {
        // 甲 matches two gaps and carries a tier, so it ranks first overall; on 电喷系统
        // alone 乙 fits better and comes first there.
        let file = try LeadFixtures.temporaryFile("p.csv", """
            企业名称,经营范围,标签
            甲电子有限公司,电控燃油喷射；摩托车曲轴,上市公司
            乙电喷有限公司,电喷系统、ECU、电控燃油喷射,

            """)
        let screening = try LeadFixtures.screen(try Self.chain(), files: [file])
        #expect(screening.names == ["甲电子有限公司", "乙电喷有限公司"])
        let table = LeadReport.perGapTable(screening, limit: 5)
        let column = try #require(table.headers.firstIndex(of: "本环节得分"))
        let ecu = table.rows.drop { $0[0] != "电喷系统(ECU)" }.prefix { $0[0] == "电喷系统(ECU)" || $0[0].isEmpty }
        #expect(ecu.map { $0[3] } == ["乙电喷有限公司", "甲电子有限公司"])
        let shown = ecu.map { Double($0[column])! }
        #expect(shown == shown.sorted(by: >))
        #expect(LeadReport.text(screening, limit: nil, perGap: 5, colour: false).contains(ReportText.perLinkScoreRule))
    }

    // MARK: 11. Nothing dropped without a word

    @Test("11. every excluded enterprise is named with its reason")
    func excludedAreNamed() throws {
        let screening = try Self.screen(files: ["qcc.csv"])
        #expect(screening.excluded.map { "\($0.name)：\($0.reason.words)" } == [
            "某已注销车架厂：登记状态为注销、吊销等，已不经营",
            "江津车架厂：已是本地企业（江津车架厂）",
            "某整车有限公司：仅匹配已覆盖环节（整车）；--include-covered 可列入",
        ])
        let csv = LeadReport.csv(screening)
        #expect(csv.contains("\n未列入,某整车有限公司,"))
    }

    @Test("11. --include-covered lists candidates for covered links as 招大引强")
    func includeCovered() throws {
        var scoring = LeadScoring()
        scoring.includeCovered = true
        let screening = try Self.screen(scoring, files: ["qcc.csv"])
        let lead = try #require(screening.recommendation("某整车有限公司"))
        #expect(screening.linkIDs("某整车有限公司") == ["whole"])
        #expect(lead.reasons.first?.contains("招大引强") == true)
        #expect(!screening.excluded.contains { $0.name == "某整车有限公司" })
    }

    @Test("11. --exclude-province and --outside-only keep firms of a province out")
    func excludeProvince() throws {
        var scoring = LeadScoring()
        scoring.excludedProvinces = ["广东"]
        let noGuangdong = try Self.screen(scoring)
        #expect(noGuangdong.recommendation("深圳某电控有限公司") == nil)
        #expect(noGuangdong.excluded.contains { $0.name == "深圳某电控有限公司" && $0.reason == .province("广东") })
        var outside = LeadScoring()
        outside.outsideOnly = true
        let screening = try Self.screen(outside)
        // The chain is 重庆市江津区: 重庆 firms are out, the 天眼查 one by its city column.
        #expect(screening.recommendation("重庆某车架有限公司") == nil)
        #expect(screening.recommendation("宗申动力股份有限公司") == nil)
        #expect(screening.names.contains("浙江某曲轴有限公司"))
    }

    // MARK: 12. Cities

    @Test("12. --prefer takes a city and matches the export's city column")
    func preferCity() throws {
        guard case .city(let shenzhen) = Regions.place(named: "深圳") else { Issue.record("深圳 is not a city"); return }
        #expect(shenzhen.province == "广东")
        guard case .city(let suzhou) = Regions.place(named: "苏州市") else { Issue.record("苏州市 is not a city"); return }
        #expect(suzhou.province == "江苏")
        #expect(Regions.province(ofCity: "重庆市") == "重庆")
        #expect(Regions.province(ofCity: "台州市") == "浙江")
        var scoring = LeadScoring()
        scoring.preferredRegions = ["深圳"]
        let screening = try Self.screen(scoring)
        #expect(screening.recommendation("深圳某电控有限公司")?.points.region == scoring.regionPoints)
        #expect(screening.recommendation("雅迪科技集团有限公司")?.points.region == 0)
        // A 天眼查 file has a city column and no province column.
        #expect(screening.recommendation("宗申动力股份有限公司")?.lead.province == "重庆")
    }

    // MARK: 13. Terminal width

    @Test("13. a table fits the width it is given, wrapping the reasons")
    func tablesFitTheTerminal() throws {
        let table = LeadReport.rankedTable(try Self.screen())
        let full = table.text()
        #expect(full.split(separator: "\n").map { TextTable.displayWidth(String($0)) }.max()! > 100)
        let narrow = table.text(width: 100)
        #expect(narrow.split(separator: "\n").allSatisfy { TextTable.displayWidth(String($0)) <= 100 })
        // Nothing is lost: the wrapped text is the same characters.
        func letters(_ text: String) -> String { text.filter { !$0.isWhitespace && $0 != "-" } }
        #expect(letters(narrow) == letters(full))
    }

    // MARK: 15. The roadmap from each item's own reasons

    @Test("15. each roadmap measure is written from its own facts; a loop edge is recycling")
    func roadmapMeasures() throws {
        let result = ChainLoader().load(path: packageRoot().appendingPathComponent("chains/nev-battery.yaml").path)
        let analysis = GapAnalysis(try #require(result.chain))
        let roadmap = ReportRoadmap(analysis: analysis, gapLeads: analysis.entries.map { GapLeads(entry: $0, leads: [], matched: 0) })
        var measures: [String: String] = [:]
        for item in roadmap.phases.flatMap(\.items) { measures[analysis.chain[item.entry.link].name] = item.measure }
        // No stock sentence: every measure differs.
        #expect(Set(measures.values).count == measures.count, "\(measures)")
        #expect(!measures.values.contains { $0.contains("引进龙头或上市企业") })
        // 前驱体 feeds 电芯 through 正极材料; the recycling loop does not make it feed 整车.
        let precursor = try #require(measures["前驱体(三元/磷酸铁)"])
        #expect(precursor.hasPrefix("向上游延伸，为电芯提供本地供给"))
        #expect(!precursor.contains("新能源整车"))
        // 电池回收 closes the loop: it is recycling, not the main flow.
        #expect(try #require(measures["电池回收(再生利用)"]).contains("补齐循环利用环节"))
    }

    // MARK: 16. Reasons in the industry's terms

    @Test("16. reasons name the downstream links and the local firms, not the model's figures")
    func reasonsInTheIndustrysTerms() throws {
        let analysis = GapAnalysis(try Self.chain())
        let crank = try #require(analysis.entries.first { analysis.chain[$0.link].id == "crank" })
        #expect(crank.reasons == [
            "直接配套本地龙头 江津发动机制造有限公司（发动机，营收12亿元）",
            "下游 发动机 已有本地企业 1 家，需求待满足",
            "经 发动机 间接配套下游 整车（本地企业 1 家，含链主 重庆津联摩托车有限公司）",
            "上游 钢材/铝材 亦缺失",
            "其产品沿产业链向下游延伸至 发动机、整车、电动两轮车",
        ])
        for entry in analysis.entries {
            for reason in entry.reasons {
                #expect(!reason.contains("可达") && !reason.contains("战略权重") && !reason.contains("%"), "\(reason)")
            }
        }
        // The numbers stay in JSON.
        #expect(GapReport.json([analysis]).contains("\"reach\": 0.5, \"pathShare\": 0.333"))
    }
}
