/// The project ledger's outputs (`chainmap projects`): the measures overall, per chain and
/// per 责任单位, the alerts (问题台账) and the four lists (推介, 跟踪, 签约, 开工). They
/// only read ``LedgerAnalysis``; rates are shown as percentages, "—" when undefined.
public enum LedgerReport {
    /// The four lists and the stages each takes: 推介清单, 跟踪清单 (在谈), 签约清单 and
    /// 开工清单 (开工 and 投产). 终止 projects are in none.
    public static let lists: [(name: String, stages: [Project.Status])] = [
        ("推介清单", [.promoted]), ("跟踪清单", [.negotiating]), ("签约清单", [.signed]), ("开工清单", [.started, .producing]),
    ]

    /// A rate as a percentage with one decimal, or "—".
    public static func rate(_ value: Double?) -> String { value.map(NumberText.percent) ?? "—" }

    /// A rate in percentage points with one decimal (a number column), or "—".
    static func points(_ value: Double?) -> String { value.map { NumberText.fixed($0 * 100, 1) } ?? "—" }

    /// The measures table: one row overall, then one per chain (unless `perChain` is
    /// false) and one per 责任单位.
    public static func measuresTable(_ ledger: LedgerAnalysis, chainNames: [String: String] = [:], perChain: Bool = true) -> ReportTable {
        var rows = [row("合计", ledger.overall)]
        if perChain {
            rows += ledger.byChain.map { row("产业链：" + (chainNames[$0.chain] ?? ($0.chain.isEmpty ? "未注明" : $0.chain)), $0.measures) }
        }
        rows += ledger.byOwner.map { row("责任单位：" + ($0.owner.isEmpty ? "未注明" : $0.owner), $0.measures) }
        return ReportTable(
            columns: [
                .init("范围", width: 3), .init("签约项目", .number(decimals: 0)), .init("应履约", .number(decimals: 0)),
                .init("已履约", .number(decimals: 0)), .init("履约率(%)", .number(decimals: 1)), .init("开工", .number(decimals: 0)), .init("开工率(%)", .number(decimals: 1)),
                .init("投产", .number(decimals: 0)), .init("投产率(%)", .number(decimals: 1)), .init("协议投资(亿元)", .number(decimals: 2)),
                .init("到位资金(亿元)", .number(decimals: 2)), .init("资金到位率(%)", .number(decimals: 1)),
            ] + ProjectMeasures.sizeClassBounds.map { .init("≥\($0)亿", .number(decimals: 0)) },
            rows: rows)
    }

    static func row(_ label: String, _ m: ProjectMeasures) -> [String] {
        [label, "\(m.signed)", "\(m.due)", "\(m.fulfilled)", points(m.fulfilmentRate), "\(m.started)", points(m.startRate),
         "\(m.inProduction)", points(m.productionRate), NumberText.trimmed(m.agreedInvest, 2), NumberText.trimmed(m.fundsInPlace, 2),
         points(m.fundsRate)] + ProjectMeasures.sizeClassBounds.map { "\(m.sizeClasses[$0] ?? 0)" }
    }

    /// The targets table: each measure's target, what is done, the share of the target
    /// done beside the share of the year elapsed, what is due by now, and the flag.
    /// Rates in percentage points.
    public static func targetsTable(_ progress: [TargetProgress]) -> ReportTable {
        let figure: (Double?, Bool) -> String = { value, rate in
            guard let value else { return "—" }
            return rate ? NumberText.fixed(value * 100, 1) : NumberText.trimmed(value, 2)
        }
        return ReportTable(
            columns: [
                .init("指标", width: 2), .init("年度目标", .number(decimals: 2)), .init("完成", .number(decimals: 2)),
                .init("完成率(%)", .number(decimals: 1)), .init("时序进度(%)", .number(decimals: 1)),
                .init("应完成", .number(decimals: 2)), .init("状态"),
            ],
            rows: progress.map { p in
                [p.label + (p.isRate ? "(%)" : ""), figure(p.target, p.isRate), figure(p.actual, p.isRate),
                 p.completion.map { NumberText.fixed($0 * 100, 1) } ?? "", NumberText.fixed(p.yearElapsed * 100, 1),
                 figure(p.due, p.isRate), p.flag?.rawValue ?? "—"]
            })
    }

    /// The alerts: project, 责任单位, 包保领导, reason, and where the project is (its row,
    /// as `source` names it: file:line by default).
    public static func alertsTable(
        _ ledger: LedgerAnalysis, source: (FileLocation) -> String = { $0.rowReference }
    ) -> ReportTable {
        ReportTable(
            columns: [.init("项目", width: 3), .init("责任单位", width: 2), .init("包保领导", width: 2), .init("问题", .wrapped, width: 4), .init("来源", width: 2)],
            rows: ledger.alerts.map { [$0.project.name, $0.project.owner ?? "", $0.project.leader ?? "", $0.reason, source($0.project.location)] })
    }

    /// A compact measures table for documents (nine columns, fit for a portrait page):
    /// the counts of 应履约 and the size classes are left to the full table.
    public static func compactMeasuresTable(_ table: ReportTable) -> ReportTable {
        table.selecting(["范围", "签约项目", "开工", "履约率(%)", "开工率(%)", "投产率(%)", "协议投资(亿元)", "到位资金(亿元)", "资金到位率(%)"])
    }

    /// One of the four lists: its projects with their dates, amounts and owners.
    public static func listTable(_ ledger: LedgerAnalysis, stages: [Project.Status], chainNames: [String: String] = [:]) -> ReportTable {
        let projects = self.projects(ledger, stages: stages)
        return ReportTable(
            columns: [
                .init("项目", width: 3), .init("投资方", width: 3), .init("产业链", width: 2), .init("协议投资(亿元)", .number(decimals: 2)),
                .init("到位资金(亿元)", .number(decimals: 2)), .init("签约日期"), .init("约定开工"), .init("开工日期"), .init("投产日期"),
                .init("责任单位", width: 2), .init("包保领导"),
            ],
            rows: projects.map { p in
                [p.name, p.investor ?? "", p.chain.map { chainNames[$0] ?? $0 } ?? "", p.agreed.map { NumberText.trimmed($0, 2) } ?? "",
                 p.inPlace.map { NumberText.trimmed($0, 2) } ?? "", p.signedOn?.description ?? "", p.dueStart?.description ?? "",
                 p.startedOn?.description ?? "", p.producingOn?.description ?? "", p.owner ?? "", p.leader ?? ""]
            })
    }

    /// The projects of a list: those at one of `stages` as of the ledger's day.
    static func projects(_ ledger: LedgerAnalysis, stages: [Project.Status]) -> [Project] {
        ledger.projects.filter { stages.contains($0.stage(asOf: ledger.asOf)) }
    }

    /// One of the four lists for a document page (eight columns, nine with 产业链): the
    /// start or production day as 进展, the 包保领导 beside the 责任单位.
    public static func compactListTable(
        _ ledger: LedgerAnalysis, stages: [Project.Status], chainNames: [String: String]? = nil
    ) -> ReportTable {
        let columns: [ReportTable.Column] = [.init("项目", width: 3), .init("投资方", width: 3)]
            + (chainNames == nil ? [] : [.init("产业链", width: 2)])
            + [.init("协议投资(亿元)", .number(decimals: 2), width: 2), .init("到位资金(亿元)", .number(decimals: 2), width: 2),
               .init("签约日期", width: 2), .init("约定开工", width: 2), .init("进展", width: 2), .init("责任单位（包保领导）", width: 3)]
        return ReportTable(columns: columns, rows: projects(ledger, stages: stages).map { p in
            let progress = p.producingOn.map { "\($0) 投产" } ?? p.startedOn.map { "\($0) 开工" } ?? "—"
            let owner = (p.owner ?? "—") + (p.leader.map { "（\($0)）" } ?? "")
            return [p.name, p.investor ?? ""] + (chainNames.map { names in [p.chain.map { names[$0] ?? $0 } ?? ""] } ?? [])
                + [p.agreed.map { NumberText.trimmed($0, 2) } ?? "", p.inPlace.map { NumberText.trimmed($0, 2) } ?? "",
                   p.signedOn?.description ?? "—", p.dueStart?.description ?? "—", progress, owner]
        })
    }

    /// The JSON scripts read: `as_of`; `overall` with `signed`, `due`, `fulfilled`,
    /// `fulfilment_rate`, `started`, `start_rate`, `in_production`, `production_rate`,
    /// `agreed_invest`, `funds_in_place`, `funds_rate` and `size_classes` (keyed "1", "5",
    /// "10", "50", "100"); `by_chain` and `by_owner`, lists of the same fields with
    /// `chain` or `owner`; `alerts`, each with `project`, `owner`, `reason` (and `kind`).
    /// Rates are fractions in 0..1 rounded to 4 places (null when undefined); amounts are
    /// in 亿元.
    /// With targets, `targets` lists each measure's `measure`, `target`, `actual`,
    /// `due` (what is due by as-of), `year_elapsed` and `flag` (达标, 滞后, 落后 or null).
    public static func json(_ ledger: LedgerAnalysis, targets: [TargetProgress]? = nil) -> String {
        var out = JSONWriter()
        out.raw("{\n  "); out.key("as_of"); out.string(ledger.asOf.description)
        out.raw(",\n  "); out.key("overall"); measures(ledger.overall, into: &out)
        for (key, field, groups) in [
            ("by_chain", "chain", ledger.byChain.map { ($0.chain, $0.measures) }),
            ("by_owner", "owner", ledger.byOwner.map { ($0.owner, $0.measures) }),
        ] {
            out.raw(",\n  "); out.key(key); out.raw("[")
            for (n, group) in groups.enumerated() {
                out.raw(n == 0 ? "\n    " : ",\n    ")
                measures(group.1, into: &out, label: (field, group.0))
            }
            out.raw(groups.isEmpty ? "]" : "\n  ]")
        }
        out.raw(",\n  "); out.key("alerts"); out.raw("[")
        for (n, alert) in ledger.alerts.enumerated() {
            out.raw(n == 0 ? "\n    {" : ",\n    {")
            out.key("project"); out.string(alert.project.name)
            out.raw(", "); out.key("owner"); out.optional(alert.project.owner)
            out.raw(", "); out.key("reason"); out.string(alert.reason)
            out.raw(", "); out.key("kind"); out.string(alert.kind.rawValue)
            out.raw("}")
        }
        out.raw(ledger.alerts.isEmpty ? "]" : "\n  ]")
        if let targets {
            out.raw(",\n  "); out.key("targets"); out.raw("[")
            for (n, t) in targets.enumerated() {
                out.raw(n == 0 ? "\n    {" : ",\n    {")
                out.key("measure"); out.string(t.label)
                out.raw(", "); out.key("target"); out.number(t.target, decimals: 4)
                out.raw(", "); out.key("actual"); out.number(t.actual, decimals: 4)
                out.raw(", "); out.key("due"); out.number(t.due, decimals: 4)
                out.raw(", "); out.key("year_elapsed"); out.number(t.yearElapsed, decimals: 4)
                out.raw(", "); out.key("flag"); out.optional(t.flag?.rawValue)
                out.raw("}")
            }
            out.raw(targets.isEmpty ? "]" : "\n  ]")
        }
        out.raw("\n}\n")
        return out.text
    }

    static func measures(_ m: ProjectMeasures, into out: inout JSONWriter, label: (String, String)? = nil) {
        out.raw("{")
        if let label { out.key(label.0); out.string(label.1); out.raw(", ") }
        out.key("signed"); out.integer(m.signed)
        out.raw(", "); out.key("due"); out.integer(m.due)
        out.raw(", "); out.key("fulfilled"); out.integer(m.fulfilled)
        out.raw(", "); out.key("fulfilment_rate"); out.number(m.fulfilmentRate, decimals: 4)
        out.raw(", "); out.key("started"); out.integer(m.started)
        out.raw(", "); out.key("start_rate"); out.number(m.startRate, decimals: 4)
        out.raw(", "); out.key("in_production"); out.integer(m.inProduction)
        out.raw(", "); out.key("production_rate"); out.number(m.productionRate, decimals: 4)
        out.raw(", "); out.key("agreed_invest"); out.number(m.agreedInvest, decimals: 4)
        out.raw(", "); out.key("funds_in_place"); out.number(m.fundsInPlace, decimals: 4)
        out.raw(", "); out.key("funds_rate"); out.number(m.fundsRate, decimals: 4)
        out.raw(", "); out.key("size_classes"); out.raw("{")
        for (n, bound) in ProjectMeasures.sizeClassBounds.enumerated() {
            if n > 0 { out.raw(", ") }
            out.key("\(bound)"); out.integer(m.sizeClasses[bound] ?? 0)
        }
        out.raw("}}")
    }
}
