/// A printed page for a map (`render --page A4|A3 [--landscape]`): the map is laid out to
/// fit it within the margins, and the PDF has exactly the paper's size.
public struct PrintPage: Hashable, Sendable {
    public enum Paper: String, CaseIterable, Sendable {
        case a4 = "A4", a3 = "A3"

        /// Width and height in points, portrait (ISO 216: 210 × 297 mm, 297 × 420 mm).
        var portrait: (width: Double, height: Double) {
            switch self {
            case .a4: (595.28, 841.89)
            case .a3: (841.89, 1190.55)
            }
        }
    }

    public var paper: Paper
    public var landscape: Bool

    public init(_ paper: Paper, landscape: Bool = false) {
        self.paper = paper
        self.landscape = landscape
    }

    /// The page's width and height in points.
    public var size: (width: Double, height: Double) {
        let p = paper.portrait
        return landscape ? (p.height, p.width) : p
    }

    /// The margin on each side: 15 mm.
    public static let margin = 42.52

    /// The smallest printed size of the map's link names (points) that reads on paper.
    public static let minimumText = 7.0
    /// The size the map writes its link names at, unscaled.
    static let mapText = 10.5
    /// The most a small map is enlarged to fill the page.
    static let maximumScale = 1.6
    /// The room for the map on the Word report's landscape A3 page, in cm: 42 − 4 wide,
    /// 29.7 − 4 less the heading high.
    public static let wordMapArea = (width: 38.0, height: 23.0)
    static let pointsPerCM = 72 / 2.54

    /// Whether the map's names read when the drawing is scaled by `scale`.
    static func reads(at scale: Double) -> Bool { mapText * scale >= minimumText }

    /// The scale that fits a drawing of `width` × `height` points within the margins.
    public func scale(width: Double, height: Double) -> Double {
        let s = size
        return min((s.width - 2 * Self.margin) / width, (s.height - 2 * Self.margin) / height, Self.maximumScale)
    }

    /// The words for the page: "A3 横向".
    public var words: String { paper.rawValue + (landscape ? " 横向" : " 纵向") }
}

extension ReproducibleOutput {
    /// The `/MediaBox` of a one-page PDF as cairo writes it: x0, y0, x1, y1.
    static func mediaBox(_ pdf: [UInt8]) -> (range: Range<Int>, box: [Double])? {
        let key = Array("/MediaBox [".utf8)
        guard let start = firstIndex(of: key, in: pdf, from: 0),
              let close = pdf[(start + key.count)...].prefix(80).firstIndex(of: UInt8(ascii: "]"))
        else { return nil }
        let numbers = String(decoding: pdf[(start + key.count)..<close], as: UTF8.self).split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 4 else { return nil }
        return (start..<(close + 1), numbers)
    }

    /// A one-page PDF set on a page of `width` × `height` points, the drawing centred:
    /// the page's `/MediaBox` is widened around the drawing (its content is not touched),
    /// and the cross-reference table's offsets after the edit are moved by the bytes it
    /// added. Returned unchanged when the PDF is not as cairo writes it.
    static func onPage(_ pdf: [UInt8], width: Double, height: Double) -> [UInt8] {
        guard let (range, box) = mediaBox(pdf) else { return pdf }
        let (w, h) = (box[2] - box[0], box[3] - box[1])
        let x0 = box[0] - (width - w) / 2, y0 = box[1] - (height - h) / 2
        let text = "/MediaBox [ \(NumberText.trimmed(x0, 3)) \(NumberText.trimmed(y0, 3)) \(NumberText.trimmed(x0 + width, 3)) \(NumberText.trimmed(y0 + height, 3)) ]"
        var result = Array(pdf[..<range.lowerBound]) + Array(text.utf8) + Array(pdf[range.upperBound...])
        let delta = text.utf8.count - range.count
        guard delta != 0 else { return result }
        // The cross-reference table: "xref\n0 N\n" then N entries of 20 bytes.
        guard let startKey = lastIndex(of: Array("startxref".utf8), in: result) else { return result }
        var cursor = startKey + 9
        while cursor < result.count, result[cursor] == 0x0A || result[cursor] == 0x0D || result[cursor] == 0x20 { cursor += 1 }
        var end = cursor
        while end < result.count, (0x30...0x39).contains(result[end]) { end += 1 }
        guard let xref = Int(String(decoding: result[cursor..<end], as: UTF8.self)) else { return result }
        let shifted = xref > range.lowerBound ? xref + delta : xref
        result.replaceSubrange(cursor..<end, with: Array(String(shifted).utf8))
        var line = shifted
        // Skip "xref" and the subsection line.
        for _ in 0..<2 {
            guard let newline = result[line...].firstIndex(of: 0x0A) else { return result }
            line = newline + 1
        }
        while line + 20 <= result.count, result[line + 17] == UInt8(ascii: "n") || result[line + 17] == UInt8(ascii: "f") {
            if result[line + 17] == UInt8(ascii: "n"), let offset = Int(String(decoding: result[line..<(line + 10)], as: UTF8.self)),
               offset > range.lowerBound {
                let digits = String(offset + delta)
                let padded = String(repeating: "0", count: max(0, 10 - digits.count)) + digits
                result.replaceSubrange(line..<(line + 10), with: Array(padded.utf8))
            }
            line += 20
        }
        return result
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}

extension ReproducibleOutput {
    /// One PDF of the pages of several PDFs as cairo writes them (one page each), in
    /// order: every object of each is copied under a new number, its references renumbered
    /// outside its stream data, and the pages gathered under one page tree. nil when a PDF
    /// is not as cairo writes it (its cross-reference table, a stream's length).
    static func merged(_ pdfs: [[UInt8]]) -> [UInt8]? {
        var objects: [[UInt8]] = []   // the new file's objects, numbered from 1, without headers
        var pages: [Int] = []
        var renumberings: [[Int: Int]] = []
        var parsed: [[Int: (dictionary: String, stream: ArraySlice<UInt8>?)]] = []
        // First pass: read each file's objects, and number the ones kept.
        var next = 1
        for pdf in pdfs {
            guard let table = crossReference(pdf) else { return nil }
            var objectsOfFile: [Int: (dictionary: String, stream: ArraySlice<UInt8>?)] = [:]
            for (number, offset) in table {
                guard let object = object(in: pdf, at: offset, table: table) else { return nil }
                objectsOfFile[number] = object
            }
            var map: [Int: Int] = [:]
            for number in objectsOfFile.keys.sorted() {
                let dictionary = objectsOfFile[number]!.dictionary
                if dictionary.contains("/Type /Catalog") || dictionary.contains("/Type /Pages") || dictionary.contains("/Producer") { continue }
                map[number] = next
                next += 1
            }
            renumberings.append(map)
            parsed.append(objectsOfFile)
        }
        let pageTree = next, catalog = next + 1
        for (file, objectsOfFile) in parsed.enumerated() {
            let map = renumberings[file]
            for number in objectsOfFile.keys.sorted() {
                guard let new = map[number] else { continue }
                let (dictionary, stream) = objectsOfFile[number]!
                var text = renumbered(dictionary) { old in map[old] ?? pageTree }
                if dictionary.contains("/Type /Page ") || dictionary.contains("/Type /Page\n") {
                    pages.append(new)
                    text = text.replacingOccurrences(of: #"/Parent \d+ 0 R"#, with: "/Parent \(pageTree) 0 R", options: .regularExpression)
                }
                var body = Array(text.utf8)
                if let stream { body += Array("stream\n".utf8) + Array(stream) + Array("\nendstream\n".utf8) }
                while objects.count < new { objects.append([]) }
                objects[new - 1] = body
            }
        }
        objects.append(Array("<< /Type /Pages /Kids [ \(pages.map { "\($0) 0 R" }.joined(separator: " ")) ] /Count \(pages.count) >>\n".utf8))
        objects.append(Array("<< /Type /Catalog /Pages \(pageTree) 0 R >>\n".utf8))
        var out = Array("%PDF-1.5\n%\u{B5}\u{ED}\u{AE}\u{FB}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + body + Array("endobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    /// Each object's number and offset, from a PDF's cross-reference table.
    static func crossReference(_ pdf: [UInt8]) -> [Int: Int]? {
        guard let key = lastIndex(of: Array("startxref".utf8), in: pdf) else { return nil }
        let tail = String(decoding: pdf[(key + 9)...].prefix(32), as: UTF8.self)
        guard let xref = tail.split(whereSeparator: { $0.isWhitespace }).first.flatMap({ Int($0) }), xref < pdf.count else { return nil }
        let lines = String(decoding: pdf[xref...].prefix(64 * 1024), as: UTF8.self).split(separator: "\n")
        guard lines.count > 2, lines[0].hasPrefix("xref") else { return nil }
        let header = lines[1].split(separator: " ")
        guard header.count == 2, let first = Int(header[0]), let count = Int(header[1]), lines.count >= 2 + count else { return nil }
        var table: [Int: Int] = [:]
        for index in 0..<count {
            let fields = lines[2 + index].split(separator: " ")
            guard fields.count >= 3, let offset = Int(fields[0]) else { return nil }
            if fields[2].hasPrefix("n") { table[first + index] = offset }
        }
        return table
    }

    /// An object at an offset: its dictionary text (or value), and its stream's data.
    static func object(in pdf: [UInt8], at offset: Int, table: [Int: Int]) -> (dictionary: String, stream: ArraySlice<UInt8>?)? {
        guard let headerEnd = pdf[offset...].prefix(32).firstIndex(of: 0x0A) else { return nil }
        let bodyStart = headerEnd + 1
        let streamKey = Array("stream\n".utf8), endKey = Array("endobj".utf8)
        guard let end = firstIndex(of: endKey, in: pdf, from: bodyStart) else { return nil }
        if let streamAt = firstIndex(of: streamKey, in: pdf, from: bodyStart), streamAt < end {
            let dictionary = String(decoding: pdf[bodyStart..<streamAt], as: UTF8.self)
            // The length: direct, or an object that holds it.
            guard let match = dictionary.range(of: #"/Length (\d+)( 0 R)?"#, options: .regularExpression) else { return nil }
            let parts = dictionary[match].split(separator: " ")
            var length = Int(parts[1]) ?? -1
            if parts.count > 2, let lengthOffset = table[length],
               let value = object(in: pdf, at: lengthOffset, table: [:])?.dictionary.trimmingCharacters(in: .whitespacesAndNewlines) {
                length = Int(value) ?? -1
            }
            let dataStart = streamAt + streamKey.count
            guard length >= 0, dataStart + length <= pdf.count else { return nil }
            return (dictionary, pdf[dataStart..<(dataStart + length)])
        }
        return (String(decoding: pdf[bodyStart..<end], as: UTF8.self), nil)
    }

    /// A dictionary's references (`12 0 R`) renumbered.
    static func renumbered(_ text: String, _ map: (Int) -> Int) -> String {
        var result = ""
        var rest = Substring(text)
        while let match = rest.range(of: #"\b(\d+) 0 R\b"#, options: .regularExpression) {
            result += rest[..<match.lowerBound]
            let number = Int(rest[match].split(separator: " ")[0])!
            result += "\(map(number)) 0 R"
            rest = rest[match.upperBound...]
        }
        return result + rest
    }
}
