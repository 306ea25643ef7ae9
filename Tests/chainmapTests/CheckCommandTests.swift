import Foundation
import Testing

@Suite("chainmap check (the built binary)")
struct CheckCommandTests {
    let fixtures = BinaryRunner.packageRoot.appendingPathComponent("Tests/ChainMapKitTests/Fixtures")

    @Test func aValidFileExitsZero() throws {
        let out = try BinaryRunner.run(["check", "valid/minimal.yaml"], in: fixtures)
        #expect(out.status == 0)
        #expect(out.stderr == "")
        #expect(out.stdout.hasPrefix("valid/minimal.yaml: ok"))
    }

    @Test func aBrokenFileExitsOneWithLocatedErrorsOnStderr() throws {
        let out = try BinaryRunner.run(["check", "broken/weight-range.yaml"], in: fixtures)
        #expect(out.status == 1)
        #expect(out.stdout == "")
        #expect(out.stderr == """
            broken/weight-range.yaml:6:13: error: 'weight' must be a whole number from 1 to 5, got '7'
            broken/weight-range.yaml:10:13: error: 'weight' must be a whole number from 1 to 5, got '0'

            """)
    }

    @Test("check reads the targets and ledger files a chain names, as gaps and report do")
    func theFilesAChainNamesAreChecked() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("chain: 电池\nid: b\ntargets: t.yaml\nprojects: l.csv\nlinks:\n  - {id: cell, name: 电芯, stage: 中游}\n".utf8)
            .write(to: directory.appendingPathComponent("b.yaml"))
        try Data("targets:\n  签约项目: 十四\n".utf8).write(to: directory.appendingPathComponent("t.yaml"))
        try Data("项目名称,产业链,环节,状态\n甲项目,b,cel,在谈\n".utf8).write(to: directory.appendingPathComponent("l.csv"))
        let out = try BinaryRunner.run(["check", "b.yaml"], in: directory)
        #expect(out.status == 1)
        #expect(out.stdout == "")
        #expect(out.stderr.split(separator: "\n") == [
            "t.yaml:2:9: error: '签约项目' must be a whole number of projects, got '十四'",
            "l.csv:2:7: error: 环节 'cel' is not a link of 电池 (b)",
        ])
    }

    @Test func everyFileIsCheckedEvenAfterAFailure() throws {
        let out = try BinaryRunner.run(
            ["check", "broken/empty.yaml", "valid/minimal.yaml", "broken/dangling-supplies.yaml"], in: fixtures)
        #expect(out.status == 1)
        #expect(out.stderr.split(separator: "\n") == [
            "broken/empty.yaml:1:1: error: file is empty; a chain file needs at least 'chain:' and 'links:'",
            "broken/dangling-supplies.yaml:6:25: error: 'supplies' names 'anode', which is not a link id of this file",
        ])
    }

    @Test func everyBrokenFixtureFailsWithALocatedError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("broken").path).sorted()
        #expect(names.count >= 12)
        for name in names {
            let out = try BinaryRunner.run(["check", "broken/\(name)"], in: fixtures)
            #expect(out.status == 1, "\(name)")
            let lines = out.stderr.split(separator: "\n")
            #expect(!lines.isEmpty, "\(name)")
            // Each problem is an error line; a second place it refers to follows as a note.
            #expect(lines.first?.contains(": error: ") == true, "\(name)")
            for line in lines {
                #expect(line.hasPrefix("broken/\(name):"), "\(line)")
                #expect(line.contains(": error: ") || line.contains(": note: "), "\(line)")
            }
        }
    }

    @Test func aMissingFileIsAnError() throws {
        let out = try BinaryRunner.run(["check", "no/such.yaml"], in: fixtures)
        #expect(out.status == 1)
        #expect(out.stderr == "chainmap: error: no such file: no/such.yaml\n")
    }

    @Test func theShippedChainsLoadWithoutADiagnostic() throws {
        let out = try BinaryRunner.run(["check", "chains/"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0)
        #expect(out.stderr == "")
        #expect(out.stdout.split(separator: "\n").count >= 2)
    }

    @Test func aDirectoryChecksItsYAMLFiles() throws {
        let out = try BinaryRunner.run(["check", "valid"], in: fixtures)
        #expect(out.status == 0)
        #expect(out.stdout.split(separator: "\n").count == 2)
    }
}
