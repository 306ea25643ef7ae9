import Synchronization

/// A multi-pattern matcher over UTF-8 bytes: an Aho–Corasick automaton compiled to a
/// deterministic table, so that a scan costs one table step per byte whatever the
/// number of patterns.
///
/// ASCII letters are folded (`IGBT` matches `igbt`); every other byte matches itself.
/// Since UTF-8 is self-synchronising, a pattern that is valid UTF-8 only matches a
/// valid text at character boundaries. A pattern that starts (or ends) with an ASCII
/// letter or digit matches only where the text has none right before (or after) it, so
/// that `ECU` is not found in `Security`, nor `5G` in `15G`; Chinese text around it is
/// fine (`ECU模块`).
///
/// The table is indexed by (state, byte class): bytes that occur in no pattern share one
/// class, and the entries hold the next state premultiplied by the class count, so that
/// the inner loop is a single load and add per byte.
///
/// That table takes states × classes entries, which keywords in many scripts make large
/// (a state per keyword byte, a class per distinct byte: 0.41 MB of keywords in five
/// scripts would take 264 MB). Past ``maxTableEntries`` the automaton is compiled
/// compactly instead: each state's own edges and its failure link, followed at scan time
/// (a few steps per byte, memory in proportion to the keywords). Both find the same
/// occurrences.
public struct KeywordAutomaton: Sendable {
    /// The most entries of the dense table (16,777,216: 64 MB); an automaton that would
    /// need more is compact. A real chain's keywords take about 120,000 entries, the
    /// screening benchmark's 499 keywords about 900,000.
    public static let maxTableEntries = 1 << 24

    /// The patterns, in the order given, as folded UTF-8 bytes.
    public let patterns: [[UInt8]]
    /// Byte → class.
    let classOf: [UInt8]
    let classCount: Int
    /// States at or above this (premultiplied) value end at least one pattern.
    let firstMatchState: UInt32
    /// For match state `k` (counted from ``firstMatchState``), its patterns are
    /// `outputs[outputStart[k] ..< outputStart[k + 1]]`.
    let outputStart: [Int32]
    let outputs: [Int32]
    /// Byte length of each pattern, and of the longest.
    let patternLength: [Int32]
    let longest: Int
    /// For each pattern: 1 when it starts with an ASCII letter or digit, 2 when it ends
    /// with one, 3 for both (a word of Latin letters): the ends that need a word boundary.
    let edges: [UInt8]
    /// The transition table (row-major, state × class → next state × classCount) and the
    /// tables above, in memory that never moves, for ``scanner``: the table only here,
    /// not also in an array (3.6 MB for a chain of 500 keywords).
    let pinned: PinnedTables

    /// The number of states of the automaton.
    public let stateCount: Int
    /// Whether the automaton is compiled compactly (see ``maxTableEntries``).
    public var isCompact: Bool { pinned.compact != nil }

    /// Compiles the patterns. Empty patterns are ignored; duplicates are kept (each
    /// reports its own index).
    public init(patterns: [String]) {
        self.init(patterns: patterns, maxTableEntries: Self.maxTableEntries)
    }

    /// ``init(patterns:)`` with the dense table's limit given (tests compile compactly
    /// with 0).
    init(patterns: [String], maxTableEntries: Int) {
        let folded = patterns.map { Array($0.utf8).map(Self.fold) }
        self.patterns = folded

        // Byte classes: one per byte value that occurs in a pattern, one for the rest.
        var classOf = [UInt8](repeating: 0, count: 256)
        var used = [Bool](repeating: false, count: 256)
        for pattern in folded { for byte in pattern { used[Int(byte)] = true } }
        var classCount = 1
        // Patterns are folded, so at most 256 - 26 byte values occur: the classes fit a byte.
        for byte in 0..<256 where used[byte] {
            classOf[byte] = UInt8(classCount)
            classCount += 1
        }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") {
            classOf[Int(byte)] = classOf[Int(Self.fold(byte))]
        }
        self.classOf = classOf
        self.classCount = classCount

        // The trie, from the patterns in byte order: a pattern shares with the one before
        // it the longest prefix it shares with any before it, so each pattern's new nodes
        // hang off the path of the one before, and every node's children are made in
        // class order (classes follow byte order). Flat arrays, not a dictionary of
        // children per node: allocating, growing and freeing those took two thirds of
        // building the automaton of ten chains' keywords (56 M instructions, on the
        // critical path of `report chains/`).
        var order = folded.indices.filter { !folded[$0].isEmpty }
        order.sort { a, b in
            let (x, y) = (folded[a], folded[b])
            return x == y ? a < b : x.lexicographicallyPrecedes(y)
        }
        var edgeParent: [Int32] = []
        var edgeClass: [Int32] = []
        var own: [[Int32]] = [[]]
        var path: [Int32] = [0]
        var previous: [UInt8] = []
        for index in order {
            let pattern = folded[index]
            var common = 0
            while common < pattern.count && common < previous.count && pattern[common] == previous[common] { common += 1 }
            path.removeSubrange((common + 1)...)
            for byte in pattern[common...] {
                edgeParent.append(path[path.count - 1])
                edgeClass.append(Int32(classOf[Int(byte)]))
                path.append(Int32(own.count))
                own.append([])
            }
            own[Int(path[path.count - 1])].append(Int32(index))
            previous = pattern
        }
        // Each node's children (node k + 1 is the child of edge k), in class order.
        let n = own.count
        var childStart = [Int32](repeating: 0, count: n + 1)
        for parent in edgeParent { childStart[Int(parent) + 1] += 1 }
        for i in 0..<n { childStart[i + 1] += childStart[i] }
        var children = [Int32](repeating: 0, count: edgeParent.count)
        var filled = childStart
        for (k, parent) in edgeParent.enumerated() {
            children[Int(filled[Int(parent)])] = Int32(k)
            filled[Int(parent)] += 1
        }

        self.stateCount = n
        self.patternLength = folded.map { Int32($0.count) }
        self.edges = folded.map { pattern in
            guard let first = pattern.first, let last = pattern.last else { return 0 }
            return (Self.isWordByte(first) ? 1 : 0) | (Self.isWordByte(last) ? 2 : 0)
        }
        self.longest = folded.map(\.count).max() ?? 0
        if n * classCount > maxTableEntries {
            let compact = Self.compact(
                folded: folded, own: own, classCount: classCount, edgeClass: edgeClass, childStart: childStart,
                children: children)
            self.firstMatchState = compact.firstMatch
            self.outputStart = compact.outputStart
            self.outputs = compact.outputs
            self.pinned = PinnedTables(
                table: UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 1), classes: classOf,
                outputStart: compact.outputStart, outputs: compact.outputs, lengths: patternLength, edges: edges,
                compact: compact.tables)
            return
        }

        // Breadth-first: failure links, full transitions and inherited outputs, written
        // straight into the memory the scanners read, its pages made at once (3.6 MB for
        // the screening benchmark's 499 keywords); then renumbered in place. Built in a
        // second table and copied, it took twice the memory and twice the page faults.
        let entries = n * classCount
        let table = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(1, entries))
        MemoryPages.populate(UnsafeMutableRawBufferPointer(table))
        let base = table.baseAddress!
        var fail = [Int32](repeating: 0, count: n)
        var out = own
        var queue: [Int32] = []
        queue.reserveCapacity(n)
        base.initialize(repeating: 0, count: classCount)
        for e in childStart[0]..<childStart[1] {
            let k = Int(children[Int(e)])
            base[Int(edgeClass[k])] = UInt32(k + 1)
            queue.append(Int32(k + 1))
        }
        var head = 0
        while head < queue.count {
            let u = Int(queue[head])
            head += 1
            let f = Int(fail[u])
            if !out[f].isEmpty { out[u] += out[f] }
            // The failure state's row (done: it is nearer the root), then this state's own
            // edges over it.
            (base + u * classCount).initialize(from: base + f * classCount, count: classCount)
            for e in childStart[u]..<childStart[u + 1] {
                let k = Int(children[Int(e)])
                let (c, child) = (Int(edgeClass[k]), k + 1)
                base[u * classCount + c] = UInt32(child)
                fail[child] = Int32(base[f * classCount + c])
                queue.append(Int32(child))
            }
        }
        let (newID, firstMatch, outputStart, outputs) = Self.renumber(out, folded: folded)
        Self.renumberInPlace(base, states: n, classCount: classCount, newID: newID)
        self.firstMatchState = UInt32(firstMatch) * UInt32(classCount)
        self.outputStart = outputStart
        self.outputs = outputs
        self.pinned = PinnedTables(
            table: table, classes: classOf, outputStart: outputStart, outputs: outputs, lengths: patternLength,
            edges: edges, compact: nil, skipping: SkipTables(folded, table: base, classOf: classOf))
    }

    /// The states numbered for the scanners: those without output first (the root stays
    /// 0), those with output last, from `firstMatch` on; and the outputs of match state `k`
    /// (counted from `firstMatch`), `outputs[outputStart[k] ..< outputStart[k + 1]]`, the
    /// longest pattern first, so that callers that keep the first hit keep the most specific.
    private static func renumber(_ out: [[Int32]], folded: [[UInt8]]) -> (
        newID: [Int32], firstMatch: Int32, outputStart: [Int32], outputs: [Int32]
    ) {
        let n = out.count
        var newID = [Int32](repeating: 0, count: n)
        var next: Int32 = 0
        for s in 0..<n where out[s].isEmpty { newID[s] = next; next += 1 }
        let firstMatch = next
        var outputStart: [Int32] = [0]
        var outputs: [Int32] = []
        for s in 0..<n where !out[s].isEmpty {
            newID[s] = next
            next += 1
            outputs += out[s].sorted { folded[Int($0)].count > folded[Int($1)].count || (folded[Int($0)].count == folded[Int($1)].count && $0 < $1) }
            outputStart.append(Int32(outputs.count))
        }
        return (newID, firstMatch, outputStart, outputs)
    }

    /// Renumbers the table of ``init(patterns:maxTableEntries:)`` in place: every entry
    /// (a state) becomes the new number of its state premultiplied by `classCount`, and
    /// state `s`'s row moves to row `newID[s]`, one cycle of the permutation at a time
    /// with one row held aside.
    private static func renumberInPlace(_ base: UnsafeMutablePointer<UInt32>, states n: Int, classCount: Int, newID: [Int32]) {
        let premultiplied = newID.map { UInt32($0) * UInt32(classCount) }
        premultiplied.withUnsafeBufferPointer { premultiplied in
            for i in 0..<(n * classCount) { base[i] = premultiplied[Int(base[i])] }
        }
        let held = UnsafeMutablePointer<UInt32>.allocate(capacity: classCount)
        held.initialize(repeating: 0, count: classCount)
        defer { held.deallocate() }
        var placed = [Bool](repeating: false, count: n)
        for start in 0..<n where !placed[start] {
            if Int(newID[start]) == start {
                placed[start] = true
                continue
            }
            // `held` holds state s's row, which goes to row newID[s], whose row is held next.
            held.update(from: base + start * classCount, count: classCount)
            var s = start
            repeat {
                let row = base + Int(newID[s]) * classCount
                for c in 0..<classCount { swap(&held[c], &row[c]) }
                placed[s] = true
                s = Int(newID[s])
            } while s != start
        }
    }

    /// The compact form of the trie (node `k + 1` is the child of edge `k`; a node's
    /// children in class order): failure links found by walking them, not from full rows,
    /// and the states renumbered as the dense table's are, with premultiplier 1.
    private static func compact(
        folded: [[UInt8]], own: [[Int32]], classCount: Int, edgeClass: [Int32], childStart: [Int32], children: [Int32]
    ) -> (firstMatch: UInt32, outputStart: [Int32], outputs: [Int32], tables: CompactTables) {
        let n = own.count
        // The trie's own edge from `u` by class `c`, if any (children are in class order).
        func child(_ u: Int, _ c: Int32) -> Int? {
            var (lo, hi) = (Int(childStart[u]), Int(childStart[u + 1]))
            while lo < hi {
                let mid = (lo + hi) / 2
                let k = Int(children[mid])
                if edgeClass[k] == c { return k + 1 }
                if edgeClass[k] < c { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
        var fail = [Int32](repeating: 0, count: n)
        var out = own
        var queue: [Int32] = []
        queue.reserveCapacity(n)
        for e in childStart[0]..<childStart[1] { queue.append(children[Int(e)] + 1) }
        var head = 0
        while head < queue.count {
            let u = Int(queue[head])
            head += 1
            let f = Int(fail[u])
            if !out[f].isEmpty { out[u] += out[f] }
            for e in childStart[u]..<childStart[u + 1] {
                let k = Int(children[Int(e)])
                let (c, v) = (edgeClass[k], k + 1)
                // The longest proper suffix of v's path that is a path of the trie: extend
                // u's failure state by c, or its failure state's, up to the root.
                var g = f
                while true {
                    if let next = child(g, c) { fail[v] = Int32(next); break }
                    if g == 0 { fail[v] = 0; break }
                    g = Int(fail[g])
                }
                queue.append(Int32(v))
            }
        }
        let (newID, firstMatch, outputStart, outputs) = renumber(out, folded: folded)
        var rootRow = [UInt32](repeating: 0, count: classCount)
        for e in childStart[0]..<childStart[1] {
            let k = Int(children[Int(e)])
            rootRow[Int(edgeClass[k])] = UInt32(newID[k + 1])
        }
        // Edges and failure links by new number.
        var old = [Int32](repeating: 0, count: n)
        for s in 0..<n { old[Int(newID[s])] = Int32(s) }
        var edgeStart: [UInt32] = [0]
        var edgeClasses: [UInt8] = []
        var edgeTargets: [UInt32] = []
        var failLinks = [UInt32](repeating: 0, count: n)
        edgeStart.reserveCapacity(n + 1)
        edgeClasses.reserveCapacity(children.count)
        edgeTargets.reserveCapacity(children.count)
        for id in 0..<n {
            let s = Int(old[id])
            for e in childStart[s]..<childStart[s + 1] {
                let k = Int(children[Int(e)])
                edgeClasses.append(UInt8(edgeClass[k]))
                edgeTargets.append(UInt32(newID[k + 1]))
            }
            edgeStart.append(UInt32(edgeClasses.count))
            failLinks[id] = UInt32(newID[Int(fail[s])])
        }
        let tables = CompactTables(
            rootRow: rootRow, edgeStart: edgeStart, edgeClasses: edgeClasses, edgeTargets: edgeTargets, fail: failLinks)
        return (UInt32(firstMatch), outputStart, outputs, tables)
    }

    /// The compact automaton's tables (``maxTableEntries``), states numbered as the
    /// scanners read them: the root's full row; each state's edges, in class order; and
    /// each state's failure link.
    final class CompactTables: @unchecked Sendable {
        // @unchecked: written once in init, read-only after.
        let rootRow: UnsafeMutableBufferPointer<UInt32>
        let edgeStart: UnsafeMutableBufferPointer<UInt32>
        let edgeClasses: UnsafeMutableBufferPointer<UInt8>
        let edgeTargets: UnsafeMutableBufferPointer<UInt32>
        let fail: UnsafeMutableBufferPointer<UInt32>

        init(rootRow: [UInt32], edgeStart: [UInt32], edgeClasses: [UInt8], edgeTargets: [UInt32], fail: [UInt32]) {
            self.rootRow = PinnedTables.copy(rootRow)
            self.edgeStart = PinnedTables.copy(edgeStart)
            self.edgeClasses = PinnedTables.copy(edgeClasses)
            self.edgeTargets = PinnedTables.copy(edgeTargets)
            self.fail = PinnedTables.copy(fail)
        }

        deinit {
            rootRow.deallocate()
            edgeStart.deallocate()
            edgeClasses.deallocate()
            edgeTargets.deallocate()
            fail.deallocate()
        }

        var view: Compact {
            Compact(
                rootRow: UnsafePointer(rootRow.baseAddress!), edgeStart: UnsafePointer(edgeStart.baseAddress!),
                edgeClasses: UnsafePointer(edgeClasses.baseAddress!), edgeTargets: UnsafePointer(edgeTargets.baseAddress!),
                fail: UnsafePointer(fail.baseAddress!))
        }
    }

    /// What the dense automaton's skipping scan (``Scanner/scanSkipping(_:count:tables:_:)``)
    /// looks up, each a character at a time instead of three table steps:
    ///
    /// - `starts`: a bit per three-byte character (U+0800 to U+FFFF: the Chinese ones),
    ///   indexed by its 16 bits (8 KB), set for those that may start a keyword and clear
    ///   for the quiet ones, whose bytes lead from the root back to the root. No match ends
    ///   inside a character, since the patterns are UTF-8 strings; so a quiet character
    ///   reports nothing, and stepping over it changes nothing.
    /// - `singles`: a bit per three-byte character that is a pattern on its own.
    /// - the pairs: the first two characters of the patterns that start with two
    ///   three-byte characters, each with the state the automaton reaches from the root
    ///   over them. A character that may start a keyword is stepped over when it is no
    ///   keyword alone and the character after it continues none (a pair not in the set),
    ///   and a pair that is in it is stepped over at once, to its state.
    final class SkipTables: @unchecked Sendable {
        // @unchecked: written once in init, read-only after.
        let starts: UnsafeMutableBufferPointer<UInt64>
        let singles: UnsafeMutableBufferPointer<UInt64>
        /// Open addressing: each pair as `(first << 16 | second) << 32 | state` (never 0:
        /// both characters are at least U+0800), 0 for an empty slot; at most half full.
        let slots: UnsafeMutableBufferPointer<UInt64>
        let shift: UInt32

        /// The tables of `patterns` (folded) and their dense `table` (premultiplied, the
        /// root 0) with its byte classes.
        init(_ patterns: [[UInt8]], table: UnsafePointer<UInt32>, classOf: [UInt8]) {
            func bitTable() -> UnsafeMutableBufferPointer<UInt64> {
                let bits = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: CharacterBits.words)
                bits.initialize(repeating: 0)
                return bits
            }
            (starts, singles) = (bitTable(), bitTable())
            // From the root a continuation byte leads to the root (no pattern starts with
            // one): the characters whose first one or two bytes lead back there are quiet.
            for lead in 0..<16 {
                let s1 = table[Int(classOf[0xE0 | lead])]
                guard s1 != 0 else { continue }
                for second in 0..<64 {
                    let s2 = table[Int(s1 &+ UInt32(classOf[0x80 | second]))]
                    guard s2 != 0 else { continue }
                    for third in 0..<64 where table[Int(s2 &+ UInt32(classOf[0x80 | third]))] != 0 {
                        CharacterBits.insert(lead << 12 | second << 6 | third, into: starts.baseAddress!)
                    }
                }
            }
            var pairs: [UInt32: UInt32] = [:]
            func character(_ pattern: [UInt8], at offset: Int) -> Int? {
                guard offset + 3 <= pattern.count else { return nil }
                return pattern.withUnsafeBufferPointer { CharacterBits.character($0.baseAddress!, at: offset) }
            }
            for pattern in patterns {
                guard let first = character(pattern, at: 0) else { continue }
                if pattern.count == 3 { CharacterBits.insert(first, into: singles.baseAddress!) }
                if let second = character(pattern, at: 3) {
                    let pair = UInt32(first) << 16 | UInt32(second)
                    if pairs[pair] == nil {
                        var state: UInt32 = 0
                        for byte in pattern[..<6] { state = table[Int(state &+ UInt32(classOf[Int(byte)]))] }
                        pairs[pair] = state
                    }
                }
            }
            var bits: UInt32 = 4
            while 1 << bits < 2 * pairs.count { bits += 1 }
            shift = 32 - bits
            slots = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << bits)
            slots.initialize(repeating: 0)
            for (pair, state) in pairs {
                var k = Int(Self.hash(pair) >> shift)
                while slots[k] != 0 { k = (k + 1) & (slots.count - 1) }
                slots[k] = UInt64(pair) << 32 | UInt64(state)
            }
        }

        deinit {
            starts.deallocate()
            singles.deallocate()
            slots.deallocate()
        }

        @inline(__always)
        static func hash(_ pair: UInt32) -> UInt32 { pair &* 0x9E37_79B1 }

        var view: View {
            View(
                starts: UnsafePointer(starts.baseAddress!), singles: UnsafePointer(singles.baseAddress!),
                slots: UnsafePointer(slots.baseAddress!), mask: slots.count - 1, shift: shift)
        }

        /// A view for a ``Scanner``.
        struct View {
            let starts: UnsafePointer<UInt64>
            let singles: UnsafePointer<UInt64>
            let slots: UnsafePointer<UInt64>
            let mask: Int
            let shift: UInt32

            /// Whether `character` (three bytes) may start a keyword: it is no quiet one.
            @inline(__always)
            func mayStart(_ character: Int) -> Bool { CharacterBits.contains(starts, character) }

            /// Whether character `first` is a pattern on its own.
            @inline(__always)
            func isSingle(_ first: Int) -> Bool { CharacterBits.contains(singles, first) }

            /// The state after characters `first` and `second` from the root, when some
            /// pattern starts with them; else nil.
            @inline(__always)
            func state(_ first: Int, then second: Int) -> UInt32? {
                let pair = UInt32(first) << 16 | UInt32(second)
                var k = Int(SkipTables.hash(pair) >> shift)
                while true {
                    let slot = slots[k]
                    if UInt32(truncatingIfNeeded: slot >> 32) == pair { return UInt32(truncatingIfNeeded: slot) }
                    if slot == 0 { return nil }
                    k = (k + 1) & mask
                }
            }
        }
    }

    /// How a dense automaton scans its texts (``PinnedTables/scanMode``).
    ///
    /// Skipping is the faster where keywords start seldom (a chain's keywords over an
    /// export's scopes: a stop at 3 % of the characters, a table step at 1 % of the bytes)
    /// and the slower where they start often (ten chains' keywords at once: a stop at a
    /// third of the characters, a step at a ninth of the bytes). On the screening
    /// benchmark, forced one way and the other: the base workload 904 against 942 ms of
    /// CPU, the ten-chain report 894 against 859 ms (docs/performance.md, thirty-seventh
    /// pass). So each way's cost is estimated from the first texts (their
    /// ``trialBytes``): a stop counts ``stopCost`` bytes' worth, a step ``stepCost`` (a
    /// skipped character about one; on this project's machines the lanes take about
    /// three cycles a byte, a step that waits for a cold row of the table fifteen, a stop
    /// with its look-ups and its mispredicted branch twenty-five), and skipping stays
    /// while the total is at most the bytes scanned.
    enum ScanMode {
        /// Stepping over quiet characters, counting what it costs until ``trialBytes``.
        static let trying = 0
        /// Stepping over quiet characters (``Scanner/scanSkipping(_:count:tables:_:)``).
        static let skipping = 1
        /// A step per byte, in lanes side by side.
        static let lanes = 2
        /// How many bytes are scanned, counted, before the mode is chosen (some thousands
        /// of rows' scopes and names).
        static let trialBytes = 1 << 20
        /// A stop of the skipping at a character that may start a keyword, and a table
        /// step, in bytes' worth of the lanes' time.
        static let stopCost = 10
        static let stepCost = 6
    }

    /// A view of ``CompactTables`` for a ``Scanner``.
    struct Compact {
        let rootRow: UnsafePointer<UInt32>
        let edgeStart: UnsafePointer<UInt32>
        let edgeClasses: UnsafePointer<UInt8>
        let edgeTargets: UnsafePointer<UInt32>
        let fail: UnsafePointer<UInt32>

        /// The state after `state` on a byte of class `c`: its own edge by `c`, else its
        /// failure state's, up to the root's full row.
        @inline(__always)
        func step(_ state: UInt32, _ c: UInt8) -> UInt32 {
            var s = state
            while s != 0 {
                var (lo, hi) = (Int(edgeStart[Int(s)]), Int(edgeStart[Int(s) + 1]))
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let k = edgeClasses[mid]
                    if k == c { return edgeTargets[mid] }
                    if k < c { lo = mid + 1 } else { hi = mid }
                }
                s = fail[Int(s)]
            }
            return rootRow[Int(c)]
        }
    }

    /// The automaton's tables in memory of their own, which the ``Scanner``s read.
    final class PinnedTables: @unchecked Sendable {
        // @unchecked: written once in init, read-only after.
        let table: UnsafeMutableBufferPointer<UInt32>
        let classes: UnsafeMutableBufferPointer<UInt8>
        let outputStart: UnsafeMutableBufferPointer<Int32>
        let outputs: UnsafeMutableBufferPointer<Int32>
        let lengths: UnsafeMutableBufferPointer<Int32>
        let edges: UnsafeMutableBufferPointer<UInt8>
        /// The compact form's tables, when the automaton is compact (`table` is then unused).
        let compact: CompactTables?
        /// The dense automaton's look-ups for skipping quiet characters.
        let skipping: SkipTables?
        /// How the dense automaton scans (``Scanner/forEachMatch(in:beside:_:_:)``): its
        /// first texts stepping over quiet characters, counted (``ScanMode/trying``); then
        /// on in the way they showed faster for the text at hand.
        let scanMode = Atomic<Int>(ScanMode.trying)
        /// Of the texts scanned while trying: their bytes, and the cost of skipping over
        /// them (``ScanMode``).
        let trialBytes = Atomic<Int>(0)
        let trialCost = Atomic<Int>(0)

        /// Takes `table` (allocated for it, and freed with it); copies the rest.
        init(
            table: UnsafeMutableBufferPointer<UInt32>, classes: [UInt8], outputStart: [Int32], outputs: [Int32],
            lengths: [Int32], edges: [UInt8], compact: CompactTables?, skipping: SkipTables? = nil
        ) {
            self.table = table
            self.skipping = skipping
            self.classes = Self.copy(classes)
            self.outputStart = Self.copy(outputStart)
            self.outputs = Self.copy(outputs)
            self.lengths = Self.copy(lengths)
            self.edges = Self.copy(edges)
            self.compact = compact
        }

        /// An array's elements in memory of their own (at least one element's room).
        static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, array.count))
            _ = buffer.initialize(from: array)
            return buffer
        }

        deinit {
            table.deallocate()
            classes.deallocate()
            outputStart.deallocate()
            outputs.deallocate()
            lengths.deallocate()
            edges.deallocate()
        }
    }

    /// How the automaton scans from now on (``ScanMode``): for tests, which check each way
    /// against the other.
    func setScanMode(_ mode: Int) {
        pinned.scanMode.store(mode, ordering: .relaxed)
    }

    /// How the automaton scans now (``ScanMode``).
    var scanMode: Int { pinned.scanMode.load(ordering: .relaxed) }

    /// A scanner over the automaton. It reads memory the automaton owns: use it only
    /// while the automaton is alive (a matcher that holds the automaton, say).
    public var scanner: Scanner {
        Scanner(
            table: UnsafePointer(pinned.table.baseAddress!), classes: UnsafePointer(pinned.classes.baseAddress!),
            firstMatchState: firstMatchState, classCount: isCompact ? 1 : UInt32(classCount),
            outputStart: UnsafePointer(pinned.outputStart.baseAddress!), outputs: UnsafePointer(pinned.outputs.baseAddress!),
            lengths: UnsafePointer(pinned.lengths.baseAddress!), edges: UnsafePointer(pinned.edges.baseAddress!),
            longest: longest, compact: pinned.compact?.view, skipping: pinned.skipping?.view, pinned: pinned)
    }

    /// Whether a byte is an ASCII letter or digit (a byte of a word of Latin letters).
    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10
    }

    /// ASCII upper-case letters to lower case; every other byte unchanged.
    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// Calls `body(pattern, end)` for every occurrence of every pattern in `text`, where
    /// `end` is the offset just past the occurrence. Occurrences may overlap.
    public func forEachMatch(in text: UnsafeRawBufferPointer, _ body: (Int, Int) -> Void) {
        withScanner { $0.forEachMatch(in: text, body) }
    }

    /// Calls `body(pattern, end)` for every occurrence in a string's UTF-8.
    public func forEachMatch(in text: String, _ body: (Int, Int) -> Void) {
        text.withUTF8Bytes { forEachMatch(in: UnsafeRawBufferPointer($0), body) }
    }

    /// Runs `body` with a scanner (see ``scanner``).
    public func withScanner<R>(_ body: (Scanner) throws -> R) rethrows -> R {
        try withExtendedLifetime(pinned) { try body(scanner) }
    }

    /// A view of the automaton's tables, valid while the automaton is alive.
    public struct Scanner {
        let table: UnsafePointer<UInt32>
        let classes: UnsafePointer<UInt8>
        let firstMatchState: UInt32
        let classCount: UInt32
        let outputStart: UnsafePointer<Int32>
        let outputs: UnsafePointer<Int32>
        let lengths: UnsafePointer<Int32>
        let edges: UnsafePointer<UInt8>
        let longest: Int
        /// The compact automaton's tables, when it is compact (`table` is then unused, and
        /// states are not premultiplied: `classCount` is 1).
        let compact: Compact?
        /// For the dense automaton, the look-ups of its skipping scan.
        let skipping: SkipTables.View?
        /// The tables, for their scan mode (not retained: the scanner is valid only while
        /// the automaton, which holds them, is alive).
        unowned(unsafe) let pinned: PinnedTables

        /// Calls `body(pattern, end)` for every occurrence of every pattern in `text`.
        ///
        /// Each table step waits for the previous one, so a long text is cut into two or
        /// four lanes scanned side by side, which keeps several loads in flight. Lane `k`
        /// starts at the root at its first byte, so it finds exactly the occurrences that
        /// start in it or later, and reports only those that start inside it. Past its end
        /// it runs on only while an occurrence that started inside it may still be under
        /// way: until the automaton is back at the root (where no partial occurrence is
        /// pending; in UTF-8 text, at the first character that continues none), or for
        /// `longest - 1` bytes at most. Together the lanes report every occurrence once,
        /// in no particular order.
        public func forEachMatch(in text: UnsafeRawBufferPointer, _ body: (Int, Int) -> Void) {
            forEachMatch(in: text, beside: UnsafeRawBufferPointer(start: nil, count: 0), body) { _, _ in }
        }

        /// ``forEachMatch(in:_:)`` over two texts at once: `text` (a row's scope) in its
        /// lanes, and `other` (its name, usually short) as one lane more beside them,
        /// reported to `otherBody`. A short text scanned alone waits for each step before
        /// the next; beside the lanes of another its steps cost little more than theirs.
        public func forEachMatch(
            in text: UnsafeRawBufferPointer, beside other: UnsafeRawBufferPointer,
            _ body: (Int, Int) -> Void, _ otherBody: (Int, Int) -> Void
        ) {
            if let compact {
                // One text after the other, a step at a time: a compact automaton's steps
                // follow failure links, which lanes side by side would not hide.
                scan(text, compact, body)
                scan(other, compact, otherBody)
                return
            }
            if let skipping {
                let mode = pinned.scanMode.load(ordering: .relaxed)
                if mode != ScanMode.lanes {
                    // Each text on its own, stepping over quiet characters at the root.
                    var cost = 0
                    if let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) {
                        cost += scanSkipping(base, count: text.count, tables: skipping, body)
                    }
                    if let base = other.baseAddress?.assumingMemoryBound(to: UInt8.self) {
                        cost += scanSkipping(base, count: other.count, tables: skipping, otherBody)
                    }
                    if mode == ScanMode.trying { tried(bytes: text.count + other.count, cost: cost) }
                    return
                }
            }
            guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self), text.count > 0 else {
                guard let otherBase = other.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
                var state: UInt32 = 0
                scan(otherBase, from: 0, to: other.count, count: other.count, state: &state, startsBefore: other.count, otherBody)
                return
            }
            // No other text: the lanes beside it run for no steps (its base is never read).
            let otherBase = other.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? base
            let otherCount = other.baseAddress == nil ? 0 : other.count
            let count = text.count
            let overlap = max(0, longest - 1)
            // A lane may run `overlap` bytes past its end when the text keeps the automaton
            // away from the root (a dense run of keyword prefixes): lanes only where that
            // is less than the lane itself.
            let lane = max(Self.laneBytes, overlap + 8)
            if count >= 4 * lane {
                scan4(base, count: count, overlap: overlap, body, beside: otherBase, count: otherCount, otherBody)
            } else if count >= 2 * lane {
                scan2(base, count: count, overlap: overlap, body, beside: otherBase, count: otherCount, otherBody)
            } else {
                scan1(base, count: count, body, beside: otherBase, count: otherCount, otherBody)
            }
        }

        /// Scans all of `text` with the compact automaton.
        func scan(_ text: UnsafeRawBufferPointer, _ compact: Compact, _ body: (Int, Int) -> Void) {
            guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var s: UInt32 = 0
            for i in 0..<text.count {
                s = compact.step(s, classes[Int(base[i])])
                if s >= firstMatchState { report(s, end: i + 1, startsBefore: text.count, in: base, count: text.count, body) }
            }
        }

        /// Scans all of `base[0..<count]` with the dense automaton, a step per byte, except
        /// at the root: there a three-byte character that starts no keyword (``SkipTables``) is
        /// stepped over whole, since its steps would reach no match and
        /// end at the root. In Chinese text most characters are such: the scan then takes a
        /// look-up per character in a table of 8 KB, which stays in the processor's nearest
        /// cache, instead of three steps that each wait for the one before and reach all
        /// over the table of states. Only whole, well-formed characters are stepped over: a
        /// lead byte without its two continuation bytes takes its steps.
        ///
        /// A character that may start a keyword, and is none alone, is stepped over too when
        /// the three-byte character after it continues none (their pair is not in the tables):
        /// from the root, the two characters lead where the second alone leads, and report
        /// what it alone reports (every other end of the two begins inside a character), so
        /// the scan goes on at the second as at the root. When the pair does start a
        /// pattern, the scan steps over both at once, to the state they lead to, and
        /// reports its patterns (no pattern ends inside the two, nor at the first).
        ///
        /// Returns what the scan cost, in bytes' worth of the lanes' time (``ScanMode``).
        func scanSkipping(_ base: UnsafePointer<UInt8>, count: Int, tables: SkipTables.View, _ body: (Int, Int) -> Void) -> Int {
            let table = self.table, classes = self.classes, first = firstMatchState
            var s: UInt32 = 0
            var i = 0
            var cost = 0
            while i < count {
                if s == 0 {
                    i = Self.skipQuiet(base, from: i, count: count, tables: tables)
                    guard i < count else { break }
                    cost &+= ScanMode.stopCost
                    if i &+ 6 <= count, let c = CharacterBits.character(base, at: i), let n = CharacterBits.character(base, at: i &+ 3),
                        !tables.isSingle(c)
                    {
                        guard let state = tables.state(c, then: n) else {
                            i &+= 3
                            continue
                        }
                        // Both characters at once: no pattern ends inside them, nor at the
                        // first (it is none alone, and the scan was at the root before it).
                        s = state
                        i &+= 6
                        if s >= first { report(s, end: i, startsBefore: count, in: base, count: count, body) }
                        continue
                    }
                }
                s = table[Int(s &+ UInt32(classes[Int(base[i])]))]
                i &+= 1
                cost &+= ScanMode.stepCost
                if s >= first { report(s, end: i, startsBefore: count, in: base, count: count, body) }
            }
            return cost
        }

        /// Counts a text scanned while trying (``ScanMode/trying``), and once enough are
        /// counted, chooses how the texts after them are scanned. Either way finds the same
        /// occurrences; the choice only makes the scan faster.
        func tried(bytes: Int, cost: Int) {
            let total = pinned.trialBytes.add(bytes, ordering: .relaxed).newValue
            let costs = pinned.trialCost.add(cost, ordering: .relaxed).newValue
            guard total >= ScanMode.trialBytes else { return }
            let mode = costs <= total ? ScanMode.skipping : ScanMode.lanes
            _ = pinned.scanMode.compareExchange(expected: ScanMode.trying, desired: mode, ordering: .relaxed)
        }

        /// The offset of the first character from `from` on that is not a quiet three-byte
        /// character (``scanSkipping(_:count:tables:_:)``): one that may start a keyword,
        /// any other character or byte, or the end. A function of its own, so that its loop
        /// keeps its offset in a register (inside the scan's loop it went through memory
        /// at every character).
        @inline(never)
        static func skipQuiet(_ base: UnsafePointer<UInt8>, from: Int, count: Int, tables: SkipTables.View) -> Int {
            var i = from
            // Four bytes read at once while they are there: a lead byte E0–EF and two
            // continuation bytes, in one test.
            while i &+ 4 <= count {
                let w = UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self))
                guard w & 0x00C0_C0F0 == 0x0080_80E0 else { return i }
                let index = Int(w & 0x0F) << 12 | Int((w >> 8) & 0x3F) << 6 | Int((w >> 16) & 0x3F)
                guard !tables.mayStart(index) else { return i }
                i &+= 3
            }
            while i &+ 3 <= count, let index = CharacterBits.character(base, at: i), !tables.mayStart(index) {
                i &+= 3
            }
            return i
        }

        /// The shortest lane worth its own state: a lane usually costs a few steps past its
        /// end, `longest - 1` at most.
        static let laneBytes = 24

        /// Reports the patterns of match state `state` ending at `end` that start before
        /// `limit`; Latin words only at word boundaries of the text `base[0..<count]`.
        @inline(__always)
        func report(
            _ state: UInt32, end: Int, startsBefore limit: Int, in base: UnsafePointer<UInt8>, count: Int,
            _ body: (Int, Int) -> Void
        ) {
            let k = Int((state &- firstMatchState) / classCount)
            for j in Int(outputStart[k])..<Int(outputStart[k + 1]) {
                let pattern = Int(outputs[j])
                let start = end - Int(lengths[pattern])
                guard start < limit else { continue }
                // Latin words only at word boundaries; checked per occurrence, which is rare.
                let edge = edges[pattern]
                if edge != 0 {
                    if edge & 1 != 0, start > 0, KeywordAutomaton.isWordByte(base[start - 1]) { continue }
                    if edge & 2 != 0, end < count, KeywordAutomaton.isWordByte(base[end]) { continue }
                }
                body(pattern, end)
            }
        }

        /// Scans `base[from..<to]` from `state`, reporting occurrences that start before `limit`.
        @inline(__always)
        func scan(
            _ base: UnsafePointer<UInt8>, from: Int, to end: Int, count: Int, state: inout UInt32, startsBefore limit: Int,
            _ body: (Int, Int) -> Void
        ) {
            let table = self.table, classes = self.classes, first = firstMatchState
            var s = state
            var i = from
            while i < end {
                // The tight loop steps only; reports are made outside it.
                repeat {
                    s = table[Int(s &+ UInt32(classes[Int(base[i])]))]
                    i &+= 1
                } while i < end && s < first
                if s >= first { report(s, end: i, startsBefore: limit, in: base, count: count, body) }
            }
            state = s
        }

        /// Runs a lane on past its end (`from`), up to `to`, while the automaton is not
        /// back at the root, reporting the occurrences that start before `limit`.
        @inline(__always)
        func finish(
            _ base: UnsafePointer<UInt8>, from: Int, to end: Int, count: Int, state: UInt32, startsBefore limit: Int,
            _ body: (Int, Int) -> Void
        ) {
            let table = self.table, classes = self.classes, first = firstMatchState
            var s = state
            var i = from
            while i < end && s != 0 {
                s = table[Int(s &+ UInt32(classes[Int(base[i])]))]
                i &+= 1
                if s >= first { report(s, end: i, startsBefore: limit, in: base, count: count, body) }
            }
        }

        /// Two whole texts side by side, one lane each (a short scope and a name).
        func scan1(
            _ base: UnsafePointer<UInt8>, count: Int, _ body: (Int, Int) -> Void,
            beside other: UnsafePointer<UInt8>, count otherCount: Int, _ otherBody: (Int, Int) -> Void
        ) {
            let table = self.table, classes = self.classes, first = firstMatchState
            var s0: UInt32 = 0, o: UInt32 = 0
            let steps = min(count, otherCount)
            var t = 0
            while t < steps {
                repeat {
                    s0 = table[Int(s0 &+ UInt32(classes[Int(base[t])]))]
                    o = table[Int(o &+ UInt32(classes[Int(other[t])]))]
                    t &+= 1
                } while t < steps && max(s0, o) < first
                if s0 >= first { report(s0, end: t, startsBefore: count, in: base, count: count, body) }
                if o >= first { report(o, end: t, startsBefore: otherCount, in: other, count: otherCount, otherBody) }
            }
            scan(base, from: t, to: count, count: count, state: &s0, startsBefore: count, body)
            scan(other, from: t, to: otherCount, count: otherCount, state: &o, startsBefore: otherCount, otherBody)
        }

        /// Two lanes over `base`, and the whole of `other` as a third beside them while
        /// it lasts.
        func scan2(
            _ base: UnsafePointer<UInt8>, count: Int, overlap: Int, _ body: (Int, Int) -> Void,
            beside other: UnsafePointer<UInt8>, count otherCount: Int, _ otherBody: (Int, Int) -> Void
        ) {
            let table = self.table, classes = self.classes, first = firstMatchState
            let mid = count / 2
            let p0 = base, p1 = base + mid
            var s0: UInt32 = 0, s1: UInt32 = 0, o: UInt32 = 0
            let steps = mid
            var t = 0
            // The three lanes while `other` lasts, then the two.
            let together = min(steps, otherCount)
            while t < together {
                repeat {
                    s0 = table[Int(s0 &+ UInt32(classes[Int(p0[t])]))]
                    s1 = table[Int(s1 &+ UInt32(classes[Int(p1[t])]))]
                    o = table[Int(o &+ UInt32(classes[Int(other[t])]))]
                    t &+= 1
                } while t < together && max(max(s0, s1), o) < first
                if s0 >= first { report(s0, end: t, startsBefore: mid, in: base, count: count, body) }
                if s1 >= first { report(s1, end: mid + t, startsBefore: count, in: base, count: count, body) }
                if o >= first { report(o, end: t, startsBefore: otherCount, in: other, count: otherCount, otherBody) }
            }
            scan(other, from: t, to: otherCount, count: otherCount, state: &o, startsBefore: otherCount, otherBody)
            while t < steps {
                repeat {
                    s0 = table[Int(s0 &+ UInt32(classes[Int(p0[t])]))]
                    s1 = table[Int(s1 &+ UInt32(classes[Int(p1[t])]))]
                    t &+= 1
                } while t < steps && s0 < first && s1 < first
                if s0 >= first { report(s0, end: t, startsBefore: mid, in: base, count: count, body) }
                if s1 >= first { report(s1, end: mid + t, startsBefore: count, in: base, count: count, body) }
            }
            scan(base, from: mid + t, to: count, count: count, state: &s1, startsBefore: count, body)
            finish(base, from: mid, to: min(count, mid + overlap), count: count, state: s0, startsBefore: mid, body)
        }

        /// Four lanes over `base`, and the whole of `other` as a fifth beside them while
        /// it lasts.
        func scan4(
            _ base: UnsafePointer<UInt8>, count: Int, overlap: Int, _ body: (Int, Int) -> Void,
            beside other: UnsafePointer<UInt8>, count otherCount: Int, _ otherBody: (Int, Int) -> Void
        ) {
            let table = self.table, classes = self.classes, first = firstMatchState
            let b1 = count / 4, b2 = count / 2, b3 = count * 3 / 4
            let p0 = base, p1 = base + b1, p2 = base + b2, p3 = base + b3
            var s0: UInt32 = 0, s1: UInt32 = 0, s2: UInt32 = 0, s3: UInt32 = 0, o: UInt32 = 0
            let steps = min(b1, b2 - b1, b3 - b2)
            var t = 0
            // The five lanes while `other` lasts, then the four.
            let together = min(steps, otherCount)
            while t < together {
                repeat {
                    s0 = table[Int(s0 &+ UInt32(classes[Int(p0[t])]))]
                    s1 = table[Int(s1 &+ UInt32(classes[Int(p1[t])]))]
                    s2 = table[Int(s2 &+ UInt32(classes[Int(p2[t])]))]
                    s3 = table[Int(s3 &+ UInt32(classes[Int(p3[t])]))]
                    o = table[Int(o &+ UInt32(classes[Int(other[t])]))]
                    t &+= 1
                } while t < together && max(max(max(s0, s1), max(s2, s3)), o) < first
                if s0 >= first { report(s0, end: t, startsBefore: b1, in: base, count: count, body) }
                if s1 >= first { report(s1, end: b1 + t, startsBefore: b2, in: base, count: count, body) }
                if s2 >= first { report(s2, end: b2 + t, startsBefore: b3, in: base, count: count, body) }
                if s3 >= first { report(s3, end: b3 + t, startsBefore: count, in: base, count: count, body) }
                if o >= first { report(o, end: t, startsBefore: otherCount, in: other, count: otherCount, otherBody) }
            }
            scan(other, from: t, to: otherCount, count: otherCount, state: &o, startsBefore: otherCount, otherBody)
            while t < steps {
                repeat {
                    s0 = table[Int(s0 &+ UInt32(classes[Int(p0[t])]))]
                    s1 = table[Int(s1 &+ UInt32(classes[Int(p1[t])]))]
                    s2 = table[Int(s2 &+ UInt32(classes[Int(p2[t])]))]
                    s3 = table[Int(s3 &+ UInt32(classes[Int(p3[t])]))]
                    t &+= 1
                } while t < steps && max(max(s0, s1), max(s2, s3)) < first
                if s0 >= first { report(s0, end: t, startsBefore: b1, in: base, count: count, body) }
                if s1 >= first { report(s1, end: b1 + t, startsBefore: b2, in: base, count: count, body) }
                if s2 >= first { report(s2, end: b2 + t, startsBefore: b3, in: base, count: count, body) }
                if s3 >= first { report(s3, end: b3 + t, startsBefore: count, in: base, count: count, body) }
            }
            // The lanes' last bytes (they differ in length by one at most), then each runs on.
            scan(base, from: t, to: b1, count: count, state: &s0, startsBefore: b1, body)
            scan(base, from: b1 + t, to: b2, count: count, state: &s1, startsBefore: b2, body)
            scan(base, from: b2 + t, to: b3, count: count, state: &s2, startsBefore: b3, body)
            scan(base, from: b3 + t, to: count, count: count, state: &s3, startsBefore: count, body)
            finish(base, from: b1, to: min(count, b1 + overlap), count: count, state: s0, startsBefore: b1, body)
            finish(base, from: b2, to: min(count, b2 + overlap), count: count, state: s1, startsBefore: b2, body)
            finish(base, from: b3, to: min(count, b3 + overlap), count: count, state: s2, startsBefore: b3, body)
        }
    }
}
