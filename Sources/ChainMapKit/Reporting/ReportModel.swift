/// One recommended target enterprise (招商目标企业) as the report lists it: the lead, the
/// gaps and weak links it matches (best first, each with its evidence), its score and
/// the reasons in words.
///
/// The report does not rank leads itself; it takes them ranked, best first, from the
/// lead matcher (``init(_:)`` makes one of a ``Recommendation``).
public struct ReportLead: Hashable, Sendable {
    /// How the lead matches one link.
    public struct Match: Hashable, Sendable {
        public var link: LinkRef
        /// 0...1; 1 when the lead names the link.
        public var strength: Double
        /// The evidence in words: "线索已指明该环节；国标行业 C2661 与环节代码一致".
        public var evidence: String

        public init(link: LinkRef, strength: Double, evidence: String) {
            self.link = link
            self.strength = strength
            self.evidence = evidence
        }
    }

    /// The lead as loaded (name, province, tags, status, partner …).
    public var lead: Lead
    /// The gaps and weak links it matches, best first.
    public var matches: [Match]
    /// The score; larger is better.
    public var score: Double
    /// Plain-Chinese reasons, at least one.
    public var reasons: [String]

    public init(lead: Lead, matches: [Match], score: Double, reasons: [String]) {
        self.lead = lead
        self.matches = matches
        self.score = score
        self.reasons = reasons
    }

    /// A recommendation of the lead matcher.
    public init(_ recommendation: Recommendation) {
        self.init(
            lead: recommendation.lead,
            matches: recommendation.matches.map {
                Match(link: $0.link, strength: $0.strength, evidence: LeadScorer.describe($0.evidence, limit: 4))
            },
            score: recommendation.score, reasons: recommendation.reasons)
    }

    /// The links it matches, best first.
    public var links: [LinkRef] { matches.map(\.link) }

    /// Its match to a link, if any.
    public func match(for link: LinkRef) -> Match? { matches.first { $0.link == link } }
}

/// What the report shows of one chain, computed once for every format: the analysis,
/// the directory of enterprises, the recommendations, the roadmap and the project lists.
///
/// Every list has a fixed order (no dictionary order, no dates), so the same input gives
/// the same document, byte for byte.
public struct ChainReport: Sendable {
    /// How much the report lists.
    public struct Options: Hashable, Sendable {
        /// Leads shown for each gap and weak link in section 5 and on the roadmap.
        public var leadsPerGap: Int
        /// At most this many leads in the whole ranked list (a million-row export can
        /// match tens of thousands); 0 lists them all.
        public var maxLeads: Int

        public init(leadsPerGap: Int = 3, maxLeads: Int = 300) {
            self.leadsPerGap = leadsPerGap
            self.maxLeads = maxLeads
        }
    }

    /// The recommendations of one gap or weak link (section 5).
    public struct GapLeads: Sendable {
        public var entry: GapEntry
        /// The best leads for this link, best first, at most ``Options/leadsPerGap``.
        public var leads: [ReportLead]
        /// How many ranked leads match this link in all.
        public var matched: Int
    }

    public let analysis: GapAnalysis
    public let summary: GapSummary
    public let options: Options
    /// The map as SVG (the renderer's bytes, unchanged), or nil when it could not be drawn.
    public let mapSVG: [UInt8]?
    /// The SVG id of each link's node on the map, indexed like ``Chain/links``.
    public let mapElementIDs: [String]
    /// Why there is no map, when there is none.
    public let mapProblem: String?
    /// All recommended leads, best first, cut to ``Options/maxLeads``.
    public let leads: [ReportLead]
    /// How many leads were recommended before the cut.
    public let leadTotal: Int
    /// For each gap and weak link (in priority order), its best leads.
    public let gapLeads: [GapLeads]
    /// The phased roadmap (section 6).
    public let roadmap: ReportRoadmap
    /// The project lists by status (section 7).
    public let projects: ReportProjects

    public var chain: Chain { analysis.chain }

    /// Assembles the report of one chain.
    ///
    /// - Parameters:
    ///   - analysis: the chain's gap analysis.
    ///   - leads: the recommended leads, best first (leads that match no gap or weak
    ///     link, and local enterprises, already left out).
    ///   - leadsForLink: the leads of one gap or weak link, best first for that link;
    ///     nil takes the ranked leads that match it, strongest match first.
    ///   - tracked: every lead that has a `status`, from the chain file and lead files,
    ///     in input order: the project lists are made of them, recommended or not.
    ///   - map: the map's SVG and the id of each link's node, or nil.
    ///   - mapProblem: why there is no map, shown in its place.
    public init(
        analysis: GapAnalysis, leads: [ReportLead], leadsForLink: ((LinkRef) -> [ReportLead])? = nil,
        tracked: [Lead],
        map: (svg: [UInt8], elementIDs: [String])?, mapProblem: String? = nil,
        options: Options = Options()
    ) {
        self.analysis = analysis
        self.summary = analysis.summary
        self.options = options
        self.mapSVG = map?.svg
        self.mapElementIDs = map?.elementIDs ?? analysis.chain.links.map { "link-\($0.id)" }
        self.mapProblem = map == nil ? (mapProblem ?? "全景图未能生成") : nil
        self.leadTotal = leads.count
        self.leads = options.maxLeads > 0 ? Array(leads.prefix(options.maxLeads)) : leads

        let perGap = max(0, options.leadsPerGap)
        self.gapLeads = analysis.entries.map { entry in
            let matching: [ReportLead]
            if let leadsForLink {
                matching = leadsForLink(entry.link)
            } else {
                // Strongest match first; the ranking breaks ties.
                matching = leads.enumerated()
                    .compactMap { position, lead in lead.match(for: entry.link).map { (position, lead, $0.strength) } }
                    .sorted { $0.2 != $1.2 ? $0.2 > $1.2 : $0.0 < $1.0 }
                    .map(\.1)
            }
            return GapLeads(entry: entry, leads: Array(matching.prefix(perGap)), matched: matching.count)
        }
        self.roadmap = ReportRoadmap(analysis: analysis, gapLeads: gapLeads)
        self.projects = ReportProjects(chain: analysis.chain, tracked: tracked, recommended: leads)
    }

    /// The status of a link.
    public func status(of ref: LinkRef) -> LinkStatus { analysis.status(of: ref) }

    /// The report's title: "新能源汽车动力电池产业链招商报告".
    public var title: String {
        ReportText.phrase(chain) + "招商报告"
    }

    /// The local enterprises of the chain that lead it (链主, then 龙头), ordered by
    /// link, then revenue (largest first), then file order.
    public var keyEnterprises: [Enterprise] { directory(anchors: true) }

    /// The supporting enterprises (配套), ordered like ``keyEnterprises``.
    public var supportingEnterprises: [Enterprise] { directory(anchors: false) }

    private func directory(anchors: Bool) -> [Enterprise] {
        let chain = self.chain
        // Position of a link on the chain: stage, then file order.
        func position(_ e: Enterprise) -> (Int, Int) {
            let first = e.links.min { (chain[$0].stage, $0.index) < (chain[$1].stage, $1.index) }
            guard let first else { return (Int.max, Int.max) }
            return (chain[first].stage, first.index)
        }
        func roleRank(_ role: Enterprise.Role) -> Int {
            switch role {
            case .leader: 0
            case .champion: 1
            case .supporter: 2
            }
        }
        return chain.enterprises.enumerated()
            .filter { $0.element.role.isAnchor == anchors }
            .sorted { a, b in
                let (x, y) = (a.element, b.element)
                if roleRank(x.role) != roleRank(y.role) { return roleRank(x.role) < roleRank(y.role) }
                let (px, py) = (position(x), position(y))
                if px != py { return px < py }
                if x.revenue != y.revenue { return (x.revenue ?? -1) > (y.revenue ?? -1) }
                return a.offset < b.offset
            }
            .map(\.element)
    }

    /// The names of links, joined by "、".
    public func linkNames(_ refs: [LinkRef]) -> String {
        refs.map { chain[$0].name }.joined(separator: "、")
    }

    /// The stages of links, without repeats, in stage order, joined by "、".
    public func stageNames(_ refs: [LinkRef]) -> String {
        Array(Set(refs.map { chain[$0].stage })).sorted().map { chain.stages[$0].name }.joined(separator: "、")
    }
}

/// Numbers as the report writes them.
public enum ReportNumber {
    /// 72.34 → "72.3", 60 → "60.0": priorities, scores, completeness.
    public static func fixed(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        let sign = tenths < 0 ? "-" : ""
        let magnitude = Int(abs(tenths))
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }

    /// 320 → "320", 9.5 → "9.5", 0.125 → "0.13": amounts in 亿元.
    public static func amount(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// 0.6667 → "66.7%".
    public static func percent(_ share: Double) -> String {
        fixed(share * 100) + "%"
    }
}
