// See include/graphviz_start.h.
#include "graphviz_start.h"

#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/// The start waiting to be taken: whether there is one, its context, and what
/// Graphviz reported while making it.
static int waiting;
static GVC_t *started_context;
static char *reported;
static size_t reported_length;

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

void chainmap_graphviz_start(void) {
    if (waiting) return;
    agerrlevel_t level = agseterr(AGWARN);
    agusererrf previous = agseterrf(keep_report);
    started_context = gvContext();
    agseterrf(previous);
    agseterr(level);
    waiting = 1;
}

int chainmap_graphviz_take_started(GVC_t **context, char **messages) {
    if (!waiting) return 0;
    *context = started_context;
    *messages = reported;
    waiting = 0;
    started_context = NULL;
    reported = NULL;
    reported_length = 0;
    return 1;
}

/// At exit, frees a start that no map took (a run that ended before drawing). The
/// executable's destructors run before its libraries' (Graphviz's among them).
__attribute__((destructor)) static void free_untaken_start(void) {
    if (!waiting) return;
    if (started_context) gvFreeContext(started_context);
    free(reported);
    waiting = 0;
}

/// fontconfig's configuration, being read on its own thread (chainmap_fontconfig_start);
/// `fontconfig_lock` guards the thread's handle, so that it is joined once.
static pthread_mutex_t fontconfig_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t fontconfig_thread;
static int fontconfig_running;

static void *read_fontconfig_configuration(void *unused) {
    (void)unused;
    FcInit();
    return NULL;
}

void chainmap_fontconfig_start(void) {
    pthread_mutex_lock(&fontconfig_lock);
    if (!fontconfig_running && pthread_create(&fontconfig_thread, NULL, read_fontconfig_configuration, NULL) == 0) {
        fontconfig_running = 1;
    }
    pthread_mutex_unlock(&fontconfig_lock);
}

void chainmap_fontconfig_wait(void) {
    pthread_mutex_lock(&fontconfig_lock);
    if (fontconfig_running) {
        pthread_join(fontconfig_thread, NULL);
        fontconfig_running = 0;
    }
    pthread_mutex_unlock(&fontconfig_lock);
}

/// At exit, waits for a configuration still being read (a run that ended before any
/// font was asked for), so that the process never exits while that thread is inside
/// `FcInit`.
__attribute__((destructor)) static void wait_for_fontconfig(void) { chainmap_fontconfig_wait(); }
