/// How many recommendations a screening keeps while it reads. A list that shows the best
/// 50, and per gap the best 5, never needs the rest: keeping only those, block by block,
/// holds memory flat however many rows match (a 600,000-row export where every row
/// matches took 1 GB when all were kept).
///
/// The counts stay exact whatever is kept: how many rows were recommended, and how many
/// distinct enterprises (by ``LeadValues/nameKey(_:)``).
public struct LeadRetention: Sendable, Hashable {
    /// The most recommendations kept overall, best first; nil keeps every one.
    public var best: Int?
    /// The most kept for each link, best first for that link (the per-gap view, the map).
    public var bestPerLink: Int

    public init(best: Int?, bestPerLink: Int = 0) {
        self.best = best
        self.bestPerLink = bestPerLink
    }

    /// Every recommendation kept.
    public static let all = LeadRetention(best: nil)

    /// Whether recommendations may be dropped.
    public var isCapped: Bool { best != nil }

    /// Keeps what the outputs can show: the best ``best`` overall, the best
    /// ``bestPerLink`` of each link by its per-link score, and every lead with a project
    /// stage (the project lists show them all). The order of those kept is unchanged.
    func prune(_ list: inout [Recommendation], scoring: LeadScoring) {
        guard let best else { return }
        let slack = best + bestPerLink
        guard list.count > slack else { return }
        var keep = [Bool](repeating: false, count: list.count)
        var order = Array(list.indices)
        order.sort { LeadScreener.ranksBefore(list[$0], list[$1]) }
        for i in order.prefix(best) { keep[i] = true }
        if bestPerLink > 0 {
            var byLink: [LinkRef: [Int]] = [:]
            for (rank, i) in order.enumerated() {
                _ = rank
                for match in list[i].matches { byLink[match.link, default: []].append(i) }
            }
            for (link, members) in byLink {
                // `members` is in the overall order: a stable sort keeps it among equals.
                let ranked = members.enumerated().sorted { a, b in
                    let (x, y) = (list[a.element].score(for: link, scoring: scoring), list[b.element].score(for: link, scoring: scoring))
                    return x != y ? x > y : a.offset < b.offset
                }
                for (_, i) in ranked.prefix(bestPerLink) { keep[i] = true }
            }
        }
        for i in list.indices where list[i].lead.status != nil { keep[i] = true }
        var kept: [Recommendation] = []
        kept.reserveCapacity(slack)
        for i in list.indices where keep[i] { kept.append(list[i]) }
        list = kept
    }
}

extension LeadValues {
    /// A 64-bit FNV-1a hash of a name's ``nameKey(_:)``: how a screening counts distinct
    /// enterprises without keeping their names. The same name gives the same hash in
    /// every run.
    static func nameHash(_ name: String) -> UInt64 {
        hash(ofKey: nameKey(name))
    }

    /// ``nameHash(_:)`` of a name whose ``nameKey(_:)`` is at hand.
    static func hash(ofKey key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
