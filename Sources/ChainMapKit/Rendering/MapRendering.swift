extension ChainMap {
    /// Renders the map in `format` with Graphviz, in-process.
    ///
    /// Checks first that Graphviz has what the format needs and that the map's font is
    /// installed with Chinese characters. Graphviz's warnings, and a font that is missing
    /// but replaceable, come back with the output; errors are thrown, each message naming
    /// the chain's file.
    public func render(_ format: OutputFormat, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        do throws(DiagnosticError) {
            if format.needsLayout, let problem = sizeProblem { throw DiagnosticError(.error(.graphviz, problem)) }
            try graphviz.requirePlugins(for: format)
            let fonts = graphviz.fontDiagnostics(for: theme.font, format: format)
            if fonts.contains(where: \.isError) { throw DiagnosticError(fonts) }
            var output = try graphviz.render(graph(for: format), format: format)
            output.warnings = fonts + output.warnings
            output.warnings = output.warnings.map(naming)
            return output
        } catch {
            throw DiagnosticError(error.diagnostics.map(naming))
        }
    }

    /// Renders the map as a PDF of printed pages of exactly one size (`render --page`):
    /// laid out once to learn its size, then drawn scaled to fit within the margins and
    /// set centred on the page. When the link names would print smaller than
    /// ``PrintPage/minimumText``, the map is split by stage over several pages — stages
    /// gathered from the left while they still print readably — each page titled with
    /// its number and "续"; the supplies edges between pages are not drawn. A stage that
    /// alone prints too small is warned of.
    public func render(page: PrintPage, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        do throws(DiagnosticError) {
            var warnings: [Diagnostic] = []
            let groups = try pageGroups(with: graphviz, warnings: &warnings) { page.scale(width: $0.width, height: $0.height) }
            var pages: [[UInt8]] = []
            for (n, group) in groups.enumerated() {
                let scale = page.scale(width: group.size.width, height: group.size.height)
                if !PrintPage.reads(at: scale) {
                    let words = groups.count > 1 ? "page \(n + 1) of the map" : "the map"
                    warnings.append(.warning(
                        .graphviz,
                        "on \(page.words) \(words) prints its names at \(NumberText.trimmed(PrintPage.mapText * scale, 1)) pt, below the \(NumberText.trimmed(PrintPage.minimumText, 0)) pt that reads on paper: "
                            + (page == PrintPage(.a3, landscape: true) ? "split the chain into smaller ones" : "print with --page A3 --landscape, or split the chain")))
                }
                let map = groups.count == 1 ? self : part(group.stages, note: Self.pageNote(n, of: groups.count, stages: group.stages.map { chain.stages[$0].name }))
                var graph = map.graph(for: .pdf)
                let size = "\(NumberText.trimmed(group.size.width * scale / 72, 3)),\(NumberText.trimmed(group.size.height * scale / 72, 3))!"
                graph.attributes = graph.attributes.merging(["size": .text(size)])
                let output = try graphviz.render(graph, format: .pdf)
                warnings += output.warnings
                pages.append(ReproducibleOutput.onPage(output.bytes, width: page.size.width, height: page.size.height))
            }
            guard pages.count > 1 else { return GraphvizOutput(bytes: pages[0], warnings: unique(warnings).map(naming)) }
            guard let merged = ReproducibleOutput.merged(pages) else {
                throw DiagnosticError(.error(.graphviz, "the \(pages.count) pages of the map could not be put into one PDF"))
            }
            return GraphvizOutput(bytes: merged, warnings: unique(warnings).map(naming))
        } catch {
            throw DiagnosticError(error.diagnostics.map(naming))
        }
    }

    /// The stages of each page: all on one when the whole map reads at the scale
    /// `scale` gives a drawing's natural size, else stages gathered from the left while
    /// they still read; with each group's natural size (measured by laying it out as a
    /// PDF; Graphviz's warnings go to `warnings`).
    func pageGroups(
        with graphviz: Graphviz, warnings: inout [Diagnostic], scale: ((width: Double, height: Double)) -> Double
    ) throws(DiagnosticError) -> [(stages: [Int], size: (width: Double, height: Double))] {
        func measure(_ map: ChainMap) throws(DiagnosticError) -> (width: Double, height: Double) {
            let natural = try map.render(.pdf, with: graphviz)
            warnings += natural.warnings
            guard let (_, box) = ReproducibleOutput.mediaBox(natural.bytes) else {
                throw DiagnosticError(.error(.graphviz, "Graphviz wrote a PDF without a page box"))
            }
            return (box[2] - box[0], box[3] - box[1])
        }
        func readable(_ size: (width: Double, height: Double)) -> Bool { PrintPage.reads(at: scale(size)) }
        let whole = try measure(self)
        let stages = chain.stages.map(\.index).filter { s in chain.links.contains { $0.stage == s } }
        if readable(whole) || stages.count < 2 { return [(stages, whole)] }
        var groups: [(stages: [Int], size: (width: Double, height: Double))] = []
        for stage in stages {
            if let last = groups.last {
                let joined = last.stages + [stage]
                let size = try measure(part(joined, note: nil))
                if readable(size) {
                    groups[groups.count - 1] = (joined, size)
                    continue
                }
            }
            groups.append(([stage], try measure(part([stage], note: nil))))
        }
        return groups
    }

    /// The map as PNG images for the Word report's landscape A3 pages
    /// (``PrintPage/wordMapArea``), when the whole map would not read at 7 pt in one: one
    /// per group of stages (as `render --page` splits it), each titled with its page, in
    /// order. Empty when one image reads (the report's own PNG of the map serves).
    public func wordPages(with graphviz: Graphviz) throws(DiagnosticError) -> [GraphvizOutput] {
        let area = PrintPage.wordMapArea
        var warnings: [Diagnostic] = []
        let groups = try pageGroups(with: graphviz, warnings: &warnings) {
            min(area.width * PrintPage.pointsPerCM / $0.width, area.height * PrintPage.pointsPerCM / $0.height)
        }
        if groups.count == 1 { return [] }
        var pages: [GraphvizOutput] = []
        for (n, group) in groups.enumerated() {
            let note = Self.pageNote(n, of: groups.count, stages: group.stages.map { chain.stages[$0].name })
            pages.append(try part(group.stages, note: note).render(.png, with: graphviz))
        }
        return pages
    }

    /// The map of some stages, for one page.
    func part(_ stages: [Int], note: String?) -> ChainMap {
        var options = self.options
        options.stages = Set(stages)
        options.titleNote = note
        return ChainMap(analysis, leads: leads, options: options)
    }

    /// A page's words after the title: "第 1/3 页：上游", "（续）第 2/3 页：中游、下游".
    static func pageNote(_ n: Int, of count: Int, stages: [String]) -> String {
        (n > 0 ? "（续）" : "") + "第 \(n + 1)/\(count) 页：" + stages.joined(separator: "、")
    }

    /// Warnings without repeats, in order.
    private func unique(_ warnings: [Diagnostic]) -> [Diagnostic] {
        var seen = Set<String>()
        return warnings.filter { seen.insert($0.description).inserted }
    }

    /// The most links a map is laid out with. Graphviz's layout time grows with the
    /// edges a link has more than with the links: measured on random chains (SVG, this
    /// machine), 2,000 links with 3,000 edges take 11 s and 1,000 with 2,000 take 2 s, but
    /// 100 links with 1,100 edges take 11 s, 500 with 3,000 take 23 s and 250 with 3,000
    /// take 41 s. So the edges allowed grow with the links: ``baseEdges`` more than the
    /// links, ``maxEdges`` at most. A real chain has 15–60 links and 1–2 edges a link.
    public static let maxLinks = 2_000
    /// The most `supplies` edges a map is laid out with, whatever its links.
    public static let maxEdges = 3_000
    /// The edges a map may have beyond one a link (see ``maxLinks``).
    public static let baseEdges = 1_000

    /// The most edges a map of `links` links is laid out with.
    public static func edgeLimit(links: Int) -> Int {
        min(maxEdges, baseEdges + links)
    }

    /// Why the map is too large to lay out in reasonable time, or nil.
    public var sizeProblem: String? {
        let links = chain.links.count
        let edges = analysis.edges.count
        let edgeLimit = Self.edgeLimit(links: links)
        guard links > Self.maxLinks || edges > edgeLimit else { return nil }
        let limits = links > Self.maxLinks
            ? "at most \(NumberText.grouped(Self.maxLinks)) links"
            : "a map of \(NumberText.grouped(links)) links with at most \(NumberText.grouped(edgeLimit)) edges (\(NumberText.grouped(Self.baseEdges)) more than its links, \(NumberText.grouped(Self.maxEdges)) at most)"
        return "the map has \(NumberText.grouped(links)) links and \(NumberText.grouped(edges)) supplies edges; Graphviz lays out \(limits) in reasonable time, so no map is drawn: split the chain into smaller ones (gaps and leads work at any size)"
    }

    /// A diagnostic that says which chain it is about: a note at the chain file, when
    /// Graphviz or the font check gave it no place of its own.
    private func naming(_ diagnostic: Diagnostic) -> Diagnostic {
        guard diagnostic.location == nil else { return diagnostic }
        return diagnostic.noting("in the map of \(chain.name)", at: FileLocation(file: chain.file, line: 1, column: 1))
    }
}

extension Graphviz {
    /// Problems with the font family a map is drawn in, for `format`: none when it is
    /// installed and has Chinese characters.
    ///
    /// Without any font that has Chinese characters, PNG and PDF would show empty boxes:
    /// an error for them, a warning for SVG (whose viewer draws the text, though the boxes
    /// are measured wrong). A family that is missing, or has no Chinese characters, is a
    /// warning that names the Chinese fonts that are installed.
    public func fontDiagnostics(for family: String, format: OutputFormat) -> [Diagnostic] {
        guard format.needsLayout else { return [] }
        return withLock {
            // The usual case first, and cheaply: the family is there and has Chinese.
            guard let found = fontFamily(family), !(found.installed && found.chinese),
                  let chinese = Fontconfig.chineseFamilies()
            else { return [] }
            let install = "install fonts-wqy-microhei (Debian/Ubuntu) or fonts-noto-cjk"
            if chinese.isEmpty {
                let message = "no installed font has Chinese characters, so the map's labels would be drawn as empty boxes: \(install)"
                return [format == .svg ? .warning(.font, message) : .error(.font, message)]
            }
            let alternatives = "set `style: font:` in the chain file to one of: " + chinese.prefix(6).joined(separator: ", ")
            if !found.installed {
                return [.warning(.font, "font '\(family)' is not installed, so another font is used and labels may not fit their boxes; \(family == MapTheme.defaultFont ? install + ", or " : "")\(alternatives)")]
            }
            return [.warning(.font, "font '\(family)' has no Chinese characters, so other fonts fill in and labels may not fit their boxes; \(alternatives)")]
        }
    }
}
