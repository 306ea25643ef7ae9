// Windows of a file read through a mapping of it, guarded against the file being cut
// short. See include/mapped_window.h.
#if defined(__linux__)
#define _GNU_SOURCE
#endif
#include "mapped_window.h"

#if defined(__linux__)
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

enum { slot_count = 64 };

/// One registered window: [begin, end) while mapped (begin 0 when free).
struct slot {
    _Atomic uintptr_t begin;
    _Atomic uintptr_t end;
    _Atomic int cut;
    _Atomic int taken;
    void *base;
    size_t length;
};

static struct slot slots[slot_count];
static struct sigaction previous;
static uintptr_t page_size;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int installed;

/// Hands a SIGBUS that is not a registered window's to what was there before.
static void hand_on(int signal, siginfo_t *info, void *context) {
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction) { previous.sa_sigaction(signal, info, context); return; }
    } else if (previous.sa_handler == SIG_IGN && info->si_code <= 0) {
        // Sent by a process, and ignored before: ignored still.
        return;
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(signal);
        return;
    }
    // The default action: restored, so that the fault, raised again when this returns,
    // ends the process as it would have (a SIGBUS from a fault cannot be ignored). A
    // SIGBUS sent by a process (kill) is not raised again by returning: it is sent again,
    // and arrives once this handler returns.
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(SIGBUS, &fallback, NULL);
    if (info->si_code <= 0) raise(signal);
}

static void on_bus_error(int signal, siginfo_t *info, void *context) {
    int saved = errno;
    uintptr_t address = (uintptr_t)info->si_addr;
    // Only a fault has an address (si_code > 0); a SIGBUS sent by a process has not.
    for (int i = 0; i < slot_count && info->si_code > 0; i++) {
        uintptr_t begin = atomic_load_explicit(&slots[i].begin, memory_order_acquire);
        if (begin == 0 || address < begin) continue;
        if (address >= atomic_load_explicit(&slots[i].end, memory_order_acquire)) continue;
        // A page the file no longer reaches: zeros in its place (a raw system call: the
        // C library's mmap is not async-signal-safe by the letter).
        void *page = (void *)(address & ~(page_size - 1));
        long mapped = syscall(SYS_mmap, page, (size_t)page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (mapped != -1) {
            atomic_store_explicit(&slots[i].cut, 1, memory_order_release);
            errno = saved;
            return;
        }
        break;
    }
    errno = saved;
    hand_on(signal, info, context);
}

static void install(void) {
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    installed = page_size > 0 && sigaction(SIGBUS, &action, &previous) == 0;
}

int chainmap_mapped_windows_supported(void) {
    pthread_once(&install_once, install);
    return installed;
}

struct chainmap_mapped_window chainmap_map_window(int fd, int64_t offset, size_t count, int populate) {
    struct chainmap_mapped_window window = {NULL, -1};
    if (!chainmap_mapped_windows_supported() || offset < 0 || count == 0) return window;
    int slot = -1;
    for (int i = 0; i < slot_count && slot < 0; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&slots[i].taken, &expected, 1)) slot = i;
    }
    if (slot < 0) return window;
    uint64_t start = (uint64_t)offset & ~(uint64_t)(page_size - 1);
    size_t lead = (size_t)((uint64_t)offset - start);
    size_t length = lead + count;
    void *base = mmap(NULL, length, PROT_READ, MAP_PRIVATE, fd, (off_t)start);
    if (base == MAP_FAILED) {
        atomic_store(&slots[slot].taken, 0);
        return window;
    }
    struct slot *s = &slots[slot];
    s->base = base;
    s->length = length;
    atomic_store_explicit(&s->cut, 0, memory_order_relaxed);
    atomic_store_explicit(&s->end, (uintptr_t)base + length, memory_order_release);
    atomic_store_explicit(&s->begin, (uintptr_t)base, memory_order_release);
    // Pages the file does not reach fail to be made (EFAULT): the window is cut.
    if (populate && madvise(base, length, MADV_POPULATE_READ) != 0 && errno == EFAULT) {
        atomic_store_explicit(&s->cut, 1, memory_order_release);
    }
    window.bytes = (const uint8_t *)base + lead;
    window.slot = slot;
    return window;
}

int chainmap_unmap_window(int slot) {
    if (slot < 0 || slot >= slot_count) return 0;
    struct slot *s = &slots[slot];
    // Unregistered first: a fault after this is not the window's (it cannot happen, as
    // nothing reads the window any more).
    atomic_store_explicit(&s->begin, 0, memory_order_release);
    int cut = atomic_load_explicit(&s->cut, memory_order_acquire);
    munmap(s->base, s->length);
    s->base = NULL;
    s->length = 0;
    atomic_store_explicit(&s->end, 0, memory_order_release);
    atomic_store(&s->taken, 0);
    return cut;
}

#else

int chainmap_mapped_windows_supported(void) { return 0; }

struct chainmap_mapped_window chainmap_map_window(int fd, int64_t offset, size_t count, int populate) {
    (void)fd; (void)offset; (void)count; (void)populate;
    struct chainmap_mapped_window window = {NULL, -1};
    return window;
}

int chainmap_unmap_window(int slot) { (void)slot; return 0; }

#endif
