import Foundation

/// The outputs of `chainmap gaps`: the ranked gaps and weak links of one or more chains
/// as JSON, CSV, Markdown or terminal text, and the overview across chains.
public enum GapReport {
    /// One gap or weak link as `--json` writes it. The contract fixes `id`, `name`,
    /// `stage`, `kind`, `priority` and `reasons`; the other fields are additions.
    public struct Record: Hashable, Sendable, Encodable {
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

        /// The parts of the priority, rounded to 3 decimals.
        public struct Factors: Hashable, Sendable, Encodable {
            public var demand: Double
            public var demandScore: Double
            public var reach: Double
            public var pathShare: Double
            public var kindFactor: Double
        }

        enum CodingKeys: String, CodingKey {
            case chain, chainName, id, name, stage, kind, label, priority, reasons, weight, distance, enterprises, factors
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
            label = entry.kind.label
            priority = entry.priority
            reasons = entry.reasons
            weight = link.weight
            distance = entry.distance
            enterprises = chain.enterprisesByLink[entry.link.index].count
            let f = entry.factors
            factors = Factors(
                demand: Self.round3(f.demand), demandScore: Self.round3(f.demandScore),
                reach: Self.round3(f.reach), pathShare: Self.round3(f.pathShare),
                kindFactor: f.kindFactor)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(chain, forKey: .chain)
            try c.encode(chainName, forKey: .chainName)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(stage, forKey: .stage)
            try c.encode(kind, forKey: .kind)
            try c.encode(label, forKey: .label)
            try c.encode(priority, forKey: .priority)
            try c.encode(reasons, forKey: .reasons)
            try c.encode(weight, forKey: .weight)
            try c.encode(distance, forKey: .distance)  // null when unreachable
            try c.encode(enterprises, forKey: .enterprises)
            try c.encode(factors, forKey: .factors)
        }

        static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
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

    /// `--json`: one array of ``Record``s across all chains, highest priority first, keys
    /// sorted, pretty-printed, ending in a newline.
    public static func json(_ analyses: [GapAnalysis]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(records(analyses))) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `--csv`: one table across all chains, ordered as ``records(_:)``, reasons joined
    /// with `；`, with a UTF-8 byte order mark for Excel.
    public static func csv(_ analyses: [GapAnalysis]) -> String {
        var table = TextTable(headers: [
            "序号", "产业链", "环节ID", "环节", "阶段", "类型", "优先级", "距离", "战略权重", "本地企业数", "理由",
        ])
        for (n, r) in records(analyses).enumerated() {
            table.append([
                String(n + 1), r.chainName, r.id, r.name, r.stage, r.label, number(r.priority),
                r.distance.map(String.init) ?? "", String(r.weight), String(r.enterprises),
                r.reasons.joined(separator: "；"),
            ])
        }
        return table.csv()
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
                String(n + 1), link.name, analysis.chain.stages[link.stage].name, entry.kind.label,
                number(entry.priority), entry.reasons.joined(separator: reasonsOnLines ? "\n" : "；"),
            ])
        }
        return table
    }

    /// The region's industrial system at a glance: one row per chain with coverage,
    /// completeness, the count of each kind and the most urgent entry.
    public static func overviewTable(_ analyses: [GapAnalysis]) -> TextTable {
        var table = TextTable(
            headers: ["产业链", "地区", "环节", "已覆盖", "覆盖率", "完整度", "补链", "强链", "延链", "远期", "首要任务"],
            alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right, .right, .left])
        for analysis in analyses {
            let s = analysis.summary
            let top = analysis.entries.first.map {
                "\(analysis.chain[$0.link].name)（\($0.kind.label) \(number($0.priority))）"
            } ?? "—"
            table.append([
                s.chainName, s.region ?? "", String(s.linkCount), String(s.coveredCount),
                percent(s.coverage), number(s.completeness), String(s.count(.fill)),
                String(s.count(.strengthen)), String(s.count(.extend)), String(s.count(.distant)), top,
            ])
        }
        return table
    }

    /// One sentence a planner can paste: "覆盖率 66.7%（8/12 个环节已有本地企业）；完整度
    /// 58.3；补链 2、强链 3、延链 1、远期 1；本地企业 10 家，其中链主/龙头 2 家".
    public static func summaryLine(_ s: GapSummary) -> String {
        let kinds = [LinkStatus.fill, .strengthen, .extend, .distant]
            .map { "\($0.label) \(s.count($0))" }.joined(separator: "、")
        return "覆盖率 \(percent(s.coverage))（\(s.coveredCount)/\(s.linkCount) 个环节已有本地企业）；"
            + "完整度 \(number(s.completeness))；\(kinds)；"
            + "本地企业 \(s.enterpriseCount) 家，其中链主/龙头 \(s.anchorCount) 家"
    }

    /// The title of a chain's section: "新能源汽车动力电池（示例市）".
    public static func title(_ chain: Chain) -> String {
        chain.region.map { "\(chain.name)（\($0)）" } ?? chain.name
    }

    /// `--markdown`: for several chains an overview table first, then per chain its
    /// summary and its ranked entries.
    public static func markdown(_ analyses: [GapAnalysis]) -> String {
        var out = ""
        if analyses.count > 1 {
            out += "## 产业体系总览\n\n" + overviewTable(analyses).markdown() + "\n"
        }
        for analysis in analyses {
            out += "## \(title(analysis.chain))：缺失与薄弱环节\n\n"
            out += summaryLine(analysis.summary) + "。\n\n"
            out += analysis.entries.isEmpty
                ? "所有环节均已覆盖，且无薄弱环节。\n\n"
                : entryTable(analysis, reasonsOnLines: false).markdown() + "\n"
        }
        return out
    }

    /// The default output: for several chains an overview table first, then per chain a
    /// heading, its summary and its entries with one reason per line. With `colour`, the
    /// kinds are coloured (补链 red, 强链 yellow, 延链 cyan, 远期 grey) with ANSI codes.
    public static func text(_ analyses: [GapAnalysis], colour: Bool) -> String {
        let bold: TextStyle? = colour ? .bold : nil
        func heading(_ text: String) -> String { bold?.apply(to: text) ?? text }
        var out = ""
        if analyses.count > 1 {
            out += heading("产业体系总览") + "\n\n" + overviewTable(analyses).text(headerStyle: bold) + "\n"
        }
        for analysis in analyses {
            out += heading("\(title(analysis.chain))  \(analysis.chain.file)") + "\n"
            out += summaryLine(analysis.summary) + "\n\n"
            if analysis.entries.isEmpty {
                out += "所有环节均已覆盖，且无薄弱环节。\n\n"
                continue
            }
            let entries = analysis.entries
            out += entryTable(analysis, reasonsOnLines: true).text(headerStyle: bold) { row, column in
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

    /// 72.3 → "72.3", 60 → "60.0".
    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    /// 0.667 → "66.7%".
    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }
}
