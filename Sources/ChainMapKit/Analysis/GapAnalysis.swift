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
    /// Every covered link at that distance, in file order.
    public var links: [LinkRef]
    /// The links strictly between the link and the first of ``links`` on the path the
    /// search found, nearest first; empty for a direct neighbour.
    public var via: [LinkRef]

    public init(distance: Int, links: [LinkRef], via: [LinkRef]) {
        self.distance = distance
        self.links = links
        self.via = via
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

    /// Analyses a chain with the settings of its file (or overrides from the command line).
    public init(_ chain: Chain, settings: AnalysisSettings? = nil) {
        let settings = settings ?? chain.analysis
        self.chain = chain
        self.settings = settings
        let graph = ChainGraph(chain)
        let distances = GapAnalysis.coverageDistances(chain)
        self.distances = distances
        let statuses = chain.linkRefs.map { GapAnalysis.status(of: $0, in: chain, distances: distances, settings: settings) }
        self.statuses = statuses
        let presence = chain.linkRefs.map { GapPriority.presence(of: $0, in: chain, settings: settings) }
        self.presence = presence

        self.enterpriseOrder = chain.linkRefs.map { GapAnalysis.listingOrder(on: $0, in: chain) }

        // Structure is measured without the feedback edges (recycling loops), so that it
        // reads left to right; demand and distances use every edge.
        let feedback = graph.feedbackEdges(stageOf: chain.links.map(\.stage))
        self.edges = GapAnalysis.classify(chain, feedback: feedback)
        let forward = graph.removing(feedback)
        let shares = forward.pathShares()
        var closes = Array(repeating: [Int](), count: chain.links.count)
        for (from, to) in feedback { closes[from].append(to) }
        let order = enterpriseOrder
        let reasoner = GapReasoner(
            chain: chain, settings: settings, statuses: statuses, distances: distances,
            graph: graph, feedback: closes, enterpriseOrder: order)
        let others = Double(max(1, chain.links.count - 1))
        self.entries = chain.linkRefs.compactMap { ref -> GapEntry? in
            let kind = statuses[ref.index]
            guard kind != .covered else { return nil }
            let down = graph.searchDownstream(from: ref.index)
            var demand = 0.0
            for (v, d) in down.distance.enumerated() where v != ref.index && presence[v] > 0 {
                guard let d else { continue }
                demand += presence[v] * pow(GapPriority.decay, Double(d - 1))
            }
            let forwardDown = forward.searchDownstream(from: ref.index)
            let forwardReach = forwardDown.distance
            let reachedLinks = forwardReach.indices
                .filter { $0 != ref.index && forwardReach[$0] != nil }
                .sorted { (forwardReach[$0]!, $0) < (forwardReach[$1]!, $1) }
            let reached = reachedLinks.count
            let factors = GapPriority.Factors(
                demand: demand, reach: chain.links.count > 1 ? Double(reached) / others : 0,
                pathShare: shares[ref.index], weight: chain[ref].weight,
                kindFactor: GapPriority.kindFactor(kind))
            let priority = GapPriority.priority(
                kind: kind, demandScore: factors.demandScore, structure: factors.structure,
                weight: factors.weight)
            // Along the main flow: a recycling loop is not the way a link reaches the region.
            let coveredDownstream = GapAnalysis.nearestCovered(forwardDown, in: chain, from: ref.index)
            let coveredUpstream = GapAnalysis.nearestCovered(forward.searchUpstream(from: ref.index), in: chain, from: ref.index)
            return GapEntry(
                link: ref, kind: kind, priority: priority,
                reasons: reasoner.reasons(
                    for: ref, downstream: down, reached: reachedLinks, factors: factors,
                    coveredDownstream: coveredDownstream, coveredUpstream: coveredUpstream),
                distance: distances[ref.index], factors: factors,
                coveredDownstream: coveredDownstream, coveredUpstream: coveredUpstream)
        }.sorted { a, b in
            if a.priority != b.priority { return a.priority > b.priority }
            if a.kind != b.kind { return a.kind.urgencyRank < b.kind.urgencyRank }
            return a.link < b.link
        }
    }

    /// The status of a link.
    public func status(of ref: LinkRef) -> LinkStatus { statuses[ref.index] }

    /// The entry of a gap or weak link; nil for a covered, strong link.
    public func entry(for ref: LinkRef) -> GapEntry? { entries.first { $0.link == ref } }

    /// The kind of the edge from one link to another it supplies; nil when it does not.
    public func edgeKind(from: LinkRef, to: LinkRef) -> EdgeKind? {
        edges.first { $0.from == from && $0.to == to }?.kind
    }

    /// The local enterprises of a link in the order every output lists them: 链主,
    /// then 龙头, then 配套; within a role by revenue (largest first, unknown last),
    /// then in file order.
    public func enterprises(on ref: LinkRef) -> [Enterprise] {
        enterpriseOrder[ref.index].map { chain.enterprises[$0] }
    }

    /// The listing order of the enterprises of one link (see ``enterprises(on:)``).
    static func listingOrder(on ref: LinkRef, in chain: Chain) -> [Int] {
        chain.enterprisesByLink[ref.index].sorted { a, b in
            listsBefore(chain.enterprises[a], a, chain.enterprises[b], b)
        }
    }

    /// The listing order of enterprises: role, then revenue (largest first, unknown
    /// last), then position in the file.
    public static func listsBefore(_ x: Enterprise, _ xIndex: Int, _ y: Enterprise, _ yIndex: Int) -> Bool {
        if x.role.rank != y.role.rank { return x.role.rank < y.role.rank }
        let (rx, ry) = (x.revenue ?? -1, y.revenue ?? -1)
        if rx != ry { return rx > ry }
        return xIndex < yIndex
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

    /// The covered links a search from `start` reaches first, with the path to the first.
    static func nearestCovered(_ search: ChainGraph.Search, in chain: Chain, from start: Int) -> NearestCovered? {
        var best: Int?
        var links: [LinkRef] = []
        for (index, distance) in search.distance.enumerated() where index != start && chain.isCovered(LinkRef(index)) {
            guard let distance else { continue }
            if best == nil || distance < best! {
                best = distance
                links = [LinkRef(index)]
            } else if distance == best {
                links.append(LinkRef(index))
            }
        }
        guard let best, let first = links.first else { return nil }
        return NearestCovered(distance: best, links: links, via: search.via(to: first.index).map(LinkRef.init))
    }

    /// Multi-source breadth-first search from every covered link over `supplies` edges
    /// taken in either direction.
    static func coverageDistances(_ chain: Chain) -> [Int?] {
        var distance = [Int?](repeating: nil, count: chain.links.count)
        var queue: [LinkRef] = chain.linkRefs.filter(chain.isCovered)
        for ref in queue { distance[ref.index] = 0 }
        var head = 0
        while head < queue.count {
            let ref = queue[head]
            head += 1
            let next = distance[ref.index]! + 1
            for neighbour in chain[ref].supplies + chain.suppliers[ref.index] where distance[neighbour.index] == nil {
                distance[neighbour.index] = next
                queue.append(neighbour)
            }
        }
        return distance
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
