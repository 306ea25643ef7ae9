import Foundation
import Testing

/// A small chain: 电芯 strong (a 链主), 电池包 weak unless one tiered enterprise is
/// enough, 正极材料 a gap with a lead.
private let goodChain = """
chain: 动力电池
id: battery
region: 示例市
links:
  - {id: cathode, name: 正极材料, stage: 上游, supplies: [cell]}
  - {id: cell, name: 电芯, stage: 中游, supplies: [pack]}
  - {id: pack, name: 电池包, stage: 下游}
enterprises:
  - {name: 示例电池集团, links: [cell], role: 链主}
  - {name: 示例电池包公司, links: [pack], tags: [专精特新]}
leads:
  - {name: 某某正极材料股份有限公司, links: [cathode]}
"""

/// A chain file with a located error (a `supplies` id that is no link).
private let brokenChain = """
chain: 坏链
links:
  - {id: a, name: 甲, stage: 上游, supplies: [nope]}
"""

/// A temporary directory with chain files in `in/`, removed at the end.
private final class Workspace {
    let root: URL

    init(_ files: [String: String]) throws {
        root = try BinaryRunner.temporaryDirectory()
        let input = root.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for (name, text) in files {
            try Data(text.utf8).write(to: input.appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func render(_ arguments: [String]) throws -> BinaryRunner.Output {
        try BinaryRunner.run(["render"] + arguments, in: root)
    }

    func output(_ name: String) -> Data? {
        FileManager.default.contents(atPath: root.appendingPathComponent("out/\(name)").path)
    }

    func outputNames() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("out").path)) ?? []).sorted()
    }
}

@Suite("chainmap render (the built binary)")
struct RenderCommandTests {
    @Test func aDirectoryGivesOneMapPerChainNamedByItsId() throws {
        let workspace = try Workspace(["a.yaml": goodChain, "b.yaml": goodChain.replacingOccurrences(of: "id: battery", with: "id: second")])
        let out = try workspace.render(["in", "-o", "out"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr == "")
        #expect(workspace.outputNames() == ["battery.svg", "second.svg"])
        #expect(out.stdout == "in/a.yaml → out/battery.svg\nin/b.yaml → out/second.svg\n")
        let svg = try #require(workspace.output("battery.svg"))
        #expect(String(decoding: svg, as: UTF8.self).contains("正极材料"))
    }

    @Test func aBrokenFileGetsNoOutputAndTheExitStatusIsOne() throws {
        let workspace = try Workspace(["good.yaml": goodChain, "broken.yaml": brokenChain])
        let out = try workspace.render(["in", "-o", "out"])
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("in/broken.yaml:3:"))
        #expect(out.stderr.contains(": error: 'supplies' names 'nope'"))
        // The good chain is still drawn; nothing else is written, not even a temporary file.
        #expect(workspace.outputNames() == ["battery.svg"])
    }

    @Test("benchmark regions that do not load are reported at their lines, each chain's in order; the maps are still drawn")
    func brokenBenchmarkRegions() throws {
        // Each chain's benchmark files' errors, in the chains' order.
        let first = goodChain.replacingOccurrences(of: "region: 示例市", with: "region: 示例市\nbenchmarks: [regions/one.yaml]")
        let second = goodChain.replacingOccurrences(of: "id: battery", with: "id: second")
            .replacingOccurrences(of: "region: 示例市", with: "region: 示例市\nbenchmarks: [regions/good.yaml, regions/two.yaml]")
        let workspace = try Workspace(["a.yaml": first, "b.yaml": second])
        let regions = workspace.root.appendingPathComponent("in/regions")
        try FileManager.default.createDirectory(at: regions, withIntermediateDirectories: true)
        try Data(brokenChain.utf8).write(to: regions.appendingPathComponent("one.yaml"))
        try Data(goodChain.replacingOccurrences(of: "id: battery", with: "id: good").utf8).write(to: regions.appendingPathComponent("good.yaml"))
        try Data("chain: 二\nlinks:\n  - {id: b, name: 乙}\n".utf8).write(to: regions.appendingPathComponent("two.yaml"))
        let out = try workspace.render(["in", "-o", "out"])
        #expect(out.status == 1)
        #expect(out.stderr == """
            in/regions/one.yaml:3:44: error: 'supplies' names 'nope', which is not a link id of this file
            in/regions/two.yaml:3:5: error: link is missing the required key 'stage'

            """)
        #expect(workspace.outputNames() == ["battery.svg", "second.svg"])
    }

    @Test func onlyABrokenFileWritesNothingAtAll() throws {
        let workspace = try Workspace(["broken.yaml": brokenChain])
        let out = try workspace.render(["in/broken.yaml", "-o", "out", "--format", "png"])
        #expect(out.status == 1)
        #expect(workspace.outputNames().isEmpty)
    }

    @Test func eachFormatStartsWithItsMagicBytes() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        let magic: [String: [UInt8]] = [
            "svg": Array("<?xml".utf8), "png": [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            "pdf": Array("%PDF-".utf8), "dot": Array("digraph".utf8),
        ]
        for (format, bytes) in magic {
            let out = try workspace.render(["in/a.yaml", "-o", "out", "--format", format, "--quiet"])
            #expect(out.status == 0, "\(format): \(out.stderr)")
            #expect(out.stdout == "")
            let data = try #require(workspace.output("battery.\(format)"))
            #expect(Array(data.prefix(bytes.count)) == bytes, "\(format)")
        }
    }

    @Test func twoRunsGiveTheSameBytes() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        for format in ["svg", "png", "pdf", "dot"] {
            _ = try workspace.render(["in", "-o", "out", "--format", format])
            let first = try #require(workspace.output("battery.\(format)"))
            _ = try workspace.render(["in", "-o", "out", "--format", format])
            #expect(workspace.output("battery.\(format)") == first, "\(format)")
        }
    }

    @Test func anUnknownFormatIsRefused() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try workspace.render(["in", "-o", "out", "--format", "gif"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("gif"))
        #expect(workspace.outputNames().isEmpty)
    }

    @Test func showLeadsDrawsTheLeadsOfEachGap() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        _ = try workspace.render(["in", "-o", "out"])
        #expect(!String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self).contains("某某正极材料股份有限公司"))
        let out = try workspace.render(["in", "-o", "out", "--show-leads", "2"])
        #expect(out.status == 0)
        let svg = String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self)
        #expect(svg.contains("class=\"node leads\""))
        #expect(svg.contains("某某正极材料股份有限公司"))
    }

    @Test func leadFilesImplyLeadsOnTheMap() throws {
        let leadFile = """
        leads:
          - {name: 文件里的正极公司, links: [cathode], province: 湖南}
        """
        let workspace = try Workspace(["a.yaml": goodChain])
        try Data(leadFile.utf8).write(to: workspace.root.appendingPathComponent("leads.yaml"))
        let out = try workspace.render(["in", "-o", "out", "--leads", "leads.yaml"])
        #expect(out.status == 0, "\(out.stderr)")
        let svg = String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self)
        #expect(svg.contains("文件里的正极公司"))
        #expect(svg.contains("某某正极材料股份有限公司"))
    }

    @Test("render takes the lead options of leads: with --prefer the map shows the lead leads ranks first")
    func preferredRegionsRankTheMapsLeadsAsLeadsDoes() throws {
        let leadFile = """
        leads:
          - {name: 湖南正极公司, links: [cathode], province: 湖南, capital: 5}
          - {name: 广东正极公司, links: [cathode], province: 广东}
        """
        let workspace = try Workspace(["a.yaml": goodChain])
        try Data(leadFile.utf8).write(to: workspace.root.appendingPathComponent("leads.yaml"))
        func firstOnMap(_ extra: [String]) throws -> String? {
            let out = try workspace.render(["in", "-o", "out", "--leads", "leads.yaml", "--show-leads", "1", "--no-chain-leads"] + extra)
            #expect(out.status == 0, "\(out.stderr)")
            let svg = String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self)
            return ["湖南正极公司", "广东正极公司"].first(where: svg.contains)
        }
        func firstListed(_ extra: [String]) throws -> String? {
            let out = try BinaryRunner.run(
                ["leads", "in/a.yaml", "--leads", "leads.yaml", "--json", "--no-chain-leads"] + extra, in: workspace.root)
            let list = try #require(try JSONSerialization.jsonObject(with: out.stdoutBytes) as? [[String: Any]])
            return list.first?["name"] as? String
        }
        #expect(try firstOnMap([]) == "湖南正极公司")
        #expect(try firstListed([]) == "湖南正极公司")
        #expect(try firstOnMap(["--prefer", "粤港澳"]) == "广东正极公司")
        #expect(try firstListed(["--prefer", "粤港澳"]) == "广东正极公司")
    }

    @Test func aMissingLeadFileWritesNothing() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try workspace.render(["in", "-o", "out", "--leads", "no-such-leads.csv"])
        #expect(out.status == 1)
        #expect(out.stderr == "chainmap: error: no such lead file: no-such-leads.csv\n")
        #expect(workspace.outputNames().isEmpty)
    }

    @Test func minEnterprisesOverridesTheAnalysis() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        _ = try workspace.render(["in", "-o", "out"])
        #expect(String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self).contains("class=\"node link strengthen\""))
        _ = try workspace.render(["in", "-o", "out", "--min-enterprises", "1"])
        let svg = String(decoding: try #require(workspace.output("battery.svg")), as: UTF8.self)
        #expect(!svg.contains("class=\"node link strengthen\""))
        #expect(svg.contains("id=\"link&#45;pack\" class=\"node link covered\""))
    }
}

@Suite("chainmap render without Graphviz's plugins")
struct RenderWithoutPluginsTests {
    /// Runs `chainmap` with Graphviz pointed at an empty plugin directory (`GVBINDIR`),
    /// as on a machine where `dot -c` was never run.
    func runWithoutPlugins(_ arguments: [String], in directory: URL) throws -> (status: Int32, stderr: String) {
        let plugins = directory.appendingPathComponent("no-plugins")
        try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = BinaryRunner.executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(["GVBINDIR": plugins.path]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func missingPluginsAreSaidPlainly() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try runWithoutPlugins(["render", "in", "-o", "out"], in: workspace.root)
        #expect(out.status == 1)
        #expect(out.stderr == "chainmap: error: Graphviz plugins are not configured (no layout engine or output format is registered): run `dot -c` as root to register them\n")
        #expect(workspace.outputNames().isEmpty)
    }

    /// A lead file can take seconds to screen: Graphviz is asked first, and the file is
    /// not read (its own problem, a missing header, is not reported).
    @Test func missingPluginsAreSaidBeforeTheLeadsAreRead() throws {
        let workspace = try Workspace(["a.yaml": goodChain, "leads.csv": "甲,乙\n1,2\n"])
        let out = try runWithoutPlugins(["render", "in/a.yaml", "--leads", "in/leads.csv", "-o", "out"], in: workspace.root)
        #expect(out.status == 1)
        #expect(out.stderr == "chainmap: error: Graphviz plugins are not configured (no layout engine or output format is registered): run `dot -c` as root to register them\n")
    }

    @Test func dotNeedsNoPlugins() throws {
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try runWithoutPlugins(["render", "in", "-o", "out", "--format", "dot"], in: workspace.root)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(workspace.outputNames() == ["battery.dot"])
    }

    /// Graphviz's warm-up loads faces (fonts at a size and weight) into pango, which keeps
    /// them for the whole process: the maps of `chains/` drawn in a process that loaded
    /// every face of a chain map first are the bytes of those drawn in one that loaded
    /// none, in every format that lays out text.
    @Test(arguments: ["svg", "png", "pdf"])
    func theWarmUpChangesNothingDrawn(format: String) throws {
        let directory = try BinaryRunner.temporaryDirectory()
        let chains = BinaryRunner.packageRoot.appendingPathComponent("chains").path
        var drawn: [String: [String: Data]] = [:]
        for warmUp in ["none", "every-face"] {
            var environment = ProcessInfo.processInfo.environment
            environment["NO_COLOR"] = "1"
            environment["CHAINMAP_WARM_UP"] = warmUp
            let out = directory.appendingPathComponent(warmUp)
            let run = try BinaryRunner.run(["render", chains, "-o", out.path, "--format", format, "--quiet"], environment: environment)
            #expect(run.status == 0, "\(run.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
            drawn[warmUp] = try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: out.appendingPathComponent($0))) })
        }
        #expect(drawn["none"]?.count == 10)
        #expect(drawn["none"] == drawn["every-face"])
    }
}

@Suite("chainmap and what Graphviz warns about while it loads its plugins")
struct GraphvizStartupWarningTests {
    /// A plugin directory (`GVBINDIR`) with the system's plugins and one more in its
    /// `config6a` whose library is missing, as after a partial upgrade: Graphviz warns
    /// while it makes its context, then draws with the plugins it has.
    func pluginsWithOneMissing(butALibraryThere: Bool = false) throws -> URL {
        // Debian's multiarch directories (/usr/lib/<triplet>/graphviz), then the others.
        let multiarch = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib")) ?? []).sorted().map { "/usr/lib/\($0)/graphviz" }
        let candidates = multiarch + ["/usr/lib64/graphviz", "/usr/lib/graphviz", "/usr/local/lib/graphviz"]
        let system = try #require(
            candidates.first { FileManager.default.fileExists(atPath: $0 + "/config6a") }, "no Graphviz plugin directory with a config6a")
        let directory = try BinaryRunner.temporaryDirectory().appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: system) where name.hasPrefix("libgvplugin_") {
            try FileManager.default.createSymbolicLink(
                atPath: directory.appendingPathComponent(name).path, withDestinationPath: system + "/" + name)
        }
        if butALibraryThere {
            // A library that loads but is no plugin: Graphviz reports an error, not a warning.
            let libz = try #require(
                (multiarch.map { ($0 as NSString).deletingLastPathComponent + "/libz.so.1" } + ["/usr/lib64/libz.so.1", "/usr/lib/libz.so.1"])
                    .first { FileManager.default.fileExists(atPath: $0) }, "no libz.so.1")
            try FileManager.default.createSymbolicLink(
                atPath: directory.appendingPathComponent("libgvplugin_missing.so.6").path, withDestinationPath: libz)
        }
        let config = try String(contentsOfFile: system + "/config6a", encoding: .utf8)
        try Data((config + "libgvplugin_missing.so.6 missing {\n\ttextlayout {\n\t\ttextlayout 20\n\t}\n}\n").utf8)
            .write(to: directory.appendingPathComponent("config6a"))
        return directory
    }

    fileprivate func run(_ arguments: [String], in workspace: Workspace, plugins: URL) throws -> BinaryRunner.Output {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["GVBINDIR"] = plugins.path
        return try BinaryRunner.run(arguments, in: workspace.root, environment: environment)
    }

    static func warning(_ plugins: URL) -> String {
        "chainmap: warning: Graphviz: Could not load \"\(plugins.path)/libgvplugin_missing.so.6\" - file not found\n"
    }

    static let noTextLayout =
        "chainmap: error: Graphviz could not load its text layout plugin (pango; its warning says why), so Chinese labels would not fit their boxes: install Graphviz with its plugins (Debian/Ubuntu: graphviz libgvc6), then run `dot -c` as root\n"

    /// The missing plugin's text layout has the highest quality (20, pango's 10), so it is
    /// the one Graphviz picks; it fails to load, and Graphviz would measure Chinese by an
    /// estimate. Before, its warning (made before `main`, with the context) was kept
    /// and never shown, and the map was drawn too narrow.
    @Test func renderSaysWhatGraphvizCouldNotLoadAndDrawsNothing() throws {
        let plugins = try pluginsWithOneMissing()
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try run(["render", "in", "-o", "out", "--quiet"], in: workspace, plugins: plugins)
        #expect(out.status == 1)
        #expect(out.stderr == Self.warning(plugins) + Self.noTextLayout)
        #expect(workspace.outputNames().isEmpty)
    }

    /// Graphviz's error about a library that is no plugin was dropped with the context's
    /// other errors; it is said as a warning, before the error it explains.
    @Test func aLibraryThatIsNoPluginIsSaidToo() throws {
        let plugins = try pluginsWithOneMissing(butALibraryThere: true)
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try run(["render", "in", "-o", "out", "--quiet"], in: workspace, plugins: plugins)
        #expect(out.status == 1)
        #expect(out.stderr == "chainmap: warning: Graphviz: failed to resolve gvplugin_missing_LTX_library in \(plugins.path)/libgvplugin_missing.so.6\n" + Self.noTextLayout)
        #expect(workspace.outputNames().isEmpty)
    }

    /// DOT needs no layout: written, with the warning.
    @Test func dotIsWrittenWithTheWarning() throws {
        let plugins = try pluginsWithOneMissing()
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try run(["render", "in", "-o", "out", "--quiet", "--format", "dot"], in: workspace, plugins: plugins)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stderr == Self.warning(plugins))
        #expect(workspace.outputNames() == ["battery.dot"])
    }

    /// A report draws its figures on a thread of its own: the warning is said once, before
    /// the maps' errors; the reports are written without their maps.
    @Test func reportSaysItOnce() throws {
        let plugins = try pluginsWithOneMissing()
        let workspace = try Workspace(["a.yaml": goodChain])
        let out = try run(["report", "in", "-o", "out", "-q"], in: workspace, plugins: plugins)
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix(Self.warning(plugins) + Self.noTextLayout), "\(out.stderr)")
        #expect(out.stderr.components(separatedBy: "Could not load").count == 2, "\(out.stderr)")
        #expect(workspace.outputNames().contains("battery.html"))
    }

    /// A report whose lead file cannot be read writes nothing; Graphviz's warning is said
    /// all the same (before, only after the leads' check).
    @Test func reportWithUnreadableLeadsSaysItToo() throws {
        let plugins = try pluginsWithOneMissing()
        let workspace = try Workspace(["a.yaml": goodChain, "leads.xlsx": "not a workbook"])
        let out = try run(["report", "in/a.yaml", "--leads", "in/leads.xlsx", "-o", "out", "-q"], in: workspace, plugins: plugins)
        #expect(out.status == 1)
        #expect(out.stderr == "in/leads.xlsx:1:1: error: cannot open the workbook: the zip archive is damaged or not a zip file (missingEndOfCentralDirectoryRecord)\n"
            + Self.warning(plugins))
        #expect(workspace.outputNames().isEmpty)
    }
}
