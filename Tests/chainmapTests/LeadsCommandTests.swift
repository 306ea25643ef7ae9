import Foundation
import Testing

@Suite("chainmap leads")
struct LeadsCommandTests {
    static let fixtures = "Tests/ChainMapKitTests/Fixtures/leads"

    static func run(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(["leads", "\(fixtures)/chain.yaml"] + arguments, in: BinaryRunner.packageRoot)
    }

    static func json(_ output: BinaryRunner.Output) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: output.stdoutBytes)
        return try #require(value as? [[String: Any]])
    }

    @Test("--json gives the contract's fields, best first, without local or non-matching leads")
    func json() throws {
        let output = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let leads = try Self.json(output)
        #expect(leads.count == 4)
        for lead in leads {
            #expect(lead["name"] is String)
            #expect((lead["links"] as? [String])?.isEmpty == false)
            #expect(lead["score"] is Double || lead["score"] is Int)
            #expect((lead["reasons"] as? [String])?.isEmpty == false)
        }
        let scores = leads.map { ($0["score"] as! NSNumber).doubleValue }
        #expect(scores == scores.sorted(by: >))
        let names = leads.compactMap { $0["name"] as? String }
        #expect(!names.contains("示例电芯科技有限公司"))
        #expect(!names.contains("戊餐饮管理有限公司"))
        #expect(leads[0]["links"] as? [String] == ["electrolyte"])
        let extra = try #require(leads[0]["extra"] as? [String: String])
        #expect(extra["统一社会信用代码"] == "91440300MA5XXXXXX1")
    }

    @Test("the chain file's own leads count too, unless --no-chain-leads")
    func chainLeads() throws {
        let own = try BinaryRunner.run(["leads", "chains/nev-battery.yaml", "--json"], in: BinaryRunner.packageRoot)
        #expect(own.status == 0)
        #expect(try !Self.json(own).isEmpty)
        let none = try BinaryRunner.run(["leads", "chains/nev-battery.yaml", "--json", "--no-chain-leads"], in: BinaryRunner.packageRoot)
        #expect(try Self.json(none).isEmpty)
    }

    @Test("--csv starts with a UTF-8 BOM and carries the reasons and the pass-through columns")
    func csv() throws {
        let output = try Self.run(["--leads", "\(Self.fixtures)/qcc-gbk.csv", "--csv"])
        #expect(output.status == 0)
        #expect(Array(output.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let lines = output.stdout.dropFirst().components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("排名,企业名称,得分,匹配环节,环节ID,推荐理由"))
        // 所属城市 is read (the lead's city), so it is a column of its own, not a pass-through one.
        #expect(lines[0].hasSuffix("省份,城市,标签,注册资本(亿元),意向投资(亿元),状态,配套关系,备注,来源,登记状态,法定代表人,成立日期,统一社会信用代码,企业类型"))
        #expect(lines[1].hasPrefix("1,甲电解液材料股份有限公司,"))
        #expect(lines[1].contains("补链"))
        #expect(lines.filter { !$0.isEmpty }.count == 5)
    }

    @Test("the summary goes to standard error: rows read, matched, unreadable, time")
    func summary() throws {
        let output = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json"])
        #expect(output.stderr.contains("读取 8 行，匹配 5 行，推荐 4 家，无法读取 0 行"))
        #expect(output.stderr.contains("用时"))
        #expect(!output.stderr.contains("\r"))  // no progress display off a terminal
        #expect(!output.stdout.contains("读取"))
        let quiet = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json", "--quiet"])
        #expect(quiet.stderr.isEmpty)
    }

    @Test("unreadable rows are reported as FILE:LINE:COL and counted; --strict makes them fail")
    func unreadable() throws {
        let file = "\(Self.fixtures)/broken.csv"
        let output = try Self.run(["--leads", file, "--json"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("\(file):3:24: error: row cannot be read: row has 5 cells but the header has 4"))
        #expect(output.stderr.contains("\(file):6:13: error: row cannot be read: byte 0xC8"))
        #expect(output.stderr.contains("无法读取 5 行"))
        #expect(try Self.json(output).count == 3)
        // Under --strict a failed run writes nothing: not to standard output, and not
        // over an earlier file.
        let strict = try Self.run(["--leads", file, "--json", "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout.isEmpty)
        #expect(strict.stderr.contains("chainmap: error: --strict: 5 row(s) could not be read, so nothing was written"))
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let earlier = directory.appendingPathComponent("leads.json")
        try Data("earlier".utf8).write(to: earlier)
        let kept = try Self.run(["--leads", file, "--json", "--strict", "-o", earlier.path])
        #expect(kept.status == 1)
        #expect(try String(contentsOf: earlier, encoding: .utf8) == "earlier")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["leads.json"])
        let capped = try Self.run(["--leads", file, "--json", "--max-errors", "2"])
        #expect(capped.stderr.components(separatedBy: "row cannot be read").count - 1 == 2)
        #expect(capped.stderr.contains("3 more unreadable rows not listed"))
    }

    @Test("the table shows the ranked list and the per-gap view; --markdown the same as Markdown")
    func tables() throws {
        let table = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--per-gap", "2"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("招商目标企业名录 — 示例动力电池（示例市）：共 4 家"))
        #expect(table.stdout.contains("分环节推荐（每个缺失、薄弱环节前 2 家）"))
        #expect(table.stdout.contains("暂无匹配线索"))
        #expect(table.stdout.contains("已是本地企业、未列入：示例电芯科技有限公司"))
        let markdown = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--markdown", "--top", "2"])
        #expect(markdown.stdout.hasPrefix("## 招商目标企业名录 — 示例动力电池（示例市）：共 4 家，列出前 2 家"))
        #expect(markdown.stdout.contains("| 排名 | 企业名称 | 得分 |"))
    }

    @Test("--top, --prefer and --tier-weight change the list as asked")
    func options() throws {
        let top = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json", "--top", "1"])
        #expect(try Self.json(top).count == 1)
        // A count past any list keeps them all (the largest one trapped on overflow).
        let all = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json"])
        for huge in ["9223372036854775807", "2305843009213693952"] {
            let capped = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json", "--top", huge, "--per-gap", huge])
            #expect(capped.status == 0, "\(capped.stderr)")
            #expect(capped.stdout == all.stdout)
        }
        let table = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--markdown", "--top", "9223372036854775807", "--per-gap", "9223372036854775807"])
        #expect(table.status == 0, "\(table.stderr)")
        // The report and the map take the same counts.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("chainmap-huge-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let report = try BinaryRunner.run(
            ["report", "\(Self.fixtures)/chain.yaml", "--leads", "\(Self.fixtures)/qcc-utf8.csv", "--max-leads", "9223372036854775807",
             "--per-gap", "9223372036854775807", "-o", out.path, "--quiet"], in: BinaryRunner.packageRoot)
        #expect(report.status == 0, "\(report.stderr)")
        let render = try BinaryRunner.run(
            ["render", "\(Self.fixtures)/chain.yaml", "--leads", "\(Self.fixtures)/qcc-utf8.csv", "--show-leads", "9223372036854775807",
             "-o", out.path], in: BinaryRunner.packageRoot)
        #expect(render.status == 0, "\(render.stderr)")
        let svgs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".svg") }
        #expect(!svgs.isEmpty)
        let preferred = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json", "--prefer", "长三角"])
        let first = try #require(try Self.json(preferred).first { $0["name"] as? String == "乙隔膜科技有限公司" })
        #expect((first["reasons"] as? [String])?.contains { $0.contains("位于江苏（长三角）") } == true)
        let weighted = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--json", "--tier-weight", "上市公司=0", "--tier-weight", "高新技术企业=0"])
        let plain = try #require(try Self.json(weighted).first { $0["name"] as? String == "甲电解液材料股份有限公司" })
        #expect((plain["points"] as? [String: Any])?["tiers"] as? Double == 0)
    }

    @Test("bad options and unreadable files fail with a message and status 1")
    func failures() throws {
        let region = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--prefer", "粤港奥"])
        #expect(region.status == 1)
        #expect(region.stderr.contains("'粤港奥' is not a region, province or city; name one of 区域 粤港澳 长三角 京津冀"))
        #expect(region.stderr.contains("did you mean '粤港澳'?"))
        let missing = try Self.run(["--leads", "\(Self.fixtures)/missing.csv"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing.csv"))
        let encoding = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--encoding", "latin9"])
        #expect(encoding.status != 0)
        let weight = try Self.run(["--leads", "\(Self.fixtures)/qcc-utf8.csv", "--tier-weight", "上市公司"])
        #expect(weight.status != 0)
        #expect(weight.stderr.contains("tier=points"))
    }

    @Test("-o writes the output to a file; a GBK export can be forced with --encoding")
    func outputFile() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out/leads.json")
        let output = try Self.run(["--leads", "\(Self.fixtures)/qcc-gbk.csv", "--encoding", "gbk", "--json", "-o", target.path])
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty)
        let leads = try JSONSerialization.jsonObject(with: Data(contentsOf: target)) as? [[String: Any]]
        #expect(leads?.count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["leads.json"])
    }
}
