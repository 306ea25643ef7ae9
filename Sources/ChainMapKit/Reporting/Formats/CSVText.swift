import Foundation

/// The one CSV writer of chainmap: every list written for Excel (`gaps --csv`,
/// `leads --csv`) goes through it. RFC 4180: fields that hold a comma, a quote or a line
/// break are quoted with quotes doubled; records end in CRLF; the file starts with a
/// UTF-8 byte order mark, so that Excel opens it with its Chinese text intact.
public enum CSVText {
    /// U+FEFF, which Excel reads as "this file is UTF-8".
    public static let byteOrderMark = "\u{FEFF}"

    /// One field, quoted when it must be. A text that Excel would run as a formula
    /// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return, and not a number)
    /// gets a leading apostrophe, since exports pass enterprise-database cells through.
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil {
            text = "'" + text
        }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
