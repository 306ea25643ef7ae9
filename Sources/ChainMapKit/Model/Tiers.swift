/// A tier of enterprises the plans target (世界500强, 上市公司, 专精特新 …) and the tags
/// that name it.
public struct Tier: Hashable, Sendable {
    /// The tier's name, as reasons and tables print it.
    public var name: String
    /// A tag belongs to the tier when it contains every word of one of these groups
    /// (国家级专精特新"小巨人" contains 专精特新). Traditional spellings are listed as
    /// groups of their own.
    public var patterns: [[String]]

    public init(name: String, patterns: [[String]]) {
        self.name = name
        self.patterns = patterns
    }

    /// Whether a tag belongs to the tier.
    public func matches(_ tag: String) -> Bool {
        patterns.contains { group in group.allSatisfy { TextSearch.contains(tag, $0) } }
    }
}

/// The tiers that count, in order: a tag belongs to the first tier it matches.
///
/// This is the one definition of "tier" (梯队企业). The gap analysis asks it whether a
/// local enterprise carries a tier tag (a weak link turns strong, an enterprise weighs
/// more); the lead score asks it which tier a lead's tag names, and gives that tier its
/// points (``LeadScoring/tierPoints``). docs/analysis.md and docs/matching.md list it.
public struct TierTable: Hashable, Sendable {
    /// The tiers, most specific first (民营500强 before 中国500强, whose `500强` would
    /// also match it).
    public private(set) var tiers: [Tier]
    /// The tags that are exactly a tier's name or a one-word pattern, and their tier:
    /// most tags are written that way, and a set answers them without a search.
    private var exact: [String: Int]

    public init(_ tiers: [Tier]) {
        self.tiers = tiers
        var exact: [String: Int] = [:]
        for (index, tier) in tiers.enumerated() {
            if exact[tier.name] == nil { exact[tier.name] = index }
            for group in tier.patterns where group.count == 1 && exact[group[0]] == nil {
                exact[group[0]] = index
            }
        }
        self.exact = exact
    }

    /// The tiers the plans name (domain.md), with their common synonyms.
    public static let standard = TierTable([
        Tier(name: "世界500强", patterns: [
            ["世界500强"], ["财富500强"], ["全球500强"], ["世界500強"], ["財富500強"], ["全球500強"], ["Fortune", "500"],
        ]),
        Tier(name: "民营500强", patterns: [["民营", "500强"], ["民營", "500強"]]),
        // 三类500强, 中国企业500强, 中国制造业500强: any other 500强 list.
        Tier(name: "中国500强", patterns: [["中国", "500强"], ["500强"], ["中國", "500強"], ["500強"]]),
        // Before 国企: 央企子公司 is a 央企's.
        Tier(name: "央企", patterns: [["央企"], ["中央企业"], ["中央企業"]]),
        Tier(name: "上市公司", patterns: [
            ["上市"], ["A股"], ["B股"], ["H股"], ["港股"], ["美股"], ["主板"], ["科创板"], ["创业板"], ["北交所"],
            ["新三板"], ["科創板"], ["創業板"],
        ]),
        Tier(name: "外资企业", patterns: [
            ["外资"], ["外商"], ["中外合资"], ["中外合作"], ["跨国公司"], ["港资"], ["台资"], ["澳资"],
            ["外資"], ["中外合資"], ["跨國公司"], ["港資"], ["台資"], ["臺資"], ["澳資"],
        ]),
        // After 上市公司: 国有控股上市公司 is listed.
        Tier(name: "国企", patterns: [["国企"], ["国有"], ["國企"], ["國有"]]),
        Tier(name: "独角兽", patterns: [["独角兽"], ["獨角獸"]]),
        Tier(name: "隐形冠军", patterns: [["隐形冠军"], ["单项冠军"], ["隱形冠軍"], ["單項冠軍"]]),
        Tier(name: "专精特新", patterns: [["专精特新"], ["小巨人"], ["專精特新"]]),
        Tier(name: "高新技术企业", patterns: [["高新技术企业"], ["高新企业"], ["高新技術企業"], ["高新企業"]]),
    ])

    /// The tiers that a chain file's `analysis: tier-tags:` (or `--tier-tags`) lists: a
    /// tag that names a standard tier (its name, or a word that alone identifies it, such
    /// as 上市 or 小巨人) takes that tier with all its synonyms; any other tag is a tier
    /// of its own, matched by containment.
    public init(selecting tags: [String]) {
        var selected: [Tier] = []
        for tag in tags {
            let standard = TierTable.standard
            if let index = standard.exact[tag] {
                let tier = standard.tiers[index]
                if !selected.contains(tier) { selected.append(tier) }
            } else if !selected.contains(where: { $0.name == tag }) {
                selected.append(Tier(name: tag, patterns: [[tag]]))
            }
        }
        self.init(selected)
    }

    /// The position in ``tiers`` of the tier a tag belongs to, if any.
    public func tier(of tag: String) -> Int? {
        if let index = exact[tag] { return index }
        return tiers.firstIndex { $0.matches(tag) }
    }

    /// Whether a tag belongs to a tier.
    public func isTier(_ tag: String) -> Bool { tier(of: tag) != nil }

    /// Whether any of the tags belongs to a tier.
    public func hasTier(_ tags: [String]) -> Bool { tags.contains(where: isTier) }

    /// The table with one more tier at the end, matched by its name; nothing changes
    /// when a tier of that name is there.
    public func adding(_ name: String) -> TierTable {
        guard !tiers.contains(where: { $0.name == name }) else { return self }
        return TierTable(tiers + [Tier(name: name, patterns: [[name]])])
    }
}
