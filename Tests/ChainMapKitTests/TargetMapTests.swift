@testable import ChainMapKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 19, the target map (招商目标分布图): the recommended leads per province and region
/// abroad, on a tile map, read back from the SVG.
@Suite("Target map")
struct TargetMapTests {
    static func analysed(prefer: [String] = []) throws -> AnalysedChain {
        var options = ChainPipeline.Options()
        options.scoring.preferredRegions = prefer
        let path = packageRoot().appendingPathComponent("chains/nev-battery.yaml").path
        return try #require(ChainPipeline(options: options).run([path], screening: true).chains.first)
    }

    @Test("a foreign lead lands in its region abroad, and --prefer 日韩 gives it region points")
    func abroad() throws {
        #expect(Regions.country(in: "韓國首爾") == "韩国")
        #expect(Regions.country(in: "Japan") == "日本")
        #expect(Regions.country(in: "Japanese") == nil)
        #expect(Regions.abroadRegion(ofCountry: "新加坡") == "东盟")
        let chain = try Self.analysed(prefer: ["日韩"])
        let asahi = try #require(chain.recommendations.first { $0.lead.name == "旭化成株式会社" })
        #expect(asahi.points.region == 6)
        #expect(asahi.reasons.contains("目标区域：位于日本（日韩），优先区域第 1 位 +6.0"))
        let distribution = TargetDistribution(chain.recommendations)
        #expect(distribution.abroad("日韩").map(\.lead.name) == ["旭化成株式会社"])
        #expect(distribution.regionRows.map(\.group).contains("境外·日韩"))
    }

    @Test("every tile shows its count; the counts are the leads table's; preferred regions are outlined")
    func tiles() throws {
        let chain = try Self.analysed(prefer: ["长三角", "日韩"])
        let leads = chain.recommendations
        let distribution = TargetDistribution(leads)
        let map = TargetMap(distribution, preferredRegions: ["长三角", "日韩"], title: "测试")
        let svg = try map.render(.svg, with: Graphviz()).bytes
        let document = try XMLDocument(data: Data(svg), options: [.nodeLoadExternalEntitiesNever])
        func tile(_ area: String) throws -> XMLElement {
            try #require(try document.nodes(forXPath: "//*[@id='target-\(area)']").first as? XMLElement, "no tile \(area)")
        }
        // Every province, Hong Kong, Macao and Taiwan has a tile; its text is its name and count.
        var shown = 0
        for province in Regions.provinces {
            let texts = try tile(province).nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
            #expect(texts == [province, "\(distribution.count(province))"], "\(province)")
            shown += distribution.count(province)
        }
        // The counts add up to the leads table: each lead on one tile.
        let abroad = Regions.abroad.map { distribution.abroad($0.name).count }.reduce(0, +) + distribution.abroadUnknown.count
        #expect(shown + abroad + distribution.unplaced.count == leads.count)
        let byProvince = Dictionary(grouping: leads.compactMap { Regions.province(in: $0.lead.province ?? "") }, by: { $0 }).mapValues(\.count)
        for (province, count) in byProvince { #expect(distribution.count(province) == count, "\(province)") }
        let japan = try tile("日韩").nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
        #expect(japan == ["日韩", "1"])
        // 长三角's provinces and 日韩 are outlined; others are not.
        for area in ["上海", "江苏", "浙江", "安徽", "日韩"] { #expect(try tile(area).svgAttribute("class")?.contains("preferred") == true, "\(area)") }
        #expect(try tile("广东").svgAttribute("class") == "node tile province")
        // The tooltip names the best leads.
        let guangdong = try tile("广东")
        let best = distribution.byArea["广东"]?.first?.lead.name ?? ""
        #expect(guangdong.xmlString.contains(best))
    }
}

extension TargetMapTests {
    @Test("a lead's name reaches a tile's tooltip as written: no escape sequence expanded, no control byte in the SVG")
    func hostileNamesInTooltips() throws {
        // Found by review: the tooltip went to Graphviz as escString text, so `\G\N` was
        // expanded and ESC and BEL were written into the SVG raw (not XML).
        let directory = try TestScratch.directory("target-map")
        let path = directory.appendingPathComponent("tm.yaml").path
        try """
        chain: 测试链
        id: tm
        links:
          - {id: cell, name: 电芯, stage: 上游, keywords: [电池]}
        leads:
          - {name: '甲\\G\\N公司', links: [cell], province: 广东}
          - {name: "乙\\e]8;;http://evil\\a点我\\e]8;;\\a公司", links: [cell], province: 广东}

        """.write(toFile: path, atomically: true, encoding: .utf8)
        let chain = try #require(ChainPipeline().run([path], screening: true).chains.first)
        let map = TargetMap(TargetDistribution(chain.recommendations), preferredRegions: [], title: "测试")
        let svg = try map.render(.svg, with: Graphviz()).bytes
        #expect(!svg.contains(0x1B) && !svg.contains(0x07))
        let document = try XMLDocument(data: Data(svg), options: [.nodeLoadExternalEntitiesNever])
        let tile = try #require(try document.nodes(forXPath: "//*[@id='target-广东']").first as? XMLElement)
        let titles = try tile.nodes(forXPath: ".//*[local-name()='title'] | .//@*[local-name()='title']").compactMap(\.stringValue)
        #expect(titles.contains { $0.contains("甲\\G\\N公司") && $0.contains("乙\u{FFFD}]8;;http://evil\u{FFFD}点我\u{FFFD}]8;;\u{FFFD}公司") }, "\(titles)")
    }
}
