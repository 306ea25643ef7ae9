import ChainMapKit
import Foundation
import Testing

/// Issue 19: `render --page A4|A3 [--landscape]` writes a PDF of exactly that page.
@Suite("render --page (the built binary)")
struct PrintPageCommandTests {
    /// The page box of a one-page PDF: width and height in points.
    static func pageSize(_ pdf: Data) throws -> (width: Double, height: Double) {
        let text = String(decoding: pdf, as: UTF8.self)
        let boxes = text.components(separatedBy: "/MediaBox [").dropFirst()
        #expect(boxes.count == 1, "one page")
        let numbers = try #require(boxes.first?.components(separatedBy: "]").first).split(separator: " ").compactMap { Double($0) }
        try #require(numbers.count == 4)
        return (numbers[2] - numbers[0], numbers[3] - numbers[1])
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
        let size = try Self.pageSize(pdf)
        #expect(abs(size.width - width) < 0.02 && abs(size.height - height) < 0.02, "\(size)")
        // The cross-reference table still points at every object: pdfinfo reads it.
        let pdfinfo = try #require(ReportTools.find("pdfinfo"), "poppler-utils (.ci/deps)")
        let info = try ReportTools.run(pdfinfo, [directory.appendingPathComponent("auto-parts.pdf").path])
        #expect(info.status == 0)
        #expect(String(decoding: info.stdout, as: UTF8.self).contains("Pages:           1"))
        // Readable or not, the printed size is said when it is below 7 pt.
        if options == ["A4"] { #expect(out.stderr.contains("below the 7 pt that reads on paper")) }
    }

    @Test("--page takes A4 or A3, makes a PDF, and --landscape needs it")
    func options() throws {
        let root = BinaryRunner.packageRoot
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--page", "B5"], in: root).stderr.contains("--page must be A4 or A3, got 'B5'"))
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--page", "A4", "--format", "png"], in: root).stderr.contains("--page makes a PDF"))
        #expect(try BinaryRunner.run(["render", "chains/auto-parts.yaml", "--landscape"], in: root).stderr.contains("--landscape goes with --page A4 or A3"))
    }
}
