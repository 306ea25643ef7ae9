/// Text and boxes at computed places, for drawings laid out by chainmap rather than by
/// Graphviz (``Graphviz/Layout/pinned``): the quarterly chart, the target map.
enum PinnedShapes {
    enum Anchor { case left, centre }

    /// A text node centred at (x, y), or starting at x, in points.
    static func text(
        _ name: String, _ words: String, x: Double, y: Double, size: Double, bold: Bool = false,
        colour: String = MapTheme.ink, anchor: Anchor = .centre
    ) -> GraphDescription.Node {
        // Chinese characters are one em wide; digits and Latin about half.
        let em = words.unicodeScalars.reduce(0.0) { $0 + ($1.value < 0x2E80 ? 0.55 : 1.0) }
        let width = em * size + 4
        let centre = anchor == .left ? x + width / 2 : x
        let label = "<FONT POINT-SIZE=\"\(number(size))\" COLOR=\"\(HTML.label(colour))\">" + (bold ? "<B>\(HTML.label(words))</B>" : HTML.label(words)) + "</FONT>"
        return GraphDescription.Node(name, [
            "shape": "plaintext", "label": .html(label), "pos": .text("\(number(centre)),\(number(y))!"),
            "width": .text(number(width / 72)), "height": .text(number((size + 4) / 72)), "fixedsize": "true",
        ])
    }

    /// A filled box centred at (x, y), in points.
    static func box(_ name: String, x: Double, y: Double, width: Double, height: Double, colour: String) -> GraphDescription.Node {
        GraphDescription.Node(name, [
            "shape": "box", "style": "filled", "label": "", "penwidth": "0", "color": .text(colour), "fillcolor": .text(colour),
            "pos": .text("\(number(x)),\(number(y))!"), "fixedsize": "true",
            "width": .text(number(width / 72)), "height": .text(number(height / 72)),
        ])
    }

    /// A pinned drawing as a graph: its box (points), white, its font, its SVG id and
    /// class, 144 dpi as PNG; every node without an id gets its name under `idPrefix`,
    /// so that the drawing's ids stay unique beside a map's in one page.
    static func graph(
        _ name: String, nodes: [GraphDescription.Node], width: Double, height: Double, pad: String, font: String,
        id: String, idPrefix: String, format: OutputFormat
    ) -> GraphDescription {
        var attributes: Attributes = [
            "bb": .text("0,0,\(number(width)),\(number(height))"), "pad": .text(pad), "bgcolor": "white",
            "fontname": .text(font), "id": .text(id), "class": .text(id),
        ]
        if format == .png { attributes["dpi"] = "144" }
        let named = nodes.map { node in
            var node = node
            if node.attributes["id"] == nil { node.attributes = node.attributes.merging(["id": .text(idPrefix + node.name)]) }
            return node
        }
        return GraphDescription(
            name: name, attributes: attributes,
            nodeDefaults: ["fontname": .text(font), "fontsize": "10", "fontcolor": .text(MapTheme.ink), "margin": "0"],
            nodes: named)
    }

    /// A number in Graphviz's attributes: at most four decimals, no trailing zeros.
    static func number(_ value: Double) -> String { NumberText.trimmed(value, 4) }
}
