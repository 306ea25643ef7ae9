import Synchronization

extension Graphviz {
    /// Starts Graphviz on another thread, for a run that will draw maps, while the main
    /// thread parses the arguments and reads and analyses the chains; ``started()`` then
    /// takes it, waiting only for what is left.
    ///
    /// What starts here is what `dot` pays too, but later and on the main thread: the
    /// context with its plugins (the pango text layout is loaded with it; in the
    /// `chainmap` executable the context was made before `main`, and is taken here),
    /// fontconfig's configuration and font cache (``fontDiagnostics(for:format:)`` of the
    /// default font; the executable began reading the configuration before `main`), and
    /// pango's font map with the faces of a chain map, loaded by measuring labels of small
    /// graphs until the run takes the context. Without it a 21-link `render` waits for all three after
    /// reading the chain: about a fifth of the run (docs/performance.md, seventeenth and
    /// nineteenth passes).
    ///
    /// Nothing here changes what is drawn: the small graph is laid out and thrown away as
    /// a report's maps are, one after another, on one context. Its failures are not
    /// reported here: ``started()`` gives the context, and the maps drawn with it
    /// report what is missing as they do without this.
    public static func prepare() { start.begin() }

    /// A Graphviz context for the run: the one ``prepare()`` started (waited for; only the
    /// first caller gets it, and then owns it), else a new one.
    public static func started() throws(DiagnosticError) -> Graphviz { try start.take() }

    /// Waits for a start that no map took (a run that ended early) and frees its context:
    /// a process that exits while another thread is inside Graphviz or pango may crash in
    /// their exit handlers. Nothing when no start is pending.
    public static func endPreparation() { start.end() }

    /// The process's start (``prepare()``, ``started()``).
    static let start = Start()

    /// A start of Graphviz on another thread, taken once.
    final class Start: Sendable {
        private let pending = Mutex<Parallel.Pending<Result<Graphviz, DiagnosticError>>?>(nil)
        /// Whether the run has asked for the context: the warm-up then loads no more faces.
        private let wanted = Atomic<Bool>(false)

        /// Starts a context on another thread, and warms it up, unless one is pending.
        func begin() {
            pending.withLock { pending in
                guard pending == nil else { return }
                wanted.store(false, ordering: .relaxed)
                pending = Parallel.Pending {
                    Result { () throws(DiagnosticError) -> Graphviz in
                        let graphviz = try Graphviz()
                        graphviz.warmUp(until: { self.wanted.load(ordering: .relaxed) })
                        return graphviz
                    }
                }
            }
        }

        /// Whether a start is pending, not yet taken.
        var isPending: Bool { pending.withLock { $0 != nil } }

        /// Waits for the pending start, if any, and lets its context go.
        func end() {
            _ = takePending()?.take()
        }

        /// The pending context (waited for), or a new one when none is pending.
        func take() throws(DiagnosticError) -> Graphviz {
            guard let taken = takePending() else { return try Graphviz() }
            return try taken.take().get()
        }

        /// The pending start, no longer pending.
        private func takePending() -> Parallel.Pending<Result<Graphviz, DiagnosticError>>? {
            wanted.store(true, ordering: .relaxed)
            return pending.withLock { pending in
                defer { pending = nil }
                return pending
            }
        }
    }

    /// Loads what the first map would load: fontconfig (with the check of the default
    /// font) and pango's font map and face, by laying out one label in the maps' font;
    /// then, until `wanted` says the run has asked for the context, the faces a chain map
    /// sets its words in (``ChainMap/faces``), one small graph each.
    ///
    /// pango loads a face (a font set for a size and weight) the first time a label asks
    /// for it, about 1 ms each on this project's machines, and a chain map's layout
    /// asks for thirteen: more than half of a 21-link map's layout. Loaded here while the
    /// main thread still reads the chain, they are not loaded again by the map's layout;
    /// the run waits at most for the face under way (docs/performance.md, twenty-first
    /// pass).
    func warmUp(until wanted: () -> Bool) {
        let format = OutputFormat.svg
        guard (try? requirePlugins(for: format)) != nil,
              !fontDiagnostics(for: MapTheme.defaultFont, format: format).contains(where: \.isError)
        else { return }
        let label: Attributes = ["label": "产业链招商地图", "fontname": .text(MapTheme.standard.fontList), "fontsize": "11"]
        _ = try? render(GraphDescription(name: "warm-up", nodes: [.init("link", label)]), format: format)
        for face in ChainMap.faces {
            if wanted() { return }
            let words = face.bold ? "<B>产业链招商地图</B>" : "产业链招商地图"
            let label: Attributes = [
                "label": .html("<FONT POINT-SIZE=\"\(face.size)\">\(words)</FONT>"), "shape": "plain",
                "fontname": .text(MapTheme.standard.fontList),
            ]
            _ = try? render(GraphDescription(name: "warm-up", nodes: [.init("link", label)]), format: format)
        }
    }
}
