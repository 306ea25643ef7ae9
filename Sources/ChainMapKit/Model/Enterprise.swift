/// A local enterprise (本地企业) and the links it works in.
public struct Enterprise: Hashable, Sendable {
    /// The enterprise's role in the chain.
    public enum Role: String, CaseIterable, Hashable, Sendable {
        /// 链主: the chain leader, usually the end-product maker that anchors the chain.
        case leader = "链主"
        /// 龙头: the leading enterprise of a link.
        case champion = "龙头"
        /// 配套: a supporting supplier (the default).
        case supporter = "配套"

        /// Whether the role anchors its link (链主 or 龙头).
        public var isAnchor: Bool { self != .supporter }

        /// The role's place when enterprises are listed: 链主 0, 龙头 1, 配套 2.
        public var rank: Int {
            switch self {
            case .leader: 0
            case .champion: 1
            case .supporter: 2
            }
        }
    }

    public var name: String
    /// The links it works in, as written (at least one).
    public var links: [LinkRef]
    public var role: Role
    /// Annual revenue or output, 亿元.
    public var revenue: Double?
    /// Free tags: tiers (上市公司, 专精特新 …) and anything else.
    public var tags: [String]
    /// Free notes (`notes:` / `备注`).
    public var notes: String?
    /// The file's own fields (`x-` keys), in file order.
    public var extra: [ExtraField]
    public var location: FileLocation
    /// For an enterprise from the roster (摸排名录) rather than the chain file: how it was
    /// placed on its links. nil for an enterprise the chain file names.
    public var placement: RosterPlacement? {
        get { placementBox?.value }
        set { placementBox = newValue.map(PlacementBox.init) }
    }
    /// ``placement``, held by reference: a placement carries a whole lead, and held inline
    /// it made every enterprise several times larger, nearly all of them without one (the
    /// enterprises of a 10 MB chain file took 87 MB).
    private var placementBox: PlacementBox?

    private final class PlacementBox: Hashable, Sendable {
        let value: RosterPlacement
        init(_ value: RosterPlacement) { self.value = value }
        static func == (a: PlacementBox, b: PlacementBox) -> Bool { a.value == b.value }
        func hash(into hasher: inout Hasher) { hasher.combine(value) }
    }

    /// Whether the enterprise comes from the roster, not from the chain file.
    public var isFromRoster: Bool { placement != nil }

    public init(
        name: String, links: [LinkRef], role: Role = .supporter, revenue: Double? = nil,
        tags: [String] = [], notes: String? = nil, extra: [ExtraField] = [], location: FileLocation
    ) {
        self.name = name
        self.links = links
        self.role = role
        self.revenue = revenue
        self.tags = tags
        self.notes = notes
        self.extra = extra
        self.location = location
    }
}
