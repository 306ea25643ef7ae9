// What the `chainmap` executable starts before `main`: its writable data's pages, and from
// the command its first argument names, Graphviz's context. Linked into the executable (and into the test binary that links the
// executable's module, where the first argument is the test runner's), not into
// ChainMapKit: a program that uses the library starts nothing it did not ask for.
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

/// The pages of the executable's writable data that every command gives their own
/// pages before any thread starts (`MADV_POPULATE_WRITE`): its writable sections
/// after the read-only-after-relocation part, from `.data` to `.bss`, but not a writable
/// `.rodata`, read from the executable's section headers; sorted and merged, whole
/// pages, at most 16 MB in all. Writes at most `capacity` of them and returns how many:
/// 0 when the section headers cannot be read or are not the running executable's, or not
/// on Linux with glibc (the start then gives `.data` to `.bss` whole, when that is at
/// most 16 MB). For tests.
size_t chainmap_writable_data_ranges(struct chainmap_range *ranges, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
