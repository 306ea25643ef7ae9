/// Text for the report's web page: escaping for HTML text and attributes, JSON for the
/// page's data block, and the inline map.
public enum HtmlText {
    /// Escapes text for HTML content and quoted attribute values: `&`, `<`, `>`, `"` and
    /// `'` become character references; control characters other than tab and line feed
    /// are dropped (they are not allowed in HTML).
    public static func escape(_ text: String) -> String {
        HTML.escape(text, keepingLineBreaks: true)
    }

    /// A JSON string literal that is safe inside a `<script>` element: besides JSON's own
    /// escapes, `<`, `>`, `&`, `/` and the line separators U+2028/U+2029 are written as
    /// `\uXXXX`, so no text can end the script or read as a comment.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "<", ">", "&", "/", "\u{2028}", "\u{2029}":
                result += unicodeEscape(scalar.value)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += unicodeEscape(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    static func unicodeEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A JSON array of strings.
    static func jsonArray(_ items: [String]) -> String {
        "[" + items.map(jsonString).joined(separator: ",") + "]"
    }

    /// The renderer's SVG made fit to sit inside the page: the XML declaration, doctype
    /// and comments before the `<svg>` element dropped, the namespace declarations of the
    /// root element removed (HTML puts inline SVG in its namespace by itself, and the
    /// page then names no web address at all), and the fixed width and height replaced
    /// so that the map scales with the page; its `viewBox` keeps the proportions.
    ///
    /// Returns nil when the bytes hold no `<svg` element.
    public static func inlineSVG(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let start = text.range(of: "<svg") else { return nil }
        var svg = String(text[start.lowerBound...])
        guard let rootEnd = svg.firstIndex(of: ">") else { return nil }
        var root = String(svg[..<rootEnd])
        let body = svg[rootEnd...]
        var width: String?
        var height: String?
        root = removeAttribute("xmlns", from: root).text
        root = removeAttribute("xmlns:xlink", from: root).text
        (root, width) = removeAttribute("width", from: root)
        (root, height) = removeAttribute("height", from: root)
        // Keep the natural size as data, for the page's "原始大小" view.
        if let width { root += " data-width=\"\(escape(width))\"" }
        if let height { root += " data-height=\"\(escape(height))\"" }
        root += " role=\"img\""
        // One space between attributes: Graphviz breaks the start tag over lines.
        root = root.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
        svg = root + body
        while svg.hasSuffix("\n") { svg.removeLast() }
        return svg
    }

    /// Removes ` name="…"` from a start tag; returns the tag and the removed value.
    static func removeAttribute(_ name: String, from tag: String) -> (text: String, value: String?) {
        guard let range = tag.range(of: " \(name)=\"") else { return (tag, nil) }
        guard let close = tag[range.upperBound...].firstIndex(of: "\"") else { return (tag, nil) }
        let value = String(tag[range.upperBound..<close])
        var result = tag
        result.removeSubrange(range.lowerBound...close)
        return (result, value)
    }
}
