import Dispatch
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
}
