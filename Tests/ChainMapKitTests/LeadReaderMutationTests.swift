import Foundation
import Testing
@testable import ChainMapKit

/// Mutation runs over the CSV lead reader: whatever a spreadsheet or a colleague makes of
/// an export, the reader ends, reports every unreadable row at its place, counts it, and
/// drops nothing silently.
@Suite("Lead reader mutation runs")
struct LeadReaderMutationTests {
    static let header = "企业名称,统一社会信用代码,注册资本,所属省份,国标行业,标签,经营范围"
    static let rows = (0..<40).map { i in
        let scopes = ["锂电池电解液、六氟磷酸锂的研发", "湿法隔膜的生产", "磷酸铁锂正极材料", "餐饮服务", "计算机软件开发"]
        return "测试\(i)号有限公司,9144\(i),\(1000 + i)万元人民币,广东省,C2661,上市公司,\(scopes[i % scopes.count])"
    }
    static var export: [UInt8] { Array(([header] + rows).joined(separator: "\n").utf8) + [0x0A] }

    func screen(_ bytes: [UInt8], _ label: String) throws -> LeadScreening {
        let path = try LeadFixtures.temporaryFile("export.csv", bytes)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let screening = try LeadFixtures.screen(try LeadFixtures.chain(), files: [path])
        // Every problem is located in the file; every unreadable row is reported once.
        for diagnostic in screening.diagnostics {
            #expect(diagnostic.location?.file == path, "\(label): \(diagnostic)")
            #expect((diagnostic.location?.line ?? 0) >= 1, "\(label): \(diagnostic)")
        }
        if !screening.failed {
            let counts = screening.totals
            #expect(screening.errors.count == counts.unreadable, "\(label): \(screening.errors)")
            #expect(counts.unreadable <= counts.rows, "\(label)")
            #expect(counts.matched <= counts.rows, "\(label)")
        }
        return screening
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedExportsEndWithEveryRowAccountedFor() throws {
        let iterations = ProcessInfo.processInfo.environment["CHAINMAP_FUZZ_ITERATIONS"].flatMap(Int.init).map { $0 / 10 } ?? 150
        var rng = SeededGenerator(seed: 0x1EAD5)
        for i in 0..<iterations {
            var bytes = Self.export
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                bytes = Mutation.allCases.randomElement(using: &rng)!.apply(to: bytes, using: &rng)
            }
            _ = try screen(bytes, "iteration \(i)")
        }
    }

    @Test func rowCountsAreExactWhenOnlyCellsAreSpoilt() throws {
        // Bytes that are not UTF-8 (a GBK fragment pasted into a UTF-8 file) spoil one row
        // each; the row is reported and counted, and every other row is read.
        var lines = ([Self.header] + Self.rows).map { Array($0.utf8) }
        for index in [3, 17, 30] { lines[index] += [0xD6, 0xD0, 0xCE, 0xC4] }
        let screening = try screen(Array(lines.joined(separator: [0x0A])) + [0x0A], "mixed encodings")
        let counts = screening.totals
        #expect(counts.rows == Self.rows.count)
        #expect(counts.unreadable == 3)
        #expect(screening.errors.map { $0.location!.line } == [4, 18, 31])
    }

    @Test func brokenQuotingIsReportedNotSwallowed() throws {
        var lines = [Self.header] + Self.rows
        lines[5] = lines[5].replacingOccurrences(of: "湿法隔膜", with: "\"湿法\"隔膜")
        lines[9] = "\"" + lines[9]
        let screening = try screen(Array(lines.joined(separator: "\n").utf8), "quotes")
        let counts = screening.totals
        #expect(counts.rows + counts.blank >= Self.rows.count - 1)
        #expect(counts.unreadable >= 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func aTenMegabyteFieldIsOneRow() throws {
        let huge = String(repeating: "锂电池电解液研发生产销售，", count: 10_000_000 / 39)
        let text = Self.header + "\n巨型经营范围有限公司,9144,100万元,广东省,C2661,,\"\(huge)\"\n" + Self.rows[0] + "\n"
        let screening = try screen(Array(text.utf8), "10 MB field")
        #expect(screening.totals.rows == 2)
        #expect(screening.totals.unreadable == 0)
        #expect(screening.recommendations.contains { $0.lead.name == "巨型经营范围有限公司" })
    }

    @Test func anEmptyFileFailsAtItsFirstLine() throws {
        let screening = try screen([], "empty")
        #expect(screening.failed)
        #expect(screening.errors.count == 1)
    }

    @Test func aHeaderOnlyFileReadsNoRowsAndIsNoError() throws {
        let screening = try screen(Array((Self.header + "\n").utf8), "header only")
        #expect(!screening.failed)
        #expect(screening.errors.isEmpty)
        #expect(screening.totals.rows == 0)
    }
}
