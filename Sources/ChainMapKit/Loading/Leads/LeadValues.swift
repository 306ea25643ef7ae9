import Foundation

/// Parsing the values of lead columns.
public enum LeadValues {
    /// Exchange rates to 人民币 used to put foreign registered capital on the same
    /// scale. They are approximate and fixed (capital only ranks leads by size, on a
    /// logarithmic scale); the text as written stays in the outputs.
    public static let exchangeRates: [(names: [String], code: String, rate: Double)] = [
        (["美元", "美金", "USD", "US$"], "USD", 7.1),
        (["港元", "港币", "港幣", "HKD", "HK$"], "HKD", 0.91),
        (["新台币", "新台幣", "台币", "台幣", "TWD", "NT$"], "TWD", 0.22),
        (["澳门元", "澳门币", "澳門元", "澳門幣", "MOP"], "MOP", 0.88),
        (["欧元", "歐元", "EUR", "€"], "EUR", 7.7),
        (["英镑", "英鎊", "GBP", "£"], "GBP", 9.0),
        (["日元", "日圆", "日圓", "JPY"], "JPY", 0.048),
        (["韩元", "韓元", "KRW"], "KRW", 0.0052),
        (["新加坡元", "新币", "SGD"], "SGD", 5.3),
        (["澳元", "澳大利亚元", "AUD"], "AUD", 4.7),
        (["加元", "加拿大元", "CAD"], "CAD", 5.2),
        (["瑞士法郎", "CHF"], "CHF", 8.0),
    ]

    /// An amount of money read from text, in 亿元 (100 million yuan).
    public struct Amount: Hashable, Sendable {
        /// The amount in 亿元 of 人民币.
        public var yi: Double
        /// The foreign currency it was converted from (ISO code), if any.
        public var currency: String?
    }

    /// Why an amount could not be read.
    public enum AmountProblem: Error, Hashable, Sendable {
        /// The text has no number.
        case notANumber
        /// The text names a currency chainmap has no rate for.
        case unknownCurrency(String)
    }

    /// Reads a registered capital or investment: "5000万元人民币" → 0.5, "1.2亿" → 1.2,
    /// "500万美元" → 0.355 (at the rate in ``exchangeRates``), "12,000" → `bareUnit` × 12000.
    /// Returns nil for an empty cell or a placeholder (`-`, `—`, `暂无`, `未公开`).
    /// `bareUnit` is the value of one unit of a bare number in 亿元 (万元 = 0.0001).
    public static func amount(_ text: String, bareUnit: Double) throws(AmountProblem) -> Amount? {
        if let common = commonAmount(text, bareUnit: bareUnit) { return common }
        return try anyAmount(text, bareUnit: bareUnit)
    }

    /// ``amount(_:bareUnit:)`` for the way nearly every export writes it — ASCII digits
    /// (at most 15, no point), a magnitude or 元, then only 人民币/元 words ("1000万元人民币")
    /// — read in place, with the same arithmetic; nil for anything else. (The general
    /// reading copied and rescanned the bytes: 5,500 instructions an amount.)
    static func commonAmount(_ text: String, bareUnit: Double) -> Amount? {
        text.utf8.withContiguousStorageIfAvailable { commonAmount(bytes: $0, bareUnit: bareUnit) } ?? nil
    }

    /// ``commonAmount(_:bareUnit:)`` of a text's UTF-8.
    static func commonAmount(bytes: UnsafeBufferPointer<UInt8>, bareUnit: Double) -> Amount? {
        var i = 0
        var integer = 0
        while i < bytes.count, bytes[i] &- 0x30 < 10, i < 15 {
            integer = integer * 10 + Int(bytes[i] &- 0x30)
            i += 1
        }
        guard i > 0, i == bytes.count || bytes[i] &- 0x30 >= 10 else { return nil }
        let number = Double(integer)
        var rest = bytes[i...]
        let value = scaled(number, bareUnit: bareUnit, by: &rest)
        // Anything but 人民币 words after it (a decimal point, a currency): the general reading.
        guard droppingRMBWords(rest).isEmpty else { return nil }
        return Amount(yi: value, currency: nil)
    }

    /// ``amount(_:bareUnit:)`` for any text.
    static func anyAmount(_ text: String, bareUnit: Double) throws(AmountProblem) -> Amount? {
        // Work on the UTF-8 bytes: full-width digits and points to ASCII; spaces and
        // thousands separators dropped.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = Array(text.utf8)[...]
        while let byte = input.first {
            if byte == 0xEF, input.count >= 3 {
                let b1 = input[input.startIndex + 1], b2 = input[input.startIndex + 2]
                if b1 == 0xBC && (0x90...0x99).contains(b2) { bytes.append(b2 - 0x90 + 0x30); input = input.dropFirst(3); continue }
                if b1 == 0xBC && b2 == 0x8E { bytes.append(0x2E); input = input.dropFirst(3); continue }
                if b1 == 0xBC && b2 == 0x8C { input = input.dropFirst(3); continue }  // ，
            }
            if byte == 0xE3, input.starts(with: [0xE3, 0x80, 0x80]) { input = input.dropFirst(3); continue }  // ideographic space
            if byte == 0x20 || byte == 0x09 || byte == 0x2C { input = input.dropFirst(); continue }
            bytes.append(byte)
            input = input.dropFirst()
        }
        if bytes.isEmpty || placeholders.contains(bytes) { return nil }

        // The number, after any currency sign in front.
        var rest = bytes[...]
        var currency: (code: String, rate: Double)?
        if let (length, entry) = currencyName(at: rest) {
            currency = (entry.code, entry.rate)
            rest = rest.dropFirst(length)
        }
        for sign in rmbSigns where rest.starts(with: sign) { rest = rest.dropFirst(sign.count) }
        let digits = rest.prefix { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        guard !digits.isEmpty, let number = Double(String(decoding: digits, as: UTF8.self)), number.isFinite else {
            throw .notANumber
        }
        rest = rest.dropFirst(digits.count)

        let value = scaled(number, bareUnit: bareUnit, by: &rest)

        // What is left names 人民币 (or nothing) in the common case; else a currency.
        let unit = droppingRMBWords(rest)
        if unit.isEmpty {
            return Amount(yi: value * (currency?.rate ?? 1), currency: currency?.code)
        }
        if currency == nil {
            var i = unit.startIndex
            while i < unit.endIndex, currency == nil {
                if let (_, entry) = currencyName(at: unit[i...]) { currency = (entry.code, entry.rate) }
                i += 1
            }
        }
        guard let currency else { throw .unknownCurrency(String(decoding: rest, as: UTF8.self)) }
        return Amount(yi: value * currency.rate, currency: currency.code)
    }

    /// `number` in 亿元, by the magnitude at the start of `rest` (which is dropped), or 元
    /// (which is kept, one of the 人民币 words), or else `bareUnit`.
    static func scaled<Bytes: Collection<UInt8>>(
        _ number: Double, bareUnit: Double, by rest: inout Bytes
    ) -> Double where Bytes.SubSequence == Bytes {
        if let (word, factor) = magnitudes.first(where: { rest.starts(with: $0.0) }) {
            rest = rest.dropFirst(word.count)
            return number * factor / 1e8
        }
        return rest.starts(with: yuanWord) ? number / 1e8 : number * bareUnit
    }

    /// The bytes after the 人民币 words (人民币, 元, RMB, brackets …) they start with.
    static func droppingRMBWords<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes where Bytes.SubSequence == Bytes {
        var rest = bytes
        consume: while !rest.isEmpty {
            for word in rmbWords where rest.starts(with: word) {
                rest = rest.dropFirst(word.count)
                continue consume
            }
            break
        }
        return rest
    }

    /// The length and entry of a currency name at the start of the bytes.
    static func currencyName(at bytes: ArraySlice<UInt8>) -> (Int, (names: [String], code: String, rate: Double))? {
        for (index, names) in currencyNames.enumerated() {
            for name in names where bytes.starts(with: name) { return (name.count, exchangeRates[index]) }
        }
        return nil
    }

    static let currencyNames: [[[UInt8]]] = exchangeRates.map { $0.names.map { Array($0.utf8) } }
    static let placeholders: Set<[UInt8]> = Set(["-", "--", "—", "——", "暂无", "未公开", "无", "不详", "/", "null", "NULL", "N/A"].map { Array($0.utf8) })
    static let rmbSigns: [[UInt8]] = ["￥", "¥", "RMB", "CNY"].map { Array($0.utf8) }
    static let rmbWords: [[UInt8]] = ["人民币", "人民幣", "元", "RMB", "CNY", "(", ")", "（", "）"].map { Array($0.utf8) }
    /// The magnitudes, in Simplified and Traditional characters (3000萬元 is 3000万元).
    static let magnitudes: [([UInt8], Double)] = [
        ("亿", 1e8), ("億", 1e8), ("千万", 1e7), ("千萬", 1e7), ("百万", 1e6), ("百萬", 1e6), ("万", 1e4), ("萬", 1e4), ("千", 1e3),
    ].map { (Array($0.0.utf8), $0.1) }
    static let yuanWord = Array("元".utf8)

    /// Splits a tags cell at the separators exports use: ; ； , ， 、 | / and spaces.
    public static func tags(_ text: String) -> [String] {
        // Split on the UTF-8 of the separators (``tagSeparators``): one byte for the
        // ASCII ones, three for ；，、 and the ideographic space. A continuation byte
        // never equals a lead byte, so a match can only start at a character.
        return text.withUTF8Bytes { bytes -> [String] in
            var tags: [String] = []
            var start = 0
            var i = 0
            while i < bytes.count {
                let length = separatorLength(bytes, at: i)
                guard length > 0 else {
                    i += 1
                    continue
                }
                if i > start { tags.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)) }
                i += length
                start = i
            }
            if start < bytes.count { tags.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
            return tags
        }
    }

    /// The UTF-8 length of the tag separator at `bytes[i]`, 0 for none.
    @inline(__always)
    private static func separatorLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        switch bytes[i] {
        case 0x3B, 0x2C, 0x7C, 0x2F, 0x20, 0x09, 0x0A, 0x0D: return 1   // ; , | / space tab LF CR
        case 0xEF:   // ； U+FF1B, ， U+FF0C
            return i + 2 < bytes.count && bytes[i + 1] == 0xBC && (bytes[i + 2] == 0x9B || bytes[i + 2] == 0x8C) ? 3 : 0
        case 0xE3:   // 、 U+3001, the ideographic space U+3000
            return i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0x81 || bytes[i + 2] == 0x80) ? 3 : 0
        default: return 0
        }
    }

    static let tagSeparators = Set(";；,，、|/ \t\n\r\u{3000}".unicodeScalars)

    /// Statuses of enterprise registration meaning the enterprise no longer operates.
    public static let closedStatuses = ["注销", "吊销", "撤销", "停业", "歇业", "清算", "迁出", "註銷", "撤銷"]
    /// ``closedStatuses``, searched for together (``TextSearch/Words``).
    static let closedStatusWords = TextSearch.Words(closedStatuses)

    /// Statuses of enterprise registration meaning it operates (not a project stage).
    static let operatingStatuses = ["存续", "在业", "开业", "正常", "在营", "存續", "開業", "在營"]
    /// ``operatingStatuses``, searched for together (``TextSearch/Words``).
    static let operatingStatusWords = TextSearch.Words(operatingStatuses)

    /// How a status cell reads.
    public enum StatusReading: Hashable, Sendable {
        /// A project stage (线索 … 投产).
        case stage(Lead.Status)
        /// A registration status of an operating enterprise (存续, 在业 …): not a stage.
        case operating
        /// A registration status of a closed enterprise (注销, 吊销 …).
        case closed
        /// Empty.
        case none
        /// Something else.
        case unknown
    }

    /// Reads a status cell: an exact stage, or the stage whose word comes first in the
    /// text (已签约 → 签约), or a registration status.
    public static func status(_ text: String) -> StatusReading {
        let text = LeadColumns.trimmed(text)
        if text.isEmpty { return .none }
        if let exact = Lead.Status(rawValue: text) { return .stage(exact) }
        if closedStatusWords.found(in: text) { return .closed }
        if operatingStatusWords.found(in: text) { return .operating }
        var best: (Lead.Status, Int)?
        for status in Lead.Status.allCases {
            if let offset = TextSearch.find(status.rawValue, in: text), best == nil || offset < best!.1 {
                best = (status, offset)
            }
        }
        return best.map { .stage($0.0) } ?? .unknown
    }

    /// The comparison form of an enterprise name, the one identity of a firm wherever
    /// names are compared (local enterprises, leads, partners, the same firm on several
    /// rows or in several chains): Traditional characters as Simplified (示例電機 =
    /// 示例电机), full-width letters, digits and brackets as ASCII (ＡＢＣ（深圳） =
    /// ABC(深圳)), Latin letters in lower case, and no spaces or line breaks.
    public static func nameKey(_ name: String) -> String {
        // Most names need no change, which their bytes tell: look before building a copy.
        guard name.withUTF8Bytes(keyChanges) else { return name }
        var key = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if let scalar = keyFolded(scalar) { key.append(scalar) }
        }
        return String(key)
    }

    /// What a character becomes in a name's key (``nameKey(_:)``): nil to drop it.
    static func keyFolded(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x3000, 0xFEFF, 0x200B: nil
        case 0x41...0x5A: Unicode.Scalar(scalar.value + 0x20)
        case 0xFF21...0xFF3A: Unicode.Scalar(scalar.value - 0xFEE0 + 0x20)
        case 0xFF01...0xFF5E: Unicode.Scalar(scalar.value - 0xFEE0)
        case 0x3400...: ChineseVariants.simplified(scalar)
        default: scalar
        }
    }

    /// Whether ``keyFolded(_:)`` changes any character of this UTF-8 (valid), told from
    /// its bytes: characters of two bytes (U+0080–U+07FF) and of four (beyond the
    /// Traditional table) never change; one of one byte is looked up in a mask, one of
    /// three in ``changingCharacters``, a bit each. (Through the Traditional table a
    /// character at a time, this was 2 % of the ten-chain report: most matching rows'
    /// names are keyed.)
    static func keyChanges(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // Tab, line feed, carriage return, space (dropped) and A–Z (lower-cased).
        let asciiLow: UInt64 = 1 << 0x09 | 1 << 0x0A | 1 << 0x0D | 1 << 0x20
        let asciiHigh: UInt64 = 0x07FF_FFFE  // 0x41–0x5A, from 0x40
        return changingCharacters.withUnsafeBufferPointer { bits in
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    let mask = b < 0x40 ? asciiLow : asciiHigh
                    if mask & (1 << UInt64(b & 0x3F)) != 0 { return true }
                    i += 1
                } else if b < 0xE0 {
                    i += 2
                } else if b < 0xF0 {
                    guard i + 2 < bytes.count, let character = CharacterBits.character(bytes.baseAddress!, at: i) else { return false }
                    if CharacterBits.contains(bits.baseAddress!, character) { return true }
                    i += 3
                } else {
                    i += 4
                }
            }
            return false
        }
    }

    /// The characters of three bytes (U+0800–U+FFFF) that ``keyFolded(_:)`` changes, a
    /// bit each (8 KB): the Traditional table's (those it maps to another), the
    /// ideographic space, the byte order mark and the zero-width space (dropped), and the
    /// full-width forms U+FF01–U+FF5E. Made once, from the table, when a name is first
    /// keyed; a test compares every character with ``keyFolded(_:)`` (``CharacterBits``).
    static let changingCharacters: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: CharacterBits.words)
        bits.withUnsafeMutableBufferPointer { bits in
            func set(_ value: UInt32) { CharacterBits.insert(Int(value), into: bits.baseAddress!) }
            let table = ChineseVariants.SimplifiedTable.shared
            for range in ChineseVariants.SimplifiedTable.ranges {
                for value in range where table.map(value).map({ $0.value != value }) ?? false { set(value) }
            }
            for value: UInt32 in [0x3000, 0xFEFF, 0x200B] { set(value) }
            for value: UInt32 in 0xFF01...0xFF5E { set(value) }
        }
        return bits
    }()
}
