import CGraphvizStart
import Foundation

/// A lead shown beside a gap on the map (`--show-leads`).
public struct MapLead: Hashable, Sendable {
    /// The enterprise's name.
    public var name: String
    /// One line for the tooltip: why it is a lead, its province, tiers …; nil for none.
    public var detail: String?

    public init(name: String, detail: String? = nil) {
        self.name = name
        self.detail = detail
    }
}

/// What the map shows besides the chain itself.
public struct MapOptions: Hashable, Sendable {
    /// How many local enterprises a link lists before the rest collapse into "等 N 家".
    public var enterprisesShown: Int
    /// How many leads to draw beside each gap and weak link; 0 draws none.
    public var leadsPerLink: Int
    /// Above this many links the layout's effort is capped (`nslimit`, `mclimit` …), so
    /// that the time a big chain takes stays bounded whatever its shape.
    public var largeChainThreshold: Int
    /// The most pixels a PNG map has: 40 million (about 160 MB of bitmap, 8000 × 5000
    /// say). A larger map is drawn at a lower resolution, so that the bitmap's time and
    /// memory stay bounded however large the map; SVG and PDF are never scaled.
    public static let pngPixelLimit = 40_000_000.0
    /// Words after the title, for one page of a map printed on several ("（续）第 2/3 页").
    public var titleNote: String?
    /// The stages drawn (indices); nil draws them all. A printed page shows some.
    public var stages: Set<Int>?

    public init(enterprisesShown: Int = 4, leadsPerLink: Int = 0, largeChainThreshold: Int = 150) {
        self.enterprisesShown = enterprisesShown
        self.leadsPerLink = leadsPerLink
        self.largeChainThreshold = largeChainThreshold
    }
}

/// The 产业链招商地图 of one chain, as a Graphviz graph.
///
/// Left to right, the stages are labelled clusters in the file's stage order; each link is
/// a card with its name and status on a band of the status colour, its fill and border
/// in the status' look, and its top local enterprises, 链主 and 龙头 first, starred and
/// bold. Edges run upstream → downstream; recycling loops are drawn dashed and do not
/// pull the ranks apart. The title block, top left, carries the chain, the region, a
/// coverage summary and the legend.
///
/// In SVG every link node has the id ``elementID(of:)`` (`link-<id>`), the classes
/// ``classes(of:)`` (`link fill gap` …) and a tooltip with its status, enterprises and
/// the analysis' reasons, so that a web page can style, filter and explain it. Every
/// class names what the analysis computed, in its words: the status's
/// ``LinkStatus/key`` and the edge's ``EdgeKind/key``. The other elements a page can
/// address:
///
/// - supply edges: id `supply-<from>-to-<to>`, class `supply` and the edge's kind,
///   `forward`, `backward` (to an earlier stage) or `feedback` (closing a loop);
/// - the node listing a gap's leads: id `leads-<id>`, class `leads`;
/// - stage clusters: id `stage-<n>` (n the stage's index), class `stage`;
/// - the whole map: id `chainmap`, class `chainmap`.
public struct ChainMap: Sendable {
    /// The analysed chain: the status, priority and reasons of every link.
    public let analysis: GapAnalysis
    /// Leads to draw beside each link (best first), when ``MapOptions/leadsPerLink`` > 0.
    public let leads: [LinkRef: [MapLead]]
    /// What the map shows besides the chain.
    public let options: MapOptions
    /// The look: the standard theme with the chain file's `style:` applied.
    public let theme: MapTheme

    /// The SVG id of every link node, indexed like ``Chain/links``.
    public let elementIDs: [String]
    let layering: MapLayering
    let entries: [LinkRef: GapEntry]
    /// What every link card of a status shares, worked out once per map.
    private let cards: [LinkStatus: CardStyle]

    /// The chain drawn.
    public var chain: Chain { analysis.chain }

    /// The map of an analysed chain, in the chain's own `style:`.
    ///
    /// - Parameters:
    ///   - leads: the leads of each link, best first, as ``leads(from:perLink:)`` gives
    ///     them from a lead screening. Only gaps and weak links show theirs.
    public init(_ analysis: GapAnalysis, leads: [LinkRef: [MapLead]] = [:], options: MapOptions = MapOptions()) {
        self.analysis = analysis
        self.leads = leads
        self.options = options
        theme = MapTheme(style: analysis.chain.style)
        layering = MapLayering(analysis)
        entries = Dictionary(analysis.entries.map { ($0.link, $0) }, uniquingKeysWith: { first, _ in first })
        elementIDs = ChainMap.uniqueIDs(analysis.chain.links.map { "link-" + ChainMap.identifier($0.id) })
        let theme = theme
        cards = Dictionary(uniqueKeysWithValues: LinkStatus.allCases.map { ($0, CardStyle(status: $0, theme: theme)) })
    }

    /// The best leads of every gap and weak link of a lead screening — best first for
    /// that link, as `chainmap leads` ranks them — at most `perLink` of each.
    public static func leads(from screening: LeadScreening, perLink: Int) -> [LinkRef: [MapLead]] {
        guard perLink > 0 else { return [:] }
        var result: [LinkRef: [MapLead]] = [:]
        for entry in screening.analysis.entries {
            let best = screening.leads(for: entry.link, limit: perLink).map { recommendation in
                let lead = recommendation.lead
                let facts = [lead.province, lead.status?.rawValue].compactMap { $0 } + lead.tags
                    + ["评分 " + NumberText.tenths(recommendation.score(for: entry.link, scoring: screening.scoring))]
                return MapLead(name: lead.name, detail: facts.joined(separator: " · "))
            }
            if !best.isEmpty { result[entry.link] = best }
        }
        return result
    }

    /// Whether the chain is big enough for the capped layout.
    public var isLarge: Bool { chain.links.count > options.largeChainThreshold }

    /// The SVG id of a link's node: `link-` and the link's id, with characters that an
    /// XML id or a CSS selector cannot carry replaced by `_`.
    public func elementID(of ref: LinkRef) -> String { elementIDs[ref.index] }

    /// The CSS classes of a link's node: `link`, its status's key (`covered`,
    /// `strengthen`, `fill`, `extend`, `distant`), `gap` for the three gap kinds, and
    /// `anchored` when a 链主 or 龙头 works in it.
    public func classes(of ref: LinkRef) -> [String] {
        let status = analysis.status(of: ref)
        var classes = ["link", status.key]
        if status.isGap { classes.append("gap") }
        if analysis.entry(for: ref)?.project != nil { classes.append("underway") }
        if analysis.anchored[ref.index] {
            classes.append("anchored")
        }
        return classes
    }

    // MARK: The graph

    /// The faces (point size and weight) the map sets its words in, as Graphviz reads them
    /// (a `POINT-SIZE` is a whole number: 12.5 is 12; a run of spaces is laid out in its
    /// own face), the most words first and the project's face last: what Graphviz's
    /// warm-up loads before the first map (``Graphviz/prepare(_:)``). The `chainmap`
    /// executable starts that warm-up before `main`, in C, so the list is kept there
    /// (`chainmap_map_face`, Sources/CGraphvizStart). A test compares it with the faces of
    /// the maps of `chains/`.
    static let faces: [(points: Int, bold: Bool)] = (0..<Int(chainmap_map_face_count)).map { index in
        let face = chainmap_map_face(Int32(index))
        return (Int(face.points), face.bold != 0)
    }

    /// The Graphviz graph of the map. The format only changes the bitmap resolution.
    public func graph(for format: OutputFormat = .svg) -> GraphDescription {
        var graph = GraphDescription(name: chain.id)
        let shownLeads = leadsShown()
        graph.attributes = graphAttributes(format: format, showsLeads: !shownLeads.isEmpty)
        graph.nodeDefaults = [
            "shape": "box", "style": "rounded,filled", "fontname": .text(theme.fontList),
            "fontsize": "11", "fontcolor": .text(MapTheme.ink), "margin": "0.10,0.06",
        ]
        graph.edgeDefaults = [
            "color": .text(MapTheme.edge), "penwidth": "1.1", "arrowsize": "0.7",
            "fontname": .text(theme.fontList),
        ]

        // Stage clusters: each link of the stage, its leads right after it.
        for stage in chain.stages {
            let members = chain.links.filter { $0.stage == stage.index }
            guard !members.isEmpty else { continue }
            var names: [String] = []
            // A link with leads and its leads box form a borderless cluster of their own:
            // dot keeps a cluster's nodes together, so the box stands right beside its link.
            var pairs: [GraphDescription.Subgraph] = []
            for link in members {
                if shownLeads[link.ref] != nil {
                    pairs.append(.init(
                        "cluster_pair_\(link.ref.index)", ["style": "invis", "margin": "2"],
                        nodes: [elementIDs[link.ref.index], leadsID(link.ref)]))
                } else {
                    names.append(elementIDs[link.ref.index])
                }
            }
            graph.subgraphs.append(.init(
                "cluster_stage_\(stage.index)", stageAttributes(stage, members: members), nodes: names, subgraphs: pairs))
            // The columns line up; a lane (beside them) keeps its place.
            if !layering.lanes.contains(stage.index) { graph.alignedTops.append("cluster_stage_\(stage.index)") }
        }
        // One rank per layer, held in order by an invisible spine.
        var rankMembers = [[String]](repeating: [], count: layering.layerCount)
        for link in chain.links {
            rankMembers[layering.layers[link.ref.index]].append(elementIDs[link.ref.index])
            if shownLeads[link.ref] != nil { rankMembers[layering.layers[link.ref.index]].append(leadsID(link.ref)) }
        }
        for (layer, members) in rankMembers.enumerated() {
            graph.subgraphs.append(.init("rank_\(layer)", ["rank": "same"], nodes: ["spine_\(layer)"] + members))
        }

        for link in chain.links {
            graph.nodes.append(.init(elementIDs[link.ref.index], linkAttributes(link)))
            if let leads = shownLeads[link.ref] {
                graph.nodes.append(.init(leadsID(link.ref), leadsAttributes(leads, of: link)))
            }
        }
        for layer in 0..<layering.layerCount {
            graph.nodes.append(.init("spine_\(layer)", [
                "style": "invis", "shape": "point", "width": "0", "height": "0", "label": "",
            ]))
        }

        // Weight 0: the spine orders the ranks but pulls no node towards itself.
        for layer in 0..<max(0, layering.layerCount - 1) {
            graph.edges.append(.init(from: "spine_\(layer)", to: "spine_\(layer + 1)", ["style": "invis", "weight": "0"]))
        }
        for edge in analysis.edges {
            graph.edges.append(.init(
                from: elementIDs[edge.from.index], to: elementIDs[edge.to.index], supplyAttributes(edge)))
        }
        for link in chain.links {
            if shownLeads[link.ref] != nil {
                graph.edges.append(.init(from: elementIDs[link.ref.index], to: leadsID(link.ref), [
                    "style": "dashed", "arrowhead": "none", "color": .text(theme.look(analysis.status(of: link.ref)).border),
                    "penwidth": "1", "weight": "4", "class": "leads-edge",
                ]))
            }
        }
        if format == .png { graph.maxPixels = MapOptions.pngPixelLimit }
        if let stages = options.stages { return Self.keeping(graph, links: chain.links.filter { stages.contains($0.stage) }, map: self) }
        return graph
    }

    /// The graph with only some links (a printed page's stages): their nodes and lead
    /// boxes, the edges among them, the subgraphs that still hold a node, and the spine of
    /// the layers they are in, chained anew.
    static func keeping(_ graph: GraphDescription, links: [Link], map: ChainMap) -> GraphDescription {
        var kept = Set<String>()
        var layers = Set<Int>()
        for link in links {
            kept.insert(map.elementIDs[link.ref.index])
            kept.insert(map.leadsID(link.ref))
            layers.insert(map.layering.layers[link.ref.index])
        }
        let spines = layers.sorted().map { "spine_\($0)" }
        kept.formUnion(spines)
        func filter(_ subgraph: GraphDescription.Subgraph) -> GraphDescription.Subgraph? {
            var subgraph = subgraph
            subgraph.nodes = subgraph.nodes.filter(kept.contains)
            subgraph.subgraphs = subgraph.subgraphs.compactMap(filter)
            return subgraph.nodes.isEmpty && subgraph.subgraphs.isEmpty ? nil : subgraph
        }
        var result = graph
        result.subgraphs = graph.subgraphs.compactMap(filter)
        result.nodes = graph.nodes.filter { kept.contains($0.name) }
        result.edges = graph.edges.filter { kept.contains($0.tail) && kept.contains($0.head) && !$0.tail.hasPrefix("spine_") }
        for (a, b) in zip(spines, spines.dropFirst()) {
            result.edges.append(.init(from: a, to: b, ["style": "invis", "weight": "0"]))
        }
        return result
    }

    private func graphAttributes(format: OutputFormat, showsLeads: Bool) -> Attributes {
        var attributes: Attributes = [
            "rankdir": "LR", "newrank": "true",
            "fontname": .text(theme.fontList), "fontsize": "12", "fontcolor": .text(MapTheme.ink),
            "label": .html(titleLabel(showsLeads: showsLeads)), "labelloc": "t", "labeljust": "l",
            "nodesep": "0.22", "ranksep": "0.65", "pad": "0.35", "bgcolor": "white",
            "outputorder": "edgesfirst", "id": "chainmap", "class": "chainmap",
        ]
        if isLarge {
            // Capped effort: network simplex and crossing minimisation stop early. The
            // ranks are fixed by the map anyway; what is lost is a little straightness.
            attributes["nslimit"] = "4"
            attributes["nslimit1"] = "4"
            attributes["mclimit"] = "0.5"
            attributes["remincross"] = "false"
        }
        if format == .png {
            // Sharp on a projector; big maps stay within what a bitmap can hold.
            attributes["dpi"] = chain.links.count <= 80 ? "144" : "96"
        }
        return attributes
    }

    // MARK: Title, legend, stages

    /// The title block, top left: `<chain>产业链招商地图`, the region and the coverage
    /// summary, then the legend.
    private func titleLabel(showsLeads: Bool) -> String {
        let name = chain.name.hasSuffix("产业链") ? chain.name + "招商地图"
            : chain.name.hasSuffix("链") ? chain.name + " 招商地图" : chain.name + "产业链招商地图"
        let line = ([chain.region].compactMap { $0 } + [summaryLine()]).joined(separator: " · ")
        return """
        <TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">\
        <TR><TD ALIGN="LEFT"><FONT POINT-SIZE="24"><B>\(HTML.label(name))</B>\(options.titleNote.map { "　" + HTML.label($0) } ?? "")</FONT></TD></TR>\
        <TR><TD ALIGN="LEFT"><FONT POINT-SIZE="13" COLOR="\(MapTheme.mutedInk)">\(HTML.label(line))</FONT></TD></TR>\
        <TR><TD ALIGN="LEFT" CELLPADDING="6">\(legend(showsLeads: showsLeads))</TD></TR>\
        </TABLE>
        """
    }

    /// `覆盖 12/21 环节 · 补链 4 · 强链 3 · 延链 2 · 远期 1 · 本地企业 35 家`.
    public func summaryLine() -> String {
        let summary = analysis.summary
        var parts = ["覆盖 \(summary.coveredCount)/\(summary.linkCount) 环节"]
        for status in LinkStatus.kinds {
            parts.append("\(status.label) \(summary.count(status))")
        }
        parts.append("本地企业 \(summary.enterpriseCount) 家")
        return parts.joined(separator: " · ")
    }

    /// The legend: a sample of every status as the nodes draw it, then the marks, in a
    /// grid of (sample, words) pairs so that the two rows line up.
    private func legend(showsLeads: Bool) -> String {
        func item(_ sample: String, _ words: String) -> String {
            "\(sample)<TD ALIGN=\"LEFT\"><FONT COLOR=\"\(MapTheme.mutedInk)\">\(HTML.label(words))</FONT></TD><TD WIDTH=\"12\"></TD>"
        }
        func mark(_ text: String, colour: String) -> String {
            "<TD><FONT COLOR=\"\(colour)\"><B>\(text)</B></FONT></TD>"
        }
        let statuses = [LinkStatus.covered, .strengthen, .fill, .extend, .distant].map { status in
            let look = theme.look(status)
            let sample = """
            <TD BORDER="\(look.width >= 2 ? 2 : 1)" STYLE="rounded\(look.line == "solid" ? "" : "," + look.line)" \
            COLOR="\(HTML.label(look.border))" BGCOLOR="\(HTML.label(look.fill))" CELLPADDING="3">\
            <FONT COLOR="\(HTML.label(look.border))"><B>\(status.label)</B></FONT></TD>
            """
            return item(sample, status.meaning)
        }
        var marks = [
            item(mark("★", colour: MapTheme.anchorMark), "链主 / 龙头企业，加粗列在最前"),
            item(mark("──▶", colour: MapTheme.edge), EdgeKind.forward.legend),
        ]
        if !layering.backward.isEmpty {
            marks.append(item(mark("──▶", colour: MapTheme.backwardEdge), EdgeKind.backward.legend))
        }
        if !layering.feedback.isEmpty {
            marks.append(item(mark("╌╌▶", colour: MapTheme.feedbackEdge), EdgeKind.feedback.legend))
        }
        if analysis.entries.contains(where: { $0.project != nil }) {
            let look = theme.look(.fill)
            marks.append(item("""
            <TD BORDER="\(look.width >= 2 ? 2 : 1)" STYLE="rounded" COLOR="\(HTML.label(look.border))" \
            BGCOLOR="\(HTML.label(look.fill))" CELLPADDING="3"><FONT COLOR="\(HTML.label(look.border))"><B>在建</B></FONT></TD>
            """, "在建补链：缺失环节已有签约或开工项目"))
        }
        if showsLeads {
            marks.append(item("""
            <TD BORDER="1" STYLE="rounded,dashed" COLOR="\(MapTheme.mutedInk)" BGCOLOR="white" CELLPADDING="3">\
            <FONT COLOR="\(MapTheme.mutedInk)">线索</FONT></TD>
            """, "招商线索（目标企业）"))
        }
        marks += Array(repeating: "<TD></TD><TD></TD><TD></TD>", count: max(0, statuses.count - marks.count))
        return """
        <TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">\
        <TR><TD ROWSPAN="2" VALIGN="TOP" CELLPADDING="3"><FONT POINT-SIZE="11.5"><B>图例</B></FONT></TD>\
        \(statuses.joined())</TR><TR>\(marks.joined())</TR></TABLE>
        """
    }

    private func stageAttributes(_ stage: Stage, members: [Link]) -> Attributes {
        let covered = members.filter { chain.isCovered($0.ref) }.count
        let label = "<B>\(HTML.label(stage.name))</B>  <FONT POINT-SIZE=\"11\" COLOR=\"\(MapTheme.mutedInk)\">\(members.count) 个环节 · 覆盖 \(covered)</FONT>"
        return [
            "label": .html(label), "labeljust": "l", "labelloc": "t",
            "fontsize": "15", "style": "rounded,filled", "fillcolor": .text(MapTheme.stageFill),
            "color": .text(MapTheme.stageBorder), "penwidth": "1", "margin": "14",
            "id": .literal("stage-\(stage.index)"), "class": "stage",
            "tooltip": .literal("\(stage.name)：\(members.count) 个环节，已覆盖 \(covered) 个"),
        ]
    }

    // MARK: Links

    private func linkAttributes(_ link: Link) -> Attributes {
        let status = analysis.status(of: link.ref)
        let card = cards[status]!
        let enterprises = analysis.enterprises(on: link.ref)
        let project = analysis.entry(for: link.ref)?.project
        return [
            "label": .html(linkLabel(link, status: status, card: card, enterprises: enterprises, project: project)),
            "fillcolor": .text(card.look.fill), "color": .text(card.look.border),
            // 在建补链: a solid border, where an open gap's is dashed.
            "penwidth": .text(card.penwidth), "style": .text(project == nil ? card.style : "rounded,filled"),
            "id": .literal(elementIDs[link.ref.index]),
            "class": .literal(classes(of: link.ref).joined(separator: " ")),
            "tooltip": .text(tooltip(link, status: status, enterprises: enterprises)),
        ]
    }

    /// What the cards of one status share: the look, the node style and the header band.
    private struct CardStyle: Sendable {
        let look: StatusLook
        let style: String
        let penwidth: String
        /// The header row up to the link's name: the band in the border colour, the
        /// name's font in the colour that reads on it.
        let bandStart: String
        /// The rest of the header row after the name, up to the tag (`补链`, `12 家` …).
        let bandMiddle: String

        init(status: LinkStatus, theme: MapTheme) {
            look = theme.look(status)
            style = look.line == "solid" ? "rounded,filled" : "rounded,filled," + look.line
            penwidth = NumberText.trimmed(look.width, 2)
            let onBand = ChainMap.textColour(on: look.border)
            bandStart = """
            <TR><TD STYLE="rounded" BGCOLOR="\(HTML.label(look.border))" ALIGN="LEFT" CELLPADDING="3">\
            <FONT POINT-SIZE="12.5" COLOR="\(onBand)"><B>
            """
            bandMiddle = "</B></FONT><FONT POINT-SIZE=\"9.5\" COLOR=\"\(onBand)\">  · "
        }
    }

    /// A link's label: a header band in the status colour with the name and the status
    /// (or, for a covered link, the number of enterprises), then the top enterprises.
    /// Built by appending to one string: the map makes one per link.
    private func linkLabel(_ link: Link, status: LinkStatus, card: CardStyle, enterprises: [Enterprise], project: Project? = nil) -> String {
        var label = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"2\">"
        label.reserveCapacity(640)
        label += card.bandStart
        label += HTML.label(link.name)
        label += card.bandMiddle
        let fromRoster = enterprises.reduce(0) { $0 + ($1.isFromRoster ? 1 : 0) }
        if status == .covered {
            label += fromRoster > 0 ? "本地 \(enterprises.count) 家（名录 \(fromRoster)）" : "\(enterprises.count) 家"
        } else {
            label += project == nil ? status.label : GapEntry.underwayPrefix + status.label
            if fromRoster > 0 { label += " · 本地 \(enterprises.count) 家（名录 \(fromRoster)）" }
        }
        label += "</FONT></TD></TR>"
        if let project {
            let amount = project.agreed.map { "（\(NumberText.amount($0)) 亿元）" } ?? ""
            label += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10.5\"><B>在建：</B>"
            label += HTML.label(ChainMap.shortened(project.name, to: 16) + amount)
            label += "</FONT></TD></TR>"
        }
        if enterprises.isEmpty {
            label += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\" COLOR=\"\(MapTheme.mutedInk)\">暂无本地企业</FONT></TD></TR>"
        } else {
            let shown = enterprises.count > options.enterprisesShown ? max(1, options.enterprisesShown) : enterprises.count
            for enterprise in enterprises.prefix(shown) {
                label += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10.5\">"
                let name = HTML.label(ChainMap.shortened(enterprise.name, to: 18))
                if enterprise.role.isAnchor {
                    label += "<FONT COLOR=\"\(MapTheme.anchorMark)\">★</FONT> <B>"
                    label += name
                    // An ideographic space before the role: a gap in every renderer, even one
                    // that measures the bold name wider than Graphviz did.
                    label += "</B>\u{3000}<FONT POINT-SIZE=\"9\" COLOR=\"\(MapTheme.anchorMark)\">"
                    label += enterprise.role.rawValue
                    label += "</FONT>"
                } else {
                    label += name
                }
                label += "</FONT></TD></TR>"
            }
            if shown < enterprises.count {
                label += "<TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\" COLOR=\"\(MapTheme.mutedInk)\">等 "
                label += String(enterprises.count)
                label += " 家</FONT></TD></TR>"
            }
        }
        label += "</TABLE>"
        return label
    }

    /// The tooltip of a link: name and status, stage, enterprises, then the reasons.
    ///
    /// Written as Graphviz reads it, line breaks as `\n` and each name or reason made
    /// literal on its own (``AttributeValue/literal(_:)``), which for the usual text
    /// without backslashes or line breaks costs one scan and no copy.
    private func tooltip(_ link: Link, status: LinkStatus, enterprises: [Enterprise]) -> String {
        var text = ""
        text.reserveCapacity(512)
        func append(literal piece: String) {
            text += AttributeValue.literalText(piece)
        }
        append(literal: link.name)
        text += " · "
        text += status.label
        text += "："
        text += status.meaning
        text += "\\n"
        append(literal: chain.stages[link.stage].name)
        if link.weight > 1 {
            text += " · 重要度 "
            text += String(link.weight)
            text += "/5"
        }
        let entry = entries[link.ref]
        if let entry {
            text += " · 优先级 "
            text += NumberText.tenths(entry.priority)
        }
        if enterprises.isEmpty {
            text += "\\n本地企业：暂无"
        } else {
            text += "\\n本地企业 "
            text += String(enterprises.count)
            text += " 家："
            for (n, enterprise) in enterprises.prefix(12).enumerated() {
                if n > 0 { text += "、" }
                append(literal: enterprise.name)
                if enterprise.role.isAnchor {
                    text += "（"
                    text += enterprise.role.rawValue
                    text += "）"
                }
            }
            if enterprises.count > 12 { text += " 等" }
        }
        if let reasons = entry?.reasons, !reasons.isEmpty {
            text += "\\n原因："
            for reason in reasons {
                text += "\\n· "
                append(literal: reason)
            }
        }
        return text
    }

    /// The attributes of a supply edge, by the kind the analysis gave it; its class is
    /// `supply` and the kind's key.
    private func supplyAttributes(_ edge: SupplyEdge) -> Attributes {
        let (source, target) = (chain[edge.from], chain[edge.to])
        let tooltip = "\(source.name) → \(target.name)"
        let id = "supply-\(elementIDs[edge.from.index].dropFirst(5))-to-\(elementIDs[edge.to.index].dropFirst(5))"
        let common: Attributes = ["id": .literal(id), "class": .text("supply " + edge.kind.key)]
        switch edge.kind {
        case .feedback:
            return common.merging([
                "style": "dashed", "color": .text(MapTheme.feedbackEdge), "constraint": "false",
                "tooltip": .literal(tooltip + "（\(edge.kind.label)）"),
            ])
        case .backward:
            var attributes = common.merging([
                "constraint": "false", "color": .text(MapTheme.backwardEdge), "penwidth": "0.9",
                "tooltip": .literal(tooltip + "（\(edge.kind.label)）"),
            ])
            // From a lane, a layer before what it supplies: sides too, so that the edge
            // runs up the gap between the columns, not through the one above the lane.
            if layering.lanes.contains(source.stage) && layering.layers[edge.from.index] < layering.layers[edge.to.index] {
                attributes = attributes.merging(["tailport": "e", "headport": "w"])
            }
            return attributes
        case .forward:
            if layering.intoLanes.contains(.init(from: edge.from.index, to: edge.to.index)) {
                // Into a lane beside the chain: drawn as any supply, but the lane's place
                // is set by what it supplies.
                return common.merging(["constraint": "false", "tooltip": .literal(tooltip)])
            }
            // Out of the right side, into the left: the supply runs between the columns
            // instead of leaving a card's top or bottom across its neighbours.
            return common.merging(["tooltip": .literal(tooltip), "tailport": "e", "headport": "w"])
        }
    }

    // MARK: Leads

    /// The leads drawn beside each gap and weak link.
    private func leadsShown() -> [LinkRef: [MapLead]] {
        guard options.leadsPerLink > 0 else { return [:] }
        var shown: [LinkRef: [MapLead]] = [:]
        for (ref, leads) in leads where ref.index < chain.links.count && analysis.status(of: ref) != .covered {
            let top = Array(leads.prefix(options.leadsPerLink))
            if !top.isEmpty { shown[ref] = top }
        }
        return shown
    }

    /// The id of the node that lists a link's leads: `leads-` and the link's id.
    func leadsID(_ ref: LinkRef) -> String {
        "leads-" + elementIDs[ref.index].dropFirst("link-".count)
    }

    /// One small dashed node beside a gap that lists its top leads; the tooltip adds
    /// what is known of each.
    private func leadsAttributes(_ leads: [MapLead], of link: Link) -> Attributes {
        let look = theme.look(analysis.status(of: link.ref))
        var rows = """
        <TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9" COLOR="\(MapTheme.mutedInk)">招商线索</FONT></TD></TR>
        """
        for lead in leads {
            rows += """
            <TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">\(HTML.label(ChainMap.shortened(lead.name, to: 18)))</FONT></TD></TR>
            """
        }
        let lines = leads.map { lead in "· " + lead.name + (lead.detail.map { "（\($0)）" } ?? "") }
        return [
            "label": .html("<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">\(rows)</TABLE>"),
            "style": "rounded,dashed,filled", "fillcolor": "white", "color": .text(look.border),
            "penwidth": "1", "margin": "0.08,0.04",
            "id": .literal(leadsID(link.ref)), "class": "leads",
            "tooltip": .literal("\(link.name) 的招商线索：\n" + lines.joined(separator: "\n")),
        ]
    }

    // MARK: Helpers

    /// An identifier safe in an XML id and a CSS selector: letters (Chinese included),
    /// digits, `-` and `_`; anything else becomes `_`.
    static func identifier(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            let allowed = scalar == "-" || scalar == "_" || (scalar.properties.isAlphabetic && scalar.properties.generalCategory != .otherSymbol)
                || ("0"..."9").contains(scalar)
            return allowed ? Character(scalar) : "_"
        })
    }

    /// The ids made unique: a repeat gets `-2`, `-3` … (two link ids can become the same
    /// once sanitised, e.g. `a b` and `a/b`).
    static func uniqueIDs(_ ids: [String]) -> [String] {
        var used: Set<String> = []
        return ids.map { id in
            var candidate = id
            var suffix = 2
            while used.contains(candidate) {
                candidate = "\(id)-\(suffix)"
                suffix += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    /// A name cut to `limit` characters with "…", for labels; tooltips keep it whole.
    static func shortened(_ name: String, to limit: Int) -> String {
        // A name of no more scalars than the limit has no more characters either, and
        // counting scalars is much cheaper than counting characters.
        guard name.unicodeScalars.count > limit, name.count > limit else { return name }
        return String(name.prefix(limit - 1)) + "…"
    }

    /// White, or near-black on a light colour: the text colour on a status band. Colours
    /// are `#RRGGBB[AA]` or names; a name that says it is light counts as light.
    static func textColour(on background: String) -> String {
        let dark = "#1F2933"
        if background.hasPrefix("#"), background.count >= 7, let value = UInt32(background.dropFirst().prefix(6), radix: 16) {
            let channels = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF].map { Double($0) / 255 }
            let linear = channels.map { $0 <= 0.03928 ? $0 / 12.92 : pow(($0 + 0.055) / 1.055, 2.4) }
            let luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
            // White wins while its contrast is at least that of the dark ink.
            return (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.0634) ? "white" : dark
        }
        let name = background.lowercased()
        let light = ["light", "pale", "white", "yellow", "gold", "ivory", "beige", "khaki", "pink", "cream",
                     "snow", "linen", "lavender", "wheat", "cornsilk", "honeydew", "azure", "mint", "silver"]
        return light.contains(where: name.contains) ? dark : "white"
    }

}
