import Foundation
import Testing

@Suite("chainmap gaps")
struct GapsCommandTests {
    static let chain = """
        chain: 示例动力电池
        id: example
        region: 示例市
        links:
          - {id: salt, name: 锂盐, stage: 上游, supplies: [cathode], weight: 3}
          - {id: cathode, name: 正极材料, stage: 上游, supplies: [cell], weight: 4}
          - {id: separator, name: 隔膜, stage: 上游, supplies: [cell], weight: 2}
          - {id: cell, name: 电芯, stage: 中游, supplies: [vehicle], weight: 5}
          - {id: vehicle, name: 新能源整车, stage: 下游, weight: 5}
        enterprises:
          - {name: 示例汽车集团, links: [vehicle], role: 链主, revenue: 300}
          - {name: 示例电芯科技, links: [cell], revenue: 20, tags: [上市公司]}
          - {name: 示例隔膜材料, links: [separator]}
          - {name: 示例隔膜二厂, links: [separator], tags: [省级重点]}
        """

    static let second = """
        chain: 生物医药
        id: bio
        links:
          - {id: api, name: 原料药, stage: 上游, supplies: [drug]}
          - {id: drug, name: 制剂, stage: 中游}
        enterprises:
          - {name: 某制药, links: [drug], role: 链主}
        """

    /// A temporary directory with the given files; removed by `body`'s caller.
    static func withFiles(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        try body(directory)
    }

    static func parseJSON(_ output: BinaryRunner.Output) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [[String: Any]])
    }

    static func kinds(_ objects: [[String: Any]]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: objects.map { ($0["id"] as? String ?? "", $0["kind"] as? String ?? "") })
    }

    @Test("--edges --json: every supplies edge with from, to and kind, as the analysis and the map classify it")
    func edges() throws {
        let loop = """
            chain: 回路
            id: loop
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [c]}
              - {id: c, name: 丙, stage: 下游, supplies: [b]}
              - {id: b, name: 乙, stage: 中游, supplies: [a]}
            enterprises:
              - {name: 丙集团, links: [c], role: 链主}
            """
        try Self.withFiles(["loop.yaml": loop, "example.yaml": Self.chain]) { directory in
            let output = try BinaryRunner.run(["gaps", ".", "--edges", "--json"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            let objects = try Self.parseJSON(output)
            let edges = objects.map { "\($0["chain"] as? String ?? ""): \($0["from"] as? String ?? "")→\($0["to"] as? String ?? "") \($0["kind"] as? String ?? "")" }
            #expect(edges == [
                "example: salt→cathode forward", "example: cathode→cell forward", "example: separator→cell forward",
                "example: cell→vehicle forward",
                "loop: a→c forward", "loop: c→b feedback", "loop: b→a feedback",
            ])
            let table = try BinaryRunner.run(["gaps", "loop.yaml", "--edges"], in: directory)
            #expect(table.stdout.contains("丙") && table.stdout.contains("回流"))
        }
    }

    @Test("--json: an array, highest priority first, with id, name, stage, kind, priority, reasons")
    func json() throws {
        try Self.withFiles(["example.yaml": Self.chain]) { directory in
            let output = try BinaryRunner.run(["gaps", "example.yaml", "--json"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stderr.isEmpty)
            let objects = try Self.parseJSON(output)
            #expect(objects.count == 4)
            for object in objects {
                #expect(object["id"] is String)
                #expect(object["name"] is String)
                #expect(object["stage"] is String)
                #expect(["fill", "extend", "distant", "strengthen"].contains(object["kind"] as? String ?? ""))
                #expect(object["priority"] is NSNumber)
                #expect(!((object["reasons"] as? [String]) ?? []).isEmpty)
                #expect(object["chain"] as? String == "example")
            }
            let priorities = objects.compactMap { ($0["priority"] as? NSNumber)?.doubleValue }
            #expect(priorities == priorities.sorted(by: >))
            // 隔膜 is weak: 省级重点 is no default tier tag.
            #expect(Self.kinds(objects) == ["salt": "extend", "cathode": "fill", "cell": "strengthen", "separator": "strengthen"])
            #expect(objects.first?["id"] as? String == "cathode")
        }
    }

    @Test("--min-enterprises and --tier-tags override the file's thresholds")
    func overrides() throws {
        try Self.withFiles(["example.yaml": Self.chain]) { directory in
            // 隔膜 has 2 enterprises, one tagged 省级重点: strong once that is a tier tag.
            var output = try BinaryRunner.run(
                ["gaps", "example.yaml", "--json", "--tier-tags", "省级重点,上市公司"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(Self.kinds(try Self.parseJSON(output)) == ["salt": "extend", "cathode": "fill", "cell": "strengthen"])
            // 电芯 has 1 enterprise, tagged 上市公司: strong once 1 is enough.
            output = try BinaryRunner.run(
                ["gaps", "example.yaml", "--json", "--min-enterprises", "1"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(Self.kinds(try Self.parseJSON(output)) == ["salt": "extend", "cathode": "fill", "separator": "strengthen"])
            output = try BinaryRunner.run(["gaps", "example.yaml", "--json", "--tier-tags", "专精特新"], in: directory)
            #expect(Self.kinds(try Self.parseJSON(output))["separator"] == "strengthen")
            // Bad values are usage errors.
            output = try BinaryRunner.run(["gaps", "example.yaml", "--min-enterprises", "0"], in: directory)
            #expect(output.status != 0)
            #expect(output.stderr.contains("--min-enterprises"))
            output = try BinaryRunner.run(["gaps", "example.yaml", "--tier-tags", " , "], in: directory)
            #expect(output.status != 0)
        }
    }

    @Test("--csv: UTF-8 with BOM, one row per entry")
    func csv() throws {
        try Self.withFiles(["example.yaml": Self.chain]) { directory in
            let output = try BinaryRunner.run(["gaps", "example.yaml", "--csv"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(Array(output.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = output.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 5)
            #expect(lines[1].hasPrefix("1,示例动力电池,cathode,正极材料,上游,补链,"))
        }
    }

    @Test("the default table is plain when piped, and names kinds and reasons in Chinese")
    func table() throws {
        try Self.withFiles(["example.yaml": Self.chain]) { directory in
            let output = try BinaryRunner.run(["gaps", "example.yaml"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(!output.stdout.contains("\u{1B}"))
            #expect(output.stdout.contains("示例动力电池（示例市）"))
            #expect(output.stdout.contains("补链"))
            #expect(output.stdout.contains("直接配套本地链主 示例汽车集团（新能源整车，营收300亿元）"))
        }
    }

    @Test("--markdown writes tables to paste")
    func markdown() throws {
        try Self.withFiles(["example.yaml": Self.chain]) { directory in
            let output = try BinaryRunner.run(["gaps", "example.yaml", "--markdown"], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.hasPrefix("## 示例动力电池（示例市）：缺失与薄弱环节"))
            #expect(output.stdout.contains("| 序号 | 环节 | 阶段 | 类型 | 优先级 | 理由 |"))
        }
    }

    @Test("a directory: an overview across chains, and one JSON array with each object's chain")
    func directory() throws {
        try Self.withFiles(["a.yaml": Self.chain, "b.yaml": Self.second]) { directory in
            var output = try BinaryRunner.run(["gaps", "."], in: directory)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stdout.hasPrefix("产业体系总览"))
            #expect(output.stdout.contains("生物医药"))
            output = try BinaryRunner.run(["gaps", ".", "--json"], in: directory)
            let objects = try Self.parseJSON(output)
            #expect(Set(objects.compactMap { $0["chain"] as? String }) == ["example", "bio"])
            let priorities = objects.compactMap { ($0["priority"] as? NSNumber)?.doubleValue }
            #expect(priorities == priorities.sorted(by: >))
        }
    }

    @Test("a file that fails to load: its diagnostics on stderr, the others analysed, exit 1")
    func failure() throws {
        let broken = "chain: 坏\nlinks:\n  - {id: a, name: 甲, stage: 上游, supplies: [nope]}\n"
        try Self.withFiles(["a.yaml": Self.chain, "z.yaml": broken]) { directory in
            let output = try BinaryRunner.run(["gaps", ".", "--json"], in: directory)
            #expect(output.status == 1)
            #expect(output.stderr.contains("z.yaml:3:"))
            #expect(output.stderr.contains("error:"))
            #expect(try Self.parseJSON(output).count == 4)
        }
        try Self.withFiles([:]) { directory in
            let output = try BinaryRunner.run(["gaps", "missing.yaml", "--json"], in: directory)
            #expect(output.status == 1)
            #expect(output.stderr.contains("no such file"))
            #expect(try Self.parseJSON(output).isEmpty)
        }
    }
}
