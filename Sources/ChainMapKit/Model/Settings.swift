/// Thresholds of the gap analysis (`analysis:` in a chain file; also settable on the
/// command line, which wins).
///
/// A covered link is weak (薄弱 → 强链) unless it has a 链主 or 龙头 enterprise, or at
/// least ``minEnterprises`` local enterprises one of which carries a tag of ``tierTags``.
public struct AnalysisSettings: Hashable, Sendable {
    /// The tier tags recognised by default. A tag counts when it contains one of these,
    /// so 国家级专精特新"小巨人" counts as 专精特新.
    public static let defaultTierTags = [
        "世界500强", "中国500强", "民营500强", "500强", "上市公司", "上市", "央企", "国企",
        "专精特新", "小巨人", "高新技术企业", "独角兽", "隐形冠军", "单项冠军",
    ]

    /// How many local enterprises a link needs, one of them tier-tagged, to be strong
    /// without a 链主 or 龙头. Default 2.
    public var minEnterprises: Int
    /// Tags that mark a tiered enterprise.
    public var tierTags: [String] {
        didSet { exactTierTags = Set(tierTags) }
    }
    /// ``tierTags`` as a set, for the common case of a tag written exactly as listed.
    private var exactTierTags: Set<String>

    public init(minEnterprises: Int = 2, tierTags: [String] = AnalysisSettings.defaultTierTags) {
        self.minEnterprises = minEnterprises
        self.tierTags = tierTags
        self.exactTierTags = Set(tierTags)
    }

    /// Whether a tag list carries a tier tag.
    public func hasTier(_ tags: [String]) -> Bool {
        tags.contains(where: isTier)
    }

    /// Whether a tag is a tier tag: one of ``tierTags``, or a tag containing one.
    public func isTier(_ tag: String) -> Bool {
        exactTierTags.contains(tag) || tierTags.contains { tag.contains($0) }
    }
}

/// Overrides of the map's default look (`style:` in a chain file).
public struct MapStyle: Hashable, Sendable {
    /// The font family for all text; must be installed and carry CJK glyphs.
    public var font: String?
    /// Fill colours by status key (`strong`, `strengthen`, `fill`, `extend`, `distant`).
    public var fills: [String: String]
    /// Border colours by the same keys.
    public var borders: [String: String]

    /// The status keys that `style:` `fills` and `borders` accept.
    public static let statusKeys = ["strong", "strengthen", "fill", "extend", "distant"]

    public init(font: String? = nil, fills: [String: String] = [:], borders: [String: String] = [:]) {
        self.font = font
        self.fills = fills
        self.borders = borders
    }
}
