/// The 产业生态发展路线图 (section 6): the gaps and weak links of a chain in three
/// phases, derived from their kinds and priorities alone (docs/report.md):
///
/// - 近期 · 补链: the fill gaps, which directly supply a covered link, by priority;
/// - 中期 · 强链: the weak links, by priority;
/// - 远期 · 延链: the extend gaps, then the distant ones, each by priority.
///
/// Every item says what to do (主攻方向) in words derived from the chain, and names the
/// best leads for it. When the chain has a project ledger, the phases and items are also
/// placed on real years and quarters (``Schedule``).
public struct ReportRoadmap: Sendable {
    /// One phase of the roadmap.
    public struct Phase: Sendable {
        /// 近期, 中期 or 远期.
        public var term: String
        /// 补链, 强链 or 延链.
        public var action: String
        /// The phase's goal, one sentence.
        public var goal: String
        /// The kinds of entry the phase takes, in the order it lists them.
        public var kinds: [LinkStatus]
        public var items: [Item]
        /// The phase's years or quarters ("2026Q4—2027Q4", "2028—2029年", "2030年起"),
        /// when the chain has a ledger.
        public var window: String?
    }

    /// One task of a phase: a gap or weak link.
    public struct Item: Sendable {
        public var entry: GapEntry
        /// What to do, in words: "补齐断点，就近配套电芯（龙头企业示例动力电池有限公司）".
        public var measure: String
        /// The best leads for the link, best first.
        public var leads: [Recommendation]
        /// When (时间节点): the ledger's project on the link and its dates, or the quarter
        /// or years the item is scheduled for; nil without a ledger.
        public var timing: String?
    }

    /// 近期, 中期, 远期, always all three (a phase may have no items).
    public let phases: [Phase]

    /// The kinds each phase takes: the documented derivation. A phase is named after the
    /// first of its kinds (近期 · 补链, 中期 · 强链, 远期 · 延链).
    public static let phaseKinds: [(term: String, kinds: [LinkStatus])] = [
        ("近期", [.fill]),
        ("中期", [.strengthen]),
        (LinkStatus.distant.label, [.extend, .distant]),
    ]

    public init(analysis: GapAnalysis, gapLeads: [GapLeads], ledger: ChainLedger? = nil) {
        let describer = MeasureWriter(analysis: analysis)
        var phases = Self.phaseKinds.map { phase in
            var items: [Item] = []
            // `gapLeads` is in priority order; take each kind in turn.
            for kind in phase.kinds {
                for gap in gapLeads where gap.entry.kind == kind {
                    items.append(Item(entry: gap.entry, measure: describer.measure(for: gap.entry, leads: gap.leads), leads: gap.leads))
                }
            }
            let lead = phase.kinds[0]
            return Phase(term: phase.term, action: lead.label, goal: Self.goal(lead), kinds: phase.kinds, items: items)
        }
        if let ledger {
            let schedule = Schedule(ledger)
            for p in phases.indices {
                phases[p].window = schedule.windows[p]
                schedule.place(&phases[p].items, phase: p, chain: analysis.chain)
            }
        }
        self.phases = phases
    }

    /// How the roadmap is placed on the calendar, from the ledger's as-of day and the
    /// chain's targets (docs/report.md):
    ///
    /// - 近期 runs from the quarter after the as-of day to the end of the following year;
    ///   中期 is the two years after; 远期 starts the year after that.
    /// - An item whose link has a project in the ledger is timed by it: started (开工
    ///   date), signed (约定开工, overdue when passed), or 在谈/推介 (to be signed in the
    ///   item's quarter).
    /// - The other 近期 items are given quarters in priority order. A quarter of the
    ///   targets' year takes as many as the signings its milestone still needs (签约项目
    ///   by quarter, else the year's target spread evenly, less what is signed); the
    ///   quarters of the next year share the rest evenly (all the quarters, when there
    ///   are no targets). 中期 and 远期 items take their phase's years.
    public struct Schedule: Sendable {
        /// The quarters of 近期, in order: (year, quarter).
        public let quarters: [(year: Int, quarter: Int)]
        /// How many items each quarter of ``quarters`` takes first (from the targets), nil
        /// when there are no targets for it.
        public let capacity: [Int?]
        /// 近期, 中期, 远期 as words.
        public let windows: [String]
        let asOf: CalendarDay
        let projects: [Project]

        public init(_ ledger: ChainLedger) {
            let asOf = ledger.asOf
            self.asOf = asOf
            projects = ledger.analysis.projects
            var quarters: [(year: Int, quarter: Int)] = []
            var (y, q) = asOf.quarter == 4 ? (asOf.year + 1, 1) : (asOf.year, asOf.quarter + 1)
            while y <= asOf.year + 1 {
                quarters.append((y, q))
                (y, q) = q == 4 ? (y + 1, 1) : (y, q + 1)
            }
            self.quarters = quarters
            // The signings each quarter of the targets' year still needs.
            let targets = ledger.targets
            let year = ledger.year
            let signedSoFar = ledger.analysis.projects.filter { ($0.signedOn?.year == year) && ProjectMeasures.isSigned($0, asOf: asOf) }.count
            func milestone(_ q: Int) -> Double? {
                if q == 0 { return 0 }
                if let m = targets?.quarters[q]?[.signed] { return m }
                return targets?.values[.signed].map { $0 * Double(q) / 4 }
            }
            capacity = quarters.map { y, q in
                guard y == year, let m = milestone(q), let previous = milestone(q - 1) else { return nil }
                return max(0, Int((m - max(Double(signedSoFar), previous)).rounded(.up)))
            }
            let last = quarters.last.map { "\($0.year)Q\($0.quarter)" } ?? "\(asOf.year + 1)Q4"
            let first = quarters.first.map { "\($0.year)Q\($0.quarter)" } ?? last
            windows = [
                first == last ? first : "\(first)—\(last)",
                "\(asOf.year + 2)—\(asOf.year + 3)年",
                "\(asOf.year + 4)年起",
            ]
        }

        func label(_ slot: (year: Int, quarter: Int)) -> String { "\(slot.year)Q\(slot.quarter)" }

        /// Times the items of phase `p` (0 近期, 1 中期, 2 远期), in their order.
        func place(_ items: inout [Item], phase p: Int, chain: Chain) {
            // The near term's open items take quarters: first the targets' capacity, then
            // the quarters without targets share the rest evenly.
            var slots: [String] = []
            if p == 0 {
                let open = items.filter { underway($0, chain: chain) == nil }.count
                for (n, slot) in quarters.enumerated() {
                    for _ in 0..<(capacity[n] ?? 0) where slots.count < open { slots.append(label(slot)) }
                }
                let free = quarters.indices.filter { capacity[$0] == nil }
                let pool = free.isEmpty ? [quarters.count - 1] : free
                let rest = open - slots.count
                for k in 0..<max(0, rest) {
                    slots.append(label(quarters[pool[k * pool.count / max(1, rest)]]))
                }
            }
            var next = 0
            for i in items.indices {
                let link = chain[items[i].entry.link].id
                if let project = underway(items[i], chain: chain) {
                    items[i].timing = Self.underway(project, asOf: asOf)
                    continue
                }
                var when: String
                if p == 0 {
                    when = "力争 \(slots[next]) 签约"
                    next += 1
                } else {
                    when = p == 1 ? "\(windows[1])招引落地" : "\(windows[2])谋划布局"
                }
                // A project being promoted or negotiated on the link comes first.
                if let talk = projects.first(where: { $0.link == link && [.promoted, .negotiating].contains($0.stage(asOf: asOf)) }) {
                    when = "\(talk.stage(asOf: asOf).rawValue)「\(talk.name)」，" + when
                }
                items[i].timing = when
            }
        }

        /// The signed or started project of an item: the gap's own (在建补链), or one on a
        /// weak link.
        func underway(_ item: Item, chain: Chain) -> Project? {
            if let project = item.entry.project { return project }
            let link = chain[item.entry.link].id
            return projects.first { $0.link == link && [.signed, .started].contains($0.stage(asOf: asOf)) }
        }

        /// The timing of a signed or started project.
        static func underway(_ project: Project, asOf: CalendarDay) -> String {
            if project.stage(asOf: asOf) == .started || project.startedOn.map({ $0 <= asOf }) ?? false {
                return "已开工" + (project.startedOn.map { "（\($0)）" } ?? "") + "，推动投产"
            }
            guard let due = project.dueStart else { return "已签约，待明确开工日期" }
            return due < asOf ? "已签约，约定 \(due) 开工，已逾期" : "已签约，约定 \(due) 开工"
        }
    }

    static func goal(_ kind: LinkStatus) -> String {
        switch kind {
        case .fill: "补齐直接配套本地企业的缺失环节：按优先级逐一招引，打通断点，满足本地链主和骨干企业的就近配套需求。"
        case .strengthen: "做强本地已有但实力薄弱的环节：支持现有企业扩能升级，引进龙头、上市和专精特新企业，提升本地配套能力。"
        default: "向产业链上下游延伸：招引紧邻本地产业的环节，跟踪谋划距离较远的环节，拓展产业链条和应用场景。"
        }
    }

    /// Writes the 主攻方向 of an entry from the chain's structure.
    struct MeasureWriter {
        let analysis: GapAnalysis
        var chain: Chain { analysis.chain }

        /// What to do for an entry, from its own facts: what it serves or lacks, its
        /// enterprises, and its best leads.
        func measure(for entry: GapEntry, leads: [Recommendation]) -> String {
            let ref = entry.link
            let link = chain[ref]
            let targets = leads.prefix(2).map(\.lead.name)
            var parts: [String] = []
            switch entry.kind {
            case .fill:
                // Supplying a covered link through a loop is recycling, not the main flow.
                // The analysis's edges, with their kinds: what it supplies that the region has.
                let served = analysis.edges(from: ref).filter { chain.isCovered($0.to) }
                let recycled = served.filter { $0.kind == .feedback }.map(\.to)
                let main = served.filter { $0.kind != .feedback }.map(\.to)
                if !main.isEmpty {
                    parts.append("补齐断点，就近配套" + main.prefix(3).map(describeCovered).joined(separator: "、")
                        + (main.count > 3 ? "等\(main.count)个环节" : ""))
                }
                if !recycled.isEmpty {
                    parts.append("补齐循环利用环节，回流供给" + recycled.prefix(3).map(describeCovered).joined(separator: "、"))
                }
                parts.append(targets.isEmpty ? ReportText.searchHint(for: link) : "优先对接" + targets.joined(separator: "、"))
            case .strengthen:
                let local = analysis.enterprises(on: ref)
                let names = local.prefix(2).map(\.name).joined(separator: "、") + (local.count > 2 ? "等\(local.count)家" : "")
                parts.append("支持\(names)扩能升级")
                let served = analysis.edges(from: ref).map(\.to).filter { analysis.anchored[$0.index] }
                if !served.isEmpty {
                    parts.append("稳定配套" + served.prefix(2).map(describeCovered).joined(separator: "、"))
                }
                if !targets.isEmpty {
                    parts.append("引进" + targets.joined(separator: "、") + "补强")
                } else if local.count < analysis.settings.minEnterprises {
                    parts.append("引进同类企业形成集聚，" + ReportText.searchHint(for: link))
                } else {
                    parts.append("引进龙头、上市或专精特新企业，培育本环节骨干")
                }
            case .extend, .distant:
                if entry.kind == .distant { parts.append("跟踪谋划，择机布局") }
                switch direction(of: entry) {
                case .upstream(let near):
                    parts.append("向上游延伸，为\(names(near))提供本地供给")
                case .downstream(let near):
                    parts.append("向下游延伸，承接\(names(near))的产品，拓展应用")
                case .both(let supplied, let suppliers):
                    parts.append("上下游双向延伸：承接上游\(names(suppliers))的产品，供给下游\(names(supplied))")
                case .unconnected:
                    parts.append("与本地产业尚无上下游联系，待相邻环节落地后再行招引")
                }
                parts.append(targets.isEmpty ? ReportText.searchHint(for: link) : "可先接洽" + targets.joined(separator: "、"))
            case .covered:
                return ""
            }
            return parts.joined(separator: "；")
        }

        func names(_ refs: [LinkRef]) -> String {
            refs.map { chain[$0].name }.joined(separator: "、")
        }

        /// "电芯（龙头企业示例动力电池有限公司）", or the link's name when no anchor works in it.
        func describeCovered(_ ref: LinkRef) -> String {
            let anchor = analysis.enterprises(on: ref).first(where: \.role.isAnchor)
            guard let anchor else { return chain[ref].name }
            return "\(chain[ref].name)（\(anchor.role.rawValue)企业\(anchor.name)）"
        }

        enum Direction {
            /// The gap's products flow (directly or not) into these nearest covered links.
            case upstream([LinkRef])
            /// These nearest covered links flow into the gap.
            case downstream([LinkRef])
            /// Both: the covered links it supplies, and those that supply it.
            case both(supplied: [LinkRef], suppliers: [LinkRef])
            case unconnected
        }

        /// Which way the gap lies from what the region has: the nearest covered links it
        /// supplies (downstream) and that supply it (upstream), as the analysis found them.
        func direction(of entry: GapEntry) -> Direction {
            let down = entry.coveredDownstream.map { Array($0.links.prefix(3)) } ?? []
            let up = entry.coveredUpstream.map { Array($0.links.prefix(3)) } ?? []
            switch (down.isEmpty, up.isEmpty) {
            case (false, true): return .upstream(down)
            case (true, false): return .downstream(up)
            case (false, false): return .both(supplied: down, suppliers: up)
            case (true, true): return .unconnected
            }
        }
    }
}
