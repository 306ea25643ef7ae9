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
            case chain, tier, region, links, covered, coverage, completeness, kind(LinkStatus), enterprises, leads, task
        }
    }

    /// "示例市产业体系总览", or "产业体系总览" when the chains name different regions or none.
    public static func title(_ system: IndustrySystem) -> String {
        (system.region ?? "") + "产业体系总览"
    }

    /// The columns of the overview table; 层级 when the system has a plan (unless the
    /// table is one tier's: `grouped`), 目标企业 only when leads were screened.
    public static func columns(_ system: IndustrySystem, grouped: Bool = false) -> [Column] {
        var columns: [Column] = [Column(title: "产业链", numeric: false, width: 3, content: .chain)]
        if system.plan != nil && !grouped {
            columns.append(Column(title: "层级", numeric: false, width: 2, content: .tier))
        }
        columns += [
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
    public static func cell(_ column: Column, of chain: AnalysedChain, in system: IndustrySystem? = nil) -> String {
        let s = chain.summary
        switch column.content {
        case .chain: return chain.chain.name
        case .tier: return system?.plan?.plan(of: chain.chain.id)?.tier ?? IndustrySystem.unplaced
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
            // With a plan, the chains by tier (the plan's order), the unplaced last.
            rows: (system.tierGroups?.flatMap(\.chains) ?? system.chains).map { chain in columns.map { cell($0, of: chain, in: system) } },
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

    // MARK: The plan: tiers and goals

    /// The overview's title with the plan's name when it gives one.
    public static func planLine(_ system: IndustrySystem) -> String? {
        guard let plan = system.plan, let groups = system.tierGroups else { return nil }
        let counts = groups.map { "\($0.tier) \($0.chains.count) 条" }.joined(separator: "、")
        return (plan.title.map { $0 + "：" } ?? "产业体系：") + counts + "。"
    }

    /// The goals of each chain and of the system: 产业链, 层级, 指标, 目标, 实际, 完成率.
    public static func goalsTable(_ system: IndustrySystem) -> ReportTable? {
        guard system.plan != nil, let goals = system.goals else { return nil }
        func figure(_ value: Double, _ goal: SystemPlan.Goal) -> String {
            goal.isCount ? "\(Int(value.rounded()))" : NumberText.trimmed(value, 2)
        }
        func row(_ chain: String, _ tier: String, _ p: SystemGoals.Progress) -> [String] {
            [chain, tier, "\(p.goal.rawValue)（\(p.goal.unit)）", figure(p.target, p.goal), figure(p.actual, p.goal),
             p.completion.map { NumberText.fixed($0 * 100, 1) } ?? "—"]
        }
        var rows: [[String]] = []
        for group in system.tierGroups ?? [] {
            for chain in group.chains {
                for progress in goals.byChain[chain.chain.id] ?? [] { rows.append(row(chain.chain.name, group.tier, progress)) }
            }
        }
        for progress in goals.total { rows.append(row("合计（设此目标的产业链，每家企业、每个项目只计一次）", "—", progress)) }
        guard !rows.isEmpty else { return nil }
        return ReportTable(
            columns: [.init("产业链", width: 3), .init("层级", width: 2), .init("指标", width: 2), .init("目标", .number(decimals: 2)),
                      .init("实际", .number(decimals: 2)), .init("完成率(%)", .number(decimals: 1))],
            rows: rows)
    }

    /// How each goal's actual value is found, one line per goal set.
    public static func goalRules(_ system: IndustrySystem) -> [String] {
        let set = Set(system.goals?.total.map(\.goal) ?? [])
        return SystemPlan.Goal.allCases.filter(set.contains).map { "\($0.rawValue)：\($0.rule)" }
    }

    // MARK: Shared links and enterprises

    /// The links two or more chains share: 环节, 所在产业链（状态）, 说明.
    public static func sharedLinksTable(_ system: IndustrySystem) -> ReportTable {
        ReportTable(
            columns: [.init("环节", width: 3), .init("所在产业链（状态）", .wrapped, width: 5), .init("说明", .wrapped, width: 4)],
            rows: system.sharedLinks.map { shared in
                let places = shared.places.map { "\($0.chain.chain.name)（\($0.chain.analysis.label(of: $0.link))）" }.joined(separator: "、")
                let gaps = shared.places.filter { $0.status.isGap }.count
                let note = gaps == shared.places.count
                    ? "\(shared.places.count) 条链均缺：补一个环节，惠及 \(shared.places.count) 条链"
                    : gaps > 0 ? "\(gaps) 条链缺失：可借助已有企业的链条以商引商" : "\(shared.places.count) 条链共用本地企业"
                return [shared.name, places, note]
            })
    }

    /// The local enterprises of two or more chains: 企业, 所在产业链.
    public static func sharedEnterprisesTable(_ system: IndustrySystem) -> ReportTable {
        ReportTable(
            columns: [.init("企业", width: 4), .init("所在产业链", .wrapped, width: 5)],
            rows: system.sharedEnterprises.map { [$0.name, $0.chains.joined(separator: "、")] })
    }
}

