@testable import ChainMapKit
import COpenCC
import Foundation
import Testing

@Suite("Lead values and headers")
struct LeadValuesTests {
    static func yi(_ text: String, bare: Double = 0.0001) throws -> Double? {
        try LeadValues.amount(text, bareUnit: bare)?.yi
    }

    static func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) < 1e-9
    }

    @Test("pass-through fields come back as they were set: empty, long, any character, repeated names")
    func passThroughFields() {
        let long = String(repeating: "股份有限公司（上市）", count: 9_000)   // more than 65,535 bytes
        let fields: [Lead.Field] = [
            .init(name: "电话", value: "0755-1"), .init(name: "地址", value: ""), .init(name: "备用", value: long),
            .init(name: "x-NUL", value: "a\u{0}b"), .init(name: "表情", value: "👍🏽\r\n\u{FFFE}"), .init(name: "电话", value: "重复"),
        ]
        var lead = Lead(name: "甲", extra: fields, location: .init(file: "a.csv", line: 2, column: 1))
        #expect(lead.extra == fields)
        #expect(lead.passThrough.names == fields.map(\.name))
        var values: [String] = []
        lead.passThrough.forEach { _, value in values.append(String(decoding: value, as: UTF8.self)) }
        #expect(values == fields.map(\.value))
        // Set and compared as fields: the same fields are the same lead, others are not.
        var other = Lead(name: "甲", location: lead.location)
        other.extra = fields
        #expect(other == lead && other.hashValue == lead.hashValue)
        other.extra[0].value = "0755-2"
        #expect(other != lead)
        // Compared as strings are: two spellings of é are one value.
        let composed = Lead(name: "甲", extra: [.init(name: "f", value: "caf\u{E9}")], location: lead.location)
        let decomposed = Lead(name: "甲", extra: [.init(name: "f", value: "cafe\u{301}")], location: lead.location)
        #expect(composed == decomposed && composed.hashValue == decomposed.hashValue)
        lead.extra = []
        #expect(lead.extra.isEmpty && lead.passThrough.names.isEmpty)
        // Read from a row: the names are the header's, one array for every row.
        let columns = LeadColumns(headers: ["企业名称", "电话", "地址"])!
        let reader = LeadRowReader(columns: columns)
        var problems: [LeadRowReader.Problem] = []
        guard case .lead(let read, _) = reader.read(cells: ["乙", "010-1", "北京市"], location: lead.location, problems: &problems) else {
            Issue.record("not read")
            return
        }
        // (地址 is one of the names 注册地址 goes by, see LeadColumns.passThroughSynonyms.)
        #expect(read.extra == [.init(name: "电话", value: "010-1"), .init(name: "注册地址", value: "北京市")])
    }

    @Test("a cell trimmed on its bytes is the cell trimmed as a string, quoted or not, known UTF-8 or not")
    func trimmedOnBytes() {
        // White space and stars at either end, and characters that are not, whose UTF-8
        // starts or ends like those that are (、 E3 80 81, 币 E5 B8 81, ＊ is junk, ＋ not).
        let pieces = [
            "", " ", "\t", "*", "\u{3000}", "\u{FEFF}", "\u{A0}", "\u{2028}", "\u{205F}", "\u{FF0A}", "\u{85}", "\u{1}",
            "、", "币", "＋", "甲", "a", "\u{200B}", "\u{1F600}", "é", "\u{2029}x",
        ]
        var generator = SystemRandomNumberGenerator()
        var cells: [String] = []
        for _ in 0..<3_000 {
            cells.append((0..<Int.random(in: 0...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        var bytes: [UInt8] = []
        var fields: [CSVScanner.Field] = []
        for (i, cell) in cells.enumerated() {
            let quoted = i % 7 == 0 && !cell.contains("\"")
            let start = bytes.count
            if quoted { bytes.append(0x22) }
            bytes += cell.utf8
            if quoted { bytes.append(0x22) }
            fields.append(CSVScanner.Field(start: start, end: bytes.count, quoted: quoted))
            bytes.append(0x2C)
        }
        let origin = RowOrigin(file: "t.csv", encoding: .utf8)
        withExtendedLifetime(origin) {
            bytes.withUnsafeBufferPointer { base in
                fields.withUnsafeBufferPointer { fields in
                    var row = Row(
                        base: base.baseAddress!, fields: fields, recordStart: 0, line: 1, origin: origin, cellLocations: nil,
                        unconvertible: UnsafeBufferPointer(start: nil, count: 0))
                    for known in [true, false] {
                        row.isKnownText = known
                        for i in cells.indices {
                            #expect(row.trimmedString(i) == LeadColumns.trimmed(row.string(i)), "\(cells[i].unicodeScalars.map(\.value))")
                        }
                        #expect(row.trimmedString(cells.count) == "")
                    }
                }
            }
        }
    }

    @Test("every character from U+0000 to U+FFFF, and some beyond, is told to fold on its bytes exactly when it folds")
    func everyCharacterOnBytes() {
        var wrong: [UInt32] = []
        for value in UInt32(0)...0x10FFF {
            guard let scalar = Unicode.Scalar(value) else { continue }  // surrogates
            var name = "公司"
            name.unicodeScalars.append(scalar)
            name += "电"
            let changes = name.withUTF8Bytes(LeadValues.keyChanges)
            if changes != (LeadValues.keyFolded(scalar) != scalar) { wrong.append(value) }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(20).map { String($0, radix: 16) })")
        // The table's characters are among them: 電 and 臺 fold, 电 and 台 do not.
        #expect("電".withUTF8Bytes(LeadValues.keyChanges) && "臺".withUTF8Bytes(LeadValues.keyChanges))
        #expect(!"电台".withUTF8Bytes(LeadValues.keyChanges))
    }

    @Test("a name's key is told unchanged on its bytes exactly when no character of it folds")
    func nameKeyOnBytes() {
        let reference = { (name: String) -> String in
            var key = String.UnicodeScalarView()
            for scalar in name.unicodeScalars { if let folded = LeadValues.keyFolded(scalar) { key.append(folded) } }
            return String(key)
        }
        // Characters that fold (spaces, A–Z, full-width forms, Traditional 電 臺) and
        // neighbours that do not (电, 台, a control, é, ¥ U+00A5, 𠀀 beyond the table, ｟ U+FF5F).
        let pieces = [
            "公司", "电", "台", "電", "臺", "A", "z", " ", "\t", "\u{1}", "\u{3000}", "\u{FEFF}", "\u{200B}", "\u{200C}", "Ａ", "ｚ", "１",
            "（", "｟", "é", "\u{A5}", "\u{20000}", "\u{F900}", "\u{FAFF}", "\u{3400}", "\u{33FF}",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let name = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            var bytes = name
            let changes = bytes.withUTF8(LeadValues.keyChanges)
            #expect(changes == name.unicodeScalars.contains { LeadValues.keyFolded($0) != $0 }, "\(name.unicodeScalars.map(\.value))")
            #expect(LeadValues.nameKey(name) == reference(name), "\(name.unicodeScalars.map(\.value))")
        }
        #expect(LeadValues.nameKey("臺灣電子 ＡＢＣ公司") == "台湾电子abc公司")
    }

    @Test("the Traditional table's index is each character's place in its ranges, one after the other")
    func simplifiedTableIndex() {
        let ranges = ChineseVariants.SimplifiedTable.ranges
        var place = 0
        for range in ranges {
            for value in range {
                #expect(ChineseVariants.SimplifiedTable.index(of: value) == place)
                place += 1
            }
        }
        for value: UInt32 in [0, 0x33FF, 0xA000, 0xF8FF, 0xFB00, 0x20000, UInt32.max] {
            #expect(ChineseVariants.SimplifiedTable.index(of: value) == nil)
        }
    }

    @Test("tags split on their bytes as on the separators' characters")
    func tagsOnBytes() {
        let reference = { (text: String) in
            text.unicodeScalars.split(whereSeparator: { LeadValues.tagSeparators.contains($0) }).map { String($0) }
        }
        // Each separator, and characters whose UTF-8 begins like one (；＜ EF BC 9B/9C, 、。 E3 80 81/82).
        let pieces = [";", "；", ",", "，", "、", "|", "/", " ", "\t", "\n", "\r", "\u{3000}", "＜", "。", "\u{3002}", "＋", "专精特新", "上市公司", "a", "", "\u{FF0C}x"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(LeadValues.tags(text) == reference(text), "\(text.unicodeScalars.map(\.value))")
        }
        #expect(LeadValues.tags("专精特新、上市公司；高新技术企业") == ["专精特新", "上市公司", "高新技术企业"])
    }

    @Test("registered capital in words converts to 亿元")
    func capital() throws {
        #expect(Self.close(try Self.yi("5000万元人民币"), 0.5))
        #expect(Self.close(try Self.yi("5000 万元"), 0.5))
        #expect(Self.close(try Self.yi("1.2亿"), 1.2))
        #expect(Self.close(try Self.yi("1.2亿元人民币"), 1.2))
        #expect(Self.close(try Self.yi("３０００万元"), 0.3))
        #expect(Self.close(try Self.yi("1,000万人民币"), 0.1))
        #expect(Self.close(try Self.yi("50000000元"), 0.5))
        #expect(Self.close(try Self.yi("5千万"), 0.5))
        #expect(Self.close(try Self.yi("￥800万"), 0.08))
    }

    @Test("the common form is read in place exactly as the general reading reads it, and nothing else is")
    func commonAmounts() throws {
        var generator = SeededGenerator(seed: 3)
        let parts = ["1", "0", "9", "5", "1000", ".", "5", "万", "亿", "億", "千万", "千", "元", "人民币", "人民幣", "(", "）",
                     "美元", " ", ",", "３", "-", "暂无", "RMB", "￥", "US$", "萬", "百萬"]
        var common = 0
        for _ in 0..<5000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 6) { text += parts[Int(generator.next() % UInt64(parts.count))] }
            for bare in [0.0001, 1] {
                let general: Result<LeadValues.Amount?, LeadValues.AmountProblem> = Result { () throws(LeadValues.AmountProblem) in
                    try LeadValues.anyAmount(text, bareUnit: bare)
                }
                if let fast = LeadValues.commonAmount(text, bareUnit: bare) {
                    common += 1
                    #expect(general == .success(fast), "\(text)")
                }
                #expect(Result { () throws(LeadValues.AmountProblem) in try LeadValues.amount(text, bareUnit: bare) } == general, "\(text)")
            }
        }
        #expect(common > 500)
        #expect(LeadValues.commonAmount("1000万元人民币", bareUnit: 0.0001) == LeadValues.Amount(yi: 0.1, currency: nil))
        #expect(LeadValues.commonAmount("1234567890123456万", bareUnit: 0.0001) == nil)  // 16 digits: the general reading
    }

    @Test("the local enterprise of a name key is found as by the String dictionary, canonical equivalents included")
    func localKeys() throws {
        let names = ["宁德电池有限公司", "ABC新材料", "Café Matériaux", "Cafe\u{301} Nord", "\u{F900}源科技", "한국배터리", "株式会社ﾃｽﾄ"]
        var yaml = "chain: t\nregion: 示例市\nlinks:\n  - {id: a, name: 电池, stage: 中游}\nenterprises:\n"
        for name in names { yaml += "  - {name: \"\(name)\", links: [a]}\n" }
        let chain = try #require(loadYAML(yaml).chain)
        let scorer = try LeadScorer(analysis: GapAnalysis(chain))
        var keys = names.map(LeadValues.nameKey)
        keys += keys.map(\.decomposedStringWithCanonicalMapping) + keys.map(\.precomposedStringWithCanonicalMapping)
        keys += ["宁德电池", "abc新材料", "café nord", "豈源科技", "한국배터리", "无关企业", "", "x"]
        for key in keys {
            #expect(scorer.local(byKey: key)?.name == scorer.localByName[key]?.name, "\(key)")
        }
        #expect(scorer.local(byKey: LeadValues.nameKey("宁德电池有限公司"))?.name == "宁德电池有限公司")
        #expect(LeadScorer.isNormalizationInert("宁德abc") && !LeadScorer.isNormalizationInert("café") && !LeadScorer.isNormalizationInert("\u{F900}"))
    }

    @Test("a bare number takes the column's unit: 万元 for 注册资本, 亿元 for the YAML key")
    func bareNumbers() throws {
        #expect(Self.close(try Self.yi("12000"), 1.2))
        #expect(Self.close(try Self.yi("12.5", bare: 1), 12.5))
    }

    @Test("foreign capital converts at the documented rates and says so")
    func currencies() throws {
        let dollars = try #require(try LeadValues.amount("500万美元", bareUnit: 0.0001))
        #expect(dollars.currency == "USD")
        #expect(Self.close(dollars.yi, 0.05 * 7.1))
        #expect(try LeadValues.amount("100万港元", bareUnit: 0.0001)?.currency == "HKD")
        #expect(try LeadValues.amount("100万(美元)", bareUnit: 0.0001)?.currency == "USD")
        #expect(try LeadValues.amount("US$200万", bareUnit: 0.0001)?.currency == "USD")
        #expect(try LeadValues.amount("3000万新台币", bareUnit: 0.0001)?.currency == "TWD")
        #expect(try LeadValues.amount("1000万日元", bareUnit: 0.0001)?.currency == "JPY")
    }

    @Test("placeholders are no amount; other text is a problem")
    func problems() throws {
        for empty in ["", "-", "—", "暂无", "未公开"] {
            #expect(try LeadValues.amount(empty, bareUnit: 0.0001) == nil, "\(empty)")
        }
        #expect(throws: LeadValues.AmountProblem.notANumber) { try LeadValues.amount("壹仟万元", bareUnit: 0.0001) }
        #expect(throws: LeadValues.AmountProblem.unknownCurrency("卢布")) { try LeadValues.amount("100万卢布", bareUnit: 0.0001) }
    }

    @Test("tags split at the separators exports use")
    func tags() {
        #expect(LeadValues.tags("高新技术企业;专精特新\"小巨人\"；A股上市、科技型中小企业 | 瞪羚企业") ==
            ["高新技术企业", "专精特新\"小巨人\"", "A股上市", "科技型中小企业", "瞪羚企业"])
        #expect(LeadValues.tags("").isEmpty)
    }

    @Test("status cells read as a project stage, a registration status or neither")
    func status() {
        #expect(LeadValues.status("在谈") == .stage(.negotiating))
        #expect(LeadValues.status("已签约") == .stage(.signed))
        #expect(LeadValues.status("签约待开工") == .stage(.signed))
        #expect(LeadValues.status("存续（在营、开业、在册）") == .operating)
        #expect(LeadValues.status("注销") == .closed)
        #expect(LeadValues.status("吊销，未注销") == .closed)
        #expect(LeadValues.status("") == .none)
        #expect(LeadValues.status("待定") == .unknown)
    }

    @Test("names compare without spaces and with either kind of bracket")
    func nameKey() {
        #expect(LeadValues.nameKey(" 示例（深圳）有限公司 ") == LeadValues.nameKey("示例(深圳)有限公司"))
        #expect(LeadValues.nameKey("示例有限公司") == "示例有限公司")
    }

    @Test("every header of the contract is recognised, first match winning")
    func headers() throws {
        let cases: [(LeadColumns.Role, [String])] = [
            (.name, ["企业名称", "公司名称", "名称"]),
            (.code, ["国标行业", "行业代码", "所属行业"]),
            (.scope, ["经营范围", "主营产品", "主营业务"]),
            (.province, ["所属省份", "省份", "省份地区"]),
            (.tags, ["标签", "企业标签", "资质"]),
            (.capital, ["注册资本"]),
            (.status, ["状态", "跟进状态"]),
            (.partner, ["配套关系"]),
            (.city, ["所属城市", "城市", "所在城市", "所属地市", "地市"]),
            (.notes, ["备注"]),
        ]
        for (role, headers) in cases {
            for header in headers {
                let names = role == .name ? [header, "法定代表人"] : ["企业名称", header, "法定代表人"]
                let columns = try #require(LeadColumns(headers: names))
                #expect(columns[role] == names.firstIndex(of: header), "\(role) ← \(header)")
                #expect(columns.passThrough == [names.count - 1], "\(header)")
            }
            // With all of them present, the first of the list wins and the rest pass through.
            let names = role == .name ? headers : ["企业名称"] + headers
            let columns = try #require(LeadColumns(headers: names.reversed()))
            #expect(columns.headers[columns[role]!] == headers[0], "\(role)")
        }
    }

    @Test("headers may carry spaces, a unit in brackets, a BOM, Traditional characters or repeats")
    func headerSpellings() throws {
        let columns = try #require(LeadColumns(headers: ["\u{FEFF}企業名稱 ", "注册资本（万元）", "投资额(亿元)", "地址", "地址"]))
        #expect(columns[.name] == 0)
        #expect(columns[.capital] == 1)
        #expect(columns.capitalUnit == 0.0001)
        #expect(columns[.invest] == 2)
        #expect(columns.investUnit == 1)
        // 地址 is one of the names of 注册地址 (one column name across exporters).
        #expect(columns.passThrough.map { columns.headers[$0] } == ["注册地址", "注册地址 (2)"])
        #expect(LeadColumns(headers: ["统一社会信用代码", "法定代表人"]) == nil)
        #expect(try #require(LeadColumns(headers: ["name", "capital"])).capitalUnit == 1)
    }
}

/// The Traditional → Simplified character table chainmap carries
/// (`SimplifiedTable+Data.swift`, generated by `.ci/gen/simplified-table.c`) is the one
/// the installed OpenCC makes.
@Suite("Simplified character table")
struct SimplifiedTableTests {
    @Test("the generated table equals OpenCC's t2s, hk2s and tw2s, character by character")
    func matchesOpenCC() {
        let live = ChineseVariants.SimplifiedTable.fromOpenCC()
        #expect(!live.isEmpty, "OpenCC's data is missing (Debian: libopencc-dev)")
        let carried = ChineseVariants.SimplifiedTable.shared.table
        #expect(carried.count == live.count)
        let differing = zip(carried, live).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5)
        #expect(differing.isEmpty, "differs at \(differing.map { String($0.offset + 0x3400, radix: 16) }); regenerate with .ci/gen/simplified-table.c")
        #expect(ChineseVariants.simplified("臺") == "台" && ChineseVariants.simplified("電") == "电" && ChineseVariants.simplified("綫") == "线")
    }
}

/// JSON writes numbers straight into its bytes (``NumberText/appendTrimmed(_:_:to:)``):
/// the same text as ``NumberText/trimmed(_:_:)`` for every value.
@Suite("Numbers written as bytes")
struct NumberBytesTests {
    /// The formatter as it was written with strings, before it wrote bytes: the
    /// reference the byte writers must match.
    static func reference(_ value: Double, _ decimals: Int, trim: Bool) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        var text: String
        if scaled >= 9e15 {
            text = String(value)
        } else {
            let units = Int(scaled)
            let power = Int(scale)
            text = String(units / power)
            if decimals > 0 {
                let fraction = String(units % power)
                text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
            }
            if value < 0 && units != 0 { text = "-" + text }
        }
        guard trim else { return text }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    @Test("fixed, trimmed and their byte writers write what the string formatter did", arguments: [0, 1, 2, 3, 4])
    func sameAsTrimmed(_ decimals: Int) {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.5, -0.5, 0.05, 0.004999, 0.005, 12.5, 300, 1e15, 9.1e15, -3e16,
                                .infinity, -.infinity, .nan, 0.000_01, 99.995, 72.34, 1234567.891, -0.000_4]
        for _ in 0..<5000 {
            let magnitude = Double.random(in: -6...9, using: &generator)
            values.append((Bool.random(using: &generator) ? 1 : -1) * pow(10, magnitude))
        }
        for value in values {
            let trimmed = Self.reference(value, decimals, trim: true)
            var bytes: [UInt8] = []
            NumberText.appendTrimmed(value, decimals, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == trimmed, "\(value) with \(decimals) decimals")
            #expect(NumberText.trimmed(value, decimals) == trimmed, "\(value) with \(decimals) decimals")
            // fixed(_:_:) beyond exact integers is Swift's shortest form, untrimmed.
            let fixed = Self.reference(value, decimals, trim: false)
            #expect(NumberText.fixed(value, decimals) == fixed, "\(value) with \(decimals) decimals")
            if decimals == 1 {
                #expect(NumberText.signed(value) == (value < 0 ? "" : "+") + fixed, "\(value)")
                // Whole above 100, one decimal above 1, two significant digits below.
                var places = 2
                var probe = value
                while probe > 0 && probe < 0.1 && places < 6 {
                    probe *= 10
                    places += 1
                }
                let significant = value >= 100 ? Self.reference(value, 0, trim: false)
                    : value >= 1 ? Self.reference(value, 1, trim: true) : Self.reference(value, places, trim: true)
                #expect(NumberText.significant(value) == significant, "\(value)")
            }
        }
    }

    @Test("the pass-through columns' other names, converted in one call, are each group's converted alone")
    func canonicalNames() {
        var expected: [String: String] = [:]
        for group in LeadColumns.passThroughSynonyms {
            for spelling in ChineseVariants.convert(group).joined() where expected[spelling] == nil { expected[spelling] = group[0] }
        }
        #expect(LeadColumns.canonicalNames == expected)
        // Traditional spellings too, when OpenCC is there.
        #expect(!ChineseVariants.isAvailable || LeadColumns.canonicalNames.count > LeadColumns.passThroughSynonyms.joined().count)
    }

    @Test("a word's line breaks are found by its scalars as Character.isNewline finds them")
    func lineBreaks() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x2FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let word = "词\(Character(scalar))语"
            if ChineseVariants.hasLineBreak(word) != word.contains(where: \.isNewline) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5).map { String($0, radix: 16) })")
        for word in ["a\r\nb", "\n\u{301}", "电池\u{2028}", "\u{85}"] {
            #expect(ChineseVariants.hasLineBreak(word) && word.contains(where: \.isNewline))
        }
        #expect(!ChineseVariants.hasLineBreak("动力电池") && !ChineseVariants.hasLineBreak("e\u{301}\u{200D}"))
    }

    @Test("the carried header spellings are the installed OpenCC's")
    func headerSpellings() {
        var words: [String] = []
        for word in LeadColumns.Role.allCases.flatMap(\.headers) + LeadColumns.passThroughSynonyms.joined() + LeadColumns.registrationHeaders
        where !words.contains(word) {
            words.append(word)
        }
        #expect(ChineseVariants.isAvailable, "OpenCC's data is missing (Debian: libopencc-dev)")
        // Converted here, past the memo and the table.
        let expected = Dictionary(uniqueKeysWithValues: zip(words, ChineseVariants.convert(words)))
        let table = expected.keys.sorted().map { word in
            "        \"\(word)\": [\(expected[word]!.map { "\"\($0)\"" }.joined(separator: ", "))],"
        }
        #expect(
            LeadColumns.headerSpellings == expected,
            "regenerate Sources/ChainMapKit/Loading/Leads/LeadColumns+Spellings.swift:\n    static let headerSpellings: [String: [String]] = [\n\(table.joined(separator: "\n"))\n    ]")
        // And expandHeaders reads them from it.
        #expect(LeadColumns.expandHeaders(words) == words.map { expected[$0]! })
    }

    @Test("a bounded memo works each key out once, nil included, and remembers no more keys than its limit")
    func boundedMemo() {
        let memo = BoundedMemo<TextKey, Int?>(limit: 2)
        var calls = 0
        func ask(_ key: String) -> Int? {
            memo.value(for: TextKey(key)) {
                calls += 1
                return key == "无" ? nil : key.count
            }
        }
        #expect(ask("ab") == 2 && ask("ab") == 2 && calls == 1)
        #expect(ask("无") == nil && ask("无") == nil && calls == 2)
        // Beyond the limit: worked out each time.
        #expect(ask("abc") == 3 && ask("abc") == 3 && calls == 4)
    }

    @Test("a text key is its UTF-8 bytes: equal bytes are one key, canonically equal texts in other bytes two")
    func textKeys() {
        let built = String(["上市", "公司"].joined())
        #expect(TextKey("上市公司") == TextKey(built))
        #expect(TextKey("上市公司").hashValue == TextKey(built).hashValue)
        #expect(TextKey("上市公司") != TextKey("上市公司 "))
        #expect(TextKey("") == TextKey(""))
        #expect(TextKey("") != TextKey("a"))
        // String calls these equal; as keys they are two, each worked out from its own text.
        let (composed, decomposed) = ("caf\u{E9}", "cafe\u{301}")
        #expect(composed == decomposed)
        #expect(TextKey(composed) != TextKey(decomposed))
        let memo = BoundedMemo<TextKey, Int>()
        #expect(memo.value(for: TextKey(composed)) { composed.utf8.count } == 5)
        #expect(memo.value(for: TextKey(decomposed)) { decomposed.utf8.count } == 6)
        #expect(memo.value(for: TextKey(composed)) { -1 } == 5)
    }

    @Test("whole numbers are written as String writes them")
    func integers() {
        for value in [0, 1, -1, 9, 10, 99, 100, 12_345, -67_890, Int.max, Int.min] {
            var bytes: [UInt8] = []
            NumberText.appendInteger(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
    }
}

@Suite("Trimming cells")
struct TrimmingTests {
    /// Every character ``LeadColumns/trimmed(_:)`` drops.
    static let junk: [Unicode.Scalar] = (0...0x20).map { Unicode.Scalar(UInt8($0)) }
        + [0x2A, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF, 0xFF0A].map { Unicode.Scalar($0)! }
        + (0x2000...0x200A).map { Unicode.Scalar($0)! }

    @Test("each junk character is dropped at either end, and nothing else is")
    func junkAtEitherEnd() {
        for scalar in Self.junk {
            let j = String(Character(scalar))
            for core in ["甲", "a", "1", "有限公司", "测试\u{3000}公司"] {
                #expect(LeadColumns.trimmed(j + core) == core, "U+\(String(scalar.value, radix: 16)) before \(core)")
                #expect(LeadColumns.trimmed(core + j) == core, "U+\(String(scalar.value, radix: 16)) after \(core)")
                #expect(LeadColumns.trimmed(j + j + core + j) == core)
            }
        }
        // Characters whose last byte a junk character also ends with are kept.
        for kept in ["丐", "万", "乀", "份", "仯", "侨", "佩", "俯", "恀"] {
            #expect(LeadColumns.trimmed(kept) == kept)
            #expect(LeadColumns.trimmed(" " + kept + "\u{3000}") == kept)
        }
        #expect(LeadColumns.trimmed("") == "")
        #expect(LeadColumns.trimmed("\u{3000} *") == "")
    }
}

/// Keywords are converted to their Traditional spellings all at once, one per line: each
/// must come out as it does alone.
@Suite("Traditional spellings in one pass")
struct ExpandInOnePassTests {
    /// Every link name and keyword of the chains in `chains/`.
    static func libraryWords() throws -> [String] {
        var words: [String] = []
        for name in ChainLibraryTests.files {
            let chain = try ChainLibraryTests.load(name)
            for link in chain.links { words += [link.name] + link.keywords }
        }
        return words
    }

    @Test("every keyword and link name of chains/ expands in a batch as it does alone")
    func batchEqualsOneByOne() throws {
        var words = try Self.libraryWords()
        words += ["软件开发\n服务", "", "IGBT", "锂电池"]
        #expect(words.count > 500)
        // Through OpenCC each time (`convert`): `expand` would answer the second call
        // from its memo.
        let batch = ChineseVariants.convert(words)
        #expect(batch.count == words.count)
        for (word, spellings) in zip(words, batch) {
            #expect(spellings == ChineseVariants.convert([word])[0], "\(word)")
        }
        #expect(ChineseVariants.convert(["软件"])[0].contains("軟體"))
    }

    @Test("the memo answers as OpenCC does, for words asked for again, alone and in other batches")
    func memoEqualsConversion() throws {
        let words = try Self.libraryWords()
        let first = ChineseVariants.expand(words)
        #expect(first == ChineseVariants.convert(words))
        // Again, in another order and mixed with words not asked for yet.
        let mixed = words.reversed() + ["軟件服務", "光伏逆变器的研发", "IGBT"]
        #expect(ChineseVariants.expand(mixed) == ChineseVariants.convert(mixed))
        for word in words.prefix(50) { #expect(ChineseVariants.expand(word) == ChineseVariants.convert([word])[0]) }
    }

    @Test("converters opened together, sharing dictionaries, convert as OpenCC's own opencc_open does")
    func sharedEqualsOwn() throws {
        let words = try Self.libraryWords()
        let text = words.joined(separator: "\n") + "\n软件开发服务器，打印机与内存条；发型设计"
        let shared = ChineseVariants.Converter.open(ChineseVariants.configurations)
        #expect(shared.count == 4)
        for (configuration, converter) in zip(ChineseVariants.configurations, shared) {
            let converter = try #require(converter)
            let own = try #require(opencc_open(configuration))
            defer { opencc_close(own) }
            let bytes = Array(text.utf8)
            let raw = try #require(bytes.withUnsafeBufferPointer { b in
                b.withMemoryRebound(to: CChar.self) { opencc_convert_utf8(own, $0.baseAddress, $0.count) }
            })
            defer { opencc_convert_utf8_free(raw) }
            #expect(converter.convert(text) == String(cString: raw), "\(configuration)")
        }
        #expect(ChineseVariants.Converter.open(["no-such-configuration.json"]).map { $0 == nil } == [true])
    }
}

/// The industry-code parser reads UTF-8 bytes; it must agree with the reading by Unicode
/// scalars it replaced, on codes, names and junk alike.
@Suite("Industry codes parsed from bytes")
struct IndustryCodeParsingTests {
    /// The former parser, by Unicode scalars.
    static func reference(_ text: String) -> IndustryCode? {
        var scalars = Substring(text).unicodeScalars.drop { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
        var letter: Character?
        if let first = scalars.first, ("A"..."T").contains(first) || ("a"..."t").contains(first) {
            letter = Character(String(first).uppercased())
            scalars = scalars.dropFirst()
        }
        let digits = scalars.prefix { ("0"..."9").contains($0) }
        guard (2...4).contains(digits.count) else { return nil }
        let rest = scalars.dropFirst(digits.count)
        if let next = rest.first, ("0"..."9").contains(next) || (next.isASCII && next.properties.isAlphabetic) { return nil }
        return IndustryCode(digits: String(String.UnicodeScalarView(digits)), section: letter)
    }

    @Test("the same code, or none, as the scalar reading")
    func sameAsReference() {
        var texts = ["C3841", "c3841", "3841锂离子电池制造", "C3841 锂离子电池制造", "\u{3000}C38", " \tC384", "C38411", "C3841a",
                     "C3841Z", "U3841", "t12", "T1", "C", "", "  ", "Ｃ3841", "C3841-", "C3841，", "38", "3", "12345", "C３８４１",
                     "\u{3000}\u{3000}42x", "A01 农业", "C3841\u{3000}", "é3841", "C38@", "C38[", "C38{", "C38`"]
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ACTZact 0123456789\u{3000}\t-电池Ｃ@[{`")
        for _ in 0..<20000 {
            texts.append(String((0..<Int.random(in: 0...7, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for text in texts {
            #expect(IndustryCode(parsing: text) == Self.reference(text), "\(text.debugDescription)")
        }
    }
}

@Suite("Words searched for together")
struct TextSearchWordsTests {
    /// The rule, spelled out on strings' bytes: some word's bytes lie somewhere in the text.
    static func naive(_ text: String, _ words: [String]) -> Bool {
        let bytes = Array(text.utf8)
        return words.contains { word in
            let w = Array(word.utf8)
            if w.isEmpty { return true }
            guard bytes.count >= w.count else { return false }
            return (0...(bytes.count - w.count)).contains { Array(bytes[$0..<($0 + w.count)]) == w }
        }
    }

    @Test("a text contains a word where its bytes are, at the start, the end or between, and nowhere else")
    func agreesWithTheRule() {
        let pieces = ["注销", "吊销", "注", "销", "在业", "存续", "（", "）", "已", "清", "算", "a", " ", "註銷", "撤", "銷", "\u{3000}", "é", "迁出"]
        var generator = SeededGenerator(seed: 5)
        func next(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        let closed = TextSearch.Words(LeadValues.closedStatuses)
        let operating = TextSearch.Words(LeadValues.operatingStatuses)
        var found = 0
        for _ in 0..<20_000 {
            let text = (0..<next(5)).map { _ in pieces[next(pieces.count)] }.joined()
            #expect(closed.found(in: text) == Self.naive(text, LeadValues.closedStatuses), "\(text)")
            #expect(operating.found(in: text) == Self.naive(text, LeadValues.operatingStatuses), "\(text)")
            if closed.found(in: text) { found += 1 }
        }
        #expect(found > 2_000)
        // Words sharing a first byte, one inside another, and the empty word.
        let words = TextSearch.Words(["ab", "abc", "b"])
        #expect(words.found(in: "xxb") && words.found(in: "ab") && !words.found(in: "a") && !words.found(in: ""))
        #expect(TextSearch.Words(["", "q"]).found(in: "x") && !TextSearch.Words([]).found(in: "x"))
    }
}
