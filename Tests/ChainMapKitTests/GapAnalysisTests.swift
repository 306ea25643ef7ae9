import ChainMapKit
import Testing

/// Loads a chain from inline YAML, requiring that it loads without any diagnostic.
func gapTestChain(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Chain {
    let result = ChainLoader().load(bytes: Array(yaml.utf8), file: "t.yaml", defaultID: "t")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)", sourceLocation: sourceLocation)
    return try #require(result.chain, sourceLocation: sourceLocation)
}

/// The kind of every link, by link id.
func gapKinds(_ analysis: GapAnalysis) -> [String: LinkStatus] {
    Dictionary(uniqueKeysWithValues: analysis.chain.links.map { ($0.id, analysis.status(of: $0.ref)) })
}

/// The distance of every link, by link id.
func gapDistances(_ analysis: GapAnalysis) -> [String: Int?] {
    Dictionary(uniqueKeysWithValues: analysis.chain.links.map { ($0.id, analysis.distances[$0.ref.index]) })
}

/// The entry of a link, by id.
func gapEntry(_ analysis: GapAnalysis, _ id: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> GapEntry {
    let link = try #require(analysis.chain.link(id: id), sourceLocation: sourceLocation)
    return try #require(analysis.entry(for: link.ref), sourceLocation: sourceLocation)
}

/// Every entry has at least one non-empty reason, entries are sorted, and they are
/// exactly the links that are not covered-and-strong.
func expectWellFormed(_ analysis: GapAnalysis, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for entry in analysis.entries {
        #expect(!entry.reasons.isEmpty, "\(analysis.chain[entry.link].id) has no reason", sourceLocation: sourceLocation)
        #expect(entry.reasons.allSatisfy { !$0.isEmpty }, sourceLocation: sourceLocation)
        #expect((0...100).contains(entry.priority), sourceLocation: sourceLocation)
        #expect(entry.priority == (entry.priority * 10).rounded() / 10, sourceLocation: sourceLocation)
        #expect(entry.kind == analysis.status(of: entry.link), sourceLocation: sourceLocation)
    }
    #expect(zip(analysis.entries, analysis.entries.dropFirst()).allSatisfy { $0.priority >= $1.priority },
            sourceLocation: sourceLocation)
    let listed = Set(analysis.entries.map(\.link))
    let expected = Set(analysis.chain.linkRefs.filter { analysis.status(of: $0) != .covered })
    #expect(listed == expected, sourceLocation: sourceLocation)
}

@Suite("Gap analysis: kinds")
struct GapKindTests {
    @Test("a cycle: distances and kinds follow edges either way, and the analysis terminates")
    func cycle() throws {
        let chain = try gapTestChain("""
            chain: 循环
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b]}
              - {id: b, name: 乙, stage: 中游, supplies: [c]}
              - {id: c, name: 丙, stage: 下游, supplies: [a, d]}
              - {id: d, name: 丁, stage: 下游, supplies: [e]}
              - {id: e, name: 戊, stage: 下游, supplies: [f]}
              - {id: f, name: 己, stage: 下游}
            enterprises:
              - {name: 乙公司, links: [b]}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == [
            "a": .fill, "b": .strengthen, "c": .extend, "d": .extend, "e": .distant, "f": .distant,
        ])
        #expect(gapDistances(analysis) == ["a": 1, "b": 0, "c": 1, "d": 2, "e": 3, "f": 4])
        expectWellFormed(analysis)
        // 丙 → 甲 closes the loop; its reasons show it.
        let c = try gapEntry(analysis, "c")
        #expect(c.reasons.contains("回流上游形成循环供应（丙→甲→乙→丙）"))
        // Demand flows around the cycle: 丙 reaches 乙 in 2 steps (丙 → 甲 → 乙).
        #expect(c.factors.demand > 0)
    }

    @Test("a two-link cycle where both links are gaps next to a covered link")
    func smallCycle() throws {
        let chain = try gapTestChain("""
            chain: 小循环
            links:
              - {id: x, name: X, stage: 上游, supplies: [y]}
              - {id: y, name: Y, stage: 上游, supplies: [x, z]}
              - {id: z, name: Z, stage: 下游}
            enterprises:
              - {name: 甲, links: [z], role: 龙头}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == ["x": .extend, "y": .fill, "z": .covered])
        #expect(gapDistances(analysis) == ["x": 2, "y": 1, "z": 0])
        expectWellFormed(analysis)
    }

    @Test("zero coverage: every link is distant")
    func zeroCoverage() throws {
        let chain = try gapTestChain("""
            chain: 空白
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b]}
              - {id: b, name: 乙, stage: 中游, supplies: [c], weight: 5}
              - {id: c, name: 丙, stage: 下游}
              - {id: d, name: 丁, stage: 下游}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == ["a": .distant, "b": .distant, "c": .distant, "d": .distant])
        #expect(analysis.distances.allSatisfy { $0 == nil })
        expectWellFormed(analysis)
        for entry in analysis.entries {
            #expect(entry.reasons.contains("本链尚无本地企业，整条链均属远期布局，需从零谋划"))
            #expect(entry.factors.demand == 0)
        }
        let summary = analysis.summary
        #expect(summary.coveredCount == 0)
        #expect(summary.completeness == 0)
        #expect(summary.count(.distant) == 4)
    }

    @Test("an isolated link: uncovered and unreachable is distant; covered by a 龙头 is strong")
    func isolatedLink() throws {
        let chain = try gapTestChain("""
            chain: 孤立
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b]}
              - {id: b, name: 乙, stage: 下游}
              - {id: lone, name: 孤立环节, stage: 中游}
              - {id: island, name: 孤岛, stage: 中游}
            enterprises:
              - {name: 乙集团, links: [b], role: 链主}
              - {name: 孤岛龙头, links: [island], role: 龙头}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == ["a": .fill, "b": .covered, "lone": .distant, "island": .covered])
        #expect(gapDistances(analysis) == ["a": 1, "b": 0, "lone": nil, "island": 0])
        expectWellFormed(analysis)
        let lone = try gapEntry(analysis, "lone")
        #expect(lone.distance == nil)
        #expect(lone.reasons.contains("与本地已覆盖环节无上下游联系"))
    }

    @Test("gaps at distance 1, 2 and 3 on each side of a covered link")
    func distanceTwoEachSide() throws {
        let chain = try gapTestChain("""
            chain: 两侧
            links:
              - {id: u3, name: 上三, stage: 上游, supplies: [u2]}
              - {id: u2, name: 上二, stage: 上游, supplies: [u1]}
              - {id: u1, name: 上一, stage: 上游, supplies: [c]}
              - {id: c, name: 核心, stage: 中游, supplies: [d1]}
              - {id: d1, name: 下一, stage: 下游, supplies: [d2]}
              - {id: d2, name: 下二, stage: 下游, supplies: [d3]}
              - {id: d3, name: 下三, stage: 下游}
            enterprises:
              - {name: 核心集团, links: [c], role: 链主, revenue: 50}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == [
            "u3": .distant, "u2": .extend, "u1": .fill, "c": .covered,
            "d1": .extend, "d2": .extend, "d3": .distant,
        ])
        #expect(gapDistances(analysis) == ["u3": 3, "u2": 2, "u1": 1, "c": 0, "d1": 1, "d2": 2, "d3": 3])
        expectWellFormed(analysis)
        #expect(try gapEntry(analysis, "u2").reasons.contains("距最近的已覆盖环节 2 步（经 上一 至 核心）"))
        #expect(try gapEntry(analysis, "d2").reasons.contains("距最近的已覆盖环节 2 步（经 下一 至 核心）"))
        #expect(try gapEntry(analysis, "u3").reasons.contains("距最近的已覆盖环节 3 步（经 上二→上一 至 核心）"))
        #expect(try gapEntry(analysis, "d1").reasons.contains("上游 核心 已有本地企业 1 家，可就近供货"))
    }

    @Test("a gap both fed by and feeding covered links is a fill gap")
    func fillBetweenCovered() throws {
        let chain = try gapTestChain("""
            chain: 夹心
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [g]}
              - {id: g, name: 缺口, stage: 中游, supplies: [b]}
              - {id: b, name: 乙, stage: 下游}
            enterprises:
              - {name: 甲公司, links: [a], role: 龙头}
              - {name: 乙公司, links: [b], role: 龙头}
            """)
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == ["a": .covered, "g": .fill, "b": .covered])
        expectWellFormed(analysis)
    }

    @Test("recycling: the edge back to an earlier stage closes the loop, and structure reads left to right")
    func recyclingLoop() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 回收
            stages: [上游, 中游, 下游, 回收]
            links:
              - {id: ore, name: 锂矿, stage: 上游, supplies: [salt]}
              - {id: salt, name: 锂盐, stage: 上游, supplies: [cathode]}
              - {id: precursor, name: 前驱体, stage: 上游, supplies: [cathode]}
              - {id: cathode, name: 正极, stage: 上游, supplies: [cell]}
              - {id: cell, name: 电芯, stage: 中游, supplies: [vehicle]}
              - {id: vehicle, name: 整车, stage: 下游, supplies: [recycle]}
              - {id: recycle, name: 回收, stage: 回收, supplies: [salt, precursor]}
            enterprises:
              - {name: 电芯龙头, links: [cell], role: 龙头}
            """))
        #expect(gapKinds(analysis) == [
            "ore": .distant, "salt": .extend, "precursor": .extend, "cathode": .fill,
            "cell": .covered, "vehicle": .extend, "recycle": .extend,
        ])
        #expect(gapDistances(analysis) == [
            "ore": 3, "salt": 2, "precursor": 2, "cathode": 1, "cell": 0, "vehicle": 1, "recycle": 2,
        ])
        expectWellFormed(analysis)
        let recycle = try gapEntry(analysis, "recycle")
        #expect(recycle.reasons.contains("回流上游形成循环供应（回收→锂盐→正极→电芯→整车→回收）"))
        #expect(recycle.factors.reach == 0)
        #expect(recycle.factors.demand > 0)  // demand still flows around the loop
        let precursor = try gapEntry(analysis, "precursor")
        #expect(!precursor.reasons.contains { $0.contains("循环") })
        #expect(precursor.factors.reach * 6 == 4)  // 正极, 电芯, 整车, 回收
        #expect(try gapEntry(analysis, "ore").factors.reach * 6 == 5)
    }

    @Test("path share: the share of source-to-end paths through a link")
    func pathShare() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 菱形
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b, c]}
              - {id: b, name: 乙, stage: 中游, supplies: [d]}
              - {id: c, name: 丙, stage: 中游, supplies: [d]}
              - {id: d, name: 丁, stage: 下游}
              - {id: e, name: 戊, stage: 下游}
            """))
        let shares = try ["a", "b", "c", "d", "e"].map { try gapEntry(analysis, $0).factors.pathShare }
        // Paths: 甲→乙→丁, 甲→丙→丁, and the isolated 戊.
        #expect(shares.map { ($0 * 3).rounded() } == [2, 1, 1, 2, 1])
        // In words an industry reads; the shares themselves are in the JSON's factors.
        #expect(try gapEntry(analysis, "a").reasons.contains("全链主要供应路径始于此环节，是产业链的源头环节"))
        #expect(try gapEntry(analysis, "d").reasons.contains("全链主要供应路径汇聚于此环节，是产业链的终端环节"))
        #expect(try !gapEntry(analysis, "e").reasons.contains { $0.contains("路径") })
        #expect(try !gapEntry(analysis, "a").reasons.contains { $0.contains("%") })
    }

    static let thresholdChain = """
        chain: 门槛
        links:
          - {id: p, name: 两家含上市, stage: 上游, supplies: [s]}
          - {id: q, name: 三家含省级重点, stage: 中游, supplies: [s]}
          - {id: r, name: 龙头环节, stage: 中游, supplies: [s]}
          - {id: s, name: 缺口, stage: 下游}
          - {id: t, name: 两家无梯队, stage: 上游, supplies: [s]}
        enterprises:
          - {name: 甲, links: [p], tags: [上市公司]}
          - {name: 乙, links: [p]}
          - {name: 丙, links: [q], tags: [省级重点]}
          - {name: 丁, links: [q]}
          - {name: 戊, links: [q]}
          - {name: 己, links: [r], role: 龙头}
          - {name: 庚, links: [t]}
          - {name: 辛, links: [t]}
        """

    @Test("default thresholds: 2 enterprises, one with a default tier tag")
    func defaultThresholds() throws {
        let analysis = GapAnalysis(try gapTestChain(Self.thresholdChain))
        #expect(gapKinds(analysis) == [
            "p": .covered, "q": .strengthen, "r": .covered, "s": .extend, "t": .strengthen,
        ])
        #expect(try gapEntry(analysis, "t").reasons.first == "本地企业2家（庚、辛），但无链主、龙头或上市等梯队企业")
        expectWellFormed(analysis)
    }

    @Test("thresholds from the file's analysis: block")
    func fileThresholds() throws {
        let yaml = Self.thresholdChain + "\nanalysis: {min-enterprises: 3, tier-tags: [省级重点]}\n"
        let chain = try gapTestChain(yaml)
        #expect(chain.analysis.minEnterprises == 3)
        #expect(chain.analysis.tierTags == ["省级重点"])
        let analysis = GapAnalysis(chain)
        #expect(gapKinds(analysis) == [
            "p": .strengthen, "q": .covered, "r": .covered, "s": .extend, "t": .strengthen,
        ])
        // 上市公司 is not a tier tag of this file, and 2 < 3.
        #expect(try gapEntry(analysis, "p").reasons.first == "本地仅2家企业（甲、乙），且无链主、龙头或上市等梯队企业")
        expectWellFormed(analysis)
    }

    @Test("thresholds from the command line override the file's")
    func commandLineThresholds() throws {
        let yaml = Self.thresholdChain + "\nanalysis: {min-enterprises: 3, tier-tags: [省级重点]}\n"
        let chain = try gapTestChain(yaml)
        let onlyCount = chain.analysis.overriding(minEnterprises: 2)
        #expect(gapKinds(GapAnalysis(chain, settings: onlyCount)) == [
            "p": .strengthen, "q": .covered, "r": .covered, "s": .extend, "t": .strengthen,
        ])
        let both = chain.analysis.overriding(
            minEnterprises: 1, tierTags: AnalysisSettings.parseTagList("上市公司，专精特新"))
        #expect(both.tierTags == ["上市公司", "专精特新"])
        let analysis = GapAnalysis(chain, settings: both)
        #expect(analysis.settings == both)
        #expect(gapKinds(analysis) == [
            "p": .covered, "q": .strengthen, "r": .covered, "s": .extend, "t": .strengthen,
        ])
        // Without overrides the file's settings stay.
        #expect(chain.analysis.overriding() == chain.analysis)
        expectWellFormed(analysis)
    }

    @Test("tag lists from the command line split on , ， 、 ; ；")
    func tagLists() {
        #expect(AnalysisSettings.parseTagList("上市公司,专精特新") == ["上市公司", "专精特新"])
        #expect(AnalysisSettings.parseTagList(" 上市公司，专精特新、独角兽；;上市公司,, ") == ["上市公司", "专精特新", "独角兽"])
        #expect(AnalysisSettings.parseTagList(",，") == [])
    }
}
