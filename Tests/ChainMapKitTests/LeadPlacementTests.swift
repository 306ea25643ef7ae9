@testable import ChainMapKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 19: a lead box stands beside the link it fills — its centre nearer to its own
/// link's node than to any other link's — read back from the SVG of shipped chains.
@Suite("Leads beside their links")
struct LeadPlacementTests {
    /// The centre of a node's outline (its first polygon or path), in SVG units.
    static func centre(_ element: XMLElement) throws -> (x: Double, y: Double)? {
        guard let shape = try element.nodes(forXPath: ".//*[local-name()='polygon' or local-name()='path']").first as? XMLElement else { return nil }
        let text = shape.svgAttribute("points") ?? shape.svgAttribute("d") ?? ""
        let numbers = text.split(whereSeparator: { !($0.isNumber || $0 == "." || $0 == "-") }).compactMap { Double($0) }
        guard numbers.count >= 4 else { return nil }
        let xs = stride(from: 0, to: numbers.count - 1, by: 2).map { numbers[$0] }
        let ys = stride(from: 1, to: numbers.count, by: 2).map { numbers[$0] }
        return ((xs.min()! + xs.max()!) / 2, (ys.min()! + ys.max()!) / 2)
    }

    @Test("each lead box is nearest to its own link", arguments: ["auto-parts", "electronics", "smart-equipment", "nev-battery"])
    func nearest(_ id: String) throws {
        let path = packageRoot().appendingPathComponent("chains/\(id).yaml").path
        let analysed = try #require(ChainPipeline().run([path], screening: true).chains.first)
        let screening = try #require(analysed.screening)
        let map = ChainMap(analysed.analysis, leads: ChainMap.leads(from: screening, perLink: 2), options: MapOptions(leadsPerLink: 2))
        let svg = try RenderedSVG(map)
        var links: [String: (x: Double, y: Double)] = [:]
        var leads: [String: (x: Double, y: Double)] = [:]
        for case let group as XMLElement in try svg.document.nodes(forXPath: "//*[local-name()='g']") {
            guard let name = group.svgAttribute("id"), (group.svgAttribute("class") ?? "").hasPrefix("node"),
                  let centre = try Self.centre(group)
            else { continue }
            if name.hasPrefix("link-") { links[String(name.dropFirst(5))] = centre }
            if name.hasPrefix("leads-") { leads[String(name.dropFirst(6))] = centre }
        }
        #expect(!leads.isEmpty, "\(id) draws no leads")
        for (link, centre) in leads {
            let own = try #require(links[link], "\(id): no node for \(link)")
            let distance = { (p: (x: Double, y: Double)) in ((p.x - centre.x) * (p.x - centre.x) + (p.y - centre.y) * (p.y - centre.y)).squareRoot() }
            let nearestOther = links.filter { $0.key != link }.map { distance($0.value) }.min() ?? .infinity
            #expect(distance(own) < nearestOther, "\(id): the leads of \(link) stand \(distance(own)) from it, \(nearestOther) from another link")
        }
    }
}
