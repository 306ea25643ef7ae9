@testable import ChainMapKit
import Testing

/// Aligning two regions' chains (`chainmap compare`): the reasons of links left unaligned.
@Suite("Chain comparison")
struct ChainComparisonTests {
    static func chain(_ id: String, links: [(id: String, name: String, code: String)]) throws -> Chain {
        var yaml = "chain: 电池\nid: \(id)\nregion: \(id)\nstages: [上游]\nlinks:\n"
        for link in links { yaml += "  - {id: \(link.id), name: \(link.name), stage: 上游, codes: [\(link.code)]}\n" }
        return try #require(loadYAML(yaml).chain)
    }

    @Test("a link matching several by code or by name names five of them and how many there are, not all of them")
    func ambiguousReasonsAreBounded() throws {
        let base = try Self.chain("here", links: (0..<8).map { ("b\($0)", "环节\($0)", "C3841") } + [("n1", "同名", "C2613"), ("n2", "同名", "C2661")])
        let other = try Self.chain("there", links: [("x", "另一个", "C3841"), ("y", "同名", "C3985"), ("z", "两个", "C2613")])
        let comparison = ChainComparison([GapAnalysis(base), GapAnalysis(other)])
        #expect(comparison.unaligned.map(\.reason) == [
            "行业代码与多个环节相同：环节0、环节1、环节2、环节3、环节4 等 8 个环节",
            "名称与多个环节相同：同名、同名",
        ])
        // One code, one link: aligned by it.
        #expect(comparison.rows.contains { $0.cells[1]?.alignment == .code })
    }
}
