// Room made ahead in a thread's malloc arena.
//
// glibc gives each thread that allocates beside others an arena of its own, whose heap is
// a 64 MiB reservation made readable page by page as the thread's allocations need it:
// one mprotect call per step, a step being what the allocation lacks (glibc pads only the
// main arena's growth, M_TOP_PAD). A worker keeping a screening's recommendations grew its
// heap to 19 MiB in 2,200 such calls, each of which, with the other threads running,
// takes the process's memory-map lock for writing and interrupts the other processors to
// flush their TLBs: 4,800 calls in a screening of 1,000,000 rows took 9 % of its time
// (docs/performance.md, thirty-ninth pass).
//
// chainmap_thread_heap_reserve makes the calling thread's heap readable up to `bytes` at
// once, by allocating blocks just below glibc's smallest mmap threshold (128 KiB, which
// its dynamic threshold only ever raises) until they add up to `bytes`, and freeing them
// in the order allocated, so that the last free merges them all into the heap's top,
// whose pages glibc then gives back (madvise). glibc keeps a heap readable as far as it
// ever was, so later growth within it needs no call. The pages are not kept: only the
// blocks' headers were written.
#ifndef CHAINMAP_THREAD_HEAP_H
#define CHAINMAP_THREAD_HEAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Makes the calling thread's malloc heap ready to grow to about `bytes` (at most 62 MiB)
/// without a system call per page. Does nothing when the thread has already asked for as
/// much, elsewhere than glibc, and under strict overcommit accounting (vm.overcommit_memory
/// = 2, where glibc makes a heap's given-back top unreadable again). Returns how many
/// bytes this call allocated and freed. (With glibc's mmap threshold set below 128 KiB,
/// by mallopt or the environment, the blocks are mapped instead and no room is made.)
size_t chainmap_thread_heap_reserve(size_t bytes);

/// Whether chainmap_thread_heap_reserve does anything here (glibc, not under strict
/// overcommit accounting): for tests.
int chainmap_thread_heap_reserve_supported(void);

#ifdef __cplusplus
}
#endif
#endif
