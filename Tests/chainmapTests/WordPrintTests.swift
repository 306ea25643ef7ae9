import ChainMapKit
import Foundation
import Testing

/// Issue 19: the Word report prints readably — the map on a landscape A3 section that its
/// image fits, the rest portrait A4, rows that do not split, and short columns (a gap's
/// kind) that do not wrap — checked in the DOCX and in the PDF LibreOffice makes of it.
@Suite("Word report in print")
struct WordPrintTests {
    @Test("the map has a landscape A3 section its image fits; rows do not split; kinds print unbroken")
    func print() throws {
        let soffice = try #require(ReportTools.find("soffice"), "LibreOffice (libreoffice-writer-nogui) is needed: .ci/deps installs it")
        let pdftotext = try #require(ReportTools.find("pdftotext"))
        let unzip = try #require(ReportTools.unzip)
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = try BinaryRunner.run(["report", "chains/nev-battery.yaml", "-o", directory.path, "--docx", "-q"], in: BinaryRunner.packageRoot)
        #expect(out.status == 0, "\(out.stderr)")
        let docx = directory.appendingPathComponent("nev-battery.docx")
        let xml = String(decoding: try ReportTools.run(unzip, ["-p", docx.path, "word/document.xml"]).stdout, as: UTF8.self)

        // Section breaks: portrait A4 before the map, landscape A3 for the map, portrait A4
        // again, landscape A4 for the 11 columns of the roster list, portrait to the end.
        let sections = xml.components(separatedBy: "<w:sectPr>").dropFirst().map { $0.components(separatedBy: "</w:sectPr>")[0] }
        #expect(sections.count == 5)
        let portrait = "<w:pgSz w:w=\"11906\" w:h=\"16838\" />"
        #expect(sections.first?.contains(portrait) == true)
        #expect(sections.dropFirst().first?.contains("w:w=\"23811\" w:h=\"16838\" w:orient=\"landscape\"") == true)
        #expect(sections.dropFirst(2).first?.contains(portrait) == true)
        #expect(sections.dropFirst(3).first?.contains("w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"") == true)
        let rosterStart = try #require(xml.range(of: "摸排名录落位"))
        let rosterSection = try #require(xml.range(of: "w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\""))
        #expect(rosterStart.upperBound < rosterSection.lowerBound)
        #expect(xml[rosterStart.upperBound..<rosterSection.lowerBound].contains("<w:tbl>"), "the roster table is not in the landscape section")
        // The map's image lies between the two breaks, at most 38 cm by 23 cm, wider than
        // a portrait page's 15.6 cm.
        let landscape = try #require(xml.range(of: "w:orient=\"landscape\""))
        let first = try #require(xml.range(of: "</w:sectPr>"))
        let mapPart = String(xml[first.upperBound..<landscape.lowerBound])
        // The battery chain's map would print below 7 pt on one A3 page: it is split by
        // stage into two images, each on its own landscape page, each enlarged to the page.
        let extents = mapPart.components(separatedBy: "<wp:extent cx=\"").dropFirst().map { part in
            part.prefix(40).split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        }
        #expect(extents.count == 2, "\(extents)")
        #expect(mapPart.contains("<w:br w:type=\"page\" />"))
        for numbers in extents {
            #expect(numbers.count == 2 && numbers[0] <= 38 * 360_000 + 10 && numbers[1] <= 23 * 360_000 + 10, "\(numbers)")
            #expect(numbers[0] > 16 * 360_000 || numbers[1] > 22 * 360_000, "\(numbers)")
        }
        // Every table row is kept whole on a page.
        #expect(!xml.contains("<w:tr><w:tc>"))
        #expect(xml.components(separatedBy: "<w:cantSplit />").count - 1 == xml.components(separatedBy: "<w:tr>").count - 1)

        // In print: the page sizes, and each gap's kind unbroken in the gaps table.
        let converted = try ReportTools.run(soffice, [
            "-env:UserInstallation=file://\(directory.path)/lo-profile", "--headless", "--convert-to", "pdf", "--outdir", directory.path, docx.path,
        ])
        #expect(converted.status == 0)
        let pdf = directory.appendingPathComponent("nev-battery.pdf").path
        let text = String(decoding: try ReportTools.run(pdftotext, ["-layout", pdf, "-"]).stdout, as: UTF8.self)
        let chain = try #require(ChainPipeline().run(["chains/nev-battery.yaml"].map { BinaryRunner.packageRoot.appendingPathComponent($0).path }, screening: false).chains.first)
        let gapsPart = try #require(text.components(separatedBy: "四、缺失与薄弱环节").dropFirst().first?.components(separatedBy: "五、招商目标企业推荐").first)
        for label in Set(chain.analysis.entries.map(\.label)) {
            let rows = chain.analysis.entries.filter { $0.label == label }.count
            #expect(gapsPart.components(separatedBy: label).count - 1 >= rows, "'\(label)' is broken in the printed gaps table")
        }
        // The roster list's status and confidence print unbroken on the landscape page.
        let markdown = try String(contentsOf: directory.appendingPathComponent("nev-battery.md"), encoding: .utf8)
        let rosterMarkdown = try #require(markdown.components(separatedBy: "摸排名录落位").dropFirst().first?.components(separatedBy: "\n## ").first)
        let rosterPrint = try #require(text.components(separatedBy: "摸排名录落位").dropFirst().first?.components(separatedBy: "四、缺失与薄弱环节").first)
        let status = "计入（待确认）"
        let listed = rosterMarkdown.components(separatedBy: status).count - 1
        #expect(listed > 100)
        #expect(rosterPrint.components(separatedBy: status).count - 1 == listed, "'\(status)' is broken in the printed roster list")
    }
}
