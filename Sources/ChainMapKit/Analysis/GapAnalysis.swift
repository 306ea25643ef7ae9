import Foundation

/// One gap or weak link, with its priority and the reasons for it.
public struct GapEntry: Hashable, Sendable {
    public var link: LinkRef
    public var kind: LinkStatus
    /// Larger is more urgent, 0…100 with one decimal. See docs/analysis.md for the formula.
    public var priority: Double
    /// Plain-Chinese reasons a planner can paste; never empty.
    public var reasons: [String]
    /// Fewest `supplies` edges (either direction) to a covered link: 0 for a weak link,
    /// nil when no covered link is reachable.
    public var distance: Int?
    /// The parts the priority was computed from.
    public var factors: GapPriority.Factors
    /// The nearest covered links that this link supplies, directly or through other
    /// links, along the main flow (forward and backward edges, not the feedback edges of a
    /// recycling loop); nil when none is reachable that way.
    public var coveredDownstream: NearestCovered?
    /// The nearest covered links that supply this link, directly or through others, along
    /// the main flow; nil when none is reachable that way.
    public var coveredUpstream: NearestCovered?
    /// A signed or started project of the ledger on this link (the largest by agreed
    /// investment): the gap is 在建补链. It stays a gap, its priority lowered by
    /// ``GapPriority/underwayFactor``.
    public var project: Project?

    /// The entry's word, the one every table, map and report uses: the kind's label
    /// (补链, 强链 …), or 在建补链 when a signed or started project is on the link.
    public var label: String { project == nil ? kind.label : Self.underwayPrefix + kind.label }

    /// What ``label`` puts before the kind when the link has a project underway.
    public static let underwayPrefix = "在建"

    public init(
        link: LinkRef, kind: LinkStatus, priority: Double, reasons: [String], distance: Int?,
        factors: GapPriority.Factors, coveredDownstream: NearestCovered? = nil, coveredUpstream: NearestCovered? = nil
    ) {
        self.link = link
        self.kind = kind
        self.priority = priority
        self.reasons = reasons
        self.distance = distance
        self.factors = factors
        self.coveredDownstream = coveredDownstream
        self.coveredUpstream = coveredUpstream
    }
}

/// The covered links nearest to a link in one direction along `supplies`.
public struct NearestCovered: Hashable, Sendable {
    /// The number of `supplies` edges to them (1 for a direct neighbour).
    public var distance: Int
    /// The covered links at that distance, in file order: at most three (a reason names
    /// no more).
    public var links: [LinkRef]
    /// The links strictly between the link and the first of ``links``, nearest first: all
    /// of them when there are at most five, else the first three and the last two, with
    /// ``viaCount`` saying how many there are in all.
    public var via: [LinkRef]
    /// How many links lie between (``via`` may show fewer).
    public var viaCount: Int

    public init(distance: Int, links: [LinkRef], via: [LinkRef], viaCount: Int? = nil) {
        self.distance = distance
        self.links = links
        self.via = via
        self.viaCount = viaCount ?? via.count
    }

    /// Whether ``via`` leaves links out in the middle (after its first three).
    public var isViaElided: Bool { viaCount > via.count }

    init(_ found: ChainGraph.Nearest) {
        let shown = found.path.shown
        self.init(
            distance: found.distance, links: found.targets.map(LinkRef.init),
            via: (shown.first + shown.last).map(LinkRef.init), viaCount: found.path.count)
    }
}

/// The gap analysis of one chain: the status of every link, and the gaps and weak links
/// ranked by priority.
public struct GapAnalysis: Sendable {
    public let chain: Chain
    public let settings: AnalysisSettings
    /// The status of every link, indexed like ``Chain/links``.
    public let statuses: [LinkStatus]
    /// Fewest `supplies` edges (either direction) to a covered link; nil when unreachable
    /// or when nothing is covered. 0 for covered links.
    public let distances: [Int?]
    /// Gaps and weak links, highest priority first (ties: 补链, 强链, 延链, 远期, then file order).
    public let entries: [GapEntry]
    /// What stands on each link (see ``GapPriority/presence(of:in:settings:)``), indexed
    /// like ``Chain/links``; 0 for gaps.
    public let presence: [Double]
    /// Every `supplies` edge with its kind, in file order (link by link, each link's
    /// `supplies` in the order written). See ``EdgeKind`` and docs/analysis.md.
    public let edges: [SupplyEdge]
    /// For each link, its local enterprises (indices into ``Chain/enterprises``) in the
    /// order every output lists them: see ``enterprises(on:)``.
    public let enterpriseOrder: [[Int]]
    /// The position in ``entries`` of each link's entry.
    let entryIndex: [Int?]
    /// The positions in ``edges`` of each link's edges out, in file order.
    let edgesOut: [[Int]]
    /// Whether a 链主 or 龙头 works in each link.
    public let anchored: [Bool]
    /// The kind of each edge, by `from × links + to`.
    let edgeKinds: [Int: EdgeKind]

    /// Analyses a chain with the settings of its file (or overrides from the command line).
    ///
    /// Every whole-chain fact is computed in one pass over the graph (reach, path shares,
    /// the nearest covered links each way, the way to the nearest covered link), and the
    /// links' demand by searches only as deep as its decay can matter, 64 links at once
    /// (``ChainGraph/decayedSums(from:weight:decay:maxDepth:)``): so the analysis of a
    /// chain of 100,000 links takes seconds, not hours (docs/chain-format.md, 限制).
    public init(_ chain: Chain, settings: AnalysisSettings? = nil) {
        let settings = settings ?? chain.analysis
        self.chain = chain
        self.settings = settings
        let graph = ChainGraph(chain)
        let covered = chain.links.indices.map { !chain.enterprisesByLink[$0].isEmpty }
        let towards = graph.towardsMarked(covered)
        let distances = towards.distance
        self.distances = distances
        let statuses = chain.linkRefs.map { GapAnalysis.status(of: $0, in: chain, distances: distances, settings: settings) }
        self.statuses = statuses
        let presence = chain.linkRefs.map { GapPriority.presence(of: $0, in: chain, settings: settings) }
        self.presence = presence

        self.enterpriseOrder = chain.linkRefs.map { GapAnalysis.listingOrder(on: $0, in: chain) }

        // Structure is measured without the feedback edges (recycling loops), so that it
        // reads left to right; demand and distances use every edge.
        let feedback = graph.feedbackEdges(stageOf: chain.links.map(\.stage))
        let edges = GapAnalysis.classify(chain, feedback: feedback)
        self.edges = edges
        var edgeIndex: [Int: EdgeKind] = [:]
        edgeIndex.reserveCapacity(edges.count)
        let n = chain.links.count
        for edge in edges where edgeIndex[edge.from.index * n + edge.to.index] == nil {
            edgeIndex[edge.from.index * n + edge.to.index] = edge.kind
        }
        self.edgeKinds = edgeIndex
        var edgesOut = Array(repeating: [Int](), count: n)
        for (i, edge) in edges.enumerated() { edgesOut[edge.from.index].append(i) }
        self.edgesOut = edgesOut
        self.anchored = chain.links.indices.map { i in chain.enterprisesByLink[i].contains { chain.enterprises[$0].role.isAnchor } }
        let forward = graph.removing(feedback)
        let order = forward.topologicalOrder()
        let shares = forward.pathShares(order: order)
        // The forward graph is acyclic by construction; an order always exists.
        let topological = order ?? Array(0..<n)
        let reach = forward.reachCounts(order: topological)
        let nearestReached = forward.nearestDescendants(order: topological, limit: GapReasoner.listLimit)
        let down = forward.nearestMarked(order: topological, marked: covered, limit: GapReasoner.listLimit)
        let up = forward.reversed().nearestMarked(order: topological.reversed(), marked: covered, limit: GapReasoner.listLimit)
        let anyCovered = covered.contains(true)
        var closes = Array(repeating: [Int](), count: n)
        for (from, to) in feedback { closes[from].append(to) }
        let reasoner = GapReasoner(
            chain: chain, settings: settings, statuses: statuses, distances: distances,
            graph: graph, feedback: closes, enterpriseOrder: enterpriseOrder, anyCovered: anyCovered,
            towards: (towards.target, towards.path), loopSpace: ChainGraph.SearchSpace(count: n))
        let others = Double(max(1, n - 1))
        // Demand halves with each step: beyond this depth all the presence of the chain
        // would add less than 1e-9.
        let totalPresence = presence.reduce(0, +)
        let depth = max(GapReasoner.indirectLimit, 31 + Int(log2(max(1, totalPresence)).rounded(.up)))
        var entries: [GapEntry] = []
        let space = ChainGraph.SearchSpace(count: n)
        let underway = Self.underwayProjects(chain.projects)
        let uncovered = chain.links.indices.filter { statuses[$0] != .covered }
        let demands = graph.decayedSums(
            from: uncovered, weight: presence, decay: GapPriority.decay, maxDepth: min(depth, Int(Int32.max)))
        for (ref, demand) in zip(uncovered.map { chain.links[$0].ref }, demands) {
            let kind = statuses[ref.index]
            // The reasons name covered links a few steps downstream: no deeper search, and
            // none in a chain without any.
            let search = graph.searchDownstream(from: ref.index, maxDepth: anyCovered ? GapReasoner.indirectLimit : 0, in: space)
            let factors = GapPriority.Factors(
                demand: demand, reach: n > 1 ? Double(reach[ref.index]) / others : 0,
                pathShare: shares[ref.index], weight: chain[ref].weight,
                kindFactor: GapPriority.kindFactor(kind))
            let priority = GapPriority.priority(
                kind: kind, demandScore: factors.demandScore, structure: factors.structure,
                weight: factors.weight)
            // Along the main flow: a recycling loop is not the way a link reaches the region.
            let coveredDownstream = down[ref.index].map(NearestCovered.init)
            let coveredUpstream = up[ref.index].map(NearestCovered.init)
            // A signed or started project fills the gap soon: it stays a gap, named, and
            // waits behind the open ones.
            let project = kind.isGap ? underway[chain[ref].id] : nil
            var reasons = reasoner.reasons(
                for: ref, downstream: search,
                reached: (nearestReached[ref.index].map(\.node), reach[ref.index]), factors: factors,
                coveredDownstream: coveredDownstream, coveredUpstream: coveredUpstream)
            if let project { reasons.insert(Self.underwayReason(project), at: 0) }
            var entry = GapEntry(
                link: ref, kind: kind, priority: project == nil ? priority : (priority * GapPriority.underwayFactor * 10).rounded() / 10,
                reasons: reasons,
                distance: distances[ref.index], factors: factors,
                coveredDownstream: coveredDownstream, coveredUpstream: coveredUpstream)
            entry.project = project
            entries.append(entry)
        }
        entries.sort { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.kind != b.kind { return a.kind.urgencyRank < b.kind.urgencyRank }
            return a.link < b.link
        }
        self.entries = entries
        var entryIndex = [Int?](repeating: nil, count: n)
        for (i, entry) in entries.enumerated() { entryIndex[entry.link.index] = i }
        self.entryIndex = entryIndex
    }

    /// The status of a link.
    public func status(of ref: LinkRef) -> LinkStatus { statuses[ref.index] }

    /// The word for a link's status: its entry's ``GapEntry/label`` (在建补链 included),
    /// or 已覆盖.
    public func label(of ref: LinkRef) -> String { entry(for: ref)?.label ?? statuses[ref.index].label }

    /// The entry of a gap or weak link; nil for a covered, strong link.
    /// The project that makes a gap 在建补链: of the link's projects at the stage 签约 or
    /// 开工 (``Project/stage(asOf:)``: by 状态, or by the dates when the ledger gives
    /// none), the largest by agreed investment, the first in the ledger on a tie.
    static func underwayProject(on link: String, in projects: [Project]) -> Project? {
        underwayProjects(projects)[link]
    }

    /// ``underwayProject(on:in:)`` of every link at once, by link id: one pass over the
    /// projects (asked link by link, 20,000 projects on as many links took 15 s).
    static func underwayProjects(_ projects: [Project]) -> [String: Project] {
        var best: [String: Project] = [:]
        for project in projects {
            guard let link = project.link, [.signed, .started].contains(project.stage()) else { continue }
            if let kept = best[link], (project.agreed ?? 0) <= (kept.agreed ?? 0) { continue }
            best[link] = project
        }
        return best
    }

    /// 已签约项目 X（协议投资 25 亿元） or 已开工项目 X.
    static func underwayReason(_ project: Project) -> String {
        let stage = project.stage() == .started ? "已开工" : "已签约"
        return "\(stage)项目 \(project.name)" + (project.agreed.map { "（协议投资 \(NumberText.amount($0)) 亿元）" } ?? "")
    }

    public func entry(for ref: LinkRef) -> GapEntry? { entryIndex[ref.index].map { entries[$0] } }

    /// The `supplies` edges out of a link, in file order, each with its kind.
    public func edges(from ref: LinkRef) -> [SupplyEdge] {
        edgesOut[ref.index].map { edges[$0] }
    }

    /// The kind of the edge from one link to another it supplies; nil when it does not.
    public func edgeKind(from: LinkRef, to: LinkRef) -> EdgeKind? {
        edgeKinds[from.index * chain.links.count + to.index]
    }

    /// The local enterprises of a link in the order every output lists them: 链主,
    /// then 龙头, then 配套; within a role the chain file's before the roster's, then by revenue (largest first, unknown last),
    /// then in file order.
    public func enterprises(on ref: LinkRef) -> [Enterprise] {
        enterpriseOrder[ref.index].map { chain.enterprises[$0] }
    }

    /// The listing order of the enterprises of one link (see ``enterprises(on:)``).
    static func listingOrder(on ref: LinkRef, in chain: Chain) -> [Int] {
        // Each enterprise's key taken once, not copied out of the chain at every
        // comparison (a link with a roster's 100 firms took 0.4 ms).
        chain.enterprisesByLink[ref.index]
            .map { (index: $0, key: ListingKey(chain.enterprises[$0])) }
            .sorted { a, b in a.key.lists(a.index, before: b.key, b.index) }
            .map(\.index)
    }

    /// The listing order of enterprises: role, then revenue (largest first, unknown
    /// last), then position in the file.
    public static func listsBefore(_ x: Enterprise, _ xIndex: Int, _ y: Enterprise, _ yIndex: Int) -> Bool {
        ListingKey(x).lists(xIndex, before: ListingKey(y), yIndex)
    }

    /// What the listing order compares of an enterprise.
    struct ListingKey {
        let rank: Int
        let fromRoster: Bool
        let revenue: Double

        init(_ enterprise: Enterprise) {
            rank = enterprise.role.rank
            fromRoster = enterprise.isFromRoster
            revenue = enterprise.revenue ?? -1
        }

        /// Whether the enterprise of this key, at `index` in the chain's list, is listed
        /// before `other`'s, at `otherIndex`.
        func lists(_ index: Int, before other: ListingKey, _ otherIndex: Int) -> Bool {
            if rank != other.rank { return rank < other.rank }
            // The chain file's own enterprises before the roster's (摸排名录).
            if fromRoster != other.fromRoster { return !fromRoster }
            if revenue != other.revenue { return revenue > other.revenue }
            return index < otherIndex
        }
    }

    /// Every `supplies` edge with its kind: feedback when it closes a loop (the edges
    /// ``ChainGraph/feedbackEdges(stageOf:)`` finds, and a link supplying itself),
    /// backward when it goes to an earlier stage, forward otherwise.
    static func classify(_ chain: Chain, feedback: [(from: Int, to: Int)]) -> [SupplyEdge] {
        var loops = Set<Int>()
        let count = chain.links.count
        for (from, to) in feedback { loops.insert(from * count + to) }
        var edges: [SupplyEdge] = []
        for link in chain.links {
            for target in link.supplies {
                let kind: EdgeKind
                if target == link.ref || loops.contains(link.ref.index * count + target.index) {
                    kind = .feedback
                } else if chain[target].stage < link.stage {
                    kind = .backward
                } else {
                    kind = .forward
                }
                edges.append(SupplyEdge(from: link.ref, to: target, kind: kind))
            }
        }
        return edges
    }

    static func status(of ref: LinkRef, in chain: Chain, distances: [Int?], settings: AnalysisSettings) -> LinkStatus {
        if chain.isCovered(ref) {
            let local = chain.enterprisesByLink[ref.index]
            if local.contains(where: { chain.enterprises[$0].role.isAnchor }) { return .covered }
            if local.count >= settings.minEnterprises && local.contains(where: { settings.hasTier(chain.enterprises[$0].tags) }) {
                return .covered
            }
            return .strengthen
        }
        guard let d = distances[ref.index] else { return .distant }
        switch d {
        case 1 where chain[ref].supplies.contains(where: chain.isCovered): return .fill
        case 1, 2: return .extend
        default: return .distant
        }
    }
}
