/// A candidate target enterprise (招商线索 / 目标企业): from the chain file's `leads:`
/// or from an enterprise-database export.
public struct Lead: Hashable, Sendable {
    /// How far a lead has come (项目阶段), in order.
    public enum Status: String, CaseIterable, Comparable, Hashable, Sendable {
        case clue = "线索"
        case contacted = "接洽"
        case negotiating = "在谈"
        case signed = "签约"
        case started = "开工"
        case producing = "投产"

        public static func < (a: Status, b: Status) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// A column of an export that chainmap does not interpret, or an `x-` key of a chain
    /// file, passed through to outputs.
    public typealias Field = ExtraField

    public var name: String
    /// Links named explicitly (strongest evidence), in the order written.
    public var links: [LinkRef]
    /// GB/T 4754-2017 code, if given.
    public var code: IndustryCode?
    /// 经营范围 / main products.
    public var scope: String?
    public var province: String?
    /// The city (所属城市), when the export has it.
    public var city: String?
    public var tags: [String]
    /// Registered capital, 亿元.
    public var capital: Double?
    /// Intended investment, 亿元.
    public var invest: Double?
    public var status: Status?
    /// The local enterprise it already supplies or buys from (以商引商).
    public var partner: String?
    /// Free notes (`notes:` / `备注`).
    public var notes: String?
    /// Columns passed through from an export, and `x-` keys of a chain file, in order.
    public var extra: [Field]
    public var location: FileLocation

    public init(
        name: String, links: [LinkRef] = [], code: IndustryCode? = nil, scope: String? = nil,
        province: String? = nil, city: String? = nil, tags: [String] = [], capital: Double? = nil,
        invest: Double? = nil, status: Status? = nil, partner: String? = nil, notes: String? = nil,
        extra: [Field] = [], location: FileLocation
    ) {
        self.name = name
        self.links = links
        self.code = code
        self.scope = scope
        self.province = province
        self.city = city
        self.tags = tags
        self.capital = capital
        self.invest = invest
        self.status = status
        self.partner = partner
        self.notes = notes
        self.extra = extra
        self.location = location
    }
}

/// A field of its own that a file carries: an `x-` key of a chain file, or a column of an
/// export that chainmap does not interpret. Kept, and passed through to CSV and JSON.
public struct ExtraField: Hashable, Sendable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
