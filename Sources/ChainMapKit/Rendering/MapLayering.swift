/// Where each link of a chain goes, left to right: its layer (a rank of the `dot`
/// layout), with the stages in file order and never overlapping.
///
/// `dot` would rank the graph by itself, but then a stage whose links have no upstream
/// link inside the chain starts at the far left, and the stage clusters overlap and stack
/// instead of reading left to right. So the map fixes every rank itself:
///
/// - the analysis says which edges are *feedback* (closing a loop, such as recycling
///   feeding raw materials again) and which are *backward* (to an earlier stage, closing
///   no loop: a service stage supporting the manufacturing ones, say), in
///   ``GapAnalysis/edges``. Both are drawn, but constrain nothing;
/// - a stage starts one layer after the previous stage's last layer;
/// - inside a stage a link sits one layer after its furthest supplier (longest path);
/// - a link that nothing supplies moves right, next to the first link it supplies, so
///   that its edges stay short;
/// - a *lane* stage — one after the first whose links supply only earlier stages, as a
///   service stage (研发外包, 检测, 物流) does — takes no layers of its own: each of its
///   links sits one layer before the first link it supplies (in the first layer at the
///   earliest), so that `dot` draws the stage as a band beside the chain with short
///   edges, instead of a column at the far right whose edges loop back across the whole
///   map. Edges into a lane are drawn but constrain nothing, like backward ones.
struct MapLayering: Sendable {
    /// The layer of every link, indexed like ``Chain/links``.
    let layers: [Int]
    /// The number of layers (0 for a chain without links).
    let layerCount: Int
    /// The edges that close a cycle, as (supplier, supplied).
    let feedback: Set<Edge>
    /// The edges to an earlier stage that close no cycle.
    let backward: Set<Edge>
    /// The lane stages, by index (see the type's description).
    let lanes: Set<Int>
    /// The edges from another stage into a lane's link: drawn, constraining nothing.
    let intoLanes: Set<Edge>

    struct Edge: Hashable, Sendable {
        let from: Int
        let to: Int
    }

    init(_ analysis: GapAnalysis) {
        let chain = analysis.chain
        let count = chain.links.count
        let stageOf = chain.links.map(\.stage)
        // Stage by stage, file order inside each: the order every search starts in.
        let order = chain.links.indices.sorted { (stageOf[$0], $0) < (stageOf[$1], $1) }

        var feedback: Set<Edge> = []
        var backward: Set<Edge> = []
        for edge in analysis.edges {
            switch edge.kind {
            case .feedback: feedback.insert(Edge(from: edge.from.index, to: edge.to.index))
            case .backward: backward.insert(Edge(from: edge.from.index, to: edge.to.index))
            case .forward: break
            }
        }

        // Lanes: stages after the first that supply earlier stages only, at least once.
        var suppliesEarlier = [Bool](repeating: false, count: chain.stages.count)
        var suppliesOwnOrLater = [Bool](repeating: false, count: chain.stages.count)
        for link in chain.links {
            for target in link.supplies where target.index != link.ref.index {
                if stageOf[target.index] < link.stage {
                    suppliesEarlier[link.stage] = true
                } else {
                    suppliesOwnOrLater[link.stage] = true
                }
            }
        }
        let lanes = Set(chain.stages.indices.filter { $0 > 0 && suppliesEarlier[$0] && !suppliesOwnOrLater[$0] })
        var intoLanes: Set<Edge> = []
        for link in chain.links where !lanes.contains(link.stage) {
            for target in link.supplies where lanes.contains(stageOf[target.index]) {
                let edge = Edge(from: link.ref.index, to: target.index)
                if !feedback.contains(edge) && !backward.contains(edge) { intoLanes.insert(edge) }
            }
        }

        // The acyclic part, in both directions, without repeated or self edges.
        var successors = [[Int]](repeating: [], count: count)
        var predecessors = [[Int]](repeating: [], count: count)
        for link in chain.links {
            for target in link.supplies {
                let edge = Edge(from: link.ref.index, to: target.index)
                guard edge.from != edge.to, !feedback.contains(edge), !backward.contains(edge),
                      !intoLanes.contains(edge), !successors[edge.from].contains(edge.to) else { continue }
                successors[edge.from].append(edge.to)
                predecessors[edge.to].append(edge.from)
            }
        }

        // Longest path, stage by stage. Every remaining edge goes to the same or a later
        // stage, so a topological order of the whole graph that keeps `order` where it
        // can handles the stages one after the other.
        var layers = [Int](repeating: 0, count: count)
        var topological: [Int] = []
        var remaining = predecessors.indices.map { node in predecessors[node].filter { stageOf[$0] == stageOf[node] }.count }
        var stageBase = [Int](repeating: 0, count: chain.stages.count)
        var stageTop = [Int](repeating: -1, count: chain.stages.count)
        var nextBase = 0
        var position = 0
        while position < order.count {
            let stage = stageOf[order[position]]
            let members = order[position...].prefix { stageOf[$0] == stage }
            position += members.count
            if lanes.contains(stage) { continue }
            stageBase[stage] = nextBase
            // Kahn's algorithm inside the stage; suppliers in earlier stages are done.
            var ready = members.filter { remaining[$0] == 0 }
            var head = 0
            while head < ready.count {
                let node = ready[head]
                head += 1
                topological.append(node)
                layers[node] = max(nextBase, predecessors[node].map { layers[$0] + 1 }.max() ?? nextBase)
                for next in successors[node] where stageOf[next] == stage {
                    remaining[next] -= 1
                    if remaining[next] == 0 { ready.append(next) }
                }
            }
            stageTop[stage] = members.map { layers[$0] }.max() ?? nextBase
            nextBase = stageTop[stage] + 1
        }

        // Sources move right, next to what they supply, within their stage.
        for node in topological.reversed() where predecessors[node].isEmpty && !successors[node].isEmpty {
            let stage = stageOf[node]
            let nearest = successors[node].map { layers[$0] - 1 }.min()!
            layers[node] = max(stageBase[stage], min(stageTop[stage], nearest))
        }

        // Lane links, one layer before the first link they supply; a lane link that
        // supplies nothing joins the lane's last layer.
        for stage in lanes.sorted() {
            var idle: [Int] = []
            var last = 0
            for node in order where stageOf[node] == stage {
                let targets = chain.links[node].supplies.map(\.index).filter { $0 != node && stageOf[$0] < stage }
                if let first = targets.map({ layers[$0] }).min() {
                    layers[node] = max(0, first - 1)
                    last = max(last, layers[node])
                } else {
                    idle.append(node)
                }
            }
            for node in idle { layers[node] = last }
        }

        self.layers = layers
        self.layerCount = nextBase
        self.feedback = feedback
        self.backward = backward
        self.lanes = lanes
        self.intoLanes = intoLanes
    }
}
