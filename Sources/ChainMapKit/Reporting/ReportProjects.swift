/// The 项目清单 (section 7): the leads that have a `status`, grouped the way the plans
/// ask for them — 推介清单 (线索, 接洽), 跟踪清单 (在谈), 签约清单 (签约) and 开工清单
/// (开工, 投产).
///
/// Leads without a status are candidates, not projects: they appear in section 5 only.
public struct ReportProjects: Sendable {
    /// One list.
    public struct List: Sendable {
        /// 推介清单, 跟踪清单, 签约清单 or 开工清单.
        public var name: String
        /// The statuses it takes, in order.
        public var statuses: [Lead.Status]
        public var projects: [Project]

        /// The sum of the intended investments (亿元) of the projects that give one.
        public var investment: Double { projects.compactMap(\.lead.invest).reduce(0, +) }
        /// How many projects give an intended investment.
        public var investmentCount: Int { projects.filter { $0.lead.invest != nil }.count }
    }

    /// One project: a lead and the links it is for.
    public struct Project: Sendable {
        public var lead: Lead
        /// The links: the matched ones when the lead is recommended, else those it names.
        public var links: [LinkRef]
        /// Its rank among the recommended leads (1 = best), if recommended.
        public var rank: Int?
    }

    /// The four lists, always all four, in pipeline order.
    public let lists: [List]

    /// The lists and the statuses each takes.
    public static let grouping: [(name: String, statuses: [Lead.Status])] = [
        ("推介清单", [.clue, .contacted]),
        ("跟踪清单", [.negotiating]),
        ("签约清单", [.signed]),
        ("开工清单", [.started, .producing]),
    ]

    /// Groups the leads with a status. Inside a list: later status first (投产 before
    /// 开工), then recommended leads by rank, then the rest in input order. A lead that
    /// appears twice (by name) is listed once, at its first appearance.
    public init(chain: Chain, tracked: [Lead], recommended: [Recommendation]) {
        var rankByName: [String: (Int, [LinkRef])] = [:]
        for (position, lead) in recommended.enumerated() where rankByName[lead.lead.name] == nil {
            rankByName[lead.lead.name] = (position + 1, lead.links)
        }
        var seen: Set<String> = []
        var projects: [(order: Int, project: Project)] = []
        for (order, lead) in tracked.enumerated() where lead.status != nil && seen.insert(lead.name).inserted {
            let ranked = rankByName[lead.name]
            let links = ranked?.1 ?? lead.links
            projects.append((order, Project(lead: lead, links: links, rank: ranked?.0)))
        }
        lists = Self.grouping.map { group in
            let members = projects.filter { group.statuses.contains($0.project.lead.status!) }
                .sorted { a, b in
                    let (sa, sb) = (a.project.lead.status!, b.project.lead.status!)
                    if sa != sb { return sa > sb }
                    switch (a.project.rank, b.project.rank) {
                    case let (x?, y?): return x < y
                    case (.some, nil): return true
                    case (nil, .some): return false
                    case (nil, nil): return a.order < b.order
                    }
                }
                .map(\.project)
            return List(name: group.name, statuses: group.statuses, projects: members)
        }
    }

    /// All projects in all lists.
    public var count: Int { lists.reduce(0) { $0 + $1.projects.count } }
}
