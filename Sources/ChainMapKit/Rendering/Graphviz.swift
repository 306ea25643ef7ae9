import CGraphviz
import CGraphvizStart
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output format of the map.
public enum OutputFormat: String, CaseIterable, Hashable, Sendable {
    /// SVG with text, node ids and classes (for web pages) — the default.
    case svg
    /// PNG bitmap (cairo), for slides.
    case png
    /// PDF (cairo), for print.
    case pdf
    /// The graph as DOT text, before layout: what ``Graphviz`` lays out, for `dot` itself.
    case dot

    /// The extension of an output file of this format.
    public var fileExtension: String { rawValue }

    /// Whether the format needs a layout (everything but DOT).
    public var needsLayout: Bool { self != .dot }

    /// The format as Graphviz names it: the cairo renderer for bitmaps and PDF (pango
    /// measures and draws the text), the core renderer for SVG (text stays text).
    var graphvizName: String {
        switch self {
        case .svg: "svg"
        case .png: "png:cairo"
        case .pdf: "pdf:cairo"
        case .dot: "dot"
        }
    }

    /// The device plugin that must be registered to write the format.
    var device: String { rawValue }
}

/// What Graphviz produced: the bytes, and the warnings it printed on the way.
public struct GraphvizOutput: Sendable {
    /// The file's bytes, as they are to be written.
    public var bytes: [UInt8]
    /// Graphviz's own warnings (a font it substituted, a bitmap it scaled down …).
    public var warnings: [Diagnostic]
}

/// The process-wide lock under which every call into Graphviz runs
/// (`chainmap_graphviz_lock`): ChainMapKit's, and the warm-up's helper thread's in C.
struct GraphvizLock: Sendable {
    func withLock<Result, Failure: Error>(_ body: (inout Void) throws(Failure) -> Result) throws(Failure) -> Result {
        chainmap_graphviz_lock()
        defer { chainmap_graphviz_unlock() }
        var nothing: Void = ()
        return try body(&nothing)
    }
}

/// Graphviz, linked in-process: builds graphs with cgraph, lays them out with `dot` and
/// renders them with gvc. Never spawns the `dot` program.
///
/// One instance owns one `GVC_t` context (freed when the instance goes away). Every call
/// into Graphviz, from every instance, runs under one process-wide lock: cgraph is not
/// thread-safe and keeps global state (its error handler and level, the error count).
/// Graphviz's messages are captured with `agseterrf` while the lock is held and come
/// back as ``Diagnostic``s: errors are thrown as ``DiagnosticError``, warnings returned
/// with the output.
public final class Graphviz: @unchecked Sendable {
    // @unchecked: `context` is only touched while `Graphviz.lock` is held.

    /// Serialises every call into Graphviz, across all instances and the warm-up's
    /// helper thread (Sources/CGraphvizStart).
    static let lock = GraphvizLock()
    /// The pieces of text Graphviz delivered to the error function since the last
    /// `beginCapture()`, joined. Written by the C callback, which runs with `lock` held.
    private static let captured = Mutex<[UInt8]>([])

    /// The layout engine used for every map.
    public static let layoutEngine = "dot"

    /// How a graph is laid out.
    public enum Layout: Hashable, Sendable {
        /// By `dot`, in ranks: the chain map.
        case ranked
        /// Not at all: every node at its `pos` (points), edges as given — `nop2`, from
        /// the neato plugin. For drawings whose geometry is computed (a chart).
        case pinned

        /// The layout engine's name.
        public var engine: String {
            switch self {
            case .ranked: Graphviz.layoutEngine
            case .pinned: "nop2"
            }
        }
    }

    private(set) var context: OpaquePointer
    /// Graphviz's version, e.g. `2.43.0`.
    public let version: String
    /// What Graphviz has registered, read once when the context was made.
    public let plugins: Plugins
    /// What Graphviz reported while loading its plugins (a library it could not load),
    /// as warnings.
    public let startupWarnings: [Diagnostic]
    /// Whether the text layout plugin (pango) that Graphviz's configuration names could
    /// be loaded. When its library or one it needs is missing, Graphviz warns (in
    /// ``startupWarnings``) and measures text by an estimate made for Latin letters.
    public let textLayoutLoaded: Bool
    /// Whether the context is the one the `chainmap` executable made before `main`
    /// (Sources/CGraphvizStart), taken by this instance, the first one made.
    let tookEarlyStart: Bool

    /// The plugins a Graphviz context has registered (from its `config6` file).
    public struct Plugins: Hashable, Sendable {
        /// Layout engines (`dot`, `neato` …).
        public var layouts: Set<String>
        /// Output devices (`svg`, `png`, `pdf` …).
        public var devices: Set<String>
        /// Text layout plugins (`textlayout` when pango is present).
        public var textLayouts: Set<String>
    }

    /// Makes a Graphviz context and reads which plugins it has; the first one made in a
    /// `chainmap` run that draws maps takes the context made before `main` instead, with
    /// what Graphviz reported while making it.
    ///
    /// Throws when Graphviz cannot make a context at all. A missing plugin is not an
    /// error here; ask ``requirePlugins(for:)`` before rendering a format.
    public convenience init() throws(DiagnosticError) {
        try self.init(startingEarly: false)
    }

    /// ``init()``; with `startingEarly`, first makes the start that the executable makes
    /// before `main` (Sources/CGraphvizStart), in the same critical section as taking it:
    /// what a test does to follow that path while other tests draw.
    init(startingEarly: Bool) throws(DiagnosticError) {
        // A warm-up under way stops after its face (every face, with `.everyFace`) before
        // the start is taken; it takes the lock for each face.
        chainmap_graphviz_end_preparation()
        let made: (context: OpaquePointer?, messages: [Diagnostic], early: Bool) = Graphviz.lock.withLock { _ in
            Graphviz.installErrorFunction()
            if startingEarly { chainmap_graphviz_start() }
            if let started = Graphviz.takeEarlyStart() { return (started.context, started.messages, true) }
            Graphviz.beginCapture()
            let context = gvContext()
            return (context, Graphviz.endCapture(), false)
        }
        guard let context = made.context else {
            throw DiagnosticError([.error(.graphviz, "Graphviz could not start (gvContext failed); reinstall Graphviz (Debian/Ubuntu: libgvc6), then run `dot -c` as root")] + made.messages)
        }
        self.context = context
        tookEarlyStart = made.early
        // What Graphviz reported while making a context it made all the same: its errors
        // too (a plugin library that loads but is not a plugin), as warnings; whether the
        // plugins a format needs are there, `requirePlugins` says.
        startupWarnings = made.messages.map { message in
            var warning = message
            warning.severity = .warning
            return warning
        }
        (version, plugins, textLayoutLoaded) = Graphviz.lock.withLock { _ in
            let version = gvcVersion(context).map { String(cString: $0) } ?? "unknown"
            let plugins = Plugins(
                layouts: Graphviz.pluginList(context, kind: "layout"),
                devices: Graphviz.pluginList(context, kind: "device"),
                textLayouts: Graphviz.pluginList(context, kind: "textlayout"))
            // Asked again, a plugin that failed repeats its warning: already in
            // `startupWarnings`, so dropped.
            Graphviz.beginCapture()
            let loaded = chainmap_graphviz_text_layout_loaded(context) != 0
            _ = Graphviz.endCapture()
            return (version, plugins, loaded)
        }
    }

    deinit {
        Graphviz.lock.withLock { _ in
            _ = gvFreeContext(context)
        }
    }

    /// What fontconfig answered about each font family asked of it: every map asks about
    /// its font, and each answer lists every installed font twice (about 0.2 ms). Kept
    /// for the context's life, as pango keeps the fonts it has loaded.
    private let knownFamilies = Mutex<[String: (installed: Bool, chinese: Bool)]>([:])

    /// ``Fontconfig/family(_:)``, asked once per family. Runs with the lock held (it
    /// calls fontconfig, which Graphviz's pango plugin calls too).
    func fontFamily(_ family: String) -> (installed: Bool, chinese: Bool)? {
        if let known = knownFamilies.withLock({ $0[family] }) { return known }
        let found = Fontconfig.family(family)
        if let found { knownFamilies.withLock { $0[family] = found } }
        return found
    }

    /// Runs `body` with the process-wide Graphviz lock held, for other libraries that
    /// Graphviz's plugins share (fontconfig).
    func withLock<Result: Sendable>(_ body: () -> Result) -> Result {
        Graphviz.lock.withLock { _ in body() }
    }

    // MARK: Plugins

    /// Checks that Graphviz can write `format`: the `dot` layout engine, the pango text
    /// layout (without it Chinese labels are measured wrong and overflow their boxes) and
    /// the format's device. The diagnostic says what to do, typically "run `dot -c` as root".
    public func requirePlugins(for format: OutputFormat, layout: Layout = .ranked) throws(DiagnosticError) {
        guard format.needsLayout else { return }
        let fix = "install Graphviz with its plugins (Debian/Ubuntu: graphviz libgvc6), then run `dot -c` as root"
        if plugins.layouts.isEmpty && plugins.devices.isEmpty {
            throw DiagnosticError(.error(.graphviz, "Graphviz plugins are not configured (no layout engine or output format is registered): run `dot -c` as root to register them"))
        }
        var problems: [Diagnostic] = []
        if !plugins.layouts.contains(layout.engine) {
            problems.append(.error(.graphviz, "Graphviz has no `\(layout.engine)` layout engine registered: \(fix)"))
        }
        if plugins.textLayouts.isEmpty {
            problems.append(.error(.graphviz, "Graphviz has no text layout plugin (pango), so Chinese labels would not fit their boxes: \(fix)"))
        } else if !textLayoutLoaded {
            problems.append(.error(.graphviz, "Graphviz could not load its text layout plugin (pango; its warning says why), so Chinese labels would not fit their boxes: \(fix)"))
        }
        if !plugins.devices.contains(format.device) {
            problems.append(.error(.graphviz, "Graphviz cannot write \(format.rawValue.uppercased()): no '\(format.device)' output plugin is registered; \(fix)"))
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
    }

    // MARK: Rendering

    /// Lays out `graph` with `dot` and renders it in `format`; for ``OutputFormat/dot``,
    /// writes the graph as built, without layout.
    ///
    /// The output is deterministic: the same description gives the same bytes (the PDF's
    /// creation date, which cairo writes, is blanked).
    public func render(_ graph: GraphDescription, format: OutputFormat, layout: Layout = .ranked) throws(DiagnosticError) -> GraphvizOutput {
        if format == .dot { return try dot(graph) }
        var output = try render(graph, graphvizFormat: format.graphvizName, layout: layout)
        if format == .pdf { output.bytes = ReproducibleOutput.pdf(output.bytes) }
        return output
    }

    /// Lays out `graph` with `dot` and renders it with any Graphviz format name
    /// (`svg`, `png:cairo`, `json` …). An unknown format is a thrown diagnostic.
    public func render(_ graph: GraphDescription, graphvizFormat: String, layout: Layout = .ranked) throws(DiagnosticError) -> GraphvizOutput {
        try Graphviz.lock.withLock { _ throws(DiagnosticError) -> GraphvizOutput in
            Graphviz.beginCapture()
            let g = try Graphviz.build(graph)
            defer { agclose(g) }
            return try layOutAndRender(g, format: graphvizFormat, engine: layout.engine) { g in
                Graphviz.alignTops(of: graph.alignedTops, in: g)
                if let limit = graph.maxPixels { Graphviz.limitPixels(to: limit, in: g) }
            }
        }
    }

    /// Lays out and renders a graph given as DOT text (read with `agread`); with
    /// ``OutputFormat/dot``, writes it back as cgraph reads it.
    public func render(dot text: String, format: OutputFormat) throws(DiagnosticError) -> GraphvizOutput {
        try Graphviz.lock.withLock { _ throws(DiagnosticError) -> GraphvizOutput in
            Graphviz.beginCapture()
            guard let g = Graphviz.read(text) else {
                throw DiagnosticError(Graphviz.failure("could not read the DOT text", messages: Graphviz.endCapture()))
            }
            defer { agclose(g) }
            if format == .dot {
                return try Graphviz.write(g)
            }
            var output = try layOutAndRender(g, format: format.graphvizName)
            if format == .pdf { output.bytes = ReproducibleOutput.pdf(output.bytes) }
            return output
        }
    }

    /// The graph as DOT text, as built (no layout), written by `agwrite`.
    public func dot(_ graph: GraphDescription) throws(DiagnosticError) -> GraphvizOutput {
        try Graphviz.lock.withLock { _ throws(DiagnosticError) -> GraphvizOutput in
            Graphviz.beginCapture()
            let g = try Graphviz.build(graph)
            defer { agclose(g) }
            return try Graphviz.write(g)
        }
    }

    /// Lays out and renders a built graph; always frees the layout and the rendered data.
    /// Runs with the lock held.
    private func layOutAndRender(
        _ g: UnsafeMutablePointer<Agraph_t>, format: String, engine: String = Graphviz.layoutEngine,
        adjust: (UnsafeMutablePointer<Agraph_t>) -> Void = { _ in }
    ) throws(DiagnosticError) -> GraphvizOutput {
        let laidOut = gvLayout(context, g, engine)
        defer { if laidOut == 0 { _ = gvFreeLayout(context, g) } }
        var messages = Graphviz.endCapture()
        if laidOut != 0 || messages.contains(where: \.isError) {
            throw DiagnosticError(Graphviz.failure("could not lay out the graph", messages: messages))
        }
        adjust(g)

        Graphviz.beginCapture()
        var data: UnsafeMutablePointer<CChar>?
        #if GRAPHVIZ_13
        var length = 0              // Graphviz ≥ 13.0: size_t *length
        #else
        var length: UInt32 = 0      // Graphviz < 13.0: unsigned int *length
        #endif
        let rendered = gvRenderData(context, g, format, &data, &length)
        defer { if let data { gvFreeRenderData(data) } }
        messages += Graphviz.endCapture()
        if rendered != 0 || messages.contains(where: \.isError) {
            if rendered != 0 { renewContext() }
            throw DiagnosticError(Graphviz.failure("could not render the graph as '\(format)'", messages: messages))
        }
        guard let data else {
            throw DiagnosticError(Graphviz.failure("rendering as '\(format)' gave no output", messages: messages))
        }
        let bytes = data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        return GraphvizOutput(bytes: bytes, warnings: messages)
    }

    /// Replaces the context after a failed `gvRenderData`. Since Graphviz 3.0, a format it
    /// does not recognise makes `gvRenderData` return at once, leaving the job it queued on
    /// the context, which still points at the format string it was given (freed when the
    /// call returns): the next render on the context would run that job first and fail
    /// ("renderer for … is unavailable", read from freed memory). `gvFreeContext` deletes
    /// queued jobs without reading them. Runs with the lock held.
    private func renewContext() {
        guard let fresh = gvContext() else { return }
        _ = gvFreeContext(context)
        context = fresh
    }

    // MARK: After the layout

    /// Lines up the tops of the named clusters of a laid-out graph (see
    /// ``GraphDescription/alignedTops``). Runs with the lock held.
    ///
    /// - Clusters whose horizontal extents overlap form a column; the top cluster of every
    ///   column is raised to the highest top of all, and its label with it — but never
    ///   into another cluster of the graph (a lane above it): it stops 8 pt below.
    /// - Nodes stay where the layout put them, and so do the edges, except those that
    ///   passed over a raised cluster without ending in it: their stretch over it is
    ///   lifted to pass at least 10 pt above its new top, ramped over the gaps on either
    ///   side, so that they still pass over it instead of through it.
    /// - The graph's box and title grow by what now stands higher than anything did.
    private static func alignTops(of names: [String], in root: UnsafeMutablePointer<Agraph_t>) {
        let clusters = names.compactMap { name in
            withMutableCString(name) { agsubg(root, $0, 0) }
        }
        guard clusters.count > 1 else { return }
        let rootInfo = GraphInfo(root)
        let others = rootInfo.clusters.filter { other in !clusters.contains(other) }.map { GraphInfo($0).box }
        // Columns, left to right: each keeps its top cluster.
        var columns: [(left: Double, right: Double, top: UnsafeMutablePointer<Agraph_t>)] = []
        for cluster in clusters.sorted(by: { GraphInfo($0).box.LL.x < GraphInfo($1).box.LL.x }) {
            let box = GraphInfo(cluster).box
            if let last = columns.indices.last, box.LL.x < columns[last].right {
                columns[last].right = max(columns[last].right, box.UR.x)
                if box.UR.y > GraphInfo(columns[last].top).box.UR.y { columns[last].top = cluster }
            } else {
                columns.append((box.LL.x, box.UR.x, cluster))
            }
        }
        guard columns.count > 1 else { return }
        let contentTop = ([rootInfo.contentTop] + columns.map { GraphInfo($0.top).box.UR.y }).max()!
        let highest = columns.map { GraphInfo($0.top).box.UR.y }.max()!
        var edgeTop = -Double.infinity

        for (index, column) in columns.enumerated() {
            let info = GraphInfo(column.top)
            let box = info.box
            // Not into a cluster above it.
            let ceiling = others.filter { $0.LL.x < box.UR.x && box.LL.x < $0.UR.x && $0.LL.y >= box.UR.y }
                .map { $0.LL.y - 8 }.min() ?? .infinity
            let rise = min(highest, ceiling) - box.UR.y
            guard rise > 0.5 else { continue }
            // The ramps: across the gaps to the neighbouring columns.
            let leftRamp = index > 0 ? box.LL.x - columns[index - 1].right : 0
            let rightRamp = index + 1 < columns.count ? columns[index + 1].left - box.UR.x : 0
            // Full height a little beyond the box (a third of the gap, at most 6 pt), so that
            // a curve coming down beside the box does not cut its corner.
            let leftFull = box.LL.x - min(6, leftRamp / 3), rightFull = box.UR.x + min(6, rightRamp / 3)
            let leftEnd = box.LL.x - leftRamp, rightEnd = box.UR.x + rightRamp
            func ramp(_ x: Double) -> Double {
                if x >= leftFull && x <= rightFull { return 1 }
                if x < leftFull { return x > leftEnd ? (x - leftEnd) / (leftFull - leftEnd) : 0 }
                return x < rightEnd ? (rightEnd - x) / (rightEnd - rightFull) : 0
            }
            var node = agfstnode(root)
            while let tail = node {
                var edge = agfstout(root, tail)
                while let current = edge {
                    let ends = agsubnode(column.top, tail, 0) != nil || agsubnode(column.top, current.pointee.node, 0) != nil
                    if !ends && !Graphviz.isInvisible(current) { edgeTop = max(edgeTop, EdgeInfo(current).lift(over: box, rise: rise, ramp: ramp)) }
                    edge = agnxtout(root, current)
                }
                node = agnxtnode(root, tail)
            }
            info.raise(by: rise)
        }
        let grown = ([edgeTop] + columns.map { GraphInfo($0.top).box.UR.y }).max()! - contentTop
        if grown > 0 { rootInfo.raise(by: grown) }
    }

    /// Whether an edge is drawn at all (`style=invis`: the spine that orders the ranks).
    private static func isInvisible(_ edge: UnsafeMutablePointer<Agedge_t>) -> Bool {
        guard let style = withMutableCString("style", { agget(UnsafeMutableRawPointer(edge), $0) }) else { return false }
        return String(cString: style).contains("invis")
    }

    /// Scales a laid-out graph's drawing down (`GD_drawing->size`, in points, as the `size`
    /// attribute sets it) so that a bitmap of it at its resolution (`dpi`, 96 when unset)
    /// has at most `limit` pixels, its padding (at most half an inch a side) included.
    /// Runs with the lock held.
    private static func limitPixels(to limit: Double, in root: UnsafeMutablePointer<Agraph_t>) {
        let info = GraphInfo(root)
        guard let drawing = info.info.pointee.drawing else { return }
        let box = info.box
        let (width, height) = (box.UR.x - box.LL.x + 72, box.UR.y - box.LL.y + 72)
        let dpi = drawing.pointee.dpi > 0 ? drawing.pointee.dpi : 96
        let pixels = width * height * (dpi / 72) * (dpi / 72)
        guard pixels > limit, width > 0, height > 0 else { return }
        let scale = (limit / pixels).squareRoot()
        drawing.pointee.size = pointf(x: (box.UR.x - box.LL.x) * scale, y: (box.UR.y - box.LL.y) * scale)
    }

    /// The layout record of a (sub)graph: `GD_bb`, `GD_label`, `GD_clust` of `types.h`.
    private struct GraphInfo {
        let info: UnsafeMutablePointer<Agraphinfo_t>

        init(_ graph: UnsafeMutablePointer<Agraph_t>) {
            info = UnsafeMutableRawPointer(graph.pointee.base.data).assumingMemoryBound(to: Agraphinfo_t.self)
        }

        var box: boxf { info.pointee.bb }

        /// The clusters directly inside (`GD_clust[1 ... GD_n_cluster]`).
        var clusters: [UnsafeMutablePointer<Agraph_t>] {
            let count = Int(info.pointee.n_cluster)
            guard count > 0, let list = info.pointee.clust else { return [] }
            return (1...count).compactMap { list[$0] }
        }

        /// The top of what the graph draws besides its label: its box, less the label's
        /// height when the label is at the top.
        var contentTop: Double {
            guard let label = info.pointee.label else { return box.UR.y }
            return min(box.UR.y, label.pointee.pos.y - label.pointee.dimen.y / 2)
        }

        /// Moves the top edge and the label up by `rise`.
        func raise(by rise: Double) {
            info.pointee.bb.UR.y += rise
            if let label = info.pointee.label { label.pointee.pos.y += rise }
        }
    }

    /// The layout record of an edge: its splines, `ED_spl` of `types.h`.
    private struct EdgeInfo {
        let info: UnsafeMutablePointer<Agedgeinfo_t>

        init(_ edge: UnsafeMutablePointer<Agedge_t>) {
            info = UnsafeMutableRawPointer(edge.pointee.base.data).assumingMemoryBound(to: Agedgeinfo_t.self)
        }

        /// Lifts the edge where it passes over `box` (some point of its curve above the
        /// box's top, horizontally within it) so that it passes at least 10 pt above the box
        /// once the box's top rises by `rise`; an edge that high already is left alone.
        /// Returns the edge's highest point when it was
        /// lifted, else -∞.
        ///
        /// The curve is sampled (32 points a segment) and every sample lifted by
        /// `rise × ramp(x)` (1 over the box, falling to 0 across the gaps beside it), less
        /// by as much as it stands higher than the curve's lowest point over the box, so
        /// that the edge flattens over the box; then a smooth curve (Catmull–Rom, as cubic
        /// Béziers) is drawn through the samples. Its ends do not move: they are in other
        /// clusters, where the ramp is 0.
        func lift(over box: boxf, rise: Double, ramp: (Double) -> Double) -> Double {
            guard let splines = info.pointee.spl, let beziers = splines.pointee.list else { return -.infinity }
            let count = Int(splines.pointee.size)
            var samples: [[pointf]] = []
            var lowest = Double.infinity
            var passes = false
            for b in 0..<count {
                guard let points = beziers[b].list, beziers[b].size >= 4 else { samples.append([]); continue }
                var curve: [pointf] = [points[0]]
                var start = 0
                while start + 3 < Int(beziers[b].size) {
                    let p0 = points[start], p1 = points[start + 1], p2 = points[start + 2], p3 = points[start + 3]
                    for step in 1...32 {
                        let t = Double(step) / 32, u = 1 - t
                        let k0 = u * u * u, k1 = 3 * u * u * t, k2 = 3 * u * t * t, k3 = t * t * t
                        curve.append(pointf(x: k0 * p0.x + k1 * p1.x + k2 * p2.x + k3 * p3.x,
                                            y: k0 * p0.y + k1 * p1.y + k2 * p2.y + k3 * p3.y))
                    }
                    start += 3
                }
                // Over the box: everything above or beside its top. An edge that passes
                // over it has no point below, but it may cut a rounded corner.
                for point in curve where point.x > box.LL.x - 2 && point.x < box.UR.x + 2 {
                    lowest = min(lowest, point.y)
                    passes = passes || point.y > box.UR.y - 1
                }
                samples.append(curve)
            }
            guard passes else { return -.infinity }
            let amount = box.UR.y + rise + 10 - lowest
            guard amount > 0 else { return -.infinity }

            var top = -Double.infinity
            for b in 0..<count where samples[b].count >= 2 {
                let q = samples[b].map { point in
                    pointf(x: point.x, y: point.y + max(0, amount * ramp(point.x) - max(0, point.y - lowest)))
                }
                top = max(top, q.map(\.y).max()!)
                // Catmull–Rom through q, as Béziers: 3 (n - 1) + 1 points. Freed by
                // Graphviz (`free`) with the layout, so made with `malloc`.
                let size = 3 * (q.count - 1) + 1
                guard let raw = malloc(MemoryLayout<pointf>.stride * size) else { continue }
                let list = raw.bindMemory(to: pointf.self, capacity: size)
                list[0] = q[0]
                for i in 0..<(q.count - 1) {
                    let before = q[max(0, i - 1)], after = q[min(q.count - 1, i + 2)]
                    list[3 * i + 1] = pointf(x: q[i].x + (q[i + 1].x - before.x) / 6, y: q[i].y + (q[i + 1].y - before.y) / 6)
                    list[3 * i + 2] = pointf(x: q[i + 1].x - (after.x - q[i].x) / 6, y: q[i + 1].y - (after.y - q[i].y) / 6)
                    list[3 * i + 3] = q[i + 1]
                }
                free(beziers[b].list)
                beziers[b].list = list
                beziers[b].size = .init(size)
            }
            splines.pointee.bb.UR.y = max(splines.pointee.bb.UR.y, top)
            return top
        }
    }

    // MARK: Building graphs with cgraph

    /// Creates the cgraph graph of a description: the root with its attributes and
    /// defaults, the subgraphs with their nodes (each node created at its first
    /// appearance), the remaining nodes, then the edges. Runs with the lock held.
    private static func build(_ graph: GraphDescription) throws(DiagnosticError) -> UnsafeMutablePointer<Agraph_t> {
        var descriptor = Agdesc_t()
        descriptor.directed = 1
        descriptor.strict = 0
        descriptor.no_loop = 0
        descriptor.maingraph = 1
        guard let root = withMutableCString(graph.name, { agopen($0, descriptor, CGraphIdentifiers.discipline) }) else {
            throw DiagnosticError(failure("could not create the graph", messages: endCapture()))
        }
        var builder = CGraphBuilder(root: root, description: graph)
        builder.build()
        let messages = endCapture()
        if messages.contains(where: \.isError) {
            agclose(root)
            throw DiagnosticError(failure("could not build the graph", messages: messages))
        }
        return root
    }

    /// Reads DOT text with `agread`, with the creation-order IDs. Runs with the lock held.
    private static func read(_ text: String) -> UnsafeMutablePointer<Agraph_t>? {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        return bytes.withUnsafeMutableBytes { buffer -> UnsafeMutablePointer<Agraph_t>? in
            guard let stream = fmemopen(buffer.baseAddress, buffer.count, "r") else { return nil }
            defer { fclose(stream) }
            return agread(UnsafeMutableRawPointer(stream), CGraphIdentifiers.discipline)
        }
    }

    /// Writes a graph as DOT text with `agwrite`, into memory. Runs with the lock held.
    private static func write(_ g: UnsafeMutablePointer<Agraph_t>) throws(DiagnosticError) -> GraphvizOutput {
        var buffer: UnsafeMutablePointer<CChar>?
        var size = 0
        guard let stream = open_memstream(&buffer, &size) else {
            throw DiagnosticError(.error(.graphviz, "cannot write DOT text: out of memory"))
        }
        let written = agwrite(g, UnsafeMutableRawPointer(stream))
        fclose(stream)
        defer { free(buffer) }
        let messages = endCapture()
        guard written == 0, let buffer, !messages.contains(where: \.isError) else {
            throw DiagnosticError(failure("could not write the graph as DOT", messages: messages))
        }
        let bytes = buffer.withMemoryRebound(to: UInt8.self, capacity: size) {
            Array(UnsafeBufferPointer(start: $0, count: size))
        }
        return GraphvizOutput(bytes: bytes, warnings: messages)
    }

    // MARK: Messages

    /// Routes every Graphviz message, warnings included, to `captured`.
    private static func installErrorFunction() {
        _ = agseterr(AGWARN)
        _ = agseterrf { piece in
            guard let piece else { return 0 }
            let count = strlen(piece)
            piece.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                let text = UnsafeBufferPointer(start: bytes, count: count)
                Graphviz.captured.withLock { $0.append(contentsOf: text) }
            }
            return 0
        }
    }

    /// The context made before `main` and what Graphviz reported while making it, when
    /// one is waiting (taken: nil after). Runs with the lock held.
    private static func takeEarlyStart() -> (context: OpaquePointer?, messages: [Diagnostic])? {
        var context: OpaquePointer?
        var text: UnsafeMutablePointer<CChar>?
        guard chainmap_graphviz_take_started(&context, &text) != 0 else { return nil }
        defer { free(text) }
        return (context, text.map { GraphvizMessages.parse(String(cString: $0)) } ?? [])
    }

    private static func beginCapture() {
        captured.withLock { $0.removeAll(keepingCapacity: true) }
        _ = agreseterrors()
    }

    /// The messages captured since `beginCapture()`, as diagnostics.
    private static func endCapture() -> [Diagnostic] {
        let bytes = captured.withLock { text in
            defer { text.removeAll(keepingCapacity: true) }
            return text
        }
        return GraphvizMessages.parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The diagnostics of a failure: Graphviz's own errors when it gave any, else `what`.
    private static func failure(_ what: String, messages: [Diagnostic]) -> [Diagnostic] {
        messages.contains(where: \.isError) ? messages : [.error(.graphviz, "Graphviz \(what)")] + messages
    }

    /// The names of the registered plugins of one kind (`layout`, `device`, `textlayout`).
    private static func pluginList(_ context: OpaquePointer, kind: String) -> Set<String> {
        var count: Int32 = 0
        #if GRAPHVIZ_9
        let list = gvPluginList(context, kind, &count)       // Graphviz ≥ 9.0: no 4th parameter
        #else
        let list = gvPluginList(context, kind, &count, nil)
        #endif
        guard let list else { return [] }
        defer { free(list) }
        var names: Set<String> = []
        for index in 0..<Int(count) {
            if let name = list[index] {
                names.insert(String(cString: name))
                free(name)
            }
        }
        return names
    }
}

/// Turns the text Graphviz delivers to its error function into diagnostics.
enum GraphvizMessages {
    /// Each message starts with `Error: ` or `Warning: `; continuation lines (Graphviz's
    /// `AGPREV`) belong to the message before them.
    static func parse(_ text: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let line = line.trimmingWhitespace()
            guard !line.isEmpty else { continue }
            if line.hasPrefix("Error: ") {
                diagnostics.append(.error(.graphviz, "Graphviz: " + line.dropFirst(7).trimmingWhitespace()))
            } else if line.hasPrefix("Warning: ") {
                diagnostics.append(.warning(.graphviz, "Graphviz: " + line.dropFirst(9).trimmingWhitespace()))
            } else if !diagnostics.isEmpty {
                diagnostics[diagnostics.count - 1].message += " " + line
            } else {
                diagnostics.append(.warning(.graphviz, "Graphviz: " + line))
            }
        }
        return diagnostics
    }
}

extension StringProtocol {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = Array(unicodeScalars)
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars[start...end])
        return result
    }
}

/// Calls `body` with a mutable C copy of `text` (cgraph takes `char *` for names and
/// values it only reads, or copies).
private func withMutableCString<Result>(_ text: String, _ body: (UnsafeMutablePointer<CChar>) -> Result) -> Result {
    var bytes = Array(text.utf8CString)
    return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
}

/// Turns a ``GraphDescription`` into cgraph objects under a root graph.
private struct CGraphBuilder {
    let root: UnsafeMutablePointer<Agraph_t>
    let description: GraphDescription
    let attributesByNode: [String: Attributes]
    var nodes: [String: UnsafeMutablePointer<Agnode_t>] = [:]
    var symbols: [Int32: [String: UnsafeMutablePointer<Agsym_t>]] = [:]

    init(root: UnsafeMutablePointer<Agraph_t>, description: GraphDescription) {
        self.root = root
        self.description = description
        var byNode: [String: Attributes] = [:]
        for node in description.nodes where byNode[node.name] == nil {
            byNode[node.name] = node.attributes
        }
        attributesByNode = byNode
    }

    mutating func build() {
        set(description.attributes, on: UnsafeMutableRawPointer(root), kind: Int32(AGRAPH))
        setDefaults(description.nodeDefaults, kind: Int32(AGNODE))
        setDefaults(description.edgeDefaults, kind: Int32(AGEDGE))
        for subgraph in description.subgraphs {
            add(subgraph, to: root)
        }
        for node in description.nodes {
            _ = self.node(node.name, in: root)
        }
        for edge in description.edges {
            let tail = node(edge.tail, in: root)
            let head = node(edge.head, in: root)
            if let created = agedge(root, tail, head, nil, 1) {
                set(edge.attributes, on: UnsafeMutableRawPointer(created), kind: Int32(AGEDGE))
            }
        }
    }

    private mutating func add(_ subgraph: GraphDescription.Subgraph, to parent: UnsafeMutablePointer<Agraph_t>) {
        guard let g = withMutableCString(subgraph.name, { agsubg(parent, $0, 1) }) else { return }
        set(subgraph.attributes, on: UnsafeMutableRawPointer(g), kind: Int32(AGRAPH))
        for name in subgraph.nodes {
            _ = node(name, in: g)
        }
        for child in subgraph.subgraphs {
            add(child, to: g)
        }
    }

    /// The node named `name`, created in `graph` (with its attributes) the first time,
    /// and added to `graph` after that.
    private mutating func node(_ name: String, in graph: UnsafeMutablePointer<Agraph_t>) -> UnsafeMutablePointer<Agnode_t>? {
        if let existing = nodes[name] {
            return graph == root ? existing : agsubnode(graph, existing, 1)
        }
        guard let created = withMutableCString(name, { agnode(graph, $0, 1) }) else { return nil }
        nodes[name] = created
        if let attributes = attributesByNode[name] {
            set(attributes, on: UnsafeMutableRawPointer(created), kind: Int32(AGNODE))
        }
        return created
    }

    /// Sets attributes of a graph, node or edge; an attribute first used here is
    /// declared in the root with an empty default (as `agsafeset` does).
    private mutating func set(_ attributes: Attributes, on object: UnsafeMutableRawPointer, kind: Int32) {
        for entry in attributes {
            guard let symbol = symbol(entry.name, kind: kind) else { continue }
            withValue(entry.value) { _ = agxset(object, symbol, $0) }
        }
    }

    /// The declaration of an attribute, looked up or made once per name and kind.
    private mutating func symbol(_ name: String, kind: Int32) -> UnsafeMutablePointer<Agsym_t>? {
        if let known = symbols[kind]?[name] { return known }
        let symbol = withMutableCString(name) { name in
            agattr(root, kind, name, nil) ?? withMutableCString("") { agattr(root, kind, name, $0) }
        }
        symbols[kind, default: [:]][name] = symbol
        return symbol
    }

    private func setDefaults(_ attributes: Attributes, kind: Int32) {
        for entry in attributes {
            withValue(entry.value) { value in
                withMutableCString(entry.name) { _ = agattr(root, kind, $0, value) }
            }
        }
    }

    /// Calls `body` with the C string of a value; an HTML value is first made an HTML
    /// string of the graph (`agstrdup_html`), which cgraph then shares instead of copying.
    private func withValue(_ value: AttributeValue, _ body: (UnsafeMutablePointer<CChar>) -> Void) {
        switch value {
        case .text(let text):
            withMutableCString(text, body)
        case .html(let html):
            withMutableCString(html) { copy in
                guard let shared = agstrdup_html(root, copy) else { return }
                body(shared)
                #if GRAPHVIZ_13
                _ = agstrfree(root, shared, true)   // Graphviz ≥ 13.0: is_html
                #else
                _ = agstrfree(root, shared)
                #endif
            }
        }
    }
}

/// Removing what makes Graphviz's output differ from run to run.
enum ReproducibleOutput {
    /// Blanks the `/CreationDate (…)` entry cairo writes into a PDF's information
    /// dictionary. It is replaced by spaces of the same length, so every byte offset of
    /// the cross-reference table stays valid.
    static func pdf(_ bytes: [UInt8]) -> [UInt8] {
        let key = Array("/CreationDate".utf8)
        var result = bytes
        var index = 0
        while let start = firstIndex(of: key, in: result, from: index) {
            guard let open = result[(start + key.count)...].prefix(8).firstIndex(of: UInt8(ascii: "(")),
                  let close = result[open...].prefix(64).firstIndex(of: UInt8(ascii: ")"))
            else { index = start + key.count; continue }
            for position in start...close { result[position] = UInt8(ascii: " ") }
            index = close + 1
        }
        return result
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count, start <= haystack.count - needle.count else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
