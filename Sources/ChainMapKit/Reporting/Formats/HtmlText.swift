/// Text for the report's web page: escaping for HTML text and attributes, JSON for the
/// page's data block, and the inline map.
public enum HtmlText {
    /// Escapes text for HTML content and quoted attribute values: `&`, `<`, `>`, `"` and
    /// `'` become character references; control characters other than tab and line feed
    /// are dropped (they are not allowed in HTML).
    public static func escape(_ text: String) -> String {
        HTML.escape(text, keepingLineBreaks: true)
    }

    /// A JSON string literal that is safe inside a `<script>` element (written by
    /// ``JSONWriter`` with ``JSONWriter/Escaping/script``): no text can end the script
    /// or read as a comment.
    public static func jsonString(_ text: String) -> String {
        var json = JSONWriter(escaping: .script, capacity: text.utf8.count + 2)
        json.string(text)
        return json.text
    }

    /// A JSON array of strings, safe inside a `<script>` element.
    static func jsonArray(_ items: [String]) -> String {
        var json = JSONWriter(escaping: .script)
        json.raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { json.raw(",") }
            json.string(item)
        }
        json.raw("]")
        return json.text
    }

    /// The renderer's SVG made fit to sit inside the page: the XML declaration, doctype
    /// and comments before the `<svg>` element dropped, the namespace declarations of the
    /// root element removed (HTML puts inline SVG in its namespace by itself, and the
    /// page then names no web address at all), and the fixed width and height replaced
    /// so that the map scales with the page; its `viewBox` keeps the proportions.
    ///
    /// Returns nil when the bytes hold no `<svg` element.
    public static func inlineSVG(_ bytes: [UInt8]) -> String? {
        guard let start = rootStart(bytes) else { return nil }
        var svg = String(decoding: bytes[start...], as: UTF8.self)
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

    /// Where the `<svg` element starts: the first `<svg` followed by a space, a line break
    /// or `>`, found in the bytes (through Foundation, a search measured the whole map's
    /// UTF-16 length first: 2 M instructions a map).
    static func rootStart(_ bytes: [UInt8]) -> Int? {
        let tag = Array("<svg".utf8)
        var i = 0
        while i + tag.count < bytes.count {
            if bytes[i] == tag[0] && bytes[i + 1] == tag[1] && bytes[i + 2] == tag[2] && bytes[i + 3] == tag[3] {
                let next = bytes[i + tag.count]
                if next == 0x20 || next == 0x0A || next == 0x0D || next == 0x09 || next == UInt8(ascii: ">") { return i }
            }
            i += 1
        }
        return nil
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
