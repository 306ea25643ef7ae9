import CDeferred
import Foundation

/// One sheet of a workbook: typed columns and rows of cells.
public struct XLSXSheet: Sendable {
    /// What a column holds, which decides its cells' type and look.
    public enum Kind: Sendable, Hashable {
        /// Text, written as a text cell (never a formula), on one line.
        case text
        /// Text wrapped in its cell (reasons, scopes).
        case wrapped
        /// Codes that must stay text: credit codes, phone numbers, GB/T codes.
        case code
        /// A number shown with this many decimals; an empty cell stays empty.
        case number(decimals: Int)
    }

    public struct Column: Sendable {
        public var title: String
        public var kind: Kind
        public init(_ title: String, _ kind: Kind = .text) {
            self.title = title
            self.kind = kind
        }
    }

    /// The sheet's name as Excel shows it on its tab (made valid when written).
    public var name: String
    public var columns: [Column]
    /// The cells, row by row, as text; a number column's text is read as a number
    /// (`NumberText` wrote it), and written as text when it is not one.
    public var rows: [[String]]

    public init(_ name: String, columns: [Column], rows: [[String]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// Writes workbooks with libxlsxwriter (never by hand): a frozen bold header row, an
/// autofilter, column widths that fit Chinese text, wrapped reasons, and typed cells —
/// codes as text, amounts, priorities and scores as numbers. A cell that starts with
/// `=`, `+`, `-` or `@` is written as text, never as a formula. The bytes are the same
/// for the same sheets: the document's timestamps are fixed.
public enum XLSXWriter {
    /// The most characters Excel keeps in one cell, counted in UTF-16 code units as Excel
    /// counts them (a character outside the Basic Multilingual Plane, an emoji say, is
    /// two; a combining accent one of its own).
    public static let maxCellCharacters = 32_767

    /// The workbook of `sheets`, as bytes.
    public static func bytes(_ sheets: [XLSXSheet]) throws(DiagnosticError) -> [UInt8] {
        // Loaded now, not at every start.
        if let problem = DeferredLibrary.xlsxwriter.load() { throw DiagnosticError(.error(.output, problem)) }
        // libxlsxwriter writes to a file: a private scratch directory, read back and removed.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("chainmap-xlsx-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(.error(.output, "cannot make a scratch directory for the workbook: \(error.localizedDescription)"))
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("book.xlsx").path
        var failedCell = ""
        let status: lxw_error = path.withCString { file in
            scratch.path.withCString { tmp in
                // Zeroed, then set field by field: later libxlsxwriter releases add fields
                // (output buffers), which the memberwise form would have to name.
                var options = lxw_workbook_options()
                options.tmpdir = UnsafeMutablePointer(mutating: tmp)
                guard let workbook = chainmap_workbook_new_opt()(file, &options) else { return LXW_ERROR_CREATING_XLSX_FILE }
                var properties = lxw_doc_properties()
                properties.created = 946_684_800  // 2000-01-01: fixed, so the bytes are
                "chainmap".withCString { creator in
                    properties.author = UnsafeMutablePointer(mutating: creator)
                    chainmap_workbook_set_properties()(workbook, &properties)
                }
                let formats = Formats(workbook)
                var used = Set<String>()
                // A cell or sheet libxlsxwriter refuses fails the workbook: none is left out.
                var failure = LXW_NO_ERROR
                for sheet in sheets where failure == LXW_NO_ERROR {
                    let name = sheetName(sheet.name, used: &used)
                    guard let worksheet = name.withCString({ chainmap_workbook_add_worksheet()(workbook, $0) }) else {
                        failure = LXW_ERROR_PARAMETER_VALIDATION
                        failedCell = "sheet '\(name)'"
                        break
                    }
                    if let (error, cell) = write(sheet, to: worksheet, formats: formats) {
                        failure = error
                        failedCell = "\(name)!\(cell)"
                    }
                }
                let closed = chainmap_workbook_close()(workbook)
                return failure == LXW_NO_ERROR ? closed : failure
            }
        }
        guard status == LXW_NO_ERROR else {
            let at = failedCell.isEmpty ? "" : " (\(TerminalText.escape(failedCell)))"
            throw DiagnosticError(.error(.output, "libxlsxwriter could not write the workbook\(at): \(chainmap_lxw_strerror()(status).map { String(cString: $0) } ?? "error \(status.rawValue)")"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(.error(.output, "cannot read back the workbook libxlsxwriter wrote"))
        }
        return Array(data)
    }

    /// The formats, made once per workbook.
    struct Formats {
        let header: UnsafeMutablePointer<lxw_format>
        let text: UnsafeMutablePointer<lxw_format>
        let wrapped: UnsafeMutablePointer<lxw_format>
        let numbers: [UnsafeMutablePointer<lxw_format>]

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            header = chainmap_workbook_add_format()(workbook)!
            chainmap_format_set_bold()(header)
            chainmap_format_set_bg_color()(header, 0xE8EEF4)
            chainmap_format_set_bottom()(header, UInt8(LXW_BORDER_THIN.rawValue))
            chainmap_format_set_text_wrap()(header)
            chainmap_format_set_align()(header, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
            text = chainmap_workbook_add_format()(workbook)!
            chainmap_format_set_num_format()(text, "@")
            chainmap_format_set_align()(text, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
            wrapped = chainmap_workbook_add_format()(workbook)!
            chainmap_format_set_num_format()(wrapped, "@")
            chainmap_format_set_text_wrap()(wrapped)
            chainmap_format_set_align()(wrapped, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
            numbers = (0...4).map { decimals in
                let format = chainmap_workbook_add_format()(workbook)!
                // Up to two decimals always shown; more only where the value has them
                // (注册资本 2.00 and 0.3456 亿元, not 2.0000).
                chainmap_format_set_num_format()(format, decimals == 0 ? "0" : "0." + String(repeating: "0", count: min(decimals, 2)) + String(repeating: "#", count: max(0, decimals - 2)))
                chainmap_format_set_align()(format, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
                return format
            }
        }

        func cell(_ kind: XLSXSheet.Kind) -> UnsafeMutablePointer<lxw_format> {
            switch kind {
            case .text, .code: text
            case .wrapped: wrapped
            case .number(let decimals): numbers[min(max(decimals, 0), numbers.count - 1)]
            }
        }
    }

    /// Writes the sheet's cells; the first that libxlsxwriter refuses, with its reference
    /// (A1), stops it.
    static func write(_ sheet: XLSXSheet, to worksheet: UnsafeMutablePointer<lxw_worksheet>, formats: Formats) -> (lxw_error, String)? {
        let columns = sheet.columns
        for (c, column) in columns.enumerated() {
            let error = cellText(column.title).withCString { chainmap_worksheet_write_string()(worksheet, 0, UInt16(c), $0, formats.header) }
            if error != LXW_NO_ERROR { return (error, "\(FileLocation.columnName(c + 1))1") }
        }
        for (r, row) in sheet.rows.enumerated() {
            let rowIndex = UInt32(r + 1)
            for (c, value) in row.enumerated() where c < columns.count && !value.isEmpty {
                let kind = columns[c].kind
                let error = if case .number = kind, let number = Double(value), number.isFinite {
                    chainmap_worksheet_write_number()(worksheet, rowIndex, UInt16(c), number, formats.cell(kind))
                } else {
                    cellText(value).withCString { chainmap_worksheet_write_string()(worksheet, rowIndex, UInt16(c), $0, formats.cell(kind)) }
                }
                if error != LXW_NO_ERROR { return (error, "\(FileLocation.columnName(c + 1))\(r + 2)") }
            }
        }
        // Widths from the widest cell (a Chinese character counts two), within bounds;
        // wrapped columns get room for a sentence.
        var widths: [Int] = []
        for (c, column) in columns.enumerated() {
            var widest = TextTable.displayWidth(column.title)
            for row in sheet.rows.prefix(2_000) where c < row.count {
                widest = max(widest, row[c].split(whereSeparator: \.isNewline).map { TextTable.displayWidth(String($0)) }.max() ?? 0)
            }
            let width = switch column.kind {
            case .wrapped: min(max(widest, 20), 60)
            case .number: min(max(widest, 4), 14)
            case .text, .code: min(max(widest, 6), 40)
            }
            widths.append(width + 2)
            chainmap_worksheet_set_column()(worksheet, UInt16(c), UInt16(c), Double(width + 2), nil)
        }
        // Row heights: neither Excel nor LibreOffice grows a row for wrapped text that a
        // program wrote, so each row is as tall as its longest wrapped cell needs.
        let lineHeight = 15.0
        let header = columns.indices.map { c in (TextTable.displayWidth(columns[c].title) + widths[c] - 3) / max(1, widths[c] - 2) }.max() ?? 1
        if header > 1 { chainmap_worksheet_set_row()(worksheet, 0, lineHeight * Double(header), nil) }
        for (r, row) in sheet.rows.enumerated() {
            var lines = 1
            for (c, value) in row.enumerated() where c < columns.count && columns[c].kind == .wrapped && !value.isEmpty {
                let room = max(1, widths[c] - 2)
                let needed = value.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
                    // A CJK character takes about 1.6 units of width in Excel's default font.
                    .reduce(0) { $0 + max(1, (TextTable.displayWidth(String($1)) * 4 / 5 + room - 1) / room) }
                lines = max(lines, needed)
            }
            if lines > 1 { chainmap_worksheet_set_row()(worksheet, UInt32(r + 1), lineHeight * Double(min(lines, 27)), nil) }
        }
        chainmap_worksheet_freeze_panes()(worksheet, 1, 0)
        // Printed as a bureau hands a list out: landscape, the header row on every page,
        // page numbers in the footer, and text no smaller than about 70 %.
        let page = printLayout(totalWidth: widths.reduce(0, +), columns: columns.count)
        chainmap_worksheet_set_landscape()(worksheet)
        chainmap_worksheet_set_paper()(worksheet, page.paper)
        chainmap_worksheet_fit_to_pages()(worksheet, page.pagesWide, 0)
        chainmap_worksheet_repeat_rows()(worksheet, 0, 0)
        if page.pagesWide > 1 { chainmap_worksheet_repeat_columns()(worksheet, 0, 1) }
        chainmap_worksheet_set_margins()(worksheet, 0.4, 0.4, 0.6, 0.6)
        chainmap_worksheet_set_footer()(worksheet, "&C&P / &N")
        if !columns.isEmpty {
            chainmap_worksheet_autofilter()(worksheet, 0, 0, UInt32(max(sheet.rows.count, 1)), UInt16(columns.count - 1))
        }
        return nil
    }

    /// The paper and the pages across a sheet is printed on, from the sum of its column
    /// widths (in Excel's character units, about 5.25 pt each at 100 %): A4 landscape
    /// holds about 150 units, A3 landscape about 215. A sheet is scaled to fit the pages
    /// across, but never below about 70 %: wider sheets go on A3, then on several pages
    /// across, each repeating the first two columns (rank and name).
    static func printLayout(totalWidth: Int, columns: Int) -> (paper: UInt8, pagesWide: UInt16) {
        let a4 = 210, a3 = 300  // the most units at 70 %
        if totalWidth <= a4 { return (9, 1) }
        if totalWidth <= a3 || columns < 3 { return (8, 1) }
        return (8, UInt16(min(20, (totalWidth + a3 - 1) / a3)))
    }

    /// Text as a cell may hold it: characters XML forbids replaced, at most
    /// ``maxCellCharacters`` UTF-16 units (the rest cut between characters, and the cut
    /// said). Counted as characters, 20,000 accented letters of two code points each
    /// were refused by libxlsxwriter, and 6,000 emoji families passed Excel's limit.
    static func cellText(_ text: String) -> String {
        let clean = XMLText.replacingForbidden(text)
        guard clean.utf16.count > maxCellCharacters else { return clean }
        let note = "…（截断，原文共 \(clean.count) 字）"
        let room = maxCellCharacters - note.utf16.count
        var end = clean.startIndex
        var units = 0
        for character in clean {
            let width = character.utf16.count
            guard units + width <= room else { break }
            units += width
            end = clean.index(after: end)
        }
        return String(clean[..<end]) + note
    }

    /// A valid, unique sheet name: at most 31 characters, none of `[ ] : * ? / \`, not
    /// starting or ending with `'`; a repeat gets " (2)".
    static func sheetName(_ name: String, used: inout Set<String>) -> String {
        var clean = String(XMLText.replacingForbidden(name).map { "[]:*?/\\".contains($0) ? "_" : $0 })
        clean = clean.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        if clean.isEmpty { clean = "Sheet" }
        clean = String(clean.prefix(31))
        var candidate = clean
        var n = 2
        while used.contains(candidate.lowercased()) {
            let suffix = " (\(n))"
            candidate = String(clean.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}
