import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Values worked out once per key and remembered for the rest of the process, at most
/// ``limit`` keys: a memo, not a store. The keys come from third parties' files (a tag, a
/// 省份 or 城市 cell), so a file whose every row has its own cannot grow it without bound;
/// keys beyond the limit are worked out again each time. Shared by every thread. Texts
/// are keyed as ``TextKey``s.
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

/// A text as a memo key, hashed and compared by its UTF-8 bytes. `String` hashes
/// non-ASCII text through its normalised form (canonical equivalence) on every lookup,
/// which cost a scored row more than the tier lookups it keys (1,500 instructions a
/// Chinese tag). Two spellings of one text that differ in their bytes (a precomposed
/// letter and a decomposed one) are two keys, each with the value worked out from it.
struct TextKey: Hashable, Sendable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: TextKey, b: TextKey) -> Bool {
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        return a.text.withUTF8Bytes { x in b.text.withUTF8Bytes { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }

    func hash(into hasher: inout Hasher) {
        text.withUTF8Bytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
