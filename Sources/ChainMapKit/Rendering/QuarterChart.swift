/// The report's quarterly chart of the project ledger (项目推进季度图): two panels, one
/// above the other — projects signed and started per quarter (个), and the investment
/// agreed and in place of the projects signed in each quarter (亿元) — drawn through
/// Graphviz with every box at a computed place (``Graphviz/Layout/pinned``), so that the
/// same description gives the SVG of the web page and the PNG of the Word document.
///
/// It reads ``QuarterFigures`` only; every number it shows is one of theirs. Each bar is a
/// node with the SVG id `chart-q<N>-<series>` (`q0` for the years before) and the classes `bar`
/// and the series' key, and a tooltip that says what it is.
public struct QuarterChart: Sendable {
    /// One series of bars.
    public enum Series: String, CaseIterable, Sendable {
        case signed, started, agreed, funds

        /// The legend's words.
        public var label: String {
            switch self {
            case .signed: "签约项目"
            case .started: "开工项目"
            case .agreed: "协议投资额"
            case .funds: "到位资金"
            }
        }

        /// The bar's colour.
        var colour: String {
            switch self {
            case .signed: "#1F5FA8"
            case .started: "#2E7D32"
            case .agreed: "#9DB9DC"
            case .funds: "#B26B00"
            }
        }

        /// The series' value in a quarter.
        public func value(_ q: QuarterFigures) -> Double {
            switch self {
            case .signed: Double(q.signed)
            case .started: Double(q.started)
            case .agreed: q.agreedInvest
            case .funds: q.fundsInPlace
            }
        }

        /// The value as the bar's label.
        func text(_ value: Double) -> String {
            switch self {
            case .signed, .started: "\(Int(value))"
            case .agreed, .funds: NumberText.amount(value)
            }
        }
    }

    public let quarters: [QuarterFigures]
    public let asOf: CalendarDay
    public let font: String

    public init(_ quarters: [QuarterFigures], asOf: CalendarDay, theme: MapTheme = .standard) {
        self.quarters = quarters
        self.asOf = asOf
        self.font = theme.fontList
    }

    // Geometry, in points.
    static let barWidth = 20.0
    static let groupWidth = 70.0
    static let plotHeight = 120.0
    static let left = 20.0
    static let panelGap = 56.0

    /// The panels, top first: their titles and series.
    static let panels: [(title: String, series: [Series])] = [
        ("项目数（个）", [.signed, .started]),
        ("资金（亿元，按签约季度）", [.agreed, .funds]),
    ]

    /// The chart as a Graphviz graph, every node pinned.
    public func graph(for format: OutputFormat) -> GraphDescription {
        var nodes: [GraphDescription.Node] = []
        let width = Self.left * 2 + Self.groupWidth * Double(quarters.count)
        // Bottom up: the legend, then the panels from the lowest.
        var y = 14.0
        nodes += legend(y: y, width: width)
        y += 34
        for (p, panel) in Self.panels.enumerated().reversed() {
            nodes += self.panel(p, title: panel.title, series: panel.series, base: y, width: width)
            y += Self.plotHeight + Self.panelGap
        }
        let title = "项目推进季度图（截至 \(asOf)）"
        nodes.append(PinnedShapes.text("title", title, x: width / 2, y: y - 12, size: 13, bold: true))
        return PinnedShapes.graph(
            "quarters", nodes: nodes, width: width, height: y, pad: "0.15", font: font, id: "quarter-chart", idPrefix: "chart-",
            format: format)
    }

    /// One panel: its title, its baseline, its bars with their values, the quarters' names.
    func panel(_ p: Int, title: String, series: [Series], base: Double, width: Double) -> [GraphDescription.Node] {
        var nodes: [GraphDescription.Node] = []
        let top = quarters.map { q in series.map { $0.value(q) }.max() ?? 0 }.max() ?? 0
        let scale = top > 0 ? Self.plotHeight / top : 0
        nodes.append(PinnedShapes.text("p\(p)-title", title, x: Self.left, y: base + Self.plotHeight + 22, size: 11, bold: true, anchor: .left))
        nodes.append(PinnedShapes.box("p\(p)-axis", x: width / 2, y: base, width: width - Self.left, height: 0.8, colour: "#9AA5B1"))
        for (g, q) in quarters.enumerated() {
            let centre = Self.left + Self.groupWidth * (Double(g) + 0.5)
            let key = "q\(q.quarter ?? 0)"
            let name = q.isFuture ? q.label + "（未到）" : q.label
            nodes.append(PinnedShapes.text("p\(p)-\(key)-name", name, x: centre, y: base - 10, size: 9, colour: q.isFuture ? MapTheme.mutedInk : MapTheme.ink))
            guard !q.isFuture else { continue }
            for (s, kind) in series.enumerated() {
                let value = kind.value(q)
                let x = centre + (Double(s) - Double(series.count - 1) / 2) * (Self.barWidth + 4)
                let height = max(value > 0 ? 1.5 : 0, value * scale)
                if height > 0 {
                    var bar = PinnedShapes.box("\(key)-\(kind.rawValue)", x: x, y: base + height / 2, width: Self.barWidth, height: height, colour: kind.colour)
                    bar.attributes = bar.attributes.merging([
                        "class": .text("bar \(kind.rawValue)"), "tooltip": .text("\(q.label) \(kind.label) \(kind.text(value))"),
                    ])
                    nodes.append(bar)
                }
                nodes.append(PinnedShapes.text("\(key)-\(kind.rawValue)-value", kind.text(value), x: x, y: base + height + 7, size: 8.5))
            }
        }
        return nodes
    }

    /// The legend: a swatch and the words of each series, in one row.
    func legend(y: Double, width: Double) -> [GraphDescription.Node] {
        var nodes: [GraphDescription.Node] = []
        var x = Self.left
        for kind in Series.allCases {
            nodes.append(PinnedShapes.box("legend-\(kind.rawValue)", x: x + 5, y: y, width: 10, height: 10, colour: kind.colour))
            let words = kind.label
            nodes.append(PinnedShapes.text("legend-\(kind.rawValue)-label", words, x: x + 14, y: y, size: 9, anchor: .left))
            x += 22 + Double(words.count) * 9.5
        }
        return nodes
    }

    /// Renders the chart with Graphviz (SVG or PNG).
    public func render(_ format: OutputFormat, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        try graphviz.requirePlugins(for: format, layout: .pinned)
        return try graphviz.render(graph(for: format), format: format, layout: .pinned)
    }
}
