/// A GB/T 4754-2017 industry code (国民经济行业分类代码), such as C3841 锂离子电池制造.
///
/// Codes are written with or without the section letter (C3841 = 3841). A 2-digit
/// (division), 3-digit (group) or 4-digit (class) code covers every code under it.
public struct IndustryCode: Hashable, Sendable, CustomStringConvertible {
    /// The digits, 2 to 4 of them.
    public var digits: String
    /// The section letter A–T, taken from the table when not written.
    public var section: Character?

    public init(digits: String, section: Character?) {
        self.digits = digits
        self.section = section
    }

    /// Parses `C3841`, `3841`, `C38`, `384`, and also an export's `C3841 锂离子电池制造`
    /// or `3841锂离子电池制造` (text after the code is ignored). Returns nil when the text
    /// does not start with a code.
    public init?(parsing text: String) {
        var scalars = Substring(text).unicodeScalars.drop { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
        var letter: Character?
        if let first = scalars.first, ("A"..."T").contains(first) || ("a"..."t").contains(first) {
            letter = Character(String(first).uppercased())
            scalars = scalars.dropFirst()
        }
        let digits = scalars.prefix { ("0"..."9").contains($0) }
        guard (2...4).contains(digits.count) else { return nil }
        let rest = scalars.dropFirst(digits.count)
        // A code must end at a non-digit, non-letter boundary (so "C38411" is rejected).
        if let next = rest.first, ("0"..."9").contains(next) || (next.isASCII && next.properties.isAlphabetic) {
            return nil
        }
        self.digits = String(String.UnicodeScalarView(digits))
        self.section = letter
    }

    /// Whether this code covers `other`: same or a prefix of its digits.
    public func covers(_ other: IndustryCode) -> Bool {
        other.digits.hasPrefix(digits)
    }

    /// `C3841`, or the digits alone when the section is unknown.
    public var description: String {
        section.map { "\($0)\(digits)" } ?? digits
    }
}
