import CThreadStart

/// Room made ahead in a worker thread's malloc heap for the rows it keeps.
///
/// glibc grows a worker thread's heap a page at a time, one system call each, and each
/// call stops the other processors to flush their address caches (see
/// `Sources/CThreadStart/include/thread_heap.h`). The two workers of the screening
/// benchmark made 4,800 such calls while keeping its recommendations; with the room made
/// ahead, 630 in all (most of them the room's own, one per block), and the screening took
/// about 9 % less time (docs/performance.md, thirty-ninth pass).
enum ThreadHeap {
    /// The most room a worker makes: about what one of the benchmark's two workers keeps
    /// of a 420 MB export (19–25 MiB).
    static let most = 32 << 20

    /// Makes the calling worker's heap ready to grow once the input it reads reaches its
    /// third block (a file of a few blocks keeps little): by a sixteenth of the input's
    /// `size` in bytes, at most ``most``, and by ``most`` when the size is not known (a
    /// pipe, a sheet of a workbook). Costs about 1 ms per worker the first time, and keeps
    /// no pages: they are given back at once (the benchmark's peak rose by 2 MB).
    static func reserve(forBlock index: Int, ofInput size: Int?) {
        guard index >= 2 else { return }
        chainmap_thread_heap_reserve(min(most, (size ?? .max) / 16))
    }
}
