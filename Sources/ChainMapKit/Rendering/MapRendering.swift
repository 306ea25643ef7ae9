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

    /// Renders the map as a PDF of exactly one printed page (`render --page`): laid out
    /// once to learn its size, then drawn scaled to fit within the page's margins, and set
    /// centred on the page. When the link names would print smaller than
    /// ``PrintPage/minimumText``, a warning says so and which paper would do.
    public func render(page: PrintPage, with graphviz: Graphviz) throws(DiagnosticError) -> GraphvizOutput {
        let natural = try render(.pdf, with: graphviz)
        guard let (_, box) = ReproducibleOutput.mediaBox(natural.bytes) else { return natural }
        let (width, height) = (box[2] - box[0], box[3] - box[1])
        let scale = page.scale(width: width, height: height)
        var warnings = natural.warnings
        let printed = PrintPage.mapText * scale
        if printed < PrintPage.minimumText {
            warnings.append(naming(.warning(
                .graphviz,
                "on \(page.words) the map's names print at \(NumberText.trimmed(printed, 1)) pt, below the \(NumberText.trimmed(PrintPage.minimumText, 0)) pt that reads on paper: "
                    + (page == PrintPage(.a3, landscape: true) ? "split the chain into smaller ones" : "print with --page A3 --landscape, or split the chain"))))
        }
        do throws(DiagnosticError) {
            var graph = graph(for: .pdf)
            let size = "\(NumberText.trimmed(width * scale / 72, 3)),\(NumberText.trimmed(height * scale / 72, 3))!"
            graph.attributes = graph.attributes.merging(["size": .text(size)])
            var output = try graphviz.render(graph, format: .pdf)
            output.bytes = ReproducibleOutput.onPage(output.bytes, width: page.size.width, height: page.size.height)
            output.warnings = warnings + output.warnings.map(naming)
            return output
        } catch {
            throw DiagnosticError(error.diagnostics.map(naming))
        }
    }

    /// The most links a map is laid out with. Graphviz's layout time grows faster than
    /// the graph: 400 links and 1,200 edges take 9 s, 800 and 2,400 take 80 s, 2,000 and
    /// 12,000 did not finish in 300 s; a real chain has 15–60 links.
    public static let maxLinks = 500
    /// The most `supplies` edges a map is laid out with (see ``maxLinks``).
    public static let maxEdges = 1_000

    /// Why the map is too large to lay out in reasonable time, or nil.
    public var sizeProblem: String? {
        let links = chain.links.count
        let edges = analysis.edges.count
        guard links > Self.maxLinks || edges > Self.maxEdges else { return nil }
        return "the map has \(NumberText.grouped(links)) links and \(NumberText.grouped(edges)) supplies edges; Graphviz lays out at most \(Self.maxLinks) links and \(NumberText.grouped(Self.maxEdges)) edges in reasonable time, so no map is drawn: split the chain into smaller ones (gaps and leads work at any size)"
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
            guard let found = Fontconfig.family(family), !(found.installed && found.chinese),
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
