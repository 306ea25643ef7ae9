import Foundation

/// The `supplies` graph of a chain, with the searches the gap analysis needs.
///
/// Nodes are link indices (``LinkRef/index``); an edge `u → v` means link `u` supplies
/// link `v` (u is upstream of v). Neighbours are kept in file order, so every search is
/// deterministic: among equally short paths, the one through earlier-listed links wins.
struct ChainGraph: Sendable {
    /// For each link, the links it supplies (downstream), in file order, without itself.
    let downstream: [[Int]]
    /// For each link, the links that supply it (upstream), in file order, without itself.
    let upstream: [[Int]]

    var count: Int { downstream.count }

    init(downstream: [[Int]], upstream: [[Int]]) {
        self.downstream = downstream
        self.upstream = upstream
    }

    init(_ chain: Chain) {
        // A self-loop ("supplies itself") carries no information for distances or reach.
        downstream = chain.links.map { link in link.supplies.map(\.index).filter { $0 != link.ref.index } }
        upstream = chain.links.indices.map { i in chain.suppliers[i].map(\.index).filter { $0 != i } }
    }

    /// The result of a breadth-first search. Its distances and parents live in a
    /// ``SearchSpace`` that the next search in the same space reuses, so a search costs
    /// what it visits, not the size of the graph: read a result before the next search.
    struct Search {
        /// The nodes reached, in the order reached (the start first).
        var visited: [Int] = []
        let space: SearchSpace
        let epoch: UInt32

        /// The number of edges from the start to a node; nil when not reached.
        func distance(to node: Int) -> Int? {
            space.stamp[node] == epoch ? Int(space.distance[node]) : nil
        }

        /// The node a node was first reached from; nil for the start and unreached nodes.
        func parent(of node: Int) -> Int? {
            guard space.stamp[node] == epoch, space.parent[node] >= 0 else { return nil }
            return Int(space.parent[node])
        }

        /// The nodes strictly between the start and `target` on the path the search
        /// found, start side first. Empty for the start, its neighbours and unreached nodes.
        func via(to target: Int) -> [Int] {
            guard distance(to: target) != nil else { return [] }
            var path: [Int] = []
            var node = parent(of: target)
            while let current = node, parent(of: current) != nil {
                path.append(current)
                node = parent(of: current)
            }
            return path.reversed()
        }
    }

    /// Scratch arrays for searches over one graph, reused from search to search.
    final class SearchSpace {
        // One owner, used on one thread: no dynamic exclusivity checks in the hot loop.
        @exclusivity(unchecked) var stamp: [UInt32]
        @exclusivity(unchecked) var distance: [Int32]
        @exclusivity(unchecked) var parent: [Int32]
        var epoch: UInt32 = 0

        init(count: Int) {
            stamp = [UInt32](repeating: 0, count: count)
            distance = [Int32](repeating: 0, count: count)
            parent = [Int32](repeating: -1, count: count)
        }

        /// A new epoch: every node counts as unreached again.
        func begin() -> UInt32 {
            epoch &+= 1
            if epoch == 0 {
                for i in stamp.indices { stamp[i] = 0 }
                epoch = 1
            }
            return epoch
        }
    }

    /// For each of `sources`, the sum over every other link it reaches downstream within
    /// `maxDepth` edges of `weight[v] × decay^(d − 1)`, where `d` is the link's distance
    /// (the fewest edges) from the source.
    ///
    /// Sixty-four sources are searched at once, breadth-first, a bit of a word per source
    /// (as in bit-parallel all-sources searches): one step of the search over an edge
    /// carries every source whose frontier holds its tail. A search per source visited
    /// the whole of a graph of small diameter for each (each link supplying five random
    /// others: 20,000 links took 32 s); together, each level's edges are stepped once per
    /// 64 sources. The sums are added level by level, so they may differ from one
    /// search's order of addition in their last bit.
    func decayedSums(from sources: [Int], weight: [Double], decay: Double, maxDepth: Int) -> [Double] {
        let n = downstream.count
        var sums = [Double](repeating: 0, count: sources.count)
        guard n > 0, !sources.isEmpty else { return sums }
        var seen = [UInt64](repeating: 0, count: n)
        var frontier = [UInt64](repeating: 0, count: n)
        var reached = [UInt64](repeating: 0, count: n)
        var active: [Int] = []
        var next: [Int] = []
        var touched: [Int] = []
        var levelSum = [Double](repeating: 0, count: 64)
        downstream.withUnsafeBufferPointer { downstream in
            for first in stride(from: 0, to: sources.count, by: 64) {
                let batch = sources[first..<min(first + 64, sources.count)]
                active.removeAll(keepingCapacity: true)
                touched.removeAll(keepingCapacity: true)
                for (k, source) in batch.enumerated() {
                    if seen[source] == 0 {
                        active.append(source)
                        touched.append(source)
                    }
                    seen[source] |= 1 << UInt64(k)
                    frontier[source] |= 1 << UInt64(k)
                }
                var depth = 0
                while !active.isEmpty && depth < maxDepth {
                    depth += 1
                    next.removeAll(keepingCapacity: true)
                    for v in active {
                        let carried = frontier[v]
                        frontier[v] = 0
                        for w in downstream[v] {
                            let new = carried & ~seen[w]
                            guard new != 0 else { continue }
                            if reached[w] == 0 { next.append(w) }
                            reached[w] |= new
                        }
                    }
                    let scale = pow(decay, Double(depth - 1))
                    for w in next {
                        let new = reached[w]
                        reached[w] = 0
                        if seen[w] == 0 { touched.append(w) }
                        seen[w] |= new
                        frontier[w] = new
                        let value = weight[w]
                        guard value > 0 else { continue }
                        var bits = new
                        while bits != 0 {
                            levelSum[bits.trailingZeroBitCount] += value
                            bits &= bits &- 1
                        }
                    }
                    for k in 0..<batch.count where levelSum[k] != 0 {
                        sums[first + k] += levelSum[k] * scale
                        levelSum[k] = 0
                    }
                    swap(&active, &next)
                }
                for v in active { frontier[v] = 0 }
                for v in touched { seen[v] = 0 }
            }
        }
        return sums
    }

    /// Breadth-first search from `start` along `supplies` edges (downstream), at most
    /// `maxDepth` edges deep, in `space`.
    func searchDownstream(from start: Int, maxDepth: Int = .max, in space: SearchSpace) -> Search {
        search(from: start, maxDepth: maxDepth, until: nil, in: space) { downstream[$0] }
    }

    /// What a search for the way from one link to another found.
    enum Route: Equatable {
        /// The links strictly between the two, on a shortest way.
        case found([Int])
        /// There is no way.
        case none
        /// The search visited its limit of links without reaching the target.
        case gaveUp
    }

    /// Breadth-first search from `start` along `supplies` edges that stops once `target`
    /// is reached or `limit` nodes are visited: the way from one link to another.
    func path(from start: Int, to target: Int, limit: Int, in space: SearchSpace) -> Route {
        let found = search(from: start, maxDepth: .max, until: target, limit: limit, in: space) { downstream[$0] }
        if found.distance(to: target) != nil { return .found(found.via(to: target)) }
        return found.visited.count >= limit ? .gaveUp : .none
    }

    func search(
        from start: Int, maxDepth: Int, until target: Int?, limit: Int = .max, in space: SearchSpace,
        neighbours: (Int) -> [Int]
    ) -> Search {
        let epoch = space.begin()
        var result = Search(visited: [start], space: space, epoch: epoch)
        space.stamp[start] = epoch
        space.distance[start] = 0
        space.parent[start] = -1
        var head = 0
        while head < result.visited.count {
            let node = result.visited[head]
            head += 1
            let next = space.distance[node] + 1
            guard next <= maxDepth else { break }
            for neighbour in neighbours(node) where space.stamp[neighbour] != epoch {
                space.stamp[neighbour] = epoch
                space.distance[neighbour] = next
                space.parent[neighbour] = Int32(node)
                result.visited.append(neighbour)
                if neighbour == target || result.visited.count >= limit { return result }
            }
        }
        return result
    }

    // MARK: Whole-graph passes (each linear, or near it)

    /// The nodes in a topological order (every edge goes from an earlier node to a later
    /// one), the smallest index first among those ready: Kahn's algorithm with a heap.
    /// Nil when the graph has a cycle.
    func topologicalOrder() -> [Int]? {
        var indegree = upstream.map(\.count)
        var ready = MinHeap((0..<count).filter { indegree[$0] == 0 })
        var order: [Int] = []
        order.reserveCapacity(count)
        while let node = ready.pop() {
            order.append(node)
            for child in downstream[node] {
                indegree[child] -= 1
                if indegree[child] == 0 { ready.push(child) }
            }
        }
        return order.count == count ? order : nil
    }

    /// For each node of an acyclic graph (`order` topological), how many other nodes it
    /// reaches. Bit sets over the nodes, a block of columns at a time, so that memory
    /// stays near `count` words per block whatever the graph.
    func reachCounts(order: [Int]) -> [Int] {
        let n = count
        var counts = [Int](repeating: 0, count: n)
        let blockWords = 64  // 4,096 columns per pass
        let blockBits = blockWords * 64
        var bits = [UInt64](repeating: 0, count: n * blockWords)
        var low = 0
        while low < n {
            let high = min(n, low + blockBits)
            for i in bits.indices { bits[i] = 0 }
            bits.withUnsafeMutableBufferPointer { bits in
                for node in order.reversed() {
                    let row = node * blockWords
                    for child in downstream[node] {
                        let from = child * blockWords
                        for w in 0..<blockWords { bits[row + w] |= bits[from + w] }
                        if child >= low && child < high {
                            let column = child - low
                            bits[row + column >> 6] |= 1 << UInt64(column & 63)
                        }
                    }
                }
                for node in 0..<n {
                    var total = 0
                    let row = node * blockWords
                    for w in 0..<blockWords { total += bits[row + w].nonzeroBitCount }
                    counts[node] += total
                }
            }
            low = high
        }
        return counts
    }

    /// For each node of an acyclic graph, the `limit` nodes it reaches that are nearest,
    /// ties by index: a dynamic programme from the sinks up (exact, since a node among a
    /// node's nearest is among the nearest of the child on its shortest path, or is that
    /// child).
    func nearestDescendants(order: [Int], limit: Int) -> [[(node: Int, distance: Int)]] {
        var result = [[(node: Int, distance: Int)]](repeating: [], count: count)
        for node in order.reversed() {
            var best: [(node: Int, distance: Int)] = []
            func offer(_ candidate: Int, _ distance: Int) {
                if let i = best.firstIndex(where: { $0.node == candidate }) {
                    if distance < best[i].distance { best[i].distance = distance } else { return }
                } else {
                    best.append((candidate, distance))
                }
            }
            for child in downstream[node] {
                offer(child, 1)
                for (far, d) in result[child] { offer(far, d + 1) }
            }
            best.sort { ($0.distance, $0.node) < ($1.distance, $1.node) }
            result[node] = Array(best.prefix(limit))
        }
        return result
    }

    /// For each node of an acyclic graph, the marked nodes it reaches first (not itself):
    /// their distance, the `limit` of them with the smallest indices, and the path to the
    /// smallest, through the first child in file order that leads to it. A dynamic
    /// programme from the sinks up, so a long chain costs what it has, not its square.
    func nearestMarked(order: [Int], marked: [Bool], limit: Int) -> [Nearest?] {
        var result = [Nearest?](repeating: nil, count: count)
        for node in order.reversed() {
            var best: Nearest?
            for child in downstream[node] {
                var options: [Nearest] = []
                if marked[child] { options.append(Nearest(distance: 1, targets: [child], path: Path())) }
                if let further = result[child] {
                    options.append(Nearest(distance: further.distance + 1, targets: further.targets, path: further.path.prepending(child)))
                }
                for option in options {
                    guard let current = best, option.distance >= current.distance else {
                        best = option
                        continue
                    }
                    guard option.distance == current.distance else { continue }
                    // A tie: every target counts; the path goes to the smallest.
                    var merged = current
                    merged.targets = Array(Set(current.targets + option.targets).sorted().prefix(limit))
                    if option.targets[0] < current.targets[0] { merged.path = option.path }
                    best = merged
                }
            }
            result[node] = best
        }
        return result
    }

    /// What ``nearestMarked(order:marked:limit:)`` finds for one node.
    struct Nearest: Sendable {
        var distance: Int
        /// The nearest marked nodes, smallest indices first (at most the limit).
        var targets: [Int]
        /// The nodes strictly between the node and the first target.
        var path: Path
    }

    /// A path between two nodes, kept short: all its nodes while there are at most
    /// ``whole``, else its first ``head`` and last ``tail`` nodes and its length. A reason
    /// shows a long path with its middle left out, so that a chain of 100,000 links costs
    /// no more per link than a short one.
    struct Path: Sendable, Hashable {
        static let head = 3
        static let tail = 2
        static let whole = head + tail
        /// All nodes (count ≤ whole), or the first `head`.
        private(set) var first: [Int] = []
        /// The last `tail` nodes when the path is longer than `whole`.
        private(set) var last: [Int] = []
        /// The number of nodes on the path.
        private(set) var count = 0

        init() {}

        init(_ nodes: [Int]) {
            for node in nodes.reversed() { self = prepending(node) }
        }

        /// The path with a node put in front.
        func prepending(_ node: Int) -> Path {
            var path = Path()
            path.count = count + 1
            if path.count <= Path.whole {
                path.first = [node] + first
            } else {
                path.first = Array(([node] + first).prefix(Path.head))
                path.last = count <= Path.whole ? Array(first.suffix(Path.tail)) : last
            }
            return path
        }

        /// Whether nodes in the middle are left out.
        var isElided: Bool { count > Path.whole }

        /// The nodes kept, in order: all of them, or the first and the last few.
        var shown: (first: [Int], last: [Int]) { isElided ? (first, last) : (first, []) }
    }

    /// A multi-source breadth-first search from every marked node over edges taken in
    /// either direction: each node's distance to the nearest marked node, and the path to
    /// the one the search reached it from (for a reason that names the way).
    func towardsMarked(_ marked: [Bool]) -> (distance: [Int?], target: [Int?], path: [Path]) {
        var distance = [Int?](repeating: nil, count: count)
        var target = [Int?](repeating: nil, count: count)
        var path = [Path](repeating: Path(), count: count)
        var queue: [Int] = []
        for node in 0..<count where marked[node] {
            distance[node] = 0
            target[node] = node
            queue.append(node)
        }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let next = distance[node]! + 1
            for neighbour in downstream[node] + upstream[node] where distance[neighbour] == nil {
                distance[neighbour] = next
                target[neighbour] = target[node]
                path[neighbour] = marked[node] ? Path() : path[node].prepending(node)
                queue.append(neighbour)
            }
        }
        return (distance, target, path)
    }

    /// The feedback edges: the edges that close cycles, such as a recycling link feeding
    /// raw materials again (电池回收 → 锂盐). Without them the graph is acyclic.
    ///
    /// First, every edge inside a cycle (a strongly connected component) that goes back
    /// to an earlier stage is one. Cycles that remain (within a stage) are broken by a
    /// depth-first search that starts from the links in stage order (left to right, then
    /// file order) and follows `supplies` in file order: each edge to a link still on the
    /// search's path is one. Returned as `(from, to)` pairs, in the order found.
    func feedbackEdges(stageOf stage: [Int]) -> [(from: Int, to: Int)] {
        let component = components()
        var feedback: [(from: Int, to: Int)] = []
        for u in 0..<count {
            for v in downstream[u] where component[u] == component[v] && stage[u] > stage[v] {
                feedback.append((u, v))
            }
        }
        let rest = removing(feedback)
        enum Mark { case new, open, done }
        var mark = Array(repeating: Mark.new, count: count)
        let roots = (0..<count).sorted { (stage[$0], $0) < (stage[$1], $1) }
        for root in roots where mark[root] == .new {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            mark[root] = .open
            while !stack.isEmpty {
                let (node, next) = stack[stack.count - 1]
                guard next < rest.downstream[node].count else {
                    mark[node] = .done
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let child = rest.downstream[node][next]
                switch mark[child] {
                case .new:
                    mark[child] = .open
                    stack.append((child, 0))
                case .open:
                    feedback.append((node, child))
                case .done:
                    break
                }
            }
        }
        return feedback
    }

    /// The strongly connected component of each node (Kosaraju's algorithm, iterative):
    /// two nodes share a number exactly when each reaches the other.
    func components() -> [Int] {
        // Pass 1: the order in which a depth-first search over downstream edges finishes.
        var visited = Array(repeating: false, count: count)
        var finished: [Int] = []
        for root in 0..<count where !visited[root] {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            visited[root] = true
            while !stack.isEmpty {
                let (node, next) = stack[stack.count - 1]
                guard next < downstream[node].count else {
                    finished.append(node)
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let child = downstream[node][next]
                if !visited[child] {
                    visited[child] = true
                    stack.append((child, 0))
                }
            }
        }
        // Pass 2: in reverse finishing order, collect each component over upstream edges.
        var component = Array(repeating: -1, count: count)
        var next = 0
        for root in finished.reversed() where component[root] < 0 {
            var stack = [root]
            component[root] = next
            while let node = stack.popLast() {
                for parent in upstream[node] where component[parent] < 0 {
                    component[parent] = next
                    stack.append(parent)
                }
            }
            next += 1
        }
        return component
    }

    /// The graph with every edge turned round.
    func reversed() -> ChainGraph {
        ChainGraph(downstream: upstream, upstream: downstream)
    }

    /// This graph without the given edges.
    func removing(_ edges: [(from: Int, to: Int)]) -> ChainGraph {
        guard !edges.isEmpty else { return self }
        var gone = Set<Int>()
        for (from, to) in edges { gone.insert(from * count + to) }
        let down = downstream.enumerated().map { from, targets in targets.filter { !gone.contains(from * count + $0) } }
        let up = upstream.enumerated().map { to, sources in sources.filter { !gone.contains($0 * count + to) } }
        return ChainGraph(downstream: down, upstream: up)
    }

    /// For each node of an acyclic graph, the share (0…1) of its maximal paths — from a
    /// node nothing supplies to a node that supplies nothing — that pass through it.
    /// An isolated node is a path of its own. Path counts grow exponentially in a dense
    /// graph, so they are kept as logarithms.
    func pathShares(order: [Int]?) -> [Double] {
        let n = count
        guard let order else { return Array(repeating: 0, count: n) }  // not acyclic
        // Counted exactly while the counts fit a Double (any real chain)…
        var into = Array(repeating: 0.0, count: n)
        for node in order {
            into[node] = upstream[node].isEmpty ? 1 : upstream[node].reduce(0) { $0 + into[$1] }
        }
        var out = Array(repeating: 0.0, count: n)
        for node in order.reversed() {
            out[node] = downstream[node].isEmpty ? 1 : downstream[node].reduce(0) { $0 + out[$1] }
        }
        let total = (0..<n).filter { downstream[$0].isEmpty }.reduce(0.0) { $0 + into[$1] }
        if total.isFinite && into.allSatisfy(\.isFinite) && out.allSatisfy(\.isFinite) {
            return (0..<n).map { total > 0 ? min(1, into[$0] * out[$0] / total) : 0 }
        }
        // …and as logarithms when a dense graph has more paths than a Double holds.
        func logSum(_ values: [Double]) -> Double {
            guard let top = values.max(), top > -.infinity else { return -.infinity }
            return top + log(values.reduce(0) { $0 + exp($1 - top) })
        }
        for node in order {
            into[node] = upstream[node].isEmpty ? 0 : logSum(upstream[node].map { into[$0] })
        }
        for node in order.reversed() {
            out[node] = downstream[node].isEmpty ? 0 : logSum(downstream[node].map { out[$0] })
        }
        let logTotal = logSum((0..<n).filter { downstream[$0].isEmpty }.map { into[$0] })
        return (0..<n).map { logTotal > -.infinity ? min(1, exp(into[$0] + out[$0] - logTotal)) : 0 }
    }
}

/// A binary min-heap of node indices.
struct MinHeap {
    private var items: [Int] = []

    init(_ values: [Int]) {
        for value in values { push(value) }
    }

    mutating func push(_ value: Int) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] > items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count && items[l] < items[smallest] { smallest = l }
                if r < items.count && items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return first
    }
}
