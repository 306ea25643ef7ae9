// Graphviz's context made before `main`, for a command that will draw maps, and
// fontconfig's configuration read beside it.
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
// fontconfig's configuration, which the first map's text waits for, is read meanwhile
// on a thread of its own: it parses XML and maps a few cache files, with few page-table
// changes of its own, but the context's loading beside it is then the two-thread case
// above. Measured, the context is made a little slower and a 21-link `render` ends
// about 0.6–1 ms sooner (twenty-first pass).
//
// The context is handed, once, to the first `Graphviz` that ChainMapKit makes, which
// owns it from then on; one not taken is freed at exit, by a destructor that takes no
// lock: the start is for the `chainmap` executable, whose constructor
// (Sources/CCommandStart) calls chainmap_graphviz_start and whose `main` always has it
// taken before it ends, and for ChainMapKit's tests, which start and take it in one
// critical section. A program that merely links ChainMapKit never starts one.
#ifndef CHAINMAP_GRAPHVIZ_START_H
#define CHAINMAP_GRAPHVIZ_START_H

#include <graphviz/gvc.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Makes a Graphviz context (`gvContext`), keeping what Graphviz reports meanwhile for
/// chainmap_graphviz_take_started, and restoring its error function and level after.
/// Nothing when a start is already waiting. Not thread-safe: call it while no other
/// thread calls Graphviz (before `main`, or under ChainMapKit's Graphviz lock).
void chainmap_graphviz_start(void);

/// Takes the waiting start, if any: returns 1 and sets `*context` (NULL when
/// `gvContext` failed) and `*messages` (what Graphviz reported, NUL-terminated, to be
/// freed with `free`; NULL when it reported nothing), and the start is no longer
/// waiting; returns 0 when none is waiting. Same thread rule as chainmap_graphviz_start.
int chainmap_graphviz_take_started(GVC_t **context, char **messages);

/// Starts reading fontconfig's configuration (`FcInit`: its 36 files and font caches,
/// about 4 ms, that the first map's text waits for) on a thread of its own, beside the
/// making of the context: `dot` reads it only once its layout measures the first label.
/// Nothing when a read is already under way. fontconfig is thread-safe: a call of
/// `FcInit` on another thread meanwhile, pango's among them, is correct, only wasted.
void chainmap_fontconfig_start(void);

/// Waits for the read chainmap_fontconfig_start began, if one is under way; any thread.
void chainmap_fontconfig_wait(void);

#ifdef __cplusplus
}
#endif

#endif
