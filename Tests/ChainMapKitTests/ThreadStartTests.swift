import CThreadStart
import Foundation
import Synchronization
import Testing
@testable import ChainMapKit

#if canImport(Glibc)
import Glibc

/// Threads started on another processor than their creator's (Sources/CThreadStart).
@Suite struct ThreadStartTests {
    /// What a started thread saw, handed back through its argument.
    private final class Seen: Sendable {
        let placement = Mutex<chainmap_thread_placement?>(nil)
    }

    /// Starts a thread with `chainmap_thread_start` and joins it: its placement and what
    /// it returned.
    private func startAndJoin(stackSize: Int) -> (placement: chainmap_thread_placement, returned: UnsafeMutableRawPointer?) {
        let seen = Seen()
        let argument = Unmanaged.passRetained(seen).toOpaque()
        var thread = pthread_t()
        let started = chainmap_thread_start(&thread, stackSize, { argument in
            let seen = Unmanaged<Seen>.fromOpaque(argument!).takeRetainedValue()
            seen.placement.withLock { $0 = chainmap_thread_start_placement() }
            return UnsafeMutableRawPointer(bitPattern: 0x5EED)
        }, argument)
        #expect(started == 0)
        var returned: UnsafeMutableRawPointer?
        pthread_join(thread, &returned)
        return (seen.placement.withLock { $0! }, returned)
    }

    /// With two processors or more, the thread begins on another than the one its caller
    /// was on, then may use them all; with one (or under `taskset -c 0`), it starts as any
    /// thread does, and this checks only that. (Without the narrowing, `avoided` is -1 on
    /// a machine of two processors, and this fails; without the taking back,
    /// `allowed_after` is one less than `allowed`.)
    @Test func beginsOnAnotherProcessorThenTakesThemAllBack() {
        for _ in 0..<20 {
            let placement = startAndJoin(stackSize: 0).placement
            #expect(placement.began_on >= 0)
            // An affinity too large for cpu_set_t (more than 1024 processors) is not read:
            // the thread starts as any thread does.
            if placement.allowed == -1 {
                #expect(placement.avoided == -1)
                continue
            }
            #expect(placement.allowed >= 1)
            #expect(placement.allowed_after == placement.allowed)
            if placement.allowed >= 2 {
                #expect(placement.avoided >= 0)
                #expect(placement.began_on != placement.avoided)
            } else {
                #expect(placement.avoided == -1)
            }
        }
    }

    /// The stack asked for, the argument and the result pass through as with
    /// `pthread_create`.
    @Test func keepsTheStackSizeArgumentAndResult() {
        let started = startAndJoin(stackSize: 64 << 20)
        #expect(started.placement.stack_size >= 64 << 20)
        #expect(started.returned == UnsafeMutableRawPointer(bitPattern: 0x5EED))
    }

    /// `Parallel.Pending` threads (the converters' opening, files read ahead, maps drawn
    /// beside the reading) start so.
    @Test func pendingWorkStartsOnAnotherProcessor() {
        let placement = Parallel.Pending { chainmap_thread_start_placement() }.value
        #expect(placement.began_on >= 0)
        if placement.allowed >= 2 {
            #expect(placement.avoided >= 0)
            #expect(placement.began_on != placement.avoided)
        }
    }

    /// A worker's heap made ready ahead (Sources/CThreadStart/include/thread_heap.h): on a
    /// thread of its own, the room asked for is allocated and given back once, then the
    /// thread's heap is readable that far (one mapping in /proc/self/maps), and asking
    /// again for as much or less does nothing. (A thread that glibc put on the main arena,
    /// when more threads than arenas run, grows the process's `[heap]` instead: there
    /// only the answers are checked. Without the blocks, as when a release build dropped
    /// their allocation before it was volatile, the mapping stays at glibc's first 132 KiB,
    /// and this fails.)
    @Test func workerHeapReadyAhead() {
        // Not where glibc gives the room back (strict overcommit accounting), nor with its
        // mmap threshold set below the blocks' size from the environment: the blocks are
        // then mapped, and no room is made (thread_heap.h).
        let environment = ProcessInfo.processInfo.environment
        guard chainmap_thread_heap_reserve_supported() != 0, environment["MALLOC_MMAP_THRESHOLD_"] == nil,
            !(environment["GLIBC_TUNABLES"] ?? "").contains("mmap_threshold")
        else { return }
        struct Seen: Sendable {
            var first = 0, again = 0, less = 0, more = 0
            var mapping: (size: Int, readWrite: Bool, mainHeap: Bool)?
        }
        let block = 124 << 10
        let seen = Parallel.Pending { () -> Seen in
            var seen = Seen()
            seen.first = chainmap_thread_heap_reserve(40 << 20)
            seen.again = chainmap_thread_heap_reserve(40 << 20)
            seen.less = chainmap_thread_heap_reserve(8 << 20)
            // An allocation made now lies in the thread's heap.
            let probe = malloc(64)!
            defer { free(probe) }
            let address = UInt(bitPattern: probe)
            // Read to its end, however long: with the suite's threads it is hundreds of
            // lines, which a read of the size the file reports (none) cuts short.
            var bytes: [UInt8] = []
            let fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                while case let n = read(fd, &chunk, chunk.count), n > 0 { bytes += chunk[..<n] }
                close(fd)
            }
            let maps = String(decoding: bytes, as: UTF8.self)
            for line in maps.split(separator: "\n") {
                let parts = line.split(separator: " ", omittingEmptySubsequences: true)
                let range = parts[0].split(separator: "-").compactMap { UInt($0, radix: 16) }
                guard range.count == 2, range[0] <= address, address < range[1] else { continue }
                seen.mapping = (Int(range[1] - range[0]), parts[1].hasPrefix("rw"), line.hasSuffix("[heap]"))
            }
            seen.more = chainmap_thread_heap_reserve(48 << 20)
            return seen
        }.value
        #expect(seen.first == (40 << 20) / block * block)
        #expect(seen.again == 0 && seen.less == 0)
        #expect(seen.more == (48 << 20) / block * block)
        guard let mapping = seen.mapping else {
            Issue.record("no mapping of /proc/self/maps holds the thread's allocation")
            return
        }
        if !mapping.mainHeap {
            #expect(mapping.readWrite)
            #expect(mapping.size >= seen.first, "the heap is readable for \(mapping.size) bytes")
        }
    }

    /// Any other thread has no placement.
    @Test func otherThreadsHaveNone() {
        let placement = chainmap_thread_start_placement()
        #expect(placement.allowed == -1 && placement.avoided == -1 && placement.began_on == -1 && placement.allowed_after == -1)
        #expect(placement.stack_size == 0)
    }
}
#endif
