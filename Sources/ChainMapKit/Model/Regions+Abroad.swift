extension Regions {
    /// The regions abroad that plans target for foreign investment (004: 外资), each with
    /// its countries (Chinese names first, then the English and other spellings an export
    /// may carry). A country is in the first region that lists it for the target map; for
    /// `--prefer` every region that lists it counts.
    public static let abroad: [(name: String, countries: [(name: String, spellings: [String])])] = [
        ("日韩", [("日本", ["Japan"]), ("韩国", ["韓國", "南韩", "Korea", "South Korea"])]),
        ("欧美", [
            ("美国", ["美國", "USA", "United States", "U.S."]), ("加拿大", ["Canada"]), ("德国", ["德國", "Germany"]),
            ("法国", ["法國", "France"]), ("英国", ["英國", "United Kingdom", "UK"]), ("意大利", ["Italy"]),
            ("荷兰", ["荷蘭", "Netherlands"]), ("比利时", ["比利時", "Belgium"]), ("瑞士", ["Switzerland"]),
            ("瑞典", ["Sweden"]), ("挪威", ["Norway"]), ("丹麦", ["丹麥", "Denmark"]), ("芬兰", ["芬蘭", "Finland"]),
            ("奥地利", ["奧地利", "Austria"]), ("西班牙", ["Spain"]), ("葡萄牙", ["Portugal"]), ("爱尔兰", ["愛爾蘭", "Ireland"]),
            ("卢森堡", ["盧森堡", "Luxembourg"]),
        ]),
        ("东盟", [
            ("新加坡", ["Singapore"]), ("马来西亚", ["馬來西亞", "Malaysia"]), ("泰国", ["泰國", "Thailand"]),
            ("越南", ["Vietnam", "Viet Nam"]), ("印度尼西亚", ["印尼", "Indonesia"]), ("菲律宾", ["菲律賓", "Philippines"]),
            ("缅甸", ["緬甸", "Myanmar"]), ("柬埔寨", ["Cambodia"]), ("老挝", ["老撾", "Laos"]), ("文莱", ["汶萊", "Brunei"]),
        ]),
        ("一带一路", [
            ("俄罗斯", ["俄羅斯", "Russia"]), ("哈萨克斯坦", ["哈薩克", "Kazakhstan"]), ("乌兹别克斯坦", ["Uzbekistan"]),
            ("沙特阿拉伯", ["沙特", "Saudi Arabia"]), ("阿联酋", ["阿聯酋", "UAE", "United Arab Emirates"]), ("卡塔尔", ["Qatar"]),
            ("土耳其", ["Turkey", "Türkiye"]), ("巴基斯坦", ["Pakistan"]), ("匈牙利", ["Hungary"]), ("波兰", ["波蘭", "Poland"]),
            ("塞尔维亚", ["Serbia"]), ("埃及", ["Egypt"]), ("伊朗", ["Iran"]), ("以色列", ["Israel"]),
            // ASEAN's members are Belt and Road countries too.
            ("新加坡", []), ("马来西亚", []), ("泰国", []), ("越南", []), ("印度尼西亚", []), ("菲律宾", []),
            ("缅甸", []), ("柬埔寨", []), ("老挝", []), ("文莱", []),
        ]),
    ]

    /// What a lead's 省份 cell may say for "abroad" without naming a country.
    public static let abroadWords = ["境外", "国外", "海外", "外国"]

    /// The country a cell names (韩国, 韓國, Korea, 韩国首尔 …), by its Chinese name; nil
    /// for none.
    public static func country(in text: String) -> String? {
        let text = LeadColumns.trimmed(text)
        guard !text.isEmpty else { return nil }
        let lower = text.lowercased()
        for region in abroad {
            for country in region.countries {
                if text.hasPrefix(country.name) { return country.name }
                for spelling in country.spellings {
                    let s = spelling.lowercased()
                    if s.unicodeScalars.first.map({ $0.isASCII }) ?? false {
                        if lower == s || lower.hasPrefix(s + " ") || lower.hasPrefix(s + ",") { return country.name }
                    } else if text.hasPrefix(spelling) {
                        return country.name
                    }
                }
            }
        }
        return nil
    }

    /// The province, or the country abroad, a 省份 cell names.
    public static func area(in text: String) -> String? {
        // A 省份 column repeats a few dozen cells, and a report places each of a chain's
        // leads twice: each text is looked up once, remembered up to a bound (the cells
        // come from third parties). Looked up afresh, the spellings' prefixes took a tenth
        // of a ten-chain report's work.
        areaMemo.value(for: TextKey(text)) { province(in: text) ?? country(in: text) }
    }

    private static let areaMemo = BoundedMemo<TextKey, String?>()

    /// The region abroad a country is shown in (the first that lists it).
    public static func abroadRegion(ofCountry country: String) -> String? {
        abroad.first { $0.countries.contains { $0.name == country } }?.name
    }

    /// Whether a 省份 cell says the lead is abroad, without a country (境外).
    public static func isAbroad(_ text: String) -> Bool {
        let text = LeadColumns.trimmed(text)
        return abroadWords.contains { text.hasPrefix($0) } || country(in: text) != nil
    }
}
