// See include/graphviz_start.h.
#include "graphviz_start.h"

#include <dlfcn.h>
#include <fontconfig/fontconfig.h>
#include <graphviz/textspan.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "thread_start.h"

static const struct chainmap_face faces[] = {
    {12, 1}, {10, 0}, {9, 0}, {12, 0}, {13, 0}, {11, 0}, {15, 1}, {24, 1}, {11, 1}, {15, 0}, {10, 1},
};
const int chainmap_map_face_count = sizeof faces / sizeof faces[0];

struct chainmap_face chainmap_map_face(int index) { return faces[index]; }

static const char font_list[] = "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif";

const char *chainmap_map_font_list(void) { return font_list; }

/// The process-wide Graphviz lock (chainmap_graphviz_lock).
static pthread_mutex_t graphviz_lock = PTHREAD_MUTEX_INITIALIZER;

void chainmap_graphviz_lock(void) { pthread_mutex_lock(&graphviz_lock); }

void chainmap_graphviz_unlock(void) { pthread_mutex_unlock(&graphviz_lock); }

/// The context waiting to be taken: whether there is one, the context, and what Graphviz
/// reported while making it; and whether fontconfig's configuration is being read, and
/// is read. `state_lock` guards them, `state_changed` signals each change.
static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t state_changed = PTHREAD_COND_INITIALIZER;
static int waiting;
static GVC_t *started_context;
static char *reported;
static size_t reported_length;
static int fontconfig_reading;
static int fontconfig_read;
/// The helper thread (chainmap_graphviz_prepare): whether it runs (not yet joined),
/// whether a thread is joining it, and its handle, guarded by `helper_lock` (never held
/// while joining: the helper waits for the Graphviz lock, which a caller may hold while
/// it asks chainmap_graphviz_preparing); `helper_joined` signals the end of a join;
/// whether the run has asked it to stop; how many faces it has laid out.
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_joined = PTHREAD_COND_INITIALIZER;
static atomic_int helper_running;
static int helper_joining;
static pthread_t helper;
static atomic_int stop_asked;
static atomic_int faces_laid_out;

/// Graphviz's error function while the context is made: appends each piece of text.
static int keep_report(char *piece) {
    if (!piece) return 0;
    size_t length = strlen(piece);
    char *grown = realloc(reported, reported_length + length + 1);
    if (!grown) return 0;  // out of memory: the piece is lost, the start goes on
    memcpy(grown + reported_length, piece, length + 1);
    reported = grown;
    reported_length += length;
    return 0;
}

/// Graphviz's error function while the warm-up lays out its labels: what a label of the
/// warm-up would report, the maps report when they draw.
static int drop_report(char *piece) {
    (void)piece;
    return 0;
}

void chainmap_graphviz_start(void) {
    pthread_mutex_lock(&state_lock);
    int already = waiting;
    pthread_mutex_unlock(&state_lock);
    if (already) return;
    agerrlevel_t level = agseterr(AGWARN);
    agusererrf previous = agseterrf(keep_report);
    GVC_t *context = gvContext();
    agseterrf(previous);
    agseterr(level);
    pthread_mutex_lock(&state_lock);
    started_context = context;
    waiting = 1;
    pthread_cond_broadcast(&state_changed);
    pthread_mutex_unlock(&state_lock);
}

int chainmap_graphviz_take_started(GVC_t **context, char **messages) {
    pthread_mutex_lock(&state_lock);
    int taken = waiting;
    if (taken) {
        *context = started_context;
        *messages = reported;
        waiting = 0;
        started_context = NULL;
        reported = NULL;
        reported_length = 0;
    }
    pthread_mutex_unlock(&state_lock);
    return taken;
}

/// The warm-up's words: 产业链招商地图.
static const char warm_up_words[] =
    "\xe4\xba\xa7\xe4\xb8\x9a\xe9\x93\xbe\xe6\x8b\x9b\xe5\x95\x86\xe5\x9c\xb0\xe5\x9b\xbe";

/// Lays out one label in `face`, in the maps' font, on `context`, as a graph: its
/// layout loads the layout plugin and, with `render`, rendering it to SVG loads the
/// plugin that writes SVG. Runs with the Graphviz lock held.
static void lay_out_face_graph(GVC_t *context, struct chainmap_face face, int render) {
    char text[512];
    snprintf(text, sizeof text,
             "digraph warm_up { n [shape=plain fontname=\"%s\" label=<<FONT POINT-SIZE=\"%d\">%s%s%s</FONT>>] }",
             font_list, face.points, face.bold ? "<B>" : "", warm_up_words, face.bold ? "</B>" : "");
    agusererrf previous = agseterrf(drop_report);
    Agraph_t *graph = agmemread(text);
    if (graph) {
        if (gvLayout(context, graph, "dot") == 0) {
            char *bytes;
            unsigned int length;
            if (render && gvRenderData(context, graph, "svg", &bytes, &length) == 0) gvFreeRenderData(bytes);
            gvFreeLayout(context, graph);
        }
        agclose(graph);
    }
    agseterrf(previous);
}

/// libgvc's `gvtextlayout` (lib/gvc/gvcproc.h, not a public header): lays out one run of
/// text (`textspan_t`, graphviz/textspan.h) with the context's text layout plugin, as
/// every label's run is laid out during a layout (lib/common/textspan.c,
/// `textspan_size`). Returns a `boolean` (2.42) or a `bool`, one byte either way, which
/// the warm-up does not read. Looked up at run time, like `gvtextlayout_select`: a
/// Graphviz that does not export it is warmed up with graphs.
typedef unsigned char (*text_layout_function)(GVC_t *, textspan_t *, char **);

static text_layout_function text_layout(void) {
    return (text_layout_function)dlsym(RTLD_DEFAULT, "gvtextlayout");
}

/// Lays out the warm-up's words in `face` as a label's run in that face is laid out:
/// the maps' font list at the face's size, bold as `<B>` makes it (HTML_BF), without a
/// graph around them, which costs a graph's parse and layout for the one run of text
/// that loads the face. What pango loads for the face (fontconfig's patterns for its
/// description, the fonts at that size) is what a map's label in that face then finds
/// loaded. Runs with the Graphviz lock held.
static void lay_out_face_text(GVC_t *context, struct chainmap_face face, text_layout_function layout) {
    textfont_t font;
    memset(&font, 0, sizeof font);
    // The plugin keeps the name it last laid out in (Graphviz 2.43 keeps the pointer, to
    // compare the next run's with): a name of static storage, never written to, as a
    // graph's font names live as long as the context.
    font.name = (char *)font_list;
    font.size = face.points;
    font.flags = face.bold ? HTML_BF : 0;
    textspan_t span;
    memset(&span, 0, sizeof span);
    span.str = (char *)warm_up_words;
    span.font = &font;
    span.just = 'n';
    agusererrf previous = agseterrf(drop_report);
    (void)layout(context, &span, NULL);
    agseterrf(previous);
    if (span.layout && span.free_layout) span.free_layout(span.layout);
}

/// Lays out one label in `face` on `context`: the first face (`index` 0) as a graph,
/// rendered to SVG, which loads the layout and SVG plugins; the others as text alone,
/// when the text layout can be called, else as graphs. Without a text layout plugin
/// (`gvtextlayout` then lays out nothing) nothing is asked of the plugins again: the
/// context selected its text layout when it was made, and a map says what is missing.
/// Runs with the Graphviz lock held.
static void lay_out_face(GVC_t *context, int index) {
    text_layout_function layout = index > 0 ? text_layout() : NULL;
    if (layout) {
        lay_out_face_text(context, faces[index], layout);
    } else {
        lay_out_face_graph(context, faces[index], index == 0);
    }
}

void chainmap_graphviz_lay_out_faces(GVC_t *context) {
    for (int index = 0; index < chainmap_map_face_count; index++) {
        lay_out_face(context, index);
    }
}

int chainmap_graphviz_preparing(void) {
    int preparing = atomic_load(&helper_running);
    pthread_mutex_lock(&state_lock);
    preparing = preparing || waiting;
    pthread_mutex_unlock(&state_lock);
    return preparing;
}

/// Whether `context` is still the one waiting to be taken. Runs with the Graphviz lock
/// held, under which it is taken (ChainMapKit's `Graphviz` takes it so).
static int still_waiting(GVC_t *context) {
    pthread_mutex_lock(&state_lock);
    int still = waiting && started_context == context;
    pthread_mutex_unlock(&state_lock);
    return still;
}

static void *run_helper(void *argument) {
    int warm_up = (int)(intptr_t)argument;
    FcInit();
    pthread_mutex_lock(&state_lock);
    fontconfig_read = 1;
    pthread_cond_broadcast(&state_changed);
    // The warm-up needs the context, which the thread that started this one makes.
    while (warm_up != CHAINMAP_WARM_UP_NONE && !waiting && !atomic_load(&stop_asked)) {
        pthread_cond_wait(&state_changed, &state_lock);
    }
    GVC_t *context = waiting ? started_context : NULL;
    pthread_mutex_unlock(&state_lock);
    if (warm_up == CHAINMAP_WARM_UP_NONE || !context) return NULL;
    for (int index = 0; index < chainmap_map_face_count; index++) {
        if (index > 0 && warm_up != CHAINMAP_WARM_UP_EVERY_FACE && atomic_load(&stop_asked)) break;
        chainmap_graphviz_lock();
        int still = still_waiting(context);
        if (still) {
            lay_out_face(context, index);
            atomic_fetch_add(&faces_laid_out, 1);
        }
        chainmap_graphviz_unlock();
        if (!still) break;
    }
    return NULL;
}

void chainmap_graphviz_prepare(int warm_up) {
    // helper_lock is held until the context waits, so that a run ending the preparation
    // meanwhile (chainmap_graphviz_end_preparation) finds the helper with a context to
    // warm up: at least its first face, or every face.
    pthread_mutex_lock(&helper_lock);
    // A helper being joined was asked to stop: the next starts once it is joined.
    while (helper_joining) pthread_cond_wait(&helper_joined, &helper_lock);
    // A start under way (the executable's, before `main`) is left as it is: making the
    // context would wait for the Graphviz lock behind the face being laid out.
    if (chainmap_graphviz_preparing()) {
        pthread_mutex_unlock(&helper_lock);
        return;
    }
    atomic_store(&stop_asked, 0);
    atomic_store(&faces_laid_out, 0);
    pthread_mutex_lock(&state_lock);
    fontconfig_reading = 1;
    fontconfig_read = 0;
    pthread_mutex_unlock(&state_lock);
    // On another processor than this thread's, which makes the context meanwhile.
    if (chainmap_thread_start(&helper, 0, run_helper, (void *)(intptr_t)warm_up) == 0) {
        atomic_store(&helper_running, 1);
    } else {
        pthread_mutex_lock(&state_lock);
        fontconfig_reading = 0;
        pthread_cond_broadcast(&state_changed);
        pthread_mutex_unlock(&state_lock);
    }
    chainmap_graphviz_lock();
    chainmap_graphviz_start();
    chainmap_graphviz_unlock();
    pthread_mutex_unlock(&helper_lock);
}

void chainmap_fontconfig_wait(void) {
    pthread_mutex_lock(&state_lock);
    while (fontconfig_reading && !fontconfig_read) pthread_cond_wait(&state_changed, &state_lock);
    pthread_mutex_unlock(&state_lock);
}

void chainmap_graphviz_end_preparation(void) {
    pthread_mutex_lock(&helper_lock);
    if (atomic_load(&helper_running) && !helper_joining) {
        atomic_store(&stop_asked, 1);
        pthread_mutex_lock(&state_lock);
        pthread_cond_broadcast(&state_changed);  // a helper waiting for a context stops
        pthread_mutex_unlock(&state_lock);
        helper_joining = 1;
        pthread_t thread = helper;
        pthread_mutex_unlock(&helper_lock);
        pthread_join(thread, NULL);
        pthread_mutex_lock(&helper_lock);
        atomic_store(&helper_running, 0);
        helper_joining = 0;
        pthread_cond_broadcast(&helper_joined);
    } else {
        while (helper_joining) pthread_cond_wait(&helper_joined, &helper_lock);
    }
    pthread_mutex_unlock(&helper_lock);
}

int chainmap_graphviz_faces_laid_out(void) { return atomic_load(&faces_laid_out); }

/// libgvc's `gvtextlayout_select` (lib/gvc/gvcproc.h, not a public header): returns
/// GVRENDER_PLUGIN when a text layout plugin is loaded (its engine set on the context),
/// else NO_SUPPORT (lib/common/const.h). Only NO_SUPPORT counts as not loaded: a build
/// whose function is a stub returning 0 is not refused. Looked up at run time, so that
/// a Graphviz built without the symbol exported still links and runs (the plugin is
/// then taken as loaded, as before this check).
enum { chainmap_gv_no_support = 999 };

int chainmap_graphviz_text_layout_loaded(GVC_t *context) {
    int (*select)(GVC_t *) = (int (*)(GVC_t *))dlsym(RTLD_DEFAULT, "gvtextlayout_select");
    return select ? select(context) != chainmap_gv_no_support : 1;
}

int chainmap_warm_up_from_environment(void) {
    const char *value = getenv("CHAINMAP_WARM_UP");
    if (value && strcmp(value, "none") == 0) return CHAINMAP_WARM_UP_NONE;
    if (value && strcmp(value, "every-face") == 0) return CHAINMAP_WARM_UP_EVERY_FACE;
    return CHAINMAP_WARM_UP_USUAL;
}

/// At exit, waits for the helper, so that the process never exits while it is inside
/// fontconfig or Graphviz, then frees a context that no map took (a run that ended before
/// drawing). The executable's destructors run before its libraries' (Graphviz's among
/// them).
__attribute__((destructor)) static void end_at_exit(void) {
    chainmap_graphviz_end_preparation();
    // Under the Graphviz lock, if it is free: a thread that exits the process while
    // another draws must not wait for it at exit (the context then stays, as memory does).
    if (pthread_mutex_trylock(&graphviz_lock) != 0) return;
    GVC_t *context = NULL;
    char *messages = NULL;
    if (chainmap_graphviz_take_started(&context, &messages) && context) gvFreeContext(context);
    free(messages);
    chainmap_graphviz_unlock();
}
