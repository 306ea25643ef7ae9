// See include/thread_heap.h.
#include "thread_heap.h"

#include <stdlib.h>

#if defined(__GLIBC__)
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

/// Below glibc's smallest mmap threshold, 128 KiB, with room for a chunk's header: a block
/// of this size comes from the thread's arena (unless the threshold was set lower, by
/// mallopt or the environment: the blocks are then mapped and unmapped, and no room is
/// made).
enum { reserve_block = 124 << 10, reserve_most = 512 };

/// How much the calling thread has reserved so far.
static _Thread_local size_t reserved;

/// Whether glibc keeps a heap readable after giving its top back: not under strict
/// overcommit accounting (vm.overcommit_memory = 2), where it makes the given-back part
/// unreadable again, as glibc's own check_may_shrink_heap reads it.
static int keeps_room = 1;
static pthread_once_t keeps_room_once = PTHREAD_ONCE_INIT;

static void read_overcommit(void) {
    int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char mode = 0;
    if (read(fd, &mode, 1) == 1 && mode == '2') keeps_room = 0;
    close(fd);
}

size_t chainmap_thread_heap_reserve(size_t bytes) {
    pthread_once(&keeps_room_once, read_overcommit);
    if (!keeps_room) return 0;
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

int chainmap_thread_heap_reserve_supported(void) {
    pthread_once(&keeps_room_once, read_overcommit);
    return keeps_room;
}
#else
size_t chainmap_thread_heap_reserve(size_t bytes) {
    (void)bytes;
    return 0;
}

int chainmap_thread_heap_reserve_supported(void) { return 0; }
#endif
