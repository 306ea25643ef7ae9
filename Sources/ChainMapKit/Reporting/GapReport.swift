import Foundation

/// The outputs of `chainmap gaps`: the ranked gaps and weak links of one or more chains
/// as JSON, CSV, Markdown or terminal text, and the overview across chains.
public enum GapReport {
    /// One gap or weak link as `--json` writes it. The contract fixes `id`, `name`,
    /// `stage`, `kind`, `priority` and `reasons`; the other fields are additions.
    public struct Record: Hashable, Sendable {
        /// The chain's id (`chain` in JSON).
        public var chain: String
        /// The chain's display name.
        public var chainName: String
        /// The link's id.
        public var id: String
        /// The link's name.
        public var name: String
        /// The link's stage name.
        public var stage: String
        /// `fill`, `extend`, `distant` or `strengthen`.
        public var kind: LinkStatus
        /// 补链, 延链, 远期 or 强链.
        public var label: String
        /// 0…100, larger is more urgent.
        public var priority: Double
        /// Plain-Chinese reasons, at least one.
        public var reasons: [String]
        /// The link's `weight`, 1…5.
        public var weight: Int
        /// Steps to the nearest covered link; 0 for a weak link, null when unreachable.
        public var distance: Int?
        /// Local enterprises on the link (0 for a gap).
        public var enterprises: Int
        /// The parts of the priority (see docs/analysis.md).
        public var factors: Factors
        /// The link's `notes` (备注), if any.
        public var notes: String?
        /// The link's own `x-` fields, in file order, passed through to JSON and CSV.
        public var extra: [ExtraField]

        /// The parts of the priority (JSON writes them with 3 decimals).
        public struct Factors: Hashable, Sendable {
            public var demand: Double
            public var demandScore: Double
            public var reach: Double
            public var pathShare: Double
            public var kindFactor: Double
        }

        public init(_ entry: GapEntry, of analysis: GapAnalysis) {
            let chain = analysis.chain
            let link = chain[entry.link]
            self.chain = chain.id
            chainName = chain.name
            id = link.id
            name = link.name
            stage = chain.stages[link.stage].name
            kind = entry.kind
            label = entry.label
            priority = entry.priority
            reasons = entry.reasons
            weight = link.weight
            distance = entry.distance
            enterprises = chain.enterprisesByLink[entry.link.index].count
            notes = link.notes
            extra = link.extra
            let f = entry.factors
            factors = Factors(
                demand: f.demand, demandScore: f.demandScore, reach: f.reach, pathShare: f.pathShare,
                kindFactor: f.kindFactor)
        }
    }

    /// The entries of all chains, highest priority first; ties by kind (补链, 强链, 延链,
    /// 远期), then chain order, then file order.
    public static func records(_ analyses: [GapAnalysis]) -> [Record] {
        var ranked: [(chain: Int, position: Int, entry: GapEntry)] = []
        for (c, analysis) in analyses.enumerated() {
            for (p, entry) in analysis.entries.enumerated() { ranked.append((c, p, entry)) }
        }
        ranked.sort { a, b in
            if a.entry.priority != b.entry.priority { return a.entry.priority > b.entry.priority }
            if a.entry.kind != b.entry.kind { return a.entry.kind.urgencyRank < b.entry.kind.urgencyRank }
            return (a.chain, a.position) < (b.chain, b.position)
        }
        return ranked.map { Record($0.entry, of: analyses[$0.chain]) }
    }

    /// `--json`: one array of ``Record``s across all chains, highest priority first,
    /// one key per line, ending in a newline.
    public static func json(_ analyses: [GapAnalysis]) -> String {
        var json = JSONWriter()
        let records = records(analyses)
        json.raw("[")
        for (n, r) in records.enumerated() {
            json.raw(n == 0 ? "\n  {" : ",\n  {")
            func field(_ name: String, first: Bool = false) {
                json.raw(first ? "\n    " : ",\n    ")
                json.key(name)
            }
            field("id", first: true); json.string(r.id)
            field("name"); json.string(r.name)
            field("stage"); json.string(r.stage)
            field("kind"); json.string(r.kind.key)
            field("priority"); json.number(r.priority, decimals: 1)
            field("reasons"); json.strings(r.reasons)
            field("chain"); json.string(r.chain)
            field("chainName"); json.string(r.chainName)
            field("label"); json.string(r.label)
            field("weight"); json.integer(r.weight)
            field("distance"); json.integer(r.distance)
            field("enterprises"); json.integer(r.enterprises)
            field("factors")
            let f = r.factors
            json.raw("{\"demand\": \(NumberText.trimmed(f.demand, 3)), \"demandScore\": \(NumberText.trimmed(f.demandScore, 3)), ")
            json.raw("\"reach\": \(NumberText.trimmed(f.reach, 3)), \"pathShare\": \(NumberText.trimmed(f.pathShare, 3)), ")
            json.raw("\"kindFactor\": \(NumberText.trimmed(f.kindFactor, 3))}")
            field("notes"); json.optional(r.notes)
            field("extra"); json.raw("{")
            for (i, x) in r.extra.enumerated() {
                if i > 0 { json.raw(", ") }
                json.key(x.name); json.string(x.value)
            }
            json.raw("}")
            json.raw("\n  }")
        }
        json.raw(records.isEmpty ? "]\n" : "\n]\n")
        return json.text
    }

    // MARK: Edges

    /// `--edges --json`: every `supplies` edge of every chain, as the analysis classifies
    /// it, in file order: `chain`, `from` and `to` (link ids) and `kind` (`forward`,
    /// `backward` or `feedback`).
    public static func edgesJSON(_ analyses: [GapAnalysis]) -> String {
        var json = JSONWriter()
        json.raw("[")
        var first = true
        for analysis in analyses {
            for edge in analysis.edges {
                json.raw(first ? "\n  {" : ",\n  {")
                first = false
                json.key("chain"); json.string(analysis.chain.id)
                json.raw(", "); json.key("from"); json.string(analysis.chain[edge.from].id)
                json.raw(", "); json.key("to"); json.string(analysis.chain[edge.to].id)
                json.raw(", "); json.key("kind"); json.string(edge.kind.key)
                json.raw("}")
            }
        }
        json.raw(first ? "]\n" : "\n]\n")
        return json.text
    }

    /// `--edges`: every `supplies` edge as a table: 产业链, 上游环节, 下游环节, 关系.
    public static func edgeTable(_ analyses: [GapAnalysis]) -> TextTable {
        var table = TextTable(headers: ["产业链", "上游环节", "下游环节", "关系", "说明"])
        for analysis in analyses {
            for edge in analysis.edges {
                table.append([
                    analysis.chain.name, analysis.chain[edge.from].name, analysis.chain[edge.to].name,
                    edge.kind.label, edge.kind.meaning,
                ])
            }
        }
        return table
    }

    /// The list of ``csv(_:)`` and ``workbook(_:)``: one table across all chains, ordered
    /// as ``records(_:)``, reasons joined with `；`, then 备注 and one column per `x-` field
    /// any link has (first seen first).
    public static func listTable(_ analyses: [GapAnalysis]) -> ReportTable {
        let records = records(analyses)
        var extraNames: [String] = []
        for r in records {
            for x in r.extra where !extraNames.contains(x.name) { extraNames.append(x.name) }
        }
        let columns: [ReportTable.Column] = [
            .init("序号", .number(decimals: 0)), .init("产业链"), .init("环节ID"), .init("环节"), .init("阶段"),
            .init("类型"), .init("优先级", .number(decimals: 1)), .init("距离", .number(decimals: 0)),
            .init("战略权重", .number(decimals: 0)), .init("本地企业数", .number(decimals: 0)), .init("理由", .wrapped),
            .init("备注", .wrapped),
        ] + extraNames.map { .init($0) }
        let rows = records.enumerated().map { n, r -> [String] in
            [
                String(n + 1), r.chainName, r.id, r.name, r.stage, r.label, NumberText.tenths(r.priority),
                r.distance.map(String.init) ?? "", String(r.weight), String(r.enterprises),
                r.reasons.joined(separator: "；"), r.notes ?? "",
            ] + extraNames.map { name in r.extra.first { $0.name == name }?.value ?? "" }
        }
        return ReportTable(columns: columns, rows: rows)
    }

    /// `--csv`: ``listTable(_:)`` with a UTF-8 byte order mark for Excel.
    public static func csv(_ analyses: [GapAnalysis]) -> String {
        let table = listTable(analyses)
        return TextTable(headers: table.columns.map(\.title), rows: table.rows).csv()
    }

    /// `--xlsx`: ``listTable(_:)`` on a sheet 缺失与薄弱环节, then the overview across
    /// chains when there are several.
    public static func workbook(_ system: IndustrySystem) -> [XLSXSheet] {
        var sheets = [listTable(system.chains.map(\.analysis)).sheet("缺失与薄弱环节")]
        if system.chains.count > 1 { sheets.append(ReportIndex.sheet(system)) }
        return sheets
    }

    /// The entries of one chain as a table: 序号, 环节, 阶段, 类型, 优先级, 理由. With
    /// `reasonsOnLines` each reason is a line of its cell; otherwise they are joined by `；`.
    public static func entryTable(_ analysis: GapAnalysis, reasonsOnLines: Bool) -> TextTable {
        var table = TextTable(
            headers: ["序号", "环节", "阶段", "类型", "优先级", "理由"],
            alignments: [.right, .left, .left, .left, .right, .left])
        for (n, entry) in analysis.entries.enumerated() {
            let link = analysis.chain[entry.link]
            table.append([
                String(n + 1), link.name, analysis.chain.stages[link.stage].name, entry.label,
                NumberText.tenths(entry.priority), entry.reasons.joined(separator: reasonsOnLines ? "\n" : "；"),
            ])
        }
        return table
    }

    /// One sentence a planner can paste: "覆盖率 66.7%（8/12 个环节已有本地企业）；完整度
    /// 58.3；补链 2、强链 3、延链 1、远期 1；本地企业 10 家，其中链主/龙头 2 家".
    public static func summaryLine(_ s: GapSummary) -> String {
        let kinds = LinkStatus.kinds
            .map { "\($0.label) \(s.count($0))" }.joined(separator: "、")
        return "覆盖率 \(NumberText.percent(s.coverage))（\(s.coveredCount)/\(s.linkCount) 个环节已有本地企业）；"
            + "完整度 \(NumberText.tenths(s.completeness))；\(kinds)；"
            + "本地企业 \(s.enterpriseCount) 家，其中链主/龙头 \(s.anchorCount) 家"
    }

    /// The title of a chain's section: "新能源汽车动力电池（示例市）".
    public static func title(_ chain: Chain) -> String {
        chain.region.map { "\(chain.name)（\($0)）" } ?? chain.name
    }

    /// `--markdown`: for several chains an overview table first, then per chain its
    /// summary and its ranked entries.
    public static func markdown(_ system: IndustrySystem) -> String {
        var out = ""
        if system.chains.count > 1 {
            out += "## \(MarkdownText.escape(ReportIndex.title(system)))\n\n" + ReportIndex.table(system).markdown() + "\n"
        }
        for analysis in system.chains.map(\.analysis) {
            out += "## \(MarkdownText.escape(title(analysis.chain)))：缺失与薄弱环节\n\n"
            out += summaryLine(analysis.summary) + "。\n\n"
            out += analysis.entries.isEmpty
                ? ReportText.nothingToDo + "\n\n"
                : entryTable(analysis, reasonsOnLines: false).markdown() + "\n"
        }
        return out
    }

    /// The default output: for several chains an overview table first, then per chain a
    /// heading, its summary and its entries with one reason per line. With `colour`, the
    /// kinds are coloured (补链 red, 强链 yellow, 延链 cyan, 远期 grey) with ANSI codes.
    public static func text(_ system: IndustrySystem, colour: Bool, width: Int? = nil) -> String {
        let bold: TextStyle? = colour ? .bold : nil
        func heading(_ text: String) -> String { bold?.apply(to: text) ?? text }
        var out = ""
        if system.chains.count > 1 {
            out += heading(ReportIndex.title(system)) + "\n\n" + ReportIndex.table(system).text(headerStyle: bold, width: width) + "\n"
        }
        for analysis in system.chains.map(\.analysis) {
            out += heading("\(title(analysis.chain))  \(analysis.chain.file)") + "\n"
            out += summaryLine(analysis.summary) + "\n\n"
            if analysis.entries.isEmpty {
                out += ReportText.nothingToDo + "\n\n"
                continue
            }
            let entries = analysis.entries
            out += entryTable(analysis, reasonsOnLines: true).text(headerStyle: bold, width: width) { row, column in
                guard colour, column == 3 || column == 1 else { return nil }
                return style(for: entries[row].kind)
            } + "\n"
        }
        return out
    }

    /// The terminal colour of a kind.
    public static func style(for kind: LinkStatus) -> TextStyle {
        switch kind {
        case .fill: TextStyle.red.and(.bold)
        case .strengthen: .yellow
        case .extend: .cyan
        case .distant: .grey
        case .covered: .green
        }
    }


}
