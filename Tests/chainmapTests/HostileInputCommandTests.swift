import ChainMapKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 14 through the binary: payloads in every text field, files and paths, messages,
/// signals. The payload files are in Tests/ChainMapKitTests/Fixtures/hostile.
@Suite("Issue 14: hostile input, through the commands")
struct HostileInputCommandTests {
    static let fixtures = "Tests/ChainMapKitTests/Fixtures/hostile"

    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> BinaryRunner.Output {
        try BinaryRunner.run(arguments, in: BinaryRunner.packageRoot, environment: environment)
    }

    // MARK: Scripts in the report page and the standalone SVG

    /// The opening tag of the document's root element in a DOM chromium dumped.
    static func rootTag(_ dom: String, _ name: String) -> String? {
        guard let start = dom.range(of: "<\(name)") else { return nil }
        guard let end = dom[start.upperBound...].firstIndex(of: ">") else { return nil }
        return String(dom[start.lowerBound...end])
    }

    @Test(.enabled(if: ReportTools.chromium != nil, "needs chromium"))
    func noPayloadRunsInThePageOrTheMap() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two chains, so that the overview (index.html) is written too.
        let chains = directory.appendingPathComponent("chains")
        try FileManager.default.createDirectory(at: chains, withIntermediateDirectories: true)
        for name in ["payload.yaml", "laser.yaml"] {
            let source = name == "payload.yaml" ? "\(Self.fixtures)/payload.yaml" : "chains/laser.yaml"
            try FileManager.default.copyItem(
                at: BinaryRunner.packageRoot.appendingPathComponent(source), to: chains.appendingPathComponent(name))
        }
        let chain = chains.appendingPathComponent("payload.yaml").path, leads = "\(Self.fixtures)/payload.csv"
        let report = try Self.run(["report", chains.path, "--leads", leads, "-o", directory.path, "-q"])
        #expect(report.status == 0, "\(report.stderr)")
        let map = try Self.run(["render", chain, "--leads", leads, "-o", directory.appendingPathComponent("map").path, "-q"])
        #expect(map.status == 0, "\(map.stderr)")
        // Every payload sets an attribute data-xss-N on the document's root element when
        // it runs: the page's own script runs (the sorter numbers its rows), theirs not.
        for (page, root) in [("payload.html", "html"), ("index.html", "html"), ("map/payload.svg", "svg")] {
            let url = directory.appendingPathComponent(page)
            let dom = try ReportTools.run(ReportTools.chromium!, [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
                "--virtual-time-budget=2000", "--dump-dom", url.absoluteString,
            ])
            let text = String(decoding: dom.stdout, as: UTF8.self)
            let tag = try #require(Self.rootTag(text, root), "\(page): no <\(root)> in \(text.prefix(200))")
            #expect(!tag.contains("data-xss"), "\(page): \(tag)")
            #expect(text.contains("data-xss-1"), "\(page): the payload text is shown as text")
            if root == "html" { #expect(text.contains("data-order=\"0\""), "\(page): the page's own script ran") }
        }
    }

    @Test("a bidirectional control in a lead's name reaches no page, map or Markdown: each shows U+FFFD")
    func bidirectionalControlsInReports() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let leads = directory.appendingPathComponent("leads.csv")
        try "企业名称,经营范围,所属省份\n甲公司\u{202E}司公乙,gap词 设备,江苏省\n丙\u{2067}公司,gap词,浙江省\n".write(to: leads, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out")
        let report = try Self.run(["report", "\(Self.fixtures)/payload.yaml", "--leads", leads.path, "-o", out.path, "-q"])
        #expect(report.status == 0, "\(report.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["payload-targets.svg", "payload.html", "payload.md", "payload.svg"])
        for file in files {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.unicodeScalars.contains(where: BidiControls.contains), "\(file)")
        }
        // The names are there, each with U+FFFD where the control was.
        for file in ["payload.html", "payload.md", "payload-targets.svg"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains("甲公司\u{FFFD}司公乙"), "\(file)")
        }
    }

    // MARK: 3. The terminal

    @Test("3. escape sequences in names are shown escaped in tables, messages and check")
    func terminal() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let chain = directory.appendingPathComponent("t.yaml")
        try Data("""
            chain: "链\\e]0;pwned\\a"
            links:
              - {id: a, name: "甲\\e[2J", stage: 上游, keywords: [电解液], supplies: [b]}
              - {id: b, name: 乙, stage: 下游}
            enterprises:
              - {name: 丙, links: [b], role: 链主}
              - {name: "丁\\x9B31m", links: [b]}
              - {name: "丁\\x9B31m", links: [a]}
            """.utf8).write(to: chain)
        let leads = directory.appendingPathComponent("l.csv")
        try Data("企业名称,经营范围,注册资本\n\"坏\u{1B}[31m公司\",电解液,\"1亿\u{1B}]8;;x\"\n".utf8).write(to: leads)
        for arguments in [["check", chain.path], ["gaps", chain.path], ["gaps", chain.path, "--markdown"],
                          ["leads", chain.path, "--leads", leads.path]] {
            let output = try Self.run(arguments)
            let bytes = Array(output.stdout.utf8) + Array(output.stderr.utf8)
            #expect(!bytes.contains(0x1B), "\(arguments): raw ESC")
            #expect(!output.stdout.contains("\u{9B}") && !output.stderr.contains("\u{9B}"), "\(arguments): raw CSI")
            // Shown as escapes (Markdown makes control characters spaces instead).
            #expect(arguments.contains("--markdown") || (output.stdout + output.stderr).contains("\\u{1B}"), "\(arguments)")
            #expect((output.stdout + output.stderr).contains("\\u{9B}"), "\(arguments)")
        }
    }

    // MARK: 6, 7. Ids

    @Test("6, 7. a NUL in an id, or the id 'index', is a located error and writes nothing")
    func ids() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, id) in [("nul.yaml", "\"victim\\0.evil\""), ("over.yaml", "index")] {
            let file = directory.appendingPathComponent(name)
            try Data("chain: c\nid: \(id)\nlinks:\n  - {id: a, name: A, stage: 上游}\n".utf8).write(to: file)
            let out = directory.appendingPathComponent("out-\(name)")
            let report = try Self.run(["report", file.path, "-o", out.path])
            #expect(report.status == 1)
            #expect(report.stderr.hasPrefix("\(file.path):2:5: error: 'id' "), "\(report.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    // MARK: 8. Partial report sets

    @Test("8. when one chain's report cannot be written, none of its files are left and the index skips it")
    func partialReports() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A directory where nev-battery.html should go.
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("nev-battery.html/in-the-way"), withIntermediateDirectories: true)
        let report = try Self.run(["report", "chains/", "-o", directory.path, "-q"])
        #expect(report.status == 1)
        #expect(report.stderr.contains("the reports of 1 chain(s) could not be written and none of their files were left: 新能源汽车动力电池; the overview lists the 9 written"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!files.contains("nev-battery.svg") && !files.contains("nev-battery.md"))
        #expect(!files.contains { $0.hasSuffix(".tmp") })
        let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.contains("href=\"nev-battery.html\""))
        #expect(index.contains("以下产业链的报告未能生成，未列入本页：新能源汽车动力电池。"))
        #expect(files.contains("laser.html"))
    }

    // MARK: 10. Signals

    @Test("10. Ctrl-C while the output is open leaves no temporary file")
    func interruptLeavesNoTemporary() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = Process()
        process.executableURL = BinaryRunner.executable
        process.currentDirectoryURL = BinaryRunner.packageRoot
        process.arguments = ["leads", "chains/nev-battery.yaml", "--leads", "-", "-o", directory.appendingPathComponent("out.json").path, "--json"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The lead file is standard input, still open: the command waits with its output's
        // temporary file in place.
        input.fileHandleForWriting.write(Data("企业名称,经营范围\n甲公司,电解液\n".utf8))
        var waited = 0
        while waited < 200, try !FileManager.default.contentsOfDirectory(atPath: directory.path).contains(where: { $0.hasSuffix(".tmp") }) {
            usleep(50_000)
            waited += 1
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.hasSuffix(".tmp") })
        kill(process.processIdentifier, SIGINT)
        // Never wait forever: a process that ignored the signal is killed after 10 s.
        var exited = false
        for _ in 0..<200 where !exited {
            usleep(50_000)
            exited = !process.isRunning
        }
        if !exited { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(exited)
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    // MARK: 11. Messages

    @Test("11. a dangling link as -o, and a negative count, say what is wrong")
    func messages() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let link = directory.appendingPathComponent("out")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: directory.appendingPathComponent("missing/dir").path)
        let render = try Self.run(["render", "chains/laser.yaml", "-o", link.path])
        #expect(render.status == 1)
        #expect(render.stderr.contains("is a symbolic link to '\(directory.appendingPathComponent("missing/dir").path)', which does not exist"), "\(render.stderr)")
        let top = try Self.run(["leads", "chains/laser.yaml", "--top", "-1"])
        #expect(top.status != 0)
        #expect(top.stderr.contains("--top must be 0 or more, got -1"))
        #expect(!top.stderr.contains("Missing value"))
    }

    // MARK: Review findings of issue 12

    @Test("an unreadable lead row fails neither report nor render; leads refuses a directory")
    func failureRules() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let leads = directory.appendingPathComponent("l.csv")
        try Data("企业名称,经营范围\n甲电解液公司,电解液\n\"坏,电解液\n".utf8).write(to: leads)
        let report = try Self.run(["report", "chains/nev-battery.yaml", "--leads", leads.path, "-o", directory.appendingPathComponent("r").path, "-q"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stderr.contains("row cannot be read"))
        let dir = try Self.run(["leads", "chains"])
        #expect(dir.status == 1)
        #expect(dir.stderr.contains("chains is a directory; leads ranks the targets of one chain"))
    }

    @Test("a YAML lead file takes x- keys, notes and city, as a chain file's leads do")
    func yamlLeadFiles() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let leads = directory.appendingPathComponent("l.yaml")
        try Data("""
            leads:
              - {name: 甲电解液公司, scope: 六氟磷酸锂, city: 深圳, 备注: 已联系, x-来源: 展会}
              - {name: 乙电解液公司, scope: 六氟磷酸锂, x-对接人: 张三}
            """.utf8).write(to: leads)
        let output = try Self.run(["leads", "chains/nev-battery.yaml", "--leads", leads.path, "--json", "--no-chain-leads"])
        #expect(output.status == 0, "\(output.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: output.stdoutBytes) as? [[String: Any]])
        let first = try #require(list.first { $0["name"] as? String == "甲电解液公司" })
        #expect(first["notes"] as? String == "已联系")
        #expect(first["province"] as? String == "广东")
        #expect((first["extra"] as? [String: String])?["x-来源"] == "展会")
    }

    /// A file whose size says 8 EB (a sparse file on tmpfs; a lying file system could say
    /// the same) is read block by block like any other: before the first block was sized
    /// to the file, its size plus one overflowed and the process trapped.
    @Test func aLeadFileOfTheLargestSizeIsAnErrorNotACrash() throws {
        let shm = "/dev/shm"
        try #require(FileManager.default.fileExists(atPath: shm), "needs a tmpfs at /dev/shm")
        let path = "\(shm)/chainmap-test-\(getpid())-huge.csv"
        try #require(FileManager.default.createFile(atPath: path, contents: nil))
        defer { unlink(path) }
        try #require(truncate(path, off_t.max) == 0, "tmpfs refused a sparse file of off_t.max bytes")
        let out = try Self.run(["leads", "--leads", path, "chains/laser.yaml", "--top", "1"])
        #expect(out.status == 1)
        #expect(out.stderr == "\(path):1:1: error: the first line is longer than 4 MB (more than 1 columns) and does not end there; a header row may have at most 16,384 columns (Excel's limit)\n")
    }
}
