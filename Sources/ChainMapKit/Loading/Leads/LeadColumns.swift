import Foundation

/// What the header row of a lead export means: which column holds which field of a
/// ``Lead``, and which columns pass through to the outputs.
///
/// The headers of the contract are recognised without any option; within each field the
/// first header of its list that the file has wins, and its first column if it repeats.
/// chainmap also recognises the YAML keys (`name`, `code`, …) and a few headers of its
/// own (see ``LeadColumns/Role`` and docs/matching.md).
public struct LeadColumns: Sendable, Hashable {
    /// The fields a column can fill.
    public enum Role: String, CaseIterable, Sendable, Hashable {
        case name, links, code, scope, province, tags, capital, invest, status, partner, city, notes

        /// The role's position in ``allCases``.
        var ordinal: Int {
            switch self {
            case .name: 0
            case .links: 1
            case .code: 2
            case .scope: 3
            case .province: 4
            case .tags: 5
            case .capital: 6
            case .invest: 7
            case .status: 8
            case .partner: 9
            case .city: 10
            case .notes: 11
            }
        }

        /// The headers recognised for the role, in order of preference. Comparison
        /// ignores surrounding spaces, a unit in brackets (`注册资本（万元）`) and ASCII
        /// case, and accepts Traditional spellings (企業名稱).
        public var headers: [String] {
            switch self {
            case .name: ["企业名称", "公司名称", "名称", "name"]
            case .links: ["所属环节", "环节", "links"]
            case .code: ["国标行业", "行业代码", "所属行业", "code"]
            case .scope: ["经营范围", "主营产品", "主营业务", "scope"]
            case .province: ["所属省份", "省份", "省份地区", "province"]
            case .tags: ["标签", "企业标签", "资质", "tags"]
            case .capital: ["注册资本", "capital"]
            case .invest: ["意向投资额", "计划投资额", "投资额", "invest"]
            case .status: ["状态", "跟进状态", "status"]
            case .partner: ["配套关系", "partner"]
            case .city: ["所属城市", "城市", "所在城市", "所属地市", "地市", "city"]
            case .notes: ["备注", "notes"]
            }
        }
    }

    /// Every spelling of every header, by role and then in order of preference: the
    /// header and its Traditional spellings (企業名稱 for 企业名称), ASCII lower case.
    static let spellings: [[[String]]] = Role.allCases.map { role in
        expandHeaders(role.headers).map { $0.map { $0.lowercased() } }
    }

    /// Every header word that lead files are read with (the roles', the pass-through
    /// columns' names, the registration headers), each with its Traditional spellings as
    /// `ChineseVariants.expand` gives them (``headerSpellings``); OpenCC for
    /// a word not there.
    static func expandHeaders(_ words: [String]) -> [[String]] {
        let missing = words.filter { headerSpellings[$0] == nil }
        let converted = missing.isEmpty ? [] : ChineseVariants.expand(missing)
        var next = 0
        return words.map { word in
            if let carried = headerSpellings[word] { return carried }
            defer { next += 1 }
            return converted[next]
        }
    }

    /// The registration headers' spellings (``registrationHeaders``).
    static let registrationSpellings: [String] = expandHeaders(registrationHeaders).flatMap { $0 }

    /// Headers of registration status (登记状态); they pass through, and a lead whose
    /// status there or in 状态 says it no longer operates (注销, 吊销 …) is left out.
    public static let registrationHeaders = ["登记状态", "经营状态", "企业状态"]

    /// The header row as written (trimmed; a repeated header numbered), one per column.
    public var headers: [String]
    /// The column of each recognised field.
    public var columns: [Role: Int]
    /// Every column whose words count as business scope for keyword matching: the
    /// `scope` column first, then the other scope headers present.
    public var scopeColumns: [Int]
    /// Registration-status columns.
    public var registrationColumns: [Int]
    /// Columns passed through to the outputs, in file order.
    public var passThrough: [Int]
    /// The unit of a bare number in the capital column, in 亿元 per unit (万元 → 0.0001).
    public var capitalUnit: Double
    /// The unit of a bare number in the investment column, in 亿元 per unit.
    public var investUnit: Double

    /// Reads a header row. Returns nil when no column names the enterprise.
    public init?(headers raw: [String]) {
        // Trimmed, and made unique (a repeated header gets " (2)", " (3)" …), so that
        // pass-through columns can be named by their header.
        var headers: [String] = []
        var seen: [String: Int] = [:]
        // The two big exporters' names for the same column become one (公司类型 → 企业类型),
        // so that their files merge into one table with one set of columns.
        for text in raw.map({ LeadColumns.canonical(LeadColumns.trimmed($0)) }) {
            let n = (seen[text] ?? 0) + 1
            seen[text] = n
            headers.append(n == 1 ? text : "\(text) (\(n))")
        }
        let keys = headers.map(LeadColumns.key)
        var columns: [Role: Int] = [:]
        for role in Role.allCases {
            for spellings in LeadColumns.spellings[role.ordinal] {
                if let index = keys.firstIndex(where: { spellings.contains($0) }) {
                    columns[role] = index
                    break
                }
            }
        }
        guard let nameColumn = columns[.name] else { return nil }
        self.headers = headers
        self.columns = columns
        columnByRole = Role.allCases.map { columns[$0] }

        var scopes: [Int] = columns[.scope].map { [$0] } ?? []
        let scopeSpellings = LeadColumns.spellings[Role.scope.ordinal].flatMap { $0 }
        for (index, key) in keys.enumerated() where scopeSpellings.contains(key) && !scopes.contains(index) {
            scopes.append(index)
        }
        scopeColumns = scopes
        registrationColumns = keys.indices.filter { LeadColumns.registrationSpellings.contains(keys[$0]) }
        let recognised = Set(columns.values)
        passThrough = headers.indices.filter { !recognised.contains($0) && $0 != nameColumn }
        capitalUnit = columns[.capital].flatMap { LeadColumns.unit(of: headers[$0]) }
            ?? (columns[.capital].map { keys[$0] == "capital" } == true ? 1 : 0.0001)
        investUnit = columns[.invest].flatMap { LeadColumns.unit(of: headers[$0]) } ?? 1
    }

    /// Pass-through columns that 企查查, 天眼查 and 启信宝 name differently, each under one
    /// name (the first): docs/matching.md lists them.
    public static let passThroughSynonyms: [[String]] = [
        ["企业类型", "公司类型", "企业(机构)类型", "企业（机构）类型", "企业性质"],
        ["成立日期", "成立时间", "注册日期"],
        ["统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码"],
        ["法定代表人", "法人代表", "法人", "法定代表人/负责人"],
        ["电话", "联系电话", "企业电话", "公司电话", "更多电话"],
        ["邮箱", "电子邮箱", "企业邮箱", "更多邮箱"],
        ["注册地址", "企业地址", "地址", "通信地址"],
        ["网址", "官网", "企业官网", "公司网址"],
        ["参保人数", "社保人数"],
        ["人员规模", "员工人数", "企业规模"],
        ["实缴资本", "实缴资本（万元）", "实缴资本(万元)"],
        ["所属区县", "区县", "所属区域"],
        ["英文名", "英文名称"],
        ["曾用名", "历史名称"],
        ["纳税人识别号", "税号"],
        ["注册号", "工商注册号"],
        ["组织机构代码"],
    ]

    /// The one name of a pass-through column (``passThroughSynonyms``), else the header.
    static func canonical(_ header: String) -> String {
        canonicalNames[header] ?? header
    }

    static let canonicalNames: [String: String] = {
        let spellings = expandHeaders(passThroughSynonyms.flatMap { $0 })
        var names: [String: String] = [:]
        var first = 0
        for group in passThroughSynonyms {
            for spelling in spellings[first..<(first + group.count)].joined() where names[spelling] == nil {
                names[spelling] = group[0]
            }
            first += group.count
        }
        return names
    }()

    /// Whether a column holds codes or numbers that must stay text in a workbook (a
    /// credit code, a phone number): Excel would turn them into 9.15E+17 or drop a 0.
    public static func isCodeHeader(_ header: String) -> Bool {
        ["代码", "号码", "电话", "手机", "邮编", "注册号", "识别号", "编码", "编号", "账号"].contains { header.contains($0) }
    }

    /// The column of a field, if the file has it.
    public subscript(role: Role) -> Int? { columnByRole[role.ordinal] }

    /// ``columns`` as an array by ``Role/ordinal``, for the row loop.
    var columnByRole: [Int?] = []

    /// The header text without surrounding spaces (including ideographic spaces and a
    /// stray BOM) and without a trailing `*` of required-field markers.
    static func trimmed(_ text: String) -> String {
        let trimmed = text.withUTF8Bytes { bytes -> String? in
            guard let base = bytes.baseAddress else { return nil }
            let kept = trimmedRange(base, bytes.indices)
            return kept == bytes.indices ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[kept]), as: UTF8.self)
        }
        return trimmed ?? text
    }

    /// The part of the valid UTF-8 `base[range]` that ``trimmed(_:)`` keeps: without the
    /// characters ``isJunk(_:)`` drops at either end. Most cells neither start nor end with
    /// one, which their end bytes tell without decoding (``mayStartJunk(_:)``,
    /// ``mayEndJunk(_:)``).
    static func trimmedRange(_ base: UnsafePointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end && mayStartJunk(base[start]) {
            let (scalar, length) = TextDecoding.scalar(base, at: start)
            guard isJunk(scalar) else { break }
            start += length
        }
        while end > start && mayEndJunk(base[end - 1]) {
            var first = end - 1
            while first > start && base[first] & 0xC0 == 0x80 { first -= 1 }
            guard isJunk(TextDecoding.scalar(base, at: first).scalar) else { break }
            end = first
        }
        return start..<end
    }

    /// Whether ``trimmed(_:)`` drops a character at either end: Unicode's white space, the
    /// BOM and required-field stars.
    @inline(__always)
    static func isJunk(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0...0x20, 0x2A, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
             0x3000, 0xFEFF, 0xFF0A: true
        default: false
        }
    }

    /// Whether a UTF-8 byte may be the first of a character ``trimmed(_:)`` drops: ASCII
    /// white space and controls, `*`, or the lead byte of U+0085, U+00A0, U+1680,
    /// U+2000–U+205F, U+3000, U+FEFF and U+FF0A.
    @inline(__always)
    static func mayStartJunk(_ byte: UInt8) -> Bool {
        byte <= 0x20 || byte == 0x2A || byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 || byte == 0xEF
    }

    /// Whether a UTF-8 byte may be the last of a character ``trimmed(_:)`` drops: ASCII
    /// white space and controls, `*`, or the last byte of one of the characters above
    /// (80–8A, 9F, A0, A8, A9, AF, BF).
    @inline(__always)
    static func mayEndJunk(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x2A, 0x80...0x8A, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF, 0xBF: true
        default: false
        }
    }

    /// The comparison key of a header: without a unit in brackets, ASCII lower case.
    static func key(_ header: String) -> String {
        var base = Substring(header)
        if let open = base.firstIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" || $0 == "【" }) {
            base = base[..<open]
        }
        return trimmed(String(base)).lowercased()
    }

    /// The unit named in a header's brackets, in 亿元: 注册资本（万元） → 0.0001.
    static func unit(of header: String) -> Double? {
        guard let open = header.firstIndex(where: { $0 == "(" || $0 == "（" || $0 == "[" || $0 == "【" }) else { return nil }
        let inside = header[header.index(after: open)...]
        if inside.contains("亿") { return 1 }
        if inside.contains("万") { return 0.0001 }
        if inside.contains("元") { return 0.000_000_01 }
        return nil
    }
}
