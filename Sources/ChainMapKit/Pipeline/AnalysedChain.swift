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
    /// The chain's projects of the ledger as of the run's day, with its targets; nil when
    /// no ledger was read for the chain.
    public var ledger: ChainLedger?
    /// The chain beside the chains of its `benchmarks:` (对标); nil without them.
    public var comparison: ChainComparison?

    public init(
        analysis: GapAnalysis, screening: LeadScreening? = nil, roster: ChainRoster? = nil, ledger: ChainLedger? = nil,
        comparison: ChainComparison? = nil
    ) {
        self.analysis = analysis
        self.screening = screening
        self.roster = roster
        self.ledger = ledger
        self.comparison = comparison
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

/// What the project ledger says of a set of projects (one chain's, or a region's) as of
/// one day: the measures, and their progress against the year's targets when there are
/// targets. The report's 项目推进与考核 reads it.
public struct ChainLedger: Sendable {
    public let analysis: LedgerAnalysis
    /// The targets, when given.
    public let targets: ProjectTargets?
    /// Each measure with a target against it, as of the day (``TargetProgress/all``).
    public let progress: [TargetProgress]
    /// The quarters of ``year``, with the years before when they hold projects.
    public let quarters: [QuarterFigures]

    public init(_ projects: [Project], asOf: CalendarDay, targets: ProjectTargets?, rules: ProjectAlertRules = ProjectAlertRules()) {
        let analysis = LedgerAnalysis(projects, asOf: asOf, rules: rules)
        self.analysis = analysis
        self.targets = targets
        progress = targets.map { TargetProgress.all(analysis, targets: $0) } ?? []
        quarters = QuarterFigures.year(targets?.year ?? asOf.year, of: projects, asOf: asOf)
    }

    public var asOf: CalendarDay { analysis.asOf }

    /// The year the targets are for, else the as-of day's.
    public var year: Int { targets?.year ?? asOf.year }
}
