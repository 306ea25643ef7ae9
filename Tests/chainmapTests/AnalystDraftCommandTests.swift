import ChainMapKit
import Foundation
import Testing

/// Issue 13 through the binary: the 江津 摩托车 draft and the 企查查 / 天眼查 exports
/// (Tests/ChainMapKitTests/Fixtures/jiangjin), as the user ran them.
@Suite("Issue 13: the analyst's commands")
struct AnalystDraftCommandTests {
    static let fixtures = "Tests/ChainMapKitTests/Fixtures/jiangjin"
    static let exports = ["--leads", "\(fixtures)/qcc.csv", "--leads", "\(fixtures)/tyc-gbk.tsv"]

    static func leads(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(["leads", "\(fixtures)/motorcycle.yaml"] + exports + arguments, in: BinaryRunner.packageRoot)
    }

    static func json(_ output: BinaryRunner.Output) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [[String: Any]])
    }

    static func names(_ output: BinaryRunner.Output) throws -> [String] {
        try json(output).compactMap { $0["name"] as? String }
    }

    @Test("2. check reports the tab and every other error of the draft, and exits 1")
    func checkGoesOnAfterATab() throws {
        let output = try BinaryRunner.run(["check", "\(Self.fixtures)/draft.yaml"], in: BinaryRunner.packageRoot)
        #expect(output.status == 1)
        let errors = output.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 8, "\(output.stderr)")
        #expect(errors.first == "\(Self.fixtures)/draft.yaml:6:1: error: tab character in indentation; YAML indents with spaces only")
    }

    @Test("1, 3, 4, 5. the draft written with Chinese commas, role synonyms, units and notes checks clean")
    func theDraftChecksClean() throws {
        let output = try BinaryRunner.run(["check", "\(Self.fixtures)/motorcycle.yaml"], in: BinaryRunner.packageRoot)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.contains("7 个环节, 3 个已覆盖, 3 家本地企业"))
    }

    @Test("7. the summary counts data rows only and names the skipped footer once")
    func footerSummary() throws {
        let output = try Self.leads(["--json"])
        #expect(output.status == 0)
        #expect(output.stderr.contains("qcc.csv（CSV，UTF-8 (BOM)）：读取 9 行"))
        #expect(output.stderr.contains("跳过页脚 2 行"))
        #expect(output.stderr.components(separatedBy: "is a footer of the export").count == 2)
    }

    @Test("11. --explain-excluded names every enterprise left out, with its reason and row")
    func explainExcluded() throws {
        let output = try Self.leads(["--explain-excluded"])
        #expect(output.status == 0)
        let section = try #require(output.stdout.components(separatedBy: "未列入的企业（3 家，及原因）").last)
        for (name, reason, line) in [
            ("某已注销车架厂", "登记状态为注销、吊销等，已不经营", 8), ("江津车架厂", "已是本地企业（江津车架厂）", 10),
            ("某整车有限公司", "仅匹配已覆盖环节（整车）；--include-covered 可列入", 11),
        ] {
            let row = try #require(section.split(separator: "\n").first { $0.hasPrefix(name) }, "\(name)")
            #expect(row.contains(reason) && row.hasSuffix("qcc.csv:\(line)"), "\(row)")
        }
        let csv = try Self.leads(["--explain-excluded", "--csv"])
        let rows = csv.stdout.components(separatedBy: "\r\n").filter { $0.hasPrefix("未列入,") }
        #expect(rows.count == 3)
    }

    @Test("11. --include-covered lists the 整车 candidate; without it the list does not")
    func includeCovered() throws {
        #expect(try !Self.names(Self.leads(["--json"])).contains("某整车有限公司"))
        let leads = try Self.json(Self.leads(["--json", "--include-covered"]))
        let whole = try #require(leads.first { $0["name"] as? String == "某整车有限公司" })
        #expect(whole["links"] as? [String] == ["whole"])
    }

    @Test("11. --exclude-province and --outside-only keep firms of a province out")
    func provinces() throws {
        let all = try Self.names(Self.leads(["--json"]))
        #expect(all.contains("深圳某电控有限公司") && all.contains("重庆某车架有限公司") && all.contains("宗申动力股份有限公司"))
        let noGuangdong = try Self.names(Self.leads(["--json", "--exclude-province", "广东"]))
        #expect(noGuangdong == all.filter { $0 != "深圳某电控有限公司" })
        let outside = try Self.names(Self.leads(["--json", "--outside-only"]))
        #expect(outside == all.filter { $0 != "重庆某车架有限公司" && $0 != "宗申动力股份有限公司" })
        let bad = try Self.leads(["--json", "--exclude-province", "火星"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("'火星' is not"))
    }

    @Test("12. --prefer takes a city, read from the export's city column")
    func preferCity() throws {
        let leads = try Self.json(Self.leads(["--json", "--prefer", "深圳"]))
        func region(_ name: String) throws -> Double {
            let lead = try #require(leads.first { $0["name"] as? String == name })
            return try #require((lead["points"] as? [String: Any])?["region"] as? NSNumber).doubleValue
        }
        #expect(try region("深圳某电控有限公司") == 6)
        #expect(try region("浙江某曲轴有限公司") == 0)
        let help = try BinaryRunner.run(["leads", "--help"])
        for name in ["粤港澳", "长三角", "成渝", "地级市"] { #expect(help.stdout.contains(name), "\(name)") }
    }

    @Test("13. on a terminal the table fits COLUMNS; piped it keeps its full width")
    func terminalWidth() throws {
        let binary = BinaryRunner.executable.path
        let command = "\(binary) leads \(Self.fixtures)/motorcycle.yaml --leads \(Self.fixtures)/qcc.csv --quiet"
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["COLUMNS"] = "100"
        // `script` runs the command on a pseudo-terminal.
        let onTerminal = try BinaryRunner.run(
            ["-qec", command, "/dev/null"], in: BinaryRunner.packageRoot, environment: environment, executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(onTerminal.status == 0, "\(onTerminal.stderr)")
        // `script` mixes standard error in; diagnostics are one line each, as compilers print them.
        let lines = onTerminal.stdout.replacingOccurrences(of: "\r", with: "").split(separator: "\n")
            .filter { !$0.contains(": warning: ") }
        #expect(lines.count > 10)
        #expect(lines.allSatisfy { TextTable.displayWidth(String($0)) <= 100 }, "\(lines.map { TextTable.displayWidth(String($0)) })")
        let piped = try BinaryRunner.run(["leads", "\(Self.fixtures)/motorcycle.yaml", "--leads", "\(Self.fixtures)/qcc.csv", "--quiet"], in: BinaryRunner.packageRoot, environment: environment)
        #expect(piped.stdout.split(separator: "\n").contains { TextTable.displayWidth(String($0)) > 100 })
    }
}
