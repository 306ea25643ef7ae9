@testable import ChainMapKit
import Foundation
import Testing
import ZIPFoundation

/// Issue 15: .xlsx lead files, read through the same checks as CSV. The fixtures
/// (Fixtures/xlsx, made by .ci/gen-xlsx-fixtures) come from three writers: openpyxl
/// (shared strings, a merged title, a note sheet first, a number-typed credit code, a
/// date, an empty-cell gap, footers), libxlsxwriter in constant-memory mode (inline
/// strings, 天眼查's header words) and LibreOffice (jiangjin/qcc.csv converted).
@Suite("Reading .xlsx lead files")
struct WorkbookReadingTests {
    static func fixture(_ name: String) throws -> String {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent(name).path
    }

    static func motorcycle() throws -> Chain {
        let result = ChainLoader().load(path: try fixture("jiangjin/motorcycle.yaml"))
        return try #require(result.chain, "\(result.diagnostics)")
    }

    static func screen(_ files: [String], sheet: String? = nil, chain: Chain? = nil) throws -> LeadScreening {
        var reading = ReadingOptions()
        reading.sheet = sheet
        return try LeadFixtures.screen(try chain ?? motorcycle(), files: files, reading: reading)
    }

    /// Diagnostics as the terminal shows them, the fixture directory cut off.
    static func lines(_ diagnostics: [Diagnostic]) throws -> [String] {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).path + "/"
        return diagnostics.map { $0.description.replacingOccurrences(of: root, with: "") }
    }

    @Test("openpyxl: the note sheet is passed over, the merged title and footers skipped, each located at SHEET!CELL")
    func openpyxlExport() throws {
        let screening = try Self.screen([try Self.fixture("xlsx/qcc-openpyxl.xlsx")])
        #expect(try Self.lines(screening.diagnostics) == [
            "xlsx/qcc-openpyxl.xlsx:企业列表!A2: warning: the header row is row 2; the rows above it are not data and were skipped",
            "xlsx/qcc-openpyxl.xlsx:企业列表!A10: warning: '共 6 条' is a footer of the export, not data; it was skipped (2 rows like this; the first is here)",
            "xlsx/qcc-openpyxl.xlsx:企业列表!I4: warning: a code stored as a number (Excel shows it as 9.15E+17 and has lost its last digits): the code is damaged; export the column as text (1 cell(s) like this; the first is here)",
        ])
        let source = screening.sources[0]
        #expect(source.format == "XLSX，工作表 企业列表")
        #expect(source.counts.rows == 6)
        #expect(source.counts.footers == 2)
        #expect(source.counts.blank == 0)  // openpyxl writes no element for the empty row
        #expect(source.header.prefix(3) == ["企业名称", "登记状态", "所属省份"])
        // The row with an empty 国标行业 cell (skipped in the XML) keeps its later columns.
        let ecu = try #require(screening.recommendation("深圳某电控有限公司"))
        #expect(ecu.lead.code == nil)
        #expect(ecu.lead.scope == "电控燃油喷射系统研发")
        #expect(ecu.lead.location.description.hasSuffix("qcc-openpyxl.xlsx:企业列表!A6"))
        // A date stored as a serial number reads as a date; the credit code as text.
        let frame = try #require(screening.recommendation("重庆某车架有限公司"))
        #expect(frame.lead.extra.first { $0.name == "成立日期" }?.value == "2015-03-02")
        #expect(frame.lead.extra.first { $0.name == "统一社会信用代码" }?.value == "91500000MA5U000001")
        #expect(frame.lead.capital == 0.5)
        // The number-typed code is kept as Excel wrote it, and flagged above.
        let crank = try #require(screening.recommendation("浙江某曲轴有限公司"))
        #expect(crank.lead.extra.first { $0.name == "统一社会信用代码" }?.value == "9.15E+17")
        #expect(screening.names == ["浙江某曲轴有限公司", "联合汽车电子有限公司", "重庆某车架有限公司", "深圳某电控有限公司", "雅迪科技集团有限公司"])
    }

    @Test("libxlsxwriter: inline strings and 天眼查's column words (公司名称, 公司类型, 成立时间, 注册资本(万元))")
    func inlineStringsAndSynonyms() throws {
        let screening = try Self.screen([try Self.fixture("xlsx/tyc-libxlsxwriter.xlsx")])
        #expect(screening.diagnostics.isEmpty, "\(screening.diagnostics)")
        #expect(screening.sources[0].counts.rows == 2)
        let ecu = try #require(screening.recommendation("某某电喷科技有限公司"))
        #expect(ecu.lead.capital == 0.3)
        #expect(ecu.lead.city == "苏州市")
        #expect(ecu.lead.tags == ["高新技术企业"])
        // 公司类型 and 成立时间 pass through under the one set of names both exporters share.
        #expect(ecu.lead.extra.map(\.name) == ["企业类型", "成立日期", "统一社会信用代码"])
        #expect(ecu.lead.extra.map(\.value) == ["有限责任公司", "2012-02-02", "91320500MA1N000006"])
        #expect(ecu.lead.location.description.hasSuffix("tyc-libxlsxwriter.xlsx:Sheet1!A3"))
    }

    @Test("the same rows rank the same from LibreOffice's .xlsx as from the CSV it was made from")
    func xlsxRankingEqualsCSV() throws {
        let csv = try Self.screen([try Self.fixture("jiangjin/qcc.csv")])
        let xlsx = try Self.screen([try Self.fixture("xlsx/libreoffice.xlsx")])
        func ranking(_ screening: LeadScreening) -> [String] {
            screening.recommendations.map { "\($0.lead.name) \($0.score) \($0.lead.tags) \($0.lead.capital ?? -1) \($0.reasons)" }
        }
        #expect(ranking(xlsx) == ranking(csv))
        #expect(ranking(xlsx).count == 5)
        #expect(xlsx.sources[0].counts.rows == csv.sources[0].counts.rows)
        #expect(xlsx.sources[0].counts == csv.sources[0].counts)
    }

    @Test("both exporters' files merge into one lead table with one set of columns")
    func bothExportersMerge() throws {
        let screening = try Self.screen([try Self.fixture("xlsx/qcc-openpyxl.xlsx"), try Self.fixture("xlsx/tyc-libxlsxwriter.xlsx")])
        let a = try #require(screening.recommendation("某某电喷科技有限公司"))
        let b = try #require(screening.recommendation("联合汽车电子有限公司"))
        #expect(Set(a.lead.extra.map(\.name)).isSubset(of: ["登记状态", "企业类型", "成立日期", "统一社会信用代码"]))
        #expect(b.lead.extra.map(\.name) == ["登记状态", "统一社会信用代码", "成立日期"])
    }

    @Test("a lead the chain file names keeps the export's data, and the chain file's links, status, partner and notes")
    func chainLeadTakesExportData() throws {
        var yaml = try String(contentsOfFile: try Self.fixture("jiangjin/motorcycle.yaml"), encoding: .utf8)
        yaml += """
            leads:
              - name: 联合汽车电子有限公司
                links: [ecu]
                status: 在谈
                partner: 重庆津联摩托车有限公司
                notes: 二季度拜访

            """
        let chain = try LeadFixtures.chain(yaml)
        let screener = try LeadScreener(analysis: GapAnalysis(chain), scoring: LeadScoring(), reading: ReadingOptions())
        let screening = screener.screen([.chainFile, .file(try Self.fixture("xlsx/qcc-openpyxl.xlsx"))]).screenings[0]
        let lead = try #require(screening.recommendation("联合汽车电子有限公司")).lead
        #expect(lead.status == .negotiating)
        #expect(lead.partner == "重庆津联摩托车有限公司")
        #expect(lead.notes == "二季度拜访")
        #expect(lead.code?.description == "C3670")
        #expect(lead.tags == ["外商独资"])
        #expect(lead.capital == 8)
        #expect(lead.extra.first { $0.name == "统一社会信用代码" }?.value == "91310000607000001X")
        #expect(lead.location.file == "test.yaml")
        let rows = try #require(screening.recommendation("联合汽车电子有限公司")).rows.map(\.description)
        #expect(rows.count == 2 && rows.contains { $0.hasPrefix("test.yaml:") } && rows.contains { $0.hasSuffix("qcc-openpyxl.xlsx:企业列表!A5") }, "\(rows)")
    }

    @Test("--sheet names the sheet; a sheet that is not there is an error listing the sheets; a sheet without a header says which were searched")
    func sheets() throws {
        let file = try Self.fixture("xlsx/qcc-openpyxl.xlsx")
        let named = try Self.screen([file], sheet: "企业列表")
        #expect(named.recommendations.count == 5)
        let missing = try Self.screen([file], sheet: "Sheet9")
        #expect(try Self.lines(missing.errors) == [
            "xlsx/qcc-openpyxl.xlsx:1:1: error: the workbook has no sheet named 'Sheet9'; its sheets are 说明, 企业列表",
        ])
        let notes = try Self.screen([file], sheet: "说明")
        let error = try #require(try Self.lines(notes.errors).first)
        #expect(error.hasPrefix("xlsx/qcc-openpyxl.xlsx:1:1: error: "))
        #expect(error.hasSuffix(" (sheets searched: 说明)"), "\(error)")
    }

    @Test("a damaged archive, a zip that is not a workbook and a cut-short part each give one located error")
    func damagedWorkbooks() throws {
        #expect(try Self.lines(try Self.screen([try Self.fixture("xlsx/corrupt.xlsx")]).errors) == [
            "xlsx/corrupt.xlsx:1:1: error: cannot open the workbook: the zip archive is damaged or not a zip file (missingEndOfCentralDirectoryRecord)",
        ])
        #expect(try Self.lines(try Self.screen([try Self.fixture("xlsx/not-workbook.xlsx")]).errors) == [
            "xlsx/not-workbook.xlsx:1:1: error: the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml)",
        ])
        // One byte changed inside the compressed sheet: the inflater or the CRC-32 finds it.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Self.fixture("xlsx/qcc-openpyxl.xlsx"))))
        bytes[2535 + 30 + "xl/worksheets/sheet2.xml".utf8.count + 700] ^= 0x55
        let damaged = try LeadFixtures.temporaryFile("damaged.xlsx", bytes)
        let errors = try Self.screen([damaged]).errors.map(\.description)
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix(damaged + ":企业列表!A1: error: the workbook is damaged: xl/worksheets/sheet2.xml "), "\(errors)")
    }

    @Test("numbers read as Excel shows them; serial dates in both date systems")
    func cellValues() {
        func number(_ text: String, date: Bool = false, date1904: Bool = false) -> String? {
            Array(text.utf8).withUnsafeBufferPointer { Workbook.number($0, isDate: date, date1904: date1904) }
        }
        #expect(number("9.15E+17") == "9.15E+17")
        #expect(number("915000000000000") == "915000000000000")
        #expect(number("5000.0") == "5000")
        #expect(number("1.5E-3") == "0.0015")
        #expect(number("3.25") == nil)  // kept as written
        #expect(number("45413", date: true) == "2024-05-01")
        #expect(number("45413.5", date: true) == "2024-05-01 12:00")
        // Excel's 1900 system counts a 29 February 1900 (serial 60) that never was.
        #expect(number("59", date: true) == "1900-02-28")
        #expect(number("61", date: true) == "1900-03-01")
        #expect(number("1", date: true) == "1900-01-01")
        #expect(number("43951", date: true, date1904: true) == "2024-05-01")
        // Found by review: a date-styled serial beyond any date (or not a number at all)
        // trapped when made an Int. Kept as the number Excel would show without the date.
        #expect(number("2958465", date: true) == "9999-12-31")
        #expect(number("2958466", date: true) == "2958466")
        #expect(number("1e300", date: true) == "1E+300")
        #expect(number("-1e20", date: true) == "-1E+20")
        #expect(number("-1", date: true) == "-1")
        #expect(number("9223372036854774784", date: true) == nil)  // kept as written
        #expect(number("2957003", date: true, date1904: true) == "9999-12-31")
        #expect(number("2957004", date: true, date1904: true) == "2957004")
        for text in ["NaN", "nan", "INF", "-inf", "infinity"] { #expect(number(text, date: true) == nil, "\(text)") }
        #expect(Workbook.isDateFormat("yyyy/m/d"))
        #expect(Workbook.isDateFormat("[$-804]yyyy\"年\"m\"月\"d\"日\""))
        #expect(!Workbook.isDateFormat("0.00_);[Red](0.00)"))
        #expect(!Workbook.isDateFormat("\"days\"0"))
        for (reference, column) in [("A1", 0), ("D7", 3), ("Z3", 25), ("AA12", 26), ("XFD1", 16383)] {
            #expect(Array(reference.utf8).withUnsafeBufferPointer(Workbook.column(of:)) == column)
        }
    }
}

/// Hostile workbooks, built part by part (found by a review of the loaders).
extension WorkbookReadingTests {
    static let spreadsheetML = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

    /// A workbook of one sheet (`rows`, the `<row>` elements), with `sharedStrings` (the
    /// `<si>` elements) and `styles` when given, as the bytes of an .xlsx file.
    static func workbook(rows: String, sharedStrings: String? = nil, styles: String? = nil) throws -> [UInt8] {
        try workbook(sheets: [("Sheet1", rows)], sharedStrings: sharedStrings, styles: styles)
    }

    /// A workbook of these sheets, in order (`worksheets/sheetN.xml` each).
    static func workbook(sheets: [(name: String, rows: String)], sharedStrings: String? = nil, styles: String? = nil) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        let list = sheets.enumerated().map { "<sheet name=\"\($1.name)\" sheetId=\"\($0 + 1)\" r:id=\"rId\($0 + 1)\"/>" }.joined()
        var parts = [
            ("xl/workbook.xml", "<workbook \(spreadsheetML) xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>\(list)</sheets></workbook>"),
        ]
        for (k, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(k + 1).xml", "<worksheet \(spreadsheetML)><sheetData>\(sheet.rows)</sheetData></worksheet>"))
        }
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", "<sst \(spreadsheetML)>\(sharedStrings)</sst>")) }
        if let styles { parts.append(("xl/styles.xml", "<styleSheet \(spreadsheetML)>\(styles)</styleSheet>")) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](try #require(archive.data))
    }

    static func inline(_ reference: String, _ text: String) -> String {
        "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(text)</t></is></c>"
    }

    static let header = "<row r=\"1\">" + inline("A1", "企业名称") + inline("B1", "经营范围") + inline("C1", "所属省份") + "</row>"

    @Test("every sheet of a ledger's table is read, its columns named alike or not; a sheet that lists the fields is warned of and not read; a damaged sheet fails the workbook")
    func everySheet() throws {
        func row(_ number: Int, _ cells: [String]) -> String {
            "<row r=\"\(number)\">" + cells.enumerated().map { Self.inline("\(Character(UnicodeScalar(65 + $0)!))\(number)", $1) }.joined() + "</row>"
        }
        let header = ["项目名称", "投资方", "产业链", "环节", "状态"]
        // 2025年 names the same columns otherwise (项目, 投资企业, 所属产业链, 产业链环节,
        // 项目状态) and in another order, with a column more.
        let sheets = [
            ("说明", row(1, ["本台账由招商局维护"])),
            ("2026年", row(1, header) + row(2, ["甲项目", "甲公司", "c", "a", "开工"])),
            ("填表说明", row(1, ["字段", "要求"]) + row(2, ["项目名称", "必填"]) + row(3, ["投资方", "必填"])),
            ("2025年", row(1, ["项目状态", "项目", "投资企业", "所属产业链", "产业链环节", "备注"]) + row(2, ["签约", "乙项目", "乙公司", "c", "a", ""])),
        ]
        let file = try LeadFixtures.temporaryFile("台账.xlsx", try Self.workbook(sheets: sheets))
        let reads = InputFormats.readEverySheet(file, into: LedgerCollector())
        #expect(reads.map(\.failed) == [false, false])
        #expect(reads.map { $0.summary.headerLocation?.sheet } == ["2026年", "2025年"])
        #expect(reads.map { $0.batches.flatMap(\.rows).count } == [1, 1])
        #expect(reads.flatMap(\.diagnostics).flatMap(\.lines) == [
            "\(file):填表说明!A2: warning: sheet '填表说明' is not read: its row 2 has 1 of the columns of sheet '2026年', and a sheet of the same table has at least 3",
        ])
        // A lead workbook is read from one sheet, as before.
        #expect(InputFormats.source(for: file).read(into: LedgerCollector(), progress: nil).batches.flatMap(\.rows).count == 1)

        // A damaged sheet, even one without a header, fails the workbook (its header may
        // lie below the damage), with the warnings of the sheets read before it.
        let damaged = try LeadFixtures.temporaryFile("损坏.xlsx", try Self.workbook(sheets: sheets + [
            ("汇总", "<row r=\"1\">" + Self.inline("A1", "合计") + Self.inline("A1", "1") + "</row>"),
        ]))
        let failed = InputFormats.readEverySheet(damaged, into: LedgerCollector())
        #expect(failed.map(\.failed) == [true])
        #expect(failed.flatMap(\.diagnostics).flatMap(\.lines) == [
            "\(damaged):填表说明!A2: warning: sheet '填表说明' is not read: its row 2 has 1 of the columns of sheet '2026年', and a sheet of the same table has at least 3",
            "\(damaged):汇总!A1: error: the workbook is damaged: cell A1 is written twice in its row; the first value would be lost",
        ])
    }

    @Test("a shared-string reference that is not a number or past the table, and a cell past column XFD, are a damaged workbook, located at the cell")
    func badCells() throws {
        let chain = try LeadFixtures.chain()
        func errors(_ rows: String, sharedStrings: String? = "<si><t>电解液</t></si>") throws -> [String] {
            let file = try LeadFixtures.temporaryFile("bad-cells.xlsx", try Self.workbook(rows: Self.header + rows, sharedStrings: sharedStrings))
            return try LeadFixtures.screen(chain, files: [file]).errors.map { $0.description.replacingOccurrences(of: file, with: "F") }
        }
        func row(_ number: Int, _ cells: String) -> String {
            "<row r=\"\(number)\">" + Self.inline("A\(number)", "甲电解液有限公司") + cells + "</row>"
        }
        // Read as the first string (an invented scope) and as a blank before.
        #expect(try errors(row(2, "<c r=\"B2\" t=\"s\"><v>x</v></c>")) == [
            "F:Sheet1!B2: error: the workbook is damaged: cell B2 refers to shared string 'x', but the table holds 1",
        ])
        #expect(try errors(row(2, "<c r=\"B2\" t=\"s\"><v>0</v></c>") + row(3, "<c r=\"B3\" t=\"s\"><v>7</v></c>")) == [
            "F:Sheet1!B3: error: the workbook is damaged: cell B3 refers to shared string '7', but the table holds 1",
        ])
        // Dropped, its column with it, and read into the next column.
        #expect(try errors(row(2, Self.inline("XFE2", "电解液"))) == [
            "F:Sheet1!B2: error: the workbook is damaged: cell XFE2 is not a cell reference up to XFD, Excel's last column",
        ])
        #expect(try errors(row(2, Self.inline("AAAA2", "电解液"))) == [
            "F:Sheet1!B2: error: the workbook is damaged: cell AAAA2 is not a cell reference up to XFD, Excel's last column",
        ])
        // A cell written twice: the first value was lost.
        #expect(try errors(row(2, Self.inline("B2", "电解液") + Self.inline("B2", "x"))) == [
            "F:Sheet1!B2: error: the workbook is damaged: cell B2 is written twice in its row; the first value would be lost",
        ])
        #expect(try errors(row(2, Self.inline("A2", "乙电解液有限公司") + Self.inline("B2", "电解液"))) == [
            "F:Sheet1!A2: error: the workbook is damaged: cell A2 is written twice in its row; the first value would be lost",
        ])
        // Valid ones: cells out of order (each takes the blank left for it), the last
        // column, a lower-case reference, a cell without one, an index with spaces and
        // line breaks around it.
        #expect(try errors(row(2, Self.inline("C2", "江苏") + Self.inline("B2", "电解液"))) == [])
        #expect(try errors(row(2, "<c r=\"B2\"/>" + Self.inline("B2", "电解液"))) == [])
        #expect(try errors(row(2, "<c r=\"B2\" t=\"s\"><v>\n 0 \n</v></c>")) == [])
        #expect(try errors(row(2, Self.inline("XFD2", "x") + Self.inline("b2", "电解液"))) == [])
        #expect(try errors(row(2, "<c t=\"s\"><v>0</v></c>")) == [])
    }

    @Test("blank rows count toward the header search (1,000 rows at most), so a sheet of blank rows is not read to its end")
    func blankRowsBeforeHeader() throws {
        let chain = try LeadFixtures.chain()
        func screen(blankRows: Int) throws -> LeadScreening {
            let blanks = (1...blankRows).map { "<row r=\"\($0)\"/>" }.joined()
            let n = blankRows + 1
            let header = "<row r=\"\(n)\">" + Self.inline("A\(n)", "企业名称") + Self.inline("B\(n)", "经营范围") + "</row>"
            let row = "<row r=\"\(n + 1)\">" + Self.inline("A\(n + 1)", "甲电解液有限公司") + Self.inline("B\(n + 1)", "电解液") + "</row>"
            let file = try LeadFixtures.temporaryFile("blank-rows.xlsx", try Self.workbook(rows: blanks + header + row))
            return try LeadFixtures.screen(chain, files: [file])
        }
        let near = try screen(blankRows: 900)
        #expect(near.errors.isEmpty)
        #expect(near.names == ["甲电解液有限公司"])
        let far = try screen(blankRows: 1_500)
        #expect(far.errors.count == 1)
        #expect(far.errors.first?.message.hasPrefix("no header row names the enterprise") == true, "\(far.errors)")
    }

    @Test("a shared string longer than a cell may be, and a row of more than 64 MB, are refused: a string is copied into every cell that names it")
    func amplifiedText() throws {
        // Found by review: a 12 KB workbook of one 10 MB shared string named by 100 rows
        // took 2.4 GB; a 300 KB one of a 300 MB inline cell, 970 MB.
        let chain = try LeadFixtures.chain()
        let long = String(repeating: "电解液", count: 11_000)  // 99,000 bytes
        let rows = (2...4).map { "<row r=\"\($0)\">" + Self.inline("A\($0)", "甲\($0)有限公司") + "<c r=\"B\($0)\" t=\"s\"><v>0</v></c></row>" }.joined()
        let file = try LeadFixtures.temporaryFile("long-string.xlsx", try Self.workbook(rows: Self.header + rows, sharedStrings: "<si><t>\(long)</t></si>"))
        #expect(try LeadFixtures.screen(chain, files: [file]).errors.map(\.description) == [
            "\(file):1:1: error: xl/sharedStrings.xml: string 0 is longer than a cell may be (Excel's 32,767 characters), more than chainmap reads (docs/chain-format.md, 限制)",
        ])
        let big = String(repeating: "a", count: XLSXRowSource.maxRowBytes + 1)
        let bigFile = try LeadFixtures.temporaryFile("big-row.xlsx", try Self.workbook(rows: Self.header + "<row r=\"2\">" + Self.inline("A2", "甲有限公司") + Self.inline("B2", big) + "</row>"))
        #expect(try LeadFixtures.screen(chain, files: [bigFile]).errors.map(\.description) == [
            "\(bigFile):Sheet1!A2: error: row 2 holds more than 64 MB of text, more than chainmap reads (docs/chain-format.md, 限制)",
        ])
    }

    @Test("a part that unzips to more than the archive's directory says is stopped there")
    func partLargerThanDeclared() throws {
        let strings = String(repeating: "<si><t>电解液六氟磷酸锂</t></si>", count: 2_000)
        var bytes = try Self.workbook(rows: Self.header, sharedStrings: strings)
        // The central directory's uncompressed size of xl/sharedStrings.xml, made 1,000.
        let name = Array("xl/sharedStrings.xml".utf8)
        var patched = false
        for i in 0..<(bytes.count - 46 - name.count) where bytes[i..<(i + 4)] == [0x50, 0x4B, 0x01, 0x02] {
            let nameLength = Int(bytes[i + 28]) | Int(bytes[i + 29]) << 8
            guard nameLength == name.count, Array(bytes[(i + 46)..<(i + 46 + nameLength)]) == name else { continue }
            bytes.replaceSubrange((i + 24)..<(i + 28), with: [0xE8, 0x03, 0x00, 0x00])
            patched = true
        }
        #expect(patched)
        let file = try LeadFixtures.temporaryFile("lying.xlsx", bytes)
        let errors = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file]).errors.map(\.description)
        #expect(errors == [
            "\(file):1:1: error: the workbook is damaged: xl/sharedStrings.xml cannot be unzipped (it unzips to more than the 1000 bytes the archive's directory gives)",
        ])
    }

    @Test("a shared-string table of more strings than chainmap holds is refused, not held")
    func tooManySharedStrings() throws {
        // (The limit is 1 << 25 strings; the same reader with a limit of 1,000 here.)
        #expect(XLSXRowSource.maxSharedStrings == 1 << 25)
        let reader = SharedStrings.Reader(limit: 1_000)
        let stream = XMLStream(reader)
        let text = "<sst>" + String(repeating: "<si><t>电解液</t></si><si/>", count: 600) + "</sst>"
        #expect(Array(text.utf8).withUnsafeBytes { stream.feed($0) })
        #expect(stream.finish())
        #expect(reader.tooMany)
        #expect(reader.strings.count == 1_000)
        #expect(reader.strings.bytes.count == 500 * "电解液".utf8.count)
    }
}
