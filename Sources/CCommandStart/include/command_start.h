// What the `chainmap` executable starts before `main`: its writable data's pages, and,
// from the command its first argument names, Graphviz's context. Linked into the
// executable (and into the test binary that links the executable's module, where the
// first argument is the test runner's), not into ChainMapKit: a program that uses the
// library starts nothing it did not ask for.
#ifndef CHAINMAP_COMMAND_START_H
#define CHAINMAP_COMMAND_START_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether a usual run of the subcommand `command` draws maps (`render`, `report`):
/// before `main`, such a run makes its Graphviz context and starts the helper thread
/// that reads fontconfig's configuration and then warms the context up
/// (Sources/CGraphvizStart). The one list of these commands.
bool chainmap_command_draws_maps(const char *command);

/// A range of addresses, `start` inclusive, `end` exclusive.
struct chainmap_range {
    uintptr_t start;
    uintptr_t end;
};

/// A section of an executable as chainmap_writable_section_ranges reads it: its name
/// (NULL when unreadable), its ELF flags (`sh_flags`) and where it lies in memory.
struct chainmap_section {
    const char *name;
    uint64_t flags;
    uintptr_t address;
    uintptr_t size;
};

/// The ranges that `sections` give their own pages at start: each allocated, writable,
/// not thread-local section lying inside [`low`, `high`), but not a writable `.rodata`
/// (which lld puts between `.data` and `.bss`, 37 MB that nothing writes after
/// relocation), rounded out to whole pages of `page` bytes, sorted and merged where they
/// touch. Writes at most `capacity` ranges and returns how many; 0 when there are more,
/// when they add up to more than 16 MB, or when `page` is not a power of two. For tests,
/// which give it an lld layout.
size_t chainmap_writable_section_ranges(const struct chainmap_section *sections, size_t section_count, uintptr_t low,
                                        uintptr_t high, uintptr_t page, struct chainmap_range *ranges, size_t capacity);

/// The pages of the executable's writable data that every command gives their own
/// pages before any thread starts (`MADV_POPULATE_WRITE`): chainmap_writable_section_ranges
/// of the running executable's section headers, read from `/proc/self/exe`, between
/// `__data_start` (the start of `.data`, after the part made read-only after relocation)
/// and `_end` (the end of `.bss`). Writes at most `capacity` of them and returns how
/// many; 0 when the section headers cannot be read (more than 256, extended numbering),
/// when the file's ELF header is not the one mapped, when no program header maps the ELF
/// header or none describes the program headers, when the ranges are more than
/// `capacity` or 16 MB, or when not on Linux with glibc: the start then gives `.data` to
/// `.bss` whole, when that is at most 16 MB. For tests.
size_t chainmap_writable_data_ranges(struct chainmap_range *ranges, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
