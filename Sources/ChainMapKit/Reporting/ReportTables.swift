/// A table of the report, in one place for every format: its columns (title, what they
/// hold, their share of a page's width) and its rows as text. The Markdown document and
/// the workbook are both written from these, so they list the same rows in the same words.
public struct ReportTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        /// What the column holds: a number (right-aligned, a number cell), text, wrapped
        /// text, or a code.
        public var kind: XLSXSheet.Kind
        /// Relative width in a Markdown pipe table.
        public var width: Int

        public init(_ title: String, _ kind: XLSXSheet.Kind = .text, width: Int = 1) {
            self.title = title
            self.kind = kind
            self.width = width
        }

        public var isNumber: Bool {
            if case .number = kind { return true }
            return false
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    /// The table with only the columns of these titles, in this order (titles it does not
    /// have are skipped).
    public func selecting(_ titles: [String]) -> ReportTable {
        let indices = titles.compactMap { title in columns.firstIndex { $0.title == title } }
        return ReportTable(columns: indices.map { columns[$0] }, rows: rows.map { row in indices.map { $0 < row.count ? row[$0] : "" } })
    }

    /// The table in Markdown.
    public var markdown: String {
        MarkdownText.table(columns.map { MarkdownText.Column($0.title, width: $0.width, right: $0.isNumber) }, rows: rows)
    }

    /// The table as a sheet of a workbook.
    public func sheet(_ name: String) -> XLSXSheet {
        XLSXSheet(name, columns: columns.map { XLSXSheet.Column($0.title, $0.kind) }, rows: rows)
    }
}

/// The report's tables.
public enum ReportTables {
    /// 缺失与薄弱环节: every gap and weak link, highest priority first.
    public static func gaps(_ report: ChainReport) -> ReportTable {
        let rows = report.analysis.entries.enumerated().map { n, entry -> [String] in
            let link = report.chain[entry.link]
            return [
                "\(n + 1)", link.name, report.chain.stages[link.stage].name, entry.label,
                NumberText.tenths(entry.priority), ReportText.enterprises(on: entry.link, in: report, limit: 3),
                entry.reasons.joined(separator: "；"),
            ]
        }
        return ReportTable(columns: [
            .init("序号", .number(decimals: 0)), .init("环节", width: 3), .init("阶段"), .init("类型"),
            .init("优先级", .number(decimals: 1)), .init("本地企业", .wrapped, width: 3), .init("理由", .wrapped, width: 9),
        ], rows: rows)
    }

    /// 各环节推荐目标企业: each gap's best leads, by their score for that link.
    public static func gapLeads(_ report: ChainReport) -> ReportTable {
        var rows: [[String]] = []
        for gap in report.gapLeads {
            let link = report.chain[gap.entry.link]
            let head = [link.name, gap.entry.label, NumberText.tenths(gap.entry.priority)]
            if gap.leads.isEmpty {
                rows.append(head + [ReportText.noLeads, "—", "—", ReportText.searchHint(for: link)])
            }
            for lead in gap.leads {
                rows.append(head + [
                    lead.lead.name, NumberText.tenths(lead.score(for: gap.entry.link, scoring: report.scoring)),
                    ReportText.strength(lead.match(for: gap.entry.link)?.strength),
                    lead.evidenceText(for: gap.entry.link) ?? "—",
                ])
            }
        }
        return ReportTable(columns: [
            .init("环节", width: 3), .init("类型"), .init("优先级", .number(decimals: 1)),
            .init("目标企业", width: 4), .init(ReportText.perLinkScore, .number(decimals: 1)),
            .init("匹配度", .number(decimals: 2)), .init("匹配依据", .wrapped, width: 8),
        ], rows: rows)
    }

    /// 目标企业总排名.
    public static func leads(_ report: ChainReport) -> ReportTable {
        let rows = report.leads.enumerated().map { n, lead -> [String] in
            [
                "\(n + 1)", lead.lead.name, ReportText.leadLinks(lead.links, in: report), NumberText.tenths(lead.score),
                ReportText.province(lead.lead), ReportText.tags(lead.lead.tags), ReportText.status(lead.lead),
                lead.reasons.joined(separator: "；"),
            ]
        }
        return ReportTable(columns: [
            .init("排名", .number(decimals: 0)), .init("企业名称", width: 4), .init("对接环节", .wrapped, width: 3),
            .init("得分", .number(decimals: 1)), .init("省份"), .init("标签", width: 2), .init("状态"),
            .init("推荐理由", .wrapped, width: 8),
        ], rows: rows)
    }

    /// One phase of the roadmap.
    public static func roadmap(_ phase: ReportRoadmap.Phase, _ report: ChainReport) -> ReportTable {
        let timed = phase.items.contains { $0.timing != nil }
        let rows = phase.items.enumerated().map { n, item -> [String] in
            let link = report.chain[item.entry.link]
            return [
                "\(n + 1)", link.name, report.chain.stages[link.stage].name, item.entry.label,
                NumberText.tenths(item.entry.priority), item.measure, ReportText.targets(item.leads),
            ] + (timed ? [item.timing ?? ""] : [])
        }
        return ReportTable(columns: [
            .init("序号", .number(decimals: 0)), .init("环节", width: 3), .init("阶段"), .init("类型"),
            .init("优先级", .number(decimals: 1)), .init("主攻方向", .wrapped, width: 7), .init("目标企业", .wrapped, width: 5),
        ] + (timed ? [.init("时间节点", .wrapped, width: 4)] : []), rows: rows)
    }

    /// The listed leads by region (粤港澳, 长三角, 京津冀, 成渝, 港澳台, 其他省份, 境外 …):
    /// 区域, 企业数, 省份/国家, 代表企业 (the best five).
    public static func targetRegions(_ report: ChainReport) -> ReportTable {
        let d = report.targets
        return ReportTable(
            columns: [.init("区域", width: 2), .init("企业数", .number(decimals: 0)), .init("省份/国家", .wrapped, width: 3), .init("代表企业", .wrapped, width: 6)],
            rows: d.regionRows.map { row in
                var areas: [String] = []
                for lead in row.leads {
                    let area = Regions.area(in: lead.lead.province ?? "") ?? lead.lead.province ?? "—"
                    if !areas.contains(area) { areas.append(area) }
                }
                return [row.group, "\(row.leads.count)", areas.joined(separator: "、"),
                        row.leads.prefix(5).map(\.lead.name).joined(separator: "、") + (row.leads.count > 5 ? " 等" : "")]
            })
    }

    /// A directory of local enterprises (链主与重点企业, or 配套企业).
    public static func enterprises(_ enterprises: [Enterprise], _ report: ChainReport) -> ReportTable {
        let rows = enterprises.enumerated().map { n, e in
            [
                "\(n + 1)", e.name, e.role.rawValue, report.linkNames(e.links), report.stageNames(e.links),
                ReportText.amount(e.revenue), ReportText.tags(e.tags),
            ]
        }
        return ReportTable(columns: [
            .init("序号", .number(decimals: 0)), .init("企业名称", width: 5), .init("类型"), .init("所在环节", width: 4),
            .init("阶段"), .init("营收（亿元）", .number(decimals: 2), width: 2), .init("标签", width: 3),
        ], rows: rows)
    }

    /// The four project lists at a glance.
    public static func projectSummary(_ report: ChainReport) -> ReportTable {
        ReportTable(columns: [
            .init("清单", width: 2), .init("跟进状态", width: 2), .init("项目数", .number(decimals: 0)),
            .init("意向投资（亿元）", .number(decimals: 2), width: 2),
        ], rows: report.projects.lists.map { list in
            [
                list.name, list.statuses.map(\.rawValue).joined(separator: "、"), "\(list.projects.count)",
                list.investmentCount > 0 ? NumberText.amount(list.investment) : "—",
            ]
        })
    }

    /// One project list.
    public static func projects(_ list: ReportProjects.List, _ report: ChainReport) -> ReportTable {
        let rows = list.projects.enumerated().map { k, project -> [String] in
            [
                "\(k + 1)", project.lead.name, ReportText.leadLinks(project.links, in: report),
                ReportText.province(project.lead), ReportText.tags(project.lead.tags),
                ReportText.amount(project.lead.invest), ReportText.status(project.lead),
                ReportText.partner(project.lead),
            ]
        }
        return ReportTable(columns: [
            .init("序号", .number(decimals: 0)), .init("企业名称", width: 4), .init("对接环节", width: 3), .init("省份"),
            .init("标签", width: 2), .init("意向投资（亿元）", .number(decimals: 2), width: 2), .init("状态"),
            .init("配套关系", width: 3),
        ], rows: rows)
    }

    /// 概况: the key figures.
    public static func figures(_ report: ChainReport) -> ReportTable {
        ReportTable(columns: [.init("指标", width: 3), .init("数值", width: 4)], rows: ReportText.figures(report).map { [$0.0, $0.1] })
    }

    /// The report's workbook: 概况, 缺失与薄弱环节, 招商目标企业名录, 各环节推荐, each gap's
    /// leads, 本地企业名录 and the four project lists.
    public static func workbook(_ report: ChainReport) -> [XLSXSheet] {
        var sheets = [
            figures(report).sheet("概况"),
            gaps(report).sheet("缺失与薄弱环节"),
            leads(report).sheet("招商目标企业名录"),
            gapLeads(report).sheet("各环节推荐"),
        ]
        // Each gap's leads on a sheet of its own, named after the link.
        for gap in report.gapLeads where !gap.leads.isEmpty {
            let link = report.chain[gap.entry.link]
            let rows = gap.leads.enumerated().map { n, lead -> [String] in
                [
                    "\(n + 1)", lead.lead.name, NumberText.tenths(lead.score(for: gap.entry.link, scoring: report.scoring)),
                    ReportText.strength(lead.match(for: gap.entry.link)?.strength), lead.evidenceText(for: gap.entry.link) ?? "—",
                    ReportText.province(lead.lead), ReportText.tags(lead.lead.tags),
                ]
            }
            sheets.append(ReportTable(columns: [
                .init("序号", .number(decimals: 0)), .init("目标企业"), .init(ReportText.perLinkScore, .number(decimals: 1)),
                .init("匹配度", .number(decimals: 2)), .init("匹配依据", .wrapped), .init("省份"), .init("标签"),
            ], rows: rows).sheet("\(gap.entry.kind.label)·\(link.name)"))
        }
        var directory = enterprises(report.keyEnterprises + report.supportingEnterprises, report)
        for i in directory.rows.indices { directory.rows[i][0] = "\(i + 1)" }
        sheets.append(directory.sheet("本地企业名录"))
        if let roster = report.roster { sheets.append(RosterReport.table(report.chain, roster).sheet("摸排名录落位")) }
        for list in report.projects.lists {
            sheets.append(projects(list, report).sheet(list.name))
        }
        // 项目推进与考核: the targets, the quarters, the measures, the alerts, the ledger's lists.
        if let ledger = report.ledger {
            if let targets = ledger.targetsTable { sheets.append(targets.sheet("年度目标")) }
            sheets.append(ledger.quartersTable.sheet("季度推进"))
            sheets.append(ledger.measuresTable.sheet("考核指标"))
            sheets.append(ledger.alertsTable.sheet("问题台账"))
            for list in ledger.lists { sheets.append(list.table.sheet("台账·" + list.name)) }
        }
        if !report.leads.isEmpty { sheets.append(targetRegions(report).sheet("目标企业区域分布")) }
        if let benchmark = report.benchmark { sheets += ComparisonReport.sheets(benchmark.comparison) }
        return sheets
    }
}
