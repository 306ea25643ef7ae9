import CThreadStart
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work spread over every core.
enum Parallel {
    /// `body` for each index in `0..<count`, on every core at once; the results in index
    /// order. For work on independent parts (each chain of a run, say).
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Mutex([T?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { i in
            let result = body(i)
            results.withLock { $0[i] = result }
        }
        return results.withLock { $0 }.map { $0! }
    }

    /// Work started on a thread of its own, its result waited for where it is needed:
    /// work beside the reading threads, which keep every core busy (a queue of the shared
    /// pool could wait for one of them to finish), or beside the stages before it.
    ///
    /// A POSIX thread, joined when the result is first asked for: Foundation's `Thread`
    /// and a `DispatchGroup` cost the start of `render` about 1 ms more before the thread
    /// ran (Foundation's thread bookkeeping, libdispatch's start), on the path that Graphviz's
    /// start takes (docs/performance.md, eighteenth pass). Started on another processor
    /// than the caller's (`chainmap_thread_start`), which Linux would start it on, to take
    /// turns with the caller until it next balances its load.
    final class Pending<Value: Sendable>: Sendable {
        /// Where the thread leaves the result; the thread holds it too, until it returns.
        private let slot = Slot()
        /// The thread, until it is joined (or detached, when no one asked for the result).
        private let thread: Mutex<Thread?>

        /// Starts `body`. `stackSize` is the thread's stack: Graphviz lays out large maps
        /// recursively, and needs the main thread's, not the 512 KB of Foundation's and Dispatch's
        /// threads; so does composing a part of a large chain file (Yams nests a call per
        /// level, up to libyaml's 1,000: 512 KB was too little for a debug build).
        init(stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Value) {
            let run: @Sendable () -> Void = { [slot] in
                let value = body()
                slot.result.withLock { $0 = value }
            }
            let id = Self.start(run, stackSize: stackSize)
            // No thread to be had (the process is at its limit): the work runs here.
            if id == nil { run() }
            thread = Mutex(id)
        }

        /// A thread running `run`, or nil when none could be started.
        private static func start(_ run: @escaping @Sendable () -> Void, stackSize: Int) -> Thread? {
            let argument = Unmanaged.passRetained(ThreadBody(run)).toOpaque()
            var id = Thread()
            guard chainmap_thread_start(&id, stackSize, runThreadBody, argument) == 0 else {
                Unmanaged<ThreadBody>.fromOpaque(argument).release()
                return nil
            }
            return id
        }

        #if canImport(Darwin)
        private typealias Thread = pthread_t?
        #else
        private typealias Thread = pthread_t
        #endif

        deinit {
            thread.withLock { if let id = $0 { pthread_detach(id) } }
        }

        /// The result, once `body` has returned.
        var value: Value {
            join()
            return slot.result.withLock { $0! }
        }

        /// The result, once `body` has returned, moved out: the thread keeps no reference
        /// to it, so that it is released where the caller lets it go (a Graphviz context
        /// freed before the process exits, not on the thread after). Once only.
        func take() -> Value {
            join()
            return slot.result.withLock { $0.take()! }
        }

        /// Waits for the thread to end, once; later calls return at once.
        private func join() {
            thread.withLock { thread in
                if let id = thread.take() { pthread_join(id, nil) }
            }
        }

        private final class Slot: Sendable {
            let result = Mutex<Value?>(nil)
        }
    }
}

/// What a ``Parallel/Pending`` thread runs, handed to it retained.
private final class ThreadBody: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// A ``Parallel/Pending`` thread's start: runs its body, released before the thread
/// ends, so that the result stays only where the body left it.
private func runThreadBody(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue().body()
    return nil
}
