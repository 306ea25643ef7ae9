import Foundation

/// The priority formula of the gap analysis. docs/analysis.md explains it with a worked
/// example; the constants here are the ones it quotes.
///
/// ```
/// priority = 100 × kindFactor × (0.45 × demandScore + 0.30 × structure + 0.25 × weight / 5)
/// ```
///
/// rounded to one decimal, so it lies in 0…100 and larger is more urgent.
public enum GapPriority {
    /// How much demand halves with each further step upstream.
    public static let decay = 0.5
    /// The demand at which ``demandScore(_:)`` reaches 0.5 (a 链主 without revenue is 5).
    public static let demandHalfPoint = 10.0
    /// Share of local demand in the priority.
    public static let demandShare = 0.45
    /// Share of structural importance in the priority.
    public static let structureShare = 0.30
    /// Share of the link's `weight` in the priority.
    public static let weightShare = 0.25
    /// Multiplier for an enterprise that carries a tier tag (上市公司, 专精特新 …).
    public static let tierFactor = 1.5

    /// What an enterprise's role counts for: 链主 5, 龙头 3, 配套 1.
    public static func roleWeight(_ role: Enterprise.Role) -> Double {
        switch role {
        case .leader: 5
        case .champion: 3
        case .supporter: 1
        }
    }

    /// How the kind scales the priority: a gap whose demand already waits (补链) first,
    /// then a weak link that is already there (强链), then the next step out (延链), then
    /// the far links (远期). Covered, strong links have no priority.
    public static func kindFactor(_ kind: LinkStatus) -> Double {
        switch kind {
        case .fill: 1.0
        case .strengthen: 0.8
        case .extend: 0.6
        case .distant: 0.35
        case .covered: 0
        }
    }

    /// What one local enterprise stands for on its links:
    /// role weight × (1 + log10(1 + revenue in 亿元)) × 1.5 when it carries a tier tag.
    public static func enterpriseWeight(_ enterprise: Enterprise, settings: AnalysisSettings) -> Double {
        let revenue = max(0, enterprise.revenue ?? 0)
        let tier = settings.hasTier(enterprise.tags) ? tierFactor : 1
        return roleWeight(enterprise.role) * (1 + log10(1 + revenue)) * tier
    }

    /// What stands on a link: the sum of the weights of its local enterprises (0 for a gap).
    public static func presence(of ref: LinkRef, in chain: Chain, settings: AnalysisSettings) -> Double {
        chain.enterprisesByLink[ref.index].reduce(0) { $0 + enterpriseWeight(chain.enterprises[$1], settings: settings) }
    }

    /// How a gap with a signed or started project (在建补链) is ranked: its priority is
    /// halved, so that open gaps come first, and it stays in the list.
    public static let underwayFactor = 0.5

    /// Maps raw demand (0…∞) to 0…1: demand / (demand + 10).
    public static func demandScore(_ demand: Double) -> Double {
        demand <= 0 ? 0 : demand / (demand + demandHalfPoint)
    }

    /// The priority of an entry from its parts, rounded to one decimal.
    /// - Parameters:
    ///   - kind: the entry's kind.
    ///   - demandScore: 0…1, see ``demandScore(_:)``.
    ///   - structure: 0…1, the mean of downstream reach and path share.
    ///   - weight: the link's `weight`, 1…5.
    public static func priority(kind: LinkStatus, demandScore: Double, structure: Double, weight: Int) -> Double {
        let base = demandShare * demandScore + structureShare * structure + weightShare * Double(weight) / 5
        return (1000 * kindFactor(kind) * base).rounded() / 10
    }

    /// The parts of one entry's priority, kept so that reports can show how it came about.
    public struct Factors: Hashable, Sendable {
        /// Local demand waiting on the link: the presence of every covered link downstream
        /// of it (not itself), halved for each step beyond the first.
        public var demand: Double
        /// `demand` mapped to 0…1.
        public var demandScore: Double
        /// Share (0…1) of the chain's other links that lie downstream of it.
        public var reach: Double
        /// Share (0…1) of the chain's source-to-end paths (cycles collapsed) through it.
        public var pathShare: Double
        /// The link's `weight`, 1…5.
        public var weight: Int
        /// See ``GapPriority/kindFactor(_:)``.
        public var kindFactor: Double

        /// The mean of ``reach`` and ``pathShare``.
        public var structure: Double { (reach + pathShare) / 2 }

        public init(demand: Double, reach: Double, pathShare: Double, weight: Int, kindFactor: Double) {
            self.demand = demand
            self.demandScore = GapPriority.demandScore(demand)
            self.reach = reach
            self.pathShare = pathShare
            self.weight = weight
            self.kindFactor = kindFactor
        }
    }
}
