import Foundation

/// The status of one link after the gap analysis (the contract's "Meaning of the
/// analysis words").
public enum LinkStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Covered and not weak.
    case covered
    /// Covered but weak: 薄弱 → 强链.
    case strengthen
    /// A gap that directly supplies a covered link: 补链.
    case fill
    /// A gap at distance 1 that does not supply a covered link, or at distance 2: 延链.
    case extend
    /// A gap at distance ≥ 3, or any link of a chain with no coverage: 远期.
    case distant

    /// Whether the status is one of the gap kinds (the link has no local enterprise).
    public var isGap: Bool { self == .fill || self == .extend || self == .distant }

    /// The Chinese word planners use.
    public var label: String {
        switch self {
        case .covered: "已覆盖"
        case .strengthen: "强链"
        case .fill: "补链"
        case .extend: "延链"
        case .distant: "远期"
        }
    }

    /// The order planners work in: 补链, 强链, 延链, 远期, then covered links. Used to
    /// break ties of equal priority.
    public var urgencyRank: Int {
        switch self {
        case .fill: 0
        case .strengthen: 1
        case .extend: 2
        case .distant: 3
        case .covered: 4
        }
    }
}

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

    public init(
        link: LinkRef, kind: LinkStatus, priority: Double, reasons: [String], distance: Int?,
        factors: GapPriority.Factors
    ) {
        self.link = link
        self.kind = kind
        self.priority = priority
        self.reasons = reasons
        self.distance = distance
        self.factors = factors
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

        // Structure is measured without the feedback edges (recycling loops), so that it
        // reads left to right; demand and distances use every edge.
        let feedback = graph.feedbackEdges(stageOf: chain.links.map(\.stage))
        let forward = graph.removing(feedback)
        let shares = forward.pathShares()
        var closes = Array(repeating: [Int](), count: chain.links.count)
        for (from, to) in feedback { closes[from].append(to) }
        let reasoner = GapReasoner(
            chain: chain, settings: settings, statuses: statuses, distances: distances,
            graph: graph, feedback: closes)
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
            let forwardReach = forward.searchDownstream(from: ref.index).distance
            let reached = forwardReach.indices.filter { $0 != ref.index && forwardReach[$0] != nil }.count
            let factors = GapPriority.Factors(
                demand: demand, reach: chain.links.count > 1 ? Double(reached) / others : 0,
                pathShare: shares[ref.index], weight: chain[ref].weight,
                kindFactor: GapPriority.kindFactor(kind))
            let priority = GapPriority.priority(
                kind: kind, demandScore: factors.demandScore, structure: factors.structure,
                weight: factors.weight)
            return GapEntry(
                link: ref, kind: kind, priority: priority,
                reasons: reasoner.reasons(for: ref, downstream: down, reached: reached, factors: factors),
                distance: distances[ref.index], factors: factors)
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
