@testable import ChainMapKit
import Testing

@Suite("Sets of name hashes")
struct NameHashSetTests {
    /// Members drawn from a small pool, so that sets overlap, with 0 and values that
    /// share their top and their spread bits (the same table slot) among them.
    static func members(_ count: Int, pool: Int, seed: UInt64) -> [UInt64] {
        var values = SeededGenerator(seed: seed)
        var base = (0..<pool).map { _ in values.next() }
        base += [0, 1, 1 << 63, 0xFFFF_FFFF_FFFF_FFFF]
        // Multiples of the inverse of the spreading constant land in neighbouring slots.
        base += (1...40).map { UInt64($0) &* 0xF1DE_83E1_9937_733D }
        return (0..<count).map { _ in base[Int(values.next() % UInt64(base.count))] }
    }

    @Test("insert, contains, count and union agree with Set on members that collide, and 0", arguments: [0, 1, 7, 300, 5_000, 40_000])
    func agreesWithSet(count: Int) {
        let first = Self.members(count, pool: count / 2 + 1, seed: 1)
        let second = Self.members(count / 3, pool: count / 2 + 1, seed: 2)
        var set = NameHashSet()
        var reference = Set<UInt64>()
        for member in first {
            #expect(set.insert(member) == reference.insert(member).inserted)
        }
        #expect(set.count == reference.count)
        #expect(set.members == reference)
        for member in second { #expect(set.contains(member) == reference.contains(member)) }
        // Union both ways round: into the larger and into the smaller.
        let other = NameHashSet(second)
        var intoLarger = set
        intoLarger.formUnion(other)
        var intoSmaller = other
        intoSmaller.formUnion(set)
        let union = reference.union(second)
        #expect(intoLarger.members == union && intoLarger.count == union.count)
        #expect(intoSmaller.members == union && intoSmaller.count == union.count)
        #expect(intoLarger == intoSmaller)
        var listed = set
        listed.formUnion(second)
        #expect(listed == intoLarger)
        var visited: [UInt64] = []
        intoLarger.forEach { visited.append($0) }
        #expect(visited.count == union.count && Set(visited) == union)
    }

    @Test("an empty set holds nothing and equals another empty one")
    func empty() {
        let set = NameHashSet()
        #expect(set.isEmpty && set.count == 0)
        #expect(!set.contains(0) && !set.contains(42))
        #expect(set == NameHashSet(minimumCapacity: 1000))
        #expect(NameHashSet.overlap(of: []) == (0, 0))
        #expect(NameHashSet.overlap(of: [set, set]) == (0, 0))
    }

    @Test("the overlap of sets counts each member once, and those in more than one set", arguments: [0, 1, 2, 255, 256, 257, 3_000, 70_000])
    func overlap(size: Int) {
        for sets in 1...4 {
            let lists = (0..<sets).map { Self.members(size, pool: size + 1, seed: UInt64(10 * sets + $0)) }
            let hashed = lists.map { NameHashSet($0) }
            var held: [UInt64: Int] = [:]
            for list in lists { for member in Set(list) { held[member, default: 0] += 1 } }
            let found = NameHashSet.overlap(of: hashed)
            #expect(found.distinct == held.count, "\(sets) sets of \(size)")
            #expect(found.inSeveral == held.values.filter { $0 > 1 }.count, "\(sets) sets of \(size)")
        }
    }
}
