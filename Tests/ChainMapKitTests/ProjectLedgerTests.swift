import ChainMapKit
import Foundation
import Testing

/// Issue 17: reading the project ledger (项目台账), every problem located at its cell.
@Suite("Project ledger loading")
struct ProjectLedgerTests {
    /// Today as the C library reads the local time agrees with Foundation's calendar in
    /// the local time zone (read before and after, in case midnight passes between).
    @Test func todayIsTheLocalDay() throws {
        func foundation() -> CalendarDay? {
            let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone.current, from: Date())
            return CalendarDay(year: now.year!, month: now.month!, day: now.day!)
        }
        let before = try #require(foundation())
        let today = CalendarDay.today()
        let after = try #require(foundation())
        #expect(today == before || today == after)
    }

    static let chains = ChainSet(arguments: [packageRoot().appendingPathComponent("chains").path]).chains

    static func load(_ csv: String) throws -> (ProjectLedger, String) {
        let directory = try TestScratch.directory("ledger")
        let path = directory.appendingPathComponent("台账.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        return (ProjectLedgerLoader(chains: chains).load(path: path), path)
    }

    static let header = "项目名称,投资方,产业链,环节,协议投资额（万元）,到位资金,签约日期,约定开工日期,开工日期,投产日期,状态,责任单位,包保领导,备注\n"

    @Test("a row reads into a project: synonyms, units, the spellings of dates, chain and link by id or name")
    func reads() throws {
        let (ledger, _) = try Self.load(Self.header + """
            甲电池项目,甲公司,nev-battery,电芯,250000,10,2026-01-10,2026/4/1,2026年3月20日,,开工,经开区,张三,一期
            乙正极项目,乙公司,,正极材料,60000,,20260215,,,,签约,高新区,,

            """)
        #expect(ledger.diagnostics.isEmpty, "\(ledger.diagnostics)")
        #expect(ledger.projects.count == 2)
        let first = ledger.projects[0]
        #expect(first.name == "甲电池项目" && first.investor == "甲公司")
        #expect(first.chain == "nev-battery" && first.link == "cell")
        #expect(first.agreed == 25 && first.inPlace == 10)
        #expect(first.signedOn == CalendarDay(year: 2026, month: 1, day: 10))
        #expect(first.dueStart == CalendarDay(year: 2026, month: 4, day: 1))
        #expect(first.startedOn == CalendarDay(year: 2026, month: 3, day: 20))
        #expect(first.status == .started && first.owner == "经开区" && first.leader == "张三" && first.notes == "一期")
        #expect(first.location.line == 2)
        // A link named without its chain is found in the one chain that has it.
        #expect(ledger.projects[1].chain == "nev-battery" && ledger.projects[1].link == "cathode")
        #expect(ledger.projects[1].agreed == 6)
    }

    @Test("every problem is located at its cell: unknown link, a link of another chain, bad and out-of-order dates, a status against the dates, funds above the agreement")
    func diagnostics() throws {
        let (ledger, path) = try Self.load(Self.header + """
            一,甲,nev-battery,飞行汽车,10,,2026-01-10,,,,签约,经开区,,
            二,乙,nev-battery,,10,,2026-13-01,,,,,经开区,,
            三,丙,nev-battery,,10,,2026-03-01,,2026-02-01,,开工,经开区,,
            四,丁,nev-battery,,10,,2026-03-01,,,,在谈,经开区,,
            五,戊,nev-battery,,10,12,2026-03-01,,,,签约,经开区,,
            六,己,nev-battery,汽车传感器,10,,2026-03-01,,,,签约,经开区,,
            七,庚,新材料,,10,,2026-03-01,,,,投产,经开区,,

            """)
        #expect(ledger.diagnostics.map(\.description) == [
            "\(path):2:17: error: 环节 '飞行汽车' is not a link of 新能源汽车动力电池 (nev-battery)",
            "\(path):3:22: error: 签约日期 '2026-13-01' is not a date such as 2026-03-15",
            "\(path):4:34: error: 开工日期 2026-02-01 comes before 签约日期 2026-03-01",
            "\(path):5:36: error: 状态 is 在谈, but 签约日期 is 2026-03-01",
            "\(path):6:21: warning: 到位资金 12 亿元 is more than 协议投资额（万元） 0.001 亿元",
            "\(path):7:17: error: 环节 '汽车传感器' is not a link of 新能源汽车动力电池 (nev-battery); it is a link of 汽车零部件 (auto-parts)",
            "\(path):8:5: error: 产业链 '新材料' is no chain of the chains read (advanced-materials, auto-parts, electronics, energy-saving, laser, natural-gas, nev-battery, pharma-health, prepared-food, smart-equipment)",
            "\(path):8:28: error: 状态 is 投产, but 投产日期 is empty",
        ])
        // Only the row with a warning alone stays a project.
        #expect(ledger.projects.map(\.name) == ["五"])
        #expect(ledger.hasErrors)
    }

    @Test("YAML ledgers, targets and system.yaml report tabs and repeated keys, and a key given in two spellings, instead of reading one value and not the other")
    func yamlFilesReportEveryProblem() throws {
        let directory = try TestScratch.directory("ledger-yaml")
        func problems(_ name: String, _ text: String, _ load: (String) -> [Diagnostic]) throws -> [String] {
            let path = directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return load(path).flatMap(\.lines).map { $0.replacingOccurrences(of: directory.path + "/", with: "") }
        }
        let ledger = { (path: String) in ProjectLedgerLoader(chains: Self.chains).load(path: path).diagnostics }
        let a = try problems("a.yaml", """
            as-of: 2026-09-30
            截至日期: 2026-06-30
            projects:
              - 项目名称: 甲项目
                协议投资额: 10
                协议投资额: 99
            项目:
              - {项目名称: 乙项目, 产业链: nev-battery}
            """, ledger)
        #expect(a == [
            "a.yaml:2:7: error: 'as-of' and '截至日期' are one key in two spellings; write it once",
            "a.yaml:1:8: note: 'as-of' is written here",
            "a.yaml:6:5: error: duplicate key '协议投资额' in one mapping; each key may appear once",
            "a.yaml:5:5: note: '协议投资额' is first written here",
            "a.yaml:8:3: error: 'projects' and '项目' are one key in two spellings; write it once",
            "a.yaml:4:3: note: 'projects' is written here",
        ])
        #expect(try problems("b.yaml", "projects:\n  - 项目名称: 甲项目\n\t产业链: nev-battery\n", ledger) == [
            "b.yaml:3:1: error: tab character in indentation; YAML indents with spaces only",
        ])
        let targets = { (path: String) in ProjectTargetsLoader().load(path: path).diagnostics }
        let t = try problems("t.yaml", """
            targets:
              签约项目: 30
              signed: 10
              协议引资: 100
              协议引资: 120
              季度:
                Q1: {签约项目: 6}
              quarters:
                Q2: {签约项目: 9}
            """, targets)
        #expect(t == [
            "t.yaml:3:11: error: '签约项目' and 'signed' are one key in two spellings; write it once",
            "t.yaml:2:9: note: '签约项目' is written here",
            "t.yaml:5:3: error: duplicate key '协议引资' in one mapping; each key may appear once",
            "t.yaml:4:3: note: '协议引资' is first written here",
            "t.yaml:9:5: error: '季度' and 'quarters' are one key in two spellings; write it once",
            "t.yaml:7:5: note: '季度' is written here",
        ])
        let plan = { (path: String) in SystemPlanLoader().load(path: path, chains: Self.chains).diagnostics.filter(\.isError) }
        let system = try problems("system.yaml", """
            chains:
              nev-battery:
                tier: 主导产业
                tier: 未来产业
                goals: {产值: 1200, output: 900}
            """, plan)
        #expect(system == [
            "system.yaml:4:5: error: duplicate key 'tier' in one mapping; each key may appear once",
            "system.yaml:3:5: note: 'tier' is first written here",
            "system.yaml:5:31: error: '产值' and 'output' are one key in two spellings; write it once",
            "system.yaml:5:17: note: '产值' is written here",
        ])
        // A chain file's notes and 备注.
        #expect(loadYAML("chain: x\nlinks:\n  - {id: a, name: 甲, stage: 上游, notes: 一, 备注: 二}\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:3:43: error: '备注' gives 'notes' again; write it once",
            "t.yaml:3:40: note: 'notes' is first given here",
        ])
    }

    @Test("over a directory, a project of no chain read is an error at its cell (it was dropped from every report); a chain file named alone keeps it for the chain it names")
    func projectOfNoChainRead() throws {
        let directory = try TestScratch.directory("ledger-region")
        try Data("""
            chain: 电池
            id: battery
            projects: ledger.csv
            links:
              - {id: cell, name: 电芯, stage: 中游}
            """.utf8).write(to: directory.appendingPathComponent("battery.yaml"))
        try Data((Self.header + "甲项目,甲公司,batery,cell,10,,2026-01-05,,,,签约,,,\n乙项目,乙公司,battery,cell,5,,2026-01-05,,,,签约,,,\n").utf8)
            .write(to: directory.appendingPathComponent("ledger.csv"))
        let ledger = directory.appendingPathComponent("ledger.csv").path
        let region = ChainPipeline().run([directory.path], screening: false)
        #expect(region.projectsFailed)
        #expect(region.diagnostics.filter(\.isError).map(\.description) == [
            "\(ledger):2:9: error: 产业链 'batery' is no chain of the chains read; did you mean 'battery'?",
        ])
        let alone = ChainPipeline().run([directory.appendingPathComponent("battery.yaml").path], screening: false)
        #expect(!alone.projectsFailed && alone.diagnostics.filter(\.isError).isEmpty)
        #expect(alone.projects.projects.map(\.chain) == ["batery", "battery"])
        #expect(alone.chains.first?.chain.projects.map(\.name) == ["乙项目"])
    }

    @Test("a whole number is read as an Excel serial day only within 1990–2100: a year or a month typed as a number is not a date")
    func serialDays() throws {
        let (ledger, path) = try Self.load(Self.header + """
            甲项目,甲公司,nev-battery,cell,10,,46000,,,,签约,,,
            乙项目,乙公司,nev-battery,cell,10,,2026,,,,签约,,,
            丙项目,丙公司,nev-battery,cell,10,,202603,,,,签约,,,

            """)
        #expect(ledger.projects.first?.signedOn == CalendarDay(parsing: "2025-12-09"))
        // (Not also "状态 is 签约, but 签约日期 is empty": the cell is not empty.)
        #expect(ledger.diagnostics.map(\.description) == [
            "\(path):3:30: error: 签约日期 '2026' is not a date such as 2026-03-15",
            "\(path):4:30: error: 签约日期 '202603' is not a date such as 2026-03-15",
        ])
    }

    @Test("a status that the dates contradict: 在谈 that has started or is producing, 签约 that is producing, 投产 without 开工日期")
    func statusAgainstDates() throws {
        let (ledger, path) = try Self.load(Self.header + """
            甲项目,甲公司,nev-battery,cell,10,,,,2026-03-01,,在谈,,,
            乙项目,乙公司,nev-battery,cell,10,,2026-01-05,,,2026-06-01,签约,,,
            丙项目,丙公司,nev-battery,cell,10,,2026-01-05,,,2026-06-01,投产,,,
            丁项目,丁公司,nev-battery,cell,10,,2026-01-05,,2026-02-01,2026-06-01,投产,,,

            """)
        #expect(ledger.diagnostics.map { $0.description.replacingOccurrences(of: path, with: "P") } == [
            "P:2:44: error: 状态 is 在谈, but 开工日期 is 2026-03-01: the project has started (开工)",
            "P:3:54: error: 状态 is 签约, but 投产日期 is 2026-06-01: the project is producing (投产)",
            "P:4:54: error: 状态 is 投产, but 开工日期 is empty: a producing project has started (开工)",
        ])
        #expect(ledger.projects.count == 1)
    }

    @Test("a project listed twice in one ledger (name and investor) is counted once, with a warning at the repeat, so that projects and report count alike")
    func repeatedProject() throws {
        let (ledger, path) = try Self.load(Self.header + """
            甲项目,甲公司,nev-battery,cell,10,,2026-01-05,,,,签约,,,
            甲项目,甲公司,nev-battery,cell,80,,2026-05-18,,,,签约,,,
            甲项目,乙公司,nev-battery,cell,5,,2026-01-05,,,,签约,,,

            """)
        #expect(ledger.projects.map(\.investor) == ["甲公司", "乙公司"])
        #expect(ledger.diagnostics.flatMap(\.lines).map { $0.replacingOccurrences(of: path, with: "P") } == [
            "P:3:1: warning: project '甲项目' of '甲公司' is listed again; it is counted once",
            "P:2:1: note: counted as listed here",
        ])
    }

    @Test("of two listings of a project, the one further along counts, in the first's place; across ledgers too")
    func repeatedProjectFurtherAlong() throws {
        let (ledger, path) = try Self.load(Self.header + """
            甲项目,甲公司,nev-battery,cell,10,,2025-06-05,,,,签约,,,
            乙项目,乙公司,nev-battery,cell,5,,2026-01-05,,,,签约,,,
            甲项目,甲公司,nev-battery,cell,10,,2025-06-05,,2025-10-01,,开工,,,
            甲项目,甲公司,nev-battery,cell,10,,2025-06-05,,,,签约,,,

            """)
        #expect(ledger.projects.map(\.name) == ["甲项目", "乙项目"])
        #expect(ledger.projects.map(\.status) == [.started, .signed])
        #expect(ledger.diagnostics.flatMap(\.lines).map { $0.replacingOccurrences(of: path, with: "P") } == [
            "P:4:1: warning: project '甲项目' of '甲公司' is listed again, further along (开工); it is counted once, as listed here",
            "P:2:1: note: listed before here (签约)",
            "P:5:1: warning: project '甲项目' of '甲公司' is listed again; it is counted once",
            "P:4:1: note: counted as listed here",
        ])
        // Across ledgers, the same rule (a project listed in last year's and this year's).
        let counted = ProjectLedgerLoader.countedOnce(ledger.projects.reversed() + ledger.projects)
        #expect(counted.map(\.name) == ["乙项目", "甲项目"] && counted.map(\.status) == [.signed, .started])
    }

    @Test("a header cell's spaces are not quoted in a message about its column")
    func spacedHeader() throws {
        let (ledger, path) = try Self.load("项目名称,投资方,产业链,环节, 签约日期 ,状态 \n甲项目,甲公司,nev-battery,cell,,签约\n")
        #expect(ledger.diagnostics.flatMap(\.lines).map { $0.replacingOccurrences(of: path, with: "P") } == [
            "P:2:27: error: 状态 is 签约, but 签约日期 is empty",
        ])
    }

    @Test("a listing without 状态 is as far along as its dates say; 终止 is furthest")
    func repeatedProjectByDates() throws {
        let (ledger, path) = try Self.load(Self.header + """
            甲项目,甲公司,nev-battery,cell,10,,2025-06-05,,,,签约,,,
            甲项目,甲公司,nev-battery,cell,10,,2025-06-05,,2025-09-01,,,,,
            乙项目,乙公司,nev-battery,cell,10,,2025-06-05,,2025-09-01,,开工,,,
            乙项目,乙公司,nev-battery,cell,10,,2025-06-05,,2025-09-01,,终止,,,

            """)
        #expect(ledger.projects.map { $0.stage() } == [.started, .terminated])
        #expect(ledger.diagnostics.flatMap(\.lines).map { $0.replacingOccurrences(of: path, with: "P") } == [
            "P:3:1: warning: project '甲项目' of '甲公司' is listed again, further along (开工); it is counted once, as listed here",
            "P:2:1: note: listed before here (签约)",
            "P:5:1: warning: project '乙项目' of '乙公司' is listed again, further along (终止); it is counted once, as listed here",
            "P:4:1: note: listed before here (开工)",
        ])
    }

    @Test("a column that names a column already read, or is close to a known header, is said not to be read; the export's own columns pass")
    func unreadColumns() throws {
        let (ledger, path) = try Self.load("""
            序号,项目名称,产业链,环节,投资总额,协议投资额,签约时期,状态,所在地
            1,甲项目,nev-battery,cell,30,20,,在谈,示例区

            """)
        #expect(ledger.projects.map(\.agreed) == [20])
        #expect(ledger.diagnostics.map { $0.description.replacingOccurrences(of: path, with: "P") } == [
            "P:1:1: warning: column 5 '投资总额' is 协议投资额 again and is not read; column 6 '协议投资额' is",
            "P:1:1: warning: column 7 '签约时期' is not read; did you mean '签约日期'?",
        ])
    }

    @Test("an empty ledger asks for a ledger's header; a rate of 90 says to write 90% or 0.9")
    func wordsForLedgers() throws {
        let (ledger, path) = try Self.load("")
        #expect(ledger.diagnostics.map(\.description) == [
            "\(path):1:1: error: file is empty; it needs a header row such as 项目名称,投资方,产业链,环节,协议投资额,签约日期,状态",
        ])
        let directory = try TestScratch.directory("targets-rate")
        let targets = directory.appendingPathComponent("t.yaml").path
        try Data("targets:\n  履约率: 90\n  开工率: 120%\n".utf8).write(to: URL(fileURLWithPath: targets))
        #expect(ProjectTargetsLoader().load(path: targets).diagnostics.map { $0.description.replacingOccurrences(of: targets, with: "T") } == [
            "T:2:8: error: '履约率' must be between 0 and 100%, got '90'; a rate without % is a fraction: write 90% or 0.9",
            "T:3:8: error: '开工率' must be between 0 and 100%, got '120%'",
        ])
    }

    @Test("a ledger larger than the bound is refused before it is read")
    func bounded() throws {
        let path = TestScratch.root.appendingPathComponent("ledger-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.header.utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: UInt64(ProjectLedgerLoader.maxBytes + 1))  // sparse
        try handle.close()
        let ledger = ProjectLedgerLoader(chains: Self.chains).load(path: path)
        #expect(ledger.failed)
        #expect(ledger.diagnostics.map(\.message) == ["the ledger is 67,108,865 bytes; chainmap reads ledgers of at most 67,108,864 bytes"])
        // Named through a symbolic link, the file it leads to is measured, not the link.
        let link = path + ".link.csv"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        defer { try? FileManager.default.removeItem(atPath: link) }
        let linked = ProjectLedgerLoader(chains: Self.chains).load(path: link)
        #expect(linked.diagnostics.map(\.message) == ["the ledger is 67,108,865 bytes; chainmap reads ledgers of at most 67,108,864 bytes"])
    }

    @Test("a ledger without a 项目名称 column is an error that says so")
    func missingHeader() throws {
        let (ledger, _) = try Self.load("名称,金额\n甲,1\n")
        #expect(ledger.failed)
        #expect(ledger.diagnostics.contains { $0.message.contains("the ledger needs a 项目名称 column") })
    }
}

/// Issue 17: a gap with a signed or started project is 在建补链 — still a gap, named,
/// with its priority halved — on the shipped auto-parts chain and its sample ledger.
@Suite("在建补链")
struct UnderwayGapTests {
    static func analysed(ledger: Bool) throws -> AnalysedChain {
        let path = packageRoot().appendingPathComponent("chains/auto-parts.yaml").path
        let pipeline = ChainPipeline()
        if ledger { return try #require(pipeline.run([path], screening: false).chains.first) }
        var chain = try #require(pipeline.load([path]).chains.first)
        chain.projectFiles = []
        return AnalysedChain(analysis: pipeline.analyse(chain), roster: nil)
    }

    @Test("the gap keeps its kind, gains the reason first and half its priority; open gaps and weak links are untouched")
    func underway() throws {
        let with = try Self.analysed(ledger: true), without = try Self.analysed(ledger: false)
        let thermal = try #require(with.chain.links.first { $0.id == "thermal" }).ref
        let entry = try #require(with.analysis.entry(for: thermal))
        let plain = try #require(without.analysis.entry(for: thermal))
        #expect(entry.kind == .fill && plain.kind == .fill)
        #expect(entry.project?.name == "汽车热管理部件项目")
        #expect(entry.reasons.first == "已签约项目 汽车热管理部件项目（协议投资 12 亿元）")
        #expect(entry.priority == (plain.priority * GapPriority.underwayFactor * 10).rounded() / 10)
        // 汽车电子 is weak (强链) and has a started project: not 在建补链.
        let electronics = try #require(with.chain.links.first { $0.id == "auto-electronics" }).ref
        #expect(with.analysis.entry(for: electronics)?.project == nil)
        // 铝合金材料 has only a project in talks: an open gap.
        let aluminum = try #require(with.chain.links.first { $0.id == "aluminum" }).ref
        #expect(with.analysis.entry(for: aluminum)?.project == nil)
        #expect(with.analysis.entry(for: aluminum)?.priority == without.analysis.entry(for: aluminum)?.priority)
    }

    @Test("the map draws it apart: class underway, the project's name, a legend entry")
    func map() throws {
        let analysed = try Self.analysed(ledger: true)
        let map = ChainMap(analysed.analysis)
        let thermal = try #require(analysed.chain.links.first { $0.id == "thermal" }).ref
        #expect(map.classes(of: thermal).contains("underway"))
        let dot = String(describing: map.graph())  // every label and attribute
        #expect(dot.contains("在建："))
        #expect(dot.contains("在建补链：缺失环节已有签约或开工项目"))
    }

    @Test("projects: naming a missing ledger is an error at the entry")
    func missingLedger() throws {
        let directory = try TestScratch.directory("projects")
        let file = directory.appendingPathComponent("c.yaml").path
        try Data("chain: 测试\nid: t\nstages: [上游]\nprojects: 台账.csv\nlinks:\n  - {id: a, name: 甲, stage: 上游}\n".utf8).write(to: URL(fileURLWithPath: file))
        let result = ChainLoader().load(path: file)
        #expect(result.diagnostics.map(\.description) == [
            "\(file):4:11: error: project ledger '台账.csv' does not exist (looked for \(directory.path)/台账.csv)",
        ])
    }
}
