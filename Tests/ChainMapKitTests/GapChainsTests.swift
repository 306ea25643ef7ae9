import ChainMapKit
import Foundation
import Testing

/// Checks the analysis of the real chains in `chains/` against the contract, with an
/// independent, deliberately naive reading of the contract's words.
@Suite("Gap analysis of chains/")
struct GapChainsTests {
    static let chainsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("chains")

    static func chainFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: chainsDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") && !SystemPlanLoader.fileNames.contains($0) }.sorted()
    }

    /// The contract's kinds, computed the slow way: all-pairs distances (Floyd–Warshall)
    /// over `supplies` edges in either direction.
    static func contractKind(of ref: LinkRef, in chain: Chain, settings: AnalysisSettings) -> LinkStatus {
        let n = chain.links.count
        let infinity = Int.max / 4
        var d = Array(repeating: Array(repeating: infinity, count: n), count: n)
        for i in 0..<n { d[i][i] = 0 }
        for link in chain.links {
            for target in link.supplies where target != link.ref {
                d[link.ref.index][target.index] = 1
                d[target.index][link.ref.index] = 1
            }
        }
        for k in 0..<n { for i in 0..<n { for j in 0..<n where d[i][k] + d[k][j] < d[i][j] { d[i][j] = d[i][k] + d[k][j] } } }
        let covered = chain.links.filter { !chain.enterprises(on: $0.ref).isEmpty }.map(\.ref.index)
        let local = chain.enterprises(on: ref)
        if !local.isEmpty {
            let anchored = local.contains { $0.role == .leader || $0.role == .champion }
            let tiered = local.contains { e in e.tags.contains { tag in settings.tierTags.contains { tag.contains($0) } } }
            return anchored || (local.count >= settings.minEnterprises && tiered) ? .covered : .strengthen
        }
        guard !covered.isEmpty else { return .distant }
        let distance = covered.map { d[ref.index][$0] }.min()!
        let suppliesCovered = chain[ref].supplies.contains { covered.contains($0.index) }
        if distance == 1 && suppliesCovered { return .fill }
        if distance == 1 || distance == 2 { return .extend }
        return .distant
    }

    @Test("every link of every chain in chains/ has the contract's kind; every entry has reasons",
          arguments: chainFiles())
    func chainFile(_ name: String) throws {
        let path = Self.chainsDirectory.appendingPathComponent(name).path
        let result = ChainLoader().load(path: path)
        let chain = try #require(result.chain, "\(result.diagnostics)")
        let analysis = GapAnalysis(chain)
        for link in chain.links {
            #expect(analysis.status(of: link.ref) == Self.contractKind(of: link.ref, in: chain, settings: chain.analysis),
                    "\(name): \(link.id)")
        }
        expectWellFormed(analysis)
        let summary = analysis.summary
        #expect((0...100).contains(summary.completeness))
        #expect(LinkStatus.allCases.reduce(0) { $0 + summary.count($1) } == chain.links.count)
        // Overridden thresholds too.
        let strict = chain.analysis.overriding(minEnterprises: 3, tierTags: ["上市公司"])
        let strictAnalysis = GapAnalysis(chain, settings: strict)
        for link in chain.links {
            #expect(strictAnalysis.status(of: link.ref) == Self.contractKind(of: link.ref, in: chain, settings: strict),
                    "\(name): \(link.id)")
        }
    }
}
