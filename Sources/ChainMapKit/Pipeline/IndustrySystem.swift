/// The 产业体系 of a set of chains (a directory of chain files, say): the analysed
/// chains, and totals across them that count each company once.
///
/// Every view across chains reads it: the overview of `chainmap gaps`, and the index
/// page and Markdown index of `chainmap report`. An enterprise is the same company in
/// two chains when its name is (``LeadValues/nameKey(_:)``); a lead recommended for two
/// chains is one target enterprise, and the totals say how many such there are.
public struct IndustrySystem: Sendable {
    /// The chains, in the order given.
    public let chains: [AnalysedChain]
    /// The totals across chains.
    public let totals: Totals
    /// The project ledger across the chains, each project once, with the region's
    /// targets; nil when no ledger was read.
    public let ledger: ChainLedger?
    /// The plan's tiers and goals (`system.yaml`), if any.
    public let plan: SystemPlan?
    /// The goals' targets and actual values; nil without a plan.
    public let goals: SystemGoals?

    /// Totals across the chains of a system.
    public struct Totals: Hashable, Sendable {
        /// Chains in the system.
        public var chains = 0
        /// Links of all chains (a link of two chains counts in each: links are per chain).
        public var links = 0
        /// Covered links of all chains.
        public var covered = 0
        /// Links of each status, every status present.
        public var counts: [LinkStatus: Int] = Dictionary(uniqueKeysWithValues: LinkStatus.allCases.map { ($0, 0) })
        /// Local enterprises, each company once.
        public var enterprises = 0
        /// Local 链主 and 龙头 enterprises, each company once.
        public var anchors = 0
        /// Local enterprises that work in more than one chain.
        public var enterprisesInSeveralChains = 0
        /// Whether leads were screened.
        public var screened = false
        /// Recommended target enterprises, each company once.
        public var leads = 0
        /// Target enterprises recommended for more than one chain (counted once in
        /// ``leads``).
        public var leadsInSeveralChains = 0
        /// Projects (leads with a status), each company once.
        public var projects = 0

        /// Covered links over all links, 0…1.
        public var coverage: Double { links == 0 ? 0 : Double(covered) / Double(links) }

        /// The number of links of a status.
        public func count(_ status: LinkStatus) -> Int { counts[status] ?? 0 }
    }

    public init(_ chains: [AnalysedChain], ledger: ChainLedger? = nil, plan: SystemPlan? = nil) {
        self.chains = chains
        self.ledger = ledger
        self.plan = plan
        self.goals = plan.map { SystemGoals(plan: $0, chains: chains, ledger: ledger) }
        var totals = Totals()
        totals.chains = chains.count
        var enterprises: [String: Int] = [:]
        var anchors = Set<String>()
        var projects = Set<String>()
        for chain in chains {
            let summary = chain.summary
            totals.links += summary.linkCount
            totals.covered += summary.coveredCount
            for status in LinkStatus.allCases { totals.counts[status, default: 0] += summary.count(status) }
            var here = Set<String>()
            for enterprise in chain.chain.enterprises {
                let key = LeadValues.nameKey(enterprise.name)
                if here.insert(key).inserted { enterprises[key, default: 0] += 1 }
                if enterprise.role.isAnchor { anchors.insert(key) }
            }
            if chain.screening != nil { totals.screened = true }
            for lead in chain.trackedLeads { projects.insert(LeadValues.nameKey(lead.name)) }
        }
        totals.enterprises = enterprises.count
        totals.enterprisesInSeveralChains = enterprises.values.filter { $0 > 1 }.count
        totals.anchors = anchors.count
        // Every enterprise recommended, kept in the list or not (``LeadRetention``), and
        // those recommended for more than one chain.
        let leads = NameHashSet.overlap(of: chains.compactMap { $0.screening?.recommendedNames })
        totals.leads = leads.distinct
        totals.leadsInSeveralChains = leads.inSeveral
        totals.projects = projects.count
        self.totals = totals
    }

    /// The region every chain names, if they all name the same one.
    public var region: String? {
        let regions = Set(chains.map { $0.chain.region ?? "" })
        guard regions.count == 1, let region = regions.first, !region.isEmpty else { return nil }
        return region
    }

    /// The chain of lowest completeness (ties: the smaller id), when there are several.
    public var weakest: AnalysedChain? {
        guard chains.count > 1 else { return nil }
        return chains.min { ($0.summary.completeness, $0.chain.id) < ($1.summary.completeness, $1.chain.id) }
    }

    /// The chains grouped by the plan's tiers, in the plan's order (tiers without chains
    /// left out), then those the plan does not place under 未分层; nil without a plan.
    public var tierGroups: [(tier: String, chains: [AnalysedChain])]? {
        guard let plan else { return nil }
        var groups = plan.tiers.map { tier in
            (tier, plan.chains.filter { $0.tier == tier }.compactMap { placed in chains.first { $0.chain.id == placed.chain } })
        }
        let unplaced = chains.filter { plan.plan(of: $0.chain.id) == nil }
        if !unplaced.isEmpty { groups.append((Self.unplaced, unplaced)) }
        return groups.filter { !$0.1.isEmpty }
    }

    /// The group of chains the plan does not place.
    public static let unplaced = "未分层"

    /// A link that several chains share (the same name, as names compare): worth more
    /// than its parts — filling it serves each chain.
    public struct SharedLink: Sendable {
        public var name: String
        /// Each chain that has it, with the link and its status there.
        public var places: [(chain: AnalysedChain, link: LinkRef, status: LinkStatus)]
    }

    /// The links of two or more chains, by name, in the order first met.
    public var sharedLinks: [SharedLink] {
        var order: [String] = []
        var byName: [String: SharedLink] = [:]
        for chain in chains {
            for link in chain.chain.links {
                let key = LeadValues.nameKey(link.name)
                if byName[key] == nil {
                    order.append(key)
                    byName[key] = SharedLink(name: link.name, places: [])
                }
                if !byName[key]!.places.contains(where: { $0.chain.chain.id == chain.chain.id }) {
                    byName[key]!.places.append((chain, link.ref, chain.analysis.status(of: link.ref)))
                }
            }
        }
        return order.compactMap { byName[$0] }.filter { $0.places.count > 1 }
    }

    /// The local enterprises that work in two or more chains, with the chains' names, in
    /// the order first met.
    public var sharedEnterprises: [(name: String, chains: [String])] {
        var order: [String] = []
        var found: [String: (name: String, chains: [String])] = [:]
        for chain in chains {
            for enterprise in chain.chain.enterprises {
                let key = LeadValues.nameKey(enterprise.name)
                if found[key] == nil {
                    order.append(key)
                    found[key] = (enterprise.name, [])
                }
                if !found[key]!.chains.contains(chain.chain.name) { found[key]!.chains.append(chain.chain.name) }
            }
        }
        return order.compactMap { found[$0] }.filter { $0.chains.count > 1 }
    }
}

