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
        let text = "/MediaBox [ \(NumberText.trimmed(x0, 2)) \(NumberText.trimmed(y0, 2)) \(NumberText.trimmed(x0 + width, 2)) \(NumberText.trimmed(y0 + height, 2)) ]"
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

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}
