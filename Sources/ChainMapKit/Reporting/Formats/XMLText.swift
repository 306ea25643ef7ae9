/// The characters XML 1.0 forbids, which no SVG, DOCX or XLSX may hold: the C0 controls
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF. A lead export
/// can carry any of them; one in a label makes Graphviz refuse the whole map, and one in
/// a tooltip makes the SVG unreadable.
public enum XMLText {
    /// Whether XML 1.0 forbids the character (`Char` production, §2.2).
    @inline(__always)
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0..<0x20, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// Whether the text holds a forbidden character (a byte scan: C0 bytes, and the
    /// UTF-8 of U+FFFE and U+FFFF).
    public static func hasForbidden(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return true }
                if byte == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return true }
                i += 1
            }
            return false
        }
    }

    /// The text with every forbidden character replaced by U+FFFD (�), so that a reader
    /// sees that something was there; the text itself when it has none.
    public static func replacingForbidden(_ text: String) -> String {
        guard hasForbidden(text) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(isForbidden(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(result)
    }
}
