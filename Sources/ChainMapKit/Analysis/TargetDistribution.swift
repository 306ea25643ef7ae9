/// Where the recommended target enterprises are (招商目标分布): by province (or, abroad,
/// by country), and by the regions plans target. Computed once from a list of
/// recommendations; the target map and the report's region table read it.
public struct TargetDistribution: Sendable {
    /// The recommendations of each province or country, best first.
    public let byArea: [String: [Recommendation]]
    /// Recommendations abroad whose country is none chainmap knows (境外), best first.
    public let abroadUnknown: [Recommendation]
    /// Recommendations without a province, best first.
    public let unplaced: [Recommendation]
    /// How many recommendations in all.
    public let total: Int
    /// Each recommendation, in the input's order, with its province or country (nil:
    /// abroad unknown, or unplaced).
    let placed: [(recommendation: Recommendation, area: String?, abroad: Bool)]

    /// The groups of the report's region table, in order: each lead is in the first that
    /// holds its province or country.
    public static let groups: [(name: String, areas: [String])] = {
        var groups: [(String, [String])] = ["粤港澳", "长三角", "京津冀", "成渝", "港澳台"].map { name in
            (name, Regions.regions.first { $0.name == name }!.provinces)
        }
        groups.append(("其他省份", Regions.provinces))
        for region in Regions.abroad { groups.append(("境外·" + region.name, region.countries.map(\.name))) }
        return groups
    }()

    public init(_ recommendations: [Recommendation]) {
        var byArea: [String: [Recommendation]] = [:]
        var abroadUnknown: [Recommendation] = []
        var unplaced: [Recommendation] = []
        var placed: [(Recommendation, String?, Bool)] = []
        for recommendation in recommendations {
            let text = recommendation.lead.province ?? ""
            if let area = Regions.area(in: text) ?? recommendation.lead.city.flatMap(Regions.province(ofCity:)) {
                byArea[area, default: []].append(recommendation)
                placed.append((recommendation, area, false))
            } else if Regions.isAbroad(text) {
                abroadUnknown.append(recommendation)
                placed.append((recommendation, nil, true))
            } else {
                unplaced.append(recommendation)
                placed.append((recommendation, nil, false))
            }
        }
        self.placed = placed
        self.byArea = byArea
        self.abroadUnknown = abroadUnknown
        self.unplaced = unplaced
        total = recommendations.count
    }

    /// How many recommendations are in a province or country.
    public func count(_ area: String) -> Int { byArea[area]?.count ?? 0 }

    /// The recommendations of a region abroad (its countries), best first by rank in
    /// the input: those of its countries, each country once in the first region listing it.
    public func abroad(_ region: String) -> [Recommendation] {
        guard let countries = Regions.abroad.first(where: { $0.name == region })?.countries else { return [] }
        return countries.filter { Regions.abroadRegion(ofCountry: $0.name) == region }.flatMap { byArea[$0.name] ?? [] }
    }

    /// The region table's rows: each group with its leads, best first (each lead in the
    /// first group that holds its province or country), then 其他境外 and 未注明 when
    /// they hold any; groups without leads left out.
    public var regionRows: [(group: String, leads: [Recommendation])] {
        var groupOf: [String: Int] = [:]
        for (g, group) in Self.groups.enumerated() {
            for area in group.areas where groupOf[area] == nil { groupOf[area] = g }
        }
        var leads = Array(repeating: [Recommendation](), count: Self.groups.count + 2)
        for item in placed {
            let g = item.area.flatMap { groupOf[$0] } ?? (item.abroad ? Self.groups.count : Self.groups.count + 1)
            leads[g].append(item.recommendation)
        }
        let names = Self.groups.map(\.name) + ["其他境外", "未注明"]
        return zip(names, leads).filter { !$0.1.isEmpty }.map { ($0.0, $0.1) }
    }
}
