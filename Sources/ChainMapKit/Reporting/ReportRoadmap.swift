/// The 产业生态发展路线图 (section 6): the gaps and weak links of a chain in three
/// phases, derived from their kinds and priorities alone (docs/report.md):
///
/// - 近期 · 补链: the fill gaps, which directly supply a covered link, by priority;
/// - 中期 · 强链: the weak links, by priority;
/// - 远期 · 延链: the extend gaps, then the distant ones, each by priority.
///
/// Every item says what to do (主攻方向) in words derived from the chain, and names the
/// best leads for it.
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
    }

    /// One task of a phase: a gap or weak link.
    public struct Item: Sendable {
        public var entry: GapEntry
        /// What to do, in words: "补齐断点，就近配套电芯（龙头企业示例动力电池有限公司）".
        public var measure: String
        /// The best leads for the link, best first.
        public var leads: [Recommendation]
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

    public init(analysis: GapAnalysis, gapLeads: [GapLeads]) {
        let describer = MeasureWriter(analysis: analysis)
        phases = Self.phaseKinds.map { phase in
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
