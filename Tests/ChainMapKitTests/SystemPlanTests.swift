@testable import ChainMapKit
import Foundation
import Testing

/// Issue 18: the industrial system (system.yaml): tiers, goals and their actual values,
/// companies once across chains, links shared by chains.
@Suite("Industrial system (system.yaml)")
struct SystemPlanTests {
    static func directory(_ files: [String: String]) throws -> URL {
        let directory = try TestScratch.directory("system")
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory
    }

    /// Two chains that share the link 芯片 and the firm 丙厂 — spelled 丙廠 (Traditional)
    /// in the second.
    static let chainA = """
        chain: 甲链
        id: a
        stages: [上游, 下游]
        links:
          - {id: chip, name: 芯片, stage: 上游, supplies: [end]}
          - {id: end, name: 整机, stage: 下游}
        enterprises:
          - {name: 丙厂, links: [end], role: 链主, revenue: 100}
          - {name: 丁厂, links: [end], revenue: 20}
        leads:
          - {name: 戊集团, links: [chip], status: 签约, invest: 12, tags: [上市公司, 专精特新]}
          - {name: 己集团, links: [chip], status: 在谈, invest: 50, tags: [上市公司]}
        """
    static let chainB = """
        chain: 乙链
        id: b
        stages: [上游, 下游]
        links:
          - {id: chip2, name: 芯片, stage: 上游, supplies: [end2]}
          - {id: end2, name: 终端, stage: 下游}
        enterprises:
          - {name: 丙廠, links: [end2], role: 龙头, revenue: 100}
        leads:
          - {name: 庚集团, links: [chip2], status: 开工, invest: 8, tags: [世界500强]}
        """

    @Test("system.yaml problems are located: an unknown chain id, an unknown tier, a goal that is not a number, an unknown goal")
    func diagnostics() throws {
        let directory = try Self.directory(["a.yaml": Self.chainA, "b.yaml": Self.chainB, "system.yaml": """
            chains:
              a:
                tier: 首位产业
                goals: {产值: 很多, 上市公司: 2.5, 销量: 3}
              c:
                tier: 主导产业
              b:
                tier: 首要产业

            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ChainPipeline().run([directory.path], screening: false)
        let file = directory.appendingPathComponent("system.yaml").path
        #expect(run.planFailed && run.hasErrors)
        #expect(run.diagnostics.filter { $0.location?.file == file }.map(\.description) == [
            "\(file):4:17: error: '产值' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '很多'",
            "\(file):4:27: error: '上市公司' must be a whole number from 0 to 100000, got '2.5'",
            "\(file):4:32: error: unknown key '销量' in goals; known keys are output, 产值, investment, 引资, fortune-500, 三类500强, listed, 上市公司, specialised, 专精特新, foreign, 外资",
            "\(file):5:3: error: 'c' is no chain of the directory (its chains: a, b)",
            "\(file):8:11: error: 'tier' must be one of 首位产业, 主导产业, 新兴产业, 未来产业, got '首要产业'; did you mean '首位产业'?",
        ])
        // system.yaml is no chain file of the directory.
        #expect(run.chains.map(\.chain.id) == ["a", "b"])
    }

    @Test("a chain of system.yaml whose file did not load is not said to be none of the directory's")
    func chainThatDidNotLoad() throws {
        let directory = try Self.directory(["a.yaml": Self.chainA, "b.yaml": "chain: 乙链\nid: b\nlinks: 3\n", "system.yaml": """
            chains:
              a: {tier: 首位产业}
              b: {tier: 主导产业}

            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ChainPipeline().run([directory.path], screening: false)
        let file = directory.appendingPathComponent("system.yaml").path
        #expect(run.diagnostics.filter { $0.location?.file == file }.map(\.description) == [
            "\(file):3:3: error: 'b' is no chain of the directory that loaded (its chains: a); 1 chain file did not load (see its errors): it may be that one",
        ])
    }

    @Test("goals against actual values, by hand: revenue of the file's firms, signed leads' investment and tiers; the system counts each firm once")
    func goals() throws {
        let directory = try Self.directory(["a.yaml": Self.chainA, "b.yaml": Self.chainB, "system.yaml": """
            system: 测试体系
            tiers: [一号产业, 二号产业]
            chains:
              a: {tier: 一号产业, role: 龙头带动, goals: {产值: 200, 引资: 10, 上市公司: 2, 专精特新: 1}}
              b: {tier: 二号产业, goals: {产值: 100, 三类500强: 1}}

            """])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ChainPipeline().run([directory.path], screening: false)
        #expect(!run.hasErrors, "\(run.diagnostics)")
        let system = run.system
        #expect(system.tierGroups?.map(\.tier) == ["一号产业", "二号产业"])
        #expect(system.tierGroups?.map { $0.chains.map(\.chain.id) } == [["a"], ["b"]])
        let goals = try #require(system.goals)
        func values(_ progress: [SystemGoals.Progress]?) -> [String: Double] {
            Dictionary(uniqueKeysWithValues: (progress ?? []).map { ($0.goal.rawValue, $0.actual) })
        }
        // a: 丙厂 100 + 丁厂 20; 戊集团 signed (12 亿, 上市公司, 专精特新); 己集团 only in talks.
        #expect(values(goals.byChain["a"]) == ["产值": 120, "引资": 12, "上市公司": 1, "专精特新": 1])
        // b: 丙廠 100; 庚集团 started, 世界500强.
        #expect(values(goals.byChain["b"]) == ["产值": 100, "三类500强": 1])
        // The system: 丙厂 and 丙廠 are one firm, its revenue counted once.
        #expect(values(goals.total)["产值"] == 120)
        #expect(goals.total.first { $0.goal == .output }?.target == 300)
        #expect(system.totals.enterprises == 2)
        #expect(system.totals.enterprisesInSeveralChains == 1)
        #expect(system.sharedEnterprises.map(\.name) == ["丙厂"])
        #expect(system.sharedEnterprises.first?.chains == ["甲链", "乙链"])
        // 芯片 serves both chains, and both lack it.
        #expect(system.sharedLinks.map(\.name) == ["芯片"])
        let table = ReportIndex.sharedLinksTable(system)
        #expect(table.rows.first?[2] == "2 条链均缺：补一个环节，惠及 2 条链")
        #expect(ReportIndex.planLine(system) == "测试体系：一号产业 1 条、二号产业 1 条。")
        let markdown = MarkdownReport.index(system)
        #expect(markdown.contains("### 一号产业（1 条）\n\n定位：甲链：龙头带动\n\n"))
        #expect(markdown.contains("| 甲链 | 一号产业 | 产值（亿元） | 200 | 120 | 60.0 |"))
    }

    @Test("a chain the plan does not place is a warning, listed under 未分层")
    func unplaced() throws {
        let directory = try Self.directory(["a.yaml": Self.chainA, "b.yaml": Self.chainB, "system.yaml": "chains:\n  a: {tier: 首位产业}\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ChainPipeline().run([directory.path], screening: false)
        #expect(!run.hasErrors)
        let file = directory.appendingPathComponent("system.yaml").path
        #expect(run.diagnostics.map(\.description) == ["\(file):1:1: warning: chain 'b' (乙链) has no tier in system.yaml; the overview lists it under 未分层"])
        #expect(run.system.tierGroups?.map(\.tier) == ["首位产业", "未分层"])
    }

    @Test("the overview table lists the chains by tier, in the plan's order of tiers, with a 层级 column")
    func tierOrder() throws {
        let directory = try Self.directory(["a.yaml": Self.chainA, "b.yaml": Self.chainB, "system.yaml": "chains:\n  a: {tier: 新兴产业}\n  b: {tier: 首位产业}\n"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = ChainPipeline().run([directory.path], screening: false)
        #expect(!run.hasErrors, "\(run.diagnostics)")
        let table = ReportIndex.table(run.system)
        #expect(table.headers.prefix(2) == ["产业链", "层级"])
        #expect(table.rows.map { Array($0.prefix(2)) } == [["乙链", "首位产业"], ["甲链", "新兴产业"]])
    }
}

