import Synchronization

/// The GB/T 4754-2017 code table (20 sections, 97 divisions, 473 groups, 1381 classes),
/// compiled into the library so that a bare `chainmap` binary can check codes.
public struct IndustryCodeTable: Sendable {
    public struct Entry: Hashable, Sendable {
        public var section: Character
        public var digits: String
        public var name: String
    }

    /// The table shipped with chainmap.
    public static let standard = IndustryCodeTable(rows: embeddedRows)

    /// The table's text, `CODE|NAME` a line; names are read from its UTF-8 in place.
    private let text: String
    /// Each code's line: its section letter and where its name is in `text`.
    private let rows: [Row]
    /// The row of each code of 2, 3 or 4 digits by its position among them
    /// (``IndustryCode/slot(digits:count:)``), -1 where the table has none: what a code is
    /// looked up in, as text (``entry(for:)``) or as a row's digits read from its bytes
    /// (``canonical(value:digits:)``), without making a string of it.
    private let rowBySlot: [Int16]
    /// The name of each section, by its letter's place in the alphabet.
    private let sections: [String?]
    /// Codes by the name of their division, group or class; the most specific wins when
    /// a name repeats across levels (其他农业). Built on the first lookup by name: hashing
    /// 1,900 Chinese names was half the cost of building the table, which every command
    /// pays at start, and only an export's industry column naming an industry needs it.
    private let names: Names

    /// A code's line of the table.
    private struct Row {
        /// The section letter, as an ASCII byte.
        var section: UInt8
        /// How many digits the code has (2, 3 or 4).
        var digitCount: UInt8
        /// The code's digits as a number.
        var digits: UInt16
        /// The name's bytes in the table's text.
        var nameStart: UInt32
        var nameEnd: UInt32
    }

    /// The name index, made once, when first asked.
    private final class Names: Sendable {
        private let table: @Sendable () -> [(name: String, code: IndustryCode)]
        private let index = Mutex<[String: IndustryCode]?>(nil)

        init(_ table: @escaping @Sendable () -> [(name: String, code: IndustryCode)]) { self.table = table }

        subscript(name: String) -> IndustryCode? {
            index.withLock { index in
                if index == nil {
                    let entries = table()
                    var built: [String: IndustryCode] = [:]
                    built.reserveCapacity(entries.count)
                    for entry in entries { built[entry.name] = entry.code }
                    index = built
                }
                return index![name]
            }
        }
    }

    private init(rows text: String) {
        // One pass over the text's UTF-8 bytes in place (the embedded table is a literal,
        // held in the binary), keeping where each name is, not the name: a dictionary of
        // entries with a string per name, and a table of every slot's code, took 0.7 ms
        // and 170 page faults of every command's start (docs/performance.md, twentieth
        // pass); splitting the text by Character cost more than checking a 500-link
        // chain's codes.
        var rows: [Row] = []
        rows.reserveCapacity(2048)
        var rowBySlot = [Int16](repeating: -1, count: IndustryCode.slotCount)
        var sections = [String?](repeating: nil, count: 26)
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                defer { start = end + 1 }
                let letter = bytes[start]
                guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(letter),
                      let bar = bytes[start..<end].firstIndex(of: UInt8(ascii: "|"))
                else { continue }
                if bar - start == 1 {
                    sections[Int(letter - UInt8(ascii: "A"))] = String(decoding: UnsafeBufferPointer(rebasing: bytes[(bar + 1)..<end]), as: UTF8.self)
                    continue
                }
                let count = bar - start - 1
                guard (2...4).contains(count), let value = IndustryCode.value(ofDigits: bytes[(start + 1)..<bar]) else { continue }
                rowBySlot[IndustryCode.slot(digits: value, count: count)] = Int16(rows.count)
                rows.append(Row(section: letter, digitCount: UInt8(count), digits: UInt16(value), nameStart: UInt32(bar + 1), nameEnd: UInt32(end)))
            }
        }
        self.text = text
        self.rows = rows
        self.rowBySlot = rowBySlot
        self.sections = sections
        names = Names { [text, rows] in
            rows.map { row in (Self.name(of: row, in: text), Self.code(of: row)) }
        }
    }

    /// The row of a code's digits, if the table has it.
    private func row(_ digits: String) -> Row? {
        let count = digits.utf8.count
        guard (2...4).contains(count), let value = IndustryCode.value(ofDigits: digits.utf8) else { return nil }
        let index = rowBySlot[IndustryCode.slot(digits: value, count: count)]
        return index < 0 ? nil : rows[Int(index)]
    }

    private static func name(of row: Row, in text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[Int(row.nameStart)..<Int(row.nameEnd)]), as: UTF8.self) }
    }

    /// A row's code, with its section letter: its digits as the table writes them, with
    /// the leading zeros (0111).
    private static func code(of row: Row) -> IndustryCode {
        let count = Int(row.digitCount)
        let digits = String(unsafeUninitializedCapacity: count) { buffer in
            var value = Int(row.digits)
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            return count
        }
        return IndustryCode(digits: digits, section: Character(Unicode.Scalar(row.section)))
    }

    /// How many codes (divisions, groups, classes) the table holds.
    var codeCount: Int { rows.count }

    /// The entry for a code's digits, if the standard has it.
    public func entry(for code: IndustryCode) -> Entry? {
        row(code.digits).map { row in
            Entry(section: Character(Unicode.Scalar(row.section)), digits: code.digits, name: Self.name(of: row, in: text))
        }
    }

    /// ``canonical(_:)`` of the code whose 2, 3 or 4 digits read as `value` (a row's code
    /// as ``ChainKeywords/code(_:)`` reads it from the cell's bytes); nil when the table
    /// lacks it or `digits` is out of range.
    func canonical(value: Int, digits: Int) -> IndustryCode? {
        guard (2...4).contains(digits), value >= 0 else { return nil }
        let slot = IndustryCode.slot(digits: value, count: digits)
        return slot < Self.codesBySlot.count ? Self.codesBySlot[slot] : nil
    }

    /// Every slot's code as ``canonical(value:digits:)`` gives it, made when a command
    /// first reads an export's codes (a screening asks at every matching row): a code
    /// made from its row at each call cost the base workload 3 % in one A/B and nothing
    /// in another (docs/performance.md, twentieth pass), so the screening keeps reading a
    /// table. Of ``standard``, the only table there is (`init(rows:)` is private).
    private static let codesBySlot: [IndustryCode?] = {
        let table = IndustryCodeTable.standard
        var codes = [IndustryCode?](repeating: nil, count: IndustryCode.slotCount)
        for (slot, row) in table.rowBySlot.enumerated() where row >= 0 {
            codes[slot] = code(of: table.rows[Int(row)])
        }
        return codes
    }()

    /// The name of a section letter (C → 制造业).
    public func sectionName(_ letter: Character) -> String? {
        guard let ascii = letter.asciiValue, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(ascii) else { return nil }
        return sections[Int(ascii - UInt8(ascii: "A"))]
    }

    /// The industry code a cell of an export names: a code at its start (C3841,
    /// 3841锂离子电池制造), or else the name of a class, group or division as its last
    /// part (天眼查 writes 制造业-…-锂离子电池制造).
    public func code(in text: String) -> IndustryCode? {
        if let code = IndustryCode(parsing: text) {
            return canonical(code) ?? code
        }
        let last = text.split(whereSeparator: { "-－>＞/|｜ ".contains($0) }).last.map(String.init) ?? text
        return names[LeadColumns.trimmed(last)]
    }

    /// The code with its section letter filled in from the table, or nil when the table
    /// lacks the digits.
    public func canonical(_ code: IndustryCode) -> IndustryCode? {
        row(code.digits).map { IndustryCode(digits: code.digits, section: Character(Unicode.Scalar($0.section))) }
    }
}
