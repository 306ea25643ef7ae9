import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ChainMapKit

/// Issue 14: everything a lead file or chain file holds is hostile until escaped for
/// where it goes. One test per item, with its reproducer; the payload files are in
/// Fixtures/hostile.
@Suite("Issue 14: hostile input")
struct HostileInputTests {
    // MARK: 1. Script through the map font

    @Test("1. a font name that is not a plain family name is refused, located")
    func fontInjection() {
        let result = loadYAML("""
            chain: c
            style: {font: "WenQuanYi Micro Hei\\"><script>alert(1)</script><text x=\\""}
            links:
              - {id: a, name: A, stage: 上游}
            """)
        #expect(result.chain == nil)
        #expect(result.diagnostics.flatMap(\.lines) == [
            "t.yaml:2:15: error: 'font' must be a font family name of at most 64 letters, digits, spaces and - _ . , such as 'WenQuanYi Micro Hei'; got 'WenQuanYi Micro Hei\"><script>alert(1)</script><text x=\"'",
        ])
        #expect(MapStyle.isFontName("Noto Sans CJK SC"))
        #expect(MapStyle.isFontName("文泉驿微米黑"))
        #expect(!MapStyle.isFontName("A\"B"))
        #expect(!MapStyle.isFontName(String(repeating: "x", count: 65)))
        // A style made in code with a bad font falls back to the standard one.
        let theme = MapTheme(style: MapStyle(font: "x\"><script>"))
        #expect(theme.font == MapTheme.standard.font)
    }

    @Test("1. every attribute Graphviz writes raw holds only safe text")
    func graphvizAttributesAreSafe() throws {
        let chain = try renderSampleChain()
        let map = ChainMap(GapAnalysis(chain), leads: try renderSampleLeads(GapAnalysis(chain)))
        let graph = map.graph()
        var values: [(String, String)] = []
        func collect(_ attributes: Attributes) {
            for entry in attributes {
                if case .text(let text) = entry.value { values.append((entry.name, text)) }
            }
        }
        collect(graph.attributes)
        collect(graph.nodeDefaults)
        collect(graph.edgeDefaults)
        for node in graph.nodes { collect(node.attributes) }
        for edge in graph.edges { collect(edge.attributes) }
        // id, class, fontname, colours: a safe character set (tooltips are escaped apart).
        let raw: Set<String> = ["id", "class", "fontname", "color", "fillcolor", "fontcolor", "style", "shape"]
        for (name, value) in values where raw.contains(name) {
            #expect(!value.contains { "\"<>&'\\".contains($0) }, "\(name)=\(value)")
        }
    }

    // MARK: 2. Markdown

    @Test("2. Markdown keeps a cell that needs no escaping as it is, and escapes every other as character by character")
    func markdownFastPath() {
        // Characters next to those that need escaping: C1 controls beside · (U+00B7), the
        // line separators beside — and “”, U+FFFE/FFFF beside （）, markup, spaces.
        let alphabet: [String] = [
            "甲", "a", "1", ".", ")", "-", "+", " ", "\t", "\n", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "·", "\u{2028}",
            "\u{2029}", "\u{2027}", "—", "“", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "（", "*", "|", "<", "&", "é", "e\u{301}", "😀",
        ]
        var generator = SystemRandomNumberGenerator()
        var kept = 0
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            #expect(MarkdownText.escape(text) == MarkdownText.escapeScalars(text), "\(Array(text.unicodeScalars))")
            if !MarkdownText.needsEscaping(text) { kept += 1 }
        }
        #expect(kept > 100)
        #expect(!MarkdownText.needsEscaping("示例（深圳）新能源有限公司·“电池”—总部"))
        #expect(MarkdownText.needsEscaping("甲\u{85}") && MarkdownText.needsEscaping("甲\u{2029}") && MarkdownText.needsEscaping("\u{FFFE}"))
    }

    @Test("2. Markdown escapes markup, ampersands and list markers")
    func markdownEscaping() {
        #expect(MarkdownText.escape("甲<img src=x onerror=alert(1)>") == "甲\\<img src=x onerror=alert(1)\\>")
        #expect(MarkdownText.escape("A&B") == "A\\&B")
        #expect(MarkdownText.escape("1. 示例市") == "1\\. 示例市")
        #expect(MarkdownText.escape("2) 示例市") == "2\\) 示例市")
        #expect(MarkdownText.escape("- 示例") == "\\- 示例")
        #expect(MarkdownText.escape("50.0") == "50.0")
        #expect(MarkdownText.escape("    缩进") == "缩进")
        #expect(MarkdownText.escape("乙\u{FFFE}\u{01}丙") == "乙 丙")
    }

    @Test("2. gaps and leads Markdown, through pandoc, make no HTML element of a name")
    func markdownThroughPandoc() throws {
        let pandoc = try #require(Pandoc.find(), "pandoc is installed by .ci/deps")
        let chain = try #require(try loadFixture("hostile/payload.yaml").chain)
        let analysis = GapAnalysis(chain)
        let screening = try LeadScreener(analysis: analysis).screen([.chainFile]).screenings[0]
        for markdown in [GapReport.markdown(IndustrySystem([AnalysedChain(analysis: analysis)])),
                         LeadReport.markdown(screening, limit: nil, perGap: 3)] {
            let html = try Self.pandocHTML(markdown, pandoc: pandoc.path)
            for element in ["<img", "<script", "<svg", "<iframe", "<ol", "<li"] {
                #expect(!html.contains(element), "\(element) in \(html.prefix(300))")
            }
        }
    }

    static func pandocHTML(_ markdown: String, pandoc: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        process.arguments = ["--from=markdown-smart", "--to=html"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: 3. Terminal escapes

    @Test("the bidirectional controls are shown as U+FFFD in HTML, SVG labels and tooltips and Markdown, escaped on a terminal")
    func bidirectionalControls() {
        let controls: [Unicode.Scalar] = ["\u{061C}", "\u{200E}", "\u{200F}", "\u{202A}", "\u{202B}", "\u{202C}", "\u{202D}", "\u{202E}",
                                          "\u{2066}", "\u{2067}", "\u{2068}", "\u{2069}"]
        // Every code point whose UTF-8 shares a lead byte with them: exactly these are told.
        for value in UInt32(0x600)...UInt32(0x2FFF) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(BidiControls.contains(scalar) == controls.contains(scalar), "U+\(String(value, radix: 16))")
            #expect(BidiControls.isIn("甲\(scalar)乙") == controls.contains(scalar), "U+\(String(value, radix: 16))")
        }
        for control in controls {
            let name = "甲公司\(control)司公乙"
            #expect(HTML.escape(name) == "甲公司\u{FFFD}司公乙")
            #expect(HTML.escape(name, keepingLineBreaks: true) == "甲公司\u{FFFD}司公乙")
            #expect(HTML.label("a\\N\(control)") == "a\\\\N\u{FFFD}")
            #expect(AttributeValue.literalText(name) == "甲公司\u{FFFD}司公乙")
            #expect(MarkdownText.escape(name) == "甲公司\u{FFFD}司公乙")
            #expect(MarkdownText.escape("\(control)- 甲") == "\u{FFFD}- 甲")
            #expect(TerminalText.escape(name) == "甲公司\\u{\(String(control.value, radix: 16, uppercase: true))}司公乙")
            // The page's data, which its script shows; past a 16-byte block too.
            #expect(HtmlText.jsonString(name) == "\"甲公司\u{FFFD}司公乙\"")
            #expect(HtmlText.jsonString("0123456789abcdef" + name) == "\"0123456789abcdef甲公司\u{FFFD}司公乙\"")
            // Data keeps it.
            var json = JSONWriter()
            json.string(name)
            #expect(json.text == "\"\(name)\"")
        }
        // Text with none is kept as it is: the common punctuation of the U+2000 block too.
        for text in ["甲“乙”—丙…丁‘戊’", "阿拉伯文 مرحبا؛"] {
            #expect(HTML.escape(text) == text)
            #expect(MarkdownText.escape(text) == text)
            #expect(HtmlText.jsonString(text) == "\"\(text)\"")
        }
    }

    @Test("3. control characters reach the terminal as escapes")
    func terminalEscapes() {
        #expect(TerminalText.escape("甲\u{1B}]0;pwned\u{07}乙") == "甲\\u{1B}]0;pwned\\u{7}乙")
        #expect(TerminalText.escape("a\u{9B}31mb\u{202E}c") == "a\\u{9B}31mb\\u{202E}c")
        #expect(TerminalText.escape("一\n二") == "一\\u{A}二")
        #expect(TerminalText.escape("一\n二", keepingLineBreaks: true) == "一\n二")
        #expect(TerminalText.escape("示例 · 有限公司") == "示例 · 有限公司")
        // chainmap's own colours stay when allowed; nothing else does.
        #expect(TerminalText.escape("\u{1B}[1;31m红\u{1B}[0m\u{1B}[2J", allowingStyles: true) == "\u{1B}[1;31m红\u{1B}[0m\\u{1B}[2J")
        // A table cell and a styled heading are escaped where they are made.
        var table = TextTable(headers: ["名称"])
        table.append(["坏\u{1B}[2J公司"])
        #expect(table.text().contains("坏\\u{1B}[2J公司"))
        #expect(TextStyle.bold.apply(to: "\u{1B}]0;x\u{07}") == "\u{1B}[1m\\u{1B}]0;x\\u{7}\u{1B}[0m")
        // JSON and CSV escape them in their own way.
        var json = JSONWriter()
        json.string("a\u{1B}b\u{9B}c\u{7F}")
        #expect(json.text == "\"a\\u001bb\\u009bc\\u007f\"")
        #expect(CSVText.field("a\u{1B}b") == "a\\u{1B}b")
    }

    // MARK: 4. Characters XML forbids

    @Test("4. U+FFFE and C0 controls in names give a map that parses as XML")
    func forbiddenCharacters() throws {
        let chain = try renderSampleChain(renderSampleYAML
            .replacingOccurrences(of: "name: 远端资源", with: "name: \"远端\\x01资源\\v\\uFFFE\"")
            .replacingOccurrences(of: "某某材料股份有限公司", with: "\"某某\\uFFFE材料\\x0B股份有限公司\""))
        let analysis = GapAnalysis(chain)
        let svg = try RenderedSVG(ChainMap(analysis, leads: try renderSampleLeads(analysis)))
        #expect(svg.text.contains("远端"))
        #expect(!svg.text.unicodeScalars.contains { XMLText.isForbidden($0) })
        #expect(XMLText.replacingForbidden("a\u{01}b\u{FFFE}") == "a\u{FFFD}b\u{FFFD}")
        #expect(HTML.escape("a\u{FFFF}b", keepingLineBreaks: true) == "ab")
    }

    // MARK: 5. Graphviz escapes shown literally

    @Test("5. \\N, \\G and \\L in a name show as written, in labels and tooltips")
    func graphvizEscapesAreLiteral() throws {
        let chain = try renderSampleChain(renderSampleYAML
            .replacingOccurrences(of: "name: 关键材料", with: "name: '甲\\G\\N\\L材料'"))
        let svg = try RenderedSVG(ChainMap(GapAnalysis(chain)))
        let link = try svg.group(id: "a_link-material")
        #expect(try RenderedSVG.tooltip(of: link).hasPrefix("甲\\G\\N\\L材料 · "))
        #expect(svg.text.contains(">甲\\G\\N\\L材料<"))
        #expect(!svg.text.contains("甲battery"))
    }

    // MARK: 6, 7. Ids that name files

    @Test("6, 7. an id is checked at load time: characters, length, reserved names")
    func chainIDs() {
        func lines(_ id: String) -> [String] {
            loadYAML("chain: c\nid: \(id)\nlinks:\n  - {id: a, name: A, stage: 上游}\n").diagnostics.flatMap(\.lines)
        }
        #expect(lines("\"victim\\0.evil\"") == [
            "t.yaml:2:5: error: 'id' holds the control character U+0; an id names files, so it may hold only letters, digits, '-', '_' and '.'; got 'victim\u{0}.evil'",
        ])
        #expect(lines(String(repeating: "x", count: 230)) == [
            "t.yaml:2:5: error: 'id' is 230 bytes long; an id names files, so it may have at most 120 bytes (40 汉字); got '\(String(repeating: "x", count: 80))…（共 230 字）'",
        ])
        #expect(lines("index") == [
            "t.yaml:2:5: error: 'id' is taken by the overview that `report DIR` writes (index.html, index.md); got 'index'",
        ])
        #expect(lines("INDEX").count == 1)
        #expect(lines("../etc") == [
            "t.yaml:2:5: error: 'id' holds '/'; an id names files, so it may hold only letters, digits, '-', '_' and '.'; got '../etc'",
        ])
        #expect(lines("新能源-电池_2.0").isEmpty)
        // A file's name gives a good id, or an error that says to add one.
        #expect(Chain.id(fromFileName: "新能源 汽车") == "新能源-汽车")
        let index = ChainLoader().load(bytes: Array("chain: c\nlinks:\n  - {id: a, name: A, stage: 上游}\n".utf8), file: "index.yaml", defaultID: "index")
        #expect(index.diagnostics.flatMap(\.lines) == [
            "index.yaml:1:1: error: the file name gives the id 'index', which is taken by the overview that `report DIR` writes (index.html, index.md); add an 'id:' line or rename the file",
        ])
    }

    // MARK: 8. Complete or absent

    @Test("8. a chain's files are written all or none")
    func fileSets() throws {
        let directory = try LeadFixtures.temporaryFile("x", "").replacingOccurrences(of: "/x", with: "")
        var set = FileSystem.FileSet()
        try set.stage(Array("a".utf8), to: directory + "/one.md")
        // A directory in the way of the second file: staging works, putting in place fails.
        try FileManager.default.createDirectory(atPath: directory + "/two.html", withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: directory + "/two.html/sub", withIntermediateDirectories: false)
        try set.stage(Array("b".utf8), to: directory + "/two.html")
        #expect(throws: DiagnosticError.self) { try set.commit() }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(left == ["two.html", "x"])
    }

    // MARK: 10. Temporary files

    @Test("10. an interrupted run's temporary files can be removed")
    func temporaries() throws {
        let directory = (try LeadFixtures.temporaryFile("x", "") as NSString).deletingLastPathComponent
        var file = try FileSystem.AtomicFile(path: directory + "/out.json")
        file.write("partial")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasSuffix(".tmp") })
        FileSystem.removeTemporaries()
        #expect(try !FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasSuffix(".tmp") })
    }

    @Test("10. a file streamed past the write-behind size replaces the old one whole")
    func streamedPastWriteBehind() throws {
        let directory = (try LeadFixtures.temporaryFile("x", "") as NSString).deletingLastPathComponent
        let path = directory + "/out.json"
        try FileSystem.writeAtomically(Array("old".utf8), to: path)
        // Pieces of uneven sizes, so that the write-back ranges start inside pieces.
        var expected: [UInt8] = []
        var file = try FileSystem.AtomicFile(path: path)
        var n = 0
        while expected.count < 2 * FileSystem.AtomicFile.writeBehind + 12_345 {
            let piece = [UInt8](repeating: UInt8(ascii: "a") + UInt8(n % 26), count: 1_000_003 + n * 7)
            piece.withUnsafeBytes { file.write($0) }
            expected += piece
            n += 1
        }
        #if os(Linux)
        // All but the last stretch shorter than the write-behind size was handed over.
        #expect(file.flushed > FileSystem.AtomicFile.writeBehind && file.written - file.flushed < FileSystem.AtomicFile.writeBehind)
        #endif
        #expect(file.written == expected.count)
        try file.commit()
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["out.json", "x"])
    }

    @Test("10. a write makes the directories it needs, and a file in the way is said as the directory it cannot make")
    func directoriesMadeOnlyWhenMissing() throws {
        let directory = (try LeadFixtures.temporaryFile("x", "") as NSString).deletingLastPathComponent
        // Missing: made, with the directories above it; the file lands whole, nothing else.
        try FileSystem.writeAtomically(Array("a".utf8), to: directory + "/new/deeper/a.svg")
        #expect(try String(contentsOfFile: directory + "/new/deeper/a.svg", encoding: .utf8) == "a")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/new/deeper") == ["a.svg"])
        // A plain file where the directory should be.
        try FileSystem.writeAtomically(Array("f".utf8), to: directory + "/file")
        let absolute = URL(fileURLWithPath: directory + "/file").path
        do {
            try FileSystem.writeAtomically(Array("b".utf8), to: directory + "/file/sub/b.svg")
            Issue.record("a write under a plain file succeeded")
        } catch {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics.first?.message.hasPrefix("cannot create directory \(absolute)/sub: ") == true, "\(error.diagnostics)")
        }
        // The failed write's temporary file is no longer listed for removal.
        #expect(FileSystem.temporaries.withLock { $0.filter { $0.hasPrefix(directory + "/") } }.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["file", "new", "x"])
    }

    // MARK: 11. Messages

    @Test("11. a duplicate id through an alias is reported where the alias is")
    func aliasDuplicate() {
        let lines = loadYAML("""
            chain: c
            links:
              - &cell
                id: cell
                name: 电芯
                stage: 中游
              - {id: pack, name: 包, stage: 下游}
              - *cell
            """).diagnostics.flatMap(\.lines)
        #expect(lines == [
            "t.yaml:4:9: note: 'cell' is first defined here",
            "t.yaml:8:5: error: duplicate link id 'cell' (the alias repeats the link)",
        ].sorted { $0.contains("error") && !$1.contains("error") })
    }

    @Test("11. a header longer than Excel's 16,384 columns is named as such")
    func wideHeader() throws {
        let header = "企业名称," + (0..<20_000).map { "c\($0)" }.joined(separator: ",")
        let file = try LeadFixtures.temporaryFile("wide.csv", header + "\n甲公司,电解液\n")
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(screening.failed)
        #expect(screening.diagnostics.map(\.message) == ["row has 20,001 columns; a header row may have at most 16,384 (Excel's limit)"])
        let long = "企业名称," + (0..<800_000).map { "c\($0)" }.joined(separator: ",")
        let longFile = try LeadFixtures.temporaryFile("long.csv", long + "\n")
        let tooLong = try LeadFixtures.screen(try LeadFixtures.chain(), files: [longFile])
        #expect(tooLong.diagnostics.first?.message.hasPrefix("the first line is longer than 4 MB") == true)
    }

    // MARK: 12. Quoted line breaks, broken quotes

    @Test("12. a quoted field with a line break is one cell; a broken one makes no phantom row")
    func quotedLineBreaks() throws {
        let file = try LeadFixtures.temporaryFile("nl.csv", """
            企业名称,经营范围
            "癸电解液
            有限公司",电解液
            "坏,电解液
            甲电解液公司,电解液
            乙"电解液",电解液

            """)
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        #expect(Set(screening.names) == ["癸电解液\n有限公司", "甲电解液公司"])
        #expect(!screening.names.contains { $0.hasSuffix("\"") })
        // The broken record runs from line 4 to the quote on line 6: line 4 is skipped,
        // line 5 read again on its own, and line 6, which ends in that quote, skipped.
        #expect(screening.errors.map { "\($0.location!.line): \($0.message)" } == [
            "4: row cannot be read: a quoted field opened here does not close where a row ends (a stray '\"'?); this line is skipped, and reading goes on at the next",
            "6: row cannot be read: after a row that could not be read, this line does not start a row of its own (a stray '\"', or cells missing); this line is skipped, and reading goes on at the next",
        ])
        #expect(screening.totals.unreadable == 2)
    }

    // MARK: 13. One enterprise on two rows

    @Test("13. the rows of one enterprise are merged: every link it matches, every row named")
    func mergedRows() throws {
        let file = try LeadFixtures.temporaryFile("dup.csv", """
            企业名称,经营范围,标签
            甲新材料有限公司,电解液,
            乙公司,隔膜,
            甲新材料有限公司,湿法隔膜,上市公司

            """)
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [file])
        let merged = try #require(screening.recommendation("甲新材料有限公司"))
        #expect(Set(screening.linkIDs("甲新材料有限公司")) == ["electrolyte", "separator"])
        #expect(merged.rows.map(\.line) == [2, 4])
        #expect(merged.lead.location.line == 4)  // the better row's fields lead
        #expect(merged.lead.tags == ["上市公司"])
        #expect(screening.recommendedCount == 2)
        #expect(screening.duplicates == 1)
        let separator = try #require(screening.analysis.chain.links.first { $0.id == "separator" }?.ref)
        #expect(screening.leads(for: separator).map(\.lead.name).contains("甲新材料有限公司"))
    }

    @Test("13. hundreds of enterprises on three rows each, read in many blocks, each merged in the order read")
    func mergedManyRows() throws {
        // 300 enterprises (enough for the merges to be shared among the cores), each on a
        // row of each of three exports, whose scopes, tags and capital differ; read in
        // blocks of 4 KB.
        let scopes = ["电解液", "湿法隔膜", "电解液 隔膜"]
        let files = try (0..<3).map { round in
            var csv = "企业名称,经营范围,标签,注册资本\n"
            for n in 0..<300 {
                csv += "企业\(n)新材料有限公司,\(scopes[(n + round) % 3]),标签\(round),\(100 * (round + 1) + n)万元\n"
            }
            return try LeadFixtures.temporaryFile("export\(round).csv", csv)
        }
        let chain = try LeadFixtures.chain()
        var reading = ReadingOptions()
        reading.blockSize = 4 << 10
        let screening = try LeadFixtures.screen(chain, files: files, reading: reading)
        #expect(screening.recommendations.count == 300)
        #expect(screening.duplicates == 600 && screening.unmergedDuplicates == 0)
        // Each as merging its rows one by one in the order read makes it.
        let alone = try files.map { try LeadFixtures.screen(chain, files: [$0]) }
        let scorer = try LeadScorer(analysis: GapAnalysis(chain))
        for n in 0..<300 {
            let name = "企业\(n)新材料有限公司"
            let merged = try #require(screening.recommendation(name))
            let rows = try alone.map { try #require($0.recommendation(name)) }
            let expected = scorer.merging(scorer.merging(rows[0], rows[1]), rows[2])
            // A row of each export (listed by path, and the exports lie in directories of
            // their own), each on the same line.
            #expect(Set(merged.rows.map(\.file)) == Set(files) && merged.rows.map(\.line) == [2 + n, 2 + n, 2 + n])
            #expect(Set(merged.lead.tags) == ["标签0", "标签1", "标签2"])
            #expect(merged.lead.tags == expected.lead.tags, "\(name)")
            #expect(merged.lead.capital == expected.lead.capital && merged.score == expected.score, "\(name)")
        }
    }

    @Test("13. many rows of one enterprise, tags repeated and of tiers, join their tags as merging them one by one does")
    func mergedTagsManyRows() throws {
        // Six enterprises on a row of each of 30 exports, with tags drawn from tier words
        // and others (repeats within a row too) and capitals that change which row leads.
        let pool = ["上市公司", "专精特新", "高新技术企业", "A股上市", "国企", "独角兽", "甲", "乙", "丙", "丁", "戊"]
        var rng = SeededGenerator(seed: 13)
        let files = try (0..<30).map { round in
            var csv = "企业名称,经营范围,标签,注册资本\n"
            for n in 0..<6 {
                let tags = (0..<Int.random(in: 0...4, using: &rng)).map { _ in pool.randomElement(using: &rng)! }
                csv += "企业\(n)新材料有限公司,\(["电解液", "湿法隔膜", "电解液 隔膜"][(n + round) % 3]),\(tags.joined(separator: "、")),\(Int.random(in: 1...9, using: &rng) * 1000)万元\n"
            }
            return try LeadFixtures.temporaryFile("tags\(round).csv", csv)
        }
        let chain = try LeadFixtures.chain()
        let screening = try LeadFixtures.screen(chain, files: files)
        let alone = try files.map { try LeadFixtures.screen(chain, files: [$0]) }
        let scorer = try LeadScorer(analysis: GapAnalysis(chain))
        for n in 0..<6 {
            let name = "企业\(n)新材料有限公司"
            let merged = try #require(screening.recommendation(name))
            let rows = try alone.map { try #require($0.recommendation(name)) }
            let expected = rows.dropFirst().reduce(rows[0]) { scorer.merging($0, $1) }
            #expect(merged.lead.tags == expected.lead.tags, "\(name)")
            #expect(merged.lead.location == expected.lead.location && merged.score == expected.score, "\(name)")
            #expect(merged.rows == expected.rows)
        }
    }

    @Test("13. rows of one enterprise from two exports keep the first row's columns, then the other's new ones")
    func mergedPassThrough() throws {
        let first = try LeadFixtures.temporaryFile("qcc-cols.csv", """
            企业名称,经营范围,电话,官网,备用字段
            甲新材料有限公司,电解液,010-1,a.example,旧
            乙公司,隔膜,010-2,b.example,

            """)
        let second = try LeadFixtures.temporaryFile("tyc-cols.csv", """
            企业名称,经营范围,邮箱,电话,官网
            甲新材料有限公司,湿法隔膜 电解液,jia@example.com,020-9,c.example

            """)
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [first, second])
        let merged = try #require(screening.recommendation("甲新材料有限公司"))
        #expect(merged.rows.count == 2)
        // The better row leads (the second: two links); the first row adds only the column
        // the second lacks.
        #expect(merged.lead.extra.map { "\($0.name)=\($0.value)" } == [
            "邮箱=jia@example.com", "电话=020-9", "网址=c.example", "备用字段=旧",
        ])
        // Of one export, a second row adds nothing; the other's columns come after.
        let one = PassThroughFields(names: ["电话", "官网"], values: ["1", "2"])
        #expect(one.adding(PassThroughFields(names: ["电话", "官网"], values: ["3", "4"])) == one)
        let other = PassThroughFields(names: ["邮箱", "电话", "邮箱"], values: ["m", "5", "n"])
        #expect(one.adding(other).fields.map { "\($0.name)=\($0.value)" } == ["电话=1", "官网=2", "邮箱=m"])
        #expect(PassThroughFields([]).adding(one) == one && one.adding(PassThroughFields([])) == one)
    }

    // MARK: 14. Name identity

    @Test("14. names are one firm whatever their script, width or brackets")
    func nameIdentity() throws {
        #expect(LeadValues.nameKey("示例電機有限公司") == LeadValues.nameKey("示例电机有限公司"))
        #expect(LeadValues.nameKey("ＡＢＣ电机（深圳）有限公司") == LeadValues.nameKey("abc电机(深圳)有限公司"))
        #expect(LeadValues.nameKey("臺灣積體電路") == LeadValues.nameKey("台湾积体电路"))
        #expect(LeadValues.nameKey("示例电机有限公司") == "示例电机有限公司")
        let chain = try LeadFixtures.chain("""
            chain: t
            links:
              - {id: motor, name: 电机, stage: 上游, keywords: [电机], supplies: [car]}
              - {id: car, name: 整车, stage: 下游}
            enterprises:
              - {name: 示例电机有限公司, links: [car]}
            """)
        let file = try LeadFixtures.temporaryFile("id.csv", "企业名称,经营范围\n示例電機有限公司,电机\n甲电机（深圳）有限公司,电机\n甲電機(深圳)有限公司,电机\n")
        var screener = try LeadScreener(analysis: GapAnalysis(chain))
        screener.keepExcluded = true
        let screening = screener.screen([.file(file)]).screenings[0]
        #expect(screening.names == ["甲电机（深圳）有限公司"])
        #expect(screening.excluded.map(\.name) == ["示例電機有限公司"])
    }

    // MARK: 15. Near-linear analysis

    /// The graph of these edges out of each node, with the edges into each.
    static func graph(downstream down: [[Int]]) -> ChainGraph {
        var up = Array(repeating: [Int](), count: down.count)
        for u in down.indices { for v in down[u] { up[v].append(u) } }
        return ChainGraph(downstream: down, upstream: up)
    }

    @Test("15. the whole-graph passes agree with a search from every link")
    func linearPassesMatchSearches() {
        var rng = SeededGenerator(seed: 15)
        for round in 0..<40 {
            let n = Int.random(in: 2...40, using: &rng)
            var down = Array(repeating: [Int](), count: n)
            // An acyclic graph: edges go from a lower index to a higher one, shuffled names.
            for u in 0..<n {
                for _ in 0..<Int.random(in: 0...3, using: &rng) {
                    let v = Int.random(in: 0..<n, using: &rng)
                    if v > u && !down[u].contains(v) { down[u].append(v) }
                }
            }
            let graph = Self.graph(downstream: down)
            let order = graph.topologicalOrder()!
            let marked = (0..<n).map { _ in Int.random(in: 0..<4, using: &rng) == 0 }
            let reach = graph.reachCounts(order: order)
            let nearest = graph.nearestDescendants(order: order, limit: 3)
            let covered = graph.nearestMarked(order: order, marked: marked, limit: 3)
            let space = ChainGraph.SearchSpace(count: n)
            for u in 0..<n {
                let search = graph.searchDownstream(from: u, in: space)
                let reached = search.visited.filter { $0 != u }
                #expect(reach[u] == reached.count, "round \(round) node \(u)")
                let expected = reached.sorted { (search.distance(to: $0)!, $0) < (search.distance(to: $1)!, $1) }.prefix(3)
                #expect(nearest[u].map(\.node) == Array(expected), "round \(round) node \(u)")
                let marks = reached.filter { marked[$0] }
                if let d = marks.map({ search.distance(to: $0)! }).min() {
                    let targets = marks.filter { search.distance(to: $0) == d }.sorted()
                    #expect(covered[u]?.distance == d, "round \(round) node \(u)")
                    #expect(covered[u]?.targets == Array(targets.prefix(3)), "round \(round) node \(u)")
                    #expect(covered[u]?.path.count == d - 1)
                } else {
                    #expect(covered[u] == nil)
                }
            }
        }
    }

    @Test("15. demand summed for 64 sources at once equals a search from each, on graphs with loops")
    func decayedSumsMatchSearches() {
        var rng = SeededGenerator(seed: 151)
        for round in 0..<60 {
            // Up to 150 links (so that sources fill more than two words), any edges,
            // loops and repeated edges included; weights zero for about half the links.
            let n = Int.random(in: 1...150, using: &rng)
            var down = Array(repeating: [Int](), count: n)
            for u in 0..<n {
                for _ in 0..<Int.random(in: 0...4, using: &rng) {
                    let v = Int.random(in: 0..<n, using: &rng)
                    if v != u { down[u].append(v) }
                }
            }
            let graph = Self.graph(downstream: down)
            let weight = (0..<n).map { _ in Bool.random(using: &rng) ? 0 : Double(Int.random(in: 1...40, using: &rng)) / 8 }
            let sources = (0..<n).filter { _ in Int.random(in: 0..<4, using: &rng) != 0 }
            let depth = [1, 2, 3, 40][round % 4]
            let sums = graph.decayedSums(from: sources, weight: weight, decay: 0.5, maxDepth: depth)
            let space = ChainGraph.SearchSpace(count: n)
            for (k, u) in sources.enumerated() {
                let search = graph.searchDownstream(from: u, maxDepth: depth, in: space)
                var expected = 0.0
                for v in search.visited where v != u && weight[v] > 0 {
                    expected += weight[v] * pow(0.5, Double(search.distance(to: v)! - 1))
                }
                #expect(abs(sums[k] - expected) <= 1e-12 * max(1, expected), "round \(round) source \(u): \(sums[k]) against \(expected)")
            }
        }
    }

    @Test("15. a loop whose way back takes more links to find than a map may have is named without its middle; a shorter search names it whole")
    func loopSearchGivesUp() throws {
        // 回收 (下游) feeds 原料 (上游), which supplies `fan` links; the last of them feeds
        // 回收 again. The way back has two links, but a search from 原料 visits every fan
        // link first.
        func chain(fan: Int) throws -> GapAnalysis {
            var yaml = "chain: c\nstages: [上游, 中游, 下游]\nlinks:\n  - {id: r, name: 回收, stage: 下游, supplies: [m]}\n"
            yaml += "  - {id: m, name: 原料, stage: 上游, supplies: [" + (0..<fan).map { "f\($0)" }.joined(separator: ", ") + "]}\n"
            for k in 0..<fan { yaml += "  - {id: f\(k), name: 部件\(k), stage: 中游\(k == fan - 1 ? ", supplies: [r]" : "")}\n" }
            return GapAnalysis(try #require(loadYAML(yaml).chain))
        }
        let small = try chain(fan: 50)
        let recycling = try #require(small.entries.first { small.chain[$0.link].id == "r" })
        #expect(recycling.reasons.contains("回流上游形成循环供应（回收→原料→部件49→回收）"), "\(recycling.reasons)")
        let large = try chain(fan: ChainMap.maxLinks + 10)
        let far = try #require(large.entries.first { large.chain[$0.link].id == "r" })
        #expect(far.reasons.contains("回流上游形成循环供应（回收→原料→…→回收，中间环节从略）"), "\(far.reasons)")
        #expect(!far.reasons.contains { $0.contains("形成循环供应（回收→原料→部件") })
    }

    @Test("15. a long route is shown with its middle left out")
    func longRoutes() {
        let path = ChainGraph.Path(Array(10..<20))
        #expect(path.count == 10)
        #expect(path.isElided)
        #expect(path.shown.first == [10, 11, 12] && path.shown.last == [18, 19])
        #expect(ChainGraph.Path([1, 2, 3, 4, 5]).shown.first == [1, 2, 3, 4, 5])
    }

    // MARK: 16. Scalar and file limits

    @Test("16. a huge value is refused where it stands, at a documented limit")
    func hugeScalars() {
        let yaml = "chain: c\nregion: " + String(repeating: "区", count: 4_000) + "\nlinks:\n  - {id: a, name: A, stage: 上游}\n"
        #expect(loadYAML(yaml).diagnostics.flatMap(\.lines) == [
            "t.yaml:2:9: error: 'region' is 12,000 bytes long; a value may have at most 10,000 bytes",
        ])
        let big = [UInt8](repeating: 0x20, count: ChainLoader.maxFileBytes + 1)
        #expect(ChainLoader().load(bytes: big, file: "big.yaml", defaultID: "big").diagnostics.map(\.message) == [
            "file is larger than 64 MB, the most a chain file may have (a chain of 100,000 links takes 6 MB)",
        ])
    }

    // MARK: 17. Maps too large to lay out

    @Test("17. a map beyond the layout limits is refused at once, with the limits")
    func denseMaps() throws {
        // Dense: 200 links with 1,400 edges (the limit is 1,000 more than the links).
        var yaml = "chain: dense\nlinks:\n"
        for i in 0..<200 {
            let targets = (1...7).map { "l\((i + $0 * 13) % 200)" }.joined(separator: ", ")
            yaml += "  - {id: l\(i), name: 环节\(i), stage: 上游, supplies: [\(targets)]}\n"
        }
        let chain = try #require(loadYAML(yaml).chain)
        let map = ChainMap(GapAnalysis(chain))
        #expect(map.sizeProblem == "the map has 200 links and 1,400 supplies edges; Graphviz lays out a map of 200 links with at most 1,200 edges (1,000 more than its links, 3,000 at most) in reasonable time, so no map is drawn: split the chain into smaller ones (gaps and leads work at any size)")
        #expect(throws: DiagnosticError.self) { try map.render(.svg, with: testGraphviz) }
        // Long: 2,001 links in a path.
        var long = "chain: long\nlinks:\n"
        for i in 0..<2_001 { long += "  - {id: l\(i), name: 环节\(i), stage: 上游\(i + 1 < 2_001 ? ", supplies: [l\(i + 1)]" : "")}\n" }
        let longChain = try #require(loadYAML(long).chain)
        #expect(ChainMap(GapAnalysis(longChain)).sizeProblem == "the map has 2,001 links and 2,000 supplies edges; Graphviz lays out at most 2,000 links in reasonable time, so no map is drawn: split the chain into smaller ones (gaps and leads work at any size)")
        // At the limits, a map is laid out: 600 links with 1,200 edges.
        var wide = "chain: wide\nlinks:\n"
        for i in 0..<600 { wide += "  - {id: l\(i), name: 环节\(i), stage: 上游, supplies: [l\((i + 1) % 600), l\((i + 7) % 600)]}\n" }
        let wideChain = try #require(loadYAML(wide).chain)
        #expect(ChainMap(GapAnalysis(wideChain)).sizeProblem == nil)
    }

    // MARK: 18. Bounded memory with a capped output

    @Test("18. a capped screening keeps the best, per link and overall, and counts every one")
    func retention() throws {
        var rows = ["企业名称,经营范围,注册资本"]
        let words = ["电解液", "湿法隔膜", "正极材料"]
        for i in 0..<3_000 { rows.append("测试\(i)有限公司,\(words[i % 3]),\(i)万元") }
        let file = try LeadFixtures.temporaryFile("many.csv", rows.joined(separator: "\n") + "\n")
        let chain = try LeadFixtures.chain()
        func screen(_ path: String, capped: Bool) throws -> LeadScreening {
            var screener = try LeadScreener(analysis: GapAnalysis(chain))
            if capped { screener.retention = LeadRetention(best: 20, bestPerLink: 3) }
            return screener.screen([.file(path)]).screenings[0]
        }
        let all = try screen(file, capped: false)
        let few = try screen(file, capped: true)
        #expect(few.recommendations.count < 100)
        #expect(few.recommendedCount == 3_000)
        #expect(few.names.prefix(20) == all.names.prefix(20))
        for entry in few.analysis.entries {
            #expect(few.leads(for: entry.link, limit: 3).map(\.lead.name) == all.leads(for: entry.link, limit: 3).map(\.lead.name))
        }
        // Second rows of 200 firms whose first rows fall below the cut: counted, merged
        // where both are kept, and the rest said.
        for i in 0..<200 { rows.append("测试\(i)有限公司,\(words[(i + 1) % 3]),1万元") }
        let twice = try LeadFixtures.temporaryFile("twice.csv", rows.joined(separator: "\n") + "\n")
        let exact = try screen(twice, capped: false)
        let capped = try screen(twice, capped: true)
        #expect(exact.duplicates == 200 && exact.unmergedDuplicates == 0)
        #expect(capped.duplicates == 200 && capped.recommendedCount == 3_000)
        #expect(capped.unmergedDuplicates > 0)
        #expect(LeadReport.summary(capped).contains("另有 \(capped.unmergedDuplicates) 行与前面某行同属一家企业"))
    }
}

/// The mutation runs of issue 14: lead names and the `style:` block filled with what a
/// hostile file could hold, through screening, the map, the web page, the Markdown and
/// the terminal table.
@Suite("Issue 14: mutation runs over lead names and style")
struct HostileMutationTests {
    /// Pieces a hostile name is built from.
    static let pieces: [String] = [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"", "'", "&amp;", "&", "]]>", "\\N", "\\G", "\\L",
        "\\l", "\\\\", "\u{1B}[2J", "\u{1B}]0;x\u{07}", "\u{9B}31m", "\u{00}", "\u{01}", "\u{0B}", "\u{7F}", "\u{FFFE}",
        "\u{FFFF}", "\u{202E}", "\u{2028}", "\r", "\n", "\t", "|", "*", "_", "`", "1. ", "- ", "#", "电解液", "有限公司",
        "ＡＢＣ", "電機", " ", "%s%n", "{{x}}", "${x}", "=1+1",
    ]

    static func hostileName(_ rng: inout SeededGenerator) -> String {
        (0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    /// A CSV field, quoted as RFC 4180 says.
    static func field(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    @Test(.timeLimit(.minutes(2)))
    func hostileLeadNamesNeverBreakAnOutput() throws {
        var rng = SeededGenerator(seed: 0x14)
        let chain = try renderSampleChain()
        let analysis = GapAnalysis(chain)
        for round in 0..<12 {
            var rows = ["企业名称,经营范围,所属省份,标签"]
            for _ in 0..<8 {
                rows.append([Self.hostileName(&rng) + "材料公司", "关键材料 " + Self.hostileName(&rng), Self.hostileName(&rng), Self.hostileName(&rng)]
                    .map(Self.field).joined(separator: ","))
            }
            let file = try LeadFixtures.temporaryFile("hostile.csv", rows.joined(separator: "\n") + "\n")
            let screening = try LeadScreener(analysis: analysis).screen([.file(file)]).screenings[0]
            let label = "round \(round)"
            // The map: well-formed XML whatever the names.
            let map = ChainMap(analysis, leads: ChainMap.leads(from: screening, perLink: 3))
            let svg = try RenderedSVG(map)
            #expect(!svg.text.unicodeScalars.contains { XMLText.isForbidden($0) }, "\(label)")
            // The page: no element made of a name.
            let report = ChainReport(AnalysedChain(analysis: analysis, screening: screening), map: (Array(svg.text.utf8), map.elementIDs))
            let page = HtmlReport.page(report)
            #expect(!page.contains("<img src=x"), "\(label)")
            #expect(page.components(separatedBy: "<script").count == HtmlReport.page(
                ChainReport(AnalysedChain(analysis: analysis), map: (Array(svg.text.utf8), map.elementIDs))).components(separatedBy: "<script").count,
                "\(label)")
            // The Markdown: no raw markup, no control characters.
            let markdown = MarkdownReport.document(report, mapImage: nil) + LeadReport.markdown(screening, limit: nil, perGap: 3)
            // (`\<img` is escaped text; an unescaped `<` would be markup.)
            #expect(markdown.range(of: #"(?<!\\)<(img|script)"#, options: .regularExpression) == nil, "\(label)")
            #expect(!markdown.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(label)")
            // The terminal table: no raw escape.
            let text = LeadReport.text(screening, limit: nil, perGap: 3, colour: true)
            let withoutStyles = text.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
            #expect(!withoutStyles.unicodeScalars.contains { TerminalText.isUnsafe($0, keepingLineBreaks: true) }, "\(label)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedStyleBlocksAreRefusedOrSafe() throws {
        var rng = SeededGenerator(seed: 0x57)
        let colours = ["gold", "#C62828", "#c62828ff", "red\"", "#12", "javascript:alert(1)", "url(#x)", "蓝色", ""]
        var drawn = 0
        for round in 0..<30 {
            let font = round % 3 == 0 ? ["WenQuanYi Micro Hei", "Noto Sans CJK SC", "文泉驿微米黑"][round % 9 / 3] : Self.hostileName(&rng)
            let colour = Bool.random(using: &rng) ? colours.randomElement(using: &rng)! : Self.hostileName(&rng)
            let style = "style:\n  font: \(Self.field(font).replacingOccurrences(of: "\"\"", with: "\\\""))\n  fills: {fill: \(Self.field(colour).replacingOccurrences(of: "\"\"", with: "\\\""))}\n"
            let yaml = renderSampleYAML.replacingOccurrences(of: "region: 示例市\n", with: "region: 示例市\n" + style)
            let result = ChainLoader().load(bytes: Array(yaml.utf8), file: "s.yaml", defaultID: "s")
            let label = "round \(round): \(font.debugDescription) \(colour.debugDescription)"
            guard let chain = result.chain else {
                #expect(result.diagnostics.contains { $0.isError && $0.location?.file == "s.yaml" && ($0.location?.line ?? 0) > 0 }, "\(label)")
                continue
            }
            #expect(chain.style.font.map(MapStyle.isFontName) ?? true, "\(label)")
            let svg = try RenderedSVG(ChainMap(GapAnalysis(chain)))
            for node in try svg.document.nodes(forXPath: "//@font-family") {
                #expect(!(node.stringValue ?? "").contains { "\"<>&".contains($0) }, "\(label)")
            }
            #expect(try svg.document.nodes(forXPath: "//*[local-name()='script']").isEmpty, "\(label)")
            drawn += 1
        }
        // Some styles are good: the run drew maps, not only refused files.
        #expect(drawn >= 3)
    }
}

/// Issue 20: a capped screening passes over rows that cannot reach what it keeps (below
/// the floors raised as blocks are merged) without reading them whole; what it keeps,
/// scores and counts is the same as when it reads every row, and the same every run.
@Suite("Capped screening passes over rows below the floors")
struct ScoreFloorTests {
    @Test("rows matched by their code alone, ten chains, two sources: passing over and block sizes change nothing")
    func codeOnlyRows() throws {
        let run = ChainPipeline().run([packageRoot().appendingPathComponent("chains").path], screening: false)
        let analyses = run.chains.map(\.analysis)
        #expect(analyses.count == 10)
        // Every link code of the ten chains as written, with and without its section, its
        // group and division, five digits, with an industry's words after it, the
        // industry's name; and codes no chain has, broken ones and blanks.
        var codes: [String] = []
        for analysis in analyses {
            for link in analysis.chain.links {
                for code in link.codes { codes += [code.digits] + (code.section.map { ["\($0)\(code.digits)"] } ?? []) }
            }
        }
        var cells: [String] = []
        for written in Set(codes).sorted() {
            let digits = written.filter(\.isNumber)
            cells += [written, digits + "1", digits + " 某某制造"]
            if digits.count >= 3 { cells += [String(digits.prefix(3)), "C" + String(digits.prefix(2))] }
            if let entry = IndustryCodeTable.standard.entry(for: IndustryCode(digits: digits, section: nil)) { cells.append(entry.name) }
        }
        cells += ["", "X", "99", "0111", "01", "A0111", "3", "锂离子电池制造", "汽车零部件及配件制造"]
        var state: UInt64 = 12_345
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        // Most scopes blank, so that most rows match by their code alone.
        var rows = ["企业名称,行业代码,经营范围,注册资本,标签,跟进状态,登记状态"]
        let scopes = ["", "", "", "咨询服务", "电解液的生产", "锂电池"]
        let tags = ["", "高新技术企业", "上市公司", "专精特新", ""]
        for _ in 0..<4_000 {
            let stage = next(150) == 0 ? "签约" : ""
            let registration = next(40) == 0 ? "注销" : "存续"
            rows.append(
                "企业\(next(2_500))公司,\(cells[next(cells.count)]),\(scopes[next(scopes.count)]),\(next(6_000))万元,\(tags[next(tags.count)]),\(stage),\(registration)")
        }
        let file = try LeadFixtures.temporaryFile("codes.csv", rows.joined(separator: "\n") + "\n")
        for retention in [LeadRetention(best: 20, bestPerLink: 3), LeadRetention(best: 0, bestPerLink: 3), LeadRetention(best: 7, bestPerLink: 0)] {
            func screen(_ blockSize: Int, passingOver: Bool) throws -> ScreeningRun {
                var reading = ReadingOptions()
                reading.blockSize = blockSize
                var screener = try LeadScreener(analyses: analyses, reading: reading)
                screener.retention = retention
                screener.keepExcluded = true
                screener.passesOver = passingOver
                return screener.screen([.file(file), .file(file)])
            }
            let read = try screen(64 << 20, passingOver: false)
            var passedOver = 0
            for (blockSize, passing) in [(16 << 10, true), (40 << 10, true)] {
                let other = try screen(blockSize, passingOver: passing)
                #expect(other.diagnostics.map(\.description) == read.diagnostics.map(\.description))
                for (r, s) in zip(read.screenings, other.screenings) {
                    passedOver += s.totals.passedOver
                    let label = "\(retention) \(blockSize) \(r.analysis.chain.id)"
                    #expect(s.recommendations.map(\.lead.name) == r.recommendations.map(\.lead.name), "\(label)")
                    #expect(s.recommendations.map(\.score) == r.recommendations.map(\.score), "\(label)")
                    #expect(s.recommendations.map(\.reasons) == r.recommendations.map(\.reasons), "\(label)")
                    #expect(s.recommendations.map(\.lead.location) == r.recommendations.map(\.lead.location), "\(label)")
                    #expect(s.recommendations.map(\.matches) == r.recommendations.map(\.matches), "\(label)")
                    for entry in r.analysis.entries {
                        #expect(s.leads(for: entry.link, limit: 3).map(\.lead.name) == r.leads(for: entry.link, limit: 3).map(\.lead.name), "\(label)")
                    }
                    var counts = s.totals
                    counts.passedOver = 0
                    #expect(counts == r.totals, "\(label)")
                    #expect(s.recommendedCount == r.recommendedCount && s.duplicates == r.duplicates, "\(label)")
                    #expect(s.excluded == r.excluded, "\(label)")
                }
            }
            // Floors rose and rows were passed over, except where none is kept overall.
            #expect(retention.best == 0 ? passedOver == 0 : passedOver > 1_000, "\(retention): \(passedOver) passed over")
        }
    }

    @Test("the k-th largest score, found by selection, is the one sorting finds, the k largest before it")
    func largestBySelection() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var checked = 0
        for round in 0..<3_000 {
            let count = 1 + next(round < 2_000 ? 40 : 1_500)
            // Few distinct values in some rounds (ties), spread ones in others; sorted or
            // reversed runs, where a careless pivot goes quadratic.
            let distinct = [1, 2, 3, 10, 1_000_000][next(5)]
            var values = (0..<count).map { _ in Double(next(distinct)) / 7 - 3 }
            switch next(4) {
            case 0: values.sort()
            case 1: values.sort(by: >)
            default: break
            }
            let sorted = values.sorted(by: >)
            for k in Set([1, count, 1 + next(count), (count + 1) / 2]) {
                var scratch = values
                #expect(ScoreFloor.largest(k, of: &scratch) == sorted[k - 1], "k \(k) of \(values)")
                #expect(scratch.sorted(by: >) == sorted)
                // The k largest before the rest (``ScoreTops`` keeps that prefix).
                #expect(scratch.prefix(k).sorted(by: >) == Array(sorted.prefix(k)), "k \(k) of \(values)")
                checked += 1
            }
        }
        #expect(checked > 9_000)
    }

    @Test("blocks merged and cut only once they hold four times what is kept keep what one block keeps")
    func cutNowAndThen() throws {
        var rows = ["企业名称,经营范围,注册资本,标签"]
        let words = ["电解液", "湿法隔膜", "正极材料"]
        let tags = ["", "高新技术企业", "上市公司", "专精特新", ""]
        // Scores rising through the file, so that what is kept changes to the end.
        for i in 0..<6_000 { rows.append("测试\(i)有限公司,\(words[i % 3])的生产,\((i * 37) % 5000 + i)万元,\(tags[i % 5])") }
        let file = try LeadFixtures.temporaryFile("cuts.csv", rows.joined(separator: "\n") + "\n")
        let chain = try LeadFixtures.chain()
        let retention = LeadRetention(best: 20, bestPerLink: 3)
        #expect(retention.heldUncut == 348 && LeadRetention.all.heldUncut == .max)
        // Any count is taken (`--top 9223372036854775807` trapped on overflow).
        #expect(LeadRetention(best: .max, bestPerLink: 3).heldUncut == .max)
        #expect(LeadRetention(best: .max / 4, bestPerLink: 0).heldUncut == .max)
        func screen(blockSize: Int, retention: LeadRetention = retention, passingOver: Bool = false) throws -> LeadScreening {
            var reading = ReadingOptions()
            reading.blockSize = blockSize
            var screener = try LeadScreener(analysis: GapAnalysis(chain), reading: reading)
            screener.retention = retention
            screener.passesOver = passingOver
            return screener.screen([.file(file)]).screenings[0]
        }
        // A cap past any count keeps all, as no cap does.
        let huge = try screen(blockSize: 16 << 10, retention: LeadRetention(best: .max, bestPerLink: .max), passingOver: true)
        let all = try screen(blockSize: 16 << 10, retention: .all)
        #expect(huge.recommendations.count == all.recommendations.count && huge.recommendations.count > 5_000)
        #expect(huge.recommendations.map(\.lead.name) == all.recommendations.map(\.lead.name))
        // 16 KB: about 180 rows a block, so that merged blocks are cut every other block or
        // so, and held uncut between; 64 MB: one block, cut within it.
        let blocks = try screen(blockSize: 16 << 10)
        let whole = try screen(blockSize: 64 << 20)
        #expect(blocks.recommendations.count >= 20)
        #expect(blocks.recommendations.map(\.lead.name) == whole.recommendations.map(\.lead.name))
        #expect(blocks.recommendations.map(\.score) == whole.recommendations.map(\.score))
        #expect(blocks.recommendations.map(\.lead.location.line) == whole.recommendations.map(\.lead.location.line))
        for entry in blocks.analysis.entries {
            #expect(blocks.leads(for: entry.link, limit: 3).map(\.lead.name) == whole.leads(for: entry.link, limit: 3).map(\.lead.name))
        }
        #expect(blocks.totals == whole.totals && blocks.recommendedCount == whole.recommendedCount)
        // The best are the last rows, whose capital is highest.
        #expect(blocks.recommendations.first.map { $0.lead.location.line > 5_000 } == true)

        // Moving a list's recommendations to the end of another keeps their order.
        var first = Array(whole.recommendations.prefix(5))
        var second = Array(whole.recommendations.dropFirst(5).prefix(7))
        first.appendMoving(&second)
        #expect(second.isEmpty)
        #expect(first.map(\.lead.name) == whole.recommendations.prefix(12).map(\.lead.name))
    }

    @Test("the same list, reasons and counts as when every row is read whole; many rows passed over")
    func sameAsReadingEveryRow() throws {
        var rows = ["企业名称,经营范围,注册资本,标签,登记状态"]
        let words = ["电解液", "湿法隔膜", "正极材料"]
        let tags = ["", "高新技术企业", "上市公司", "专精特新", ""]
        for i in 0..<6_000 {
            rows.append("测试\(i)有限公司,\(words[i % 3])的生产,\((i * 37) % 5000)万元,\(tags[i % 5]),\(i % 11 == 0 ? "注销" : "存续")")
        }
        for i in 0..<300 { rows.append("测试\(i * 7)有限公司,\(words[(i + 1) % 3]),1万元,,存续") }
        let file = try LeadFixtures.temporaryFile("floors.csv", rows.joined(separator: "\n") + "\n")
        let chain = try LeadFixtures.chain()
        func screen(passingOver: Bool) throws -> LeadScreening {
            var reading = ReadingOptions()
            reading.blockSize = 16 << 10   // many blocks, so that floors rise while reading
            var screener = try LeadScreener(analysis: GapAnalysis(chain), reading: reading)
            screener.retention = LeadRetention(best: 20, bestPerLink: 3)
            screener.passesOver = passingOver
            return screener.screen([.file(file)]).screenings[0]
        }
        let read = try screen(passingOver: false)
        let passed = try screen(passingOver: true)
        let again = try screen(passingOver: true)
        #expect(passed.totals.passedOver > 1_000, "passed over \(passed.totals.passedOver)")
        #expect(read.totals.passedOver == 0)
        #expect(passed.recommendations.map(\.lead.name) == read.recommendations.map(\.lead.name))
        #expect(passed.recommendations.map(\.score) == read.recommendations.map(\.score))
        #expect(passed.recommendations.map(\.reasons) == read.recommendations.map(\.reasons))
        #expect(passed.recommendations.map(\.lead.extra) == read.recommendations.map(\.lead.extra))
        for entry in passed.analysis.entries {
            #expect(passed.leads(for: entry.link, limit: 3).map(\.lead.name) == read.leads(for: entry.link, limit: 3).map(\.lead.name))
        }
        var counts = passed.totals
        counts.passedOver = 0
        #expect(counts == read.totals)
        #expect(passed.recommendedCount == read.recommendedCount && passed.duplicates == read.duplicates)
        #expect(passed.unmergedDuplicates == read.unmergedDuplicates)
        #expect(passed.recommendations.map(\.lead.name) == again.recommendations.map(\.lead.name))
        // The summaries, but for the time taken.
        let untimed = { (text: String) in text.replacingOccurrences(of: #"用时 [0-9.]+ 秒"#, with: "", options: .regularExpression) }
        #expect(untimed(LeadReport.summary(passed)) == untimed(LeadReport.summary(read)))
    }

    @Test("rows told from their sketch for several chains (local, covered only, passed over): the same lists, counts and reasons left out")
    func sketchedForSeveralChains() throws {
        // Storage: 电解液 and 储能系统 covered (a 链主, a 龙头), 储能电芯 a gap. The fixture
        // chain: 电解液 a gap, 电芯 and 整车 covered. So a row can be a target of one chain
        // and match the other's covered links only, or be the other's local enterprise.
        let storage = try LeadFixtures.chain("""
            chain: 示例储能
            id: storage
            region: 示例市
            links:
              - {id: electrolyte, name: 电解液, stage: 上游, supplies: [cell], keywords: [电解液, 六氟磷酸锂], weight: 4}
              - {id: cell, name: 储能电芯, stage: 中游, supplies: [pack], keywords: [储能电池, 动力电池], weight: 5}
              - {id: pack, name: 储能系统, stage: 下游, keywords: [储能系统], weight: 3}
            enterprises:
              - {name: 本地电解液有限公司, links: [electrolyte], role: 链主}
              - {name: 本地储能有限公司, links: [pack], role: 龙头}
            """)
        let battery = try LeadFixtures.chain()
        let scopes = ["电解液的生产", "动力电池", "电解液，动力电池", "储能系统集成", "湿法隔膜", "新能源汽车，电解液", "储能电池"]
        let names = ["示例电芯科技有限公司", "本地电解液有限公司", "本地储能有限公司", "示例汽车集团有限公司"]
        // Amounts rising and falling through the file, so that rows above the floors come
        // late too (a sketch that fails); some only a glance reads (quoted, 约).
        let capitals = ["", "3000万人民币", "\"1,000万元\"", "约800万"]
        let tags = ["", "高新技术企业", "上市公司;专精特新", ""]
        // A partner named counts at its cap in the bound: rows whose partner is none of the
        // local enterprises fail the sketch, are glanced, and are passed over after all.
        let partners = ["", "外地配套厂", "", "示例汽车集团有限公司"]
        var rows = ["企业名称,经营范围,注册资本,标签,登记状态,跟进状态,配套关系"]
        for i in 0..<5_000 {
            let name = i % 17 == 0 ? names[(i / 17) % names.count] : "测试\(i % 3_000)有限公司"
            let status = i % 23 == 0 ? "注销" : "存续"
            // A stage now and then, and a quoted cell whose text is a quote (a glance warns
            // that it is no stage: so must every path).
            let stage = i % 97 == 0 ? "签约" : i % 89 == 0 ? "\"\"\"\"" : i % 13 == 0 ? "\"\"" : ""
            rows.append("\(name),\(scopes[i % scopes.count]),\(i % 5 == 0 ? capitals[(i / 5) % capitals.count] : "\((i * 37) % 5000)万元"),\(tags[i % tags.count]),\(status),\(stage),\(partners[(i / 3) % partners.count])")
        }
        let file = try LeadFixtures.temporaryFile("sketched.csv", rows.joined(separator: "\n") + "\n")
        func screen(passingOver: Bool, capped: Bool) throws -> ScreeningRun {
            var reading = ReadingOptions()
            reading.blockSize = 16 << 10   // many blocks, so that floors rise while reading
            var screener = try LeadScreener(analyses: [GapAnalysis(battery), GapAnalysis(storage)], reading: reading)
            screener.retention = capped ? LeadRetention(best: 15, bestPerLink: 2) : .all
            screener.keepExcluded = true
            screener.passesOver = passingOver
            return screener.screen([.file(file)])
        }
        for capped in [true, false] {
            let readRun = try screen(passingOver: false, capped: capped)
            let sketchedRun = try screen(passingOver: true, capped: capped)
            // The same warnings (the quote-only stages), at the same cells.
            #expect(sketchedRun.diagnostics.map(\.description) == readRun.diagnostics.map(\.description))
            #expect(readRun.diagnostics.contains { $0.message.contains("is not a project stage") })
            try compare(readRun.screenings, sketchedRun.screenings, capped: capped)
        }
    }

    /// The screenings of ``sketchedForSeveralChains()``, with every row read (`read`) and
    /// with rows told from their sketch (`sketched`), chain by chain.
    private func compare(_ read: [LeadScreening], _ sketched: [LeadScreening], capped: Bool) throws {
        try #require(read.count == 2 && sketched.count == 2)
        for (r, s) in zip(read, sketched) {
            #expect(capped ? s.totals.passedOver > 300 : s.totals.passedOver == 0, "passed over \(s.totals.passedOver)")
            #expect(r.totals.passedOver == 0)
            #expect(s.recommendations.map(\.lead.name) == r.recommendations.map(\.lead.name))
            #expect(s.recommendations.map(\.score) == r.recommendations.map(\.score))
            #expect(s.recommendations.map(\.reasons) == r.recommendations.map(\.reasons))
            var counts = s.totals
            counts.passedOver = 0
            #expect(counts == r.totals)
            #expect(s.recommendedCount == r.recommendedCount && s.duplicates == r.duplicates)
            // Every enterprise left out, with its reason and its row, in the same order.
            #expect(s.excluded == r.excluded)
            #expect(s.excluded.contains { if case .local = $0.reason { true } else { false } })
            #expect(s.excluded.contains { if case .onlyCovered = $0.reason { true } else { false } })
        }
    }

    @Test("matches made without their evidence have the same links, strengths and order")
    func matchesWithoutEvidence() throws {
        let chain = try LeadFixtures.chain()
        let matcher = LeadMatcher(chain: chain)
        let words = chain.links.flatMap { [$0.name] + $0.keywords } + ["電解液", "隔膜", "餐饮", "IGBT"]
        let codes = chain.links.flatMap(\.codes).map(\.digits) + ["C26", "3841", "H6210"]
        var generator = SystemRandomNumberGenerator()
        var withEvidence = 0
        for i in 0..<600 {
            let scope = (0..<Int.random(in: 0...5, using: &generator)).map { _ in words.randomElement(using: &generator)! }.joined(separator: "，")
            let lead = Lead(
                name: "\(words.randomElement(using: &generator)!)\(i)有限公司",
                links: i % 9 == 0 ? [chain.links[i % chain.links.count].ref] : [],
                code: i % 3 == 0 ? IndustryCode(parsing: codes.randomElement(using: &generator)!) : nil,
                scope: scope, location: .init(file: "a.csv", line: i + 2, column: 1))
            let full = matcher.match(lead, evidence: true)
            let light = matcher.match(lead, evidence: false)
            #expect(light.map(\.link) == full.map(\.link) && light.map(\.strength) == full.map(\.strength))
            #expect(light.allSatisfy { $0.evidence.isEmpty })
            if full.contains(where: { !$0.evidence.isEmpty }) { withEvidence += 1 }
        }
        #expect(withEvidence > 300)
    }

    @Test("a score alone gives the points and the floor verdict of the recommendation it would make")
    func scoreAloneAsRecommendation() throws {
        let chain = try LeadFixtures.chain()
        var scoring = LeadScoring()
        scoring.preferredRegions = ["长三角"]
        let analysis = GapAnalysis(chain)
        let scorer = try LeadScorer(analysis: analysis, scoring: scoring)
        let matcher = LeadMatcher(chain: chain)
        let partner = chain.enterprises.first?.name
        let words = ["电解液", "湿法隔膜 正极材料", "正极材料 电解液 隔膜 六氟磷酸锂", "餐饮"]
        let tagSets = [[], ["高新技术企业"], ["上市公司", "专精特新"], ["中国500强", "上市公司"]]
        var recommended = 0
        for i in 0..<400 {
            var lead = Lead(
                name: "测试\(i)有限公司", scope: words[i % words.count], province: ["江苏", "广东", nil][i % 3],
                tags: tagSets[i % tagSets.count], capital: i % 5 == 0 ? nil : Double(i % 37) / 7,
                invest: i % 7 == 0 ? Double(i) / 50 : nil, status: i % 6 == 0 ? .signed : nil,
                partner: i % 9 == 0 ? partner : nil, location: .init(file: "a.csv", line: i + 2, column: 1))
            if i % 13 == 0 { lead.name = chain.enterprises.first?.name ?? lead.name }
            let matches = matcher.match(lead)
            let verdict = scorer.evaluate(lead, matches: matches, sourceIndex: 0, reasons: false)
            switch (scorer.score(lead, matches: matches), verdict) {
            case (.scored(let score), .recommended(let recommendation)):
                recommended += 1
                #expect(score.points == recommendation.points)
                #expect(score.targets.map(\.0) == recommendation.matches)
                for overall in [-Double.infinity, 20, 45, 70, 95, .infinity] {
                    for perLink in [-Double.infinity, 30, 60, .infinity] {
                        var floor = ScoreFloor(links: chain.links.count, retention: LeadRetention(best: 1, bestPerLink: 1))
                        floor.overall = overall
                        floor.perLink = Array(repeating: perLink, count: chain.links.count)
                        #expect(floor.excludes(score, scoring: scoring) == floor.excludes(recommendation, scoring: scoring))
                    }
                }
            case (.verdict, .recommended), (.scored, _):
                Issue.record("score and evaluate disagree on \(lead.name)")
            case (.verdict, _):
                break
            }
        }
        #expect(recommended > 100)
    }

    @Test("a row the bound passes over without scoring it scores below the floors")
    func boundWithoutScoring() throws {
        let chain = try LeadFixtures.chain()
        let analysis = GapAnalysis(chain)
        let matcher = LeadMatcher(chain: chain)
        let partner = chain.enterprises.first?.name
        let words = ["电解液", "湿法隔膜 正极材料", "正极材料 电解液 隔膜 六氟磷酸锂", "隔膜", "正极"]
        let tagSets = [[], ["高新技术企业"], ["上市公司", "专精特新"], ["世界500强", "中国500强", "上市公司", "独角兽"]]
        var generator = SeededGenerator(seed: 20)
        var passed = 0
        var missed = 0
        var scoredAbove = 0
        for round in 0..<4 {
            var scoring = LeadScoring()
            if round % 2 == 1 { scoring.preferredRegions = ["长三角", "深圳"] }
            if round == 2 { scoring.furtherLinkShare = 0.9; scoring.tierCap = 40; scoring.sizeCap = 25 }
            if round == 3 { scoring.fitPoints = 30; scoring.partnerPoints = [.leader: 25, .champion: 2, .supporter: 1] }
            let scorer = try LeadScorer(analysis: analysis, scoring: scoring)
            for i in 0..<400 {
                let lead = Lead(
                    name: "测试\(round)-\(i)有限公司", scope: words[Int(generator.next() % 5)], province: ["江苏", "广东", nil][i % 3],
                    city: i % 4 == 0 ? "深圳市" : nil, tags: tagSets[Int(generator.next() % 4)],
                    capital: i % 5 == 0 ? nil : Double(generator.next() % 100_000) / 100, invest: i % 7 == 0 ? Double(i) / 5 : nil,
                    partner: i % 3 == 0 ? partner : nil, location: .init(file: "a.csv", line: i + 2, column: 1))
                let matches = matcher.match(lead, evidence: false)
                guard case .scored(let score) = scorer.score(lead, matches: matches) else { continue }
                for overall in [-Double.infinity, 30, 50, 65, 80, 95, 110, .infinity] {
                    for perLink in [-Double.infinity, 40, 70, 90, .infinity] {
                        var floor = ScoreFloor(links: chain.links.count, retention: LeadRetention(best: 1, bestPerLink: 1))
                        floor.overall = overall
                        floor.perLink = Array(repeating: perLink, count: chain.links.count)
                        if scorer.mustScoreBelow(floor, lead: lead, matches: matches) {
                            passed += 1
                            #expect(floor.excludes(score, scoring: scoring), "round \(round), \(lead.name): \(score.points) against \(overall), \(perLink)")
                        } else if floor.excludes(score, scoring: scoring) {
                            // Bounded by their caps: a partner named, a place preferred.
                            if lead.partner == nil && scoring.preferredRegions.isEmpty { missed += 1 }
                        } else {
                            scoredAbove += 1
                        }
                    }
                }
            }
        }
        // The bound passes over many rows, never one that scores above the floors, and
        // misses few below them but for those a partner or a preferred place might lift.
        #expect(passed > 5_000, "passed over \(passed)")
        #expect(scoredAbove > 5_000)
        #expect(missed * 100 < passed, "missed \(missed), passed over \(passed)")
    }

    @Test("a row's sketch reads its cells as a glance does, or is not made")
    func sketchAsGlance() throws {
        let header = ["name", "capital", "invest", "tags", "partner", "status"]
        let reader = LeadRowReader(columns: try #require(LeadColumns(headers: header)))
        let names = ["测试有限公司", " 测试 ", "\"引号,公司\"", ""]
        let amounts = ["", "1000万元人民币", "500万", " 3000万元 ", "1.5亿", "\"200万元\"", "100万美元", "abc", "１０万元", "\u{3000}20万元", "0"]
        let tags = ["", "高新技术企业;专精特新\"\"小巨人\"\"", "中国500强", "\"A股上市,国企\"", " "]
        let partners = ["", " ", "\u{3000}", "宁德时代"]
        let statuses = ["", "  ", "签约", "注销", "存续", "奇怪"]
        let origin = RowOrigin(file: "t.csv", encoding: .utf8)
        var generator = SeededGenerator(seed: 31)
        var sketched = 0
        var unsketched = 0
        for _ in 0..<3_000 {
            func pick(_ options: [String]) -> String { options[Int(generator.next() % UInt64(options.count))] }
            let line = [pick(names), pick(amounts), pick(amounts), pick(tags), pick(partners), pick(statuses)].joined(separator: ",")
            let bytes = Array(line.utf8)
            try withExtendedLifetime(origin) {
                try bytes.withUnsafeBufferPointer { b in
                    var fields: [CSVScanner.Field] = []
                    try CSVScanner.split(b.baseAddress!, start: 0, end: b.count, delimiter: 0x2C, into: &fields)
                    fields.withUnsafeBufferPointer { cells in
                        let row = Row(
                            base: b.baseAddress!, fields: cells, recordStart: 0, line: 2, origin: origin, cellLocations: nil,
                            unconvertible: UnsafeBufferPointer(start: nil, count: 0), isKnownText: true)
                        #expect(reader.sketch(row, registrationClosed: true) == nil)
                        var log = RowLog()
                        let glance = reader.glance(row, log: &log)
                        guard let sketch = reader.sketch(row, registrationClosed: false) else {
                            unsketched += 1
                            return
                        }
                        sketched += 1
                        guard case .open(let lead) = glance else {
                            Issue.record("sketched a closed row: \(line)")
                            return
                        }
                        #expect(log.tallies.isEmpty, "the glance of a sketched row warned: \(line)")
                        #expect(lead.status == nil, "\(line)")
                        #expect(sketch.name(in: row) == lead.name && sketch.tags(in: row) == lead.tags, "\(line)")
                        #expect(sketch.tagColumn == 3, "\(line)")
                        #expect(sketch.capital == lead.capital && sketch.invest == lead.invest, "\(line)")
                        #expect(sketch.partner || lead.partner == nil, "\(line)")
                    }
                }
            }
        }
        // Both kinds are many in the mix: a sketch needs a blank status and two amounts it reads.
        #expect(sketched > 150 && unsketched > 1_000, "\(sketched) sketched, \(unsketched) not")
    }

    @Test("a sketched row's name key is its name's, made from the cell's bytes only where its text is never read")
    func sketchedNameKey() throws {
        let screener = try LeadScreener(analysis: GapAnalysis(LeadFixtures.chain()))
        let screen = LeadRowScreen(chains: screener.chains, sourceIndex: 0)
        let scorer = screener.chains[0].scorer
        let reader = LeadRowReader(columns: try #require(LeadColumns(headers: ["name", "capital"])))
        let origin = RowOrigin(file: "t.csv", encoding: .utf8)
        // (cell, made from its bytes): a name that is its own key and no local firm's;
        // one the key changes (full-width brackets, a space, capitals); a local firm's
        // (its hash is a local key's); a quoted cell; an empty one; a name with a
        // character normalisation may change (é, from two bytes).
        for (cell, fromBytes) in [
            ("某某锂电科技有限公司", true), (" 某某锂电科技有限公司 ", true), ("某某（上海）电池有限公司", false), ("ABC电池 有限公司", false),
            ("示例电芯科技有限公司", false), ("\"某某引号有限公司\"", false), ("", true), ("Café电池有限公司", false),
        ] {
            let bytes = Array((cell + ",100万元").utf8)
            try withExtendedLifetime(origin) {
                try bytes.withUnsafeBufferPointer { b in
                    var fields: [CSVScanner.Field] = []
                    try CSVScanner.split(b.baseAddress!, start: 0, end: b.count, delimiter: 0x2C, into: &fields)
                    try fields.withUnsafeBufferPointer { cells in
                        let row = Row(
                            base: b.baseAddress!, fields: cells, recordStart: 0, line: 2, origin: origin, cellLocations: nil,
                            unconvertible: UnsafeBufferPointer(start: nil, count: 0), isKnownText: true)
                        let sketch = try #require(reader.sketch(row, registrationClosed: false), "\(cell)")
                        let name = sketch.name(in: row)
                        let key = screen.nameKey(sketch, of: row)
                        let made = LeadValues.NameKey(name: name)
                        #expect(key.hash == made.hash && key.isNormalizationInert == made.isNormalizationInert, "\(cell)")
                        #expect(key.text == (fromBytes ? "" : made.text), "\(cell)")
                        #expect(scorer.local(byKey: key)?.name == scorer.local(byKey: made)?.name, "\(cell)")
                    }
                }
            }
        }
        #expect(scorer.local(byKey: LeadValues.NameKey(name: "示例电芯科技有限公司")) != nil)
    }

    @Test("matching row after row in one scratch gives each row's matches as matching it alone")
    func matchScratchReused() throws {
        let chain = try LeadFixtures.chain()
        let matcher = LeadMatcher(chain: chain)
        let patterns = matcher.automaton.patterns.count
        let refs = chain.links.map(\.ref)
        let codes = ["C3841", "3841", "C38", "C2661", "I65", nil]
        var generator = SeededGenerator(seed: 11)
        var scratch = LeadMatcher.MatchScratch()
        var list: [LinkMatch] = []
        var sameRoom = 0
        var nonEmpty = 0
        for _ in 0..<2_000 {
            let hits = (0..<Int(generator.next() % 6)).map { _ in
                LeadMatcher.Hit(
                    pattern: Int32(generator.next() % UInt64(patterns)), end: Int32(generator.next() % 200),
                    field: generator.next() % 3 == 0 ? .name : .scope)
            }
            let explicit = generator.next() % 4 == 0 ? [refs[Int(generator.next() % UInt64(refs.count))]] : []
            let code = codes[Int(generator.next() % UInt64(codes.count))].flatMap { IndustryCode(parsing: $0) }
            let evidence = generator.next() % 2 == 0
            let alone = matcher.matches(explicit: explicit, code: code, hits: hits, evidence: evidence)
            let reused = matcher.matches(explicit: explicit, code: code, hits: hits, evidence: evidence, scratch: &scratch)
            #expect(reused == alone, "\(hits) \(explicit) \(String(describing: code))")
            // Made in the last row's list: the same matches; its room (more than any row
            // needs) filled again when no other array holds it, while a list another array
            // holds (`kept`) stays as it was.
            if list.capacity < 64 { list.reserveCapacity(64) }
            let keep = generator.next() % 4 == 0
            let kept = keep ? list : []
            let before = kept
            matcher.matches(explicit: explicit, code: code, hits: hits, evidence: evidence, scratch: &scratch, into: &list)
            #expect(list == alone)
            #expect(kept == before)
            if !keep {
                #expect(list.capacity >= 64)
                sameRoom += 1
            }
            if !alone.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty > 1_000)
        #expect(sameRoom > 500, "filled again \(sameRoom) times")
    }

    @Test("tier points looked up by a tags cell's bytes are those of its tags, past the memo's limit too")
    func tierBoundsByCell() throws {
        let scorer = try LeadScorer(analysis: GapAnalysis(try LeadFixtures.chain()))
        let words = ["高新技术企业", "上市公司", "专精特新", "中国500强", "小巨人", "其他", " ", "、", "；", ";"]
        var generator = SeededGenerator(seed: 7)
        var memo = TierBounds()
        var computed = 0
        var nonzero = 0
        // More distinct cells than the memo holds, each asked for several times.
        for _ in 0..<(3 * TierBounds.limit) {
            let cell = (0..<Int(generator.next() % 6)).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined()
                + (generator.next() % 2 == 0 ? "" : String(generator.next() % 4_000))
            let expected = scorer.tierBound(tags: LeadValues.tags(cell))
            let bound = Array(cell.utf8).withUnsafeBufferPointer { bytes in
                memo.bound(of: bytes, quoted: false) {
                    computed += 1
                    return scorer.tierBound(tags: LeadValues.tags(cell))
                }
            }
            #expect(bound == expected, "\(cell)")
            if (expected ?? 0) > 0 { nonzero += 1 }
        }
        // Some cells were remembered, and most count some tier.
        #expect(computed < 3 * TierBounds.limit && computed > TierBounds.limit, "\(computed)")
        #expect(nonzero > TierBounds.limit)
        // The same bytes quoted and not are two cells (a workbook's cell may hold quotes).
        let raw = Array("\"上市公司\"".utf8)
        let quoted = raw.withUnsafeBufferPointer { memo.bound(of: $0, quoted: true) { 1 } }
        let written = raw.withUnsafeBufferPointer { memo.bound(of: $0, quoted: false) { 2 } }
        #expect(quoted == 1 && written == 2)
    }
}
