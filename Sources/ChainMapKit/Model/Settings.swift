/// Thresholds of the gap analysis (`analysis:` in a chain file; also settable on the
/// command line, which wins).
///
/// A covered link is weak (薄弱 → 强链) unless it has a 链主 or 龙头 enterprise, or at
/// least ``minEnterprises`` local enterprises one of which carries a tag of ``tierTags``.
public struct AnalysisSettings: Hashable, Sendable {
    /// How many local enterprises a link needs, one of them tier-tagged, to be strong
    /// without a 链主 or 龙头. Default 2.
    public var minEnterprises: Int
    /// The tags that mark a tiered enterprise, as a chain file's `tier-tags:` or
    /// `--tier-tags` lists them; by default the names of the standard tiers. Setting
    /// them sets ``tiers`` (see ``TierTable/init(selecting:)``).
    public var tierTags: [String] {
        didSet { tiers = TierTable(selecting: tierTags) }
    }
    /// The tiers that count: the standard ones, or those ``tierTags`` selects.
    public private(set) var tiers: TierTable

    public init(minEnterprises: Int = 2) {
        self.minEnterprises = minEnterprises
        self.tierTags = TierTable.standard.tiers.map(\.name)
        self.tiers = .standard
    }

    public init(minEnterprises: Int = 2, tierTags: [String]) {
        self.minEnterprises = minEnterprises
        self.tierTags = tierTags
        self.tiers = TierTable(selecting: tierTags)
    }

    /// Whether a tag list carries a tier tag.
    public func hasTier(_ tags: [String]) -> Bool { tiers.hasTier(tags) }

    /// Whether a tag is a tier tag.
    public func isTier(_ tag: String) -> Bool { tiers.isTier(tag) }
}

/// Overrides of the map's default look (`style:` in a chain file).
public struct MapStyle: Hashable, Sendable {
    /// The font family for all text; must be installed and carry CJK glyphs.
    public var font: String?
    /// Fill colours by status.
    public var fills: [LinkStatus: String]
    /// Border colours by status.
    public var borders: [LinkStatus: String]

    /// Whether a font family name is safe to hand to Graphviz, which writes it into the
    /// SVG's `font-family` attribute without escaping: 1–64 characters, each a letter
    /// (汉字 included), a digit, a space or one of `- _ . ,`.
    public static func isFontName(_ text: String) -> Bool {
        guard (1...maxFontNameLength).contains(text.count) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .nonspacingMark, .spacingMark:
                true
            default:
                " -_.,".unicodeScalars.contains(scalar)
            }
        }
    }

    /// The longest font family name accepted, in characters.
    public static let maxFontNameLength = 64

    /// The keys that `style:` `fills` and `borders` accept: every status's
    /// ``LinkStatus/key``, and `strong`, the earlier key of `covered`.
    public static let statusKeys = LinkStatus.allCases.map(\.key) + ["strong"]

    public init(font: String? = nil, fills: [LinkStatus: String] = [:], borders: [LinkStatus: String] = [:]) {
        self.font = font
        self.fills = fills
        self.borders = borders
    }
}
