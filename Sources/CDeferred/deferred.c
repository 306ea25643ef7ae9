// See include/deferred.h.
#include "deferred.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

// The name each library is loaded by first: the soname of the file the build found
// (Package.swift reads it), else the soname of the versions chainmap was written against.
#ifndef CHAINMAP_XML2_SONAME
#define CHAINMAP_XML2_SONAME "libxml2.so.2"
#endif
#ifndef CHAINMAP_XLSXWRITER_SONAME
#define CHAINMAP_XLSXWRITER_SONAME "libxlsxwriter.so.4"
#endif

/// A library loaded on first use: the file names tried in order, the functions wanted,
/// and where their addresses go.
struct deferred {
    const char *const *names;
    const char *const *symbols;
    void **slots;
    size_t count;
    void (*loaded)(void);  // run once, under the lock, when every function is there
    pthread_mutex_t lock;
    int state;  // 0 not tried, 1 loaded, -1 failed
    char message[512];
};

/// Loads `library` once (under its lock); later calls give the first call's answer.
static int deferred_load(struct deferred *library, const char **message) {
    pthread_mutex_lock(&library->lock);
    if (library->state == 0) {
        void *handle = NULL;
        const char *opened = library->names[0];
        char first[256] = "";
        for (const char *const *name = library->names; *name != NULL && handle == NULL; name++) {
            handle = dlopen(*name, RTLD_NOW | RTLD_LOCAL);
            const char *error = handle == NULL ? dlerror() : NULL;
            if (error != NULL && first[0] == '\0') snprintf(first, sizeof first, "%s", error);
            if (handle != NULL) opened = *name;
        }
        library->state = 1;
        if (handle == NULL) {
            snprintf(library->message, sizeof library->message, "%s could not be loaded (%s)", library->names[0], first);
            library->state = -1;
        }
        for (size_t i = 0; library->state == 1 && i < library->count; i++) {
            library->slots[i] = dlsym(handle, library->symbols[i]);
            if (library->slots[i] == NULL) {
                snprintf(library->message, sizeof library->message, "%s has no function %s", opened, library->symbols[i]);
                library->state = -1;
            }
        }
        if (library->state == -1 && handle != NULL) {
            // All or nothing: no function of a library that failed is left to be called.
            for (size_t i = 0; i < library->count; i++) library->slots[i] = NULL;
            dlclose(handle);
        }
        if (library->state == 1 && library->loaded != NULL) library->loaded();
    }
    int loaded = library->state == 1;
    pthread_mutex_unlock(&library->lock);
    if (!loaded && message != NULL) *message = library->message;
    return loaded;
}

/// Where a function is asked for before its library loaded: a caller skipped the load
/// function, which is chainmap's mistake, not the user's.
static void deferred_unloaded(const char *symbol) {
    fprintf(stderr, "chainmap: internal error: %s asked for before its library was loaded\n", symbol);
    abort();
}

/// A library's tables and accessors, from its list of functions.
#define DEFERRED_LIBRARY(library, FUNCTIONS, loaded, ...)                                                      \
    enum { FUNCTIONS(DEFERRED_INDEX_##library) library##_count };                                           \
    static const char *const library##_symbols[] = {FUNCTIONS(DEFERRED_NAME)};                                \
    static void *library##_slots[library##_count];                                                           \
    static const char *const library##_names[] = {__VA_ARGS__, NULL};                                        \
    static struct deferred library = {library##_names, library##_symbols, library##_slots, library##_count,   \
                                      loaded, PTHREAD_MUTEX_INITIALIZER, 0, ""};                              \
    int chainmap_##library##_load(const char **message) { return deferred_load(&library, message); }
#define DEFERRED_NAME(name) #name,
#define DEFERRED_ACCESSOR(library, name)                                            \
    __typeof__(&name) chainmap_##name(void) {                                       \
        void *slot = library##_slots[library##_##name];                             \
        if (slot == NULL) deferred_unloaded(#name);                                 \
        return (__typeof__(&name))slot;                                             \
    }

#define DEFERRED_INDEX_xml2(name) xml2_##name,
#define XML2_ACCESSOR(name) DEFERRED_ACCESSOR(xml2, name)
static void xml2_loaded(void);
DEFERRED_LIBRARY(xml2, CHAINMAP_XML2_FUNCTIONS, xml2_loaded, CHAINMAP_XML2_SONAME, "libxml2.so.2", "libxml2.so")
/// libxml2's global state, set up once before any thread parses (libxml2 2.9 asks for this
/// before parsers run on several threads, as the sheets of workbooks are read).
static void xml2_loaded(void) { ((__typeof__(&xmlInitParser))xml2_slots[xml2_xmlInitParser])(); }
CHAINMAP_XML2_FUNCTIONS(XML2_ACCESSOR)

#define DEFERRED_INDEX_xlsxwriter(name) xlsxwriter_##name,
#define XLSXWRITER_ACCESSOR(name) DEFERRED_ACCESSOR(xlsxwriter, name)
DEFERRED_LIBRARY(xlsxwriter, CHAINMAP_XLSXWRITER_FUNCTIONS, NULL, CHAINMAP_XLSXWRITER_SONAME, "libxlsxwriter.so")
CHAINMAP_XLSXWRITER_FUNCTIONS(XLSXWRITER_ACCESSOR)
