import ChainMapKit
import Foundation
import Testing

/// Programs the report tests use, when installed.
enum ReportTools {
    /// The first executable called `name` on PATH.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static let chromium = find("chromium") ?? find("chromium-browser") ?? find("google-chrome")
    static let pandoc = find("pandoc")
    static let unzip = find("unzip")

    /// Runs a program and waits; returns its exit status and standard output.
    @discardableResult
    static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }
}

/// The reports of the shipped chains, written once for the tests that read them.
enum ShippedReports {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Where they go: one directory per test process, removed when it exits
    /// (``TestScratch``).
    static let path = TestScratch.root.appendingPathComponent("shipped-reports").path

    private static let result: Result<URL, any Error> = Result {
        let made = URL(fileURLWithPath: path)
        try? FileManager.default.removeItem(at: made)
        try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
        let out = try BinaryRunner.run(["report", "chains/", "-o", made.path, "-q"], in: BinaryRunner.packageRoot)
        guard out.status == 0, out.stdout.isEmpty else {
            throw Failure(description: "chainmap report chains/ exited \(out.status): \(out.stderr)")
        }
        return made
    }

    /// The directory the reports were written to.
    static func write() throws -> URL { try result.get() }
}

/// Every `src`/`href` value that names a web address or is protocol-relative.
func reportNetworkReferences(in html: String) -> [String] {
    let pattern = #"(?i)\b(?:src|href|xlink:href)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]*)"#
    let regex = try! NSRegularExpression(pattern: pattern)
    return regex.matches(in: html, range: NSRange(html.startIndex..., in: html))
        .compactMap { Range($0.range(at: 1), in: html).map { String(html[$0]) } }
}

/// The chains of a path under the package, loaded as the commands load them: each with
/// its roster (`roster:`) placed and merged.
func mergedChains(_ path: String) -> [Chain] {
    let pipeline = ChainPipeline()
    let set = pipeline.load([BinaryRunner.packageRoot.appendingPathComponent(path).path])
    #expect(!set.hasErrors)
    return pipeline.place(set.chains).chains
}

/// The shipped chains, loaded, with their analyses and recommended leads.
func shippedChains() throws -> [(chain: Chain, analysis: GapAnalysis, leads: [String])] {
    try mergedChains("chains").map { chain in
        let analysis = GapAnalysis(chain)
        let screening = try LeadScreener(analysis: analysis).screen([.chainFile]).screenings[0]
        return (chain, analysis, screening.recommendations.map(\.lead.name))
    }
}

@Suite("chainmap report (the built binary)")
struct ReportCommandTests {
    @Test func aDirectoryGetsAPageADocumentAndAMapPerChainAndAnIndex() throws {
        let directory = try ShippedReports.write()
        let chains = try shippedChains()
        #expect(chains.count >= 7)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        for (chain, _, _) in chains {
            for suffix in [".html", ".md", ".svg"] {
                #expect(names.contains(chain.id + suffix), "\(chain.id)\(suffix)")
            }
        }
        #expect(names.contains("index.html"))
        #expect(names.contains("index.md"))
        #expect(!names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")

        let index = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        let indexMarkdown = try String(contentsOf: directory.appendingPathComponent("index.md"), encoding: .utf8)
        #expect(index.contains("产业体系总览"))
        for (chain, analysis, _) in chains {
            #expect(index.contains("href=\"\(chain.id).html\""), "\(chain.id)")
            #expect(indexMarkdown.contains("](\(chain.id).md)"), "\(chain.id)")
            let s = analysis.summary
            #expect(index.contains(NumberText.percent(s.coverage)))
        }
        #expect(reportNetworkReferences(in: index).isEmpty)
    }

    @Test func everyPageHoldsItsMapEveryFillGapAndEveryRecommendedLead() throws {
        let directory = try ShippedReports.write()
        for (chain, analysis, leads) in try shippedChains() {
            let html = try String(contentsOf: directory.appendingPathComponent(chain.id + ".html"), encoding: .utf8)
            #expect(html.contains("<svg "), "\(chain.id)")
            // Graphviz writes the "-" of an id as a character reference.
            #expect(html.contains("id=\"link-") || html.contains("id=\"link&#45;"), "\(chain.id)")
            #expect(!html.contains("<?xml"), "\(chain.id)")
            for entry in analysis.entries where entry.kind == .fill {
                #expect(html.contains(HtmlText.escape(chain[entry.link].name)), "\(chain.id): \(chain[entry.link].name)")
            }
            #expect(!leads.isEmpty, "\(chain.id) has no recommended lead")
            for lead in leads {
                #expect(html.contains(HtmlText.escape(lead)), "\(chain.id): \(lead)")
            }
            #expect(reportNetworkReferences(in: html).isEmpty, "\(chain.id): \(reportNetworkReferences(in: html))")
            #expect(!html.contains("http://") && !html.contains("https://"), "\(chain.id)")
        }
    }

    @Test func everyDocumentHasItsSectionsTablesAndTheMapBesideIt() throws {
        let directory = try ShippedReports.write()
        let tag = try NSRegularExpression(pattern: #"(?<!\\)<[A-Za-z/!]"#)
        for (chain, analysis, _) in try shippedChains() {
            let markdown = try String(contentsOf: directory.appendingPathComponent(chain.id + ".md"), encoding: .utf8)
            let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
            // A chain with a project ledger has section 8, with the quarterly chart beside.
            let ledger = !chain.projectFiles.isEmpty
            #expect(headings == ReportText.sections + (ledger ? ["八、" + ReportLedger.name] : []) + (chain.benchmarkFiles.isEmpty ? [] : [(ledger ? "九、" : "八、") + ReportBenchmark.name]), "\(chain.id)")
            #expect(markdown.contains("](\(chain.id).svg)\n"), "\(chain.id)")
            #expect(markdown.contains("](\(chain.id)-projects.svg)\n") == ledger, "\(chain.id)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(chain.id + "-projects.svg").path) == ledger, "\(chain.id)")
            #expect(markdown.contains("\n| 序号 | 环节 | 阶段 | 类型 | 优先级 | 本地企业 | 理由 |\n"), "\(chain.id)")
            #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("|---") }.count >= 10, "\(chain.id)")
            #expect(tag.firstMatch(in: markdown, range: NSRange(markdown.startIndex..., in: markdown)) == nil, "\(chain.id) has HTML")
            for entry in analysis.entries {
                #expect(markdown.contains(MarkdownText.escape(chain[entry.link].name)), "\(chain.id)")
            }
        }
    }

    @Test func theSameInputGivesTheSameBytes() throws {
        let first = try ShippedReports.write()
        let second = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: second) }
        let out = try BinaryRunner.run(["report", "chains/", "-o", second.path, "-q"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0)
        for name in try FileManager.default.contentsOfDirectory(atPath: first.path).sorted() where name.hasSuffix(".md") || name.hasSuffix(".html") {
            var a = try String(contentsOf: first.appendingPathComponent(name), encoding: .utf8)
            var b = try String(contentsOf: second.appendingPathComponent(name), encoding: .utf8)
            // The map is the renderer's; its own determinism is tested with `render`.
            a = Self.withoutSVG(a)
            b = Self.withoutSVG(b)
            #expect(a == b, "\(name) differs between two runs")
        }
    }

    static func withoutSVG(_ html: String) -> String {
        guard let start = html.range(of: "<svg "), let end = html.range(of: "</svg>", range: start.upperBound..<html.endIndex) else { return html }
        return String(html[..<start.lowerBound]) + String(html[end.upperBound...])
    }

    @Test(.enabled(if: ReportTools.chromium != nil, "needs chromium"))
    func chromiumOpensThePageAndItIsNotBlank() throws {
        let directory = try ShippedReports.write()
        let scratch = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let blank = scratch.appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blank)

        func screenshot(_ page: URL, _ name: String) throws -> Data {
            let png = scratch.appendingPathComponent(name)
            try ReportTools.run(ReportTools.chromium!, [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=\(scratch.appendingPathComponent("profile-\(name)").path)",
                "--screenshot=\(png.path)", "--window-size=1280,2000", page.absoluteString,
            ])
            return try Data(contentsOf: png)
        }
        let page = try screenshot(directory.appendingPathComponent("nev-battery.html"), "page.png")
        let empty = try screenshot(blank, "blank.png")
        #expect(page.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // A PNG of one colour compresses to almost nothing; text, tables and the map don't.
        #expect(page.count > 50_000, "\(page.count) bytes")
        #expect(page.count > 5 * empty.count, "page \(page.count) bytes, blank \(empty.count)")
        #expect(page != empty)
        let size = try #require(Self.pngSize(page))
        #expect(size.0 == 1280 && size.1 == 2000)
    }

    @Test(.enabled(if: ReportTools.chromium != nil, "needs chromium"))
    func thePagesScriptRunsInChromium() throws {
        let directory = try ShippedReports.write()
        let scratch = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let page = directory.appendingPathComponent("nev-battery.html")
        let dom = try ReportTools.run(ReportTools.chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(scratch.path)",
            "--dump-dom", page.absoluteString,
        ])
        let html = String(decoding: dom.stdout, as: UTF8.self)
        let source = try String(contentsOf: page, encoding: .utf8)
        // The filters counted the rows ...
        let analysis = GapAnalysis(try #require(mergedChains("chains/nev-battery.yaml").first))
        #expect(html.contains("显示 \(analysis.entries.count) / \(analysis.entries.count) 项"))
        // ... the sorter numbered them, and the map's own tooltips gave way to the panel.
        #expect(html.contains("data-order=\"0\""))
        #expect(html.components(separatedBy: "<title>").count < source.components(separatedBy: "<title>").count)
    }

    /// The width and height of a PNG, from its IHDR chunk.
    static func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data.prefix(24))
        guard bytes.count == 24, bytes[12...15] == [0x49, 0x48, 0x44, 0x52] else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    @Test(.enabled(if: ReportTools.pandoc != nil && ReportTools.unzip != nil, "needs pandoc and unzip"))
    func theWordDocumentNamesTheGapsAndEmbedsTheMap() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(["report", "chains/nev-battery.yaml", "-o", directory.path, "--docx"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        let docx = directory.appendingPathComponent("nev-battery.docx")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("nev-battery.png").path))
        let xml = String(decoding: try ReportTools.run(ReportTools.unzip!, ["-p", docx.path, "word/document.xml"]).stdout, as: UTF8.self)
        #expect(xml.contains("<w:body>"))
        let chain = try #require(mergedChains("chains/nev-battery.yaml").first)
        let analysis = GapAnalysis(chain)
        #expect(!analysis.entries.isEmpty)
        for entry in analysis.entries {
            #expect(xml.contains(HtmlText.escape(chain[entry.link].name)), "\(chain[entry.link].name)")
        }
        for section in ReportText.sections { #expect(xml.contains(section)) }
        let media = try ReportTools.run(ReportTools.unzip!, ["-l", docx.path])
        #expect(String(decoding: media.stdout, as: UTF8.self).contains("word/media/"))

        // The report's styles: A4 pages, Chinese fonts, tables with a grid.
        #expect(xml.contains("<w:pgSz w:h=\"16838\" w:w=\"11906\" />") || xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\" />"))
        let styles = String(decoding: try ReportTools.run(ReportTools.unzip!, ["-p", docx.path, "word/styles.xml"]).stdout, as: UTF8.self)
        #expect(styles.contains("<w:tblBorders>"))
        #expect(styles.contains("w:eastAsia=\"黑体\""))
        #expect(styles.contains("w:eastAsia=\"zh-CN\""))
        let test = try ReportTools.run(ReportTools.unzip!, ["-tq", docx.path])
        #expect(test.status == 0)

        // Word documents are reproducible too.
        let again = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: again) }
        _ = try BinaryRunner.run(["report", "chains/nev-battery.yaml", "-o", again.path, "--docx"], in: BinaryRunner.packageRoot)
        // (The embedded map is the renderer's, compared by its own tests.)
        for part in ["word/document.xml", "word/styles.xml", "docProps/core.xml", "word/_rels/document.xml.rels"] {
            let first = try ReportTools.run(ReportTools.unzip!, ["-p", docx.path, part]).stdout
            let second = try ReportTools.run(ReportTools.unzip!, ["-p", again.appendingPathComponent("nev-battery.docx").path, part]).stdout
            #expect(!first.isEmpty && first == second, "\(part)")
        }
    }

    @Test func withoutPandocDocxSaysSoAndWritesNothing() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = empty.path
        let output = directory.appendingPathComponent("out")
        let out = try BinaryRunner.run(
            ["report", "chains/nev-battery.yaml", "-o", output.path, "--docx"], in: BinaryRunner.packageRoot, environment: environment)
        #expect(out.status == 1)
        #expect(out.stderr.hasPrefix("chainmap: error: --docx needs pandoc"))
        #expect(out.stderr.contains("apt-get install pandoc"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aBrokenFileIsReportedAndTheOthersAreStillWritten() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(
            ["report", "Tests/ChainMapKitTests/Fixtures/broken/weight-range.yaml", "chains/nev-battery.yaml", "-o", directory.path],
            in: BinaryRunner.packageRoot)
        #expect(out.status == 1)
        #expect(out.stderr.contains("weight-range.yaml:6:13: error:"))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("nev-battery.html").path))
        #expect(out.stdout.contains("nev-battery.html"))
        // One chain named as a file: no overview.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("index.html").path))
    }

    @Test func aLeadFileThatCannotBeReadStopsTheReport() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out")
        let missing = try BinaryRunner.run(
            ["report", "chains/nev-battery.yaml", "--leads", "no/such.csv", "-o", output.path], in: BinaryRunner.packageRoot)
        #expect(missing.status == 1)
        #expect(missing.stderr == "chainmap: error: no such lead file: no/such.csv\n")
        #expect(!FileManager.default.fileExists(atPath: output.path))

        let broken = directory.appendingPathComponent("leads.yaml")
        try Data("leads:\n  - name: 某公司\n    bogus: 1\n".utf8).write(to: broken)
        let out = try BinaryRunner.run(
            ["report", "chains/", "--leads", broken.path, "-o", output.path], in: BinaryRunner.packageRoot)
        #expect(out.status == 1)
        // Reported once, not once per chain.
        #expect(out.stderr.components(separatedBy: "unknown key 'bogus'").count == 2, "\(out.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("nev-battery.html").path))
    }

    @Test("standard input is a lead file too: it is read once for every chain")
    func standardInputIsALeadFile() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = Data("企业名称,国标行业,经营范围\n标准输入隔膜有限公司,C2921,锂电池隔膜的研发与生产\n".utf8)
        let out = try BinaryRunner.run(
            ["report", "chains/", "--leads", "-", "-o", directory.path, "--quiet"], in: BinaryRunner.packageRoot, stdin: csv)
        #expect(out.status == 0, "\(out.stderr)")
        let page = try String(contentsOf: directory.appendingPathComponent("nev-battery.html"), encoding: .utf8)
        #expect(page.contains("标准输入隔膜有限公司"))
    }

    @Test func leadFilesAddToTheRecommendations() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("qcc.csv")
        try Data("""
            企业名称,国标行业,经营范围,所属省份,标签,注册资本,跟进状态
            某某隔膜科技有限公司,C2921,锂电池隔膜、湿法隔膜的研发与生产,江苏,专精特新,5000万元人民币,在谈

            """.utf8).write(to: csv)
        let out = try BinaryRunner.run(
            ["report", "chains/nev-battery.yaml", "--leads", csv.path, "-o", directory.path, "-q"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        let html = try String(contentsOf: directory.appendingPathComponent("nev-battery.html"), encoding: .utf8)
        let markdown = try String(contentsOf: directory.appendingPathComponent("nev-battery.md"), encoding: .utf8)
        #expect(html.contains("某某隔膜科技有限公司"))
        // A lead file's lead with a status is a project: 跟踪清单 (在谈).
        let tracking = try #require(markdown.range(of: "### （二）跟踪清单（在谈）"))
        let signing = try #require(markdown.range(of: "### （三）签约清单（签约）"))
        #expect(markdown[tracking.upperBound..<signing.lowerBound].contains("某某隔膜科技有限公司"))
    }
}
