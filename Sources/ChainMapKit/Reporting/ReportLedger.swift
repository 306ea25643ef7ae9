import Foundation

/// The report's 项目推进与考核 (section 8), when a project ledger was read for the chain:
/// the measures as cards against the year's targets, the quarterly chart, the targets
/// table, the measures per 责任单位, the alerts (问题台账) and the four lists.
///
/// It only reads ``ChainLedger`` (the measures, the progress against the targets, the
/// quarters) and words them once for every format.
public struct ReportLedger: Sendable {
    /// One KPI card: a measure, its figure, what it is measured against, and its flag.
    public struct Card: Hashable, Sendable {
        public var label: String
        public var value: String
        public var unit: String
        /// The target and the progress ("目标 30 个 · 完成 37.5% · 时序进度 74.8%"), or
        /// what the figure is made of when there is no target ("已履约 2 / 应履约 3").
        public var detail: String
        public var flag: TargetProgress.Flag?
    }

    public let ledger: ChainLedger
    /// The quarterly chart as SVG (Graphviz's bytes), or nil when it could not be drawn.
    public let chartSVG: [UInt8]?
    /// Why there is no chart, when there is none.
    public let chartProblem: String?
    /// For the overview across chains: each chain's name by id (the measures are then
    /// also given per chain); nil for one chain's report.
    public let chainNames: [String: String]?

    public init(_ ledger: ChainLedger, chartSVG: [UInt8]?, chartProblem: String? = nil, chainNames: [String: String]? = nil) {
        self.ledger = ledger
        self.chartSVG = chartSVG
        self.chartProblem = chartSVG == nil ? (chartProblem ?? "季度图未能生成") : nil
        self.chainNames = chainNames
    }

    /// The ledger of the overview across chains, or nil when the system has none.
    public init?(system: IndustrySystem) {
        guard let ledger = system.ledger else { return nil }
        self.init(ledger, chartSVG: nil, chainNames: Dictionary(system.chains.map { ($0.chain.id, $0.chain.name) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The parts of the section after the cards, in order; the four lists are numbered
    /// one each.
    public enum Part: CaseIterable, Sendable { case targets, quarters, measures, alerts, lists }
    static let parts = Part.allCases

    /// "（一）" … "（八）": the n-th (from 0) sub-heading's number.
    static func number(_ n: Int) -> String {
        "（" + ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][min(n, 9)] + "）"
    }

    /// The heading of the measures table.
    var measuresTitle: String { chainNames == nil ? "分责任单位" : "分产业链、分责任单位" }

    /// The section's title in the overview across chains.
    public static let systemTitle = name

    /// The chapter's name (numbered by ``ChainReport/chapters``).
    public static let name = "项目推进与考核"
    /// The section's anchor in the web page.
    public static let id = "ledger"
    /// The name of the chart's file beside the report: `<id>-projects.svg` (or `.png`).
    public static func chartFile(_ chainID: String, _ format: OutputFormat) -> String {
        Chain.Figure.projects.file(chainID, format.fileExtension)
    }

    var measures: ProjectMeasures { ledger.analysis.overall }

    /// The paragraph that opens the section.
    public var overview: String {
        let m = measures
        let a = ledger.analysis
        var text = "截至 \(ledger.asOf)，项目台账中"
        text += chainNames == nil ? "本产业链共有项目 \(a.projects.count) 个" : "各产业链共有项目 \(a.projects.count) 个（同一项目只计一次）"
        text += "，其中已签约 \(m.signed) 个"
        text += "（协议投资 \(NumberText.amount(m.agreedInvest)) 亿元，到位资金 \(NumberText.amount(m.fundsInPlace)) 亿元），已开工 \(m.started) 个、已投产 \(m.inProduction) 个。"
        text += "履约率 \(LedgerReport.rate(m.fulfilmentRate))、开工率 \(LedgerReport.rate(m.startRate))、资金到位率 \(LedgerReport.rate(m.fundsRate))。"
        if !ledger.progress.isEmpty {
            let flagged = TargetProgress.Flag.allCases.map { flag in (flag, ledger.progress.filter { $0.flag == flag }.count) }
            text += "对照 \(ledger.year) 年度目标（时序进度 \(NumberText.percent(ledger.progress[0].yearElapsed))），"
            text += flagged.map { "\($0.0.rawValue) \($0.1) 项" }.joined(separator: "、") + "。"
        } else {
            text += chainNames == nil ? "未设年度目标（产业链文件的 targets:）。" : "未设年度目标（--targets）。"
        }
        text += a.alerts.isEmpty ? "问题台账无待处理事项。" : "问题台账 \(a.alerts.count) 项，须逐项督办。"
        return text
    }

    /// The cards: 签约项目, 协议引资, 到位资金 and the four rates, each against its target
    /// when there is one; then the alerts.
    public var cards: [Card] {
        let m = measures
        let progress = Dictionary(ledger.progress.map { ($0.label, $0) }, uniquingKeysWith: { a, _ in a })
        var cards: [Card] = []
        for measure in ProjectTargets.Measure.allCases {
            let unit = measure.unit
            let figure: (Double?) -> String = { value in
                guard let value else { return "—" }
                return measure.isRate ? NumberText.fixed(value * 100, 1) : measure == .signed ? "\(Int(value))" : NumberText.amount(value)
            }
            if let p = progress[measure.rawValue] {
                var detail = "目标 \(figure(p.target)) \(unit)"
                if let completion = p.completion {
                    detail += " · 完成 \(NumberText.percent(completion)) · 时序进度 \(NumberText.percent(p.yearElapsed))"
                }
                cards.append(Card(label: measure.rawValue + (measure.countsTheYear ? "（\(ledger.year) 年）" : ""), value: figure(p.actual), unit: p.actual == nil ? "" : unit, detail: detail, flag: p.flag))
                continue
            }
            let value = measure.value(in: m)
            let detail: String = switch measure {
            case .signed: "应履约 \(m.due) 个"
            case .agreedInvest: "已签约项目的协议投资额"
            case .fundsInPlace: "已签约项目累计到位"
            case .fulfilmentRate: "已履约 \(m.fulfilled) / 应履约 \(m.due) 个"
            case .startRate: "已开工 \(m.started) / 已签约 \(m.signed) 个"
            case .productionRate: "已投产 \(m.inProduction) / 已签约 \(m.signed) 个"
            case .fundsRate: "到位 \(NumberText.amount(m.fundsInPlace)) / 协议 \(NumberText.amount(m.agreedInvest)) 亿元"
            }
            cards.append(Card(label: measure.rawValue, value: figure(value), unit: value == nil ? "" : unit, detail: detail, flag: nil))
        }
        let alerts = ledger.analysis.alerts
        let kinds = [ProjectAlert.Kind.notStarted, .startOverdue, .fundsBehind].map { kind in alerts.filter { $0.kind == kind }.count }
        cards.append(Card(
            label: "问题台账", value: "\(alerts.count)", unit: "项",
            detail: "超期未开工 \(kinds[0]) · 逾期开工 \(kinds[1]) · 资金滞后 \(kinds[2])", flag: nil))
        return cards
    }

    /// The quarters as a table: what the chart draws, in numbers.
    public var quartersTable: ReportTable {
        ReportTable(
            columns: [
                .init("季度", width: 2), .init("签约项目", .number(decimals: 0)), .init("开工项目", .number(decimals: 0)),
                .init("协议投资额(亿元)", .number(decimals: 2)), .init("到位资金(亿元)", .number(decimals: 2)),
            ],
            rows: ledger.quarters.map { q in
                q.isFuture ? [q.label + "（未到）", "—", "—", "—", "—"]
                    : [q.label, "\(q.signed)", "\(q.started)", NumberText.trimmed(q.agreedInvest, 2), NumberText.trimmed(q.fundsInPlace, 2)]
            })
    }

    /// The targets table, when there are targets.
    public var targetsTable: ReportTable? {
        ledger.progress.isEmpty ? nil : LedgerReport.targetsTable(ledger.progress)
    }

    /// The measures of the projects in all, then per chain (across chains), then per
    /// 责任单位.
    /// (One chain's own ledger has no per-chain row: it would repeat the total.) The
    /// columns a page can hold; the full table is in `chainmap projects`.
    public var measuresTable: ReportTable {
        LedgerReport.compactMeasuresTable(
            LedgerReport.measuresTable(ledger.analysis, chainNames: chainNames ?? [:], perChain: chainNames != nil))
    }

    /// The alerts (问题台账); a project's row is "第 N 行", with the file's name when the
    /// projects come from several ledgers.
    public var alertsTable: ReportTable {
        let files = Set(ledger.analysis.projects.map(\.location.file))
        return LedgerReport.alertsTable(ledger.analysis) { location in
            let row = "第 \(location.line) 行"
            return files.count > 1 ? (location.file as NSString).lastPathComponent + " " + row : row
        }
    }

    /// The four lists, each with its table.
    public var lists: [(name: String, table: ReportTable)] {
        // One chain's lists need no 产业链 column.
        LedgerReport.lists.map { ($0.name, LedgerReport.compactListTable(ledger.analysis, stages: $0.stages, chainNames: chainNames)) }
    }

    /// The figure's caption.
    public static let chartCaption = "项目推进季度图：上为各季度签约、开工项目数（按签约、开工日期），下为各季度签约项目的协议投资额与到位资金。"
}

extension TargetProgress.Flag: CaseIterable {
    public static let allCases: [TargetProgress.Flag] = [.met, .behind, .lagging]

    /// The key in CSS classes: `met`, `behind`, `lagging`.
    public var key: String {
        switch self {
        case .met: "met"
        case .behind: "behind"
        case .lagging: "lagging"
        }
    }
}
