import ChainMapKit
import Foundation
import Testing

/// Issue 18: `chainmap compare` (对标) and `chainmap diff` (this year against last), the
/// built binary, on small fixtures written here.
@Suite("chainmap compare and diff (the built binary)")
struct CompareDiffCommandTests {
    /// This region: 甲 (covered, 链主), 乙 (covered by one small firm: weak), 丙 and 丁 gaps.
    static let here = """
        chain: 电池
        id: here
        region: 本区
        stages: [上游, 中游]
        links:
          - {id: a, name: 正极材料, stage: 上游, supplies: [c], codes: [C3985]}
          - {id: b, name: 负极材料, stage: 上游, supplies: [c], codes: [C3091]}
          - {id: d, name: 隔膜, stage: 上游, supplies: [c], codes: [C2921]}
          - {id: c, name: 电芯, stage: 中游, codes: [C3841]}
        enterprises:
          - {name: 本区正极有限公司, links: [a], role: 链主}
          - {name: 本区负极有限公司, links: [b]}
        """

    /// There: 正极 by id (under another name), 隔膜 under another id (by name), 負極 under
    /// another id and name (by its code), 電芯 in Traditional characters (by name), and
    /// 固态电解质, which matches nothing: unaligned.
    static let there = """
        chain: 電池
        id: there
        region: 彼市
        stages: [上游, 中游]
        links:
          - {id: a, name: 正极, stage: 上游, supplies: [cell]}
          - {id: membrane, name: 隔膜, stage: 上游, supplies: [cell]}
          - {id: graphite, name: 人造石墨, stage: 上游, supplies: [cell], codes: [C3091]}
          - {id: cell, name: 電芯, stage: 中游}
          - {id: x, name: 固态电解质, stage: 上游, codes: [C2613]}
        enterprises:
          - {name: 彼市隔膜有限公司, links: [membrane], role: 龙头}
          - {name: 彼市電芯有限公司, links: [cell], role: 链主}
        """

    /// A region with nothing local.
    static let empty = """
        chain: 电池
        id: empty
        region: 空市
        stages: [上游, 中游]
        links:
          - {id: a, name: 正极材料, stage: 上游, supplies: [c]}
          - {id: c, name: 电芯, stage: 中游}
        """

    static func write(_ files: [String: String]) throws -> URL {
        let directory = try BinaryRunner.temporaryDirectory()
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    @Test("compare aligns by id, by name (Traditional too) and by code; reports the unaligned; a region with no coverage")
    func compare() throws {
        let directory = try Self.write(["here.yaml": Self.here, "there.yaml": Self.there, "empty.yaml": Self.empty])
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(["compare", "here.yaml", "there.yaml", "empty.yaml", "--json"], in: directory)
        #expect(out.status == 0, "\(out.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any])
        let links = try #require(object["links"] as? [[String: Any]])
        #expect(links.map { $0["id"] as? String } == ["a", "b", "d", "c"])
        func region(_ link: String, _ r: Int) -> [String: Any] {
            ((links.first { $0["id"] as? String == link }?["regions"] as? [[String: Any]]) ?? [])[r]
        }
        #expect(region("a", 0)["status"] as? String == "covered" && region("a", 0)["leader"] as? Bool == true)
        #expect(region("b", 0)["status"] as? String == "weak" && region("b", 0)["enterprises"] as? Int == 1)
        #expect(region("d", 0)["status"] as? String == "gap")
        #expect(region("d", 1)["aligned_by"] as? String == "name" && region("d", 1)["link"] as? String == "membrane")
        #expect(region("d", 1)["status"] as? String == "covered")
        #expect(region("b", 1)["aligned_by"] as? String == "code" && region("b", 1)["link"] as? String == "graphite")
        #expect(region("c", 1)["aligned_by"] as? String == "name" && region("c", 1)["link"] as? String == "cell")
        #expect(region("c", 1)["leader"] as? Bool == true)
        #expect(region("a", 1)["aligned_by"] as? String == "id" && region("a", 1)["status"] as? String == "gap")
        #expect(region("a", 2)["status"] as? String == "gap" && region("a", 2)["region"] as? String == "空市")
        #expect(region("b", 2)["status"] is NSNull && region("b", 2)["enterprises"] as? Int == 0)
        let summary = try #require(object["summary"] as? [String: Any])
        let regions = try #require(summary["regions"] as? [[String: Any]])
        #expect(regions.map { $0["region"] as? String } == ["本区", "彼市", "空市"])
        #expect(regions.map { $0["coverage"] as? Double } == [0.5, 0.4, 0])
        #expect(summary["lacking"] as? [String] == ["d", "c"])
        let unaligned = try #require(object["unaligned"] as? [[String: Any]])
        #expect(unaligned.map { $0["id"] as? String } == ["x"])
        #expect(unaligned.first?["reason"] as? String == "电池中没有 id、名称或行业代码相同的环节")

        // The table and the side-by-side map.
        let table = try BinaryRunner.run(["compare", "here.yaml", "there.yaml", "--map", "compare.svg"], in: directory)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("对标地区已有、本区缺失的环节 2 个：隔膜（彼市已有）；电芯（彼市已有）。"))
        #expect(table.stdout.contains("固态电解质"))
        let svg = try String(contentsOf: directory.appendingPathComponent("compare.svg"), encoding: .utf8)
        #expect(svg.contains("本区") && svg.contains("彼市") && svg.contains("链主 · 1 家"))
    }

    @Test("compare refuses one file, more than ten, and a map that is no image")
    func compareArguments() throws {
        let directory = try Self.write(["here.yaml": Self.here])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try BinaryRunner.run(["compare", "here.yaml"], in: directory).stderr.contains("compare needs this region's chain and at least one more"))
        let eleven = Array(repeating: "here.yaml", count: 11)
        #expect(try BinaryRunner.run(["compare"] + eleven, in: directory).stderr.contains("at most 10 regions"))
        let map = try BinaryRunner.run(["compare", "here.yaml", "here.yaml", "--map", "x.doc"], in: directory)
        #expect(map.status == 1 && map.stderr.contains("--map 'x.doc' must end in .svg, .png or .pdf"))
    }

    /// Last year: 甲 covered by a small firm, 乙 covered, 丙 a gap; leads in talks.
    static let lastYear = """
        chain: 电池
        id: here
        stages: [上游, 中游]
        links:
          - {id: a, name: 正极材料, stage: 上游, supplies: [c]}
          - {id: b, name: 负极材料, stage: 上游, supplies: [c]}
          - {id: d, name: 隔膜, stage: 上游, supplies: [c]}
          - {id: c, name: 电芯, stage: 中游}
        enterprises:
          - {name: 甲厂, links: [a]}
          - {name: 乙一厂, links: [b], tags: [上市公司]}
          - {name: 乙二厂, links: [b]}
          - {name: 电芯厂, links: [c], role: 龙头}
        leads:
          - {name: 隔膜集团, links: [d], status: 在谈}
          - {name: 正极集团, links: [a], status: 签约}
          - {name: 远方集团, links: [d]}
        """

    /// This year: 隔膜 covered (补链成效), 甲厂 became 链主, 乙 lost its listed firm (weak),
    /// leads moved: 隔膜集团 在谈 → 签约, 正极集团 签约 → 开工, 远方集团 none → 在谈.
    static let thisYear = """
        chain: 电池
        id: here
        stages: [上游, 中游]
        links:
          - {id: a, name: 正极材料, stage: 上游, supplies: [c]}
          - {id: b, name: 负极材料, stage: 上游, supplies: [c]}
          - {id: d, name: 隔膜, stage: 上游, supplies: [c]}
          - {id: c, name: 电芯, stage: 中游}
        enterprises:
          - {name: 甲厂, links: [a], role: 链主}
          - {name: 乙二厂, links: [b]}
          - {name: 电芯厂, links: [c], role: 龙头}
          - {name: 隔膜新厂, links: [d]}
        leads:
          - {name: 隔膜集团, links: [d], status: 签约}
          - {name: 正极集团, links: [a], status: 开工}
          - {name: 远方集团, links: [d], status: 在谈}
        """

    static func check(_ object: [String: Any]) {
        #expect(object["newly_covered"] as? [String] == ["d"])
        #expect(object["newly_weak"] as? [String] == ["b"])
        #expect(object["lost"] as? [String] == [])
        #expect(object["new_leaders"] as? [String] == ["甲厂"])
        let moved = (object["moved_leads"] as? [[String: Any]] ?? []).map { "\($0["name"]!):\($0["from"]!):\($0["to"]!)" }
        #expect(moved == ["隔膜集团:在谈:签约", "正极集团:签约:开工", "远方集团:<null>:在谈"])
        #expect((object["coverage"] as? [String: Any])?["before"] as? Double == 0.75)
        #expect((object["coverage"] as? [String: Any])?["after"] as? Double == 1)
    }

    @Test("diff of two versions: exactly the newly covered, newly weak, new leaders and moved leads")
    func diff() throws {
        let directory = try Self.write(["old.yaml": Self.lastYear, "new.yaml": Self.thisYear])
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(["diff", "old.yaml", "new.yaml", "--json"], in: directory)
        #expect(out.status == 0, "\(out.stderr)")
        Self.check(try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any]))
        let text = try BinaryRunner.run(["diff", "old.yaml", "new.yaml"], in: directory)
        #expect(text.stdout.contains("与上一版相比，电池产业链覆盖率由 75.0% 提高到 100.0%"))
        #expect(text.stdout.contains("新覆盖环节 1 个（补链成效）：隔膜。"))
        #expect(text.stdout.contains("新增链主、龙头企业 1 家：甲厂（链主）。"))
        #expect(text.stdout.contains("招商线索推进 3 家：隔膜集团（在谈→签约）、正极集团（签约→开工）、远方集团（无→在谈）。"))
        #expect(text.stdout.contains("新出现薄弱环节 1 个：负极材料，需强链。"))
    }

    @Test("diff --since reads the file as it was at a git revision, its problems named REV:path")
    func since() throws {
        let git = try #require(Executable.find("git"), "the test needs git")
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("chains"), withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("chains/here.yaml")
        func gitRun(_ arguments: [String]) throws {
            let out = try BinaryRunner.run(
                ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"] + arguments,
                in: directory, executable: URL(fileURLWithPath: git))
            #expect(out.status == 0, "git \(arguments): \(out.stderr)")
        }
        try gitRun(["init", "-q"])
        try Data(Self.lastYear.utf8).write(to: file)
        try gitRun(["add", "."])
        try gitRun(["commit", "-q", "-m", "last year"])
        try Data(Self.thisYear.utf8).write(to: file)
        let out = try BinaryRunner.run(["diff", "chains/here.yaml", "--since", "HEAD", "--json"], in: directory)
        #expect(out.status == 0, "\(out.stderr)")
        Self.check(try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [String: Any]))
        // A broken old version is reported as it was: REV:path:line:col.
        try Data("chain: 电池\nid: here\nstages: [上游]\nlinks:\n  - {id: a, name: 甲, stage: 中流}\n".utf8).write(to: file)
        try gitRun(["commit", "-q", "-am", "broken"])
        try Data(Self.thisYear.utf8).write(to: file)
        let broken = try BinaryRunner.run(["diff", "chains/here.yaml", "--since", "HEAD"], in: directory)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("HEAD:chains/here.yaml:5:"), "\(broken.stderr)")
        let unknown = try BinaryRunner.run(["diff", "chains/here.yaml", "--since", "no-such-tag"], in: directory)
        #expect(unknown.status == 1 && unknown.stderr.contains("cannot read no-such-tag:chains/here.yaml from git"), "\(unknown.stderr)")
    }

    @Test("check reads a directory's system.yaml against its chains")
    func checkSystem() throws {
        let directory = try Self.write(["here.yaml": Self.here, "system.yaml": "chains:\n  here: {tier: 首位产业}\n  hare: {tier: 主导产业}\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(["check", "."], in: directory)
        #expect(out.status == 1)
        #expect(out.stderr.contains("./system.yaml:3:3: error: 'hare' is no chain of the directory"), "\(out.stderr)")
        try Data("chains:\n  here: {tier: 首位产业}\n".utf8).write(to: directory.appendingPathComponent("system.yaml"))
        let good = try BinaryRunner.run(["check", "."], in: directory)
        #expect(good.status == 0 && good.stdout.contains("./system.yaml: ok — 产业体系"), "\(good.stderr)")
    }
}

