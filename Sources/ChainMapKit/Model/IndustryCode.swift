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
        // On the UTF-8 bytes: every row of an export with a code column comes here.
        var text = text
        let parsed = text.withUTF8 { bytes -> (digits: String, section: Character?)? in
            var i = 0
            let end = bytes.count
            // Leading spaces, tabs and ideographic spaces (U+3000: E3 80 80).
            while i < end {
                if bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1; continue }
                if bytes[i] == 0xE3, i + 2 < end, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 { i += 3; continue }
                break
            }
            var letter: Character?
            if i < end, (0x41...0x54).contains(bytes[i]) || (0x61...0x74).contains(bytes[i]) {
                letter = Character(Unicode.Scalar(bytes[i] & 0xDF))
                i += 1
            }
            let first = i
            while i < end, (0x30...0x39).contains(bytes[i]) { i += 1 }
            guard (2...4).contains(i - first) else { return nil }
            // A code must end at a non-digit, non-letter boundary (so "C38411" is rejected).
            if i < end, (0x30...0x39).contains(bytes[i]) || (0x41...0x5A).contains(bytes[i] & 0xDF) && bytes[i] < 0x80 {
                return nil
            }
            return (String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<i]), as: UTF8.self), letter)
        }
        guard let parsed else { return nil }
        self.digits = parsed.digits
        self.section = parsed.section
    }

    /// How many codes of 2, 3 and 4 digits there are: the positions of
    /// ``slot(digits:count:)``.
    static let slotCount = 11_100

    /// The position of a code of 2, 3 or 4 digits (`count`) whose digits read as the
    /// number `digits`, among all such codes: the divisions, then the groups, then the
    /// classes. Tables by code are indexed by it.
    static func slot(digits: Int, count: Int) -> Int {
        switch count {
        case 2: digits
        case 3: 100 + digits
        default: 1100 + digits
        }
    }

    /// The code in a slot (``slot(digits:count:)``), without its section: slot 1100 + 111
    /// is 0111.
    init(slot: Int) {
        let (value, count) = slot < 100 ? (slot, 2) : slot < 1100 ? (slot - 100, 3) : (slot - 1100, 4)
        var digits = String(value)
        digits = String(repeating: "0", count: count - digits.count) + digits
        self.init(digits: digits, section: nil)
    }

    /// The number that a code's digits spell ("3841" → 3841, "0111" → 111); nil when a
    /// byte is not an ASCII digit, or there are none or more than 18.
    static func value(ofDigits digits: some Collection<UInt8>) -> Int? {
        var value = 0
        var count = 0
        for byte in digits {
            guard byte &- UInt8(ascii: "0") < 10, count < 18 else { return nil }
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
            count += 1
        }
        return count == 0 ? nil : value
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
