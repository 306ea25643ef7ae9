import Dispatch
import Foundation
import Synchronization

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
    final class Pending<Value: Sendable>: Sendable {
        private let result = Mutex<Value?>(nil)
        private let finished = DispatchGroup()

        /// Starts `body`. `stackSize` is the thread's stack: Graphviz lays out large maps
        /// recursively, and needs the main thread's, not a secondary thread's 512 KB.
        init(stackSize: Int = 8 << 20, _ body: @escaping @Sendable () -> Value) {
            finished.enter()
            let thread = Thread { [self] in
                // Stored without a copy left on this thread, so that ``take()`` leaves the
                // caller the only reference.
                store(body())
                finished.leave()
            }
            thread.stackSize = stackSize
            thread.start()
        }

        private func store(_ value: Value) {
            result.withLock { $0 = value }
        }

        /// The result, once `body` has returned.
        var value: Value {
            finished.wait()
            return result.withLock { $0! }
        }

        /// The result, once `body` has returned, moved out: the thread keeps no reference
        /// to it, so that it is released where the caller lets it go (a Graphviz context
        /// freed before the process exits, not on the thread after). Once only.
        func take() -> Value {
            finished.wait()
            return result.withLock { $0.take()! }
        }
    }
}
