import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ChainMapKit

/// A chain with every status: 电芯 strong (a 链主 and seven enterprises), 电池包 weak,
/// 关键材料 补链, 矿产资源 and 回收 延链, 远端资源 远期; 回收 → 关键材料 closes a
/// recycling loop, and 配套服务 supplies backwards.
let renderSampleYAML = """
chain: 动力电池
id: battery
region: 示例市
stages: [上游, 中游, 下游, 服务]
links:
  - {id: far, name: 远端资源, stage: 上游, supplies: [ore]}
  - {id: ore, name: 矿产资源, stage: 上游, supplies: [material]}
  - {id: material, name: 关键材料, stage: 上游, supplies: [cell]}
  - {id: cell, name: 电芯, stage: 中游, supplies: [pack]}
  - {id: pack, name: 电池包, stage: 中游, supplies: [car]}
  - {id: car, name: "整车 <A&B>", stage: 下游, supplies: [recycle]}
  - {id: recycle, name: 回收, stage: 下游, supplies: [material]}
  - {id: service, name: 检测服务, stage: 服务, supplies: [cell]}
enterprises:
  - {name: 示例电池集团, links: [cell], role: 链主, revenue: 300}
  - {name: 电芯配套一号, links: [cell], revenue: 5}
  - {name: 电芯配套二号, links: [cell], revenue: 50}
  - {name: 电芯配套三号, links: [cell]}
  - {name: 电芯配套四号, links: [cell], revenue: 1}
  - {name: 电芯配套五号, links: [cell], revenue: 2}
  - {name: 电芯配套六号, links: [cell], revenue: 3}
  - {name: 小型电池包厂, links: [pack]}
  - {name: 示例汽车, links: [car], role: 龙头}
  - {name: 检测中心, links: [service], tags: [上市公司]}
  - {name: 检测二所, links: [service]}
leads:
  - {name: 某某材料股份有限公司, links: [material], province: 广东, tags: [上市公司]}
  - {name: 另一材料公司, links: [material]}
"""

/// The best leads of each gap from the chain file's own `leads:`, as `render` draws them.
func renderSampleLeads(_ analysis: GapAnalysis, perLink: Int = 3) throws -> [LinkRef: [MapLead]] {
    ChainMap.leads(from: try LeadScreener(analysis: analysis).screen([.chainFile]).screenings[0], perLink: perLink)
}

func renderSampleChain(_ yaml: String = renderSampleYAML) throws -> Chain {
    let result = ChainLoader().load(bytes: Array(yaml.utf8), file: "battery.yaml", defaultID: "battery")
    return try #require(result.chain, "\(result.diagnostics)")
}

/// The rendered SVG of a map, read back as XML.
struct RenderedSVG {
    let document: XMLDocument
    let text: String

    init(_ map: ChainMap) throws {
        let bytes = try map.render(.svg, with: testGraphviz).bytes
        text = String(decoding: bytes, as: UTF8.self)
        document = try XMLDocument(data: Data(bytes), options: [.nodeLoadExternalEntitiesNever])
    }

    /// The `<g>` element with an id.
    func group(id: String) throws -> XMLElement {
        let nodes = try document.nodes(forXPath: "//*[local-name()='g'][@id='\(id)']")
        return try #require(nodes.first as? XMLElement, "no element with id \(id)")
    }

    /// The `<g>` elements whose class attribute holds every one of `classes`.
    func groups(withClasses classes: String...) throws -> [XMLElement] {
        try document.nodes(forXPath: "//*[local-name()='g']").compactMap { $0 as? XMLElement }.filter { element in
            let have = Set((element.svgAttribute("class") ?? "").split(separator: " ").map(String.init))
            return classes.allSatisfy(have.contains)
        }
    }

    /// Every piece of text drawn inside an element.
    static func texts(in element: XMLElement) throws -> [String] {
        try element.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
    }

    /// The fill and stroke of a node's outline: its first path or polygon.
    static func outline(of element: XMLElement) throws -> (fill: String, stroke: String) {
        let shapes = try element.nodes(forXPath: ".//*[local-name()='path' or local-name()='polygon']")
        let shape = try #require(shapes.first as? XMLElement)
        return (shape.svgAttribute("fill") ?? "", shape.svgAttribute("stroke") ?? "")
    }

    /// The tooltip of a node (`xlink:title` of its anchor).
    static func tooltip(of element: XMLElement) throws -> String {
        let anchors = try element.nodes(forXPath: ".//*[local-name()='a']")
        let anchor = try #require(anchors.first as? XMLElement)
        return anchor.svgAttribute("xlink:title") ?? ""
    }
}

extension XMLElement {
    /// An attribute's value by its qualified name. (FoundationXML on Linux finds no
    /// attribute with `attribute(forName:)` in an element of a default namespace.)
    func svgAttribute(_ name: String) -> String? {
        attributes?.first { $0.name == name }?.stringValue
    }
}

@Suite("Map: what the 产业链招商地图 shows")
struct RenderMapTests {
    let chain: Chain
    let map: ChainMap

    init() throws {
        chain = try renderSampleChain()
        let analysis = GapAnalysis(chain)
        map = ChainMap(analysis, leads: try renderSampleLeads(analysis), options: MapOptions(leadsPerLink: 3))
    }

    @Test func statusesOfTheSampleAreTheOnesItIsMeantToShow() {
        let statuses = Dictionary(uniqueKeysWithValues: chain.links.map { ($0.id, map.analysis.status(of: $0.ref)) })
        #expect(statuses == [
            "far": .distant, "ore": .extend, "material": .fill, "cell": .covered, "pack": .strengthen,
            "car": .covered, "recycle": .extend, "service": .covered,
        ])
    }

    @Test func everyLinkIsANodeWithItsNameIdAndClasses() throws {
        let svg = try RenderedSVG(map)
        for link in chain.links {
            let node = try svg.group(id: map.elementID(of: link.ref))
            let classes = try #require(node.svgAttribute("class"))
            #expect(classes == "node " + map.classes(of: link.ref).joined(separator: " "))
            #expect(try RenderedSVG.texts(in: node).contains(link.name), "\(link.name) is not drawn")
        }
        #expect(try svg.groups(withClasses: "node", "link").count == chain.links.count)
        #expect(map.classes(of: chain.link(id: "material")!.ref) == ["link", "fill", "gap"])
        #expect(map.classes(of: chain.link(id: "cell")!.ref) == ["link", "covered", "anchored"])
    }

    @Test func theChainLeaderIsShownStarredAndFirst() throws {
        let svg = try RenderedSVG(map)
        let texts = try RenderedSVG.texts(in: svg.group(id: "link-cell"))
        let leader = try #require(texts.firstIndex(of: "示例电池集团"))
        #expect(texts.contains("★"))
        #expect(texts.contains("链主"))
        // Right after the name, the band's tag and the star.
        #expect(texts.firstIndex(of: "★")! < leader)
        #expect(leader < texts.firstIndex(of: "电芯配套二号")!)
        let bold = try svg.group(id: "link-cell").nodes(forXPath: ".//*[local-name()='text'][@font-weight='bold']").compactMap(\.stringValue)
        #expect(bold.contains("示例电池集团"))
    }

    @Test func aLongListCollapsesToTheTopFew() throws {
        let texts = try RenderedSVG.texts(in: RenderedSVG(map).group(id: "link-cell"))
        #expect(texts.contains("等 7 家"))
        // 链主 first, then by revenue: 电芯配套二号 (50) and 一号 (5), then 六号 (3).
        #expect(texts.contains("电芯配套二号") && texts.contains("电芯配套一号") && texts.contains("电芯配套六号"))
        #expect(!texts.contains("电芯配套三号"))
        #expect(map.analysis.enterprises(on: chain.link(id: "cell")!.ref).map(\.name).prefix(4)
            == ["示例电池集团", "电芯配套二号", "电芯配套一号", "电芯配套六号"])
    }

    @Test func eachKindHasItsOwnFillAndStroke() throws {
        let svg = try RenderedSVG(map)
        var looks: [String: (fill: String, stroke: String)] = [:]
        for key in LinkStatus.allCases.map(\.key) {
            let nodes = try svg.groups(withClasses: "link", key)
            let node = try #require(nodes.first, "no node of kind \(key)")
            looks[key] = try RenderedSVG.outline(of: node)
        }
        let keys = LinkStatus.allCases.map(\.key)
        for (i, a) in keys.enumerated() {
            for b in keys[(i + 1)...] {
                #expect(looks[a]!.fill != looks[b]!.fill, "\(a) and \(b) share a fill")
                #expect(looks[a]!.stroke != looks[b]!.stroke, "\(a) and \(b) share a stroke")
            }
        }
    }

    @Test func theLegendAndTitleArePresent() throws {
        let svg = try RenderedSVG(map)
        let graph = try svg.group(id: "chainmap")
        let texts = try RenderedSVG.texts(in: graph)
        #expect(texts.contains("动力电池产业链招商地图"))
        #expect(texts.contains { $0.hasPrefix("示例市 · 覆盖 4/8 环节 · 补链 1 · 强链 1 · 延链 2 · 远期 1") })
        #expect(texts.contains("图例"))
        for status in LinkStatus.allCases {
            #expect(texts.contains((status).label))
            #expect(texts.contains(status.meaning))
        }
        #expect(texts.contains("招商线索（目标企业）"))
    }

    @Test func tooltipsCarryStatusEnterprisesAndReasons() throws {
        let svg = try RenderedSVG(map)
        let gap = try RenderedSVG.tooltip(of: svg.group(id: "link-material"))
        #expect(gap.hasPrefix("关键材料 · 补链"))
        #expect(gap.contains("本地企业：暂无"))
        let reasons = try #require(map.analysis.entry(for: chain.link(id: "material")!.ref)?.reasons)
        for reason in reasons { #expect(gap.contains(reason)) }
        let strong = try RenderedSVG.tooltip(of: svg.group(id: "link-cell"))
        #expect(strong.contains("示例电池集团（链主）"))
        for node in try svg.groups(withClasses: "node", "link") {
            #expect(try !RenderedSVG.tooltip(of: node).isEmpty)
        }
    }

    @Test func textIsEscaped() throws {
        let svg = try RenderedSVG(map)
        #expect(try RenderedSVG.texts(in: svg.group(id: "link-car")).contains("整车 <A&B>"))
    }

    @Test("stages run left to right in file order, a lane lies beside them, and no two overlap")
    func stagesRunLeftToRightInFileOrder() throws {
        let svg = try RenderedSVG(map)
        var boxes: [(stage: Stage, left: Double, right: Double, top: Double, bottom: Double)] = []
        for stage in chain.stages {
            let cluster = try svg.group(id: "stage-\(stage.index)")
            #expect(try RenderedSVG.texts(in: cluster).contains(stage.name))
            let shape = try #require(try cluster.nodes(forXPath: ".//*[local-name()='path' or local-name()='polygon']").first as? XMLElement)
            let data = shape.svgAttribute("d") ?? shape.svgAttribute("points") ?? ""
            let points = data.split(whereSeparator: { !"0123456789.-,".contains($0) }).compactMap { pair -> (Double, Double)? in
                let parts = pair.split(separator: ",").compactMap { Double($0) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }
            let xs = points.map(\.0), ys = points.map(\.1)
            boxes.append((stage, try #require(xs.min()), try #require(xs.max()), try #require(ys.min()), try #require(ys.max())))
        }
        // 服务 (index 3) is a lane: the others read left to right.
        let lefts = boxes.filter { $0.stage.index != 3 }.map(\.left)
        #expect(lefts == lefts.sorted() && Set(lefts).count == lefts.count, "stage clusters are not left to right: \(lefts)")
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                let apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top
                #expect(apart, "\(a.stage.name) and \(b.stage.name) overlap")
            }
        }
    }

    @Test func loopsAndBackwardSuppliesAreDrawnApart() throws {
        let svg = try RenderedSVG(map)
        #expect(try svg.group(id: "supply-recycle-to-material").svgAttribute("class") == "edge supply feedback")
        #expect(try svg.group(id: "supply-service-to-cell").svgAttribute("class") == "edge supply backward")
        #expect(try svg.group(id: "supply-cell-to-pack").svgAttribute("class") == "edge supply forward")
    }

    @Test func leadsAreListedBesideTheirGapOnlyWhenAsked() throws {
        let svg = try RenderedSVG(map)
        let leads = try svg.group(id: "leads-material")
        #expect(try RenderedSVG.texts(in: leads).contains("某某材料股份有限公司"))
        let tooltip = try RenderedSVG.tooltip(of: leads)
        #expect(tooltip.contains("某某材料股份有限公司（广东 · 上市公司 · 评分 "))
        #expect(tooltip.contains("另一材料公司"))
        #expect(map.leads[chain.link(id: "material")!.ref]?.map(\.name) == ["某某材料股份有限公司", "另一材料公司"])
        let plain = try RenderedSVG(ChainMap(map.analysis, leads: map.leads))
        #expect(try plain.groups(withClasses: "leads").isEmpty)
    }

    @Test func styleOverridesTheColoursAndFont() throws {
        let yaml = renderSampleYAML + """

        style:
          font: WenQuanYi Micro Hei Mono
          fills: {fill: "#123456"}
          borders: {strong: navy}
        """
        let styled = ChainMap(GapAnalysis(try renderSampleChain(yaml)))
        let svg = try RenderedSVG(styled)
        #expect(try RenderedSVG.outline(of: svg.group(id: "link-material")).fill == "#123456")
        #expect(try RenderedSVG.outline(of: svg.group(id: "link-cell")).stroke == "navy")
        #expect(svg.text.contains("font-family=\"WenQuanYi Micro Hei Mono, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif\""))
    }

    @Test func rendersAreByteIdentical() throws {
        for format in OutputFormat.allCases {
            let analysis = GapAnalysis(try renderSampleChain())
            let again = ChainMap(analysis, leads: try renderSampleLeads(analysis), options: MapOptions(leadsPerLink: 3))
            #expect(try map.render(format, with: testGraphviz).bytes == again.render(format, with: testGraphviz).bytes, "\(format)")
        }
    }

    @Test func outputsStartWithTheirMagicBytes() throws {
        #expect(try map.render(.png, with: testGraphviz).bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try map.render(.pdf, with: testGraphviz).bytes.starts(with: Array("%PDF".utf8)))
        #expect(try map.render(.dot, with: testGraphviz).bytes.starts(with: Array("digraph".utf8)))
    }

    @Test func bigChainsGetACappedLayout() {
        #expect(!map.isLarge)
        #expect(map.graph().attributes["nslimit"] == nil)
        let capped = ChainMap(map.analysis, options: MapOptions(largeChainThreshold: 3))
        #expect(capped.isLarge)
        #expect(capped.graph().attributes["mclimit"] != nil)
    }
}

@Suite("Map: layering and ids")
struct RenderLayeringTests {
    @Test func stagesDoNotOverlapAndLinksFollowTheirSuppliers() throws {
        let chain = try renderSampleChain()
        let layering = MapLayering(GapAnalysis(chain))
        let layer = Dictionary(uniqueKeysWithValues: chain.links.map { ($0.id, layering.layers[$0.ref.index]) })
        // 服务 supplies 中游 only: a lane beside the chain, its link just before 电芯.
        #expect(layer == ["far": 0, "ore": 1, "material": 2, "cell": 3, "pack": 4, "car": 5, "recycle": 6, "service": 2])
        #expect(layering.layerCount == 7)
        #expect(layering.feedback == [.init(from: 6, to: 2)])
        #expect(layering.backward == [.init(from: 7, to: 3)])
        #expect(layering.lanes == [3])
        #expect(layering.intoLanes.isEmpty)
    }

    @Test("a stage that supplies only earlier stages is a lane beside the chain, not a column after it")
    func serviceStagesAreLanes() throws {
        let chain = try renderSampleChain("""
        chain: 天然气
        stages: [上游, 中游, 下游, 服务, 回收]
        links:
          - {id: gas, name: 常规气, stage: 上游, supplies: [pipe]}
          - {id: rig, name: 钻采装备, stage: 上游, supplies: [tech]}
          - {id: pipe, name: 长输管道, stage: 中游, supplies: [city]}
          - {id: city, name: 城镇燃气, stage: 下游}
          - {id: tech, name: 油气技术服务, stage: 服务, supplies: [gas]}
          - {id: build, name: 管网工程, stage: 服务, supplies: [city, pipe]}
          - {id: idle, name: 咨询, stage: 服务}
          - {id: sort, name: 分拣, stage: 回收, supplies: [melt, gas]}
          - {id: melt, name: 再生, stage: 回收}
        """)
        let layering = MapLayering(GapAnalysis(chain))
        let layer = Dictionary(uniqueKeysWithValues: chain.links.map { ($0.id, layering.layers[$0.ref.index]) })
        // 服务 takes no layers of its own: each link sits one layer before the first link
        // it supplies (at the first layer at the earliest), one that supplies nothing
        // joins the lane's last layer. 回收 supplies its own stage too: a column as before.
        #expect(layering.lanes == [3])
        #expect(layer == ["gas": 0, "rig": 0, "pipe": 1, "city": 2, "tech": 0, "build": 0, "idle": 0, "sort": 3, "melt": 4])
        #expect(layering.layerCount == 5)
        #expect(layering.intoLanes == [.init(from: 1, to: 4)])
        #expect(layering.backward == [.init(from: 4, to: 0), .init(from: 5, to: 3), .init(from: 5, to: 2), .init(from: 7, to: 0)])

        // The edge into the lane is drawn as a supply that sets no rank.
        let svg = try RenderedSVG(ChainMap(GapAnalysis(chain)))
        let graph = ChainMap(GapAnalysis(chain)).graph()
        let into = try #require(graph.edges.first { $0.tail == "link-rig" && $0.head == "link-tech" })
        #expect(into.attributes["constraint"] == .text("false"))
        #expect(into.attributes["class"] == .text("supply forward"))
        #expect(try svg.group(id: "supply-rig-to-tech").svgAttribute("class") == "edge supply forward")
        #expect(try svg.group(id: "stage-3").svgAttribute("class") == "cluster stage")
    }

    @Test func sourcesMoveNextToWhatTheySupply() throws {
        let chain = try renderSampleChain("""
        chain: 源
        stages: [上游, 中游]
        links:
          - {id: a, name: A, stage: 上游, supplies: [b]}
          - {id: b, name: B, stage: 上游, supplies: [c]}
          - {id: s, name: S, stage: 上游, supplies: [c]}
          - {id: c, name: C, stage: 中游}
          - {id: alone, name: 孤立, stage: 中游}
        """)
        let layers = MapLayering(GapAnalysis(chain)).layers
        #expect(layers == [0, 1, 1, 2, 2])
    }

    @Test func idsAreSafeAndUnique() {
        #expect(ChainMap.identifier("锂盐（碳酸锂/氢氧化锂） x") == "锂盐_碳酸锂_氢氧化锂__x")
        #expect(ChainMap.uniqueIDs(["link-a_b", "link-a_b", "link-a_b"]) == ["link-a_b", "link-a_b-2", "link-a_b-3"])
    }

    @Test func bandTextStaysReadable() {
        #expect(ChainMap.textColour(on: "#C62828") == "white")
        #expect(ChainMap.textColour(on: "#FFE680") != "white")
        #expect(ChainMap.textColour(on: "gold") != "white")
        #expect(ChainMap.textColour(on: "navy") == "white")
    }
}
