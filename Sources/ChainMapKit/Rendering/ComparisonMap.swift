/// The side-by-side map of a comparison (对标图): the links of this region's chain in
/// stage order, one row each, and one column of coloured cells per region — the same
/// colours as the chain map (``MapTheme``), with the cell's words from
/// ``ChainComparison/words(_:)``. Drawn by Graphviz as one table, so that it renders to
/// SVG, PNG and PDF like every map.
public struct ComparisonMap: Sendable {
    public let comparison: ChainComparison
    public let theme: MapTheme

    public init(_ comparison: ChainComparison, theme: MapTheme = .standard) {
        self.comparison = comparison
        self.theme = theme
    }

    /// The graph: one node holding the table.
    public func graph(for format: OutputFormat) -> GraphDescription {
        let c = comparison
        let chain = c.analyses[0].chain
        var label = "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"6\" COLOR=\"#C9D2DC\">"
        let title = c.regionName(0) + ReportText.phrase(chain) + "对标图"
        label += "<TR><TD COLSPAN=\"\(c.analyses.count + 2)\" BORDER=\"0\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"18\"><B>\(HTML.label(title))</B></FONT></TD></TR>"
        label += "<TR><TD BGCOLOR=\"#EEF2F6\"><B>阶段</B></TD><TD BGCOLOR=\"#EEF2F6\"><B>环节</B></TD>"
        for r in c.analyses.indices {
            label += "<TD BGCOLOR=\"#EEF2F6\"><B>\(HTML.label(c.regionName(r)))</B></TD>"
        }
        label += "</TR>"
        // Stage cells span their links' rows.
        var stageRuns: [(stage: Int, count: Int)] = []
        for row in c.rows {
            let stage = chain[row.link].stage
            if stageRuns.last?.stage == stage { stageRuns[stageRuns.count - 1].count += 1 } else { stageRuns.append((stage, 1)) }
        }
        var run = 0, left = 0
        for row in c.rows {
            label += "<TR>"
            if left == 0 {
                label += "<TD ROWSPAN=\"\(stageRuns[run].count)\" BGCOLOR=\"#F8FAFC\"><B>\(HTML.label(chain.stages[stageRuns[run].stage].name))</B></TD>"
                left = stageRuns[run].count
                run += 1
            }
            left -= 1
            label += "<TD ALIGN=\"LEFT\">\(HTML.label(chain[row.link].name))</TD>"
            for cell in row.cells {
                if let cell {
                    // Every gap alike (缺失): the comparison says covered, weak or gap.
                    let look = theme.look(cell.status.isGap ? .fill : cell.status)
                    label += "<TD BGCOLOR=\"\(HTML.label(look.fill))\"><FONT COLOR=\"\(HTML.label(look.border))\">\(HTML.label(ChainComparison.words(cell)))</FONT></TD>"
                } else {
                    label += "<TD BGCOLOR=\"white\"><FONT COLOR=\"\(MapTheme.mutedInk)\">无此环节</FONT></TD>"
                }
            }
            label += "</TR>"
        }
        // The summary rows and the legend.
        label += "<TR><TD COLSPAN=\"2\" ALIGN=\"RIGHT\"><B>覆盖率 · 完整度</B></TD>"
        for s in c.summaries {
            label += "<TD><B>\(NumberText.percent(s.coverage)) · \(NumberText.tenths(s.completeness))</B></TD>"
        }
        label += "</TR>"
        var legend = ""
        for status in [LinkStatus.covered, .strengthen, .fill] {
            let look = theme.look(status)
            let words = ChainComparison.statusWord(status)
            legend += "<TD BGCOLOR=\"\(HTML.label(look.fill))\" BORDER=\"1\"><FONT COLOR=\"\(HTML.label(look.border))\">\(words)</FONT></TD>"
        }
        label += "<TR><TD COLSPAN=\"\(c.analyses.count + 2)\" BORDER=\"0\" ALIGN=\"LEFT\"><TABLE BORDER=\"0\" CELLSPACING=\"4\" CELLPADDING=\"3\"><TR><TD>图例：</TD>\(legend)<TD>链主 · N 家：有链主的环节及其本地企业数</TD></TR></TABLE></TD></TR>"
        label += "</TABLE>"
        var attributes: Attributes = ["bgcolor": "white", "pad": "0.3", "id": "comparison", "class": "comparison"]
        if format == .png { attributes["dpi"] = "144" }
        return GraphDescription(
            name: "comparison", attributes: attributes,
            nodeDefaults: ["fontname": .text(theme.fontList), "fontsize": "11", "fontcolor": .text(MapTheme.ink)],
            nodes: [GraphDescription.Node("table", ["shape": "plaintext", "margin": "0", "label": .html(label), "id": "comparison-table"])])
    }

    /// Renders the map with Graphviz.
    public func render(_ format: OutputFormat, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        try graphviz.requirePlugins(for: format)
        let fonts = graphviz.fontDiagnostics(for: theme.font, format: format)
        if fonts.contains(where: \.isError) { throw DiagnosticError(fonts) }
        var output = try graphviz.render(graph(for: format), format: format)
        output.warnings = fonts + output.warnings
        return output
    }
}
