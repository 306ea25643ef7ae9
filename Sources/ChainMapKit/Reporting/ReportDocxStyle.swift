import Foundation
import ZIPFoundation

/// The Word styles of the report's DOCX: pandoc's own reference document, adjusted for a
/// Chinese planning document — A4 pages, 宋体 text and 黑体 headings, Chinese line
/// breaking, dark headings instead of blue, and tables with a full grid and a shaded
/// header row (pandoc's default tables have no borders, which reads as unfinished in a
/// plan).
///
/// Only the styles and the page are changed; every other part of pandoc's reference
/// document is copied byte for byte, so that pandoc finds everything it expects.
enum ReportDocxStyle {
    /// The reference document for `--reference-doc`, made from the running pandoc's own.
    /// Throws when pandoc cannot print its default files or they are not what is expected.
    static func referenceDocument(pandoc: String) throws(DiagnosticError) -> [UInt8] {
        let reference = try printDataFile("reference.docx", pandoc: pandoc)
        let styles = String(decoding: try printDataFile("docx/word/styles.xml", pandoc: pandoc), as: UTF8.self)
        let document = String(decoding: try printDataFile("docx/word/document.xml", pandoc: pandoc), as: UTF8.self)
        do {
            return try rewrite(reference, replacing: [
                "word/styles.xml": Data(chineseStyles(styles).utf8),
                "word/document.xml": Data(a4Page(document).utf8),
            ])
        } catch {
            throw DiagnosticError(.error(.pandoc, "pandoc's reference.docx could not be rewritten as a zip archive: \(error)"))
        }
    }

    /// pandoc's document made fit for print: no table row splits across a page
    /// (`w:cantSplit`; pandoc already repeats the header row). The archive is returned
    /// as it is when it has no document part.
    ///
    /// pandoc sizes every image to the reference document's portrait text width; the
    /// images whose descriptions are `wide` (the map, on its landscape pages) are enlarged to
    /// `area` (cm), keeping its shape.
    static func printable(_ docx: [UInt8], wide: [String] = [], area: (width: Double, height: Double) = WordPage.landscapeArea) throws -> [UInt8] {
        let source = try Archive(data: Data(docx), accessMode: .read)
        guard let entry = source["word/document.xml"] else { return docx }
        var contents = Data()
        _ = try source.extract(entry, skipCRC32: false) { contents.append($0) }
        var xml = String(decoding: contents, as: UTF8.self)
        xml = xml.replacingOccurrences(of: "<w:tr><w:trPr>", with: "<w:tr><w:trPr><w:cantSplit />")
        xml = xml.replacingOccurrences(of: "<w:tr><w:tc>", with: "<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc>")
        for image in wide { xml = enlarging(xml, image: image, to: area) }
        return try rewrite(docx, replacing: ["word/document.xml": Data(xml.utf8)])
    }

    /// The document with the image described as `description` enlarged to fit `area`
    /// (cm): its inline extent and its picture's extent, both in EMU (360,000 per cm).
    static func enlarging(_ xml: String, image description: String, to area: (width: Double, height: Double)) -> String {
        let escaped = description.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        guard let docPr = xml.range(of: "descr=\"\(escaped)\""),
              let extent = xml.range(of: "<wp:extent cx=\"", options: .backwards, range: xml.startIndex..<docPr.lowerBound),
              let extentEnd = xml.range(of: "/>", range: extent.upperBound..<docPr.lowerBound)
        else { return xml }
        let numbers = xml[extent.upperBound..<extentEnd.lowerBound].split(whereSeparator: { !$0.isNumber }).compactMap { Double($0) }
        guard numbers.count >= 2, numbers[0] > 0, numbers[1] > 0 else { return xml }
        let (cx, cy) = (numbers[0], numbers[1])
        let scale = min(area.width * 360_000 / cx, area.height * 360_000 / cy)
        let (wide, high) = (Int((cx * scale).rounded()), Int((cy * scale).rounded()))
        let old = "cx=\"\(Int(cx))\" cy=\"\(Int(cy))\""
        let new = "cx=\"\(wide)\" cy=\"\(high)\""
        // The inline extent before the description and the picture's extent after it.
        var result = xml
        let drawingEnd = result.range(of: "</w:drawing>", range: docPr.upperBound..<result.endIndex)?.upperBound ?? result.endIndex
        let region = extent.lowerBound..<drawingEnd
        result.replaceSubrange(region, with: result[region].replacingOccurrences(of: old, with: new))
        return result
    }

    /// A copy of a zip archive, entry by entry in its order, with some entries' contents
    /// replaced. Every entry is dated 1980-01-01 00:00 in the local time zone (zip
    /// stores local dates), so that the bytes are the same on every run and machine.
    static func rewrite(_ archive: [UInt8], replacing replacements: [String: Data]) throws -> [UInt8] {
        let source = try Archive(data: Data(archive), accessMode: .read)
        let target = try Archive(data: Data(), accessMode: .create)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let date = calendar.date(from: DateComponents(year: 1980, month: 1, day: 1))!
        for entry in source where entry.type == .file {
            var contents = Data()
            if let replacement = replacements[entry.path] {
                contents = replacement
            } else {
                _ = try source.extract(entry, skipCRC32: false) { contents.append($0) }
            }
            try target.addEntry(
                with: entry.path, type: .file, uncompressedSize: Int64(contents.count), modificationDate: date,
                compressionMethod: .deflate
            ) { position, size in
                contents.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        guard let data = target.data else { throw Archive.ArchiveError.unwritableArchive }
        return Array(data)
    }

    /// pandoc's styles with the changes above. A change whose anchor is not found (a
    /// different pandoc) is left out; the rest still apply.
    static func chineseStyles(_ xml: String) -> String {
        var xml = xml
        xml = xml.replacingOccurrences(of: "w:eastAsiaTheme=\"minorHAnsi\"", with: "w:eastAsia=\"宋体\"")
        xml = xml.replacingOccurrences(of: "w:eastAsiaTheme=\"majorEastAsia\"", with: "w:eastAsia=\"黑体\"")
        xml = xml.replacingOccurrences(of: "w:eastAsia=\"en-US\"", with: "w:eastAsia=\"zh-CN\"")
        // Headings and links in the page's dark blue, not the theme's accent.
        xml = xml.replacingOccurrences(
            of: #"<w:color w:val="[0-9A-Fa-f]{6}" w:themeColor="accent1"( w:themeShade="[0-9A-Fa-f]{2}")? />"#,
            with: "<w:color w:val=\"1F3864\" />", options: .regularExpression)
        // Tables: a full grid, and a shaded, bold header row. OOXML fixes the order of
        // the elements: borders go before the cell margins, shading after cell borders.
        if let table = xml.range(of: "w:styleId=\"Table\">"),
           let properties = xml.range(of: "<w:tblPr>", range: table.upperBound..<xml.endIndex),
           let propertiesEnd = xml.range(of: "</w:tblPr>", range: properties.upperBound..<xml.endIndex) {
            let anchor = xml.range(of: "<w:tblCellMar>", range: properties.upperBound..<propertiesEnd.lowerBound)?.lowerBound
                ?? propertiesEnd.lowerBound
            xml.insert(contentsOf: """
                <w:tblBorders>
                        <w:top w:val="single" w:sz="6" w:space="0" w:color="7B8794" />
                        <w:left w:val="single" w:sz="4" w:space="0" w:color="A6B3C2" />
                        <w:bottom w:val="single" w:sz="6" w:space="0" w:color="7B8794" />
                        <w:right w:val="single" w:sz="4" w:space="0" w:color="A6B3C2" />
                        <w:insideH w:val="single" w:sz="4" w:space="0" w:color="A6B3C2" />
                        <w:insideV w:val="single" w:sz="4" w:space="0" w:color="A6B3C2" />
                      </w:tblBorders>
                      
                """, at: anchor)
            if let firstRow = xml.range(of: "<w:tblStylePr w:type=\"firstRow\">", range: table.upperBound..<xml.endIndex),
               let rowEnd = xml.range(of: "</w:tblStylePr>", range: firstRow.upperBound..<xml.endIndex),
               let cellEnd = xml.range(of: "</w:tcPr>", range: firstRow.upperBound..<rowEnd.lowerBound) {
                let shading = "  <w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF5\" />\n      "
                let vAlign = xml.range(of: "<w:vAlign", range: firstRow.upperBound..<cellEnd.lowerBound)
                let borders = xml.range(of: "</w:tcBorders>", range: firstRow.upperBound..<cellEnd.lowerBound)
                // After the cell borders; else before the vertical alignment; else last.
                if let borders {
                    xml.insert(contentsOf: "\n        <w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF5\" />", at: borders.upperBound)
                } else if let vAlign {
                    xml.insert(contentsOf: "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E8EEF5\" />\n        ", at: vAlign.lowerBound)
                } else {
                    xml.insert(contentsOf: shading, at: cellEnd.lowerBound)
                }
                // Run properties come first in a table style's conditional formatting.
                xml.insert(contentsOf: "\n      <w:rPr>\n        <w:b />\n      </w:rPr>", at: firstRow.upperBound)
            }
        }
        // Table cells (pandoc's Compact paragraphs) in 五号 (10.5 pt), tighter than the text.
        if let compact = xml.range(of: "w:styleId=\"Compact\">"),
           let end = xml.range(of: "</w:style>", range: compact.upperBound..<xml.endIndex) {
            xml.insert(contentsOf: "  <w:rPr>\n      <w:sz w:val=\"21\" />\n      <w:szCs w:val=\"21\" />\n    </w:rPr>\n  ", at: end.lowerBound)
        }
        return xml
    }

    /// The reference body's section with an A4 page and the margins of Chinese documents
    /// (top 3.7 cm, bottom 3.5 cm, left 2.8 cm, right 2.6 cm, as GB/T 9704 sets them).
    static func a4Page(_ xml: String) -> String {
        let section = """
            <w:sectPr><w:pgSz w:w="11906" w:h="16838" /><w:pgMar w:top="2098" w:right="1474" \
            w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0" /></w:sectPr>
            """
        if xml.contains("<w:sectPr />") {
            return xml.replacingOccurrences(of: "<w:sectPr />", with: section)
        }
        return xml.replacingOccurrences(of: "</w:body>", with: section + "</w:body>")
    }

    static func printDataFile(_ name: String, pandoc: String) throws(DiagnosticError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pandoc)
        process.arguments = ["--print-default-data-file", name]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DiagnosticError(.error(.pandoc, "cannot run pandoc (\(pandoc)): \(error.localizedDescription)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, !data.isEmpty else {
            throw DiagnosticError(.error(.pandoc, "pandoc (\(pandoc)) has no default data file \(name)"))
        }
        return Array(data)
    }
}
