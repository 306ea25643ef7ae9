import ChainMapKit
import Testing

@Suite("Gap analysis: priority, reasons, summary")
struct GapPriorityTests {
    /// The worked example of docs/analysis.md; the numbers asserted here are the ones the
    /// document quotes.
    static let workedExample = """
        chain: 示例动力电池
        id: example
        region: 示例市
        links:
          - {id: salt, name: 锂盐, stage: 上游, supplies: [cathode], weight: 3}
          - {id: cathode, name: 正极材料, stage: 上游, supplies: [cell], weight: 4}
          - {id: separator, name: 隔膜, stage: 上游, supplies: [cell], weight: 2}
          - {id: cell, name: 电芯, stage: 中游, supplies: [vehicle], weight: 5}
          - {id: vehicle, name: 新能源整车, stage: 下游, weight: 5}
        enterprises:
          - {name: 示例汽车集团, links: [vehicle], role: 链主, revenue: 300}
          - {name: 示例电芯科技, links: [cell], revenue: 20}
          - {name: 示例隔膜材料, links: [separator]}
        """

    @Test("the worked example of docs/analysis.md")
    func workedExample() throws {
        let analysis = GapAnalysis(try gapTestChain(Self.workedExample))
        #expect(gapKinds(analysis) == [
            "salt": .extend, "cathode": .fill, "separator": .strengthen, "cell": .strengthen, "vehicle": .covered,
        ])
        let order = analysis.entries.map { analysis.chain[$0.link].id }
        #expect(order == ["cathode", "cell", "separator", "salt"])
        #expect(analysis.entries.map(\.priority) == [58.6, 57.9, 38.9, 29.8])

        let presence = analysis.presence.map { ($0 * 1000).rounded() / 1000 }
        #expect(presence == [0, 0, 1, 2.322, 17.393])

        let cathode = try gapEntry(analysis, "cathode").factors
        #expect(abs(cathode.demand - 11.0186) < 0.0001)
        #expect(abs(cathode.demandScore - 0.5242) < 0.0001)
        #expect(cathode.reach == 0.5)
        #expect(cathode.pathShare == 0.5)
        let salt = try gapEntry(analysis, "salt").factors
        #expect(abs(salt.demand - 5.5093) < 0.0001)
        #expect(salt.reach == 0.75)
        let cell = try gapEntry(analysis, "cell").factors
        #expect(cell.pathShare == 1)

        let summary = analysis.summary
        #expect(summary.linkCount == 5)
        #expect(summary.coveredCount == 3)
        #expect(summary.coverage == 0.6)
        #expect(summary.completeness == 44.7)
        #expect(summary.counts == [.covered: 1, .strengthen: 2, .fill: 1, .extend: 1, .distant: 0])
        #expect(summary.enterpriseCount == 3)
        #expect(summary.anchorCount == 1)
        expectWellFormed(analysis)
    }

    @Test("a gap that feeds the 链主's link outranks an otherwise equal gap that feeds a small supplier")
    func leaderOutranksSmallSupplier() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 对照
            links:
              - {id: g-small, name: 配套缺口, stage: 上游, supplies: [small], weight: 3}
              - {id: g-leader, name: 链主缺口, stage: 上游, supplies: [leader], weight: 3}
              - {id: small, name: 小配套环节, stage: 下游, weight: 3}
              - {id: leader, name: 整车, stage: 下游, weight: 3}
            enterprises:
              - {name: 小小配套厂, links: [small], role: 龙头}
              - {name: 示例汽车集团, links: [leader], role: 链主, revenue: 300}
            """))
        let leaderGap = try gapEntry(analysis, "g-leader")
        let smallGap = try gapEntry(analysis, "g-small")
        #expect(leaderGap.kind == .fill && smallGap.kind == .fill)
        #expect(leaderGap.factors.structure == smallGap.factors.structure)
        #expect(leaderGap.priority > smallGap.priority)
        #expect(analysis.entries.first?.link == leaderGap.link)
        #expect(leaderGap.reasons.contains("直接配套本地链主 示例汽车集团（整车，营收300亿元）"))
        #expect(smallGap.reasons.contains("直接配套本地龙头 小小配套厂（小配套环节）"))
    }

    @Test("the same holds against a single small 配套 supplier, and for the 链主 without revenue")
    func leaderWithoutRevenue() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 对照二
            links:
              - {id: a, name: 甲缺口, stage: 上游, supplies: [small]}
              - {id: b, name: 乙缺口, stage: 上游, supplies: [leader]}
              - {id: small, name: 小环节, stage: 下游}
              - {id: leader, name: 主环节, stage: 下游}
            enterprises:
              - {name: 小厂, links: [small]}
              - {name: 主机厂, links: [leader], role: 链主}
            """))
        #expect(try gapEntry(analysis, "b").priority > gapEntry(analysis, "a").priority)
    }

    @Test("more local demand never lowers a priority: revenue, tier tags and more enterprises raise it")
    func demandIsMonotone() throws {
        func priority(_ enterprises: String) throws -> Double {
            let analysis = GapAnalysis(try gapTestChain("""
                chain: 单调
                links:
                  - {id: g, name: 缺口, stage: 上游, supplies: [c]}
                  - {id: c, name: 已覆盖, stage: 下游}
                enterprises:
                \(enterprises)
                """))
            return try gapEntry(analysis, "g").priority
        }
        let one = try priority("  - {name: 甲, links: [c]}")
        let rich = try priority("  - {name: 甲, links: [c], revenue: 50}")
        let tiered = try priority("  - {name: 甲, links: [c], revenue: 50, tags: [上市公司]}")
        let two = try priority("  - {name: 甲, links: [c], revenue: 50, tags: [上市公司]}\n  - {name: 乙, links: [c]}")
        #expect(one < rich && rich < tiered && tiered < two)
    }

    @Test("of equal standing: 补链 > 强链 > 延链 > 远期")
    func kindOrder() {
        let kinds: [LinkStatus] = [.fill, .strengthen, .extend, .distant]
        for (demand, structure, weight) in [(0.0, 0.0, 1), (0.5, 0.5, 3), (1.0, 1.0, 5)] {
            let scores = kinds.map { GapPriority.priority(kind: $0, demandScore: demand, structure: structure, weight: weight) }
            #expect(scores == scores.sorted(by: >))
            #expect(Set(scores).count == 4)
        }
        #expect(GapPriority.priority(kind: .fill, demandScore: 1, structure: 1, weight: 5) == 100)
        #expect(GapPriority.priority(kind: .covered, demandScore: 1, structure: 1, weight: 5) == 0)
    }

    @Test("demand decays upstream: a gap two steps away gets half the demand")
    func demandDecays() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 衰减
            links:
              - {id: far, name: 远端, stage: 上游, supplies: [near]}
              - {id: near, name: 近端, stage: 中游, supplies: [c]}
              - {id: c, name: 主机, stage: 下游}
            enterprises:
              - {name: 主机厂, links: [c], role: 链主, revenue: 100}
            """))
        let near = try gapEntry(analysis, "near").factors.demand
        let far = try gapEntry(analysis, "far").factors.demand
        #expect(near == analysis.presence[2])
        #expect(far == near / 2)
        #expect(try gapEntry(analysis, "far").reasons.contains("经 近端 间接配套下游 主机（本地企业 1 家，含链主 主机厂）"))
    }

    @Test("the analysis is deterministic")
    func deterministic() throws {
        let chain = try gapTestChain(Self.workedExample)
        let first = GapAnalysis(chain).entries
        for _ in 0..<5 {
            #expect(GapAnalysis(chain).entries == first)
        }
    }

    @Test("reasons name the facts a planner needs")
    func reasonTexts() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 理由
            links:
              - {id: ore, name: 锂矿, stage: 上游, supplies: [salt]}
              - {id: salt, name: 锂盐, stage: 上游, supplies: [cathode]}
              - {id: cathode, name: 正极材料, stage: 上游, supplies: [cell], weight: 5}
              - {id: cell, name: 电芯, stage: 中游, supplies: [pack]}
              - {id: pack, name: 电池包/PACK, stage: 中游, supplies: [vehicle]}
              - {id: vehicle, name: 新能源整车, stage: 下游}
            enterprises:
              - {name: 示例汽车集团, links: [vehicle], role: 链主, revenue: 300}
              - {name: 甲电芯, links: [cell, pack], revenue: 12.5}
              - {name: 乙电芯, links: [cell]}
              - {name: 丙电池, links: [pack], tags: [专精特新]}
            """))
        let cathode = try gapEntry(analysis, "cathode")
        #expect(cathode.kind == .fill)
        #expect(cathode.reasons.contains("下游 电芯 已有本地企业 2 家，需求待满足"))
        #expect(cathode.reasons.contains("上游 锂盐 亦缺失"))
        // The weight in words (the number is in the JSON); no model-speak such as "战略权重 5".
        #expect(cathode.reasons.contains("规划确定的首要环节"))
        #expect(!cathode.reasons.contains { $0.contains("战略权重") || $0.contains("可达") })
        #expect(cathode.reasons.contains("经 电芯 间接配套下游 电池包/PACK、新能源整车（本地企业 3 家，含链主 示例汽车集团）"))
        let cell = try gapEntry(analysis, "cell")
        #expect(cell.reasons.first == "本地企业2家（甲电芯、乙电芯），但无链主、龙头或上市等梯队企业")
        #expect(cell.reasons.contains("上游 正极材料 缺失"))
        // 甲电芯 and 丙电池 (专精特新): two enterprises, one tiered — strong, no entry.
        let pack = try #require(analysis.chain.link(id: "pack"))
        #expect(analysis.status(of: pack.ref) == .covered)
        #expect(analysis.entry(for: pack.ref) == nil)
        let salt = try gapEntry(analysis, "salt")
        #expect(salt.reasons.contains("距最近的已覆盖环节 2 步（经 正极材料 至 电芯）"))
        #expect(salt.reasons.contains("下游 正极材料 亦缺失"))
        expectWellFormed(analysis)
    }

    @Test("a single weak enterprise is named, with its lack of tier")
    func weakSingle() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 单家
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b]}
              - {id: b, name: 乙, stage: 下游}
            enterprises:
              - {name: 甲厂, links: [a]}
              - {name: 乙厂, links: [b], tags: [上市公司]}
            """))
        #expect(try gapEntry(analysis, "a").reasons.first == "本地仅1家企业（甲厂），且无链主、龙头或上市等梯队企业")
        #expect(try gapEntry(analysis, "b").reasons.first == "本地仅1家企业（乙厂），不足2家，且无链主或龙头")
        #expect(analysis.summary.completeness == 50)
    }

    @Test("completeness weights links by weight: strong 1, weak ½, gap 0")
    func completeness() throws {
        let analysis = GapAnalysis(try gapTestChain("""
            chain: 完整度
            links:
              - {id: a, name: 甲, stage: 上游, supplies: [b], weight: 5}
              - {id: b, name: 乙, stage: 中游, supplies: [c], weight: 3}
              - {id: c, name: 丙, stage: 下游, weight: 2}
            enterprises:
              - {name: 甲厂, links: [a], role: 龙头}
              - {name: 乙厂, links: [b]}
            """))
        // (5 × 1 + 3 × 0.5 + 2 × 0) / 10 = 65%.
        #expect(analysis.summary.completeness == 65)
        #expect(analysis.summary.coverage * 3 == 2)
    }
}
