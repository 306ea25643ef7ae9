import Foundation
import Synchronization
import Testing
@testable import ChainMapKit

/// Chains whose `supplies` close loops in every direction: back to an earlier stage
/// through a later one, within one stage, down the chain and up again, into itself, and
/// a service stage that supplies earlier ones without a loop.
let loopChains: [String: String] = [
    // The case the map once drew apart from the analysis: c→b goes back a stage inside
    // the loop a→c→b→a, so the analysis calls it feedback; the map called it backward.
    "across": """
        chain: 回路
        links:
          - {id: a, name: 甲, stage: 上游, supplies: [c]}
          - {id: c, name: 丙, stage: 下游, supplies: [b]}
          - {id: b, name: 乙, stage: 中游, supplies: [a]}
        enterprises:
          - {name: 丙集团, links: [c], role: 链主}
        """,
    "within-a-stage": """
        chain: 同段回路
        links:
          - {id: x, name: 甲, stage: 中游, supplies: [y]}
          - {id: y, name: 乙, stage: 中游, supplies: [x, z]}
          - {id: z, name: 丙, stage: 下游}
        enterprises:
          - {name: 乙公司, links: [y]}
        """,
    "recycling": """
        chain: 回收
        stages: [上游, 中游, 下游, 回收]
        links:
          - {id: ore, name: 矿, stage: 上游, supplies: [part]}
          - {id: part, name: 件, stage: 中游, supplies: [product]}
          - {id: product, name: 品, stage: 下游, supplies: [scrap]}
          - {id: scrap, name: 回收, stage: 回收, supplies: [ore, part]}
        enterprises:
          - {name: 品公司, links: [product], role: 龙头}
        """,
    "self-and-service": """
        chain: 自供与服务
        stages: [上游, 中游, 下游, 服务]
        links:
          - {id: m, name: 材料, stage: 上游, supplies: [m, p]}
          - {id: p, name: 产品, stage: 中游, supplies: [u]}
          - {id: u, name: 应用, stage: 下游}
          - {id: s, name: 检测, stage: 服务, supplies: [p, u]}
        enterprises:
          - {name: 产品公司, links: [p], role: 链主}
        """,
]

/// The analysis of each loop chain, and of every chain in chains/.
func analysesWithLoops() throws -> [(name: String, analysis: GapAnalysis)] {
    var result: [(String, GapAnalysis)] = []
    for (name, yaml) in loopChains.sorted(by: { $0.key < $1.key }) {
        let loaded = ChainLoader().load(bytes: Array(yaml.utf8), file: "\(name).yaml", defaultID: name)
        result.append((name, GapAnalysis(try #require(loaded.chain, "\(loaded.diagnostics)"))))
    }
    let set = ChainSet(arguments: [packageRoot().appendingPathComponent("chains").path])
    #expect(!set.hasErrors)
    for chain in set.chains { result.append((chain.id, GapAnalysis(chain))) }
    return result
}

/// The package's root directory.
func packageRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

@Suite("One source of truth: the map, the tables and the reports read the analysis")
struct OneSourceOfTruthTests {
    @Test("the analysis classifies the edges of the loop a(上游)→c(下游)→b(中游)→a")
    func edgeKindsOfTheCrossingLoop() throws {
        let analysis = try #require(try analysesWithLoops().first { $0.name == "across" }).analysis
        let kinds = analysis.edges.map { "\(analysis.chain[$0.from].id)→\(analysis.chain[$0.to].id) \($0.kind.key)" }
        #expect(kinds == ["a→c forward", "c→b feedback", "b→a feedback"])
        // The map reads the same classification: neither feedback edge sets a rank.
        let layering = MapLayering(analysis)
        #expect(layering.feedback == [.init(from: 1, to: 2), .init(from: 2, to: 0)])
        #expect(layering.backward.isEmpty)
    }

    @Test("every loop direction: self-supply is feedback, a service stage is backward")
    func edgeKindsOfTheOtherLoops() throws {
        let all = try analysesWithLoops()
        func kinds(_ name: String) throws -> [String] {
            let analysis = try #require(all.first { $0.name == name }).analysis
            return analysis.edges.map { "\(analysis.chain[$0.from].id)→\(analysis.chain[$0.to].id) \($0.kind.key)" }
        }
        #expect(try kinds("within-a-stage") == ["x→y forward", "y→x feedback", "y→z forward"])
        #expect(try kinds("recycling") == [
            "ore→part forward", "part→product forward", "product→scrap forward", "scrap→ore feedback", "scrap→part feedback",
        ])
        #expect(try kinds("self-and-service") == [
            "m→m feedback", "m→p forward", "p→u forward", "s→p backward", "s→u backward",
        ])
    }

    @Test("for every link and edge, the map's SVG class is the analysis's status or edge kind")
    func theMapAgreesWithTheAnalysis() throws {
        for (name, analysis) in try analysesWithLoops() {
            let map = ChainMap(analysis)
            let svg = try RenderedSVG(map)
            for link in analysis.chain.links {
                let classes = try svg.group(id: map.elementID(of: link.ref)).svgAttribute("class") ?? ""
                let status = analysis.status(of: link.ref)
                #expect(classes.split(separator: " ").contains(Substring(status.key)), "\(name): \(link.id) is \(status.key), drawn \(classes)")
            }
            for edge in analysis.edges {
                let id = "supply-\(map.elementID(of: edge.from).dropFirst(5))-to-\(map.elementID(of: edge.to).dropFirst(5))"
                let classes = try svg.group(id: id).svgAttribute("class")
                #expect(classes == "edge supply \(edge.kind.key)", "\(name): \(id)")
            }
            // Nothing else is drawn as a supply.
            #expect(try svg.groups(withClasses: "supply").count == analysis.edges.count, "\(name)")
        }
    }

    @Test("the roadmap and the reasons read the nearest covered links the analysis found")
    func nearestCoveredLinksComeFromTheAnalysis() throws {
        let analysis = try #require(try analysesWithLoops().first { $0.name == "self-and-service" }).analysis
        let entry = try #require(analysis.entry(for: analysis.chain.link(id: "m")!.ref))
        #expect(entry.coveredDownstream == NearestCovered(distance: 1, links: [analysis.chain.link(id: "p")!.ref], via: []))
        #expect(entry.coveredUpstream == nil)
        let roadmap = ReportRoadmap(analysis: analysis, gapLeads: analysis.entries.map { GapLeads(entry: $0, leads: [], matched: 0) })
        let item = try #require(roadmap.phases.flatMap(\.items).first { $0.entry.link == entry.link })
        #expect(item.measure.contains("产品（链主企业产品公司）"))
    }

    @Test("a status's words are written in one place only: Model/LinkStatus.swift")
    func statusWordsAreDefinedOnce() throws {
        let sources = packageRoot().appendingPathComponent("Sources")
        var files: [(path: String, text: String)] = []
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        for case let path as String in enumerator where path.hasSuffix(".swift") {
            files.append((path, try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)))
        }
        #expect(files.count > 40)
        var words = LinkStatus.allCases.flatMap { [$0.label, $0.meaning, $0.condition] }
        words += EdgeKind.allCases.flatMap { [$0.label, $0.meaning] }
        for word in Set(words) {
            let defining = files.filter { $0.text.contains("\"\(word)\"") }.map(\.path)
            #expect(defining == ["ChainMapKit/Model/LinkStatus.swift"], "'\(word)' is written in \(defining)")
        }
        // The ranking of roles, once, in the model.
        #expect(files.filter { $0.text.contains("case .champion: 1") }.map(\.path) == ["ChainMapKit/Model/Enterprise.swift"])
        // The words that put a tag in a tier, once, in the model's tier table (the lead
        // score names tiers only to give them points).
        for tier in TierTable.standard.tiers {
            for word in Set(tier.patterns.flatMap { $0 }) where word != tier.name && word.unicodeScalars.count > 2 {
                let defining = files.filter { $0.text.contains("\"\(word)\"") }.map(\.path)
                #expect(defining == ["ChainMapKit/Model/Tiers.swift"], "'\(word)' is written in \(defining)")
            }
        }
    }

    @Test("the one tier table: a tag counts alike for a local enterprise and a lead")
    func oneTierTable() throws {
        // 科创板 is a listed company for the analysis too.
        let chain = try gapTestChain("""
            chain: 梯队
            links:
              - {id: a, name: 甲, stage: 上游}
            enterprises:
              - {name: 一号, links: [a], tags: [科创板]}
              - {name: 二号, links: [a]}
            """)
        #expect(GapAnalysis(chain).status(of: chain.linkRefs[0]) == .covered)
        let table = TierTable.standard
        #expect(table.tier(of: "科创板").map { table.tiers[$0].name } == "上市公司")
        #expect(table.tier(of: "國家級專精特新「小巨人」").map { table.tiers[$0].name } == "专精特新")
        #expect(table.tier(of: "2023民营企业500强").map { table.tiers[$0].name } == "民营500强")
        #expect(table.tier(of: "农业产业化重点龙头企业") == nil)
        // Every Traditional spelling OpenCC gives of a pattern word, character for character,
        // is in the table (Taiwan phrasings such as 主板 → 主機板, a computer's mainboard,
        // are another word).
        if ChineseVariants.isAvailable {
            for tier in table.tiers {
                let words = Set(tier.patterns.flatMap { $0 })
                for word in words {
                    for spelling in ChineseVariants.expand(word) where spelling.count == word.count {
                        #expect(tier.patterns.contains { $0.contains(spelling) }, "\(tier.name): \(spelling) (\(word)) is missing")
                    }
                }
            }
        }
        // The lead score takes its points from the same table.
        #expect(Set(LeadScoring.defaultTierPoints.keys) == Set(table.tiers.map(\.name)))
    }

    @Test("numbers: one formatter, rounding half away from zero")
    func numbers() {
        #expect(NumberText.tenths(41.25) == "41.3")
        #expect(NumberText.tenths(60) == "60.0")
        #expect(NumberText.percent(1.0 / 16) == "6.3%")
        #expect(NumberText.amount(0.125) == "0.13")
        #expect(NumberText.amount(320) == "320")
        #expect(NumberText.significant(0.0012) == "0.0012")
        #expect(NumberText.signed(9.75) == "+9.8")
        #expect(NumberText.grouped(-1_234_567) == "-1,234,567")
        #expect(NumberText.trimmed(-0.0001, 2) == "0")
    }

    @Test("JSON: standard escaping leaves markup alone; script escaping cannot end a <script>")
    func json() {
        var standard = JSONWriter()
        standard.string("a<b>&c/d\"e\u{2028}\u{1}")
        #expect(standard.text == "\"a<b>&c/d\\\"e\u{2028}\\u0001\"")
        var script = JSONWriter(escaping: .script)
        script.string("</script><!--&\u{2028}")
        #expect(script.text == "\"\\u003c\\u002fscript\\u003e\\u003c!--\\u0026\\u2028\"")
    }

    @Test("JSON: every byte value, at every place of short strings and around the 16-byte blocks the writer checks at once, is escaped as a byte-by-byte escaper does")
    func jsonEveryByte() {
        /// The rule written out byte by byte.
        func reference(_ bytes: [UInt8], script: Bool) -> [UInt8] {
            func u(_ value: Int) -> [UInt8] { Array(String(format: "\\u%04x", value).utf8) }
            var out: [UInt8] = [0x22]
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                i += 1
                switch b {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case ..<0x20, 0x7F: out += u(Int(b))
                case 0xC2 where i < bytes.count && (0x80...0x9F).contains(bytes[i]):
                    out += u(Int(bytes[i]))
                    i += 1
                case 0x3C where script, 0x3E where script, 0x26 where script, 0x2F where script: out += u(Int(b))
                case 0xE2 where script && i + 1 < bytes.count && bytes[i] == 0x80 && (bytes[i + 1] == 0xA8 || bytes[i + 1] == 0xA9):
                    out += u(bytes[i + 1] == 0xA8 ? 0x2028 : 0x2029)
                    i += 2
                default: out.append(b)
                }
            }
            return out + [0x22]
        }
        let filler = Array("链主企业".utf8)  // 12 bytes, none special
        var checked = 0
        for script in [false, true] {
            // Below 4 bytes a byte at a time; 4–7 and 8–15 as two overlapping halves; from
            // 16 on whole blocks, then one ending where the string ends.
            for length in [0, 1, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 32, 33, 47] {
                let text = (0..<length).map { filler[$0 % filler.count] }
                var plain = JSONWriter(escaping: script ? .script : .standard)
                text.withUnsafeBufferPointer { plain.string(utf8: $0) }
                #expect(plain.bytes == reference(text, script: script))
                for at in 0..<length {
                    for value in 0...255 {
                        var bytes = text
                        bytes[at] = UInt8(value)
                        // A C1 control or U+2028 where the byte can start one.
                        if value == 0xC2, at + 1 < length { bytes[at + 1] = 0x85 }
                        if value == 0xE2, at + 2 < length { bytes[at + 1] = 0x80; bytes[at + 2] = 0xA8 }
                        var out = JSONWriter(escaping: script ? .script : .standard)
                        bytes.withUnsafeBufferPointer { out.string(utf8: $0) }
                        if out.bytes != reference(bytes, script: script) {
                            Issue.record("script \(script), length \(length), byte \(value) at \(at): \(out.text)")
                        }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 2 * 256 * (1 + 3 + 4 + 5 + 7 + 8 + 9 + 12 + 15 + 16 + 17 + 31 + 32 + 33 + 47))
    }

    @Test("Markdown tables escape every cell as the report does")
    func markdownTables() {
        var table = TextTable(headers: ["环节"])
        table.append(["钛*合金*粉<img src=x>"])
        #expect(table.markdown().contains("钛\\*合金\\*粉\\<img src=x\\>"))
    }

    @Test("the diagnostic log prints each problem once and keeps notes with their places")
    func diagnosticLog() {
        let at = FileLocation(file: "a.csv", line: 3, column: 1)
        let first = Diagnostic.error(.unreadableRow, "row cannot be read", at: at)
        var log = DiagnosticLog()
        log.add([first, first])
        log.add(first)
        #expect(log.take() == [first])
        #expect(log.take().isEmpty)
        // An unreadable lead row is counted, but fails no command by itself.
        #expect(!log.hasErrors)
        #expect(log.contains(.unreadableRow))
        log.add(.error(.output, "cannot write out.html", at: nil))
        #expect(log.hasErrors)
        let noted = Diagnostic.error(.duplicate, "duplicate link id 'x'", at: at).noting("first here", at: .init(file: "a.csv", line: 1, column: 1))
        #expect(noted.lines == ["a.csv:3:1: error: duplicate link id 'x'", "a.csv:1:1: note: first here"])
    }
}

/// A table source that counts how often it is read.
final class CountingSource: RowSource, @unchecked Sendable {
    let inner: DelimitedRowSource
    let reads = Mutex(0)
    var file: String { inner.file }

    init(path: String) {
        inner = DelimitedRowSource(path: path)
    }

    func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        reads.withLock { $0 += 1 }
        return inner.read(into: consumer, progress: progress)
    }
}

@Suite("The pipeline: every command's stages, each lead file read once")
struct PipelineTests {
    /// Two chains that both need 隔膜 (a separator) and a lead file with one firm that
    /// makes it.
    static func workspace() throws -> (directory: URL, leads: String) {
        let directory = try TestScratch.directory("chainmap-pipeline")
        for (id, name) in [("one", "电池一"), ("two", "电池二")] {
            try Data("""
                chain: \(name)
                region: 示例市
                links:
                  - {id: separator, name: 隔膜, stage: 上游, supplies: [cell], keywords: [隔膜]}
                  - {id: cell, name: 电芯, stage: 中游}
                enterprises:
                  - {name: 示例电芯\(id)有限公司, links: [cell], role: 链主}
                  - {name: 共同配套有限公司, links: [cell]}
                leads:
                  - {name: 在谈隔膜有限公司, links: [separator], status: 在谈}
                """.utf8).write(to: directory.appendingPathComponent("\(id).yaml"))
        }
        let leads = directory.appendingPathComponent("leads.csv")
        try Data("企业名称,经营范围\n某某隔膜科技有限公司,锂电池隔膜的研发与生产\n某餐饮公司,餐饮服务\n".utf8).write(to: leads)
        return (directory, leads.path)
    }

    @Test("a directory's lead file is read once for all its chains")
    func eachLeadFileIsReadOnce() throws {
        let (directory, leads) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let counting = CountingSource(path: leads)
        let run = ChainPipeline().run([directory.path], screening: true, sources: [.chainFile, .rows(counting)])
        #expect(!run.hasErrors, "\(run.diagnostics)")
        #expect(counting.reads.withLock { $0 } == 1)
        #expect(run.chains.count == 2)
        for chain in run.chains {
            let screening = try #require(chain.screening)
            #expect(screening.names.contains("某某隔膜科技有限公司"), "\(chain.chain.id)")
            #expect(screening.sources.map(\.counts.rows) == [1, 2])
        }
        #expect(run.leadSources.map(\.counts.rows) == [2])
    }

    @Test("the overview counts a company that is a lead in two chains once, and says so")
    func theSystemCountsEachCompanyOnce() throws {
        let (directory, leads) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = ChainPipeline.Options()
        options.leadFiles = [leads]
        let run = ChainPipeline(options: options).run([directory.path], screening: true)
        let system = run.system
        #expect(run.chains.map { $0.recommendations.count } == [2, 2])
        #expect(system.totals.leads == 2)
        #expect(system.totals.leadsInSeveralChains == 2)
        #expect(system.totals.enterprises == 3)
        #expect(system.totals.enterprisesInSeveralChains == 1)
        #expect(system.totals.projects == 1)
        let overview = ReportIndex.overview(system)
        #expect(overview.contains("推荐招商目标企业 2 家（其中 2 家同时对接多条产业链，只计一次）"))
        #expect(overview.contains("本地企业 3 家（链主、龙头 2 家；1 家同时位于多条产业链，只计一次）"))
        #expect(overview.contains("在库项目 1 个"))
        // The index page and the Markdown index say the same.
        #expect(HtmlReport.index(system).contains(HtmlText.escape(overview)))
        #expect(MarkdownReport.index(system).contains(MarkdownText.escape(overview)))
    }

    @Test("the overview worked out alongside the reports is the system of the chains written")
    func theSystemAlongside() throws {
        let (directory, leads) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = ChainPipeline.Options()
        options.leadFiles = [leads]
        let run = ChainPipeline(options: options).run([directory.path], screening: true)
        let pending = run.systemAlongside()
        // Every chain written: the system worked out alongside, the same as the run's.
        #expect(MarkdownReport.index(pending.system(of: run.chains)) == MarkdownReport.index(run.system))
        // One written: the system of that one, not of both.
        let one = Array(run.chains.prefix(1))
        let alone = MarkdownReport.index(pending.system(of: one))
        #expect(alone == MarkdownReport.index(run.system(of: one)))
        #expect(alone != MarkdownReport.index(run.system))
        // The pages made alongside are the pages of the run's system; with a chain not
        // written, they are made again, naming it.
        let pages = pending.pages(of: run.chains, failed: [])
        #expect(pages.markdown == MarkdownReport.index(run.system))
        #expect(pages.html == HtmlReport.index(run.system))
        let name = run.chains[1].chain.name
        let failed = pending.pages(of: one, failed: [name])
        #expect(failed.markdown == MarkdownReport.index(run.system(of: one), failed: [name]))
        #expect(failed.html == HtmlReport.index(run.system(of: one), failed: [name]))
        #expect(failed.markdown != MarkdownReport.index(run.system(of: one)))
    }

    @Test("a lead file that cannot be read fails the screening for every command alike")
    func aMissingLeadFileFailsTheScreening() throws {
        let (directory, _) = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = ChainPipeline.Options()
        options.leadFiles = [directory.appendingPathComponent("missing.csv").path]
        let run = ChainPipeline(options: options).run([directory.path], screening: true)
        #expect(run.leadsFailed)
        #expect(run.diagnostics.filter(\.isError).map(\.category) == [.input])
    }
}
