// See include/command_start.h.
#include "command_start.h"

#include <string.h>

#include "graphviz_start.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/// The executable's writable data after its read-only-after-relocation part: from the
/// start of `.data` (glibc's start files define `__data_start` there) to the end of
/// `.bss` (`_end`, which the linker defines).
extern char __data_start[], _end[];

/// Gives the executable's writable data its own pages now, while the process has one
/// thread: one `madvise` for its 320 or so pages, about 1.2 MB, of which a `render`
/// writes most anyway. Written later for the first time, while the helper thread runs
/// on the other processor, each page is a fault whose flush of the old mapping
/// interrupts that processor too, about 20 µs on this project's machines (the Swift
/// runtime's first writes to its metadata caches among them). The kernel counted 83 TLB
/// shootdown interrupts in a 21-link `render` without this and 18 with it
/// (docs/performance.md, twenty-second pass). Without MADV_POPULATE_WRITE (Linux before
/// 5.14) nothing happens; nor when the range is not the small one expected (more than
/// 16 MB: a linker that put other sections between).
static void populate_writable_data(void) {
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t start = (uintptr_t)__data_start & ~(page - 1);
    uintptr_t end = ((uintptr_t)_end + page - 1) & ~(page - 1);
    if (end > start && end - start <= ((uintptr_t)16 << 20)) (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}
#else
static void populate_writable_data(void) {}
#endif

bool chainmap_command_draws_maps(const char *command) {
    return command && (strcmp(command, "render") == 0 || strcmp(command, "report") == 0);
}

#if defined(__GLIBC__) || defined(__APPLE__)
/// Runs before `main`, with the process's arguments, as glibc and Apple's loader pass
/// them to constructors: a command that draws maps gets its Graphviz context made now,
/// while the process has no other thread but the helper reading fontconfig's
/// configuration, started first, which then warms the context up; before both, the
/// executable's writable data gets its pages. (Other C libraries,
/// musl among them, pass no arguments: there `main` starts both, as
/// `Graphviz.prepare(_:)`.)
///
/// Neither it nor the helper it starts may call Swift code: the Swift runtime sets its
/// hashing seed in its own initialisers, which may run after this one, and a dictionary
/// made before them is searched with another seed afterwards (its keys are then not
/// found: parsing the arguments here, once tried, lost the reports' tier points;
/// docs/performance.md, thirty-eighth pass).
__attribute__((constructor)) static void chainmap_command_start(int argc, char **argv) {
    if (argc > 1 && chainmap_command_draws_maps(argv[1])) {
        populate_writable_data();
        chainmap_graphviz_prepare(chainmap_warm_up_from_environment());
    }
}
#endif
