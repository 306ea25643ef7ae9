// Windows of a file read through a mapping of it, guarded against the file being cut short.
//
// A lead file's middle is read through mappings of it, a window (a block) at a time,
// instead of copied into buffers with read(2): the copy cost the reading thread about a
// third of a processor and passed every byte through the shared cache twice more
// (docs/performance.md, thirty-fifth pass). A mapping has one hazard that read(2) has not:
// when another program cuts the file short while it is mapped (or the disk fails to give
// a page), touching a page the file no longer reaches raises SIGBUS, which would end the
// process. Every window is therefore
// registered while it is mapped, and a SIGBUS handler puts a page of zeros in place of
// such a page and marks its window cut: the reading goes on over zeros, and its reader
// sees the mark when it lets the window go and reports that the file changed while it
// was read. A SIGBUS at any other address is handed to the handler that was there before
// (or the default action, which ends the process as it would have without this one).
#ifndef CHAINMAP_MAPPED_WINDOW_H
#define CHAINMAP_MAPPED_WINDOW_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A mapped window: its first byte (the one at the file offset asked for; NULL when no
/// window was mapped), and where to let it go (`slot`, negative when none was mapped).
struct chainmap_mapped_window {
    const uint8_t *bytes;
    int slot;
};

/// Maps `count` bytes of `fd` from `offset` read-only and registers them with the
/// SIGBUS guard (installed on first use); with `populate`, makes their pages at once
/// (MADV_POPULATE_READ, where the system has it), so that the threads that read the
/// window do not fault them in one by one. A window whose pages the file did not reach
/// when they were made is marked cut. At most 64 windows are mapped at once.
struct chainmap_mapped_window chainmap_map_window(int fd, int64_t offset, size_t count, int populate);

/// Unmaps a window and unregisters it; returns 1 when a page of it was found cut short
/// (read as zeros), else 0.
int chainmap_unmap_window(int slot);

/// Whether windows can be mapped and guarded on this system (Linux with SIGBUS
/// addresses); elsewhere chainmap_map_window maps none.
int chainmap_mapped_windows_supported(void);

#ifdef __cplusplus
}
#endif

#endif
