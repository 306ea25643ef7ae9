/// A set of name hashes (``LeadValues/nameHash(_:)``): how a screening counts the
/// distinct enterprises it recommended, and how an industrial system counts them across
/// chains, without keeping their names.
///
/// The members are already hashes, so they are placed by their own bits (spread by one
/// multiplication) in one open-addressed table, where a `Set<UInt64>` hashed each member
/// again with SipHash on every insertion and every lookup: the ten-chain report inserts
/// about 320,000 names while it reads and counts them again across the chains. The table
/// is at most half full. The order in which ``forEach(_:)`` visits the members depends
/// on how the set was built; nothing is derived from it but counts.
public struct NameHashSet: Sendable, Equatable {
    /// The table: 0 marks an empty slot (a member 0 is ``hasZero``).
    private var slots: [UInt64]
    private var hasZero = false
    /// The number of members.
    public private(set) var count = 0

    /// An empty set with room for `capacity` members before it grows.
    public init(minimumCapacity capacity: Int = 0) {
        slots = []
        reserveCapacity(capacity)
    }

    /// The set of the given members.
    public init<S: Sequence>(_ members: S) where S.Element == UInt64 {
        self.init(minimumCapacity: members.underestimatedCount)
        for member in members { insert(member) }
    }

    public var isEmpty: Bool { count == 0 }

    /// Where a member's search starts: its bits spread by Fibonacci hashing, the top
    /// bits taken (FNV-1a's low bits vary least).
    @inline(__always)
    private static func start(of member: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (member &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// Whether the set holds `member`.
    public func contains(_ member: UInt64) -> Bool {
        if member == 0 { return hasZero }
        if slots.isEmpty { return false }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = Self.start(of: member, mask: mask)
            while true {
                let slot = slots[i]
                if slot == member { return true }
                if slot == 0 { return false }
                i = (i + 1) & mask
            }
        }
    }

    /// Adds `member`; whether it was not there before.
    @discardableResult
    public mutating func insert(_ member: UInt64) -> Bool {
        if member == 0 {
            if hasZero { return false }
            hasZero = true
            count += 1
            return true
        }
        if 2 * (count + 1) > slots.count { grow(to: max(16, 2 * slots.count)) }
        let inserted = slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            var i = Self.start(of: member, mask: mask)
            while true {
                let slot = slots[i]
                if slot == member { return false }
                if slot == 0 {
                    slots[i] = member
                    return true
                }
                i = (i + 1) & mask
            }
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Makes room for `capacity` members in all, so that inserting them never grows
    /// the table on the way.
    public mutating func reserveCapacity(_ capacity: Int) {
        guard capacity > 0 else { return }
        var size = max(16, slots.count)
        while size < 2 * capacity { size *= 2 }
        if size > slots.count { grow(to: size) }
    }

    private mutating func grow(to size: Int) {
        let old = slots
        slots = [UInt64](repeating: 0, count: size)
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = size - 1
            for member in old where member != 0 {
                var i = Self.start(of: member, mask: mask)
                while slots[i] != 0 { i = (i + 1) & mask }
                slots[i] = member
            }
        }
    }

    /// Adds every member of `other`: into this set, or, when `other` is the larger,
    /// this set's members into a copy of it (a set of 300,000 names is not inserted into
    /// an empty one member by member).
    public mutating func formUnion(_ other: NameHashSet) {
        if other.count > count {
            var larger = other
            larger.reserveCapacity(count + other.count)
            forEach { larger.insert($0) }
            self = larger
        } else {
            reserveCapacity(count + other.count)
            other.forEach { insert($0) }
        }
    }

    /// Adds every member of a list.
    public mutating func formUnion(_ members: [UInt64]) {
        reserveCapacity(count + members.count)
        for member in members { insert(member) }
    }

    /// Calls `body` with every member, once each.
    public func forEach(_ body: (UInt64) throws -> Void) rethrows {
        if hasZero { try body(0) }
        for member in slots where member != 0 { try body(member) }
    }

    /// How many distinct members some sets hold together, and how many of those are in
    /// more than one of them: each enterprise recommended across chains counted once, and
    /// those recommended for several.
    ///
    /// The members are first dealt by their top bits into small buckets, each then
    /// counted in a table that stays in the processor's cache: inserting 320,000 hashes
    /// into one table of 8 MB missed the cache on almost every insertion.
    public static func overlap(of sets: [NameHashSet]) -> (distinct: Int, inSeveral: Int) {
        // The member 0 is held apart (``hasZero``): counted here, not dealt.
        let zeros = sets.reduce(0) { $0 + ($1.hasZero ? 1 : 0) }
        let total = sets.reduce(0) { $0 + $1.count } - zeros
        var distinct = zeros > 0 ? 1 : 0
        var inSeveral = zeros > 1 ? 1 : 0
        guard total > 0 else { return (distinct, inSeveral) }
        // About 256 members a bucket, by the top bits of the spread member.
        var bits = 0
        while (total >> bits) > 256 && bits < 16 { bits += 1 }
        let buckets = 1 << bits
        let shift = UInt64(64 - bits)
        @inline(__always) func bucket(_ member: UInt64) -> Int {
            bits == 0 ? 0 : Int(truncatingIfNeeded: (member &* 0x9E37_79B9_7F4A_7C15) >> shift)
        }
        // Plain loops over the tables' slots: a closure that captured the counts made every
        // access to them go through a box.
        var starts = [Int](repeating: 0, count: buckets + 1)
        starts.withUnsafeMutableBufferPointer { starts in
            for set in sets {
                set.slots.withUnsafeBufferPointer { slots in
                    for member in slots where member != 0 { starts[bucket(member) + 1] += 1 }
                }
            }
            for b in 0..<buckets { starts[b + 1] += starts[b] }
        }
        var next = starts
        let dealt = [UInt64](unsafeUninitializedCapacity: total) { dealt, count in
            next.withUnsafeMutableBufferPointer { next in
                for set in sets {
                    set.slots.withUnsafeBufferPointer { slots in
                        for member in slots where member != 0 {
                            let b = bucket(member)
                            dealt.initializeElement(at: next[b], to: member)
                            next[b] += 1
                        }
                    }
                }
            }
            count = total
        }
        // One bucket's members at a time, each with how many sets hold it, in a table that
        // stays in the cache (0 marks an empty slot: no member dealt is 0).
        var size = 16
        while size < 2 * (starts.indices.dropFirst().map { starts[$0] - starts[$0 - 1] }.max() ?? 0) { size *= 2 }
        var table = [UInt64](repeating: 0, count: size)
        var counts = [UInt8](repeating: 0, count: size)
        var filled = [Int](repeating: 0, count: size)
        dealt.withUnsafeBufferPointer { dealt in
            table.withUnsafeMutableBufferPointer { table in
                counts.withUnsafeMutableBufferPointer { counts in
                    filled.withUnsafeMutableBufferPointer { filled in
                        let mask = size - 1
                        for b in 0..<buckets {
                            var used = 0
                            for i in starts[b]..<starts[b + 1] {
                                let member = dealt[i]
                                // The bits below the bucket's: the top ones chose it.
                                var slot = Int(truncatingIfNeeded: (member &* 0x9E37_79B9_7F4A_7C15) >> 16) & mask
                                while table[slot] != 0 && table[slot] != member { slot = (slot + 1) & mask }
                                if table[slot] == 0 {
                                    table[slot] = member
                                    filled[used] = slot
                                    used += 1
                                    distinct += 1
                                } else if counts[slot] == 1 {
                                    inSeveral += 1
                                }
                                if counts[slot] < 2 { counts[slot] += 1 }
                            }
                            // Emptied where filled, for the next bucket.
                            for k in 0..<used {
                                table[filled[k]] = 0
                                counts[filled[k]] = 0
                            }
                        }
                    }
                }
            }
        }
        return (distinct, inSeveral)
    }

    /// The members, as `Set` (for tests and callers that want one).
    public var members: Set<UInt64> {
        var set = Set<UInt64>(minimumCapacity: count)
        forEach { set.insert($0) }
        return set
    }

    /// Two sets are equal when they hold the same members, however they were built.
    public static func == (a: NameHashSet, b: NameHashSet) -> Bool {
        guard a.count == b.count else { return false }
        var equal = true
        a.forEach { if equal && !b.contains($0) { equal = false } }
        return equal
    }
}
