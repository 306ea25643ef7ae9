@testable import ChainMapKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 19, layout: the maps of every chain in `chains/`, read back from their SVG —
/// stage columns start at one top, no supply edge runs through a stage that holds
/// neither of its ends, and no lead box stands in a stage it does not belong to.
@Suite("Map layout of chains/")
struct MapLayoutTests {
    /// A rectangle in SVG units (y grows downwards).
    struct Box {
        var left, top, right, bottom: Double

        /// Whether a point lies inside, more than `margin` from every side.
        func holds(_ point: (x: Double, y: Double), margin: Double = 0) -> Bool {
            point.x > left + margin && point.x < right - margin && point.y > top + margin && point.y < bottom - margin
        }

        func overlaps(_ other: Box) -> Bool {
            left < other.right && other.left < right && top < other.bottom && other.top < bottom
        }
    }

    /// The numbers of a path's `d` or a polygon's `points`, as (x, y) pairs.
    static func points(_ text: String) -> [(x: Double, y: Double)] {
        let numbers = text.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "-") }).compactMap { Double($0) }
        return stride(from: 0, to: numbers.count - 1, by: 2).map { (numbers[$0], numbers[$0 + 1]) }
    }

    /// The bounding box of an element's first outline.
    static func box(of element: XMLElement) throws -> Box? {
        guard let shape = try element.nodes(forXPath: ".//*[local-name()='polygon' or local-name()='path']").first as? XMLElement
        else { return nil }
        let points = points(shape.svgAttribute("points") ?? shape.svgAttribute("d") ?? "")
        guard let left = points.map(\.x).min(), let right = points.map(\.x).max(),
              let top = points.map(\.y).min(), let bottom = points.map(\.y).max() else { return nil }
        return Box(left: left, top: top, right: right, bottom: bottom)
    }

    /// Points along a Graphviz edge path (`M p0 C p1 p2 p3 p4 p5 p6 …`), 20 per segment.
    static func samples(ofPath d: String) -> [(x: Double, y: Double)] {
        let p = points(d)
        var result: [(x: Double, y: Double)] = []
        var start = 0
        while start + 3 < p.count {
            for step in 0...20 {
                let t = Double(step) / 20, u = 1 - t
                let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, e = t * t * t
                result.append((a * p[start].x + b * p[start + 1].x + c * p[start + 2].x + e * p[start + 3].x,
                               a * p[start].y + b * p[start + 1].y + c * p[start + 2].y + e * p[start + 3].y))
            }
            start += 3
        }
        return result
    }

    /// What a map's SVG shows, by element id: stage boxes, node boxes, supply edges.
    struct Drawing {
        var stages: [String: Box] = [:]
        var nodes: [String: Box] = [:]
        /// Supply edges: (tail node id, head node id, points along the path).
        var edges: [(tail: String, head: String, path: [(x: Double, y: Double)])] = []

        init(_ map: ChainMap) throws {
            let svg = try RenderedSVG(map)
            for case let group as XMLElement in try svg.document.nodes(forXPath: "//*[local-name()='g'][@id]") {
                let id = group.svgAttribute("id") ?? ""
                let classes = Set((group.svgAttribute("class") ?? "").split(separator: " ").map(String.init))
                if classes.contains("stage"), let box = try MapLayoutTests.box(of: group) {
                    stages[id] = box
                } else if classes.contains("node"), let box = try MapLayoutTests.box(of: group) {
                    nodes[id] = box
                } else if classes.contains("supply") {
                    let title = try #require(try group.nodes(forXPath: "./*[local-name()='title']").first?.stringValue)
                    let ends = title.components(separatedBy: "->").map { $0.split(separator: ":").first.map(String.init) ?? "" }
                    let path = try #require(try group.nodes(forXPath: ".//*[local-name()='path']").first as? XMLElement)
                    edges.append((ends[0], ends[1], MapLayoutTests.samples(ofPath: path.svgAttribute("d") ?? "")))
                }
            }
        }

        /// The stage whose box holds a node's centre.
        func stage(holding node: String) -> String? {
            guard let box = nodes[node] else { return nil }
            let centre = ((box.left + box.right) / 2, (box.top + box.bottom) / 2)
            return stages.first { $0.value.holds(centre) }?.key
        }
    }

    static let chains = ChainLibraryTests.files.map { String($0.dropLast(5)) }

    /// The map of a chain in `chains/`, with two leads per gap when `leads`.
    static func map(_ id: String, leads: Bool) throws -> ChainMap {
        let path = packageRoot().appendingPathComponent("chains/\(id).yaml").path
        let analysed = try #require(ChainPipeline().run([path], screening: leads).chains.first)
        guard leads else { return ChainMap(analysed.analysis) }
        let screening = try #require(analysed.screening)
        return ChainMap(analysed.analysis, leads: ChainMap.leads(from: screening, perLink: 2), options: MapOptions(leadsPerLink: 2))
    }

    @Test("the stage columns start at one top", arguments: chains)
    func topsAlign(_ id: String) throws {
        for leads in [false, true] {
            let map = try Self.map(id, leads: leads)
            let drawing = try Drawing(map)
            // Columns: stages side by side (lanes lie beside them); the top one of each.
            var columns: [(left: Double, right: Double, top: Double)] = []
            let lanes = Set(map.layering.lanes.map { "stage-\($0)" })
            for box in drawing.stages.filter({ !lanes.contains($0.key) }).values.sorted(by: { $0.left < $1.left }) {
                if let last = columns.indices.last, box.left < columns[last].right {
                    columns[last].right = max(columns[last].right, box.right)
                    columns[last].top = min(columns[last].top, box.top)
                } else {
                    columns.append((box.left, box.right, box.top))
                }
            }
            #expect(columns.count >= 2, "\(id): the stages stand in \(columns.count) column")
            let tops = columns.map(\.top)
            #expect(tops.max()! - tops.min()! < 0.5, "\(id) (leads: \(leads)): the columns start at \(tops)")
        }
    }

    @Test("no supply edge runs through a stage that holds neither of its ends", arguments: chains)
    func edgesKeepOutOfOtherStages(_ id: String) throws {
        for leads in [false, true] {
            let drawing = try Drawing(Self.map(id, leads: leads))
            #expect(!drawing.edges.isEmpty)
            for edge in drawing.edges {
                let ends = Set([drawing.stage(holding: edge.tail), drawing.stage(holding: edge.head)].compactMap { $0 })
                #expect(ends.count >= 1, "\(id): \(edge.tail) → \(edge.head) has no stage")
                for (stage, box) in drawing.stages where !ends.contains(stage) {
                    let inside = edge.path.filter { box.holds($0, margin: 2) }
                    #expect(inside.isEmpty, "\(id) (leads: \(leads)): \(edge.tail) → \(edge.head) runs through \(stage) at \(inside.first.map { "\($0)" } ?? "")")
                }
            }
        }
    }

    @Test("a lead box stands only in its own link's stage", arguments: ["auto-parts", "electronics", "smart-equipment", "nev-battery"])
    func leadsStayInTheirStage(_ id: String) throws {
        let drawing = try Drawing(Self.map(id, leads: true))
        let leads = drawing.nodes.filter { $0.key.hasPrefix("leads-") }
        #expect(!leads.isEmpty)
        for (name, box) in leads {
            let own = try #require(drawing.stage(holding: "link-" + name.dropFirst(6)), "\(id): \(name) has no stage")
            for (stage, other) in drawing.stages where stage != own {
                #expect(!box.overlaps(other), "\(id): \(name) overlaps \(stage)")
            }
            #expect(drawing.stages[own].map { box.left >= $0.left && box.right <= $0.right && box.top >= $0.top && box.bottom <= $0.bottom } == true,
                    "\(id): \(name) is not inside its stage \(own)")
        }
    }
}

/// Issue 20: a PNG map holds at most ``MapOptions/pngPixelLimit`` pixels; a larger map is
/// drawn at a lower resolution.
@Suite("PNG pixel limit")
struct PNGPixelLimitTests {
    /// Width and height from a PNG's IHDR chunk.
    static func size(_ png: [UInt8]) -> (width: Int, height: Int) {
        func word(_ at: Int) -> Int { png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }

    @Test("a map above the limit is scaled to fit it, a map below is not touched")
    func scaledToTheLimit() throws {
        let map = try MapLayoutTests.map("laser", leads: false)
        var graph = map.graph(for: .png)
        #expect(graph.maxPixels == MapOptions.pngPixelLimit)
        let full = Self.size(try testGraphviz.render(graph, format: .png).bytes)
        #expect(Double(full.width * full.height) < MapOptions.pngPixelLimit)
        graph.maxPixels = Double(full.width * full.height) / 4
        let capped = Self.size(try testGraphviz.render(graph, format: .png).bytes)
        let pixels = Double(capped.width * capped.height)
        #expect(pixels <= graph.maxPixels! && pixels > graph.maxPixels! * 0.6, "\(capped) for a limit of \(graph.maxPixels!)")
        // The shape stays.
        #expect(abs(Double(capped.width) / Double(capped.height) - Double(full.width) / Double(full.height)) < 0.05)
    }
}
