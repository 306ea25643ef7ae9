import CGraphviz
import CGraphvizStart
import Foundation
import Testing
@testable import ChainMapKit

/// One Graphviz context for the Graphviz and map tests; every call is serialised inside.
let testGraphviz: Graphviz = {
    do {
        return try Graphviz()
    } catch {
        fatalError("Graphviz could not start: \(error)")
    }
}()

/// A small graph: a cluster of two nodes and an edge out of it.
private func sampleGraph(name: String = "sample") -> GraphDescription {
    GraphDescription(
        name: name,
        attributes: ["rankdir": "LR", "fontname": .text(MapTheme.defaultFont)],
        nodeDefaults: ["shape": "box"],
        subgraphs: [.init("cluster_b", ["label": "第二组"], nodes: ["c"]), .init("cluster_a", ["label": "第一组"], nodes: ["a", "b"])],
        nodes: [.init("a", ["label": .html("<B>甲</B>")]), .init("b", ["label": "乙"]), .init("c", ["id": "node-c"])],
        edges: [.init(from: "a", to: "b"), .init(from: "b", to: "c", ["class": "flow"])])
}

@Suite("Graphviz: the in-process binding")
struct GraphvizTests {
    @Test func pluginsForEveryFormatArePresent() throws {
        #expect(testGraphviz.plugins.layouts.contains("dot"))
        #expect(testGraphviz.plugins.textLayouts == ["textlayout"])
        #expect(testGraphviz.textLayoutLoaded)
        #expect(testGraphviz.startupWarnings.isEmpty)
        for format in OutputFormat.allCases {
            try testGraphviz.requirePlugins(for: format)
        }
    }

    @Test func rendersEachFormatWithItsMagicBytes() throws {
        let graph = sampleGraph()
        let svg = try testGraphviz.render(graph, format: .svg).bytes
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
        #expect(try testGraphviz.render(graph, format: .png).bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(try testGraphviz.render(graph, format: .pdf).bytes.starts(with: Array("%PDF-".utf8)))
        #expect(try testGraphviz.render(graph, format: .dot).bytes.starts(with: Array("digraph".utf8)))
    }

    @Test func dotTextKeepsHTMLLabelsAndCreationOrder() throws {
        let dot = String(decoding: try testGraphviz.dot(sampleGraph()).bytes, as: UTF8.self)
        #expect(dot.contains("label=<<B>甲</B>>"))
        #expect(dot.contains("label=乙"))
        // Subgraphs come out in the order they were created, not by heap address.
        let b = try #require(dot.range(of: "subgraph cluster_b"))
        let a = try #require(dot.range(of: "subgraph cluster_a"))
        #expect(b.lowerBound < a.lowerBound)
    }

    @Test func sameDescriptionSameBytes() throws {
        for format in OutputFormat.allCases {
            let first = try testGraphviz.render(sampleGraph(), format: format).bytes
            let second = try testGraphviz.render(sampleGraph(), format: format).bytes
            #expect(first == second, "\(format) differs between two renders")
        }
    }

    @Test func dotTextLaysOutLikeTheDescription() throws {
        let graph = sampleGraph()
        let dot = String(decoding: try testGraphviz.dot(graph).bytes, as: UTF8.self)
        #expect(try testGraphviz.render(dot: dot, format: .svg).bytes == testGraphviz.render(graph, format: .svg).bytes)
    }

    @Test func pdfHasNoCreationDate() throws {
        let pdf = try testGraphviz.render(sampleGraph(), format: .pdf).bytes
        #expect(!String(decoding: pdf, as: UTF8.self).contains("/CreationDate"))
    }

    @Test func svgCarriesIdsAndClasses() throws {
        let svg = String(decoding: try testGraphviz.render(sampleGraph(), format: .svg).bytes, as: UTF8.self)
        #expect(svg.contains("id=\"node&#45;c\""))
        #expect(svg.contains("class=\"edge flow\""))
    }

    @Test func unknownFormatIsADiagnostic() throws {
        let error = try #require(throws: DiagnosticError.self) {
            try testGraphviz.render(sampleGraph(), graphvizFormat: "no-such-format")
        }
        #expect(error.diagnostics.contains { $0.isError && $0.message.contains("no-such-format") && $0.message.hasPrefix("Graphviz") })
    }

    @Test func brokenHTMLLabelIsADiagnosticNotACrash() throws {
        var graph = sampleGraph()
        graph.nodes[0].attributes["label"] = .html("<TABLE><TR><TD>未闭合")
        let error = try #require(throws: DiagnosticError.self) {
            try testGraphviz.render(graph, format: .svg)
        }
        #expect(error.diagnostics.contains { $0.isError && $0.message.hasPrefix("Graphviz: ") })
    }

    @Test func unreadableDOTIsADiagnostic() throws {
        let error = try #require(throws: DiagnosticError.self) {
            try testGraphviz.render(dot: "digraph { a -> ", format: .svg)
        }
        #expect(error.diagnostics.contains { $0.isError && $0.message.contains("syntax error") })
    }

    @Test func warningsComeBackWithTheOutput() throws {
        var graph = sampleGraph()
        graph.nodes[1].attributes["color"] = "no-such-colour"
        let output = try testGraphviz.render(graph, format: .svg)
        #expect(output.warnings.contains { $0.severity == .warning && $0.message.contains("no-such-colour") })
        #expect(!output.bytes.isEmpty)
    }

    @Test func errorsFromOneRenderDoNotLeakIntoTheNext() throws {
        _ = try? testGraphviz.render(sampleGraph(), graphvizFormat: "no-such-format")
        #expect(try testGraphviz.render(sampleGraph(), format: .svg).warnings.isEmpty)
    }

    @Test func rendersFromManyThreadsAtOnce() async throws {
        let expected = try testGraphviz.render(sampleGraph(), format: .svg).bytes
        try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 {
                group.addTask { try Graphviz().render(sampleGraph(), format: .svg).bytes }
            }
            for try await bytes in group {
                #expect(bytes == expected)
            }
        }
    }

    @Test func theMapFontIsInstalledWithChineseCharacters() {
        #expect(testGraphviz.fontDiagnostics(for: MapTheme.defaultFont, format: .png).isEmpty)
        let missing = testGraphviz.fontDiagnostics(for: "No Such Font Family", format: .png)
        #expect(missing.count == 1 && missing[0].severity == .warning && missing[0].message.contains("No Such Font Family"))
    }
}

@Suite("Graphviz: values and messages")
struct GraphvizValueTests {
    @Test func attributesKeepTheirOrderAndReplaceInPlace() {
        var attributes: Attributes = ["b": "1", "a": "2"]
        attributes["b"] = "3"
        attributes["c"] = "4"
        attributes["a"] = nil
        #expect(attributes.entries.map(\.name) == ["b", "c"])
        #expect(attributes["b"] == .text("3"))
    }

    @Test func literalTextIsNotExpanded() {
        // Graphviz substitutes escStrings twice: a backslash is written four times.
        #expect(AttributeValue.literal("a\\Nb\nc") == .text("a\\\\\\\\Nb\\nc"))
        // Characters XML forbids become U+FFFD.
        #expect(AttributeValue.literal("乙\u{01}\u{0B}\u{FFFE}") == .text("乙\u{FFFD}\u{FFFD}\u{FFFD}"))
        // CRLF and a lone CR are one line break each; text without any stays as it is.
        #expect(AttributeValue.literal("正极\r\n负极\r电解液\n") == .text("正极\\n负极\\n电解液\\n"))
        #expect(AttributeValue.literal("宁德时代 · 链主") == .text("宁德时代 · 链主"))
        #expect(AttributeValue.literal("") == .text(""))
    }

    @Test func htmlEscapesMarkup() {
        #expect(HTML.escape("A&B <C> \"D\" 'E'\n") == "A&amp;B &lt;C&gt; &quot;D&quot; &#39;E&#39; ")
        // "·" shares its lead byte with the C1 controls: kept, while a C1 control goes.
        #expect(HTML.escape("正极 · 材料\u{85}") == "正极 · 材料 ")
        #expect(HTML.escape("正极\r\n材料\u{7F}", keepingLineBreaks: true) == "正极\n\n材料")
        #expect(HTML.escape("宁德时代") == "宁德时代")
    }

    @Test func namesAreShortenedByCharacters() {
        #expect(ChainMap.shortened("宁德时代新能源科技股份有限公司", to: 18) == "宁德时代新能源科技股份有限公司")
        #expect(ChainMap.shortened("比亚迪汽车工业有限公司深圳坪山新能源电池分公司", to: 8) == "比亚迪汽车工业…")
        // Five characters of two scalars each: ten scalars, but only five characters.
        let flags = String(repeating: "\u{1F1E8}\u{1F1F3}", count: 5)
        #expect(ChainMap.shortened(flags, to: 6) == flags)
        #expect(ChainMap.shortened(flags, to: 4) == String(repeating: "\u{1F1E8}\u{1F1F3}", count: 3) + "…")
    }

    @Test func messagesAreJoinedAndSplitBySeverity() {
        let diagnostics = GraphvizMessages.parse("Warning: no-such-colour is not a known color.\nError: syntax error in line 1\n... in label of node a\n")
        #expect(diagnostics == [
            .warning(.graphviz, "Graphviz: no-such-colour is not a known color."),
            .error(.graphviz, "Graphviz: syntax error in line 1 ... in label of node a"),
        ])
    }

    @Test func pdfCreationDateIsBlankedInPlace() {
        let pdf = Array("<< /Producer (cairo) /CreationDate (D:20240101120000Z) >>".utf8)
        let cleaned = ReproducibleOutput.pdf(pdf)
        #expect(cleaned.count == pdf.count)
        let blank = String(repeating: " ", count: "/CreationDate (D:20240101120000Z)".count)
        #expect(String(decoding: cleaned, as: UTF8.self) == "<< /Producer (cairo) \(blank) >>")
    }
}

/// Serialized: its tests start the process's one helper thread.
@Suite("Graphviz: started early, on another thread", .serialized)
struct GraphvizStartTests {
    /// The `chainmap` executable makes its context before `main` (Sources/CCommandStart)
    /// for the first Graphviz to take: taken once, by that one; the next makes its own;
    /// both draw the same bytes; and Graphviz's error function is chainmap's again, so that
    /// warnings still come back.
    @Test func aContextMadeBeforeMainIsTakenByTheFirstGraphvizOnly() throws {
        let early = try Graphviz(startingEarly: true)
        let fresh = try Graphviz()
        #expect(early.tookEarlyStart)
        #expect(!fresh.tookEarlyStart)
        #expect(early.plugins == fresh.plugins)
        #expect(try early.render(sampleGraph(), format: .svg).bytes == fresh.render(sampleGraph(), format: .svg).bytes)
        var graph = sampleGraph()
        // A colour of its own: Graphviz warns about an unknown colour once in a process
        // until a context is freed, so one that another test draws meanwhile may not be
        // reported here.
        graph.nodes[1].attributes["color"] = "no-such-colour-before-main"
        #expect(try early.render(graph, format: .svg).warnings.contains { $0.message.contains("no-such-colour-before-main") })
    }

    /// The C side alone: a start is taken once.
    @Test func aStartBeforeMainIsTakenOnce() throws {
        let (taken, again): (Int32, Int32) = testGraphviz.withLock {
            chainmap_graphviz_start()
            var context: OpaquePointer?
            var messages: UnsafeMutablePointer<CChar>?
            let taken = chainmap_graphviz_take_started(&context, &messages)
            let made = context != nil
            if let context { gvFreeContext(context) }
            free(messages)
            var other: OpaquePointer?
            var more: UnsafeMutablePointer<CChar>?
            return (made ? taken : -1, chainmap_graphviz_take_started(&other, &more))
        }
        #expect(taken == 1)
        #expect(again == 0)
    }

    /// A run's start: the context made, the faces laid out on it by the helper thread as
    /// `warmUp` says (none; at least the first, as many as there is time for; all), each
    /// with the Graphviz lock held, then the helper joined and the context taken. Whoever
    /// takes it (another test may) first joins the helper, so the count is exact. The map
    /// it draws is the bytes another context draws.
    @Test(arguments: [(Graphviz.WarmUp.none, 0...0), (.usual, 1...ChainMap.faces.count), (.everyFace, ChainMap.faces.count...ChainMap.faces.count)])
    func aPreparedStartIsWarmedUpAsAskedThenTaken(warmUp: Graphviz.WarmUp, faces: ClosedRange<Int>) throws {
        Graphviz.prepare(warmUp)
        let prepared = try Graphviz.started()
        #expect(faces.contains(Int(chainmap_graphviz_faces_laid_out())))
        #expect(testGraphviz.withLock { chainmap_graphviz_preparing() } == 0)
        Graphviz.endPreparation()  // nothing left to end
        let fresh = try Graphviz()
        let analysis = GapAnalysis(try renderSampleChain())
        let map = ChainMap(analysis, leads: try renderSampleLeads(analysis), options: MapOptions(leadsPerLink: 3))
        #expect(try map.render(.svg, with: prepared).bytes == map.render(.svg, with: fresh).bytes)
    }

    /// The warm-up lays out a label in every face of a chain map on the context before
    /// any map. Nothing of the context's own (attributes, plugins, error state) may leak
    /// from those small graphs into a map: the maps it draws must be the bytes another
    /// context draws, in every format. (pango keeps its faces for the whole process,
    /// shared by both contexts here: that they change nothing drawn is tested in separate
    /// processes, by the `render` command's tests.)
    @Test func aWarmedContextDrawsWhatAFreshOneDraws() throws {
        let warmed = try Graphviz()
        warmed.layOutFaces()
        let fresh = try Graphviz()
        let analysis = GapAnalysis(try renderSampleChain())
        let map = ChainMap(analysis, leads: try renderSampleLeads(analysis), options: MapOptions(leadsPerLink: 3))
        for format in OutputFormat.allCases {
            #expect(try map.render(format, with: warmed).bytes == map.render(format, with: fresh).bytes, "\(format)")
        }
    }

    /// The warm-up lays its labels out in the maps' font list, kept in C for the start
    /// before `main`.
    @Test func theWarmUpUsesTheMapsFontList() {
        #expect(String(cString: chainmap_map_font_list()) == MapTheme.standard.fontList)
    }

    /// The faces the warm-up loads are the faces chain maps set their words in, as
    /// Graphviz reads them: every chain of `chains/` (auto-parts with its project ledger:
    /// 在建) and a map with leads.
    @Test func theWarmUpListsTheFacesOfTheMaps() throws {
        let directory = packageRoot().appendingPathComponent("chains")
        let paths = ChainLibraryTests.files.map { directory.appendingPathComponent($0).path }
        let run = ChainPipeline().run(paths, screening: false)
        #expect(run.chains.count == paths.count)
        var graphs = run.chains.map { ChainMap($0.analysis).graph() }
        let analysis = GapAnalysis(try renderSampleChain())
        graphs.append(ChainMap(analysis, leads: try renderSampleLeads(analysis), options: MapOptions(leadsPerLink: 3)).graph())
        let used = graphs.reduce(into: Set<String>()) { $0.formUnion(Self.faces(of: $1)) }
        let listed = Set(ChainMap.faces.map { "\($0.points)\($0.bold ? " bold" : "")" })
        #expect(used == listed)
        #expect(listed.count == ChainMap.faces.count)  // no face twice
    }

    /// Every face a graph's labels set words in, as "POINTS" or "POINTS bold", as Graphviz
    /// reads them: a label's size is its element's `fontsize` (or the default it
    /// inherits), an HTML label's runs change it with `<FONT POINT-SIZE>` (a whole number:
    /// Graphviz reads "12.5" as 12) and `<B>`; every run of text is laid out, spaces
    /// alone too, and a node without a label shows its name (`\N`).
    static func faces(of graph: GraphDescription) -> Set<String> {
        var faces: Set<String> = []
        func points(_ text: Substring) -> String { String(Int(text.prefix { $0.isNumber }) ?? 0) }
        func add(_ label: AttributeValue?, size: String) {
            switch label {
            case .text(let text)? where !text.isEmpty:
                faces.insert(size)
            case .html(let html)?:
                var sizes = [size], bold = 0, rest = Substring(html)
                while !rest.isEmpty {
                    if rest.first == "<", let end = rest.firstIndex(of: ">") {
                        let tag = rest[rest.index(after: rest.startIndex)..<end]
                        switch tag.prefix(while: { !$0.isWhitespace }).uppercased() {  // FONT, /FONT, B, BR/ …
                        case "FONT":
                            let point = tag.range(of: "POINT-SIZE=\"", options: .caseInsensitive).map { tag[$0.upperBound...] }
                            sizes.append(point.map(points) ?? sizes.last!)
                        case "/FONT": sizes.removeLast()
                        case "B": bold += 1
                        case "/B": bold -= 1
                        default: break
                        }
                        rest = rest[rest.index(after: end)...]
                    } else {
                        let words = rest.prefix { $0 != "<" }
                        faces.insert(sizes.last! + (bold > 0 ? " bold" : ""))
                        rest = rest.dropFirst(words.count)
                    }
                }
            default: break
            }
        }
        func size(_ attributes: Attributes, else inherited: String) -> String {
            if case .text(let size)? = attributes["fontsize"] { return points(Substring(size)) }
            return inherited
        }
        let graphSize = size(graph.attributes, else: "14")
        add(graph.attributes["label"], size: graphSize)
        func visit(_ subgraphs: [GraphDescription.Subgraph], inherited: String) {
            for subgraph in subgraphs {
                let own = size(subgraph.attributes, else: inherited)
                add(subgraph.attributes["label"], size: own)
                visit(subgraph.subgraphs, inherited: own)
            }
        }
        visit(graph.subgraphs, inherited: graphSize)
        let nodeSize = size(graph.nodeDefaults, else: "14")
        for node in graph.nodes {
            add(node.attributes["label"] ?? graph.nodeDefaults["label"] ?? .text(node.name), size: size(node.attributes, else: nodeSize))
        }
        let edgeSize = size(graph.edgeDefaults, else: "14")
        for edge in graph.edges { add(edge.attributes["label"] ?? graph.edgeDefaults["label"], size: size(edge.attributes, else: edgeSize)) }
        return faces
    }
}
