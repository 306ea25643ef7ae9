import Foundation

/// The weights of the lead score (docs/matching.md, "The score"). Every weight is in
/// points; the defaults put a perfect fit to the most urgent gap at 60 and all bonuses
/// together at most 51.
public struct LeadScoring: Sendable, Hashable {
    /// A tier of enterprises (世界500强, 上市公司 …) and its weight.
    public struct Tier: Sendable, Hashable {
        /// The tier's name, as reasons print it.
        public var name: String
        /// Points for a lead carrying the tier.
        public var points: Double
        /// A tag belongs to the tier when it contains every word of one of these groups
        /// (Traditional spellings of the words count too). A tag counts for the first
        /// tier of ``LeadScoring/tiers`` it belongs to.
        public var patterns: [[String]]

        public init(name: String, points: Double, patterns: [[String]]) {
            self.name = name
            self.points = points
            self.patterns = patterns
        }
    }

    /// The tiers the plans target, most specific first.
    public static let defaultTiers: [Tier] = [
        Tier(name: "世界500强", points: 15, patterns: [["世界500强"], ["财富500强"], ["全球500强"], ["Fortune", "500"]]),
        Tier(name: "民营500强", points: 10, patterns: [["民营", "500强"]]),
        Tier(name: "中国500强", points: 12, patterns: [["中国", "500强"], ["500强"]]),
        Tier(name: "央企", points: 12, patterns: [["央企"], ["中央企业"]]),
        Tier(name: "上市公司", points: 8, patterns: [["上市"], ["科创板"], ["创业板"], ["北交所"]]),
        Tier(name: "独角兽", points: 8, patterns: [["独角兽"]]),
        Tier(name: "隐形冠军", points: 7, patterns: [["隐形冠军"], ["单项冠军"]]),
        Tier(name: "专精特新", points: 6, patterns: [["专精特新"], ["小巨人"]]),
        Tier(name: "高新技术企业", points: 3, patterns: [["高新技术企业"], ["高新企业"]]),
    ]

    /// Points for a perfect fit (strength 1) to the gap of highest priority.
    public var fitPoints: Double = 60
    /// Share of a further matched gap's fit that adds to the best one's.
    public var furtherLinkShare: Double = 0.2
    /// The tiers and their points.
    public var tiers: [Tier] = LeadScoring.defaultTiers
    /// Share of each further tier's points that adds to the best tier's.
    public var furtherTierShare: Double = 0.3
    /// Cap on tier points.
    public var tierCap: Double = 20
    /// Points per tenfold of registered capital (亿元): `capitalPoints × log10(1 + capital)`.
    public var capitalPoints: Double = 2.5
    /// Points per tenfold of intended investment (亿元): `investPoints × log10(1 + invest)`.
    public var investPoints: Double = 4
    /// Cap on size points.
    public var sizeCap: Double = 10
    /// Points for already supplying or buying from a local enterprise, by its role.
    public var partnerPoints: [Enterprise.Role: Double] = [.leader: 10, .champion: 8, .supporter: 4]
    /// Target regions (粤港澳, 长三角, 京津冀, or provinces), in order of preference.
    public var preferredRegions: [String] = []
    /// Points for a lead in the first preferred region; each later region gets 15 % less,
    /// down to 40 %.
    public var regionPoints: Double = 6
    /// Points for a lead at 投产; earlier stages get their share (线索 0, 接洽 1/5 … 投产 5/5).
    public var statusPoints: Double = 5

    public init() {}

    /// Sets the points of a tier, adding a tier matched by its name when there is none.
    public mutating func setTierPoints(_ name: String, _ points: Double) {
        if let index = tiers.firstIndex(where: { $0.name == name }) {
            tiers[index].points = points
        } else {
            tiers.append(Tier(name: name, points: points, patterns: [[name]]))
        }
    }

    /// The upper bound of the score with these weights.
    public var maximum: Double {
        fitPoints + tierCap + sizeCap + (partnerPoints.values.max() ?? 0) + regionPoints + statusPoints
    }
}

/// The parts of a lead's score, in points.
public struct ScorePoints: Hashable, Sendable {
    /// Fit to the gaps and weak links it matches.
    public var fit: Double = 0
    /// Tier tags (上市公司, 专精特新 …).
    public var tiers: Double = 0
    /// Registered capital and intended investment.
    public var size: Double = 0
    /// Supplying or buying from a local enterprise (以商引商).
    public var partner: Double = 0
    /// Being in a preferred region.
    public var region: Double = 0
    /// The project stage.
    public var status: Double = 0

    /// Everything but the fit.
    public var bonus: Double { tiers + size + partner + region + status }
    /// The score.
    public var total: Double { fit + bonus }
}

/// A lead recommended for one or more gaps or weak links, with its score and the reasons.
public struct Recommendation: Sendable {
    /// The lead as read.
    public var lead: Lead
    /// The gaps and weak links it matches, best first (priority × strength).
    public var matches: [LinkMatch]
    /// The score (``ScorePoints/total``); larger is better.
    public var score: Double { points.total }
    /// The parts of the score.
    public var points: ScorePoints
    /// Plain-Chinese reasons, each ending with the points it adds.
    public var reasons: [String]
    /// The position of the lead's source among the sources screened (0 = the chain file's
    /// own leads when included), for stable ordering.
    public var sourceIndex: Int

    /// The strength of its match to a link, 0 when it does not match it.
    public func strength(for link: LinkRef) -> Double {
        matches.first { $0.link == link }?.strength ?? 0
    }

    /// Its rank key within one gap: the fit that link alone would give, plus every bonus.
    public func score(for link: LinkRef, scoring: LeadScoring) -> Double {
        scoring.fitPoints * strength(for: link) + points.bonus
    }
}

/// Scores leads against a chain's gaps and weak links.
public struct LeadScorer: Sendable {
    /// What becomes of a lead.
    public enum Verdict: Sendable {
        case recommended(Recommendation)
        /// Already a local enterprise (same name).
        case local(Enterprise)
        /// Matches no gap or weak link.
        case noTarget
    }

    /// The gap analysis whose gaps and weak links count.
    public let analysis: GapAnalysis
    /// The weights.
    public let scoring: LeadScoring
    /// Gap/weak-link priority over the highest, indexed like the chain's links; nil for
    /// strong covered links.
    let normalizedPriority: [Double?]
    /// Each link's priority (0 for strong links) and its kind in words, for reasons.
    let priorityText: [String]
    let kindText: [String]
    /// Local enterprises by ``LeadValues/nameKey(_:)``.
    let localByName: [String: Enterprise]
    /// Local enterprises whose names are long enough to be found inside a partner text.
    let localNames: [(key: String, enterprise: Enterprise)]
    /// Tier patterns with every spelling of each word.
    let tierPatterns: [[[[String]]]]
    /// Preferred provinces → (rank, region name).
    let preferredProvinces: [String: (rank: Int, region: String)]

    /// Prepares the scorer. Throws when a preferred region names no region or province.
    public init(analysis: GapAnalysis, scoring: LeadScoring = LeadScoring()) throws(DiagnosticError) {
        self.analysis = analysis
        self.scoring = scoring
        let top = analysis.entries.map(\.priority).max() ?? 1
        var priorities = [Double?](repeating: nil, count: analysis.chain.links.count)
        for entry in analysis.entries {
            priorities[entry.link.index] = top > 0 ? max(0, entry.priority) / top : 1
        }
        normalizedPriority = priorities
        var priorityText = [String](repeating: "-", count: analysis.chain.links.count)
        // One decimal always, as the gaps table prints it: 57.0 beside 68.1, not 57.
        for entry in analysis.entries { priorityText[entry.link.index] = LeadText.fixed(entry.priority, 1) }
        self.priorityText = priorityText
        kindText = analysis.statuses.map { $0 == .strengthen ? "强链（薄弱环节）" : "\($0.label)（缺失环节）" }

        var byName: [String: Enterprise] = [:]
        for enterprise in analysis.chain.enterprises {
            let key = LeadValues.nameKey(enterprise.name)
            if let known = byName[key], known.role.isAnchor || !enterprise.role.isAnchor { continue }
            byName[key] = enterprise
        }
        localByName = byName
        localNames = byName.filter { $0.key.count >= 4 }
            .sorted { ($0.value.role.isAnchor ? 0 : 1, -$0.key.count, $0.key) < ($1.value.role.isAnchor ? 0 : 1, -$1.key.count, $1.key) }
            .map { (key: $0.key, enterprise: $0.value) }

        tierPatterns = scoring.tiers.map { tier in
            tier.patterns.map { group in ChineseVariants.expand(group) }
        }

        var preferred: [String: (Int, String)] = [:]
        var problems: [Diagnostic] = []
        for (rank, name) in scoring.preferredRegions.enumerated() {
            guard let provinces = Regions.provinces(of: name) else {
                let known = Regions.regions.map(\.name)
                var message = "'\(name)' is not a region or province; regions are \(known.joined(separator: ", ")), or name a province such as 广东"
                if let suggestion = Suggestion.closest(to: name, in: known + Regions.provinces) {
                    message += "; did you mean '\(suggestion)'?"
                }
                problems.append(.error(message))
                continue
            }
            for province in provinces where preferred[province] == nil {
                preferred[province] = (rank, LeadColumns.trimmed(name))
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        preferredProvinces = preferred.mapValues { (rank: $0.0, region: $0.1) }
    }

    var chain: Chain { analysis.chain }

    /// The local enterprise a lead already is, if any.
    public func localEnterprise(named name: String) -> Enterprise? {
        localByName[LeadValues.nameKey(name)]
    }

    /// Whether a link is a gap or a weak link.
    public func isTarget(_ link: LinkRef) -> Bool { normalizedPriority[link.index] != nil }

    /// Scores a lead given its matches (from ``LeadMatcher/match(_:)``).
    public func evaluate(_ lead: Lead, matches: [LinkMatch], sourceIndex: Int = 0) -> Verdict {
        if let local = localEnterprise(named: lead.name) { return .local(local) }
        let targets = matches.compactMap { match -> (LinkMatch, Double)? in
            guard let priority = normalizedPriority[match.link.index] else { return nil }
            return (match, priority * match.strength)
        }
        // Strongest evidence first; among equally strong matches, the more urgent link.
        .sorted { a, b in
            if a.0.strength != b.0.strength { return a.0.strength > b.0.strength }
            if a.1 != b.1 { return a.1 > b.1 }
            return a.0.link < b.0.link
        }
        guard !targets.isEmpty else { return .noTarget }

        var points = ScorePoints()
        var reasons: [String] = []

        // Fit: the link of highest priority × strength in full, plus a share of each
        // further one, capped at a perfect fit.
        let best = targets.indices.max { targets[$0].1 < targets[$1].1 || (targets[$0].1 == targets[$1].1 && $0 > $1) }!
        var shares = targets.indices.map { $0 == best ? targets[$0].1 : scoring.furtherLinkShare * targets[$0].1 }
        let sum = shares.reduce(0, +)
        if sum > 1, shares.count > 1 {
            let further = sum - shares[best]
            let room = max(0, 1 - shares[best])
            for i in shares.indices where i != best { shares[i] *= room / further }
        }
        let parts = shares.map { scoring.fitPoints * min(1, $0) }
        points.fit = parts.reduce(0, +)
        for (i, (match, _)) in targets.prefix(3).enumerated() {
            reasons.append(fitReason(match, points: parts[i]))
        }
        if targets.count > 3 {
            let rest = targets[3...].map { "「\(chain[$0.0.link].name)」" }.joined(separator: "、")
            reasons.append("另匹配\(rest) \(Self.signed(parts[3...].reduce(0, +)))")
        }

        // Tiers.
        var found: [(String, Double)] = []
        for tag in lead.tags {
            guard let tier = tierIndex(of: tag), !found.contains(where: { $0.0 == scoring.tiers[tier].name }) else { continue }
            found.append((scoring.tiers[tier].name, scoring.tiers[tier].points))
        }
        if !found.isEmpty {
            found.sort { $0.1 > $1.1 }
            let value = min(scoring.tierCap, found[0].1 + scoring.furtherTierShare * found.dropFirst().reduce(0) { $0 + $1.1 })
            points.tiers = value
            if value != 0 {
                reasons.append("企业层级：\(found.map(\.0).joined(separator: "、")) \(Self.signed(value))")
            }
        }

        // Size.
        var sizeParts: [String] = []
        var size = 0.0
        if let capital = lead.capital, capital > 0 {
            size += scoring.capitalPoints * log10(1 + capital)
            sizeParts.append("注册资本 \(Self.amount(capital)) 亿元")
        }
        if let invest = lead.invest, invest > 0 {
            size += scoring.investPoints * log10(1 + invest)
            sizeParts.append("意向投资 \(Self.amount(invest)) 亿元")
        }
        points.size = min(scoring.sizeCap, size)
        if points.size > 0.05 {
            reasons.append("规模：\(sizeParts.joined(separator: "，")) \(Self.signed(points.size))")
        }

        // 以商引商.
        if let partnerText = lead.partner, let partner = partner(in: partnerText) {
            let value = scoring.partnerPoints[partner.role] ?? 0
            points.partner = value
            let role = partner.role == .supporter ? "本地企业" : "本地\(partner.role.rawValue)"
            reasons.append("以商引商：已与\(role)「\(partner.name)」配套或供货 \(Self.signed(value))")
        }

        // Region.
        if !preferredProvinces.isEmpty, let provinceText = lead.province, let province = Regions.province(in: provinceText),
           let preference = preferredProvinces[province] {
            let value = scoring.regionPoints * max(0.4, 1 - 0.15 * Double(preference.rank))
            points.region = value
            let region = preference.region == province ? "" : "（\(preference.region)）"
            reasons.append("目标区域：位于\(province)\(region)，优先区域第 \(preference.rank + 1) 位 \(Self.signed(value))")
        }

        // Project stage.
        if let status = lead.status, let index = Lead.Status.allCases.firstIndex(of: status), index > 0 {
            let value = scoring.statusPoints * Double(index) / Double(Lead.Status.allCases.count - 1)
            points.status = value
            reasons.append("项目阶段：\(status.rawValue) \(Self.signed(value))")
        }

        return .recommended(Recommendation(
            lead: lead, matches: targets.map(\.0), points: points, reasons: reasons, sourceIndex: sourceIndex))
    }

    /// The first tier a tag belongs to.
    func tierIndex(of tag: String) -> Int? {
        tierPatterns.firstIndex { groups in
            groups.contains { group in group.allSatisfy { spellings in LeadText.containsAny(tag, spellings) } }
        }
    }

    /// The local enterprise a partner text names: the same name, or a name (four
    /// characters or more) inside the text. Anchors (链主, 龙头) first.
    func partner(in text: String) -> Enterprise? {
        let key = LeadValues.nameKey(text)
        if let exact = localByName[key] { return exact }
        return localNames.first { LeadText.contains(key, $0.key) }?.enterprise
    }

    func fitReason(_ match: LinkMatch, points: Double) -> String {
        let index = match.link.index
        var text = kindText[index]
        text += "「" + chain.links[index].name + "」，优先级 " + priorityText[index]
        text += "，匹配度 " + LeadText.fixed(match.strength, 2) + "：" + Self.describe(match.evidence)
        text += " " + Self.signed(points)
        return text
    }

    /// The evidence in words, keywords of one field together:
    /// 国标行业 C2661 与环节代码一致；经营范围含「电解液」「六氟磷酸锂」.
    public static func describe(_ evidence: [MatchEvidence], limit: Int = 6) -> String {
        var parts: [String] = []
        var words: [LeadTextField: [String]] = [:]
        var fields: [LeadTextField] = []
        for item in evidence {
            guard case let .keyword(word, written, field) = item else {
                parts.append(describe(item))
                continue
            }
            if words[field] == nil { fields.append(field) }
            words[field, default: []].append(written.map { "「\($0)」（\(word)）" } ?? "「\(word)」")
        }
        for field in fields {
            let list = words[field]!
            let shown = list.prefix(limit).joined()
            parts.append("\(field.label)含\(shown)\(list.count > limit ? "等 \(list.count) 个关键词" : "")")
        }
        return parts.joined(separator: "；")
    }

    /// One piece of evidence in words.
    public static func describe(_ evidence: MatchEvidence) -> String {
        switch evidence {
        case .explicit:
            return "线索已指明该环节"
        case let .code(lead, link):
            return lead.digits == link.digits
                ? "国标行业 \(lead) 与环节代码一致"
                : "国标行业 \(lead) 属于环节代码 \(link)"
        case let .keyword(word, written, field):
            if let written { return "\(field.label)含「\(written)」（\(word)）" }
            return "\(field.label)含「\(word)」"
        }
    }

    /// A number with one decimal.
    static func format(_ value: Double) -> String { LeadText.fixed(value, 1) }
    /// A number of points with its sign: +9.8.
    static func signed(_ value: Double) -> String { (value < 0 ? "" : "+") + format(value) }
    /// An amount without needless decimals: 12.5, 20, 0.36.
    static func amount(_ value: Double) -> String {
        if value >= 100 { return LeadText.fixed(value, 0) }
        if value >= 1 { return LeadText.trimmed(value, 1) }
        // Two significant digits below 1: 0.36, 0.05, 0.0012.
        var decimals = 2
        var probe = value
        while probe > 0 && probe < 0.1 && decimals < 6 { probe *= 10; decimals += 1 }
        return LeadText.trimmed(value, decimals)
    }
}
