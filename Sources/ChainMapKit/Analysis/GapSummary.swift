/// The state of one chain at a glance: coverage, the number of links of each kind, and a
/// completeness index (docs/analysis.md).
public struct GapSummary: Hashable, Sendable {
    /// The chain's id.
    public var chainID: String
    /// The chain's display name.
    public var chainName: String
    /// Whose chain it is, if the file says.
    public var region: String?
    /// All links of the chain.
    public var linkCount: Int
    /// Links with at least one local enterprise (strong and weak).
    public var coveredCount: Int
    /// How many links have each status; every status is present, possibly 0.
    public var counts: [LinkStatus: Int]
    /// Local enterprises of the chain.
    public var enterpriseCount: Int
    /// Local 链主 and 龙头 enterprises of the chain.
    public var anchorCount: Int
    /// 0…100, one decimal: the weighted share of the chain the region has, where a strong
    /// link counts 1, a weak link ½ and a gap 0, each weighted by its `weight`.
    public var completeness: Double

    /// The word for ``coveredCount`` in tables: links with local enterprises, strong or
    /// weak — not the status 已覆盖 (``LinkStatus/covered``), which is strong links only.
    public static let presentTitle = "有企业环节"

    /// Covered links / all links, 0…1.
    public var coverage: Double {
        linkCount == 0 ? 0 : Double(coveredCount) / Double(linkCount)
    }

    /// The number of links with a status.
    public func count(_ status: LinkStatus) -> Int { counts[status] ?? 0 }

    /// What a link contributes to ``completeness``: 1 strong, ½ weak, 0 for a gap.
    public static func credit(_ status: LinkStatus) -> Double {
        switch status {
        case .covered: 1
        case .strengthen: 0.5
        case .fill, .extend, .distant: 0
        }
    }

    public init(_ analysis: GapAnalysis) {
        let chain = analysis.chain
        chainID = chain.id
        chainName = chain.name
        region = chain.region
        linkCount = chain.links.count
        coveredCount = chain.linkRefs.filter(chain.isCovered).count
        var counts = Dictionary(uniqueKeysWithValues: LinkStatus.allCases.map { ($0, 0) })
        for status in analysis.statuses { counts[status, default: 0] += 1 }
        self.counts = counts
        enterpriseCount = chain.enterprises.count
        anchorCount = chain.enterprises.filter(\.role.isAnchor).count
        var earned = 0.0, possible = 0.0
        for (link, status) in zip(chain.links, analysis.statuses) {
            earned += Double(link.weight) * GapSummary.credit(status)
            possible += Double(link.weight)
        }
        completeness = possible > 0 ? (1000 * earned / possible).rounded() / 10 : 0
    }
}

extension GapAnalysis {
    /// The chain's summary: coverage, counts per kind, completeness.
    public var summary: GapSummary { GapSummary(self) }
}
