/// A Graphviz graph as plain values: what ``Graphviz`` turns into cgraph calls.
///
/// Everything is ordered — attributes, subgraphs, nodes, edges — and the order is the
/// creation order in cgraph, so the same description always gives the same DOT text and
/// the same layout. Nodes are created in the order they first appear: the members of
/// the subgraphs, depth first and in order, then the top-level ``nodes`` not yet created.
/// That is also the order in which `agwrite` writes them, so a DOT file written from a
/// description lays out exactly like the description itself.
public struct GraphDescription: Hashable, Sendable {
    /// The graph's name (the `digraph NAME` of the DOT text).
    public var name: String
    /// Attributes of the root graph (`rankdir`, `label`, …).
    public var attributes: Attributes
    /// Defaults for every node (`node [...]` in DOT).
    public var nodeDefaults: Attributes
    /// Defaults for every edge (`edge [...]` in DOT).
    public var edgeDefaults: Attributes
    /// Subgraphs (clusters, `rank=same` groups), in order.
    public var subgraphs: [Subgraph]
    /// Every node with its attributes, in order. Subgraphs refer to nodes by name.
    public var nodes: [Node]
    /// Every edge, in order.
    public var edges: [Edge]
    /// Clusters whose tops line up after the layout (the stage columns of a map): where
    /// some of them stand side by side, the top cluster of each column is raised to the
    /// highest top among them, with its label, so that the column headings read as one
    /// row. Nothing moves but the boxes, so no edge is routed again. `dot` itself knows no
    /// such constraint, so the DOT text of a description does not carry it.
    public var alignedTops: [String] = []
    /// The most pixels a bitmap of the graph may have: a larger drawing is scaled down
    /// after the layout (Graphviz's `size`, worked out from the laid-out box), so that
    /// memory and time stay bounded however large the graph. Nil for no limit.
    public var maxPixels: Double?

    public init(
        name: String, attributes: Attributes = [:], nodeDefaults: Attributes = [:],
        edgeDefaults: Attributes = [:], subgraphs: [Subgraph] = [], nodes: [Node] = [],
        edges: [Edge] = []
    ) {
        self.name = name
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
        self.subgraphs = subgraphs
        self.nodes = nodes
        self.edges = edges
    }

    /// A node: a unique name and its attributes.
    public struct Node: Hashable, Sendable {
        /// The node's name, unique in the graph (not shown when it has a `label`).
        public var name: String
        /// The node's own attributes; the others come from ``GraphDescription/nodeDefaults``.
        public var attributes: Attributes

        public init(_ name: String, _ attributes: Attributes = [:]) {
            self.name = name
            self.attributes = attributes
        }
    }

    /// A directed edge between two nodes named in ``GraphDescription/nodes``.
    public struct Edge: Hashable, Sendable {
        /// The node the edge leaves (upstream).
        public var tail: String
        /// The node the edge enters (downstream).
        public var head: String
        /// The edge's own attributes; the others come from ``GraphDescription/edgeDefaults``.
        public var attributes: Attributes

        public init(from tail: String, to head: String, _ attributes: Attributes = [:]) {
            self.tail = tail
            self.head = head
            self.attributes = attributes
        }
    }

    /// A subgraph: a cluster when its name starts with `cluster`, otherwise a grouping
    /// such as a `rank=same` constraint.
    public struct Subgraph: Hashable, Sendable {
        /// The subgraph's name, unique in the graph.
        public var name: String
        /// The subgraph's attributes (a cluster's `label`, a group's `rank` …).
        public var attributes: Attributes
        /// The names of the member nodes, in order.
        public var nodes: [String]
        /// Nested subgraphs, in order.
        public var subgraphs: [Subgraph]

        public init(_ name: String, _ attributes: Attributes = [:], nodes: [String] = [], subgraphs: [Subgraph] = []) {
            self.name = name
            self.attributes = attributes
            self.nodes = nodes
            self.subgraphs = subgraphs
        }
    }
}

/// One attribute value: plain text, or an HTML-like label (written `<…>` in DOT).
public enum AttributeValue: Hashable, Sendable, ExpressibleByStringLiteral {
    /// Plain text. For `label`, `tooltip`, `id` and the other escString attributes
    /// Graphviz expands backslash sequences (`\n`, `\N` …); see ``AttributeValue/literal(_:)``.
    case text(String)
    /// An HTML-like label, without the enclosing `<` `>`. Build it with ``HTML``.
    case html(String)

    public init(stringLiteral value: String) {
        self = .text(value)
    }

    /// Text that Graphviz shows as written: backslashes are escaped so that no escape
    /// sequence (`\N`, `\G`, `\l` …) is expanded, and line breaks become `\n`.
    public static func literal(_ text: String) -> AttributeValue {
        .text(literalText(text))
    }

    /// The text of ``literal(_:)``: the string itself when it has no backslash or line
    /// break (no copy), else the escaped copy. For building a value piece by piece.
    ///
    /// Characters XML forbids (C0 controls, U+FFFE, U+FFFF) become U+FFFD: Graphviz writes
    /// escString attributes into the SVG as they are, and one such byte would make the
    /// file unreadable.
    static func literalText(_ text: String) -> String {
        var text = BidiControls.replaced(in: XMLText.replacingForbidden(text))
        // Tooltips and ids are made for every link, so this works on the UTF-8 buffer
        // directly: through `utf8.contains(where:)` and appends of array literals it
        // was a third of the time spent describing a map.
        return text.withUTF8 { bytes -> String? in
            let backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
            var extra = 0
            for byte in bytes where byte == backslash || byte == newline || byte == carriageReturn {
                extra += byte == backslash ? 3 : 1
            }
            guard extra > 0 else { return nil }

            return String(unsafeUninitializedCapacity: bytes.count + extra) { buffer in
                var count = 0
                var afterCarriageReturn = false
                for byte in bytes {
                    switch byte {
                    case backslash:
                        // Graphviz substitutes escString attributes twice (once when it
                        // reads them, once when it writes the SVG; 2.43 and 14 alike), so
                        // a backslash shown as itself is written four times.
                        for k in 0..<4 { buffer[count + k] = backslash }
                        count += 4
                    case carriageReturn:
                        buffer[count] = backslash; buffer[count + 1] = UInt8(ascii: "n"); count += 2
                    case newline where afterCarriageReturn:
                        break
                    case newline:
                        buffer[count] = backslash; buffer[count + 1] = UInt8(ascii: "n"); count += 2
                    default:
                        buffer[count] = byte; count += 1
                    }
                    afterCarriageReturn = byte == carriageReturn
                }
                return count
            }
        } ?? text
    }
}

/// Attributes in a fixed order: setting an existing name replaces its value in place,
/// a new name is appended. Order matters because it is the order of cgraph calls and of
/// the written DOT text.
public struct Attributes: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    /// One name and its value.
    public struct Entry: Hashable, Sendable {
        /// The attribute's Graphviz name (`fillcolor`, `label` …).
        public var name: String
        public var value: AttributeValue
    }

    /// The attributes, in order.
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Attributes in the order written. A repeated name keeps the last value.
    public init(dictionaryLiteral elements: (String, AttributeValue)...) {
        for (name, value) in elements { self[name] = value }
    }

    /// The value of an attribute; assigning nil removes it.
    public subscript(name: String) -> AttributeValue? {
        get { entries.first { $0.name == name }?.value }
        set {
            let index = entries.firstIndex { $0.name == name }
            switch (index, newValue) {
            case let (index?, value?): entries[index].value = value
            case let (index?, nil): entries.remove(at: index)
            case let (nil, value?): entries.append(Entry(name: name, value: value))
            case (nil, nil): break
            }
        }
    }

    /// These attributes followed by `other`'s, whose values win.
    public func merging(_ other: Attributes) -> Attributes {
        var result = self
        for entry in other.entries { result[entry.name] = entry.value }
        return result
    }

    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
}

/// Escaping text for HTML: Graphviz's HTML-like labels and the report's web page.
public enum HTML {
    /// Text for a Graphviz HTML-like label: ``escape(_:keepingLineBreaks:)``, and each
    /// backslash doubled, since Graphviz expands `\N`, `\G` and the like in label text
    /// too (a lead named `甲\G\N公司` would show the graph's and the node's names).
    public static func label(_ text: String) -> String {
        let escaped = escape(text)
        guard escaped.utf8.contains(UInt8(ascii: "\\")) else { return escaped }
        return escaped.replacingOccurrences(of: "\\", with: "\\\\")
    }

    /// Escapes text for an HTML-like label or HTML content and quoted attributes: `&`,
    /// `<`, `>`, `"` and `'` become entities. Control characters become spaces in a label
    /// (its lines are laid out with `<BR/>`); with `keepingLineBreaks` (a web page), tab
    /// and line feed stay, a carriage return becomes a line feed and other control
    /// characters are dropped, as HTML does not allow them.
    public static func escape(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // Fast check on the bytes: markup, C0 controls, DEL, 0xC2, the lead byte of the
        // C1 controls (U+0080–U+009F), and 0xEF, that of U+FFFE and U+FFFF — and of
        // harmless ones like "·" and "，", which the exact pass below then keeps.
        // And the bidirectional controls (``BidiControls``), told from their bytes.
        func mayNeedEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            for i in bytes.indices {
                switch bytes[i] {
                case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0..<0x20, 0x7F, 0xC2, 0xEF: return true
                case 0xD8, 0xE2: if BidiControls.starts(bytes, at: i) { return true }
                default: continue
                }
            }
            return false
        }
        var text = text
        guard text.withUTF8(mayNeedEscape), text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t" where keepingLineBreaks, "\n" where keepingLineBreaks: result.unicodeScalars.append(scalar)
            case "\r" where keepingLineBreaks: result += "\n"
            case _ where BidiControls.contains(scalar): result += "\u{FFFD}"
            default:
                if !needsEscape(scalar) {
                    result.unicodeScalars.append(scalar)
                } else if scalar.value >= 0xFFFE {
                    // XML forbids U+FFFE and U+FFFF: dropped.
                } else if !keepingLineBreaks {
                    result += " "
                }
            }
        }
        return result
    }

    /// Markup characters, control characters (C0, DEL, C1), U+FFFE, U+FFFF and the
    /// bidirectional controls.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27: true
        case 0..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: true
        default: BidiControls.contains(scalar)
        }
    }
}
