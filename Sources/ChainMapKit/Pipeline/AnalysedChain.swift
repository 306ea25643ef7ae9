/// One chain after the pipeline: its gap analysis and, when leads were screened, its
/// screening. Everything downstream — the map, the report, the tables — reads it and
/// computes nothing of its own.
public struct AnalysedChain: Sendable {
    /// The chain's gap analysis: statuses, edge kinds, entries, the order of enterprises.
    public let analysis: GapAnalysis
    /// The chain's leads, screened and ranked; nil when no leads were screened.
    public let screening: LeadScreening?
    /// The roster's placements (摸排名录), when the chain has a roster; the analysis
    /// already runs on the merged picture.
    public let roster: ChainRoster?

    public init(analysis: GapAnalysis, screening: LeadScreening? = nil, roster: ChainRoster? = nil) {
        self.analysis = analysis
        self.screening = screening
        self.roster = roster
    }

    public var chain: Chain { analysis.chain }

    /// Coverage, counts per kind, completeness.
    public var summary: GapSummary { analysis.summary }

    /// The recommended leads, best first (none when no leads were screened).
    public var recommendations: [Recommendation] { screening?.recommendations ?? [] }

    /// The leads that are projects (项目): every lead with a `status`, from the chain
    /// file's own leads (in file order) and then the recommended leads of the lead files
    /// (best first) not already named, each name once.
    public var trackedLeads: [Lead] {
        var tracked = chain.leads.filter { $0.status != nil }
        var named = Set(tracked.map { LeadValues.nameKey($0.name) })
        for recommendation in recommendations where recommendation.lead.status != nil {
            if named.insert(LeadValues.nameKey(recommendation.lead.name)).inserted {
                tracked.append(recommendation.lead)
            }
        }
        return tracked
    }
}
