@testable import ChainMapKit
import CTextScan
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Reading lead files")
struct LeadReadingTests {
    @Test("a 企查查 export reads the same in UTF-8, UTF-8 with a BOM and GBK")
    func encodings() throws {
        let chain = try LeadFixtures.chain()
        var results: [[String]] = []
        for (file, encoding) in [("qcc-utf8.csv", "UTF-8"), ("qcc-bom.csv", "UTF-8 (BOM)"), ("qcc-gbk.csv", "GB18030/GBK")] {
            let screening = try LeadFixtures.screen(chain, files: [try LeadFixtures.path(file)])
            #expect(screening.diagnostics.isEmpty, "\(file): \(screening.diagnostics)")
            #expect(screening.sources[0].encoding?.description == encoding)
            #expect(screening.sources[0].counts.rows == 8)
            results.append(screening.recommendations.map { "\($0.lead.name) \($0.score) \($0.lead.extra.map(\.value))" })
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        #expect(results[0].count == 4)
    }

    @Test("the export's rows become leads with their fields, and other columns pass through")
    func fields() throws {
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [try LeadFixtures.path("qcc-utf8.csv")])
        let first = try #require(screening.recommendation("甲电解液材料股份有限公司"))
        #expect(first.lead.code?.description == "C2661")
        #expect(first.lead.capital == 0.5)
        #expect(first.lead.province == "广东省")
        #expect(first.lead.tags == ["上市公司", "高新技术企业"])
        #expect(first.lead.location.line == 2)
        #expect(first.lead.extra.map(\.name) == ["登记状态", "法定代表人", "成立日期", "统一社会信用代码", "企业类型"])
        // 所属城市 is the lead's city; with no province column it would tell the province.
        #expect(first.lead.city != nil)
        #expect(first.lead.extra.first?.value == "存续")
        // 专精特新"小巨人" (a quote inside an unquoted cell) is read as text.
        #expect(screening.recommendation("乙隔膜科技有限公司")?.lead.tags == ["专精特新\"小巨人\""])
        // "12,000" (万元, quoted for its comma) and an industry given by name.
        let cathode = try #require(screening.recommendation("丁正极材料有限公司"))
        #expect(cathode.lead.capital == 1.2)
        #expect(cathode.lead.code?.description == "C3841")
        #expect(try #require(screening.recommendation("丙半导体有限公司")).lead.capital! > 0.35)
    }

    @Test("local enterprises, closed ones and rows matching no gap are left out, and counted")
    func exclusions() throws {
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [try LeadFixtures.path("qcc-utf8.csv")])
        #expect(!screening.names.contains("示例电芯科技有限公司"))
        #expect(screening.localLeads == ["示例电芯科技有限公司"])
        #expect(!screening.names.contains("戊餐饮管理有限公司"))
        #expect(!screening.names.contains("己电解液有限公司"))
        #expect(!screening.names.contains("庚电池壳体有限公司"))
        let counts = screening.sources[0].counts
        #expect(counts.local == 1)
        #expect(counts.closed == 1)
        #expect(counts.matched == 5)
        #expect(counts.recommended == 4)
    }

    @Test("a lead matching only strong links is left out")
    func strongOnly() throws {
        let file = try LeadFixtures.temporaryFile("strong.csv", "企业名称,国标行业,经营范围\n某电池有限公司,C3841,动力电池\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.recommendations.isEmpty)
        #expect(screening.sources[0].counts.noTarget == 1)
    }

    @Test("header variants: 公司名称/行业代码/主营产品 (CSV) and 名称/所属行业/主营业务 (TSV)")
    func headerVariants() throws {
        let chain = try LeadFixtures.chain()
        let a = try LeadFixtures.screen(chain, files: [try LeadFixtures.path("variants-a.csv")])
        let one = try #require(a.recommendation("壹正极新材料有限公司"))
        #expect(a.linkIDs("壹正极新材料有限公司") == ["cathode"])
        #expect(one.lead.capital == 0.8)
        #expect(one.lead.status == .negotiating)
        #expect(one.lead.partner == "示例汽车集团有限公司")
        #expect(one.lead.province == "四川")
        #expect(one.lead.extra.map(\.name) == ["联系人"])
        let b = try LeadFixtures.screen(chain, files: [try LeadFixtures.path("variants-b.tsv")])
        #expect(b.sources[0].format == "TSV")
        let three = try #require(b.recommendation("叁电驱动科技有限公司"))
        #expect(b.linkIDs("叁电驱动科技有限公司") == ["motor"])
        #expect(three.lead.invest == 15)
        #expect(three.lead.status == .contacted)
        #expect(three.lead.tags == ["高新技术企业"])
        // 状态 = 存续 is a registration status, not a stage.
        #expect(b.recommendation("肆碳酸锂有限公司")?.lead.status == nil)
    }

    @Test("a quoted cell over several lines is one cell; the next row keeps its line number")
    func multiline() throws {
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [try LeadFixtures.path("multiline.csv")])
        #expect(screening.diagnostics.isEmpty)
        let five = try #require(screening.recommendation("伍电解液有限公司"))
        #expect(five.lead.scope == "电解液的生产,销售;\n进出口业务（\"一般贸易\"）")
        #expect(five.lead.province == "广东")
        #expect(screening.recommendation("陆隔膜有限公司")?.lead.location.line == 4)
    }

    @Test("broken rows are reported with line and column, counted, and the rows around them read")
    func broken() throws {
        let path = try LeadFixtures.path("broken.csv")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [path])
        let errors = screening.errors.map { "\($0.location!.line):\($0.location!.column)" }
        #expect(errors == ["3:24", "4:12", "5:1", "6:13", "8:1"])
        #expect(screening.errors.allSatisfy { $0.location?.file == path && $0.message.hasPrefix("row cannot be read") })
        #expect(screening.errors[0].message.contains("5 cells but the header has 4"))
        #expect(screening.errors[3].message.contains("0xC8"))
        #expect(screening.errors[4].message.contains("does not close"))
        #expect(screening.sources[0].counts.unreadable == 5)
        #expect(screening.sources[0].counts.rows == 8)  // the 8 data lines, each counted once
        #expect(Set(screening.names) == ["柒电解液有限公司", "拾壹隔膜有限公司", "拾叁电解液有限公司"])
    }

    @Test("a stray quote that a later one closes does not swallow the rows between them")
    func strayQuote() throws {
        let file = try LeadFixtures.temporaryFile("stray.csv", """
            企业名称,国标行业,经营范围,省份
            "甲有限公司,C2661,电解液,广东
            乙电解液有限公司,C2661,电解液,广东
            丙隔膜"有限公司,C2921,湿法隔膜,江苏
            丁隔膜有限公司,C2921,"湿法隔膜",江苏

            """)
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.errors.map { $0.location!.line } == [2])
        #expect(Set(screening.names) == ["乙电解液有限公司", "丙隔膜\"有限公司", "丁隔膜有限公司"])
        #expect(screening.recommendation("乙电解液有限公司")?.lead.location.line == 3)
    }

    @Test("a Traditional-character export, headers included, matches the Simplified keywords")
    func traditional() throws {
        let chain = try LeadFixtures.chain()
        for file in ["traditional.csv", "traditional-headers.csv"] {
            let screening = try LeadFixtures.screen(chain, files: [try LeadFixtures.path(file)])
            #expect(screening.linkIDs("臺灣鋰電材料股份有限公司") == ["separator"], "\(file)")
            #expect(screening.linkIDs("香港電驅科技有限公司") == ["motor"], "\(file)")
        }
    }

    @Test("lines above the header are skipped with a warning; repeated header rows are skipped")
    func preamble() throws {
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [try LeadFixtures.path("preamble.csv")])
        #expect(screening.diagnostics.map(\.severity) == [.warning])
        #expect(screening.diagnostics.first?.location?.line == 3)
        #expect(screening.names == ["拾肆电解液有限公司", "拾伍隔膜有限公司"])
        #expect(screening.sources[0].counts.repeatedHeaders == 1)
        #expect(screening.sources[0].counts.rows == 2)
    }

    @Test("a YAML lead file reads like the chain file's leads")
    func yaml() throws {
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [try LeadFixtures.path("leads.yaml")])
        #expect(screening.diagnostics.isEmpty)
        #expect(screening.names == ["某某新材料股份有限公司", "某某功率器件有限公司"])
        let first = try #require(screening.recommendation("某某新材料股份有限公司"))
        #expect(first.lead.invest == 20)
        #expect(first.matches.first?.evidence.first == .explicit)
        #expect(screening.sources[0].format == "YAML")
    }

    @Test("a YAML lead file with a wrong key is an error with its place; its rows are read as any table's")
    func yamlErrors() throws {
        let file = try LeadFixtures.temporaryFile("bad.yaml", "leads:\n  - name: 某公司\n    links: [electrolite]\n    scop: 电解液\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.failed)
        #expect(screening.errors.map { "\($0.location!.line):\($0.location!.column) \($0.message)" } == [
            "4:5 unknown key 'scop' in lead; did you mean 'scope'?",
        ])

        // Without the wrong key, the file is read; a link id the chain lacks is a warning
        // at its cell, as for a CSV export's 所属环节 column (a lead file may serve
        // several chains).
        let fixed = try LeadFixtures.temporaryFile("fixed.yaml", "leads:\n  - name: 某公司\n    links: [electrolite]\n    scope: 电解液\n")
        let read = try LeadFixtures.screen(try LeadFixtures.chain(), files: [fixed])
        #expect(!read.failed)
        #expect(read.diagnostics.map(\.description) == [
            "\(fixed):3:12: warning: links names 'electrolite', which is not a link id or name of the chain; did you mean 'electrolyte'?",
        ])
        #expect(read.diagnostics.map(\.category) == [.rowValue])
        #expect(read.names == ["某公司"])
    }

    @Test("a YAML lead file is read as chain files are: an aliased key is refused before parsing")
    func yamlAliasKey() throws {
        let file = try LeadFixtures.temporaryFile("bomb.yaml", "a0: &a [x, x]\n*a : 1\nleads: []\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.failed)
        #expect(screening.errors.map { "\($0.location!.line):\($0.location!.column) \($0.message)" } == [
            "2:1 an alias, list or mapping cannot be a key; keys are plain words",
        ])
    }

    @Test("files that are not lead exports fail clearly")
    func notExports() throws {
        let chain = try LeadFixtures.chain()
        let xlsx = try LeadFixtures.temporaryFile("book.xlsx", [0x50, 0x4B, 0x03, 0x04, 0, 0])
        #expect(try LeadFixtures.screen(chain, files: [xlsx]).errors.first?.message.hasPrefix("cannot open the workbook: the zip archive is damaged") == true)
        let xls = try LeadFixtures.temporaryFile("old.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        #expect(try LeadFixtures.screen(chain, files: [xls]).errors.first?.message == "\(xls) is an Excel workbook (XLS), not CSV; save it as .xlsx or CSV (另存为 → Excel 工作簿 或 CSV UTF-8)")
        let empty = try LeadFixtures.temporaryFile("empty.csv", "")
        #expect(try LeadFixtures.screen(chain, files: [empty]).failed)
        let noName = try LeadFixtures.temporaryFile("no-name.csv", "统一社会信用代码,法定代表人\n9144,张三\n")
        let screening = try LeadFixtures.screen(chain, files: [noName])
        #expect(screening.failed)
        #expect(screening.errors.first?.message.contains("企业名称") == true)
        #expect(try LeadFixtures.screen(chain, files: ["/no/such/file.csv"]).failed)
        let mac = try LeadFixtures.temporaryFile("mac.csv", "企业名称,经营范围\r甲电解液有限公司,电解液\r")
        #expect(try LeadFixtures.screen(chain, files: [mac]).errors.first?.message.contains("CR only") == true)
    }

    @Test("small read blocks give the same result as one big block")
    func blocks() throws {
        let chain = try LeadFixtures.chain()
        var rows = "企业名称,国标行业,经营范围,省份,电话\n"
        var line = 2
        var lineOf: [String: Int] = [:]
        for i in 0..<400 {
            switch i % 4 {
            case 0: rows += "电解液\(i)有限公司,C2661,\"电解液,六氟磷酸锂\",广东,0755-\(i)\n"
            case 1: rows += "隔膜\(i)有限公司,C2921,\"湿法隔膜\n涂覆隔膜\",江苏,\n"
            case 2: rows += "餐饮\(i)有限公司,H6210,餐饮服务,北京,010-\(i)\n"
            default: rows += "坏行\(i)有限公司,C2661\n"
            }
            lineOf["\(i)"] = line
            line += i % 4 == 1 ? 2 : 1
        }
        let file = try LeadFixtures.temporaryFile("blocks.csv", rows)
        let whole = try LeadFixtures.screen(chain, files: [file])
        var reading = ReadingOptions()
        reading.blockSize = 97
        reading.workers = 3
        let pieces = try LeadFixtures.screen(chain, files: [file], reading: reading)
        #expect(whole.sources[0].counts == pieces.sources[0].counts)
        #expect(whole.recommendations.map { "\($0.lead.name)@\($0.lead.location.line)" } ==
            pieces.recommendations.map { "\($0.lead.name)@\($0.lead.location.line)" })
        #expect(whole.recommendations.map(\.lead.extra) == pieces.recommendations.map(\.lead.extra))
        #expect(whole.recommendation("电解液4有限公司")?.lead.extra == [Lead.Field(name: "电话", value: "0755-4")])
        #expect(whole.recommendation("隔膜5有限公司")?.lead.extra == [Lead.Field(name: "电话", value: "")])
        #expect(whole.diagnostics == pieces.diagnostics)
        #expect(whole.sources[0].counts.unreadable == 100)
        #expect(whole.recommendation("隔膜397有限公司")?.lead.location.line == lineOf["397"])
        #expect(whole.errors.last?.location?.line == lineOf["399"])
    }

    @Test("a quoted field over two lines reads the same wherever a block ends, between its closing quote and its line end too")
    func blockEndAfterClosingQuote() throws {
        // Found while fixing the long-line cut: a block that ended after a record's
        // closing quote but before its LF cut the record there (its province read as 广)
        // and made the rest (东) a row of its own.
        var rows = "企业名称,国标行业,经营范围,所属省份\n"
        for i in 0..<6 { rows += "电解液\(i)有限公司,C2661,\"电解液\n六氟磷酸锂\",广东\n" }
        let file = try LeadFixtures.temporaryFile("quoted-blocks.csv", rows)
        let whole = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(whole.errors.isEmpty)
        #expect(whole.recommendations.count == 6)
        for blockSize in 56...160 {  // (the header row must end in the first block)
            var reading = ReadingOptions()
            reading.blockSize = blockSize
            reading.workers = 2
            let pieces = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file], reading: reading)
            #expect(pieces.diagnostics == whole.diagnostics, "block \(blockSize)")
            #expect(pieces.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.province ?? "")" }
                == whole.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.province ?? "")" }, "block \(blockSize)")
        }
    }

    @Test("a line longer than the line limit is one unreadable row: its tail makes no enterprise, and the lines after it keep their numbers")
    func overlongLine() throws {
        // Found by review: the line was cut at the limit and its tail read as a new row
        // (an enterprise named by the tail), every later line numbered one too high.
        let long = "长名" + String(repeating: "甲", count: 200) + "有限公司,C2661,电解液,广东\n"
        let text = "企业名称,国标行业,经营范围,所属省份\n"
            + "电解液一有限公司,C2661,电解液,广东\n"
            + long
            + "电解液二有限公司,C2661,\"电解液\n六氟磷酸锂\",广东\n"
            + long + long
            + "电解液三有限公司,C2661,电解液,广东\n"
        let file = try LeadFixtures.temporaryFile("overlong.csv", text)
        // Blocks smaller than the line, so that it is cut while it is being read.
        for blockSize in [64, 97, 250] {
            var reading = ReadingOptions()
            reading.blockSize = blockSize
            reading.maxRecordBytes = 100
            reading.maxLineBytes = 300
            reading.workers = 2
            let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file], reading: reading)
            #expect(screening.errors.map(\.description) == [3, 6, 7].map {
                "\(file):\($0):1: error: row cannot be read: the line is longer than 300 bytes and is not read; this line is skipped, and reading goes on at the next"
            }, "block \(blockSize)")
            #expect(screening.recommendations.map { "\($0.lead.name)@\($0.lead.location.line)" }.sorted()
                == ["电解液一有限公司@2", "电解液三有限公司@8", "电解液二有限公司@4"], "block \(blockSize)")
            #expect(screening.sources[0].counts.rows == 6 && screening.sources[0].counts.unreadable == 3, "block \(blockSize)")
        }
        // Under the limit, the same long lines are rows like any other.
        let whole = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(whole.errors.isEmpty)
        #expect(whole.sources[0].counts.rows == 6)
    }

    @Test("Excel's Unicode text (UTF-16 with a BOM, tab-separated) reads too")
    func utf16() throws {
        let text = try String(contentsOfFile: try LeadFixtures.path("qcc-utf8.csv"), encoding: .utf8)
        let tsv = text.split(separator: "\r\n").map { $0.replacingOccurrences(of: ",", with: "\t") }.joined(separator: "\r\n")
        let file = try LeadFixtures.temporaryFile("unicode.txt", try encode(tsv.replacingOccurrences(of: "\"12\t000\"", with: "12000"), to: "UTF-16"))
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.sources[0].encoding?.name.hasPrefix("UTF-16") == true)
        #expect(screening.sources[0].format == "TSV")
        #expect(screening.names.count == 4)
        #expect(screening.diagnostics.isEmpty, "\(screening.diagnostics)")
    }

    @Test("a GBK file with a byte that is not GB18030 reports that row only")
    func badGBK() throws {
        // 0x80 alone is not a GB18030 character.
        let gbk = try gb18030("企业名称,国标行业,经营范围\n甲电解液有限公司,C2661,电解液\n乙有限公司,C2661,")
            + [0x80] + (try gb18030("\n丙隔膜有限公司,C2921,湿法隔膜\n"))
        let file = try LeadFixtures.temporaryFile("bad-gbk.csv", gbk)
        var reading = ReadingOptions()
        reading.encoding = .gb18030
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file], reading: reading)
        #expect(screening.errors.map { $0.location!.line } == [3])
        #expect(screening.errors.first?.message.contains("0x80") == true)
        #expect(Set(screening.names) == ["甲电解液有限公司", "丙隔膜有限公司"])
    }

    @Test("a UTF-8 export with a stray byte in its first rows is read as UTF-8, its other rows kept", .timeLimit(.minutes(1)))
    func strayByteInUTF8() throws {
        // Tried as GB18030 first, such a file fails nearly every character: the test of
        // the encoding stops at the first, and converting stays linear (when each failure
        // made room for the rest again, this test took minutes in a debug build).
        var bytes = Array("企业名称,国标行业,经营范围\n甲电解液有限公司,C2661,电解".utf8) + [0xFF]
            + Array("液\n".utf8)
        for i in 0..<8_000 { bytes += Array("测试\(i)隔膜有限公司,C2921,湿法隔膜与锂电池隔膜的研发、生产和销售\n".utf8) }
        let file = try LeadFixtures.temporaryFile("stray.csv", bytes)
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.sources.map(\.encoding) == [.utf8])
        #expect(screening.errors.map { $0.location!.line } == [2])
        #expect(screening.errors.first?.message.contains("0xFF") == true)
        #expect(screening.names.count == 8_000)
    }

    @Test("stray bytes in rows far into a block are each found, whichever part of the block is checked with them", .timeLimit(.minutes(1)))
    func strayBytesAcrossTheBlock() throws {
        // Rows are checked for UTF-8 a part of the block at a time (about 128 KB,
        // `RowWorker.textWindowBytes`), just before they are read: a part with a stray byte
        // has its rows' cells checked one by one, and a clean part before it must not let
        // the stray bytes of a later one through. 8,000 rows of about 110 bytes make about
        // seven parts; the stray bytes sit in the second, in the middle and in the last row.
        let stray: Set<Int> = [1_500, 4_321, 7_999]
        var bytes = Array("企业名称,国标行业,经营范围\n".utf8)
        for i in 0..<8_000 {
            bytes += Array("测试\(i)隔膜有限公司,C2921,湿法隔膜与锂电池隔膜的研发".utf8)
            if stray.contains(i) { bytes.append(0xFF) }
            bytes += Array("、生产和销售\n".utf8)
        }
        let file = try LeadFixtures.temporaryFile("stray-far.csv", bytes)
        for blockSize in [4 << 20, 200 << 10] {
            var reading = ReadingOptions()
            reading.blockSize = blockSize
            let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file], reading: reading)
            #expect(screening.sources.map(\.encoding) == [.utf8])
            // Row i is on line i + 2.
            #expect(screening.errors.map { $0.location!.line } == stray.sorted().map { $0 + 2 }, "block of \(blockSize) bytes")
            #expect(screening.errors.allSatisfy { $0.message.contains("0xFF") })
            #expect(screening.names.count == 8_000 - stray.count)
        }
    }
}

@Suite("Reading through mappings")
struct MappedReadingTests {
    /// A file with what cuts records across blocks: quoted fields over several lines,
    /// CRLF ends, stray bytes, a record longer than a block, a line longer than the line
    /// limit and a quote that never closes.
    /// In UTF-8, or with `encode` in another encoding (the stray bytes are 0xFF in both).
    static func awkwardFile(_ name: String, encode: (String) throws -> [UInt8] = { Array($0.utf8) }) throws -> String {
        var bytes = try encode("企业名称,国标行业,经营范围,所属省份\n")
        for i in 0..<3_000 {
            switch i % 10 {
            case 0 where i < 2_500: bytes += try encode("电解液\(i)有限公司,C2661,\"电解液\n六氟磷酸锂\",广东\r\n")
            case 3: bytes += try encode("隔膜\(i)有限公司,C2921,湿法隔膜") + [0xFF] + encode("坏,江苏\n")
            case 7 where i == 1_507: bytes += try encode("长记录\(i)有限公司,C2661,\"" + String(repeating: "电解液研发", count: 3_000) + "\",广东\n")
            case 7 where i == 2_007: bytes += try encode("超长行" + String(repeating: "甲", count: 50_000) + "有限公司,C2661,电解液,广东\n")
            case 9 where i == 2_509: bytes += try encode("未闭合\(i)有限公司,C2661,\"电解液,广东\n")
            default: bytes += try encode("正极\(i)有限公司,C2653,正极材料,湖南\n")
            }
        }
        return try LeadFixtures.temporaryFile(name, bytes)
    }

    /// ``awkwardFile(_:encode:)`` in `encoding` ("UTF-8" or "GB18030"), and how its tests
    /// read it: blocks of `blockSize`, records and lines cut at 64 KB.
    static func awkward(_ name: String, encoding: String, blockSize: Int) throws -> (file: String, reading: ReadingOptions) {
        let file = encoding == "UTF-8" ? try awkwardFile(name + ".csv") : try awkwardFile(name + "-gb.csv", encode: gb18030)
        var reading = ReadingOptions()
        reading.blockSize = blockSize
        reading.maxRecordBytes = 64 << 10
        reading.maxLineBytes = 64 << 10
        if encoding != "UTF-8" { reading.encoding = .gb18030 }
        return (file, reading)
    }

    @Test(
        "a file read through mappings reads as one copied into buffers: every row, error and line alike, in UTF-8 and in GB18030",
        .timeLimit(.minutes(1)), arguments: ["UTF-8", "GB18030"])
    func mappedLikeRead(encoding: String) throws {
        let chain = try LeadFixtures.chain()
        // Blocks well under the line limit: a line only a little longer than the limit is
        // read whole when a buffer happens to reach its end (where blocks end decides),
        // read through mappings or not; this one is far longer.
        for blockSize in [8 << 10, 16 << 10, 24 << 10] {
            var (file, reading) = try Self.awkward("awkward-mapped", encoding: encoding, blockSize: blockSize)
            reading.mapsFiles = false
            let copied = try LeadFixtures.screen(chain, files: [file], reading: reading)
            #expect(copied.sources.map(\.encoding?.name) == [encoding])
            reading.mapsFiles = true
            let mapped = try LeadFixtures.screen(chain, files: [file], reading: reading)
            // The middle was mapped (not the first block nor the last part), the rest read.
            #expect(mapped.sources[0].mappedBytes > 0 && mapped.sources[0].mappedBytes < mapped.sources[0].bytes, "block \(blockSize)")
            #expect(copied.sources[0].mappedBytes == 0)
            #expect(mapped.sources[0].bytes == copied.sources[0].bytes)
            #expect(mapped.sources[0].counts == copied.sources[0].counts, "block \(blockSize)")
            #expect(mapped.diagnostics == copied.diagnostics, "block \(blockSize)")
            #expect(mapped.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.scope?.count ?? 0)" }
                == copied.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.scope?.count ?? 0)" }, "block \(blockSize)")
            // What the file holds, found either way: the stray bytes, the line cut for its
            // length, the quote that never closes, and the long record read whole.
            #expect(copied.errors.count == 300 + 1 + 1, "block \(blockSize)")
            #expect(copied.recommendation("长记录1507有限公司")?.lead.scope?.count == 15_000)
        }
    }

    @Test("a file cut short while it is read through mappings is reported, and the process goes on", .timeLimit(.minutes(1)))
    func cutShortWhileMapped() throws {
        var bytes = Array("企业名称,国标行业,经营范围\n".utf8)
        for i in 0..<20_000 { bytes += Array("电解液\(i)有限公司,C2661,电解液的研发、生产和销售\n".utf8) }
        let file = try LeadFixtures.temporaryFile("cut-short.csv", bytes)
        // Once the first mapped block is mapped (its pages made), the file is cut to its
        // first 100 KB: every later page of that block, and the blocks after it, are
        // beyond its end, where a mapping raises SIGBUS.
        DelimitedReading.afterFirstWindow.withLock { $0[file] = { _ = truncate(file, 100 << 10) } }
        defer { _ = DelimitedReading.afterFirstWindow.withLock { $0.removeValue(forKey: file) } }
        var reading = ReadingOptions()
        reading.blockSize = 64 << 10
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file], reading: reading)
        #expect(screening.errors.map(\.description) == [
            "\(file):1:1: error: \(file) was cut short while it was read (another program changed it), or part of it could not be read from the disk; read it again once it is written",
        ])
        #expect(screening.recommendations.isEmpty)
    }

    @Test("a page of a mapped window that its file no longer reaches reads as zeros and marks the window cut")
    func guardedWindow() throws {
        let bytes = (0..<(64 << 10)).map { UInt8(truncatingIfNeeded: $0 % 251 + 1) }
        let file = try LeadFixtures.temporaryFile("window.bin", bytes)
        let fd = open(file, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(chainmap_mapped_windows_supported() == 1)
        // From an offset that is not a page's start, pages made at once or not.
        for populate: Int32 in [0, 1] {
            let window = chainmap_map_window(fd, 1_000, 60 << 10, populate)
            let base = try #require(window.bytes)
            #expect(base[0] == bytes[1_000] && base[30_000] == bytes[31_000])
            #expect(chainmap_unmap_window(window.slot) == 0)
        }
        let window = chainmap_map_window(fd, 1_000, 60 << 10, 1)
        let base = try #require(window.bytes)
        #expect(truncate(file, 8 << 10) == 0)
        // Within what is left: the file's bytes; beyond it: zeros, where SIGBUS ended the process.
        #expect(base[5_000] == bytes[6_000])
        #expect(base[40_000] == 0 && base[61_000] == 0)
        #expect(chainmap_unmap_window(window.slot) == 1)
        // A window beyond the end is cut from the start when its pages are made.
        let beyond = chainmap_map_window(fd, 32 << 10, 16 << 10, 1)
        #expect(beyond.bytes != nil)
        #expect(chainmap_unmap_window(beyond.slot) == 1)
    }
}

@Suite("Transcoding")
struct TranscoderTests {
    @Test("every byte that is not GB18030 becomes one marker at its place, the rest converted")
    func manyBadBytes() throws {
        let transcoder = try #require(Transcoder(from: "GB18030"))
        var input: [UInt8] = []
        var expected: [UInt8] = []
        var expectedBad: [(offset: Int, byte: UInt8)] = []
        for i in 0..<3_000 {
            let text = i % 3 == 0 ? "电池\(i)" : "隔膜"
            input += try gb18030(text)
            expected += Array(text.utf8)
            // 0x80 and 0xFF alone are not GB18030.
            let byte: UInt8 = i % 2 == 0 ? 0x80 : 0xFF
            input.append(byte)
            expectedBad.append((expected.count, byte))
            expected.append(Transcoder.invalidMarker)
        }
        var output: [UInt8] = Array("前".utf8)
        var bad: [(offset: Int, byte: UInt8)] = []
        let consumed = input.withUnsafeBufferPointer {
            transcoder.convert($0.baseAddress!, count: $0.count, final: true, into: &output, bad: &bad)
        }
        #expect(consumed == input.count)
        #expect(Array(output.dropFirst(3)) == expected)
        #expect(bad.map { $0.offset - 3 } == expectedBad.map(\.offset))
        #expect(bad.map(\.byte) == expectedBad.map(\.byte))
        // Asked for the first bad byte only, it stops there.
        var first: [UInt8] = []
        var one: [(offset: Int, byte: UInt8)] = []
        let read = input.withUnsafeBufferPointer {
            transcoder.convert($0.baseAddress!, count: $0.count, final: false, into: &first, bad: &one, maxBad: 1)
        }
        #expect(one.count == 1 && one[0].byte == 0x80)
        #expect(read == (try gb18030("电池0")).count + 1)
        #expect(first == Array("电池0".utf8) + [Transcoder.invalidMarker])
    }
}

@Suite("Reading a lead file's first block ahead")
struct ReadAheadTests {
    @Test(
        "a first block read ahead reads as the read's own: every row, error and line alike, at every block size, in UTF-8 and in GB18030",
        .timeLimit(.minutes(1)), arguments: ["UTF-8", "GB18030"])
    func readAheadLikeRead(encoding: String) throws {
        let chain = try LeadFixtures.chain()
        // A first block that holds the file's start only, one that ends inside its long
        // record, and one that holds the whole file (one read, no worker).
        for blockSize in [8 << 10, 16 << 10, 8 << 20] {
            var (file, reading) = try MappedReadingTests.awkward("awkward-ahead", encoding: encoding, blockSize: blockSize)
            let own = try LeadFixtures.screen(chain, files: [file], reading: reading)
            let ahead = ReadAhead(path: file, options: reading)
            reading.readAhead = ahead
            let taken = try LeadFixtures.screen(chain, files: [file], reading: reading)
            #expect(ahead.wasTaken, "block \(blockSize)")
            #expect(taken.sources[0].encoding?.name == encoding)
            #expect(taken.sources[0].bytes == own.sources[0].bytes && taken.sources[0].mappedBytes == own.sources[0].mappedBytes)
            #expect(taken.sources[0].counts == own.sources[0].counts, "block \(blockSize)")
            #expect(taken.diagnostics == own.diagnostics, "block \(blockSize)")
            #expect(taken.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.scope?.count ?? 0)" }
                == own.recommendations.map { "\($0.lead.name)@\($0.lead.location.line) \($0.lead.scope?.count ?? 0)" }, "block \(blockSize)")
            // The stray bytes, the quote that never closes, and (where a block ends before
            // it) the line cut for its length; a file read in one block is read whole.
            #expect(own.errors.count == 300 + 1 + (blockSize < 1 << 20 ? 1 : 0), "block \(blockSize)")
        }
    }

    @Test("a first block is read ahead once, for its own file only; a second read of the file reads it itself")
    func takenOnceByItsFile() throws {
        let file = try LeadFixtures.temporaryFile("ahead-once.csv", Array("企业名称,国标行业,经营范围\n甲电池有限公司,C3841,锂离子电池制造\n".utf8))
        let other = try LeadFixtures.temporaryFile("ahead-other.csv", Array("企业名称,国标行业,经营范围\n乙电池有限公司,C3841,锂离子电池制造\n".utf8))
        var reading = ReadingOptions()
        let ahead = ReadAhead(path: file, options: reading)
        reading.readAhead = ahead
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [other, file, file], reading: reading)
        #expect(ahead.wasTaken)
        #expect(screening.sources.map(\.counts.rows) == [1, 1, 1])
        #expect(screening.errors.isEmpty)
        // A roster or a ledger never takes a lead file's block.
        #expect(reading.forOtherFiles.readAhead == nil)
    }

    @Test("nothing is read ahead of standard input, a directory, a missing file or a workbook: their reads say what they say without it")
    func nothingAheadOfOtherInputs() throws {
        let directory = NSTemporaryDirectory() + "ahead-directory-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let yaml = try LeadFixtures.temporaryFile("ahead-leads.yaml", Array("leads:\n  - {name: 甲电池有限公司, scope: 锂离子电池制造}\n".utf8))
        for path in ["-", directory, directory + "/missing.csv", yaml] {
            #expect(ReadAhead(path: path, options: ReadingOptions()).descriptorForTests == nil, "\(path)")
        }
        for path in [directory, directory + "/missing.csv"] {
            var reading = ReadingOptions()
            let own = try LeadFixtures.screen(try LeadFixtures.chain(), files: [path], reading: reading)
            reading.readAhead = ReadAhead(path: path, options: reading)
            let withAhead = try LeadFixtures.screen(try LeadFixtures.chain(), files: [path], reading: reading)
            #expect(withAhead.diagnostics == own.diagnostics && !own.diagnostics.isEmpty, "\(path)")
        }
    }

    @Test(
        "a lead file that is a FIFO (or a pipe, as `--leads <(…)` names one) is read whole: nothing of it is read ahead or taken to tell its kind",
        .timeLimit(.minutes(1)))
    func fifoReadWhole() throws {
        var text = "企业名称,国标行业,经营范围\n"
        for i in 0..<2_000 { text += "电解液\(i)有限公司,C2661,电解液的研发、生产和销售\n" }
        let regular = try LeadFixtures.temporaryFile("fifo-source.csv", Array(text.utf8))
        let fifo = NSTemporaryDirectory() + "leads-fifo-\(getpid())"
        unlink(fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        // Nothing opened ahead: opening a FIFO without a writer would wait for one.
        #expect(ReadAhead(path: fifo, options: ReadingOptions()).descriptorForTests == nil)
        // The writer opens its end once the read opens the other, and writes it all.
        let bytes = Array(text.utf8)
        let writer = Thread {
            // A read that closes its end early fails the write (EPIPE), not the process.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
            let fd = open(fifo, O_WRONLY)
            guard fd >= 0 else { return }
            _ = bytes.withUnsafeBytes { FileSystem.writeAll($0, to: fd) }
            close(fd)
        }
        writer.start()
        var reading = ReadingOptions()
        reading.readAhead = ReadAhead(path: fifo, options: reading)
        let chain = try LeadFixtures.chain()
        let piped = try LeadFixtures.screen(chain, files: [fifo], reading: reading)
        let own = try LeadFixtures.screen(chain, files: [regular])
        #expect(piped.errors.isEmpty)
        #expect(piped.sources[0].counts == own.sources[0].counts)
        #expect(piped.sources[0].counts.rows == 2_000)
        #expect(piped.recommendations.map(\.lead.name) == own.recommendations.map(\.lead.name))
    }

    @Test("a first block that no read takes is let go with its descriptor")
    func untakenBlockClosed() throws {
        let file = try LeadFixtures.temporaryFile("ahead-untaken.csv", Array("企业名称,国标行业,经营范围\n甲电池有限公司,C3841,锂离子电池制造\n".utf8))
        var ahead: ReadAhead? = ReadAhead(path: file, options: ReadingOptions())
        let fd = try #require(ahead?.descriptorForTests)
        var before = stat()
        #expect(fstat(fd, &before) == 0)
        ahead = nil
        // Closed: the number is free, or (the other tests run meanwhile) another file's.
        var after = stat()
        let open = fstat(fd, &after) == 0
        #expect(!open || after.st_ino != before.st_ino || after.st_dev != before.st_dev)
        _ = ahead
    }
}

/// UTF-8 text to GB18030 with iconv, for fixtures made in the test.
func gb18030(_ text: String) throws -> [UInt8] {
    try encode(text, to: "GB18030")
}

/// UTF-8 text to another encoding with iconv (UTF-16 gets a BOM).
func encode(_ text: String, to encoding: String) throws -> [UInt8] {
    let cd = try #require(iconv_open(encoding, "UTF-8").flatMap { $0 == iconv_t(bitPattern: -1) ? nil : $0 })
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let produced = input.withUnsafeMutableBytes { inRaw in
        output.withUnsafeMutableBytes { outRaw -> Int in
            var inPtr: UnsafeMutablePointer<CChar>? = inRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var inLeft = inRaw.count
            var outPtr: UnsafeMutablePointer<CChar>? = outRaw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = outRaw.count
            _ = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
            return outRaw.count - outLeft
        }
    }
    return Array(output[..<produced])
}
