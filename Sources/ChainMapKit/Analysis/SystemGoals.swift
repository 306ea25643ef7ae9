/// The actual values of a system's goals (``SystemPlan/Goal``), computed once for every
/// chain and for the system, each company once:
///
/// - 产值: the revenue of the chain file's local enterprises (营收, 亿元; a roster's
///   placements, still to be checked, are left out), each firm once — across chains too,
///   so a firm in two chains adds its revenue once to the system;
/// - 引资: the agreed investment of the ledger's projects signed in the ledger's year; for
///   a chain without a ledger, the intended investment of its file's leads at 签约 or later;
/// - 三类500强, 上市公司, 专精特新, 外资: the enterprises attracted — investors of the
///   ledger's signed projects and the chain file's leads at 签约 or later — whose tags
///   (the lead's, or a local enterprise's of the same name) put them in the goal's tiers,
///   each company once.
public struct SystemGoals: Sendable {
    /// One goal's target and actual value.
    public struct Progress: Hashable, Sendable {
        public var goal: SystemPlan.Goal
        public var target: Double
        public var actual: Double
        /// actual ÷ target; nil when the target is 0.
        public var completion: Double? { target > 0 ? actual / target : nil }
    }

    /// The goals of each chain the plan places, in the plan's order of goals.
    public let byChain: [String: [Progress]]
    /// The system's goals: the chains' targets summed, the actuals each company once.
    public let total: [Progress]

    public init(plan: SystemPlan, chains: [AnalysedChain], ledger: ChainLedger?) {
        // An enterprise's tags, wherever the system names it, so that a chain and the
        // system count an attracted firm alike.
        let known = Self.knownTags(chains)
        var byChain: [String: [Progress]] = [:]
        var totals: [SystemPlan.Goal: Double] = [:]
        for chain in chains {
            guard let chainPlan = plan.plan(of: chain.chain.id) else { continue }
            byChain[chain.chain.id] = SystemPlan.Goal.allCases.compactMap { goal in
                guard let target = chainPlan.goals[goal] else { return nil }
                totals[goal, default: 0] += target
                return Progress(goal: goal, target: target, actual: Self.actual(goal, of: [chain], ledger: chain.ledger, known: known))
            }
        }
        self.byChain = byChain
        // The system's actual value of a goal is over the chains that set it.
        total = SystemPlan.Goal.allCases.compactMap { goal in
            guard let target = totals[goal] else { return nil }
            let setting = chains.filter { plan.plan(of: $0.chain.id)?.goals[goal] != nil }
            return Progress(goal: goal, target: target, actual: Self.actual(goal, of: setting, ledger: ledger, known: known))
        }
    }

    /// A goal's actual value over some chains, each company once; `ledger` holds their
    /// projects (each once), or nil — only the projects of `chains` count.
    ///
    /// `known` gives the tags of enterprises by name key (``knownTags(_:)``); by default
    /// those of `chains`.
    public static func actual(
        _ goal: SystemPlan.Goal, of chains: [AnalysedChain], ledger: ChainLedger?, known: [String: [String]]? = nil
    ) -> Double {
        switch goal {
        case .output:
            var revenue: [String: Double] = [:]
            var order: [String] = []
            for chain in chains {
                // The chain file's enterprises: a roster's placements are still to be checked.
                for enterprise in chain.chain.enterprises where !enterprise.isFromRoster {
                    let key = LeadValues.nameKey(enterprise.name)
                    if revenue[key] == nil { order.append(key) }
                    revenue[key] = max(revenue[key] ?? 0, enterprise.revenue ?? 0)
                }
            }
            // Summed in the order met: the same input gives the same last digit.
            return order.reduce(0) { $0 + revenue[$1]! }
        case .investment:
            if let ledger {
                let year = ledger.year
                return ProjectMeasures(projects(of: chains, in: ledger).filter { $0.signedOn?.year == year }, asOf: ledger.asOf).agreedInvest
            }
            return chains.flatMap { $0.chain.leads.filter(\.isSigned) }.compactMap(\.invest).reduce(0, +)
        default:
            return Double(attracted(chains, ledger: ledger, known: known ?? knownTags(chains)).filter { tags in
                tags.contains { tag in TierTable.standard.tier(of: tag).map { goal.tiers.contains(TierTable.standard.tiers[$0].name) } ?? false }
            }.count)
        }
    }

    /// The enterprises attracted (signed or later), by name key, each with its tags.
    static func attracted(_ chains: [AnalysedChain], ledger: ChainLedger?, known: [String: [String]]) -> [[String]] {
        var tags: [String: [String]] = [:]
        for chain in chains {
            for lead in chain.chain.leads where lead.isSigned { tags[LeadValues.nameKey(lead.name)] = [] }
        }
        if let ledger {
            for project in projects(of: chains, in: ledger) where ProjectMeasures.isSigned(project, asOf: ledger.asOf) {
                if let investor = project.investor { tags[LeadValues.nameKey(investor)] = [] }
            }
        }
        return tags.keys.sorted().map { known[$0] ?? [] }
    }

    /// The ledger's projects on some chains.
    static func projects(of chains: [AnalysedChain], in ledger: ChainLedger) -> [Project] {
        let ids = Set(chains.map(\.chain.id))
        return ledger.analysis.projects.filter { $0.chain.map(ids.contains) ?? false }
    }
}

extension SystemGoals {
    /// The tags of every lead and local enterprise the chains name, by name key.
    public static func knownTags(_ chains: [AnalysedChain]) -> [String: [String]] {
        var known: [String: [String]] = [:]
        for chain in chains {
            for lead in chain.chain.leads { known[LeadValues.nameKey(lead.name), default: []] += lead.tags }
            for enterprise in chain.chain.enterprises { known[LeadValues.nameKey(enterprise.name), default: []] += enterprise.tags }
        }
        return known
    }
}

extension Lead {
    /// Whether the lead is at 签约 or later.
    public var isSigned: Bool { status.map { $0 >= .signed } ?? false }
}
