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

    /// The result of a breadth-first search: the number of edges from the start to each
    /// node (nil when not reached) and the node each was first reached from.
    struct Search {
        var distance: [Int?]
        var parent: [Int?]

        /// The nodes strictly between the start and `target` on the path the search
        /// found, start side first. Empty for the start, its neighbours and unreached nodes.
        func via(to target: Int) -> [Int] {
            guard distance[target] != nil else { return [] }
            var path: [Int] = []
            var node = parent[target]
            while let current = node, parent[current] != nil {
                path.append(current)
                node = parent[current]
            }
            return path.reversed()
        }
    }

    /// Breadth-first search from `start` along `supplies` edges (downstream).
    func searchDownstream(from start: Int) -> Search {
        search(from: [start]) { downstream[$0] }
    }

    /// Breadth-first search from `start` against `supplies` edges (upstream).
    func searchUpstream(from start: Int) -> Search {
        search(from: [start]) { upstream[$0] }
    }

    /// Breadth-first search from `start` along edges taken in either direction.
    func searchEitherWay(from start: Int) -> Search {
        search(from: [start]) { downstream[$0] + upstream[$0] }
    }

    func search(from starts: [Int], neighbours: (Int) -> [Int]) -> Search {
        var result = Search(
            distance: Array(repeating: nil, count: count), parent: Array(repeating: nil, count: count))
        var queue = starts
        for start in starts { result.distance[start] = 0 }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            let next = result.distance[node]! + 1
            for neighbour in neighbours(node) where result.distance[neighbour] == nil {
                result.distance[neighbour] = next
                result.parent[neighbour] = node
                queue.append(neighbour)
            }
        }
        return result
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

    /// This graph without the given edges.
    func removing(_ edges: [(from: Int, to: Int)]) -> ChainGraph {
        var down = downstream
        var up = upstream
        for (from, to) in edges {
            down[from].removeAll { $0 == to }
            up[to].removeAll { $0 == from }
        }
        return ChainGraph(downstream: down, upstream: up)
    }

    /// For each node of an acyclic graph, the share (0…1) of its maximal paths — from a
    /// node nothing supplies to a node that supplies nothing — that pass through it.
    /// An isolated node is a path of its own.
    func pathShares() -> [Double] {
        let n = count
        // Kahn's algorithm, smallest index first, for a deterministic topological order.
        var indegree = upstream.map(\.count)
        var ready = (0..<n).filter { indegree[$0] == 0 }
        var order: [Int] = []
        while let node = ready.min() {
            ready.removeAll { $0 == node }
            order.append(node)
            for child in downstream[node] {
                indegree[child] -= 1
                if indegree[child] == 0 { ready.append(child) }
            }
        }
        guard order.count == n else { return Array(repeating: 0, count: n) }  // not acyclic
        var into = Array(repeating: 0.0, count: n)
        for node in order {
            into[node] = upstream[node].isEmpty ? 1 : upstream[node].reduce(0) { $0 + into[$1] }
        }
        var out = Array(repeating: 0.0, count: n)
        for node in order.reversed() {
            out[node] = downstream[node].isEmpty ? 1 : downstream[node].reduce(0) { $0 + out[$1] }
        }
        let total = (0..<n).filter { downstream[$0].isEmpty }.reduce(0.0) { $0 + into[$1] }
        return (0..<n).map { total > 0 ? min(1, into[$0] * out[$0] / total) : 0 }
    }
}
