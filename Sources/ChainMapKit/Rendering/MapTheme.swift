/// How one link status looks on the map: fill, border colour, border line and width.
///
/// Fill *and* border differ from status to status, and the border line as well (solid
/// for covered links, dashed for the gaps to recruit for, dotted for the distant ones),
/// so the kinds stay apart on a greyscale print too.
public struct StatusLook: Hashable, Sendable {
    /// Fill colour of the node (`#RRGGBB` or a colour name).
    public var fill: String
    /// Border colour; also the colour of the status badge.
    public var border: String
    /// The border line: `solid`, `dashed` or `dotted`.
    public var line: String
    /// Border width, in points.
    public var width: Double

    public init(fill: String, border: String, line: String, width: Double) {
        self.fill = fill
        self.border = border
        self.line = line
        self.width = width
    }
}

/// The look of the map: its font and the look of every link status (the words for each
/// status are the model's: ``LinkStatus/label``, ``LinkStatus/meaning``). The default is
/// ``MapTheme/standard``; a chain file's `style:` overrides the font and the colours.
public struct MapTheme: Hashable, Sendable {
    /// The font family of all text. It must be installed and carry Chinese characters.
    public var font: String
    /// The look of each status.
    public var looks: [LinkStatus: StatusLook]

    /// The default font: WenQuanYi Micro Hei (Debian/Ubuntu package fonts-wqy-microhei).
    public static let defaultFont = "WenQuanYi Micro Hei"

    /// Fonts an SVG viewer falls back to when it lacks ``font``: the Chinese UI fonts of
    /// Windows, macOS and Linux. Their Chinese glyphs are one em wide, like the font the
    /// boxes were measured with, so labels still fit.
    public static let fallbackFonts = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "sans-serif"]

    /// The `fontname` the map uses: ``font``, then the fallbacks. Pango lays the text
    /// out with the first one installed; SVG keeps the list as its `font-family`.
    public var fontList: String {
        ([font] + MapTheme.fallbackFonts.filter { $0.lowercased() != font.lowercased() }).joined(separator: ", ")
    }

    /// The default look: green for covered links, amber for weak ones (强链), red for
    /// 补链, blue for 延链, grey for 远期.
    public static let standard = MapTheme(font: defaultFont, looks: [
        .covered: StatusLook(fill: "#E3F1E0", border: "#2E7D32", line: "solid", width: 1.4),
        .strengthen: StatusLook(fill: "#FFF0C7", border: "#B26B00", line: "solid", width: 2.2),
        .fill: StatusLook(fill: "#FCDAD6", border: "#C62828", line: "dashed", width: 2.6),
        .extend: StatusLook(fill: "#DCE9F7", border: "#1F5FA8", line: "dashed", width: 1.6),
        .distant: StatusLook(fill: "#EFEFEF", border: "#757575", line: "dotted", width: 1.5),
    ])

    public init(font: String, looks: [LinkStatus: StatusLook]) {
        self.font = font
        self.looks = looks
    }

    /// The standard theme with a chain file's `style:` applied.
    public init(style: MapStyle) {
        self = .standard
        // The loader refuses any other name; a style built in code is checked here too.
        if let font = style.font, MapStyle.isFontName(font) { self.font = font }
        for status in LinkStatus.allCases {
            if let fill = style.fills[status] { looks[status]?.fill = fill }
            if let border = style.borders[status] { looks[status]?.border = border }
        }
    }

    /// The look of a status.
    public func look(_ status: LinkStatus) -> StatusLook {
        looks[status] ?? MapTheme.standard.looks[status]!
    }

    // Colours of the parts that do not depend on a status.
    static let ink = "#1F2933"
    static let mutedInk = "#5F6B7A"
    static let edge = "#7B8798"
    static let feedbackEdge = "#A3ACB9"
    static let backwardEdge = "#B8C0CC"
    static let stageFill = "#F5F7FA"
    static let stageBorder = "#C9D1DC"
    static let anchorMark = "#B8860B"
}
