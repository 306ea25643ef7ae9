import ChainMapKit
import Foundation
import Testing

/// Issue 17: `chainmap projects`, the built binary, on the hand-worked ledger of
/// ProjectMeasuresTests written as a CSV.
@Suite("chainmap projects (the built binary)")
struct ProjectsCommandTests {
    static let ledger = """
        项目名称,投资方,产业链,环节,协议投资额,到位资金,签约日期,约定开工日期,开工日期,投产日期,状态,责任单位,包保领导,备注
        P1,甲,nev-battery,电芯,25,10,2026-01-10,2026-04-01,2026-03-20,2026-08-01,投产,经开区,张三,
        P2,乙,nev-battery,正极材料,6,1,2026-02-15,2026-06-30,,,签约,高新区,李四,
        P3,丙,auto-parts,,120,,2026-05-20,2026-12-31,2026-09-01,,开工,经开区,,
        P4,丁,,,50,0,2026-01-05,2026-03-01,,,终止,高新区,,
        P5,戊,,,8,,2026-10-15,,,,签约,经开区,,
        P6,己,,,,,,,,,在谈,高新区,,
        P7,庚,nev-battery,,2,0.4,2025-06-01,2025-09-01,2025-10-01,,开工,高新区,,

        """

    static func run(_ arguments: [String]) throws -> (BinaryRunner.Output, URL) {
        let directory = try BinaryRunner.temporaryDirectory()
        let path = directory.appendingPathComponent("台账.csv")
        try Data(ledger.utf8).write(to: path)
        return (try BinaryRunner.run(["projects", path.path] + arguments, in: BinaryRunner.packageRoot), directory)
    }

    /// Without --as-of or a date in the ledger, the measures are as of today where the
    /// user is (the C library's local time, `TZ`): two zones 26 hours apart are always on
    /// different days, so a day read in UTC, or in either zone for both, fails one of them.
    @Test("without --as-of, as_of is today in the user's time zone")
    func asOfIsTheLocalDay() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("台账.csv")
        try Data(Self.ledger.utf8).write(to: path)
        // POSIX zones, which need no time-zone database: XXX-14 is UTC+14.
        for (zone, hours) in [("XXX-14", 14), ("YYY+12", -12)] {
            func day() throws -> String {
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = try #require(TimeZone(secondsFromGMT: hours * 3600))
                let c = calendar.dateComponents([.year, .month, .day], from: Date())
                return "\(c.year!)-" + [c.month!, c.day!].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: "-")
            }
            var environment = ProcessInfo.processInfo.environment
            environment["TZ"] = zone
            environment["NO_COLOR"] = "1"
            let before = try day()
            let out = try BinaryRunner.run(["projects", path.path, "--json"], in: BinaryRunner.packageRoot, environment: environment)
            let after = try day()
            #expect(out.status == 0, "\(out.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any])
            let asOf = try #require(object["as_of"] as? String)
            #expect(asOf == before || asOf == after, "\(zone): \(asOf), expected \(before)")
        }
    }

    @Test("--json gives as_of, overall, by_chain, by_owner and alerts with the hand-worked figures")
    func json() throws {
        let (out, directory) = try Self.run(["--as-of", "2026-09-30", "--json"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any])
        #expect(object["as_of"] as? String == "2026-09-30")
        let overall = try #require(object["overall"] as? [String: Any])
        #expect(overall["signed"] as? Int == 4)
        #expect(overall["due"] as? Int == 3)
        #expect(overall["fulfilled"] as? Int == 2)
        #expect(overall["fulfilment_rate"] as? Double == 0.6667)
        #expect(overall["start_rate"] as? Double == 0.75)
        #expect(overall["production_rate"] as? Double == 0.25)
        #expect(overall["agreed_invest"] as? Double == 153)
        #expect(overall["funds_in_place"] as? Double == 11.4)
        #expect(overall["funds_rate"] as? Double == 0.0745)
        #expect(overall["size_classes"] as? [String: Int] == ["1": 4, "5": 3, "10": 2, "50": 1, "100": 1])
        let byChain = try #require(object["by_chain"] as? [[String: Any]])
        #expect(byChain.map { $0["chain"] as? String } == ["nev-battery", "auto-parts", ""])
        let byOwner = try #require(object["by_owner"] as? [[String: Any]])
        #expect(byOwner.map { $0["owner"] as? String } == ["经开区", "高新区"])
        #expect(byOwner[1]["fulfilment_rate"] as? Double == 0.5)
        let alerts = try #require(object["alerts"] as? [[String: Any]])
        #expect(alerts.map { "\($0["project"]!) \($0["owner"]!) \($0["reason"]!)" } == [
            "P2 高新区 签约已 227 天未开工",
            "P2 高新区 约定开工日期 2026-06-30 已过 92 天，尚未开工",
            "P7 高新区 签约满一年，资金到位率 20.0%，低于 30.0%",
        ])
    }

    @Test("nothing due yet: the 履约率 prints as —; the table names the day and the four lists")
    func table() throws {
        let (out, directory) = try Self.run(["--as-of", "2025-08-01"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("项目推进与考核（截至 2025-08-01，7 个项目）"))
        let total = try #require(out.stdout.split(separator: "\n").first { $0.hasPrefix("合计") })
        #expect(total.contains("—"))
        for list in ["推介清单（0 个）", "跟踪清单（1 个）", "签约清单（2 个）", "开工清单（3 个）"] { #expect(out.stdout.contains(list), "\(list)") }
    }

    @Test("--targets adds each measure's progress and flag, in the table and the JSON; a bad targets file exits 1")
    func targets() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let targets = directory.appendingPathComponent("targets.yaml")
        try Data("targets:\n  签约项目: 8\n  开工率: 80%\n  履约率: 0.6\n".utf8).write(to: targets)
        let (out, d1) = try Self.run(["--as-of", "2026-09-30", "--targets", targets.path, "--json"])
        defer { try? FileManager.default.removeItem(at: d1) }
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any])
        let rows = try #require(object["targets"] as? [[String: Any]])
        #expect(rows.map { "\($0["measure"]!) \($0["flag"]!)" } == ["签约项目 落后", "履约率 达标", "开工率 滞后"])
        #expect(rows[0]["due"] as? Double == 5.9836)  // 8 × 273/365
        let (table, d2) = try Self.run(["--as-of", "2026-09-30", "--targets", targets.path])
        defer { try? FileManager.default.removeItem(at: d2) }
        #expect(table.stdout.contains("年度目标"))
        let signed = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("签约项目") })
        #expect(signed.hasSuffix("落后"))
        try Data("targets:\n  开工率: 170%\n".utf8).write(to: targets)
        let (bad, d3) = try Self.run(["--targets", targets.path])
        defer { try? FileManager.default.removeItem(at: d3) }
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\(targets.path):2:8: error: '开工率' must be between 0 and 100%, got '170%'"))
    }

    @Test("gaps --projects: a gap with a signed project keeps its kind and gains the reason; a missing ledger is refused")
    func gapsWithProjects() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ledger = directory.appendingPathComponent("台账.csv")
        try Data("项目名称,产业链,环节,协议投资额,签约日期,状态\n晶圆厂项目,electronics,wafer-fab,80,2026-03-01,签约\n".utf8).write(to: ledger)
        let plain = try BinaryRunner.run(["gaps", "chains/electronics.yaml", "--json"], in: BinaryRunner.packageRoot)
        let out = try BinaryRunner.run(["gaps", "chains/electronics.yaml", "--projects", ledger.path, "--json"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        let before = try #require(try JSONSerialization.jsonObject(with: plain.stdoutBytes) as? [[String: Any]])
        let after = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [[String: Any]])
        let was = try #require(before.first { $0["id"] as? String == "wafer-fab" })
        let now = try #require(after.first { $0["id"] as? String == "wafer-fab" })
        #expect(now["kind"] as? String == "fill")
        #expect((now["reasons"] as? [String])?.first == "已签约项目 晶圆厂项目（协议投资 80 亿元）")
        #expect(now["priority"] as? Double == ((was["priority"] as? Double ?? 0) * 5).rounded() / 10)
        let missing = try BinaryRunner.run(["render", "chains/electronics.yaml", "--projects", "没有.csv", "-o", directory.path], in: BinaryRunner.packageRoot)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such project ledger: 没有.csv"))
    }

    @Test("a bad --as-of and a ledger with errors exit 1 with located messages")
    func errors() throws {
        let (bad, d1) = try Self.run(["--as-of", "2026-02-30"])
        defer { try? FileManager.default.removeItem(at: d1) }
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--as-of '2026-02-30' is not a date such as 2026-09-30"))
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("l.csv")
        try Data("项目名称,产业链,环节,签约日期\nX,nev-battery,汽车传感器,2026-01-01\n".utf8).write(to: path)
        let out = try BinaryRunner.run(["projects", path.path], in: BinaryRunner.packageRoot)
        #expect(out.status == 1)
        #expect(out.stderr.contains("\(path.path):2:15: error: 环节 '汽车传感器' is not a link of 新能源汽车动力电池 (nev-battery); it is a link of 汽车零部件 (auto-parts)"))
    }

    @Test("a YAML ledger gives its own as-of and targets; --as-of and --targets override them")
    func yamlLedger() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("台账.yaml")
        try Data("""
            as-of: 2026-06-30
            targets: {签约项目: 4}
            projects:
              - {项目名称: P1, 产业链: nev-battery, 环节: 电芯, 协议投资额: 25, 签约日期: 2026-01-10}
              - {项目名称: P2, 产业链: nev-battery, 协议投资额: 6, 签约日期: 2026-08-15}

            """.utf8).write(to: path)
        let own = try BinaryRunner.run(["projects", path.path, "--json"], in: BinaryRunner.packageRoot)
        #expect(own.status == 0, "\(own.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: own.stdoutBytes) as? [String: Any])
        #expect(object["as_of"] as? String == "2026-06-30")
        #expect((object["overall"] as? [String: Any])?["signed"] as? Int == 1)
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.first?["measure"] as? String == "签约项目" && targets.first?["target"] as? Double == 4)
        let later = try BinaryRunner.run(["projects", path.path, "--json", "--as-of", "2026-09-30"], in: BinaryRunner.packageRoot)
        let laterObject = try #require(try JSONSerialization.jsonObject(with: later.stdoutBytes) as? [String: Any])
        #expect(laterObject["as_of"] as? String == "2026-09-30")
        #expect((laterObject["overall"] as? [String: Any])?["signed"] as? Int == 2)
    }

    @Test("--alert-days moves the line for signed and not started: P2 (227 days) is listed at 90, not at 300")
    func alertDays() throws {
        func reasons(_ extra: [String]) throws -> [String] {
            let (out, directory) = try Self.run(["--as-of", "2026-09-30", "--json"] + extra)
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(out.status == 0, "\(out.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any])
            return (object["alerts"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        }
        #expect(try reasons([]).contains("签约已 227 天未开工"))
        let later = try reasons(["--alert-days", "300"])
        #expect(!later.contains { $0.hasPrefix("签约已") })
        #expect(later.contains("约定开工日期 2026-06-30 已过 92 天，尚未开工"))
        let bad = try Self.run(["--alert-days", "0"]).0
        #expect(bad.status != 0 && bad.stderr.contains("--alert-days must be from 1 to 3650, got 0"))
    }
}

