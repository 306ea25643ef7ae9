@testable import ChainMapKit
import Foundation
import Testing

/// Issue 15 through the binary: .xlsx exports in, workbooks out.
@Suite("Issue 15: Excel in and out")
struct ExcelCommandTests {
    static let fixtures = "Tests/ChainMapKitTests/Fixtures"
    static let chain = "\(fixtures)/jiangjin/motorcycle.yaml"

    static func run(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(arguments, in: BinaryRunner.packageRoot)
    }

    /// The sheets of a workbook as chainmap's reader sees them.
    static func sheets(_ path: String) throws -> [String: [[String]]] {
        final class Rows: SheetRowSink {
            var rows: [[String]] = []
            func row(number: Int, bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<CSVScanner.Field>, numeric: UnsafeBufferPointer<Bool>) throws(WorkbookProblem) {
                rows.append(fields.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self) })
            }
        }
        let workbook = try Workbook(path: path)
        var sheets: [String: [[String]]] = [:]
        for sheet in workbook.sheets {
            let rows = Rows()
            try workbook.rows(of: sheet, progress: nil, into: rows)
            sheets[sheet.name] = rows.rows
        }
        return sheets
    }

    @Test("leads reads both exporters' workbooks, mixed with CSV, and writes 招商目标.xlsx")
    func leadsXlsxInAndOut() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("招商目标.xlsx").path
        let output = try Self.run([
            "leads", Self.chain, "--leads", "\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx",
            "--leads", "\(Self.fixtures)/xlsx/tyc-libxlsxwriter.xlsx", "--leads", "\(Self.fixtures)/jiangjin/tyc-gbk.tsv",
            "--xlsx", "-o", out,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("qcc-openpyxl.xlsx（XLSX，工作表 企业列表）"), "\(output.stderr)")
        let sheets = try Self.sheets(out)
        let list = try #require(sheets["招商目标企业名录"])
        let name = try #require(list[0].firstIndex(of: "企业名称"))
        let code = try #require(list[0].firstIndex(of: "统一社会信用代码"))
        let names = list.dropFirst().map { $0[name] }
        #expect(names.contains("某某电喷科技有限公司") && names.contains("联合汽车电子有限公司"))
        // One set of columns: 天眼查's 公司类型 and 企查查's 企业类型 are one column.
        #expect(list[0].filter { $0 == "企业类型" }.count == 1)
        #expect(!list[0].contains("公司类型") && !list[0].contains("成立时间"))
        let ecu = try #require(list.first { $0[name] == "某某电喷科技有限公司" })
        #expect(ecu[code] == "91320500MA1N000006")
        #expect(sheets["分环节推荐"] != nil)
    }

    #if os(Linux)
    @Test("libxml2, libxlsxwriter and libsimdjson are loaded when a command first reads or writes with them, not at every start")
    func librariesAreLoadedWhenFirstNeeded() throws {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["LD_DEBUG"] = "libs"  // glibc's loader names each library it initialises
        func loaded(_ output: BinaryRunner.Output) -> [String] {
            ["libxml2.so", "libxlsxwriter.so", "libsimdjson.so"].filter { library in
                output.stderr.split(separator: "\n").contains { $0.contains("calling init:") && $0.contains(library) }
            }
        }
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func run(_ arguments: [String]) throws -> BinaryRunner.Output {
            let output = try BinaryRunner.run(arguments, in: BinaryRunner.packageRoot, environment: environment)
            #expect(output.status == 0, "\(arguments): \(output.stderr.suffix(2000))")
            return output
        }
        #expect(loaded(try run(["--version"])) == [])
        #expect(loaded(try run(["render", Self.chain, "-o", directory.path, "--quiet"])) == [])
        #expect(loaded(try run(["leads", Self.chain, "--leads", "\(Self.fixtures)/jiangjin/tyc-gbk.tsv", "-o", directory.appendingPathComponent("a.json").path, "--json"])) == ["libsimdjson.so"])
        #expect(loaded(try run(["leads", Self.chain, "--leads", "\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx", "--xlsx", "-o", directory.appendingPathComponent("b.xlsx").path])).starts(with: ["libxml2.so", "libxlsxwriter.so"]))
    }

    @Test("a library loaded on first use without its functions is an error naming it and its package; exit 1, nothing written")
    func aLibraryWithoutItsFunctionsIsSaid() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let workbook = "\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx"
        // The names this build loads the two libraries by, as the loader reports them.
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["LD_DEBUG"] = "libs"
        let probe = try BinaryRunner.run(
            ["leads", Self.chain, "--leads", workbook, "--xlsx", "-o", directory.appendingPathComponent("probe.xlsx").path],
            in: BinaryRunner.packageRoot, environment: environment)
        func soname(_ prefix: String) throws -> String {
            let line = try #require(probe.stderr.split(separator: "\n").first { $0.contains("find library=\(prefix)") }, "\(prefix)")
            let start = try #require(line.range(of: "find library="))
            return String(line[start.upperBound...].prefix { $0 != " " })
        }
        let xml2 = try soname("libxml2.so"), xlsxwriter = try soname("libxlsxwriter.so")
        // Libraries of those names with none of their functions, found first.
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        let compiler = try #require(["cc", "gcc", "clang"].lazy.flatMap { name in path.map { "\($0)/\(name)" } }
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "no C compiler on PATH")
        let stub = directory.appendingPathComponent("stub.c")
        try "int chainmap_stub = 1;\n".write(to: stub, atomically: true, encoding: .utf8)
        func run(stubbing soname: String, _ arguments: [String]) throws -> BinaryRunner.Output {
            let libraries = directory.appendingPathComponent("lib-" + soname)
            try FileManager.default.createDirectory(at: libraries, withIntermediateDirectories: true)
            let built = try BinaryRunner.run(
                ["-shared", "-fPIC", "-o", libraries.appendingPathComponent(soname).path, stub.path, "-Wl,-soname,\(soname)"],
                executable: URL(fileURLWithPath: compiler))
            try #require(built.status == 0, "\(built.stderr)")
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            environment["LD_LIBRARY_PATH"] = libraries.path
            return try BinaryRunner.run(arguments, in: BinaryRunner.packageRoot, environment: environment)
        }
        // Reading a workbook needs libxml2 (an error at the workbook); writing one needs
        // libxlsxwriter (an error of the run).
        for (soname, format, file, error, install) in [
            (xml2, "--json", "a.json", "\(workbook):1:1: error: cannot read workbooks: ", "libxml2 (Debian/Ubuntu: libxml2)"),
            (xlsxwriter, "--xlsx", "b.xlsx", "chainmap: error: ", "libxlsxwriter (Debian/Ubuntu: libxlsxwriter-dev)"),
        ] {
            let out = directory.appendingPathComponent(file).path
            let output = try run(stubbing: soname, ["leads", Self.chain, "--leads", workbook, format, "-o", out])
            #expect(output.status == 1, "\(soname)")
            #expect(output.stderr.contains("\(error)\(soname) has no function "), "\(output.stderr)")
            #expect(output.stderr.contains("; install \(install)"), "\(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
    #endif

    @Test("the damaged workbooks fail with their exact message and exit 1; nothing is written")
    func damagedWorkbooksExit1() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (file, message) in [
            ("corrupt.xlsx", "cannot open the workbook: the zip archive is damaged or not a zip file (missingEndOfCentralDirectoryRecord)"),
            ("not-workbook.xlsx", "the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml)"),
        ] {
            let out = directory.appendingPathComponent(file).path
            let output = try Self.run(["leads", Self.chain, "--leads", "\(Self.fixtures)/xlsx/\(file)", "--xlsx", "-o", out])
            #expect(output.status == 1)
            #expect(output.stderr.hasPrefix("\(Self.fixtures)/xlsx/\(file):1:1: error: \(message)\n"), "\(output.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let missing = try Self.run(["leads", Self.chain, "--leads", "\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx", "--sheet", "Sheet9", "--json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx:1:1: error: the workbook has no sheet named 'Sheet9'; its sheets are 说明, 企业列表"))
    }

    @Test("an unreadable row of a sheet is located at SHEET!CELL and counted; --strict makes it fail and write nothing")
    func unreadableRowsAndStrict() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let book = try XLSXWriter.bytes([XLSXSheet(
            "导出", columns: [.init("企业名称"), .init("经营范围", .wrapped), .init("注册资本")],
            rows: [["某某电喷科技有限公司", "电喷系统", "3000万元"], ["", "电控燃油喷射", "1亿"], ["某曲轴厂", "摩托车曲轴", "很多"]])])
        let file = directory.appendingPathComponent("export.xlsx").path
        try Data(book).write(to: URL(fileURLWithPath: file))
        let loose = try Self.run(["leads", Self.chain, "--leads", file, "--json"])
        #expect(loose.status == 0, "\(loose.stderr)")
        #expect(loose.stderr.contains("\(file):导出!A3: error: "), "\(loose.stderr)")
        #expect(loose.stderr.contains("\(file):导出!C4: warning: "), "\(loose.stderr)")
        let out = directory.appendingPathComponent("out.xlsx").path
        let strict = try Self.run(["leads", Self.chain, "--leads", file, "--strict", "--xlsx", "-o", out])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("--strict: 1 row(s) could not be read, so nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("a ledger's and a roster's every sheet with a header is read; a lead workbook's second such sheet is warned of; --sheet names a lead file's sheet only")
    func workbookSheets() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ sheets: [XLSXSheet]) throws -> String {
            let path = directory.appendingPathComponent(name).path
            try Data(XLSXWriter.bytes(sheets)).write(to: URL(fileURLWithPath: path))
            return path
        }
        let notes = XLSXSheet("说明", columns: [.init("说明")], rows: [["本表由招商局整理"]])
        let ledgerColumns: [XLSXSheet.Column] = ["项目名称", "投资方", "产业链", "环节", "协议投资额", "签约日期", "状态", "开工日期"].map { .init($0) }
        let ledger = try write("台账.xlsx", [
            notes,
            XLSXSheet("2025年", columns: ledgerColumns, rows: [
                ["曲轴项目", "某曲轴有限公司", "motorcycle", "crank", "3", "2025-06-01", "签约", ""],
                ["车架项目", "某车架有限公司", "motorcycle", "frame", "2", "2025-05-01", "签约", ""],
            ]),
            XLSXSheet("2026年", columns: ledgerColumns, rows: [
                ["电喷系统项目", "某电喷科技有限公司", "motorcycle", "ecu", "5", "2026-03-01", "签约", ""],
                ["车架项目", "某车架有限公司", "motorcycle", "frame", "2", "2025-05-01", "开工", "2025-10-01"],
            ]),
        ])
        let chains = directory.appendingPathComponent("chains").path
        try FileManager.default.createDirectory(atPath: chains, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.chain, toPath: chains + "/motorcycle.yaml")
        let projects = try Self.run(["projects", ledger, "--chains", chains, "--as-of", "2026-09-30", "--json"])
        #expect(projects.status == 0, "\(projects.stderr)")
        let measures = try #require(try JSONSerialization.jsonObject(with: projects.stdoutBytes) as? [String: Any])
        let overall = try #require(measures["overall"] as? [String: Any])
        #expect(overall["signed"] as? Int == 3, "both sheets' projects, each once: \(overall)")
        // 车架项目 is on both sheets: counted once, as the listing furthest along (开工).
        #expect(overall["started"] as? Int == 1, "\(overall)")
        #expect(projects.stderr.contains("""
            \(ledger):2026年!A3: warning: project '车架项目' of '某车架有限公司' is listed again, further along (开工); it is counted once, as listed here
            \(ledger):2025年!A3: note: listed before here (签约)

            """), "\(projects.stderr)")

        let leadColumns: [XLSXSheet.Column] = [.init("企业名称"), .init("经营范围", .wrapped)]
        let leads = try write("导出.xlsx", [
            notes,
            XLSXSheet("企业列表", columns: leadColumns, rows: [["某电喷科技有限公司", "电喷系统研发"]]),
            XLSXSheet("企业列表2", columns: leadColumns, rows: [["某缸体有限公司", "摩托车缸体"]]),
        ])
        let screened = try Self.run(["leads", Self.chain, "--leads", leads, "--no-chain-leads", "--json"])
        #expect(screened.status == 0, "\(screened.stderr)")
        #expect(screened.stderr.contains(
            "\(leads):企业列表2!A1: warning: sheet '企业列表2' has a header row too and is not read: a lead file is read from one sheet, here '企业列表'; name another with --sheet\n"),
            "\(screened.stderr)")
        let names = try #require(try JSONSerialization.jsonObject(with: screened.stdoutBytes) as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names == ["某电喷科技有限公司"])
        let second = try Self.run(["leads", Self.chain, "--leads", leads, "--sheet", "企业列表2", "--no-chain-leads", "--json"])
        #expect(second.status == 0 && !second.stderr.contains("warning: sheet"), "\(second.stderr)")
        // The leads' --sheet is not the ledger's: the ledger's sheets are read as above.
        let report = try Self.run([
            "report", Self.chain, "--leads", leads, "--sheet", "企业列表2", "--projects", ledger, "--as-of", "2026-09-30",
            "-o", directory.appendingPathComponent("out").path,
        ])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stderr.contains("no sheet named"), "\(report.stderr)")

        let rosterColumns: [XLSXSheet.Column] = [.init("企业名称"), .init("经营范围", .wrapped)]
        let roster = try write("摸排.xlsx", [
            XLSXSheet("工业园", columns: rosterColumns, rows: [["江津电喷科技有限公司", "摩托车电喷系统、电控燃油喷射"]]),
            notes,
            XLSXSheet("双福街道", columns: rosterColumns, rows: [["江津缸体有限公司", "摩托车曲轴、连杆、缸体"]]),
        ])
        let located = try Self.run(["locate", Self.chain, "--local", roster, "--json", "-q"])
        #expect(located.status == 0, "\(located.stderr)")
        let placed = try #require(try JSONSerialization.jsonObject(with: located.stdoutBytes) as? [[String: Any]])
        #expect(Set(placed.compactMap { $0["name"] as? String }) == ["江津电喷科技有限公司", "江津缸体有限公司"])
    }

    @Test("gaps --xlsx -o writes the gap list; report --xlsx writes <id>.xlsx with every sheet, and index.xlsx")
    func gapsAndReportWorkbooks() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gaps = directory.appendingPathComponent("gaps.xlsx").path
        let output = try Self.run(["gaps", Self.chain, "--xlsx", "-o", gaps])
        #expect(output.status == 0, "\(output.stderr)")
        let gapSheets = try Self.sheets(gaps)
        let gapList = try #require(gapSheets.values.first { $0.first?.contains("环节") == true })
        #expect(gapList.dropFirst().contains { $0.contains("曲轴连杆") })

        let report = try Self.run([
            "report", Self.chain, "--leads", "\(Self.fixtures)/xlsx/qcc-openpyxl.xlsx", "--xlsx", "-o", directory.path,
        ])
        #expect(report.status == 0, "\(report.stderr)")
        let sheets = try Self.sheets(directory.appendingPathComponent("motorcycle.xlsx").path)
        for name in ["概况", "缺失与薄弱环节", "招商目标企业名录", "各环节推荐", "本地企业名录"] {
            #expect(sheets[name] != nil, "\(name) in \(sheets.keys.sorted())")
        }
        #expect(sheets.keys.contains { $0.contains("曲轴连杆") }, "a sheet for the gap's own leads: \(sheets.keys.sorted())")
        let local = try #require(sheets["本地企业名录"])
        #expect(local.dropFirst().contains { $0.contains("重庆津联摩托车有限公司") })

        // A directory of chains: index.xlsx beside index.html.
        let chains = directory.appendingPathComponent("chains")
        try FileManager.default.createDirectory(at: chains, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: BinaryRunner.packageRoot.path + "/" + Self.chain, toPath: chains.appendingPathComponent("motorcycle.yaml").path)
        try FileManager.default.copyItem(atPath: BinaryRunner.packageRoot.path + "/chains/laser.yaml", toPath: chains.appendingPathComponent("laser.yaml").path)
        let out = directory.appendingPathComponent("out")
        let all = try Self.run(["report", chains.path, "--xlsx", "-o", out.path])
        #expect(all.status == 0, "\(all.stderr)")
        let index = try Self.sheets(out.appendingPathComponent("index.xlsx").path)
        #expect(index.values.contains { rows in rows.contains { $0.contains("摩托车") } }, "\(index.keys.sorted())")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("laser.xlsx").path))
    }

    @Test("--xlsx to a terminal is refused; to a pipe it writes the workbook")
    func xlsxToAPipe() throws {
        let output = try Self.run(["gaps", Self.chain, "--xlsx"])
        #expect(output.status == 0)
        #expect(output.stdoutBytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
    }
}

/// Issue 16 through the binary: `locate` and `--local`.
@Suite("Issue 16: the roster (摸排名录)")
struct RosterCommandTests {
    static let chain = "Tests/ChainMapKitTests/Fixtures/roster/chain.yaml"
    static let roster = "Tests/ChainMapKitTests/Fixtures/roster/roster.csv"

    static func run(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(arguments, in: BinaryRunner.packageRoot)
    }

    @Test("locate prints the placements, the summary and the warning with both places; --json and --yaml for scripts and pasting")
    func locate() throws {
        let table = try Self.run(["locate", Self.chain, "--local", Self.roster])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("摸排名录 1 个文件 9 家：落位 8 家（计入覆盖 6 家，低于阈值待核实 1 家，产业链文件已有 1 家），未落位 1 家；置信度阈值 0.60"))
        #expect(table.stderr.contains("\(Self.roster):8:1: warning: the roster suggests '江津车架厂' as 龙头, but the chain file lists it as 配套; the chain file's role stands"))
        #expect(table.stderr.contains("\(Self.chain):44:5: note: '江津车架厂' is listed here as 配套"))
        let json = try Self.run(["locate", Self.chain, "--local", Self.roster, "--json", "-q"])
        let entries = try #require(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [[String: Any]])
        #expect(entries.count == 9)
        let yaml = try Self.run(["locate", Self.chain, "--local", Self.roster, "--yaml", "-q"])
        #expect(yaml.stdout.contains("  - name: 江津冷轧钢材有限公司\n    links: [steel]\n    role: 龙头\n    revenue: 3.2\n    tags: [高新技术企业]\n"))
        #expect(!yaml.stdout.contains("name: 江津车架厂"))
        let missing = try Self.run(["locate", Self.chain])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no roster to place"))
    }

    @Test("a roster's unreadable and repeated rows are counted in the summary, which adds up; --strict fails locate and leads and writes nothing")
    func unreadableRosterRows() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let roster = directory.appendingPathComponent("名录.csv").path
        // Row 7's name holds bytes that are not UTF-8 text: unreadable, not unplaced.
        var bytes = Array("""
            企业名称,经营范围,营业收入
            江津曲轴有限公司,摩托车曲轴,1亿
            ,摩托车车架,2亿
            江津曲轴有限公司,连杆,1亿
            江津餐饮管理有限公司,餐饮服务,
            江津缸体有限公司,"摩托车缸体,3亿

            """.utf8)
        // Row 8 fits no link, and its scope is not text either.
        let broken = Array("江津连杆厂".utf8) + [0xFF, 0xFE] + Array(",摩托车连杆,1亿\n".utf8)
            + Array("江津餐饮二店,餐饮".utf8) + [0xFF] + Array(",\n".utf8)
        bytes.insert(contentsOf: broken, at: bytes.firstIndex(of: UInt8(ascii: "\"")).map { i in bytes[..<i].lastIndex(of: 0x0A)! + 1 }!)
        try Data(bytes).write(to: URL(fileURLWithPath: roster))
        let table = try Self.run(["locate", Self.chain, "--local", roster])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains(
            "摸排名录 1 个文件 7 家：落位 1 家（计入覆盖 1 家，低于阈值待核实 0 家，产业链文件已有 0 家），重复列出的 1 行已并入前一行，未落位 1 家，无法读取 4 行（见报错）；"),
            "\(table.stdout)")
        #expect(table.stderr.contains("\(roster):3:1: error: row cannot be read: row has no 企业名称 (enterprise name); the row is left out"))
        let out = directory.appendingPathComponent("落位.json").path
        let strict = try Self.run(["locate", Self.chain, "--local", roster, "--strict", "--json", "-o", out])
        #expect(strict.status == 1)
        #expect(strict.stderr.hasSuffix("chainmap: error: --strict: 4 roster row(s) could not be read, so nothing was written\n"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let leads = try Self.run(["leads", Self.chain, "--local", roster, "--strict", "--json", "-o", out])
        #expect(leads.status == 1)
        #expect(leads.stderr.contains("chainmap: error: --strict: 4 row(s) could not be read, so nothing was written\n"), "\(leads.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("--encoding speaks of lead files only: the chain's UTF-8 roster and ledger are read as they are")
    func encodingOfLeadsOnly() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try Self.run([
            "report", "chains/nev-battery.yaml", "--leads", "Tests/ChainMapKitTests/Fixtures/jiangjin/tyc-gbk.tsv", "--encoding", "gbk",
            "-o", directory.path, "--quiet",
        ])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(!report.stderr.contains("no header row"), "\(report.stderr)")
        let page = try String(contentsOf: directory.appendingPathComponent("nev-battery.md"), encoding: .utf8)
        #expect(page.contains("摸排名录") && page.contains("项目推进与考核"))
    }

    @Test("locate --json over two chains lists each roster row once: a firm that fits neither chain with empty links")
    func jsonOverChains() throws {
        let json = try Self.run(["locate", Self.chain, "chains/nev-battery.yaml", "--local", Self.roster, "--json", "-q"])
        #expect(json.status == 0, "\(json.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [[String: Any]])
        // The fixture's 9 rows (read once for both chains) and the sample roster's 253.
        #expect(entries.count == 9 + 253)
        let restaurant = entries.filter { $0["name"] as? String == "江津餐饮管理有限公司" }
        #expect(restaurant.count == 1)
        #expect((restaurant.first?["links"] as? [Any])?.isEmpty == true)
        let steel = try #require(entries.first { $0["name"] as? String == "江津冷轧钢材有限公司" })
        let links = try #require(steel["links"] as? [[String: Any]])
        #expect(links.first?["chain"] as? String == "moto-roster")
        #expect(links.first?["id"] as? String == "steel")
    }

    @Test("gaps --local runs on the merged picture; render shows the roster's count on the link")
    func mergedCommands() throws {
        let gaps = try Self.run(["gaps", Self.chain, "--local", Self.roster, "--json"])
        #expect(gaps.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: gaps.stdoutBytes) as? [[String: Any]])
        #expect(!entries.contains { $0["id"] as? String == "steel" })
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = try Self.run(["render", Self.chain, "--local", Self.roster, "--format", "svg", "-o", directory.path])
        #expect(svg.status == 0, "\(svg.stderr)")
        let map = try String(contentsOf: directory.appendingPathComponent("moto-roster.svg"), encoding: .utf8)
        #expect(map.contains("本地 2 家（名录 2）"))
        let bad = try Self.run(["gaps", Self.chain, "--local", "no-such.csv"])
        #expect(bad.status == 1)
    }
}
