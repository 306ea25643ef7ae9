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
    private let sections: [Character: String]

    init(rows: String) {
        var byDigits: [String: Entry] = [:]
        var sections: [Character: String] = [:]
        for line in rows.split(separator: "\n") {
            guard let bar = line.firstIndex(of: "|") else { continue }
            let code = line[..<bar]
            let name = String(line[line.index(after: bar)...])
            guard let letter = code.first else { continue }
            if code.count == 1 {
                sections[letter] = name
            } else {
                let digits = String(code.dropFirst())
                byDigits[digits] = Entry(section: letter, digits: digits, name: name)
            }
        }
        self.byDigits = byDigits
        self.sections = sections
    }

    /// The entry for a code's digits, if the standard has it.
    public func entry(for code: IndustryCode) -> Entry? {
        byDigits[code.digits]
    }

    /// The name of a section letter (C → 制造业).
    public func sectionName(_ letter: Character) -> String? {
        sections[letter]
    }

    /// The code with its section letter filled in from the table, or nil when the table
    /// lacks the digits.
    public func canonical(_ code: IndustryCode) -> IndustryCode? {
        entry(for: code).map { IndustryCode(digits: $0.digits, section: $0.section) }
    }
}
