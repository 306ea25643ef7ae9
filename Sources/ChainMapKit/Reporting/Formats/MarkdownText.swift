/// Markdown that pastes cleanly into a plan and converts with pandoc: plain text with
/// the few characters Markdown would read as markup escaped, and pipe tables — never HTML.
public enum MarkdownText {
    /// Characters escaped with a backslash. Besides CommonMark's markup (`* _ [ ] < > |
    /// & …`), pandoc's own (`~` subscript, `^` superscript, `$` maths, `@` citations).
    /// CommonMark allows a backslash before any ASCII punctuation, so every reader shows
    /// the character itself.
    static let escaped: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "^", "$", "@", "#", "&"]
    /// ``escaped`` (all ASCII) as a mask of bits by code point, so that a character is told
    /// without hashing it.
    static let escapedASCII: UInt128 = escaped.reduce(0) { $0 | (1 << UInt128($1.value)) }

    /// Text for a paragraph or a table cell: markup characters escaped, line breaks and
    /// other control characters turned into spaces, characters XML forbids (U+FFFE …)
    /// dropped, the bidirectional controls shown as U+FFFD (``BidiControls``), and a leading list marker (`1. `, `1) `, `- `, `+ `) or indentation
    /// neutralised, so that the text stays one plain paragraph in pandoc's DOCX and HTML.
    public static func escape(_ text: String) -> String {
        needsEscaping(text) ? escapeScalars(text) : neutralisingListMarker(text)
    }

    /// Whether ``escape(_:)`` changes anything but a list marker: a leading space, a
    /// control character, U+2028, U+2029, U+FFFE, U+FFFF, a bidirectional control or a
    /// markup character, told from
    /// the UTF-8 bytes. Most cells hold none, and are kept as they are rather than rebuilt
    /// a character at a time (a tenth of a report's work).
    static func needsEscaping(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.first else { return false }
            if first == 0x20 { return true }
            let count = bytes.count
            var i = 0
            while i < count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if byte < 0x20 || byte == 0x7F || escapedASCII & (1 << UInt128(byte)) != 0 { return true }
                } else if byte == 0xC2 {
                    if i + 1 < count && bytes[i + 1] <= 0x9F { return true }   // C1 controls
                } else if byte == 0xE2 {
                    if i + 2 < count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) { return true }
                    if BidiControls.starts(bytes, at: i) { return true }
                } else if byte == 0xD8 {
                    if BidiControls.starts(bytes, at: i) { return true }
                } else if byte == 0xEF {
                    if i + 2 < count && bytes[i + 1] == 0xBF && bytes[i + 2] >= 0xBE { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// ``escape(_:)`` a character at a time.
    static func escapeScalars(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var lastWasSpace = true  // leading blanks are dropped: four would start a code block
        for scalar in text.unicodeScalars {
            let value = scalar.value
            // The general category Cc (C0, DEL and C1: exactly these code points, fixed by
            // Unicode's stability policy), told without looking up the character's properties.
            if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 {
                if !lastWasSpace { result += " " }
                lastWasSpace = true
                continue
            }
            if XMLText.isForbidden(scalar) { continue }
            if BidiControls.contains(scalar) {
                result += "\u{FFFD}"
                lastWasSpace = false
                continue
            }
            if scalar == " " && lastWasSpace && result.isEmpty { continue }
            lastWasSpace = scalar == " "
            if value < 0x80 && escapedASCII & (1 << UInt128(value)) != 0 { result += "\\" }
            result.unicodeScalars.append(scalar)
        }
        return neutralisingListMarker(result)
    }

    /// `1. x` → `1\. x`, `- x` → `\- x`, `+ x` → `\+ x`: a line that starts so is a list item.
    /// (A marker is one only when a space or the end follows it: `50.0` stays as it is.)
    static func neutralisingListMarker(_ text: String) -> String {
        // Most cells start with none of - + 0…9: told from the first byte.
        guard let lead = text.utf8.first, lead == UInt8(ascii: "-") || lead == UInt8(ascii: "+") || lead &- UInt8(ascii: "0") < 10
        else { return text }
        let scalars = text.unicodeScalars
        func endsMarker(_ index: String.UnicodeScalarView.Index) -> Bool {
            index == scalars.endIndex || scalars[index] == " " || scalars[index] == "\t"
        }
        guard let first = scalars.first else { return text }
        if first == "-" || first == "+" {
            return endsMarker(scalars.index(after: scalars.startIndex)) ? "\\" + text : text
        }
        let digits = scalars.prefix { ("0"..."9").contains($0) }
        guard !digits.isEmpty, digits.count <= 9 else { return text }
        let markerIndex = scalars.index(scalars.startIndex, offsetBy: digits.count)
        guard markerIndex < scalars.endIndex, scalars[markerIndex] == "." || scalars[markerIndex] == ")",
              endsMarker(scalars.index(after: markerIndex))
        else { return text }
        return String(String.UnicodeScalarView(digits)) + "\\" + String(String.UnicodeScalarView(scalars[markerIndex...]))
    }

    /// A path for a link or an image: characters that would end or confuse the link
    /// (spaces, brackets, `<`, `>`, `%` and controls) percent-encoded; Chinese stays as is.
    public static func path(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let encode = scalar.isASCII
                ? scalar.value < 0x21 || scalar.value == 0x7F || "()<>%[]\\\"'`".unicodeScalars.contains(scalar)
                : scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
            guard encode else {
                result.unicodeScalars.append(scalar)
                continue
            }
            for byte in String(scalar).utf8 {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    /// A column of a ``table(_:rows:)``.
    public struct Column: Hashable, Sendable {
        public var title: String
        /// Relative width: pandoc sizes the columns of a wide table by the dashes of the
        /// separator line, so a reasons column gets more room than a number.
        public var width: Int
        public var rightAligned: Bool

        public init(_ title: String, width: Int = 1, right: Bool = false) {
            self.title = title
            self.width = width
            self.rightAligned = right
        }
    }

    /// The width of a text page in half-width characters (a Chinese character is two):
    /// A4 portrait at 10.5 pt, as the Word report sets its tables; a table on a landscape
    /// page of the Word report (``WordPage/landscapeA4``) is set with that page's width.
    @TaskLocal static var pageCharacters = 84.0
    /// A column whose widest cell (or title) is at most this many half-width characters
    /// is given room for it: a status, a number, a date never wraps.
    static let shortColumn = 16
    /// A cell's margins in Word, in half-width characters (0.19 cm a side).
    static let cellPadding = 4

    /// The dashes of each column of the separator line, which pandoc turns into relative
    /// column widths when a table is wider than the page: a short column gets the share
    /// of the page its widest cell needs, the others share the rest by their ``Column/width``.
    static func separatorWidths(_ columns: [Column], rows: [[String]]) -> [Int] {
        // A title may wrap once it has four characters on a line; cells may not.
        let needs = columns.indices.map { c in
            rows.reduce(min(TextTable.displayWidth(columns[c].title), 8)) { widest, row in
                c < row.count ? max(widest, TextTable.displayWidth(row[c])) : widest
            }
        }
        let short = needs.map { $0 <= shortColumn }
        let shortShare = zip(needs, short).reduce(0.0) { $0 + ($1.1 ? Double($1.0 + cellPadding) / pageCharacters : 0) }
        let flexible = columns.indices.filter { !short[$0] }
        // The short columns take what they need, at most 60 % of the page (all of it when
        // every column is short), in proportion to their needs.
        let room = flexible.isEmpty ? 1.0 : 0.6
        let scale = shortShare > room ? room / shortShare : 1
        let rest = flexible.isEmpty ? 0 : 1 - shortShare * scale
        let weights = flexible.reduce(0) { $0 + columns[$1].width }
        return columns.indices.map { c in
            let share = short[c] ? Double(needs[c] + cellPadding) / pageCharacters * scale
                : rest * Double(columns[c].width) / Double(max(1, weights))
            return max(3, Int((share * 100).rounded()))
        }
    }

    /// A pipe table. Cells are escaped here, except in the columns of `markup` (whose
    /// cells are Markdown already, such as links); rows shorter than the columns are padded.
    public static func table(_ columns: [Column], rows: [[String]], markup: Set<Int> = []) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.joined(separator: " | ") + " |\n"
        }
        var out = line(columns.map { escape($0.title) })
        let dashes = separatorWidths(columns, rows: rows)
        out += "|" + columns.indices.map { c in
            let line = String(repeating: "-", count: dashes[c])
            return columns[c].rightAligned ? line + ":" : line
        }.joined(separator: "|") + "|\n"
        for row in rows {
            let cells = columns.indices.map { c in c < row.count ? (markup.contains(c) ? row[c] : escape(row[c])) : "" }
            out += line(cells.map { $0.isEmpty ? " " : $0 })
        }
        return out
    }
}
