import CGraphvizStart

extension Graphviz {
    /// Starts Graphviz for a run that will draw maps, while the run parses its arguments
    /// and reads and analyses its chains; ``started()`` then takes it, waiting only for
    /// what is left.
    ///
    /// What starts here is what `dot` pays too, but sooner: the context with its plugins
    /// (made on the calling thread), and on a helper thread fontconfig's configuration
    /// and font cache, then pango's font map with the faces of a chain map
    /// (``ChainMap/faces``), loaded by laying out one small label each until the run
    /// takes the context. pango loads a face (a font set for a size and weight) the first
    /// time a label asks for it, about 1 ms each on this project's machines, and a chain
    /// map asks for eleven: more than half of a 21-link map's layout. Without this a
    /// 21-link `render` waits for all of it after reading the chain (docs/performance.md,
    /// seventeenth, nineteenth, twenty-first and twenty-second passes).
    ///
    /// The `chainmap` executable starts all of this before `main`, in C
    /// (Sources/CGraphvizStart), where it runs before the Swift runtime's start; then
    /// this does nothing. Nothing here changes what is drawn: the labels are laid out and
    /// thrown away as a report's maps are, one after another, on one context (a test
    /// draws the maps of `chains/` with every face loaded first and with none, in
    /// separate processes, since pango keeps its faces for the whole process). Their
    /// failures are not reported here: the maps drawn with the context report what is
    /// missing as they do without this.
    public static func prepare(_ warmUp: WarmUp = .usual) {
        chainmap_graphviz_prepare(warmUp.mode)
    }

    /// How much of Graphviz's start ``prepare(_:)`` does besides the context and
    /// fontconfig: the `chainmap` executable reads it from the environment variable
    /// `CHAINMAP_WARM_UP` (``fromEnvironment``), to measure the warm-up and to test that it
    /// changes nothing drawn.
    public enum WarmUp: Sendable, Equatable {
        /// The maps' faces until the run takes the context; the first always.
        case usual
        /// No label and no face is laid out before the first map.
        case none
        /// Every face of a chain map, before the run gets the context, however long the
        /// run waits for them.
        case everyFace

        /// `CHAINMAP_WARM_UP=none` or `=every-face`; unset or anything else is ``usual``.
        public static var fromEnvironment: WarmUp {
            switch Int(chainmap_warm_up_from_environment()) {
            case CHAINMAP_WARM_UP_NONE: .none
            case CHAINMAP_WARM_UP_EVERY_FACE: .everyFace
            default: .usual
            }
        }

        var mode: Int32 {
            switch self {
            case .usual: Int32(CHAINMAP_WARM_UP_USUAL)
            case .none: Int32(CHAINMAP_WARM_UP_NONE)
            case .everyFace: Int32(CHAINMAP_WARM_UP_EVERY_FACE)
            }
        }
    }

    /// A Graphviz context for the run: the one ``prepare(_:)`` started, once its warm-up
    /// has stopped (only the first caller gets it, and then owns it), else a new one. The
    /// same as ``init()``, which takes a prepared context too.
    public static func started() throws(DiagnosticError) -> Graphviz { try Graphviz() }

    /// Stops the warm-up of a start that no map took (a run that ended early) and waits
    /// for it: a process that exits while another thread is inside Graphviz or pango may
    /// crash in their exit handlers. The context itself is freed at exit. Nothing when no
    /// start is under way.
    public static func endPreparation() { chainmap_graphviz_end_preparation() }

    /// Lays out every face of a chain map on this context, as the warm-up does: for
    /// tests.
    func layOutFaces() {
        Graphviz.lock.withLock { _ in chainmap_graphviz_lay_out_faces(context) }
    }
}
