/// China's provinces, its cities, and the target regions that planners name (粤港澳,
/// 长三角 …).
public enum Regions {
    /// The 34 provincial-level divisions, by their short names.
    public static let provinces = [
        "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
        "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
        "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏",
        "新疆", "香港", "澳门", "台湾",
    ]

    /// Named regions and their provinces.
    public static let regions: [(name: String, aliases: [String], provinces: [String])] = [
        ("粤港澳", ["粤港澳大湾区", "大湾区"], ["广东", "香港", "澳门"]),
        ("长三角", ["长江三角洲"], ["上海", "江苏", "浙江", "安徽"]),
        ("京津冀", [], ["北京", "天津", "河北"]),
        ("珠三角", ["珠江三角洲"], ["广东"]),
        ("成渝", ["成渝地区双城经济圈", "成渝经济圈"], ["四川", "重庆"]),
        ("港澳台", [], ["香港", "澳门", "台湾"]),
        ("港澳", [], ["香港", "澳门"]),
        ("长江中游", ["长江中游城市群"], ["湖北", "湖南", "江西"]),
        ("海峡西岸", ["海西"], ["福建"]),
        ("东北", ["东北地区"], ["辽宁", "吉林", "黑龙江"]),
        ("中部", ["中部地区"], ["山西", "安徽", "江西", "河南", "湖北", "湖南"]),
        ("西部", ["西部地区"], ["内蒙古", "广西", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]),
        ("东部", ["东部沿海", "东部地区"], ["北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"]),
        ("黄河流域", [], ["青海", "四川", "甘肃", "宁夏", "内蒙古", "陕西", "山西", "河南", "山东"]),
        ("长江经济带", [], ["上海", "江苏", "浙江", "安徽", "江西", "湖北", "湖南", "重庆", "四川", "贵州", "云南"]),
    ]

    /// The provinces a region or province name stands for, or nil when it names neither.
    /// Accepts 广东, 广东省, 粤港澳, 粤港澳大湾区 and the like.
    public static func provinces(of name: String) -> [String]? {
        let name = LeadColumns.trimmed(name)
        if let region = regions.first(where: { $0.name == name || $0.aliases.contains(name) }) {
            return region.provinces
        }
        return province(in: name).map { [$0] }
    }

    /// A place a planner prefers: a named region, a province, or a city.
    public enum Place: Hashable, Sendable {
        case region(name: String, provinces: [String])
        case province(String)
        case city(City)

        /// How the place is named in reasons: 粤港澳, 广东, 深圳.
        public var name: String {
            switch self {
            case .region(let name, _): name
            case .province(let name): name
            case .city(let city): city.shortName
            }
        }
    }

    /// The place a name stands for: a region (粤港澳, 粤港澳大湾区), a province (广东,
    /// 广东省), or a prefecture-level city (深圳, 深圳市, 西双版纳); nil when none.
    public static func place(named text: String) -> Place? {
        let name = LeadColumns.trimmed(text)
        if let region = regions.first(where: { $0.name == name || $0.aliases.contains(name) }) {
            return .region(name: region.name, provinces: region.provinces)
        }
        // A region abroad (日韩, 欧美, 东盟, 一带一路): its countries stand as its provinces.
        if let region = abroad.first(where: { $0.name == name }) {
            return .region(name: region.name, provinces: region.countries.map(\.name))
        }
        // 市 makes a municipality (北京市) but a prefecture of another province (吉林市 is
        // a city of 吉林省).
        let suffixes = ["", "省", "自治区", "特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区"]
        if let (_, province) = spellings.first(where: { spelling, province in
            suffixes.contains { name == spelling + $0 } || (municipalities.contains(province) && name == spelling + "市")
        }) {
            return .province(province)
        }
        if let city = cities.first(where: { $0.name == name || $0.shortName == name }) {
            return .city(city)
        }
        return nil
    }

    /// A prefecture-level city (地级市, 地区, 自治州, 盟), or a county-level city a
    /// province administers directly (仙桃).
    public struct City: Hashable, Sendable {
        /// The official name: 深圳市, 延边朝鲜族自治州.
        public var name: String
        /// The name planners write: 深圳, 延边.
        public var shortName: String
        /// The province's short name.
        public var province: String

        /// Whether a cell (a city, or a province-and-city column such as 广东省深圳市) names the city.
        public func isNamed(in text: String) -> Bool {
            TextSearch.contains(text, name) || TextSearch.contains(text, shortName)
        }
    }

    /// Provinces by the first two digits of their division code.
    static let provinceByCode: [String: String] = [
        "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
        "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
        "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
        "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
        "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
    ]

    /// The ethnic parts of the names of autonomous prefectures: 延边朝鲜族自治州 is 延边.
    static let ethnicNames = [
        "朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族", "布依族", "哈尼族", "壮族", "傣族", "白族", "景颇族",
        "傈僳族", "回族", "蒙古族", "哈萨克族", "柯尔克孜", "侗族", "自治州",
    ]

    /// China's prefecture-level cities (GB/T 2260; see `.ci/gen-cities`).
    public static let cities: [City] = embeddedCities.split(separator: "\n").compactMap { line in
        guard let bar = line.firstIndex(of: "|") else { return nil }
        let code = line[..<bar]
        let name = String(line[line.index(after: bar)...])
        guard let province = provinceByCode[String(code.prefix(2))] else { return nil }
        var short = name
        if let cut = ethnicNames.compactMap({ name.range(of: $0)?.lowerBound }).min() {
            short = String(name[..<cut])
        } else {
            for suffix in ["地区", "市", "盟"] where short.hasSuffix(suffix) && short.count > suffix.count + 1 {
                short = String(short.dropLast(suffix.count))
                break
            }
        }
        return City(name: name, shortName: short, province: province)
    }

    /// The names the command line's region options take: every region, then how to name
    /// a province or a city.
    public static var namesHelp: String {
        "区域 " + regions.map(\.name).joined(separator: " ") + "；境外 " + abroad.map(\.name).joined(separator: " ")
            + "；或省份（广东 四川 …）、地级市（深圳 苏州 合肥 …）"
    }

    /// The province a cell names (广东省, 广东省深圳市, 廣東, 香港特别行政区 → 广东/香港),
    /// Simplified or Traditional; nil when none.
    public static func province(in text: String) -> String? {
        let text = LeadColumns.trimmed(text)
        guard !text.isEmpty else { return nil }
        for (spelling, province) in spellings where text.hasPrefix(spelling) {
            return province
        }
        return nil
    }

    /// The provinces that are cities (直辖市).
    static let municipalities: Set<String> = ["北京", "上海", "天津", "重庆"]

    /// The province a chain's `region:` lies in: named first (广东省深圳市, 重庆市江津区),
    /// or through its city (苏州市工业园区 → 江苏); nil when neither is known.
    public static func province(ofRegion text: String) -> String? {
        let name = LeadColumns.trimmed(text)
        if let province = province(in: name) { return province }
        return cities.first { name.hasPrefix($0.name) || name.hasPrefix($0.shortName) }?.province
    }

    /// The province of a city cell: 深圳市 → 广东, 重庆市 (a municipality) → 重庆,
    /// 广东省深圳市 → 广东; nil when the cell names no known city or province.
    public static func province(ofCity text: String) -> String? {
        let name = LeadColumns.trimmed(text)
        if let province = provinceByCityName[name] { return province }
        // An export repeats a few city cells on every row: the search runs once per cell
        // text, remembered up to a bound (the cells come from third parties).
        return cityCellMemo.value(for: TextKey(name)) { province(in: name) ?? cities.first { $0.isNamed(in: name) }?.province }
    }

    /// Provinces by a city's full and short name (深圳市, 深圳).
    static let provinceByCityName: [String: String] = {
        var result: [String: String] = [:]
        for city in cities {
            if result[city.name] == nil { result[city.name] = city.province }
            if result[city.shortName] == nil { result[city.shortName] = city.province }
        }
        return result
    }()

    private static let cityCellMemo = BoundedMemo<TextKey, String?>()

    /// Every spelling of every province, longest first, Traditional ones included.
    static let spellings: [(String, String)] = {
        var result: [(String, String)] = [("台灣", "台湾")]
        for (province, variants) in zip(provinces, ChineseVariants.expand(provinces)) {
            for spelling in variants { result.append((spelling, province)) }
        }
        return result.sorted { $0.0.count > $1.0.count }
    }()
}
