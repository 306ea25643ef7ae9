import Foundation

/// A table of text — headers and rows of cells — written out as aligned terminal text,
/// as CSV for Excel, or as a Markdown table.
///
/// Cells may hold several lines (separated by `"\n"`): the terminal text stacks them in
/// the cell, CSV keeps them inside one quoted field, and Markdown joins them with "；".
public struct TextTable: Hashable, Sendable {
    /// How a column's cells are aligned in terminal text and Markdown.
    public enum Alignment: Hashable, Sendable {
        case left, right
    }

    /// The column headings.
    public var headers: [String]
    /// The rows; a row shorter than the headers is padded with empty cells.
    public var rows: [[String]]
    /// The alignment of each column; columns without one are left-aligned.
    public var alignments: [Alignment]

    public init(headers: [String], rows: [[String]] = [], alignments: [Alignment] = []) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
    }

    /// Adds a row.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// The number of columns: the longest of the header and the rows.
    public var columnCount: Int {
        rows.reduce(headers.count) { max($0, $1.count) }
    }

    func alignment(_ column: Int) -> Alignment {
        column < alignments.count ? alignments[column] : .left
    }

    func cell(_ row: [String], _ column: Int) -> String {
        column < row.count ? row[column] : ""
    }

    // MARK: Terminal text

    /// The table as text for a monospace terminal: columns padded to their display width
    /// (a CJK character takes 2 columns, see ``displayWidth(_:)``), separated by
    /// `separator`, with a rule of `-` under the headers; no trailing spaces.
    ///
    /// - Parameters:
    ///   - indent: spaces before every line.
    ///   - headerStyle: the style of the header cells, or nil for plain text.
    ///   - style: the style of a body cell (`row` indexes ``rows``), or nil for plain.
    ///     Styles wrap the text after padding, so escape codes never disturb alignment.
    ///   - width: the terminal's width, or nil for no limit (output to a pipe). A table
    ///     wider than this has its last column (the reasons) wrapped to fit, down to
    ///     ``minimumWrapWidth`` columns.
    public func text(
        indent: Int = 0, separator: String = "  ", headerStyle: TextStyle? = nil,
        width: Int? = nil, style: (_ row: Int, _ column: Int) -> TextStyle? = { _, _ in nil }
    ) -> String {
        let columns = columnCount
        guard columns > 0 else { return "" }
        let split: ([String]) -> [[String]] = { row in
            // Each line of a cell is shown with its control characters escaped: cells hold
            // text from lead exports, which must not drive the terminal.
            (0..<columns).map {
                let cell = self.cell(row, $0)
                // Most cells are one line of printable text: no line to split, nothing to escape.
                if !cell.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) { return [cell] }
                return cell.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                    .map { TerminalText.escape(String($0)) }
            }
        }
        let header = split(headers)
        var body = rows.map(split)
        var widths = Array(repeating: 0, count: columns)
        for row in [header] + body {
            for (c, lines) in row.enumerated() {
                widths[c] = lines.reduce(widths[c]) { max($0, TextTable.displayWidth($1)) }
            }
        }
        // Too wide for the terminal: wrap the last column.
        let total = indent + widths.reduce(0, +) + TextTable.displayWidth(separator) * (columns - 1)
        if let width, total > width {
            let room = max(Self.minimumWrapWidth, widths[columns - 1] - (total - width))
            if room < widths[columns - 1] {
                for r in body.indices {
                    body[r][columns - 1] = body[r][columns - 1].flatMap { TextTable.wrap($0, to: room) }
                }
                widths[columns - 1] = ([header] + body).reduce(0) { widest, row in
                    row[columns - 1].reduce(widest) { max($0, TextTable.displayWidth($1)) }
                }
            }
        }
        let margin = String(repeating: " ", count: indent)
        let spaces = String(repeating: " ", count: (widths.max() ?? 0) + 1)
        var out = ""
        out.reserveCapacity((body.count + 2) * (indent + widths.reduce(0, +) + separator.utf8.count * columns + 1) * 2)
        // Written straight into `out`, line by line, each line's trailing spaces dropped.
        func emit(_ row: [[String]], _ styleOf: (Int) -> TextStyle?) {
            let height = row.map(\.count).max() ?? 1
            for l in 0..<height {
                out += margin
                for c in 0..<columns {
                    let text = l < row[c].count ? row[c][l] : ""
                    let padding = spaces.prefix(widths[c] - TextTable.displayWidth(text))
                    let styled = text.isEmpty ? text : (styleOf(c)?.apply(to: text) ?? text)
                    let last = c == columns - 1
                    switch alignment(c) {
                    case .left:
                        out += styled
                        if !last { out += padding }
                    case .right:
                        out += padding
                        out += styled
                    }
                    if !last { out += separator }
                }
                while out.utf8.last == UInt8(ascii: " ") { out.removeLast() }
                out += "\n"
            }
        }
        emit(header) { _ in headerStyle }
        let ruleWidth = widths.reduce(0, +) + TextTable.displayWidth(separator) * (columns - 1)
        out += margin + String(repeating: "-", count: ruleWidth) + "\n"
        for (r, row) in body.enumerated() {
            emit(row) { style(r, $0) }
        }
        return out
    }

    /// The narrowest a wrapped column gets, in terminal columns.
    public static let minimumWrapWidth = 20

    /// A paragraph fitted to a terminal's width (each line wrapped as ``wrap(_:to:)``
    /// does); unchanged when `width` is nil (output to a pipe).
    /// Control characters are escaped (``TerminalText``).
    public static func paragraph(_ text: String, width: Int?) -> String {
        let text = TerminalText.escape(text, keepingLineBreaks: true)
        guard let width else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { wrap(String($0), to: max(minimumWrapWidth, width)) }
            .joined(separator: "\n")
    }

    /// A line cut into lines of at most `width` terminal columns, preferably after
    /// punctuation or a space; a CJK character never splits.
    static func wrap(_ line: String, to width: Int) -> [String] {
        guard displayWidth(line) > width else { return [line] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        var lastBreak: String.Index?
        for character in line {
            let w = displayWidth(of: character)
            if currentWidth + w > width, !current.isEmpty {
                if let cut = lastBreak, cut > current.startIndex {
                    lines.append(String(current[..<cut]))
                    current = String(current[cut...])
                } else {
                    lines.append(current)
                    current = ""
                }
                currentWidth = displayWidth(current)
                lastBreak = nil
            }
            current.append(character)
            currentWidth += w
            if "，。；、：）) ,;".contains(character) { lastBreak = current.endIndex }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { String($0.drop { $0 == " " }) }
    }

    // MARK: CSV

    /// The table as CSV, written by ``CSVText``: every record has the same number of
    /// fields. With `byteOrderMark` (the default) the text starts with U+FEFF, so that
    /// Excel opens the UTF-8 file with Chinese text intact.
    public func csv(byteOrderMark: Bool = true) -> String {
        let columns = columnCount
        var out = byteOrderMark ? CSVText.byteOrderMark : ""
        for row in [headers] + rows {
            out += CSVText.record((0..<columns).map { cell(row, $0) })
        }
        return out
    }

    // MARK: Markdown

    /// The table as a pipe table, every cell escaped by ``MarkdownText/escape(_:)``;
    /// the lines of a cell are joined by "；" (a Markdown table cell holds one line, and
    /// pasted plans must carry no HTML); right-aligned columns are marked `---:`.
    public func markdown() -> String {
        let columns = columnCount
        guard columns > 0 else { return "" }
        // The one Markdown table writer: the lines of a cell joined by "；" first.
        return MarkdownText.table(
            (0..<columns).map { MarkdownText.Column(TextTable.joinedLines(cell(headers, $0)), right: alignment($0) == .right) },
            rows: rows.map { row in (0..<columns).map { TextTable.joinedLines(cell(row, $0)) } })
    }

    /// A cell's lines joined by "；" (a Markdown table cell holds one line).
    static func joinedLines(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).joined(separator: "；")
    }

    // MARK: Display width

    /// The number of terminal columns the text takes: 2 for East Asian wide and fullwidth
    /// characters (汉字, 全角标点, Hangul, kana, most emoji), 0 for combining marks and
    /// format characters, 1 otherwise.
    public static func displayWidth(_ text: String) -> Int {
        // Fast path: printable ASCII and the common CJK blocks, each scalar a character of
        // its own, need neither grapheme breaking nor Unicode property lookups.
        var width = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x20..<0x7F: width += 1
            case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3000...0x303E, 0xFF01...0xFF60: width += 2
            default: return text.reduce(0) { $0 + displayWidth(of: $1) }
            }
        }
        return width
    }

    static func displayWidth(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains("\u{FE0F}") && first.properties.isEmoji { return 2 }
        // A cluster is as wide as its widest scalar (a base and its combining marks).
        return scalars.reduce(0) { max($0, displayWidth(of: $1)) }
    }

    static func displayWidth(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks of Unicode's EastAsianWidth.txt.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

/// A terminal text style: ANSI SGR codes, such as bold or red.
public struct TextStyle: Hashable, Sendable {
    /// The SGR parameters, e.g. `[1, 31]` for bold red.
    public var codes: [Int]

    public init(codes: [Int]) {
        self.codes = codes
    }

    public static let bold = TextStyle(codes: [1])
    public static let dim = TextStyle(codes: [2])
    public static let red = TextStyle(codes: [31])
    public static let green = TextStyle(codes: [32])
    public static let yellow = TextStyle(codes: [33])
    public static let blue = TextStyle(codes: [34])
    public static let magenta = TextStyle(codes: [35])
    public static let cyan = TextStyle(codes: [36])
    public static let grey = TextStyle(codes: [90])

    /// Both styles at once.
    public func and(_ other: TextStyle) -> TextStyle {
        TextStyle(codes: codes + other.codes)
    }

    /// The text wrapped in this style's escape codes and a reset.
    /// The text's own control characters are escaped (``TerminalText``), so that the
    /// only escape sequences in styled output are the style's.
    public func apply(to text: String) -> String {
        "\u{1B}[" + codes.map(String.init).joined(separator: ";") + "m" + TerminalText.escape(text, keepingLineBreaks: true)
            + "\u{1B}[0m"
    }
}
