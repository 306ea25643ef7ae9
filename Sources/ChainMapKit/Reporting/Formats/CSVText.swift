import Foundation

/// The one CSV writer of chainmap: every list written for Excel (`gaps --csv`,
/// `leads --csv`) goes through it. RFC 4180: fields that hold a comma, a quote or a line
/// break are quoted with quotes doubled; records end in CRLF; the file starts with a
/// UTF-8 byte order mark, so that Excel opens it with its Chinese text intact.
public enum CSVText {
    /// U+FEFF, which Excel reads as "this file is UTF-8".
    public static let byteOrderMark = "\u{FEFF}"

    /// One field, quoted when it must be. A text that Excel would run as a formula
    /// (``looksLikeFormula(_:)``) gets a leading apostrophe, since exports pass
    /// enterprise-database cells through.
    /// Control characters other than tab and line breaks (C0, DEL, C1) are written as
    /// `\u{1B}`: Excel shows them as junk, and a terminal would act on them.
    public static func field(_ text: String) -> String {
        var text = text
        if text.unicodeScalars.contains(where: isControl) {
            var visible = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                if isControl(scalar) {
                    visible.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
                } else {
                    visible.append(scalar)
                }
            }
            text = String(visible)
        }
        if looksLikeFormula(text) { text = "'" + text }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether Excel would run a cell as a formula: it starts with `=`, or with `+`, `-`
    /// or `@` and is more than a number (`-3.5` is data; `-1+2`, `+A1`, `@SUM(A1)`,
    /// `--2+3`, `- 1+HYPERLINK(…)` are not), or with a tab or a carriage return. Text of
    /// signs and spaces alone (`-`, `--`, `- -`) is data: Excel reads no formula in it.
    static func looksLikeFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        switch first {
        case "=", "\t", "\r": return true
        case "+", "-", "@":
            // A second sign or a space does not make the rest data: Excel reads `--2+3`
            // and `- 1+2` as formulas too.
            if text.unicodeScalars.allSatisfy({ $0 == "+" || $0 == "-" || $0 == "@" || $0 == " " }) { return false }
            return Double(text) == nil
        default: return false
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0..<0x20, 0x7F...0x9F: true
        default: false
        }
    }

    /// One record: the fields joined by commas, ending in CRLF.
    public static func record(_ fields: [String]) -> String {
        var line = ""
        for (i, field) in fields.enumerated() {
            if i > 0 { line += "," }
            line += self.field(field)
        }
        return line + "\r\n"
    }
}
