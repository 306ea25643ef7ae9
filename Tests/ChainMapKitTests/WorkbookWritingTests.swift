@testable import ChainMapKit
import Foundation
import Testing

/// Issue 15: the workbooks chainmap writes (libxlsxwriter), read back by the project's
/// own reader and by Python's openpyxl, where the machine has it (CI installs
/// python3-openpyxl).
@Suite("Writing .xlsx workbooks")
struct WorkbookWritingTests {
    /// A lead file with a formula-looking name, a "-" cell, a phone number and a credit
    /// code, screened against the lead fixture chain.
    static func screening() throws -> LeadScreening {
        let csv = """
            企业名称,经营范围,注册资本,统一社会信用代码,联系电话,标签,所属省份
            甲电解液材料股份有限公司,锂电池电解液、六氟磷酸锂,5000万元,91440300MA5XXXXXX1,+86 0755-12345678,上市公司,广东省
            "=HYPERLINK(""http://x.example/"",""点此"")",电解液,1.2亿,-,-,-,浙江省
            @SUM(A1:A9) 隔膜有限公司,湿法隔膜、涂覆隔膜,-3.5,0012,0755-1,专精特新,江苏省

            """
        let file = try LeadFixtures.temporaryFile("leads.csv", csv)
        return try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
    }

    static func write(_ sheets: [XLSXSheet]) throws -> String {
        let bytes = try XLSXWriter.bytes(sheets)
        return try LeadFixtures.temporaryFile("book.xlsx", bytes)
    }

    /// Every row of a sheet, read by chainmap's own reader (blank cells filled in).
    final class Rows: SheetRowSink {
        var rows: [[String]] = []
        var numeric: [[Bool]] = []
        func row(number: Int, bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<CSVScanner.Field>, numeric flags: UnsafeBufferPointer<Bool>) throws(WorkbookProblem) {
            rows.append(fields.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self) })
            numeric.append(Array(flags))
        }
    }

    static func readBack(_ path: String) throws -> [(name: String, rows: Rows)] {
        let workbook = try Workbook(path: path)
        return try workbook.sheets.map { sheet in
            let rows = Rows()
            try workbook.rows(of: sheet, progress: nil, into: rows)
            return (sheet.name, rows)
        }
    }

    @Test("the lead list reads back cell for cell; numbers are numbers, codes and formula-looking text are text")
    func leadListReadsBack() throws {
        let screening = try Self.screening()
        let sheets = LeadReport.workbook(screening, limit: nil, perGap: 3)
        let book = try Self.readBack(try Self.write(sheets))
        #expect(book.map(\.name) == ["招商目标企业名录", "分环节推荐"])
        let list = book[0].rows
        #expect(list.rows[0] == sheets[0].columns.map(\.title))
        #expect(list.rows.count == sheets[0].rows.count + 1)
        let header = sheets[0].columns.map(\.title)
        for (written, read) in zip(sheets[0].rows, list.rows.dropFirst()) {
            for (c, column) in sheets[0].columns.enumerated() {
                let value = c < read.count ? read[c] : ""
                if case .number = column.kind, let number = Double(written[c]) {
                    #expect(Double(value) == number, "\(header[c])")
                } else {
                    #expect(value == written[c], "\(header[c])")
                }
            }
        }
        let score = try #require(header.firstIndex(of: "得分"))
        let capital = try #require(header.firstIndex(of: "注册资本(亿元)"))
        let code = try #require(header.firstIndex(of: "统一社会信用代码"))
        let name = try #require(header.firstIndex(of: "企业名称"))
        for (r, row) in list.rows.enumerated().dropFirst() {
            #expect(list.numeric[r][score], "row \(r): the score is a number")
            #expect(!list.numeric[r][code], "row \(r): the credit code is text")
            #expect(!list.numeric[r][name])
            if !row[capital].isEmpty { #expect(list.numeric[r][capital]) }
        }
        let names = list.rows.dropFirst().map { $0[name] }
        #expect(names.contains("=HYPERLINK(\"http://x.example/\",\"点此\")"))
        #expect(names.contains("@SUM(A1:A9) 隔膜有限公司"))
        // The code 0012 keeps its zeros; "-" stays "-" with no apostrophe.
        #expect(list.rows.dropFirst().map { $0[code] }.sorted() == ["-", "0012", "91440300MA5XXXXXX1"])
    }

    @Test("the same sheets give the same bytes")
    func deterministic() throws {
        let screening = try Self.screening()
        let a = try XLSXWriter.bytes(LeadReport.workbook(screening, limit: nil, perGap: 3))
        let b = try XLSXWriter.bytes(LeadReport.workbook(screening, limit: nil, perGap: 3))
        #expect(a == b)
        #expect(a.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    }

    @Test("sheet names are made valid and unique; a cell beyond Excel's 32,767 characters is cut and says so")
    func namesAndLimits() throws {
        var used = Set<String>()
        #expect(XLSXWriter.sheetName("电池/材料[上游]:*?", used: &used) == "电池_材料_上游____")
        #expect(XLSXWriter.sheetName("电池/材料[上游]:*?", used: &used) == "电池_材料_上游____ (2)")
        #expect(XLSXWriter.sheetName("'引号'", used: &used) == "引号")
        #expect(XLSXWriter.sheetName(String(repeating: "长", count: 40), used: &used).count == 31)
        #expect(XLSXWriter.sheetName("", used: &used) == "Sheet")
        let long = String(repeating: "经", count: 40_000)
        let cut = XLSXWriter.cellText(long)
        #expect(cut.count == XLSXWriter.maxCellCharacters)
        #expect(cut.hasSuffix("…（截断，原文共 40000 字）"))
        #expect(XLSXWriter.cellText("甲\u{FFFE}乙\u{1}") == "甲\u{FFFD}乙\u{FFFD}")
        let book = try Self.readBack(try Self.write([XLSXSheet("长", columns: [.init("说明", .wrapped)], rows: [[long]])]))
        #expect(book[0].rows.rows[1][0] == cut)
        // Found by review: counted as characters, accented letters of two code points were
        // refused by libxlsxwriter (the cell left out) and emoji passed Excel's limit of
        // 32,767 UTF-16 units. Cut between characters, and every cell written.
        let accents = String(repeating: "e\u{301}", count: 20_000)
        let emoji = String(repeating: "👨‍👩‍👧", count: 6_000)
        for text in [accents, emoji] {
            let cut = XLSXWriter.cellText(text)
            #expect(cut.utf16.count <= XLSXWriter.maxCellCharacters && cut.utf16.count > XLSXWriter.maxCellCharacters - 20)
            #expect(cut.hasSuffix("…（截断，原文共 \(text.count) 字）"))
            #expect(text.hasPrefix(cut.prefix(cut.count - 1 - "…（截断，原文共 \(text.count) 字）".count)))
        }
        let written = try Self.readBack(try Self.write([XLSXSheet("组合", columns: [.init("名称", .text), .init("备注", .wrapped)], rows: [
            ["组合公司", accents], ["表情公司", emoji],
        ])]))
        #expect(written[0].rows.rows[1] == ["组合公司", XLSXWriter.cellText(accents)])
        #expect(written[0].rows.rows[2] == ["表情公司", XLSXWriter.cellText(emoji)])
    }

    @Test("print layout: A4 landscape up to about 210 width units, A3 up to 300, then pages across")
    func printLayout() {
        #expect(XLSXWriter.printLayout(totalWidth: 120, columns: 6) == (9, 1))
        #expect(XLSXWriter.printLayout(totalWidth: 250, columns: 12) == (8, 1))
        #expect(XLSXWriter.printLayout(totalWidth: 350, columns: 22) == (8, 2))
        #expect(XLSXWriter.printLayout(totalWidth: 400, columns: 2) == (8, 1))
    }

    @Test("CSV: a lone '-', '--' and '-3.5' are data; '=', '+', '-' and '@' formulas get the apostrophe, after a second sign or a space too")
    func csvFormulaGuard() {
        for data in ["-", "-3.5", "+86", "--", "- -", "@", "3-5", "普通名称"] {
            #expect(!CSVText.looksLikeFormula(data), "\(data)")
            #expect(!CSVText.field(data).hasPrefix("'"), "\(data)")
        }
        // Found by review: a second sign or a space after the first let these through.
        let bypasses = ["--2+3+cmd|' /C calc'!A0", "- 1+HYPERLINK(\"http://evil/\",\"x\")", "+ 1+2", "++A1", "-- 无 --", "@@SUM(A1)", "- 3"]
        for formula in ["=1+2", "-1+2", "+A1", "@SUM(A1)", "=HYPERLINK(\"x\")", "\tcmd", "-2+3+cmd|' /C calc'!A0"] + bypasses {
            #expect(CSVText.looksLikeFormula(formula), "\(formula)")
            #expect(CSVText.field(formula).hasPrefix("'") || CSVText.field(formula).hasPrefix("\"'"), "\(formula)")
        }
    }

    static let python = "/usr/bin/python3"
    static let hasOpenpyxl: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import openpyxl"]
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test("openpyxl reads the workbook: typed cells, the frozen header, the autofilter, a formula-looking name as text",
          .enabled(if: hasOpenpyxl, "needs /usr/bin/python3 with openpyxl (Debian python3-openpyxl)"))
    func openpyxlReadsIt() throws {
        let path = try Self.write(LeadReport.workbook(try Self.screening(), limit: nil, perGap: 3))
        let script = """
            import json, sys, openpyxl
            book = openpyxl.load_workbook(sys.argv[1])
            out = {}
            for sheet in book.worksheets:
                header = [c.value for c in sheet[1]]
                rows = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows(min_row=2)]
                out[sheet.title] = {
                    "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref,
                    "bold": all(c.font.b for c in sheet[1]), "header": header,
                    "types": {h: sorted({t for r in rows for (v, t) in [r[i]] if v is not None}) for i, h in enumerate(header)},
                    "values": {h: [r[i][0] for r in rows] for i, h in enumerate(header)},
                    "landscape": sheet.page_setup.orientation,
                    "paper": int(sheet.page_setup.paperSize or 0), "titleColumns": sheet.print_title_cols,
                    "pagesWide": sheet.page_setup.fitToWidth,
                }
            print(json.dumps(out, ensure_ascii=False))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = ["-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let book = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        let list = try #require(book["招商目标企业名录"])
        #expect(list["freeze"] as? String == "A2")
        #expect((list["filter"] as? String)?.hasPrefix("A1:") == true)
        #expect(list["bold"] as? Bool == true)
        #expect(list["landscape"] as? String == "landscape")
        // The wide list prints on A3, two pages across, each with rank and name.
        #expect(list["paper"] as? Int == 8)
        #expect(list["pagesWide"] as? Int == 2)
        #expect(list["titleColumns"] as? String == "$A:$B")
        let perGap = try #require(book["分环节推荐"])
        #expect(perGap["paper"] as? Int == 9)
        #expect((perGap["pagesWide"] as? Int ?? 1) == 1)  // 1 is the default, not written
        let types = try #require(list["types"] as? [String: [String]])
        #expect(types["得分"] == ["n"])
        #expect(types["注册资本(亿元)"] == ["n"])
        #expect(types["统一社会信用代码"] == ["s"])
        #expect(types["电话"] == ["s"])
        #expect(types["企业名称"] == ["s"])  // never "f": no cell is a formula
        for (_, sheetTypes) in book.compactMapValues({ $0["types"] as? [String: [String]] }) {
            #expect(!sheetTypes.values.contains { $0.contains("f") })
        }
        let names = try #require((list["values"] as? [String: [Any]])?["企业名称"] as? [String])
        #expect(names.contains("=HYPERLINK(\"http://x.example/\",\"点此\")"))
        let phones = try #require((list["values"] as? [String: [Any]])?["电话"])
        #expect(phones.compactMap { $0 as? String }.contains("+86 0755-12345678"))
    }
}
