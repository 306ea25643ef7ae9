import ChainMapKit
import Foundation
import Testing

/// Issue 19: `render --page A4|A3 [--landscape]` writes a PDF of exactly that page.
@Suite("render --page (the built binary)")
struct PrintPageCommandTests {
    /// The page boxes of a PDF: width and height in points, page by page.
    static func pageSizes(_ pdf: Data) throws -> [(width: Double, height: Double)] {
        let text = String(decoding: pdf, as: UTF8.self)
        return try text.components(separatedBy: "/MediaBox [").dropFirst().map { box in
            let numbers = try #require(box.components(separatedBy: "]").first).split(separator: " ").compactMap { Double($0) }
            try #require(numbers.count == 4)
            return (numbers[2] - numbers[0], numbers[3] - numbers[1])
        }
    }

    @Test("A4, A4 landscape, A3 and A3 landscape: the PDF's page has the paper's size, the map centred on it", arguments: [
        (["A4"], 595.28, 841.89), (["A4", "--landscape"], 841.89, 595.28),
        (["A3"], 841.89, 1190.55), (["A3", "--landscape"], 1190.55, 841.89),
    ])
    func pageSizes(_ options: [String], _ width: Double, _ height: Double) throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(
            ["render", "chains/auto-parts.yaml", "-o", directory.path, "-q", "--page"] + options, in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        let pdf = try Data(contentsOf: directory.appendingPathComponent("auto-parts.pdf"))
        // Every page has the paper's size (a map that would print too small is split).
        let sizes = try Self.pageSizes(pdf)
        #expect(!sizes.isEmpty)
        for size in sizes { #expect(abs(size.width - width) < 0.02 && abs(size.height - height) < 0.02, "\(size)") }
        // The cross-reference table still points at every object: pdfinfo reads it.
        let pdfinfo = try #require(ReportTools.find("pdfinfo"), "poppler-utils (.ci/deps)")
        let info = try ReportTools.run(pdfinfo, [directory.appendingPathComponent("auto-parts.pdf").path])
        #expect(info.status == 0)
        #expect(String(decoding: info.stdout, as: UTF8.self).contains("Pages:           \(sizes.count)\n"))
        // On A3 landscape the auto-parts chain reads on one page.
        if options == ["A3", "--landscape"] { #expect(sizes.count == 1) }
    }

    @Test("--page takes A4 or A3, makes a PDF, and --landscape needs it")
    func options() throws {
        let root = BinaryRunner.packageRoot
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--page", "B5"], in: root).stderr.contains("--page must be A4 or A3, got 'B5'"))
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--page", "A4", "--format", "png"], in: root).stderr.contains("--page makes a PDF"))
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--landscape"], in: root).stderr.contains("--landscape goes with --page A4 or A3"))
    }

    @Test("a map too large for one readable page is split by stage: each page the paper's size, titled with its number and 续")
    func split() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(
            ["render", "chains/nev-battery.yaml", "-o", directory.path, "-q", "--page", "A3", "--landscape"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        // Every page prints its names at 7 pt or more: no warning.
        #expect(!out.stderr.contains("below the 7 pt"), "\(out.stderr)")
        let pdf = directory.appendingPathComponent("nev-battery.pdf").path
        let pdfinfo = try #require(ReportTools.find("pdfinfo"))
        let info = String(decoding: try ReportTools.run(pdfinfo, ["-f", "1", "-l", "9", pdf]).stdout, as: UTF8.self)
        #expect(info.contains("Pages:           2"), "\(info)")
        let sizes = info.split(separator: "\n").filter { $0.hasPrefix("Page") && $0.contains("size:") }
        #expect(sizes.count == 2 && sizes.allSatisfy { $0.contains("1190.55 x 841.89") }, "\(sizes)")
        let pdftotext = try #require(ReportTools.find("pdftotext"))
        let text = String(decoding: try ReportTools.run(pdftotext, [pdf, "-"]).stdout, as: UTF8.self)
        #expect(text.contains("第 1/2 页：上游、中游"))
        #expect(text.contains("（续）第 2/2 页：下游、回收"))
        // The same input gives the same bytes.
        let again = try BinaryRunner.run(
            ["render", "chains/nev-battery.yaml", "-o", directory.appendingPathComponent("b").path, "-q", "--page", "A3", "--landscape"],
            in: BinaryRunner.packageRoot)
        #expect(again.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdf)) == Data(contentsOf: directory.appendingPathComponent("b/nev-battery.pdf")))
    }
}

