/// The 招商目标分布图: a tile-grid cartogram of China's provinces, Hong Kong, Macao and
/// Taiwan — one equal tile per province in its rough geographic place, as the news
/// graphics of Chinese provinces draw them — each with its number of recommended target
/// enterprises and, on hover, the best of them; beside it, the regions abroad (日韩, 欧美,
/// 东盟, 一带一路). Target regions (`--prefer`) are outlined. It needs no boundary data and
/// reads well printed. Drawn through Graphviz with every tile at a computed place.
///
/// Each tile is a node with the SVG id `target-<area>` and the classes `tile`, `province`
/// or `abroad`, and `preferred` when outlined; its label is the name and the count.
public struct TargetMap: Sendable {
    public let distribution: TargetDistribution
    /// The provinces and countries of the preferred regions.
    public let preferred: Set<String>
    public let title: String
    public let font: String

    public init(_ distribution: TargetDistribution, preferredRegions: [String] = [], title: String, theme: MapTheme = .standard) {
        self.distribution = distribution
        var preferred = Set<String>()
        for name in preferredRegions {
            switch Regions.place(named: name) {
            case .region(_, let provinces)?: preferred.formUnion(provinces)
            case .province(let province)?: preferred.insert(province)
            case .city(let city)?: preferred.insert(city.province)
            case nil: break
            }
        }
        self.preferred = preferred
        self.title = title
        self.font = theme.fontList
    }

    /// Where each province's tile stands: (column, row), row 0 at the top.
    public static let grid: [String: (column: Int, row: Int)] = [
        "黑龙江": (6, 0),
        "内蒙古": (4, 1), "北京": (5, 1), "吉林": (6, 1),
        "新疆": (0, 2), "甘肃": (2, 2), "宁夏": (3, 2), "山西": (4, 2), "河北": (5, 2), "天津": (6, 2), "辽宁": (7, 2),
        "青海": (1, 3), "陕西": (2, 3), "河南": (3, 3), "山东": (4, 3),
        "西藏": (0, 4), "四川": (1, 4), "重庆": (2, 4), "湖北": (3, 4), "安徽": (4, 4), "江苏": (5, 4), "上海": (6, 4),
        "云南": (1, 5), "贵州": (2, 5), "湖南": (3, 5), "江西": (4, 5), "浙江": (5, 5),
        "广西": (2, 6), "广东": (3, 6), "福建": (4, 6), "台湾": (6, 6),
        "海南": (2, 7), "澳门": (3, 7), "香港": (4, 7),
    ]

    // Geometry, in points.
    static let tile = (width: 58.0, height: 46.0)
    static let gap = 4.0
    static let margin = 16.0

    /// A tile's fill for its count: white for none, deepening blue up to the largest.
    func fill(_ count: Int, of largest: Int) -> String {
        guard count > 0, largest > 0 else { return "#F3F5F8" }
        let share = Double(count) / Double(largest)
        let steps = ["#DCE9F7", "#B9D3EE", "#8DB6E2", "#5E95D0", "#2F6FB5", "#1F4E8A"]
        return steps[min(steps.count - 1, Int((share * Double(steps.count - 1)).rounded()))]
    }

    /// The graph: the tiles, the panel abroad, the title, the legend.
    public func graph(for format: OutputFormat) -> GraphDescription {
        let d = distribution
        let abroad = Regions.abroad.map { ($0.name, d.abroad($0.name)) } + [("其他境外", d.abroadUnknown)]
        let largest = max(Regions.provinces.map(d.count).max() ?? 0, abroad.map(\.1.count).max() ?? 0)
        let rows = 8, columns = 8
        let height = Self.margin * 2 + Double(rows) * (Self.tile.height + Self.gap) + 60
        let panelX = Self.margin + Double(columns) * (Self.tile.width + Self.gap) + 24
        let width = panelX + Self.tile.width + 12 + Self.margin
        var nodes: [GraphDescription.Node] = []
        // y grows upwards in Graphviz: row 0 is the top row.
        func centre(_ column: Int, _ row: Int) -> (x: Double, y: Double) {
            (Self.margin + Double(column) * (Self.tile.width + Self.gap) + Self.tile.width / 2,
             height - 52 - Double(row) * (Self.tile.height + Self.gap) - Self.tile.height / 2)
        }
        for province in Regions.provinces {
            guard let place = Self.grid[province] else { continue }
            let (x, y) = centre(place.column, place.row)
            nodes.append(tileNode(province, leads: d.byArea[province] ?? [], x: x, y: y, largest: largest, kind: "province"))
        }
        nodes.append(PinnedShapes.text("abroad-title", "境外", x: panelX, y: height - 40, size: 11, bold: true, anchor: .left))
        for (n, region) in abroad.enumerated() {
            let y = height - 52 - Double(n) * (Self.tile.height + Self.gap) - Self.tile.height / 2
            nodes.append(tileNode(region.0, leads: region.1, x: panelX + Self.tile.width / 2, y: y, largest: largest, kind: "abroad"))
        }
        nodes.append(PinnedShapes.text("title", title, x: Self.margin, y: height - 18, size: 15, bold: true, anchor: .left))
        var note = "颜色越深，推荐目标企业越多；数字为推荐目标企业数"
        if !preferred.isEmpty { note += "；红框为目标区域" }
        if !d.unplaced.isEmpty { note += "；未注明省份 \(d.unplaced.count) 家" }
        nodes.append(PinnedShapes.text("legend", note, x: Self.margin, y: Self.margin, size: 9, colour: MapTheme.mutedInk, anchor: .left))
        return PinnedShapes.graph(
            "targets", nodes: nodes, width: width, height: height, pad: "0.1", font: font, id: "target-map", idPrefix: "target-",
            format: format)
    }

    /// One tile: the area's name and count, its best leads as the tooltip.
    func tileNode(_ area: String, leads: [Recommendation], x: Double, y: Double, largest: Int, kind: String) -> GraphDescription.Node {
        let fill = fill(leads.count, of: largest)
        let dark = leads.count > 0 && Double(leads.count) / Double(max(1, largest)) > 0.55
        let ink = dark ? "white" : leads.isEmpty ? MapTheme.mutedInk : MapTheme.ink
        let isPreferred = kind == "province" ? preferred.contains(area)
            : Regions.abroad.first { $0.name == area }.map { $0.countries.contains { preferred.contains($0.name) } } ?? false
        let label = "<FONT POINT-SIZE=\"9.5\" COLOR=\"\(HTML.label(ink))\">\(HTML.label(area))</FONT><BR/>"
            + "<FONT POINT-SIZE=\"14\" COLOR=\"\(HTML.label(ink))\"><B>\(leads.count)</B></FONT>"
        var tooltip = "\(area)：推荐目标企业 \(leads.count) 家"
        if !leads.isEmpty { tooltip += "。" + leads.prefix(5).map(\.lead.name).joined(separator: "、") + (leads.count > 5 ? " 等" : "") }
        return GraphDescription.Node(area, [
            "shape": "box", "style": "filled,rounded", "fillcolor": .text(fill),
            "color": .text(isPreferred ? "#C62828" : "#D5DCE4"), "penwidth": .text(isPreferred ? "2.4" : "0.8"),
            "label": .html(label), "tooltip": .literal(tooltip),
            "pos": .text("\(PinnedShapes.number(x)),\(PinnedShapes.number(y))!"), "fixedsize": "true",
            "width": .text(PinnedShapes.number(Self.tile.width / 72)), "height": .text(PinnedShapes.number(Self.tile.height / 72)),
            "class": .text("tile \(kind)" + (isPreferred ? " preferred" : "")),
        ])
    }

    /// Renders the map with Graphviz.
    public func render(_ format: OutputFormat, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        try graphviz.requirePlugins(for: format, layout: .pinned)
        return try graphviz.render(graph(for: format), format: format, layout: .pinned)
    }
}
