import Foundation
import Testing
@testable import ChainMapKit

/// Failures part-way leave the previous output intact and no temporary files, and every
/// command gives the same bytes for the same input, run after run.
@Suite("Robustness of the commands' outputs")
struct RobustnessCommandTests {
    static let chain = """
        chain: 动力电池
        id: battery
        region: 示例市
        links:
          - {id: cathode, name: 正极材料, stage: 上游, supplies: [cell], keywords: [正极材料, 磷酸铁锂]}
          - {id: cell, name: 电芯, stage: 中游, supplies: [pack], keywords: [电芯]}
          - {id: pack, name: 电池包, stage: 下游, keywords: [电池包]}
        enterprises:
          - {name: 示例电池集团, links: [cell], role: 链主, revenue: 300}
          - {name: 示例电池包公司, links: [pack]}
        leads:
          - {name: 某某正极材料股份有限公司, links: [cathode], tags: [上市公司], status: 在谈}
        """

    func workspace(_ chain: String = chain) throws -> URL {
        let directory = try BinaryRunner.temporaryDirectory()
        try chain.write(to: directory.appendingPathComponent("battery.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    func listing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test func aFailedRenderKeepsThePreviousMapAndLeavesNoTemporaryFile() throws {
        let directory = try workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out")
        #expect(try BinaryRunner.run(["render", "battery.yaml", "-o", "out", "--format", "png"], in: directory).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("battery.png"))

        // The chain file breaks (a link no longer exists): nothing is drawn or written.
        let broken = Self.chain.replacingOccurrences(of: "supplies: [pack]", with: "supplies: [packs]")
        try broken.write(to: directory.appendingPathComponent("battery.yaml"), atomically: true, encoding: .utf8)
        let failed = try BinaryRunner.run(["render", "battery.yaml", "-o", "out", "--format", "png"], in: directory)
        #expect(failed.status == 1)
        #expect(failed.stderr.hasPrefix("battery.yaml:6:48: error: 'supplies' names 'packs'"))
        #expect(try Data(contentsOf: out.appendingPathComponent("battery.png")) == before)
        #expect(try listing(out) == ["battery.png"])
    }

    @Test func anAtomicWriteThatCannotFinishLeavesNoTrace() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The target is a directory, so the final rename fails after the data is written.
        let target = directory.appendingPathComponent("map.svg")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("inside"), withIntermediateDirectories: true)
        #expect(throws: DiagnosticError.self) {
            try FileSystem.writeAtomically(Array("<svg/>".utf8), to: target.path)
        }
        #expect(try listing(directory) == ["map.svg"])
        #expect(try listing(target) == ["inside"])
    }

    @Test(arguments: [
        ["gaps", "battery.yaml", "--json"], ["gaps", "battery.yaml", "--csv"], ["gaps", "battery.yaml", "--markdown"],
        ["leads", "battery.yaml", "--json"], ["leads", "battery.yaml", "--csv"], ["leads", "battery.yaml", "--markdown"],
        ["render", "battery.yaml", "-o", "-", "--format", "dot"],
    ])
    func twoRunsPrintTheSameBytes(_ arguments: [String]) throws {
        let directory = try workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        if arguments[0] == "render" {
            // render writes files: compare them instead.
            var outputs: [Data] = []
            for run in ["a", "b"] {
                #expect(try BinaryRunner.run(["render", "battery.yaml", "-o", run, "--format", "dot"], in: directory).status == 0)
                outputs.append(try Data(contentsOf: directory.appendingPathComponent("\(run)/battery.dot")))
            }
            #expect(outputs[0] == outputs[1])
            return
        }
        let first = try BinaryRunner.run(arguments, in: directory)
        let second = try BinaryRunner.run(arguments, in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdoutBytes.isEmpty)
        #expect(first.stdoutBytes == second.stdoutBytes)
    }

    @Test func twoReportRunsWriteTheSameBytes() throws {
        let directory = try workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        for run in ["a", "b"] {
            let out = try BinaryRunner.run(["report", "battery.yaml", "-o", run, "--docx", "-q"], in: directory)
            #expect(out.status == 0, "\(out.stderr)")
        }
        let names = try listing(directory.appendingPathComponent("a"))
        #expect(names == ["battery-targets.png", "battery-targets.svg", "battery.docx", "battery.html", "battery.md", "battery.png", "battery.svg"])
        #expect(names == (try listing(directory.appendingPathComponent("b"))))
        for name in names {
            let a = try Data(contentsOf: directory.appendingPathComponent("a/\(name)"))
            let b = try Data(contentsOf: directory.appendingPathComponent("b/\(name)"))
            #expect(a == b, "\(name)")
        }
    }
}
