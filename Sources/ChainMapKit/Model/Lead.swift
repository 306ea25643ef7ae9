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
    public var extra: [Field] {
        get { passThrough.fields }
        set { passThrough = PassThroughFields(newValue) }
    }
    /// ``extra`` as it is held (see ``PassThroughFields``).
    var passThrough: PassThroughFields
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
        passThrough = PassThroughFields(extra)
        self.location = location
    }
}

/// The pass-through fields of a lead (``Lead/extra``), held as two values rather than a
/// pair of strings per field: the names, one array that every row of a source shares,
/// and the values' UTF-8 one after another, each after its length. The 33,000
/// recommendations kept from a 1,000,000-row export held 12 MB of field arrays, and more
/// in a string per value.
struct PassThroughFields: Hashable, Sendable {
    /// The fields' names, in order.
    private(set) var names: [String]
    /// For each value: its UTF-8 length as four bytes (little-endian), then its UTF-8.
    private var bytes: [UInt8]

    init(_ fields: [ExtraField]) {
        self.init(names: fields.map(\.name), values: fields.map(\.value))
    }

    /// The fields named `names` (an array to share between rows), with these values.
    init(names: [String], values: [String]) {
        self.names = names
        bytes = []
        bytes.reserveCapacity(values.reduce(4 * values.count) { $0 + $1.utf8.count })
        for value in values { append(value) }
    }

    private mutating func append(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            let count = UInt32(truncatingIfNeeded: utf8.count)
            bytes.append(UInt8(truncatingIfNeeded: count))
            bytes.append(UInt8(truncatingIfNeeded: count >> 8))
            bytes.append(UInt8(truncatingIfNeeded: count >> 16))
            bytes.append(UInt8(truncatingIfNeeded: count >> 24))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Calls `body` with each field's name and value (UTF-8), in order.
    func forEach(_ body: (String, UnsafeBufferPointer<UInt8>) -> Void) {
        forEachValue { i, value in body(names[i], value) }
    }

    /// Calls `body` with each field's place in ``names`` and its value (UTF-8), in order.
    func forEachValue(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { bytes in
            var at = 0
            for i in names.indices {
                var count = 0
                for k in 0..<4 { count |= Int(bytes[at + k]) << (8 * k) }
                at += 4
                body(i, UnsafeBufferPointer(rebasing: bytes[at..<(at + count)]))
                at += count
            }
        }
    }

    /// Equal as ``Lead/extra`` is: by the values' text, so that two spellings of one
    /// character (é, e + ◌́) compare equal, as strings do, though their bytes differ.
    static func == (a: PassThroughFields, b: PassThroughFields) -> Bool {
        a.names == b.names && (a.bytes == b.bytes || a.fields == b.fields)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(fields)
    }

    /// These fields, then each field of `other` whose name is not among them yet (two
    /// rows of one enterprise merged). Rows of one source share their names, and then
    /// nothing is decoded: merging through ``Lead/extra`` decoded every field of both rows
    /// for each field compared.
    func adding(_ other: PassThroughFields) -> PassThroughFields {
        if other.names.isEmpty || other.names == names { return self }
        var names = names
        var added: [ExtraField] = []
        for field in other.fields where !names.contains(field.name) {
            names.append(field.name)
            added.append(field)
        }
        return added.isEmpty ? self : PassThroughFields(fields + added)
    }

    /// The fields, as ``Lead/extra`` gives them.
    var fields: [ExtraField] {
        var fields: [ExtraField] = []
        fields.reserveCapacity(names.count)
        forEach { name, value in fields.append(ExtraField(name: name, value: String(decoding: value, as: UTF8.self))) }
        return fields
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
