/// China's provinces and the target regions that planners name (粤港澳, 长三角 …).
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

    /// Every spelling of every province, longest first, Traditional ones included.
    static let spellings: [(String, String)] = {
        var result: [(String, String)] = [("台灣", "台湾")]
        for (province, variants) in zip(provinces, ChineseVariants.expand(provinces)) {
            for spelling in variants { result.append((spelling, province)) }
        }
        return result.sorted { $0.0.count > $1.0.count }
    }()
}
