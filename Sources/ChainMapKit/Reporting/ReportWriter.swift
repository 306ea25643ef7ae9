import Foundation
import Synchronization

/// Makes the report of an analysed chain: draws its map with Graphviz (the same map as
/// `chainmap render`) and assembles the ``ChainReport``.
public struct ReportBuilder: Sendable {
    /// How much the report lists.
    public var options: ChainReport.Options
    /// Whether to draw a PNG of the map too (for the DOCX).
    public var png: Bool

    public init(options: ChainReport.Options = .init(), png: Bool = false) {
        self.options = options
        self.png = png
    }

    /// What building one chain's report gave.
    public struct Built: Sendable {
        public var report: ChainReport
        /// The map as PNG, when asked for and drawn.
        public var png: [UInt8]?
        /// The map's pages for the Word report when it is split by stage to read at 7 pt on
        /// landscape A3 (``ChainMap/wordPages(with:)``); empty when one image does.
        public var mapPages: [[UInt8]] = []
        /// The ledger's quarterly chart as PNG, when asked for and drawn.
        public var chartPNG: [UInt8]?
        /// The 对标 map as PNG, when asked for and drawn.
        public var comparePNG: [UInt8]?
        /// The target map as PNG, when asked for and drawn.
        public var targetsPNG: [UInt8]?
        /// Problems of the map (a missing font …).
        public var diagnostics: [Diagnostic]
        /// Whether the map could not be drawn: the report says why in its place.
        public var mapFailed: Bool
    }

    /// The figures of a chain's report that its leads do not change: the map (with its
    /// pages for Word), the ledger's quarterly chart and the 对标 map, with the problems
    /// drawing them found. ``figures(_:graphviz:graphvizProblem:)`` draws them;
    /// `chainmap report` does so while the leads are read (``ChainPipeline/run(_:screening:sources:progress:alongside:)``).
    public struct Figures: Sendable {
        /// The chain's file, to tell the figures of one chain from another's.
        public let file: String
        let map: ChainMap
        let drawnMap: Drawing
        let mapPages: [[UInt8]]
        let chart: Drawing
        let comparison: Drawing
        let diagnostics: [Diagnostic]
    }

    /// Draws the figures of a chain that its leads do not change (``Figures``).
    ///
    /// - Parameters:
    ///   - graphviz: the Graphviz context to draw with, or nil when Graphviz could not
    ///     start (`graphvizProblem` says why; the report then has no map).
    public func figures(_ chain: AnalysedChain, graphviz: Graphviz?, graphvizProblem: String? = nil) -> Figures {
        var diagnostics: [Diagnostic] = []
        let map = ChainMap(chain.analysis)
        let drawnMap = draw(graphviz: graphviz, problem: graphvizProblem, diagnostics: &diagnostics) { format, graphviz throws(DiagnosticError) in
            try map.render(format, with: graphviz)
        }
        // For Word: the map in pages that read on landscape A3, when one image would not.
        var mapPages: [[UInt8]] = []
        if png, let graphviz, !drawnMap.failed {
            do throws(DiagnosticError) {
                mapPages = try map.wordPages(with: graphviz).map(\.bytes)
            } catch {
                diagnostics += error.diagnostics
            }
        }
        // The ledger's quarterly chart, drawn like the map.
        var drawnChart = Drawing(problem: graphvizProblem, failed: false)
        if let ledger = chain.ledger {
            let chart = QuarterChart(ledger.quarters, asOf: ledger.asOf, theme: map.theme)
            drawnChart = draw(graphviz: graphviz, problem: graphvizProblem, diagnostics: &diagnostics) { format, graphviz throws(DiagnosticError) in
                try chart.render(format, with: graphviz)
            }
        }
        // The 对标 map, drawn like the map.
        var drawnComparison = Drawing(problem: graphvizProblem, failed: false)
        if let comparison = chain.comparison {
            let comparisonMap = ComparisonMap(comparison, theme: map.theme)
            drawnComparison = draw(graphviz: graphviz, problem: graphvizProblem, diagnostics: &diagnostics) { format, graphviz throws(DiagnosticError) in
                try comparisonMap.render(format, with: graphviz)
            }
        }
        return Figures(
            file: chain.chain.file, map: map, drawnMap: drawnMap, mapPages: mapPages, chart: drawnChart, comparison: drawnComparison,
            diagnostics: diagnostics)
    }

    /// Builds the report of a chain.
    ///
    /// - Parameters:
    ///   - graphviz: the Graphviz context to draw with, or nil when Graphviz could not
    ///     start (`graphvizProblem` says why; the report then has no map).
    ///   - figures: the chain's ``Figures``, when they were drawn beforehand (with the
    ///     same Graphviz); else they are drawn here.
    public func build(_ chain: AnalysedChain, graphviz: Graphviz?, graphvizProblem: String? = nil, figures: Figures? = nil) -> Built {
        let figures = figures ?? self.figures(chain, graphviz: graphviz, graphvizProblem: graphvizProblem)
        var diagnostics = figures.diagnostics
        let (map, drawnMap, mapPages, drawnChart, drawnComparison) = (
            figures.map, figures.drawnMap, figures.mapPages, figures.chart, figures.comparison
        )
        var report = ChainReport(
            chain, map: drawnMap.svg.map { ($0, map.elementIDs) }, mapProblem: drawnMap.problem, chart: drawnChart.svg,
            chartProblem: drawnChart.problem, comparisonMap: drawnComparison.svg, comparisonProblem: drawnComparison.problem,
            options: options)
        // The target map of the leads the report lists, drawn like the map from the
        // report's own list and regions (made once: the leads listed with their reasons
        // worded, and grouped by region, were made here a second time).
        var drawnTargets = Drawing(problem: graphvizProblem, failed: false)
        if !report.leads.isEmpty {
            let targetMap = TargetMap(
                report.targets, preferredRegions: chain.screening?.scoring.preferredRegions ?? [],
                title: ReportText.targetMapTitle(chain.chain, count: report.leads.count), theme: map.theme)
            drawnTargets = draw(graphviz: graphviz, problem: graphvizProblem, diagnostics: &diagnostics) { format, graphviz throws(DiagnosticError) in
                try targetMap.render(format, with: graphviz)
            }
            report.targetMapSVG = drawnTargets.svg
        }
        return Built(
            report: report, png: drawnMap.png, mapPages: mapPages, chartPNG: drawnChart.png, comparePNG: drawnComparison.png, targetsPNG: drawnTargets.png,
            diagnostics: diagnostics, mapFailed: drawnMap.failed || drawnChart.failed || drawnComparison.failed || drawnTargets.failed)
    }

    /// A figure drawn for the report: its SVG, its PNG when asked for, and why not.
    struct Drawing: Sendable {
        var svg: [UInt8]?
        var png: [UInt8]?
        var problem: String?
        var failed: Bool
    }

    /// Draws a figure as SVG (and PNG when making Word documents); a failure is kept as
    /// the figure's problem, its diagnostics added to `diagnostics`.
    func draw(
        graphviz: Graphviz?, problem: String?, diagnostics: inout [Diagnostic],
        _ render: (OutputFormat, Graphviz) throws(DiagnosticError) -> GraphvizOutput
    ) -> Drawing {
        guard let graphviz else { return Drawing(problem: problem, failed: true) }
        var drawing = Drawing(problem: problem, failed: false)
        do throws(DiagnosticError) {
            let rendered = try render(.svg, graphviz)
            diagnostics += rendered.warnings
            drawing.svg = rendered.bytes
            if png {
                let bitmap = try render(.png, graphviz)
                diagnostics += bitmap.warnings
                drawing.png = bitmap.bytes
            }
        } catch {
            diagnostics += error.diagnostics
            drawing = Drawing(problem: error.diagnostics.map(\.message).joined(separator: "；"), failed: true)
        }
        return drawing
    }
}

/// Writes the report files into one directory, each atomically:
/// `<id>.svg`, `<id>.md`, `<id>.html` per chain, with `<id>.png` and `<id>.docx` when
/// making Word documents, and `index.html`, `index.md` (and `index.docx`) for the
/// overview across chains.
public struct ReportWriter: Sendable {
    /// The output directory.
    public var directory: String
    /// pandoc, when Word documents are wanted.
    public var pandoc: Pandoc?
    /// Whether to write a workbook (`<id>.xlsx`, `index.xlsx`) too.
    public var workbooks = false

    public init(directory: String, pandoc: Pandoc? = nil) {
        var directory = directory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory.isEmpty ? "." : directory
        self.pandoc = pandoc
    }

    /// The path of a file in the output directory.
    public func path(_ name: String) -> String {
        directory + "/" + name
    }

    /// What writing one chain's report gave: the paths written and pandoc's warnings, or
    /// why nothing was written.
    public typealias Written = Result<(paths: [String], warnings: [Diagnostic]), DiagnosticError>

    /// Builds and writes the report of each chain, in order: a chain's files are written
    /// (Markdown, the web page, Word) on other threads, one per processor at once, while
    /// the next chain's maps are drawn on this one, where Graphviz draws one map at a
    /// time. (One at a time, the writing held up the building: ten chains' reports took a
    /// processor for about 60 ms after their screening, while the other mostly waited.)
    ///
    /// `done` is called on this thread for each chain in turn, once its files are written,
    /// with what building and writing it gave; so whatever it prints comes out in the
    /// order of the chains, as if they were made one after another. At most one chain's
    /// report more than ``writesAtOnce`` is held at once.
    ///
    /// `figures` are the chains' figures drawn beforehand (``ReportBuilder/Figures``),
    /// each used for the chain of its file; the others are drawn here.
    public func write(
        _ chains: [AnalysedChain], builder: ReportBuilder, graphviz: Graphviz?, graphvizProblem: String?,
        indexPage: String?, figures: [ReportBuilder.Figures] = [], done: (AnalysedChain, ReportBuilder.Built, Written) -> Void
    ) {
        final class Outcome: Sendable {
            let written = Mutex<Written?>(nil)
        }
        // The reports being written, oldest first.
        var pending: [(chain: AnalysedChain, built: ReportBuilder.Built, group: DispatchGroup, outcome: Outcome)] = []
        func finishOldest() {
            let oldest = pending.removeFirst()
            oldest.group.wait()
            done(oldest.chain, oldest.built, oldest.outcome.written.withLock { $0 }!)
        }
        let drawn = Dictionary(figures.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        for chain in chains {
            let built = builder.build(chain, graphviz: graphviz, graphvizProblem: graphvizProblem, figures: drawn[chain.chain.file])
            while pending.count >= writesAtOnce { finishOldest() }
            let outcome = Outcome()
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { [self] in
                let written = Written { () throws(DiagnosticError) in
                    try write(
                        built.report, png: built.png, mapPages: built.mapPages, chartPNG: built.chartPNG,
                        comparePNG: built.comparePNG, targetsPNG: built.targetsPNG, indexPage: indexPage)
                }
                outcome.written.withLock { $0 = written }
            }
            pending.append((chain, built, group, outcome))
        }
        while !pending.isEmpty { finishOldest() }
    }

    /// How many chains' reports ``write(_:builder:graphviz:graphvizProblem:indexPage:figures:done:)``
    /// writes at once: one per processor (each chain's files are its own).
    public var writesAtOnce = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Writes the files of one chain's report, all or none: each is staged as a
    /// temporary file, and they are put in place together once every one is made. Returns
    /// the paths written and pandoc's warnings.
    ///
    /// - Parameters:
    ///   - png: the map as PNG, for the DOCX (written as `<id>.png`).
    ///   - indexPage: the overview page to link back to, when there is one.
    public func write(
        _ report: ChainReport, png: [UInt8]? = nil, mapPages: [[UInt8]] = [], chartPNG: [UInt8]? = nil, comparePNG: [UInt8]? = nil,
        targetsPNG: [UInt8]? = nil, indexPage: String? = nil
    ) throws(DiagnosticError) -> (paths: [String], warnings: [Diagnostic]) {
        let id = report.chain.id
        var files = FileSystem.FileSet()
        var warnings: [Diagnostic] = []
        let svgName = id + ".svg"
        if let svg = report.mapSVG {
            try files.stage(svg, to: path(svgName))
        }
        let chartName = ReportLedger.chartFile(id, .svg)
        if let chart = report.ledger?.chartSVG {
            try files.stage(chart, to: path(chartName))
        }
        let targetsName = ChainReport.targetMapFile(id, .svg)
        if let map = report.targetMapSVG {
            try files.stage(map, to: path(targetsName))
        }
        let compareName = ReportBenchmark.mapFile(id, .svg)
        if let map = report.benchmark?.mapSVG {
            try files.stage(map, to: path(compareName))
        }
        let markdown = MarkdownReport.document(
            report, mapImage: report.mapSVG == nil ? nil : svgName, chartImage: report.ledger?.chartSVG == nil ? nil : chartName,
            compareImage: report.benchmark?.mapSVG == nil ? nil : compareName,
            targetsImage: report.targetMapSVG == nil ? nil : targetsName)
        try files.stage(Array(markdown.utf8), to: path(id + ".md"))
        try files.stage(Array(HtmlReport.page(report, indexPage: indexPage).utf8), to: path(id + ".html"))
        if workbooks {
            do {
                try files.stage(XLSXWriter.bytes(ReportTables.workbook(report)), to: path(id + ".xlsx"))
            } catch {
                files.discard()
                throw error
            }
        }
        if let pandoc {
            var images: [String: [UInt8]] = [:]
            if let png {
                images[id + ".png"] = png
                try files.stage(png, to: path(id + ".png"))
            }
            // The map's pages for Word, when it is split (kept inside the document only).
            let pageNames = mapPages.indices.map { Chain.mapPageFile(id, page: $0 + 1) }
            for (name, bytes) in zip(pageNames, mapPages) { images[name] = bytes }
            let chartPNGName = ReportLedger.chartFile(id, .png)
            if let chartPNG {
                images[chartPNGName] = chartPNG
                try files.stage(chartPNG, to: path(chartPNGName))
            }
            let targetsPNGName = ChainReport.targetMapFile(id, .png)
            if let targetsPNG {
                images[targetsPNGName] = targetsPNG
                try files.stage(targetsPNG, to: path(targetsPNGName))
            }
            let comparePNGName = ReportBenchmark.mapFile(id, .png)
            if let comparePNG {
                images[comparePNGName] = comparePNG
                try files.stage(comparePNG, to: path(comparePNGName))
            }
            let source = MarkdownReport.document(
                report, mapImage: png == nil ? nil : id + ".png", mapPages: pageNames, chartImage: chartPNG == nil ? nil : chartPNGName,
                compareImage: comparePNG == nil ? nil : comparePNGName, targetsImage: targetsPNG == nil ? nil : targetsPNGName,
                imageSizes: images.reduce(into: [:]) { sizes, image in
                    // The map on its landscape A3 page, the other figures on portrait A4.
                    let area = image.key == id + ".png" || pageNames.contains(image.key) ? WordPage.landscapeArea : Self.pageArea
                    sizes[image.key] = Self.pageFit(png: image.value, in: area)
                },
                forWord: true)
            do {
                let docx = try pandoc.docx(
                    markdown: source, images: images, name: path(id + ".docx"),
                    wideImages: png == nil ? [] : mapPages.isEmpty ? [MarkdownReport.mapDescription(report.chain)]
                        : mapPages.indices.map { MarkdownReport.mapDescription(report.chain, page: $0, of: mapPages.count) })
                warnings += docx.warnings
                try files.stage(docx.bytes, to: path(id + ".docx"))
            } catch {
                files.discard()
                throw error
            }
        }
        return (try files.commit(), warnings)
    }

    /// The text area of a portrait A4 page in the Word document, in cm: a figure is scaled
    /// to fit within it.
    static let pageArea = (width: 15.5, height: 21.0)

    /// pandoc's size attribute that fits a PNG into ``pageArea`` keeping its shape
    /// (`width=15.5cm` or `height=21cm`), or nil when the PNG's header cannot be read.
    static func pageFit(png: [UInt8], in area: (width: Double, height: Double) = pageArea) -> String? {
        // IHDR: width and height, big-endian, at bytes 16 and 20.
        guard png.count >= 24, png[12..<16].elementsEqual("IHDR".utf8) else { return nil }
        func number(_ at: Int) -> Double { Double(png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }) }
        let (width, height) = (number(16), number(20))
        guard width > 0, height > 0 else { return nil }
        return width / height >= area.width / area.height
            ? "width=\(NumberText.trimmed(area.width, 1))cm" : "height=\(NumberText.trimmed(area.height, 1))cm"
    }

    /// The overview's Markdown and HTML pages, worked out before they are written: `chainmap
    /// report` has them made on a thread of their own while the chains' reports are written
    /// (``PendingSystem/pages(of:failed:)``).
    public struct IndexPages: Sendable {
        public let system: IndustrySystem
        public let markdown: String
        public let html: String

        /// The pages of `system`, which holds the chains whose reports were written;
        /// `failed` names those that were not, and the overview says so.
        public init(_ system: IndustrySystem, failed: [String] = []) {
            self.system = system
            markdown = MarkdownReport.index(system, failed: failed)
            html = HtmlReport.index(system, failed: failed)
        }
    }

    /// Writes the overview across chains, all or none: `index.html`, `index.md`,
    /// `index.xlsx` when making workbooks and `index.docx` when making Word documents.
    public func writeIndex(_ pages: IndexPages) throws(DiagnosticError) -> (paths: [String], warnings: [Diagnostic]) {
        var files = FileSystem.FileSet()
        var warnings: [Diagnostic] = []
        let markdown = pages.markdown
        try files.stage(Array(markdown.utf8), to: path("index.md"))
        try files.stage(Array(pages.html.utf8), to: path("index.html"))
        if workbooks {
            do {
                try files.stage(XLSXWriter.bytes(GapReport.workbook(pages.system).reversed()), to: path("index.xlsx"))
            } catch {
                files.discard()
                throw error
            }
        }
        if let pandoc {
            do {
                let docx = try pandoc.docx(markdown: markdown, name: path("index.docx"))
                warnings += docx.warnings
                try files.stage(docx.bytes, to: path("index.docx"))
            } catch {
                files.discard()
                throw error
            }
        }
        return (try files.commit(), warnings)
    }
}

/// Graphviz and the figures of each chain's report that the leads do not change
/// (``ReportBuilder/Figures``), drawn while the leads are read: `chainmap report` hands
/// ``draw(_:builder:)`` to ``ChainPipeline/run(_:screening:sources:progress:alongside:)``
/// and reads ``result`` once the run returns.
public final class ReportFigures: Sendable {
    private let state = Mutex<(graphviz: Graphviz?, diagnostics: [Diagnostic], figures: [ReportBuilder.Figures], started: Bool)>(
        (nil, [], [], false))

    public init() {}

    /// Starts Graphviz and draws each chain's figures.
    public func draw(_ chains: [AnalysedChain], builder: ReportBuilder) {
        let (graphviz, diagnostics) = Self.startGraphviz()
        let problem = graphviz == nil ? diagnostics.map(\.message).joined(separator: "；") : nil
        let figures = chains.map { builder.figures($0, graphviz: graphviz, graphvizProblem: problem) }
        state.withLock { $0 = (graphviz, diagnostics, figures, true) }
    }

    /// Graphviz (nil when it could not start, `diagnostics` saying why; else what it
    /// warned about while loading its plugins) and the figures drawn; Graphviz is started
    /// here when ``draw(_:builder:)`` was not called.
    public var result: (graphviz: Graphviz?, diagnostics: [Diagnostic], figures: [ReportBuilder.Figures]) {
        let state = state.withLock { $0 }
        if state.started { return (state.graphviz, state.diagnostics, state.figures) }
        let (graphviz, diagnostics) = Self.startGraphviz()
        return (graphviz, diagnostics, [])
    }

    /// A Graphviz context and what it warned about while loading its plugins, or nil and
    /// why it could not start.
    private static func startGraphviz() -> (Graphviz?, [Diagnostic]) {
        do throws(DiagnosticError) {
            let graphviz = try Graphviz.started()
            return (graphviz, graphviz.startupWarnings)
        } catch {
            return (nil, error.diagnostics)
        }
    }
}
