#if canImport(Glibc)
import Glibc
#endif

/// Memory given its pages at once.
enum MemoryPages {
    /// Gives the whole pages of `buffer`, a fresh allocation about to be written through,
    /// their memory now, in one call (Linux's `MADV_POPULATE_WRITE`, from 5.14): written
    /// one by one, each page is a fault, about 1.2 µs on this project's machines (3.6 MB
    /// of pages: 1.2 ms against 0.8). Pages already in use are left as they are. Below
    /// 256 KB (likely reused heap), on older kernels (the call fails and nothing happens)
    /// and on other systems: nothing.
    static func populate(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux) && canImport(Glibc)
        guard buffer.count >= 256 << 10, let base = buffer.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0 else { return }
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + buffer.count) & ~(page - 1)
        guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
        let populateWrite: Int32 = 23  // MADV_POPULATE_WRITE, which older headers lack
        _ = madvise(first, end - start, populateWrite)
        #endif
    }
}
