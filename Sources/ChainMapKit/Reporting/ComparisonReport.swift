/// The outputs of `chainmap compare` (对标): the link-by-link table, the summary, what the
/// others have that this region lacks, and the links that could not be aligned. They only
/// read ``ChainComparison``.
public enum ComparisonReport {
    /// The status in the compare JSON: `covered`, `weak` or `gap`.
    public static func statusKey(_ status: LinkStatus) -> String {
        switch status {
        case .covered: "covered"
        case .strengthen: "weak"
        default: "gap"
        }
    }

    /// The link-by-link table: stage, link, and one column per region.
    public static func table(_ c: ChainComparison) -> ReportTable {
        let chain = c.analyses[0].chain
        return ReportTable(
            columns: [.init("阶段"), .init("环节", width: 3)] + c.analyses.indices.map { .init(c.regionName($0), width: 2) },
            rows: c.rows.map { row in
                [chain.stages[chain[row.link].stage].name, chain[row.link].name] + row.cells.map(ChainComparison.words)
            })
    }

    /// The summary table: each region's coverage, completeness and counts.
    public static func summaryTable(_ c: ChainComparison) -> ReportTable {
        ReportTable(
            columns: [.init("地区", width: 2), .init("环节", .number(decimals: 0)), .init(GapSummary.presentTitle, .number(decimals: 0)),
                      .init("覆盖率(%)", .number(decimals: 1)), .init("完整度", .number(decimals: 1))],
            rows: zip(c.analyses.indices, c.summaries).map { r, s in
                [c.regionName(r), "\(s.links)", "\(s.covered)", NumberText.fixed(s.coverage * 100, 1), NumberText.tenths(s.completeness)]
            })
    }

    /// The unaligned links: region, link, why.
    public static func unalignedTable(_ c: ChainComparison) -> ReportTable {
        ReportTable(
            columns: [.init("地区", width: 2), .init("环节", width: 3), .init("未对齐原因", .wrapped, width: 5)],
            rows: c.unaligned.map { [c.regionName($0.region), c.analyses[$0.region].chain[$0.link].name, $0.reason] })
    }

    /// "What they have that we lack", one paragraph: each lacking link and who covers it.
    public static func lackingText(_ c: ChainComparison) -> String {
        let chain = c.analyses[0].chain
        let lacking = c.rows.filter { c.lacking.contains(chain[$0.link].id) }
        guard !lacking.isEmpty else { return "\(c.regionName(0))没有对标地区已覆盖而本地缺失的环节。" }
        let items = lacking.map { row -> String in
            let others = row.cells.indices.dropFirst().filter { row.cells[$0].map { !$0.status.isGap } ?? false }.map { c.regionName($0) }
            return "\(chain[row.link].name)（\(others.joined(separator: "、"))已有）"
        }
        return "对标地区已有、\(c.regionName(0))缺失的环节 \(lacking.count) 个：" + items.joined(separator: "；") + "。宜列为补链重点。"
    }

    /// One paragraph that opens the comparison.
    public static func overview(_ c: ChainComparison) -> String {
        let s = c.summaries
        var text = "以\(c.regionName(0))\(ReportText.phrase(c.analyses[0].chain))为基准，对标"
        text += c.analyses.indices.dropFirst().map { c.regionName($0) }.joined(separator: "、") + "，逐环节比较覆盖情况。"
        text += zip(c.analyses.indices, s).map { r, x in "\(c.regionName(r))覆盖率 \(NumberText.percent(x.coverage))、完整度 \(NumberText.tenths(x.completeness))" }
            .joined(separator: "；") + "。"
        if !c.unaligned.isEmpty { text += "另有 \(c.unaligned.count) 个对标地区的环节未能对齐，列于文末。" }
        return text
    }

    /// The JSON: `regions` (each `region`, `chain`, `file`); `links`, each with `id`,
    /// `name`, `stage` and `regions` — one entry per region with `region`, `status`
    /// (`covered`, `weak`, `gap`, or null when its chain has no such link), `enterprises`,
    /// `leader`, and the region's own `link` id and `aligned_by`; `summary` with `regions`
    /// (each `region`, `coverage`, `completeness`) and `lacking` (link ids); `unaligned`
    /// (each `region`, `id`, `name`, `reason`).
    public static func json(_ c: ChainComparison) -> String {
        var out = JSONWriter()
        let chain = c.analyses[0].chain
        out.raw("{\n  "); out.key("regions"); out.raw("[")
        for r in c.analyses.indices {
            out.raw(r == 0 ? "\n    {" : ",\n    {")
            out.key("region"); out.string(c.regionName(r))
            out.raw(", "); out.key("chain"); out.string(c.analyses[r].chain.id)
            out.raw(", "); out.key("file"); out.string(c.analyses[r].chain.file)
            out.raw("}")
        }
        out.raw("\n  ],\n  "); out.key("links"); out.raw("[")
        for (n, row) in c.rows.enumerated() {
            let link = chain[row.link]
            out.raw(n == 0 ? "\n    {" : ",\n    {")
            out.key("id"); out.string(link.id)
            out.raw(", "); out.key("name"); out.string(link.name)
            out.raw(", "); out.key("stage"); out.string(chain.stages[link.stage].name)
            out.raw(", "); out.key("regions"); out.raw("[")
            for (r, cell) in row.cells.enumerated() {
                out.raw(r == 0 ? "{" : ", {")
                out.key("region"); out.string(c.regionName(r))
                out.raw(", "); out.key("status"); out.optional(cell.map { statusKey($0.status) })
                out.raw(", "); out.key("enterprises"); out.integer(cell?.enterprises ?? 0)
                out.raw(", "); out.key("leader"); out.raw(cell?.hasLeader == true ? "true" : "false")
                out.raw(", "); out.key("link"); out.optional(cell.map { c.analyses[r].chain[$0.link].id })
                out.raw(", "); out.key("aligned_by"); out.optional(cell.map(\.alignment.rawValue))
                out.raw("}")
            }
            out.raw("]}")
        }
        out.raw("\n  ],\n  "); out.key("summary"); out.raw("{"); out.key("regions"); out.raw("[")
        for (r, s) in c.summaries.enumerated() {
            out.raw(r == 0 ? "{" : ", {")
            out.key("region"); out.string(c.regionName(r))
            out.raw(", "); out.key("coverage"); out.number(s.coverage, decimals: 4)
            out.raw(", "); out.key("completeness"); out.number(s.completeness, decimals: 1)
            out.raw("}")
        }
        out.raw("], "); out.key("lacking"); out.strings(c.lacking)
        out.raw("},\n  "); out.key("unaligned"); out.raw("[")
        for (n, u) in c.unaligned.enumerated() {
            out.raw(n == 0 ? "{" : ", {")
            out.key("region"); out.string(c.regionName(u.region))
            out.raw(", "); out.key("id"); out.string(c.analyses[u.region].chain[u.link].id)
            out.raw(", "); out.key("name"); out.string(c.analyses[u.region].chain[u.link].name)
            out.raw(", "); out.key("reason"); out.string(u.reason)
            out.raw("}")
        }
        out.raw("]\n}\n")
        return out.text
    }

    /// The Markdown: the paragraph, the table, the summary, what is lacking, the unaligned.
    public static func markdown(_ c: ChainComparison, level: Int = 1, title: String? = nil) -> String {
        let h = String(repeating: "#", count: level)
        var out = "\(h) \(MarkdownText.escape(title ?? (c.regionName(0) + "产业链对标")))\n\n"
        out += MarkdownText.escape(overview(c)) + "\n\n"
        out += table(c).markdown + "\n"
        out += summaryTable(c).markdown + "\n"
        out += MarkdownText.escape(lackingText(c)) + "\n\n"
        if !c.unaligned.isEmpty {
            out += "\(h)# 未对齐的环节\n\n" + unalignedTable(c).markdown + "\n"
        }
        return out
    }

    /// The workbook: the table, the summary and the unaligned links.
    public static func sheets(_ c: ChainComparison) -> [XLSXSheet] {
        [table(c).sheet("逐环节对标"), summaryTable(c).sheet("对标汇总"), unalignedTable(c).sheet("未对齐环节")]
    }
}

/// The report's 对标分析 chapter, when the chain names `benchmarks:`: the comparison and
/// its side-by-side map.
public struct ReportBenchmark: Sendable {
    public let comparison: ChainComparison
    /// The side-by-side map as SVG, or nil when it could not be drawn.
    public let mapSVG: [UInt8]?
    /// Why there is no map, when there is none.
    public let mapProblem: String?

    public init(_ comparison: ChainComparison, mapSVG: [UInt8]?, mapProblem: String? = nil) {
        self.comparison = comparison
        self.mapSVG = mapSVG
        self.mapProblem = mapSVG == nil ? (mapProblem ?? "对标图未能生成") : nil
    }

    /// The chapter's name (numbered by ``ChainReport/chapters``).
    public static let name = "对标分析"
    /// The chapter's anchor in the web page.
    public static let id = "benchmark"
    /// The map's file beside the report: `<id>-compare.svg` (or `.png`).
    public static func mapFile(_ chainID: String, _ format: OutputFormat) -> String {
        Chain.Figure.compare.file(chainID, format.fileExtension)
    }
    /// The figure's caption.
    public static let caption = "对标图：各地区逐环节的覆盖情况（绿为已覆盖，黄为薄弱，红为缺失；「无此环节」为对方链条未列该环节）。"
}
