import Foundation
import Testing
@testable import ChainMapKit

/// A small deterministic generator (SplitMix64), so every run mutates the same way.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutations of a valid chain file, in the ways files really break (editors, copy and
/// paste, encodings, hand edits) and the ways a hostile file might.
enum Mutation: CaseIterable {
    case flipByte, truncate, doubleLine, swapLines, deleteLine, strayTab, strayQuote
    case anchorAlias, aliasBomb, insertBytes, gbkLine, crlf

    func apply(to bytes: [UInt8], using rng: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        func joined() -> [UInt8] { Array(lines.joined(separator: [0x0A])) }
        let anyLine = Int.random(in: 0..<lines.count, using: &rng)
        switch self {
        case .flipByte:
            let i = Int.random(in: 0..<bytes.count, using: &rng)
            bytes[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &rng)
            return bytes
        case .truncate:
            return Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
        case .doubleLine:
            lines.insert(lines[anyLine], at: anyLine)
            return joined()
        case .swapLines:
            lines.swapAt(anyLine, Int.random(in: 0..<lines.count, using: &rng))
            return joined()
        case .deleteLine:
            lines.remove(at: anyLine)
            return joined()
        case .strayTab:
            lines[anyLine].insert(0x09, at: Int.random(in: 0...min(4, lines[anyLine].count), using: &rng))
            return joined()
        case .strayQuote:
            let quote: UInt8 = Bool.random(using: &rng) ? 0x22 : 0x27
            lines[anyLine].insert(quote, at: Int.random(in: 0...lines[anyLine].count, using: &rng))
            return joined()
        case .anchorAlias:
            let text = String(decoding: bytes, as: UTF8.self)
            let anchored = text.replacingOccurrences(of: "keywords: [", with: "keywords: &kw [")
            return Array((anchored + "\nextra: *kw\nalias-link: *undefined\n").utf8)
        case .aliasBomb:
            var bomb = "b0: &b0 [x, x, x, x, x, x, x, x, x, x]\n"
            for i in 1...15 {
                bomb += "b\(i): &b\(i) [" + Array(repeating: "*b\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
            }
            // The first keyword list becomes an alias of 10^16 values.
            var text = String(decoding: bytes, as: UTF8.self)
            if let open = text.range(of: "keywords: ["), let close = text[open.upperBound...].firstIndex(of: "]") {
                text.replaceSubrange(open.lowerBound...close, with: "keywords: *b15")
            }
            return Array((bomb + text).utf8)
        case .insertBytes:
            let junk = (0..<Int.random(in: 1...8, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.insert(contentsOf: junk, at: Int.random(in: 0...bytes.count, using: &rng))
            return bytes
        case .gbkLine:
            lines[anyLine] += [0xD6, 0xD0, 0xCE, 0xC4]
            return joined()
        case .crlf:
            return Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        }
    }
}

@Suite("Loader mutation runs: no crash, no hang, always a located answer")
struct LoaderMutationTests {
    static let seedChain = """
        # 测试用产业链
        chain: 新能源汽车动力电池
        id: nev
        region: 示例市
        stages: [上游, 中游, 下游]
        links:
          - id: salt
            name: 锂盐
            stage: 上游
            supplies: [cathode, electrolyte]
            codes: [C2613]
            keywords: [碳酸锂, 氢氧化锂]
            weight: 3
          - {id: cathode, name: 正极材料, stage: 中游, supplies: [cell], codes: [C3985], keywords: [磷酸铁锂, 三元材料]}
          - {id: electrolyte, name: 电解液, stage: 中游, supplies: [cell], keywords: [电解液, 六氟磷酸锂]}
          - id: cell
            name: 电芯
            stage: 中游
            supplies: [recycle]
            codes: [C3841]
            keywords: [锂离子电池, 电芯]
            weight: 5
          - {id: recycle, name: 电池回收, stage: 下游, supplies: [salt], keywords: [梯次利用, 再生利用]}
        enterprises:
          - name: 示例电池集团
            links: [cell]
            role: 链主
            revenue: 300
            tags: [上市公司]
          - {name: 示例正极材料有限公司, links: [cathode], revenue: 5}
        leads:
          - {name: 某锂业股份有限公司, links: [salt], code: C2613, province: 四川, tags: [上市公司], capital: 15, status: 在谈, partner: 示例电池集团}
        """

    /// Every outcome must be a chain, or at least one error, and every error located
    /// in the file that was loaded.
    func expectLocatedOutcome(_ bytes: [UInt8], _ label: String) {
        let result = ChainLoader().load(bytes: bytes, file: "m.yaml", defaultID: "m")
        let errors = result.diagnostics.filter(\.isError)
        #expect((result.chain != nil) == errors.isEmpty, "\(label)")
        for diagnostic in result.diagnostics {
            #expect(diagnostic.location?.file == "m.yaml", "\(label): \(diagnostic)")
            #expect((diagnostic.location?.line ?? 0) >= 1 && (diagnostic.location?.column ?? 0) >= 1, "\(label): \(diagnostic)")
        }
    }

    @Test func theSeedChainLoadsCleanly() {
        let result = ChainLoader().load(bytes: Array(Self.seedChain.utf8), file: "m.yaml", defaultID: "m")
        #expect(result.diagnostics.isEmpty)
        #expect(result.chain?.links.count == 5)
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedFilesNeverCrashOrHang() {
        let iterations = ProcessInfo.processInfo.environment["CHAINMAP_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1500
        var rng = SeededGenerator(seed: 0xC4A1_4A9)
        let seed = Array(Self.seedChain.utf8)
        for i in 0..<iterations {
            var bytes = seed
            // One to three mutations on top of each other.
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                let mutation = Mutation.allCases.randomElement(using: &rng)!
                bytes = mutation.apply(to: bytes, using: &rng)
            }
            expectLocatedOutcome(bytes, "iteration \(i)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func everyMutationKindAlone() {
        var rng = SeededGenerator(seed: 42)
        for mutation in Mutation.allCases {
            for _ in 0..<20 {
                expectLocatedOutcome(mutation.apply(to: Array(Self.seedChain.utf8), using: &rng), "\(mutation)")
            }
        }
    }

    @Test func aliasBombsAreRefusedQuickly() {
        var rng = SeededGenerator(seed: 7)
        let bytes = Mutation.aliasBomb.apply(to: Array(Self.seedChain.utf8), using: &rng)
        let result = ChainLoader().load(bytes: bytes, file: "m.yaml", defaultID: "m")
        #expect(result.chain == nil)
        // The bomb is never expanded: the loader reads only the shape a chain file has.
        #expect(result.diagnostics.contains { $0.message == "'keywords' must be a single value, not a list" })
        #expect(result.diagnostics.contains { $0.message.hasPrefix("unknown key 'b15' in the chain file") })
    }
}
