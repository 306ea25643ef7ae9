// Graphviz's context made before `main`, for a command that will draw maps, with
// fontconfig's configuration read and the maps' faces loaded beside it.
//
// Making a context loads Graphviz's plugins: the pango plugin alone brings about 40
// libraries, a tenth of a small `render`. Made on the main thread before the Swift
// runtime starts, it costs about what it costs `dot`; made on another thread beside
// the Swift start, every page-table change of either
// thread (the loader's relocations and `mprotect`s, the Swift runtime's first writes
// to its caches) has to be flushed from the other processor too, and on this project's
// machines each such flush is an interrupt that takes tens of microseconds
// (docs/performance.md, nineteenth pass).
//
// One helper thread (chainmap_graphviz_prepare) reads fontconfig's configuration
// meanwhile, which the first map's text waits for, then waits for the context and
// warms it up: it lays out one label in each face of a chain map
// (chainmap_map_face), loading what pango loads for a face the first time a label
// asks for it, about 1 ms each, until the run asks for the context
// (docs/performance.md, twenty-first and twenty-second passes). The first face is a
// small graph, laid out and rendered, which loads the layout and SVG plugins; the others
// are their words alone, laid out as a label's run of text is (libgvc's
// `gvtextlayout`), without a graph's parse and layout around them (forty-second pass).
// Nothing it does changes what is drawn: its labels are laid out and thrown away, as a
// report's maps are, one after another, on the same context.
//
// The context is handed, once, to the first `Graphviz` that ChainMapKit makes, which
// owns it from then on; one not taken is freed at exit, by a destructor that first
// joins the helper: the start is for the `chainmap` executable, whose constructor
// (Sources/CCommandStart) starts it and whose `main` always has it taken or ended
// before it ends, and for ChainMapKit's library users and tests
// (`Graphviz.prepare(_:)`). A program that merely links ChainMapKit never starts one.
#ifndef CHAINMAP_GRAPHVIZ_START_H
#define CHAINMAP_GRAPHVIZ_START_H

#include <graphviz/gvc.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A face a chain map sets its words in, as Graphviz reads it: a whole point size
/// (Graphviz reads `POINT-SIZE="12.5"` as 12) and a weight.
struct chainmap_face {
    int points;
    int bold;
};

/// The faces of a chain map, the most words first (ChainMapKit's `ChainMap.faces`; a
/// test compares them with the faces of the maps of `chains/`): how many, and each.
extern const int chainmap_map_face_count;
struct chainmap_face chainmap_map_face(int index);

/// The font list the maps name (`MapTheme.standard.fontList`; a test compares the two),
/// in which the warm-up lays out its labels.
const char *chainmap_map_font_list(void);

/// How much the helper thread of chainmap_graphviz_prepare does.
enum {
    /// fontconfig's configuration only: no label is laid out before the first map.
    CHAINMAP_WARM_UP_NONE = 0,
    /// fontconfig's configuration, then the faces until the run asks for the context
    /// (chainmap_graphviz_end_preparation); the first face always.
    CHAINMAP_WARM_UP_USUAL = 1,
    /// fontconfig's configuration, then every face, however long the run waits for them.
    CHAINMAP_WARM_UP_EVERY_FACE = 2,
};

/// `CHAINMAP_WARM_UP=none` or `=every-face` from the environment; unset or anything
/// else is CHAINMAP_WARM_UP_USUAL. For measuring the warm-up and testing that it
/// changes nothing drawn.
int chainmap_warm_up_from_environment(void);

/// The process-wide lock under which every call into Graphviz runs (cgraph is not
/// thread-safe), ChainMapKit's and the helper's; fontconfig's calls too, which
/// Graphviz's pango plugin shares. Not recursive.
void chainmap_graphviz_lock(void);
void chainmap_graphviz_unlock(void);

/// Makes a Graphviz context (`gvContext`) on the calling thread, keeping what Graphviz
/// reports meanwhile for chainmap_graphviz_take_started, and restoring its error
/// function and level after; then the helper, if one waits, warms it up. Nothing when a
/// start is already waiting. Call it while no other thread calls Graphviz: before
/// `main`, or with the Graphviz lock held.
void chainmap_graphviz_start(void);

/// Takes the waiting start, if any: returns 1 and sets `*context` (NULL when
/// `gvContext` failed) and `*messages` (what Graphviz reported, NUL-terminated, to be
/// freed with `free`; NULL when it reported nothing), and the start is no longer
/// waiting; returns 0 when none is waiting. Call it with the Graphviz lock held: the
/// helper then is between two labels, and lays out no more on a context taken.
int chainmap_graphviz_take_started(GVC_t **context, char **messages);

/// Starts the helper thread, then makes the context (chainmap_graphviz_start, with the
/// Graphviz lock held) on the calling thread; nothing when a start is under way
/// (chainmap_graphviz_preparing), once a helper being joined is joined. The helper reads
/// fontconfig's configuration (`FcInit`: its 36 files and font caches, about 4 ms, that
/// the first map's text waits for; `dot` reads it only once its layout measures the
/// first label) meanwhile, then, as `warm_up` says, waits for the context and lays out
/// the maps' faces on it, each with the Graphviz lock held. Never call it with the
/// Graphviz lock held.
void chainmap_graphviz_prepare(int warm_up);

/// Whether a start is under way: the helper runs, or a context waits to be taken.
int chainmap_graphviz_preparing(void);

/// Lays out every face of a chain map on `context`, on the calling thread, as the
/// helper does; with the Graphviz lock held. For tests.
void chainmap_graphviz_lay_out_faces(GVC_t *context);

/// Waits until the helper has read fontconfig's configuration, if one was started; any
/// thread. fontconfig is thread-safe: a call of `FcInit` meanwhile is correct, only
/// wasted.
void chainmap_fontconfig_wait(void);

/// Asks the helper to stop after the face under way (with CHAINMAP_WARM_UP_EVERY_FACE,
/// after the last) and waits for it, or for the thread already joining it; nothing when
/// none runs. Never call it with the Graphviz lock held: the helper may be waiting for
/// it.
void chainmap_graphviz_end_preparation(void);

/// How many faces the last helper has laid out (for tests).
int chainmap_graphviz_faces_laid_out(void);

/// Whether `context` has a text layout engine: whether the text layout plugin that
/// Graphviz's configuration names could be loaded when the context was made. A plugin
/// whose library, or one of the libraries it needs, is missing leaves Graphviz
/// measuring text by an estimate made for Latin letters, after a warning. Asks Graphviz
/// again (`gvtextlayout_select`, which libgvc exports but its public headers do not
/// declare; looked up with `dlsym`, and 1 when it is not found); a plugin that failed
/// warns again, so call it while capturing Graphviz's messages. With the Graphviz lock
/// held.
int chainmap_graphviz_text_layout_loaded(GVC_t *context);

#ifdef __cplusplus
}
#endif

#endif
