// See include/thread_start.h.
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE  // sched_getcpu, pthread_attr_setaffinity_np; before any header
#endif
#include "thread_start.h"

#include <errno.h>
#include <stdlib.h>
#if defined(__linux__) && defined(__GLIBC__)
#include <sched.h>
#define CHAINMAP_PLACES_THREADS 1
#endif

/// What a started thread runs, and the processors it takes back once running.
struct start {
    void *(*body)(void *);
    void *argument;
    int avoided;
#ifdef CHAINMAP_PLACES_THREADS
    cpu_set_t processors;
#endif
};

/// The placement of the thread this runs on (chainmap_thread_start_placement).
static _Thread_local struct chainmap_thread_placement placement = {-1, -1, -1, -1, 0};

static void *run_start(void *argument) {
    struct start start = *(struct start *)argument;
    free(argument);
#ifdef CHAINMAP_PLACES_THREADS
    placement.began_on = sched_getcpu();
    placement.avoided = start.avoided;
    if (start.avoided >= 0) {
        placement.allowed = CPU_COUNT(&start.processors);
        // Taken back only if the thread still has the processors it was started with:
        // another program may have set its affinity meanwhile (taskset -a), which stays.
        cpu_set_t now;
        cpu_set_t others = start.processors;
        CPU_CLR(start.avoided, &others);
        if (sched_getaffinity(0, sizeof now, &now) == 0 && CPU_EQUAL(&now, &others)) {
            (void)sched_setaffinity(0, sizeof start.processors, &start.processors);
        }
    }
#endif
    return start.body(start.argument);
}

/// Narrows `attributes` to the processors of `start` but the caller's, recording which
/// it avoided; nothing (avoided -1) with one processor or an affinity it cannot read.
static void avoid_current_processor(pthread_attr_t *attributes, struct start *start) {
    start->avoided = -1;
#ifdef CHAINMAP_PLACES_THREADS
    if (sched_getaffinity(0, sizeof start->processors, &start->processors) != 0) return;
    int current = sched_getcpu();
    if (current < 0 || current >= CPU_SETSIZE || !CPU_ISSET(current, &start->processors)) return;
    if (CPU_COUNT(&start->processors) < 2) return;
    cpu_set_t others = start->processors;
    CPU_CLR(current, &others);
    if (pthread_attr_setaffinity_np(attributes, sizeof others, &others) == 0) start->avoided = current;
#else
    (void)attributes;
#endif
}

/// Creates the thread of `start` with a stack of `stack_size` bytes (0: the default),
/// kept off the caller's processor when `elsewhere` (avoid_current_processor).
static int create(pthread_t *thread, size_t stack_size, struct start *start, int elsewhere) {
    start->avoided = -1;
    pthread_attr_t attributes;
    int result = pthread_attr_init(&attributes);
    if (result != 0) return result;
    if (stack_size > 0) result = pthread_attr_setstacksize(&attributes, stack_size);
    if (result == 0 && elsewhere) avoid_current_processor(&attributes, start);
    if (result == 0) result = pthread_create(thread, &attributes, run_start, start);
    pthread_attr_destroy(&attributes);
    return result;
}

int chainmap_thread_start(pthread_t *thread, size_t stack_size, void *(*body)(void *), void *argument) {
    struct start *start = malloc(sizeof *start);
    if (!start) return ENOMEM;
    start->body = body;
    start->argument = argument;
    int result = create(thread, stack_size, start, 1);
    // Refused for its processors (a mask the kernel will not take): started as before.
    if (result != 0 && start->avoided >= 0) result = create(thread, stack_size, start, 0);
    if (result != 0) free(start);
    return result;
}

struct chainmap_thread_placement chainmap_thread_start_placement(void) {
    struct chainmap_thread_placement now = placement;
#ifdef CHAINMAP_PLACES_THREADS
    // Read here, when a test asks, not at every start.
    if (now.began_on < 0) return now;
    cpu_set_t processors;
    if (sched_getaffinity(0, sizeof processors, &processors) == 0) {
        now.allowed_after = CPU_COUNT(&processors);
        if (now.avoided < 0) now.allowed = now.allowed_after;
    }
    pthread_attr_t attributes;
    if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
        (void)pthread_attr_getstacksize(&attributes, &now.stack_size);
        pthread_attr_destroy(&attributes);
    }
#endif
    return now;
}
