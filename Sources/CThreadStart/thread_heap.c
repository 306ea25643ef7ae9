// See include/thread_heap.h.
#include "thread_heap.h"

#include <stdlib.h>

#if defined(__GLIBC__)
/// Below glibc's smallest mmap threshold, 128 KiB, with room for a chunk's header: a block
/// of this size always comes from the thread's arena.
enum { reserve_block = 124 << 10, reserve_most = 512 };

/// How much the calling thread has reserved so far.
static _Thread_local size_t reserved;

size_t chainmap_thread_heap_reserve(size_t bytes) {
    size_t count = bytes / reserve_block;
    if (count > reserve_most) count = reserve_most;
    if (count == 0 || count * reserve_block <= reserved) return 0;
    // Volatile: a compiler may drop an allocation whose block is freed unused.
    void *volatile blocks[reserve_most];
    size_t allocated = 0;
    for (; allocated < count; allocated++) {
        blocks[allocated] = malloc(reserve_block);
        if (!blocks[allocated]) break;
    }
    for (size_t i = 0; i < allocated; i++) free(blocks[i]);
    reserved = allocated * reserve_block;
    return reserved;
}

int chainmap_thread_heap_reserve_supported(void) { return 1; }
#else
size_t chainmap_thread_heap_reserve(size_t bytes) {
    (void)bytes;
    return 0;
}

int chainmap_thread_heap_reserve_supported(void) { return 0; }
#endif
