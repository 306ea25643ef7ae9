/// The status of one link after the gap analysis (the contract's "Meaning of the
/// analysis words"), with the words every output uses for it.
///
/// This is the one place where a status is named or explained: the map's legend and
/// tooltips, the report, the tables and the terminal all read ``label``, ``meaning`` and
/// ``condition`` from here, and ``key`` is the status in JSON, CSS classes and `style:`.
public enum LinkStatus: String, CaseIterable, Hashable, Sendable, Codable {
    /// Covered and not weak.
    case covered
    /// Covered but weak: 薄弱 → 强链.
    case strengthen
    /// A gap that directly supplies a covered link: 补链.
    case fill
    /// A gap at distance 1 that does not supply a covered link, or at distance 2: 延链.
    case extend
    /// A gap at distance ≥ 3, or any link of a chain with no coverage: 远期.
    case distant

    /// Whether the status is one of the gap kinds (the link has no local enterprise).
    public var isGap: Bool { self == .fill || self == .extend || self == .distant }

    /// The key in JSON (`kind`), in the map's and the page's CSS classes, and in a chain
    /// file's `style:`: `covered`, `strengthen`, `fill`, `extend`, `distant`.
    public var key: String { rawValue }

    /// The word planners use: 已覆盖, 强链, 补链, 延链, 远期.
    public var label: String {
        switch self {
        case .covered: "已覆盖"
        case .strengthen: "强链"
        case .fill: "补链"
        case .extend: "延链"
        case .distant: "远期"
        }
    }

    /// What the status means, in one phrase (the legend, the overview, the tooltips).
    public var meaning: String {
        switch self {
        case .covered: "本地已有链主、龙头或骨干企业"
        case .strengthen: "本地已有企业，但实力薄弱"
        case .fill: "缺失环节，直接配套本地已有环节"
        case .extend: "缺失环节，紧邻本地产业，可上下游延伸"
        case .distant: "缺失环节，距本地产业较远"
        }
    }

    /// What the link is, as a noun: 已覆盖环节, 薄弱环节, 缺失环节.
    public var condition: String {
        switch self {
        case .covered: "已覆盖环节"
        case .strengthen: "薄弱环节"
        case .fill, .extend, .distant: "缺失环节"
        }
    }

    /// The kinds of gaps and weak links, in the order planners work through them:
    /// 补链, 强链, 延链, 远期.
    public static let kinds: [LinkStatus] = [.fill, .strengthen, .extend, .distant]

    /// The order planners work in: 补链, 强链, 延链, 远期, then covered links. Used to
    /// break ties of equal priority.
    public var urgencyRank: Int {
        switch self {
        case .fill: 0
        case .strengthen: 1
        case .extend: 2
        case .distant: 3
        case .covered: 4
        }
    }

    /// The status a key names (``key``); `strong`, the key of earlier versions for
    /// ``covered``, is read as it.
    public init?(key: String) {
        if key == "strong" {
            self = .covered
            return
        }
        self.init(rawValue: key)
    }
}

/// How a `supplies` edge runs, as the analysis classifies it (``GapAnalysis/edges``).
/// The map draws each kind differently and gives its SVG element the kind as a class;
/// `chainmap gaps --edges --json` prints it.
public enum EdgeKind: String, CaseIterable, Hashable, Sendable {
    /// Upstream to downstream: to a link of the same or a later stage.
    case forward
    /// To a link of an earlier stage, closing no loop: a service stage supporting the
    /// manufacturing ones, say.
    case backward
    /// An edge that closes a loop, such as recycling that feeds raw materials again
    /// (电池回收 → 锂盐), or a link that supplies itself. Without these edges the chain
    /// has no loops.
    case feedback

    /// The key in JSON and in the map's CSS classes: `forward`, `backward`, `feedback`.
    public var key: String { rawValue }

    /// The word for the edge: 供给, 前段供给, 回流.
    public var label: String {
        switch self {
        case .forward: "供给"
        case .backward: "前段供给"
        case .feedback: "回流"
        }
    }

    /// What the edge means, in a phrase (the legend writes `label：meaning`).
    public var meaning: String {
        switch self {
        case .forward: "上游 → 下游"
        case .backward: "供给或服务前段环节"
        case .feedback: "循环利用"
        }
    }
}

/// One `supplies` edge of a chain, with its kind.
public struct SupplyEdge: Hashable, Sendable {
    /// The supplying (upstream) link.
    public var from: LinkRef
    /// The supplied (downstream) link.
    public var to: LinkRef
    public var kind: EdgeKind

    public init(from: LinkRef, to: LinkRef, kind: EdgeKind) {
        self.from = from
        self.to = to
        self.kind = kind
    }
}

extension EdgeKind {
    /// The legend's line for the edge: `label：meaning`.
    public var legend: String { "\(label)：\(meaning)" }
}
