/// The 产业体系 overview across chains: the one definition of its title, its paragraph,
/// its table's columns and cells, and its list of first tasks. The overview of
/// `chainmap gaps`, the index page and the Markdown index all read it, from an
/// ``IndustrySystem``.
public enum ReportIndex {
    /// A column of the overview table.
    public struct Column: Hashable, Sendable {
        public var title: String
        /// Whether the column holds numbers (right-aligned).
        public var numeric: Bool
        /// Relative width, for Markdown.
        public var width: Int
        /// What the column shows.
        public var content: Content

        public enum Content: Hashable, Sendable {
            case chain, region, links, covered, coverage, completeness, kind(LinkStatus), enterprises, leads, task
        }
    }

    /// "示例市产业体系总览", or "产业体系总览" when the chains name different regions or none.
    public static func title(_ system: IndustrySystem) -> String {
        (system.region ?? "") + "产业体系总览"
    }

    /// The columns of the overview table; 目标企业 only when leads were screened.
    public static func columns(_ system: IndustrySystem) -> [Column] {
        var columns: [Column] = [
            Column(title: "产业链", numeric: false, width: 3, content: .chain),
            Column(title: "地区", numeric: false, width: 2, content: .region),
            Column(title: "环节", numeric: true, width: 1, content: .links),
            Column(title: GapSummary.presentTitle, numeric: true, width: 1, content: .covered),
            Column(title: "覆盖率", numeric: true, width: 1, content: .coverage),
            Column(title: "完整度", numeric: true, width: 1, content: .completeness),
        ]
        columns += LinkStatus.kinds.map { Column(title: $0.label, numeric: true, width: 1, content: .kind($0)) }
        columns.append(Column(title: "本地企业", numeric: true, width: 1, content: .enterprises))
        if system.totals.screened {
            columns.append(Column(title: "目标企业", numeric: true, width: 1, content: .leads))
        }
        columns.append(Column(title: "首要任务", numeric: false, width: 3, content: .task))
        return columns
    }

    /// The text of one cell of a chain's row.
    public static func cell(_ column: Column, of chain: AnalysedChain) -> String {
        let s = chain.summary
        switch column.content {
        case .chain: return chain.chain.name
        case .region: return chain.chain.region ?? "—"
        case .links: return "\(s.linkCount)"
        case .covered: return "\(s.coveredCount)"
        case .coverage: return NumberText.percent(s.coverage)
        case .completeness: return NumberText.tenths(s.completeness)
        case .kind(let kind): return "\(s.count(kind))"
        case .enterprises: return "\(s.enterpriseCount)"
        case .leads: return "\(chain.screening?.recommendedCount ?? 0)"
        case .task: return task(of: chain) ?? "—"
        }
    }

    /// A chain's first task: "补链「电解液」", or nil when it has no gap or weak link.
    public static func task(of chain: AnalysedChain) -> String? {
        chain.analysis.entries.first.map { "\($0.label)「\(chain.chain[$0.link].name)」" }
    }

    /// The overview as a table.
    public static func table(_ system: IndustrySystem) -> TextTable {
        let columns = columns(system)
        return TextTable(
            headers: columns.map(\.title),
            rows: system.chains.map { chain in columns.map { cell($0, of: chain) } },
            alignments: columns.map { $0.numeric ? .right : .left })
    }

    /// The overview as a sheet of a workbook (numbers as numbers; coverage as a percent
    /// text, as shown).
    public static func sheet(_ system: IndustrySystem) -> XLSXSheet {
        let table = table(system)
        let columns = columns(system).map { column -> XLSXSheet.Column in
            if column.content == .coverage || column.content == .completeness { return XLSXSheet.Column(column.title, .text) }
            return XLSXSheet.Column(column.title, column.numeric ? .number(decimals: 0) : .text)
        }
        return XLSXSheet("产业体系总览", columns: columns, rows: table.rows)
    }

    /// One paragraph across all chains. Totals count each company once, and say how many
    /// work in, or are recommended for, more than one chain.
    public static func overview(_ system: IndustrySystem) -> String {
        let t = system.totals
        var text = "本产业体系共 \(t.chains) 条重点产业链、\(t.links) 个环节，其中 \(t.covered) 个已有本地企业"
        text += "（覆盖率 \(NumberText.percent(t.coverage))）。"
        text += "需补链 \(t.count(.fill)) 个、强链 \(t.count(.strengthen)) 个、延链 \(t.count(.extend)) 个、远期布局 \(t.count(.distant)) 个；"
        text += "本地企业 \(t.enterprises) 家（链主、龙头 \(t.anchors) 家"
        if t.enterprisesInSeveralChains > 0 { text += "；\(t.enterprisesInSeveralChains) 家同时位于多条产业链，只计一次" }
        text += "）"
        if t.screened {
            text += "，推荐招商目标企业 \(t.leads) 家"
            if t.leadsInSeveralChains > 0 { text += "（其中 \(t.leadsInSeveralChains) 家同时对接多条产业链，只计一次）" }
        }
        text += "，在库项目 \(t.projects) 个。"
        if let weakest = system.weakest {
            text += "完整度最低的是\(weakest.chain.name)（\(NumberText.tenths(weakest.summary.completeness))），宜优先补链。"
        }
        return text
    }

    /// The first three tasks of each chain, with the best lead for each.
    public static func tasks(_ system: IndustrySystem) -> [(chain: AnalysedChain, entry: GapEntry, best: String?)] {
        system.chains.flatMap { chain in
            chain.analysis.entries.prefix(3).map { entry in
                (chain, entry, chain.screening?.leads(for: entry.link, limit: 1).first?.lead.name)
            }
        }
    }
}
