import Synchronization

/// Values worked out once per key and remembered for the rest of the process, at most
/// ``limit`` keys: a memo, not a store. The keys come from third parties' files (a tag, a
/// 省份 or 城市 cell), so a file whose every row has its own cannot grow it without bound;
/// keys beyond the limit are worked out again each time. Shared by every thread.
final class BoundedMemo<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let limit: Int
    private let known = Mutex<[Key: Value]>([:])

    init(limit: Int = 4096) {
        self.limit = limit
    }

    /// The value remembered for `key`, else `compute()`'s, remembered while there is room.
    func value(for key: Key, _ compute: () -> Value) -> Value {
        if let value = known.withLock({ $0[key] }) { return value }
        let value = compute()
        known.withLock { known in
            if known.count < limit { known[key] = value }
        }
        return value
    }
}
