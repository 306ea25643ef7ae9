/// Writes the reasons of a gap or weak link: short Chinese sentences that name the facts
/// (which local enterprises and links wait on it, what is missing around it, how far it
/// is from what the region has), in the order a planner reads them.
struct GapReasoner {
    let chain: Chain
    let settings: AnalysisSettings
    let statuses: [LinkStatus]
    let distances: [Int?]
    let graph: ChainGraph
    /// For each link, the links its feedback edges go to (see ``ChainGraph/feedbackEdges(stageOf:)``).
    let feedback: [[Int]]
    /// For each link, its enterprises in the listing order (``GapAnalysis/enterprises(on:)``).
    let enterpriseOrder: [[Int]]
    /// Whether any link has a local enterprise.
    let anyCovered: Bool
    /// For each link, the covered link a search from all covered links reached it from,
    /// either way along `supplies`, and the way there (``ChainGraph/towardsMarked(_:)``).
    let towards: (target: [Int?], path: [ChainGraph.Path])
    /// Scratch space for the searches round loops.
    let loopSpace: ChainGraph.SearchSpace

    /// At most this many names are listed in one reason; the rest are counted.
    static let listLimit = 3
    /// Covered links at most this many steps downstream are named as indirect demand;
    /// demand from further away is counted in the priority but too faint to name.
    static let indirectLimit = 3
    /// A loop of more links than this is shown with its middle left out.
    static let loopLimit = 5
    /// A search for the way round a loop stops after this many links, and the loop is
    /// then named without its middle. As many as a map may have (``ChainMap/maxLinks``), so that
    /// every chain that can be drawn has each of its loops named; in a larger chain whose
    /// links reach most others in a few steps, a search per loop link to the whole chain
    /// made `gaps` quadratic (each link supplying five random others, 10,000 links: 3.5 s
    /// of 6.9).
    static let loopSearchLimit = ChainMap.maxLinks

    /// - Parameters:
    ///   - downstream: a search downstream from the link, at least ``indirectLimit`` deep.
    ///   - reached: the nearest links it reaches along the main flow, and how many it
    ///     reaches in all.
    func reasons(
        for ref: LinkRef, downstream: ChainGraph.Search, reached reachedLinks: (nearest: [Int], count: Int),
        factors: GapPriority.Factors, coveredDownstream: NearestCovered?, coveredUpstream: NearestCovered?
    ) -> [String] {
        let reached = reachedLinks.count
        let i = ref.index
        let kind = statuses[i]
        let isGap = kind.isGap
        var reasons: [String] = []

        if kind == .strengthen {
            reasons.append(weakness(of: ref))
        }
        if isGap && !anyCovered {
            reasons.append("本链尚无本地企业，整条链均属远期布局，需从零谋划")
        }

        // Demand: the covered links it supplies directly, and those further downstream.
        let direct = graph.downstream[i].filter(isCovered)
        for (enterprise, links) in anchors(on: direct) {
            reasons.append("直接配套本地\(enterprise.role.rawValue) \(enterprise.name)（\(describe(enterprise, on: links))）")
        }
        if !direct.isEmpty {
            let need = isGap ? "需求待满足" : "需本环节稳定配套"
            reasons.append("下游 \(list(direct.map(name))) 已有本地企业 \(enterpriseCount(on: direct)) 家，\(need)")
        }
        let indirect = downstream.visited
            .filter { $0 != i && isCovered($0) && (2...Self.indirectLimit).contains(downstream.distance(to: $0) ?? 0) }
            .sorted { (downstream.distance(to: $0)!, $0) < (downstream.distance(to: $1)!, $1) }
        if let nearest = indirect.first {
            let via = downstream.via(to: nearest).map(name).joined(separator: "→")
            var detail = "本地企业 \(enterpriseCount(on: indirect)) 家"
            let leaders = anchors(on: indirect).map { "\($0.0.role.rawValue) \($0.0.name)" }
            if !leaders.isEmpty { detail += "，含\(list(leaders, unit: "家"))" }
            reasons.append("经 \(via) 间接配套下游 \(list(indirect.map(name)))（\(detail)）")
        }

        // Supply: covered links that feed a gap.
        let coveredSuppliers = graph.upstream[i].filter(isCovered)
        if isGap && !coveredSuppliers.isEmpty {
            reasons.append("上游 \(list(coveredSuppliers.map(name))) 已有本地企业 \(enterpriseCount(on: coveredSuppliers)) 家，可就近供货")
        }

        // Distance, for a gap that touches no covered link.
        if isGap && direct.isEmpty && coveredSuppliers.isEmpty {
            if let d = distances[i] {
                // Among the nearest covered links, prefer one straight downstream (where
                // the demand is), then one straight upstream, then any.
                var nearest: (target: Int, via: String)?
                if let down = coveredDownstream, down.distance == d, let first = down.links.first {
                    nearest = (first.index, route(down.via.map(\.index), elided: down.isViaElided))
                } else if let up = coveredUpstream, up.distance == d, let first = up.links.first {
                    nearest = (first.index, route(up.via.map(\.index), elided: up.isViaElided))
                } else if let target = towards.target[i] {
                    let shown = towards.path[i].shown
                    nearest = (target, route(shown.first + shown.last, elided: towards.path[i].isElided))
                }
                if let nearest {
                    reasons.append("距最近的已覆盖环节 \(d) 步（经 \(nearest.via) 至 \(name(nearest.target))）")
                }
            } else if anyCovered {
                reasons.append("与本地已覆盖环节无上下游联系")
            }
        }

        // What is missing around it.
        let missingUp = graph.upstream[i].filter { statuses[$0].isGap }
        if !missingUp.isEmpty {
            reasons.append("上游 \(list(missingUp.map(name))) \(isGap ? "亦" : "")缺失")
        }
        let missingDown = graph.downstream[i].filter { statuses[$0].isGap }
        if !missingDown.isEmpty {
            reasons.append("下游 \(list(missingDown.map(name))) \(isGap ? "亦" : "")缺失")
        }

        // Structure. A feedback edge closes a loop (recycling): show the loop.
        if let target = feedback[i].first {
            let back = chain.links[target].stage < chain.links[i].stage ? "回流上游" : ""
            switch graph.path(from: target, to: i, limit: Self.loopSearchLimit, in: loopSpace) {
            case .found(let around):
                let loop = [i, target] + around
                var shown = loop.map(name)
                if loop.count > Self.loopLimit {
                    shown = shown.prefix(Self.loopLimit - 2) + ["…", shown[shown.count - 1]]
                }
                let path = (shown + [name(i)]).joined(separator: "→")
                let size = loop.count > Self.loopLimit ? "，共 \(loop.count) 个环节" : ""
                reasons.append("\(back)形成循环供应（\(path)\(size)）")
            case .gaveUp:
                reasons.append("\(back)形成循环供应（\(name(i))→\(name(target))→…→\(name(i))，中间环节从略）")
            case .none:
                break
            }
        }
        // Structure, in the industry's words (the numbers are in the JSON's factors).
        if reached > 1 {
            reasons.append("其产品沿产业链向下游延伸至 \(list(reachedLinks.nearest.map(name), count: reached))")
        }
        let fedForward = graph.upstream[i].contains { !feedback[$0].contains(i) }
        if chain.links.count > 1 && factors.pathShare >= 0.5 && (reached > 0 || fedForward) {
            switch (fedForward, reached > 0) {
            case (true, true): reasons.append("全链主要供应路径经过此环节，是承上启下的关键环节")
            case (false, _): reasons.append("全链主要供应路径始于此环节，是产业链的源头环节")
            case (true, false): reasons.append("全链主要供应路径汇聚于此环节，是产业链的终端环节")
            }
        }
        switch factors.weight {
        case 5: reasons.append("规划确定的首要环节")
        case 4: reasons.append("规划确定的重点环节")
        default: break
        }

        if reasons.isEmpty {
            reasons.append(isGap ? "本地暂无企业（缺失环节）" : "本地配套能力薄弱")
        }
        return reasons
    }

    // MARK: Parts

    /// Why a covered link counts as weak, naming its enterprises.
    func weakness(of ref: LinkRef) -> String {
        let local = enterpriseOrder[ref.index].map { chain.enterprises[$0] }
        let names = list(local.map(\.name), unit: "家")
        let tiered = local.contains { settings.hasTier($0.tags) }
        if local.count < settings.minEnterprises {
            if tiered {
                return "本地仅\(local.count)家企业（\(names)），不足\(settings.minEnterprises)家，且无链主或龙头"
            }
            return "本地仅\(local.count)家企业（\(names)），且无链主、龙头或上市等梯队企业"
        }
        return "本地企业\(local.count)家（\(names)），但无链主、龙头或上市等梯队企业"
    }

    /// The 链主 and 龙头 enterprises on the given links, in the listing order
    /// (``GapAnalysis/listsBefore(_:_:_:_:)``), each with the links (of those given) it
    /// works in.
    func anchors(on links: [Int]) -> [(Enterprise, [Int])] {
        var found: [(index: Int, links: [Int])] = []
        for link in links {
            for e in enterpriseOrder[link] where chain.enterprises[e].role.isAnchor {
                if let k = found.firstIndex(where: { $0.index == e }) {
                    found[k].links.append(link)
                } else {
                    found.append((e, [link]))
                }
            }
        }
        return found
            .sorted { a, b in
                GapAnalysis.listsBefore(chain.enterprises[a.index], a.index, chain.enterprises[b.index], b.index)
            }
            .map { (chain.enterprises[$0.index], $0.links) }
    }

    /// "新能源整车，营收300亿元，上市公司".
    func describe(_ enterprise: Enterprise, on links: [Int]) -> String {
        var parts = [links.map(name).joined(separator: "、")]
        if let revenue = enterprise.revenue, revenue > 0 {
            parts.append("营收\(NumberText.amount(revenue))亿元")
        }
        let tiers = enterprise.tags.filter(settings.isTier)
        if !tiers.isEmpty { parts.append(tiers.joined(separator: "、")) }
        return parts.joined(separator: "，")
    }

    func isCovered(_ index: Int) -> Bool { !chain.enterprisesByLink[index].isEmpty }

    func name(_ index: Int) -> String { chain.links[index].name }

    /// Distinct local enterprises working in any of the links.
    func enterpriseCount(on links: [Int]) -> Int {
        Set(links.flatMap { chain.enterprisesByLink[$0] }).count
    }

    /// "A、B、C" or "A、B、C 等5个环节"; `count` is how many there are when `items` holds
    /// only the first few.
    func list(_ items: [String], unit: String = "个环节", count: Int? = nil) -> String {
        let total = count ?? items.count
        guard total > Self.listLimit || total > items.count else { return items.joined(separator: "、") }
        return items.prefix(Self.listLimit).joined(separator: "、") + " 等\(total)\(unit)"
    }

    /// A way through links: "A→B→C", or with its middle left out, "A→B→C→…→Y→Z".
    func route(_ links: [Int], elided: Bool) -> String {
        let names = links.map(name)
        guard elided, names.count > ChainGraph.Path.head else { return names.joined(separator: "→") }
        return (names.prefix(ChainGraph.Path.head) + ["…"] + names.dropFirst(ChainGraph.Path.head)).joined(separator: "→")
    }


}
