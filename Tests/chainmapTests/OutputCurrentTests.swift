import Foundation
import Testing

/// `output/` is what the README's main command makes from `chains/`; it is committed,
/// so readers of the repository see the maps and reports. It must never go stale.
@Suite("output/ is current")
struct OutputCurrentTests {
    static let output = BinaryRunner.packageRoot.appendingPathComponent("output")

    static func listing(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(.timeLimit(.minutes(10)))
    func outputMatchesWhatTheMainCommandMakesNow() throws {
        let scratch = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [".ci/build-output", BinaryRunner.executable.path, scratch.path]
        script.currentDirectoryURL = BinaryRunner.packageRoot
        try script.run()
        script.waitUntilExit()
        try #require(script.terminationStatus == 0, "bash .ci/build-output failed")

        let fresh = try Self.listing(scratch)
        let committed = try Self.listing(Self.output)
        #expect(committed == fresh, "output/ holds other files than the main command makes: run `bash .ci/main`")
        for name in fresh where committed.contains(name) {
            let a = FileManager.default.contents(atPath: scratch.appendingPathComponent(name).path)
            let b = FileManager.default.contents(atPath: Self.output.appendingPathComponent(name).path)
            #expect(a == b, "output/\(name) is stale: run `bash .ci/main` and commit output/")
        }
        // Every chain has its map and its report.
        let chains = try FileManager.default.contentsOfDirectory(atPath: BinaryRunner.packageRoot.appendingPathComponent("chains").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        for id in chains {
            for ext in ["svg", "png", "html", "md", "docx"] {
                #expect(committed.contains("\(id).\(ext)"), "output/\(id).\(ext) is missing")
            }
        }
        #expect(committed.contains("index.html"))
    }
}
