@testable import ChainMapKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Issue 19: a 链主 or 龙头 tag stands apart from the name before it in every renderer —
/// even one that draws the bold name as wide as a full em per character.
@Suite("Role tag gap")
struct RoleGapTests {
    @Test("on the map, each role tag starts at least half an em after the end of its name at one em per character")
    func gap() throws {
        let path = packageRoot().appendingPathComponent("chains/nev-battery.yaml").path
        let analysed = try #require(ChainPipeline().run([path], screening: false).chains.first)
        let svg = try RenderedSVG(ChainMap(analysed.analysis))
        let texts = try svg.document.nodes(forXPath: "//*[local-name()='text']").compactMap { $0 as? XMLElement }
        var checked = 0
        for (n, text) in texts.enumerated() where n + 2 < texts.count {
            let role = texts[n + 2].stringValue ?? ""
            guard text.svgAttribute("font-weight") == "bold", role == "链主" || role == "龙头",
                  let name = text.stringValue, let x = Double(text.svgAttribute("x") ?? ""),
                  let roleX = Double(texts[n + 2].svgAttribute("x") ?? ""), let size = Double(text.svgAttribute("font-size") ?? "")
            else { continue }
            let widest = Double(name.count) * size
            #expect(roleX - (x + widest) >= size / 2, "\(name) \(role): \(roleX) vs \(x + widest)")
            checked += 1
        }
        #expect(checked >= 3)
    }
}
