import Foundation

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
        guard var entries = ZipArchive.entries(reference) else {
            throw DiagnosticError(.error("pandoc's reference.docx could not be read as a zip archive"))
        }
        for index in entries.indices {
            switch entries[index].name {
            case "word/styles.xml": entries[index] = .stored(name: "word/styles.xml", bytes: Array(chineseStyles(styles).utf8))
            case "word/document.xml": entries[index] = .stored(name: "word/document.xml", bytes: Array(a4Page(document).utf8))
            default: break
            }
        }
        return ZipArchive.write(entries)
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
            throw DiagnosticError(.error("cannot run pandoc (\(pandoc)): \(error.localizedDescription)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, !data.isEmpty else {
            throw DiagnosticError(.error("pandoc (\(pandoc)) has no default data file \(name)"))
        }
        return Array(data)
    }
}

/// Just enough of the zip format for a DOCX: reading the entries of an archive (kept
/// compressed as they are) and writing an archive of such entries and stored ones, with
/// fixed dates so that the bytes are reproducible.
enum ZipArchive {
    struct Entry {
        var name: String
        /// 0 stored, 8 deflated.
        var method: UInt16
        var crc: UInt32
        var uncompressedSize: UInt32
        /// The entry's data as it is in the archive (compressed for method 8).
        var data: [UInt8]

        static func stored(name: String, bytes: [UInt8]) -> Entry {
            Entry(name: name, method: 0, crc: crc32(bytes), uncompressedSize: UInt32(bytes.count), data: bytes)
        }
    }

    /// The entries of an archive, in central-directory order; nil when it is not one.
    static func entries(_ archive: [UInt8]) -> [Entry]? {
        func u16(_ at: Int) -> Int? { at + 2 <= archive.count ? Int(archive[at]) | Int(archive[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at + 4 <= archive.count else { return nil }
            return (0..<4).reduce(0) { $0 | Int(archive[at + $1]) << (8 * $1) }
        }
        // The end-of-central-directory record, searched from the end (a comment may follow).
        guard archive.count >= 22 else { return nil }
        var end = archive.count - 22
        while end >= 0 && u32(end) != 0x0605_4B50 { end -= 1 }
        guard end >= 0, let count = u16(end + 10), var at = u32(end + 16) else { return nil }
        var result: [Entry] = []
        for _ in 0..<count {
            guard u32(at) == 0x0201_4B50, let method = u16(at + 10), let crc = u32(at + 16),
                  let compressed = u32(at + 20), let size = u32(at + 24), let nameLength = u16(at + 28),
                  let extraLength = u16(at + 30), let commentLength = u16(at + 32), let local = u32(at + 42),
                  at + 46 + nameLength <= archive.count,
                  u32(local) == 0x0403_4B50, let localName = u16(local + 26), let localExtra = u16(local + 28)
            else { return nil }
            let name = String(decoding: archive[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            let start = local + 30 + localName + localExtra
            guard start + compressed <= archive.count, method == 0 || method == 8 else { return nil }
            result.append(Entry(
                name: name, method: UInt16(method), crc: UInt32(crc), uncompressedSize: UInt32(size),
                data: Array(archive[start..<(start + compressed)])))
            at += 46 + nameLength + extraLength + commentLength
        }
        return result
    }

    /// An archive of the entries, each dated 1980-01-01 00:00.
    static func write(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func le16(_ value: Int, into bytes: inout [UInt8]) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func le32(_ value: Int, into bytes: inout [UInt8]) { for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(value >> shift & 0xFF)) } }
        let date = 1 << 5 | 1  // 1980-01-01
        for entry in entries {
            let name = Array(entry.name.utf8)
            let offset = out.count
            le32(0x0403_4B50, into: &out)
            le16(20, into: &out)
            le16(0x0800, into: &out)  // names are UTF-8
            le16(Int(entry.method), into: &out)
            le16(0, into: &out)
            le16(date, into: &out)
            le32(Int(entry.crc), into: &out)
            le32(entry.data.count, into: &out)
            le32(Int(entry.uncompressedSize), into: &out)
            le16(name.count, into: &out)
            le16(0, into: &out)
            out += name
            out += entry.data

            le32(0x0201_4B50, into: &central)
            le16(20, into: &central)
            le16(20, into: &central)
            le16(0x0800, into: &central)
            le16(Int(entry.method), into: &central)
            le16(0, into: &central)
            le16(date, into: &central)
            le32(Int(entry.crc), into: &central)
            le32(entry.data.count, into: &central)
            le32(Int(entry.uncompressedSize), into: &central)
            le16(name.count, into: &central)
            le16(0, into: &central)  // extra
            le16(0, into: &central)  // comment
            le16(0, into: &central)  // disk
            le16(0, into: &central)  // internal attributes
            le32(0, into: &central)  // external attributes
            le32(offset, into: &central)
            central += name
        }
        let centralOffset = out.count
        out += central
        le32(0x0605_4B50, into: &out)
        le16(0, into: &out)
        le16(0, into: &out)
        le16(entries.count, into: &out)
        le16(entries.count, into: &out)
        le32(central.count, into: &out)
        le32(centralOffset, into: &out)
        le16(0, into: &out)
        return out
    }

    /// CRC-32 (IEEE 802.3), as zip uses it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
