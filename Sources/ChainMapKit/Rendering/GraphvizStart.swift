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
    /// Nothing here changes what is drawn: the small graphs are laid out and thrown away as
    /// a report's maps are, one after another, on one context (a test draws the maps of
    /// `chains/` with every face loaded first and with none, in separate processes,
    /// since pango keeps its faces for the whole process). Its failures are not
    /// reported here: ``started()`` gives the context, and the maps drawn with it
    /// report what is missing as they do without this.
    public static func prepare(_ warmUp: WarmUp = .usual) {
        guard warmUp != .none else { return }
        start.begin(everyFace: warmUp == .everyFace)
    }

    /// How much of Graphviz's start ``prepare(_:)`` does: the `chainmap` executable reads
    /// it from the environment variable `CHAINMAP_WARM_UP` (``init(environment:)``), to
    /// measure the warm-up and to test that it changes nothing drawn.
    public enum WarmUp: Sendable, Equatable {
        /// The context, fontconfig, the maps' font and faces until the run takes the context.
        case usual
        /// No warm-up thread: no label and no face is laid out before the first map (in the
        /// `chainmap` executable the context and fontconfig were still started before
        /// `main`; the first map takes them).
        case none
        /// As usual, but every face of a chain map is loaded before the run gets the
        /// context, however long the run waits for them.
        case everyFace

        /// `CHAINMAP_WARM_UP=none` or `=every-face`; unset or anything else is ``usual``.
        public init(environment value: String?) {
            switch value {
            case "none": self = .none
            case "every-face": self = .everyFace
            default: self = .usual
            }
        }
    }

    /// A Graphviz context for the run: the one ``prepare(_:)`` started (waited for; only the
    /// first caller gets it, and then owns it), else a new one.
    public static func started() throws(DiagnosticError) -> Graphviz { try start.take() }

    /// Waits for a start that no map took (a run that ended early) and frees its context:
    /// a process that exits while another thread is inside Graphviz or pango may crash in
    /// their exit handlers. Nothing when no start is pending.
    public static func endPreparation() { start.end() }

    /// The process's start (``prepare(_:)``, ``started()``).
    static let start = Start()

    /// A start of Graphviz on another thread, taken once.
    final class Start: Sendable {
        private let pending = Mutex<(start: Parallel.Pending<Result<Graphviz, DiagnosticError>>, wanted: Wanted)?>(nil)

        /// Whether the run has asked for a start's context: its warm-up then loads no more
        /// faces. One for each start, so that a new start never resets an old one's.
        final class Wanted: Sendable {
            let asked = Atomic<Bool>(false)
        }

        /// Starts a context on another thread, and warms it up, unless one is pending;
        /// with `everyFace`, the warm-up loads every face of a chain map even once the run
        /// has asked for the context (``Graphviz/WarmUp/everyFace``).
        func begin(everyFace: Bool = false) {
            pending.withLock { pending in
                guard pending == nil else { return }
                let wanted = Wanted()
                let start = Parallel.Pending {
                    Result { () throws(DiagnosticError) -> Graphviz in
                        let graphviz = try Graphviz()
                        graphviz.warmUp(until: { !everyFace && wanted.asked.load(ordering: .relaxed) })
                        return graphviz
                    }
                }
                pending = (start, wanted)
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

        /// The pending start, no longer pending, its warm-up told to stop loading faces.
        private func takePending() -> Parallel.Pending<Result<Graphviz, DiagnosticError>>? {
            pending.withLock { pending in
                defer { pending = nil }
                pending?.wanted.asked.store(true, ordering: .relaxed)
                return pending?.start
            }
        }
    }

    /// Loads what the first map would load: fontconfig (with the check of the default
    /// font), pango's font map and the first face a chain map sets its words in
    /// (``ChainMap/faces``), by laying out one label in the maps' font; then, until
    /// `wanted` says the run has asked for the context, the other faces, one small graph
    /// each.
    ///
    /// pango loads a face (a font set for a size and weight) the first time a label asks
    /// for it, about 0.85 ms each on this project's machines, and a chain map's layout
    /// asks for eleven: more than half of a 21-link map's layout. Loaded here while the
    /// main thread still reads the chain, they are not loaded again by the map's layout.
    /// A run that takes the context once the faces have begun waits at most for the face
    /// under way; one that takes it early (`render` with lead files, before reading
    /// them) waits for the first (docs/performance.md, twenty-first pass).
    func warmUp(until wanted: () -> Bool) {
        let format = OutputFormat.svg
        guard (try? requirePlugins(for: format)) != nil,
              !fontDiagnostics(for: MapTheme.defaultFont, format: format).contains(where: \.isError)
        else { return }
        for (index, face) in ChainMap.faces.enumerated() {
            if index > 0, wanted() { return }
            let words = face.bold ? "<B>产业链招商地图</B>" : "产业链招商地图"
            let label: Attributes = [
                "label": .html("<FONT POINT-SIZE=\"\(face.points)\">\(words)</FONT>"), "shape": "plain",
                "fontname": .text(MapTheme.standard.fontList),
            ]
            _ = try? render(GraphDescription(name: "warm-up", nodes: [.init("link", label)]), format: format)
        }
    }
}
