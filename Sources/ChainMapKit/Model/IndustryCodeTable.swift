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

    private let byDigits: [String: Entry]
    /// Each code of 2, 3 or 4 digits as ``canonical(_:)`` gives it, by its position among
    /// them (``IndustryCode/slot(digits:count:)``): what a row's code read from its
    /// bytes is looked up in, without making a string of it.
    private let bySlot: [IndustryCode?]
    private let sections: [Character: String]
    /// Codes by the name of their division, group or class; the most specific wins when
    /// a name repeats across levels (其他农业). Built on the first lookup by name: hashing
    /// 1,900 Chinese names was half the cost of building the table, which every command
    /// pays at start, and only an export's industry column naming an industry needs it.
    private let names: Names

    /// The name index, made once, when first asked.
    private final class Names: Sendable {
        let entries: [(name: String, code: IndustryCode)]
        private let index = Mutex<[String: IndustryCode]?>(nil)

        init(_ entries: [(name: String, code: IndustryCode)]) { self.entries = entries }

        subscript(name: String) -> IndustryCode? {
            index.withLock { index in
                if index == nil {
                    var built: [String: IndustryCode] = [:]
                    built.reserveCapacity(entries.count)
                    for entry in entries { built[entry.name] = entry.code }
                    index = built
                }
                return index![name]
            }
        }
    }

    init(rows: String) {
        // Read from the text's UTF-8 bytes in place (the embedded table is a literal, held
        // in the binary): splitting the table's Chinese text by Character made building it
        // cost more than checking a 500-link chain's codes, and splitting its UTF-8 view
        // still took 5 M instructions of every start.
        var byDigits: [String: Entry] = [:]
        byDigits.reserveCapacity(2048)
        var sections: [Character: String] = [:]
        var byName: [(name: String, code: IndustryCode)] = []
        byName.reserveCapacity(2048)
        var rows = rows
        rows.withUTF8 { text in
            var start = 0
            while start < text.count {
                let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
                defer { start = end + 1 }
                guard let bar = text[start..<end].firstIndex(of: UInt8(ascii: "|")), text[start] < 0x80 else { continue }
                let name = String(decoding: UnsafeBufferPointer(rebasing: text[(bar + 1)..<end]), as: UTF8.self)
                let letter = Character(Unicode.Scalar(text[start]))
                if bar - start == 1 {
                    sections[letter] = name
                } else {
                    let digits = String(decoding: UnsafeBufferPointer(rebasing: text[(start + 1)..<bar]), as: UTF8.self)
                    byDigits[digits] = Entry(section: letter, digits: digits, name: name)
                    byName.append((name, IndustryCode(digits: digits, section: letter)))
                }
            }
        }
        self.byDigits = byDigits
        var bySlot = [IndustryCode?](repeating: nil, count: IndustryCode.slotCount)
        for entry in byDigits.values {
            guard (2...4).contains(entry.digits.utf8.count), let value = Int(entry.digits) else { continue }
            bySlot[IndustryCode.slot(digits: value, count: entry.digits.utf8.count)] = IndustryCode(digits: entry.digits, section: entry.section)
        }
        self.bySlot = bySlot
        self.sections = sections
        names = Names(byName)
    }

    /// How many codes (divisions, groups, classes) the table holds.
    var codeCount: Int { byDigits.count }

    /// The entry for a code's digits, if the standard has it.
    public func entry(for code: IndustryCode) -> Entry? {
        byDigits[code.digits]
    }

    /// ``canonical(_:)`` of the code whose 2, 3 or 4 digits read as `value` (a row's code
    /// as ``ChainKeywords/code(_:)`` reads it from the cell's bytes); nil when the table
    /// lacks it or `digits` is out of range.
    func canonical(value: Int, digits: Int) -> IndustryCode? {
        guard (2...4).contains(digits), value >= 0 else { return nil }
        let slot = IndustryCode.slot(digits: value, count: digits)
        return slot < bySlot.count ? bySlot[slot] : nil
    }

    /// The name of a section letter (C → 制造业).
    public func sectionName(_ letter: Character) -> String? {
        sections[letter]
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
        entry(for: code).map { IndustryCode(digits: $0.digits, section: $0.section) }
    }
}
