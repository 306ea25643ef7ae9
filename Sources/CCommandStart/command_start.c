// See include/command_start.h.
#include "command_start.h"

#include <string.h>

#include "graphviz_start.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

/// The executable's writable data after its read-only-after-relocation part: from the
/// start of `.data` (glibc's start files define `__data_start` there) to the end of
/// `.bss` (`_end`, which the linker defines).
extern char __data_start[], _end[];

/// The most bytes given pages at start; more means a layout not foreseen, and nothing is
/// given.
static const uintptr_t most_populated = (uintptr_t)16 << 20;

/// The page size, and the whole pages from `__data_start` to `_end`: [`*low`, `*high`).
static void data_pages(uintptr_t *page, uintptr_t *low, uintptr_t *high) {
    *page = (uintptr_t)sysconf(_SC_PAGESIZE);
    *low = (uintptr_t)__data_start & ~(*page - 1);
    *high = ((uintptr_t)_end + *page - 1) & ~(*page - 1);
}

/// Reads exactly `count` bytes at `offset`; 0 when it cannot.
static int read_at(int fd, void *into, size_t count, off_t offset) {
    size_t done = 0;
    while (done < count) {
        ssize_t got = pread(fd, (char *)into + done, count - done, offset + (off_t)done);
        if (got <= 0) return 0;
        done += (size_t)got;
    }
    return 1;
}

/// Adds [start, end) to the `count` ranges sorted by start, merging it with those it
/// touches; 0 when it touches none and there is no room.
static int add_range(struct chainmap_range *ranges, size_t *count, size_t capacity, uintptr_t start, uintptr_t end) {
    size_t at = 0;
    while (at < *count && ranges[at].end < start) at++;
    if (at < *count && ranges[at].start <= end) {
        // It touches ranges[at] (and maybe the ones after): merged into it.
        if (start < ranges[at].start) ranges[at].start = start;
        if (end > ranges[at].end) ranges[at].end = end;
        size_t next = at + 1;
        while (next < *count && ranges[next].start <= ranges[at].end) {
            if (ranges[next].end > ranges[at].end) ranges[at].end = ranges[next].end;
            next++;
        }
        size_t removed = next - (at + 1);
        for (size_t i = at + 1; i + removed < *count; i++) ranges[i] = ranges[i + removed];
        *count -= removed;
        return 1;
    }
    if (*count == capacity) return 0;
    for (size_t i = *count; i > at; i--) ranges[i] = ranges[i - 1];
    ranges[at] = (struct chainmap_range){start, end};
    (*count)++;
    return 1;
}

size_t chainmap_writable_section_ranges(const struct chainmap_section *sections, size_t section_count, uintptr_t low,
                                        uintptr_t high, uintptr_t page, struct chainmap_range *ranges, size_t capacity) {
    if (capacity == 0 || high <= low || page == 0 || (page & (page - 1)) != 0) return 0;
    size_t count = 0;
    for (size_t i = 0; i < section_count; i++) {
        const struct chainmap_section *section = &sections[i];
        if ((section->flags & (SHF_ALLOC | SHF_WRITE)) != (SHF_ALLOC | SHF_WRITE) || (section->flags & SHF_TLS) ||
            section->size == 0 || !section->name)
            continue;
        // Swift objects mark some `.rodata` writable, and lld then puts the whole section
        // (37 MB, Foundation's tables among it) between `.data` and `.bss`; nothing
        // writes it after the loader's relocations.
        if (strncmp(section->name, ".rodata", 7) == 0) continue;
        // Only sections inside [low, high), checked before rounding so that nothing wraps.
        if (section->address < low || section->address >= high || section->size > high - section->address) continue;
        uintptr_t start = section->address & ~(page - 1);
        uintptr_t end = (section->address + section->size + page - 1) & ~(page - 1);
        if (!add_range(ranges, &count, capacity, start, end)) return 0;
    }
    uintptr_t total = 0;
    for (size_t i = 0; i < count; i++) total += ranges[i].end - ranges[i].start;
    return total <= most_populated ? count : 0;
}

size_t chainmap_writable_data_ranges(struct chainmap_range *ranges, size_t capacity) {
    uintptr_t page, low, high;
    data_pages(&page, &low, &high);
    if (capacity == 0 || high <= low) return 0;
    // The running executable's load address (0 for one that is not position-independent),
    // from its program headers in memory, and where its ELF header is mapped: the
    // segment that maps the file's first bytes.
    const ElfW(Phdr) *headers = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    const size_t header_count = (size_t)getauxval(AT_PHNUM);
    uintptr_t base = 0, header_address = 0;
    int found = 0, header_mapped = 0;
    for (size_t i = 0; headers && i < header_count; i++) {
        if (headers[i].p_type == PT_PHDR) {
            base = (uintptr_t)headers - headers[i].p_vaddr;
            found = 1;
        }
        if (headers[i].p_type == PT_LOAD && headers[i].p_offset == 0 && headers[i].p_filesz >= sizeof(ElfW(Ehdr))) {
            header_address = headers[i].p_vaddr;
            header_mapped = 1;
        }
    }
    int fd = found && header_mapped ? open("/proc/self/exe", O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) return 0;
    ElfW(Ehdr) file;
    ElfW(Shdr) headers_read[256];
    char names[4096];
    // The file's ELF header is the one mapped (not a file rewritten in place since `exec`),
    // and its section headers are few and plain.
    int usable = read_at(fd, &file, sizeof file, 0) && memcmp(&file, (const void *)(base + header_address), sizeof file) == 0 &&
                 file.e_phentsize == sizeof(ElfW(Phdr)) && file.e_phnum == header_count &&
                 file.e_shentsize == sizeof(ElfW(Shdr)) && file.e_shnum > 0 &&
                 file.e_shnum <= sizeof headers_read / sizeof headers_read[0] && file.e_shstrndx < file.e_shnum &&
                 read_at(fd, headers_read, file.e_shnum * sizeof(ElfW(Shdr)), (off_t)file.e_shoff);
    const ElfW(Shdr) *strings = usable ? &headers_read[file.e_shstrndx] : NULL;
    usable = usable && strings->sh_size > 0 && strings->sh_size <= sizeof names &&
             read_at(fd, names, strings->sh_size, (off_t)strings->sh_offset) && names[strings->sh_size - 1] == '\0';
    close(fd);
    if (!usable) return 0;
    struct chainmap_section sections[256];
    for (size_t i = 0; i < file.e_shnum; i++) {
        const ElfW(Shdr) *header = &headers_read[i];
        sections[i] = (struct chainmap_section){
            header->sh_name < strings->sh_size ? names + header->sh_name : NULL,
            (uint64_t)header->sh_flags,
            // Addresses that would wrap are left as they are: the range check drops them.
            base + (uintptr_t)header->sh_addr,
            (uintptr_t)header->sh_size,
        };
    }
    return chainmap_writable_section_ranges(sections, file.e_shnum, low, high, page, ranges, capacity);
}

/// Gives the executable's writable data its own pages now, while the process has one
/// thread: one `madvise` for each run of its writable sections, about 1.3 MB, of which a
/// run writes much anyway. Written later for the first time, while another thread runs
/// on the other processor (the helper of a command that draws maps, a screening's
/// workers, the second chain file's reader), each page is a fault whose flush of the old
/// mapping interrupts that processor too, about 10–20 µs on this project's machines (the
/// Swift runtime's first writes to its metadata caches among them); and the faults one by
/// one cost more than one call that makes the pages. The kernel counted 83 TLB
/// shootdown interrupts in a 21-link `render` without this and 18 with it
/// (docs/performance.md, twenty-second pass). The sections are read from the
/// executable's section headers, because lld puts a writable `.rodata` of 37 MB between
/// `.data` and `.bss`: one range from `__data_start` to `_end` would copy it all, and
/// was skipped as too large, so that from the static Swift 6 toolchain on nothing was
/// given; given again, nev-battery's render took 1 ms less, and given for every command,
/// not only those that draw maps, `check` and `gaps` took 0.5–1 ms less
/// (forty-fourth pass). Without MADV_POPULATE_WRITE (Linux before 5.14) nothing happens.
static void populate_writable_data(void) {
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
    struct chainmap_range ranges[16];
    size_t count = chainmap_writable_data_ranges(ranges, sizeof ranges / sizeof ranges[0]);
    // Without section headers: from `__data_start` to `_end`, if that is the small
    // range expected.
    uintptr_t page, low, high;
    data_pages(&page, &low, &high);
    if (count == 0 && high > low && high - low <= most_populated) {
        ranges[0] = (struct chainmap_range){low, high};
        count = 1;
    }
    for (size_t i = 0; i < count; i++) {
        (void)madvise((void *)ranges[i].start, ranges[i].end - ranges[i].start, MADV_POPULATE_WRITE);
    }
}
#else
size_t chainmap_writable_section_ranges(const struct chainmap_section *sections, size_t section_count, uintptr_t low,
                                        uintptr_t high, uintptr_t page, struct chainmap_range *ranges, size_t capacity) {
    (void)sections;
    (void)section_count;
    (void)low;
    (void)high;
    (void)page;
    (void)ranges;
    (void)capacity;
    return 0;
}

size_t chainmap_writable_data_ranges(struct chainmap_range *ranges, size_t capacity) {
    (void)ranges;
    (void)capacity;
    return 0;
}

static void populate_writable_data(void) {}
#endif

bool chainmap_command_draws_maps(const char *command) {
    return command && (strcmp(command, "render") == 0 || strcmp(command, "report") == 0);
}

#if defined(__GLIBC__) || defined(__APPLE__)
/// Runs before `main`, with the process's arguments, as glibc and Apple's loader pass
/// them to constructors: every command's executable gets its writable data's pages now;
/// then a command that draws maps gets its Graphviz context made, while the process has
/// no other thread but the helper reading fontconfig's configuration, started first,
/// which then warms the context up. (Other C libraries, musl among them, pass no
/// arguments: there `main` starts the context and helper, as `Graphviz.prepare(_:)`.)
///
/// Neither it nor the helper it starts may call Swift code: the Swift runtime sets its
/// hashing seed in its own initialisers, which may run after this one, and a dictionary
/// made before them is searched with another seed afterwards (its keys are then not
/// found: parsing the arguments here, once tried, lost the reports' tier points;
/// docs/performance.md, thirty-eighth pass).
__attribute__((constructor)) static void chainmap_command_start(int argc, char **argv) {
    if (argc > 1) populate_writable_data();
    if (argc > 1 && chainmap_command_draws_maps(argv[1])) {
        chainmap_graphviz_prepare(chainmap_warm_up_from_environment());
    }
}
#endif
