// Threads started on another processor than the thread that starts them.
//
// Linux starts a new thread on its creator's processor and moves one of the two only
// when it next balances its load, a few milliseconds later; until then the two take
// turns on one processor while another may idle. chainmap starts its threads to work
// beside the one that starts them (fontconfig's configuration and the maps' faces
// beside the Graphviz context and the chains, OpenCC's dictionaries beside the chain
// files, a file read ahead): reading fontconfig's configuration beside making the
// Graphviz context took 11.8 ms so, one after the other 11.6 ms, and 8.1 ms with the
// reader started elsewhere (docs/performance.md, twenty-seventh pass).
//
// chainmap_thread_start starts the thread allowed only the processors the process may
// use other than the caller's, when there are two or more; the thread takes back every
// processor as soon as it runs (unless another program set its affinity meanwhile), so
// that it may move later like any other. Elsewhere it is pthread_create with a stack
// size: on other systems and other C libraries than glibc (musl), with one processor,
// and with an affinity it cannot read (more than 1024 processors).
#ifndef CHAINMAP_THREAD_START_H
#define CHAINMAP_THREAD_START_H

#include <pthread.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Starts `body(argument)` on a new thread, as `pthread_create` does (its result: 0, or
/// the error; ENOMEM when the start's few bytes cannot be had), with a stack of
/// `stack_size` bytes (0: the default), on another processor than the caller's when the
/// process may use two or more.
int chainmap_thread_start(pthread_t *thread, size_t stack_size, void *(*body)(void *), void *argument);

/// Where a thread that chainmap_thread_start started was put, for tests.
struct chainmap_thread_placement {
    /// How many processors the process may use (-1: not known).
    int allowed;
    /// The processor its caller was on, which the thread was kept off at first (-1 when
    /// none was: one processor, or an affinity that could not be read).
    int avoided;
    /// The processor the thread began on (-1: not known).
    int began_on;
    /// How many processors the thread may use once it took them back (-1: not known).
    int allowed_after;
    /// The size of the thread's stack (0: not known).
    size_t stack_size;
};

/// The placement of the calling thread, one that chainmap_thread_start started (all -1
/// and 0 on another thread, and on a system where it does not place threads).
struct chainmap_thread_placement chainmap_thread_start_placement(void);

#ifdef __cplusplus
}
#endif

#endif
