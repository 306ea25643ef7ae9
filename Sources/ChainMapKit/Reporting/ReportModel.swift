/// What the report shows of one chain, computed once for every format: the analysis,
/// the directory of enterprises, the recommendations, the roadmap and the project lists.
///
/// Every list has a fixed order (no dictionary order, no dates), so the same input gives
/// the same document, byte for byte.
public struct ChainReport: Sendable {
    /// How much the report lists.
    public struct Options: Hashable, Sendable {
        /// Leads shown for each gap and weak link in section 5 and on the roadmap.
        public var leadsPerGap: Int
        /// At most this many leads in the whole ranked list (a million-row export can
        /// match tens of thousands); 0 lists them all.
        public var maxLeads: Int

        public init(leadsPerGap: Int = 3, maxLeads: Int = 300) {
            self.leadsPerGap = leadsPerGap
            self.maxLeads = maxLeads
        }
    }

    public let analysis: GapAnalysis
    public let summary: GapSummary
    /// The weights the leads were scored with.
    public let scoring: LeadScoring
    public let options: Options
    /// The map as SVG (the renderer's bytes, unchanged), or nil when it could not be drawn.
    public let mapSVG: [UInt8]?
    /// The SVG id of each link's node on the map, indexed like ``Chain/links``.
    public let mapElementIDs: [String]
    /// Why there is no map, when there is none.
    public let mapProblem: String?
    /// All recommended leads, best first, cut to ``Options/maxLeads``.
    public let leads: [Recommendation]
    /// How many leads were recommended before the cut.
    public let leadTotal: Int
    /// For each gap and weak link (in priority order), its best leads, at most
    /// ``Options/leadsPerGap``, best first for that link (as `chainmap leads` ranks them).
    public let gapLeads: [GapLeads]
    /// The phased roadmap (section 6).
    public let roadmap: ReportRoadmap
    /// The project lists by status (section 7).
    public let projects: ReportProjects
    /// The roster's placements (摸排名录), for review in section 3; nil without a roster.
    public let roster: ChainRoster?
    /// The project ledger's 项目推进与考核; nil when no ledger was read.
    public let ledger: ReportLedger?
    /// The 对标分析 against the chain's `benchmarks:`; nil without them.
    public let benchmark: ReportBenchmark?
    /// Where the listed leads are (section 5's region table and target map).
    public let targets: TargetDistribution
    /// The 招商目标分布图 as SVG, or nil when there are no leads or it could not be drawn.
    /// Set after the report is assembled by ``ReportBuilder/build(_:graphviz:graphvizProblem:figures:)``,
    /// which draws it from ``targets``.
    public internal(set) var targetMapSVG: [UInt8]?

    /// The name of the target map's file beside the report: `<id>-targets.svg` (or `.png`).
    public static func targetMapFile(_ chainID: String, _ format: OutputFormat) -> String {
        Chain.Figure.targets.file(chainID, format.fileExtension)
    }

    /// The leads a report lists: the recommendations, best first, cut to ``Options/maxLeads``.
    public static func shownLeads(_ chain: AnalysedChain, options: Options) -> [Recommendation] {
        let recommended = chain.recommendations
        let shown = options.maxLeads > 0 ? Array(recommended.prefix(options.maxLeads)) : recommended
        // Reasons a screening left for the lists (``LeadScreener/wordsReasons``) are worded here.
        guard let scorer = chain.screening?.reasonScorer else { return shown }
        return shown.map(scorer.withReasons)
    }

    /// A chapter after the seven that every report has.
    public enum Chapter: Hashable, Sendable { case ledger, benchmark }

    /// The chapters after the seven, in order, each with its anchor and its numbered
    /// title: 八、项目推进与考核 (with a ledger), then 对标分析 (with benchmarks).
    public var chapters: [(chapter: Chapter, id: String, title: String)] {
        var present: [(Chapter, String, String)] = []
        if ledger != nil { present.append((.ledger, ReportLedger.id, ReportLedger.name)) }
        if benchmark != nil { present.append((.benchmark, ReportBenchmark.id, ReportBenchmark.name)) }
        return present.enumerated().map { n, chapter in
            (chapter.0, chapter.1, ReportText.numeral(ReportText.sections.count + n + 1) + "、" + chapter.2)
        }
    }

    /// The numbered title of a chapter after the seven.
    public func title(of chapter: Chapter) -> String {
        chapters.first { $0.chapter == chapter }?.title ?? ""
    }

    public var chain: Chain { analysis.chain }

    /// Assembles the report of one analysed chain.
    ///
    /// - Parameters:
    ///   - chain: the chain's analysis and, when leads were screened, its screening; the
    ///     project lists take every lead with a status (``AnalysedChain/trackedLeads``).
    ///   - map: the map's SVG and the id of each link's node, or nil.
    ///   - mapProblem: why there is no map, shown in its place.
    ///   - chart: the ledger's quarterly chart as SVG, or nil; `chartProblem` says why not.
    public init(
        _ chain: AnalysedChain, map: (svg: [UInt8], elementIDs: [String])?, mapProblem: String? = nil,
        chart: [UInt8]? = nil, chartProblem: String? = nil, comparisonMap: [UInt8]? = nil, comparisonProblem: String? = nil,
        targetMap: [UInt8]? = nil, options: Options = Options()
    ) {
        let analysis = chain.analysis
        self.analysis = analysis
        self.summary = analysis.summary
        self.scoring = chain.screening?.scoring ?? LeadScoring()
        self.options = options
        self.mapSVG = map?.svg
        self.mapElementIDs = map?.elementIDs ?? analysis.chain.links.map { "link-\($0.id)" }
        self.mapProblem = map == nil ? (mapProblem ?? "全景图未能生成") : nil
        let recommended = chain.recommendations
        self.leadTotal = chain.screening?.recommendedCount ?? 0
        self.leads = Self.shownLeads(chain, options: options)
        self.targets = TargetDistribution(leads)
        self.targetMapSVG = targetMap
        let perGap = max(0, options.leadsPerGap)
        self.gapLeads = chain.screening?.perGap(limit: perGap)
            ?? analysis.entries.map { GapLeads(entry: $0, leads: [], matched: 0) }
        self.roadmap = ReportRoadmap(analysis: analysis, gapLeads: gapLeads, ledger: chain.ledger)
        self.projects = ReportProjects(chain: analysis.chain, tracked: chain.trackedLeads, recommended: recommended)
        self.roster = chain.roster
        self.ledger = chain.ledger.map { ReportLedger($0, chartSVG: chart, chartProblem: chartProblem) }
        self.benchmark = chain.comparison.map { ReportBenchmark($0, mapSVG: comparisonMap, mapProblem: comparisonProblem) }
    }

    /// The most placements the report lists (the rest are in `chainmap locate`).
    public static let rosterRows = 300

    /// The roster's placements as the report lists them, cut to ``rosterRows``.
    public var rosterTable: ReportTable? {
        guard let roster else { return nil }
        // The note names the roster files: a row gives its line (第 33 行), and its file's
        // name and line when there are several.
        let single = roster.files.count == 1
        var table = RosterReport.table(chain, roster) { place in
            var reference = Substring(place.rowReference)
            if let slash = reference.lastIndex(of: "/") { reference = reference[reference.index(after: slash)...] }
            guard single, let colon = reference.lastIndex(of: ":") else { return String(reference) }
            return "第 \(reference[reference.index(after: colon)...]) 行"
        }
        if table.rows.count > Self.rosterRows { table.rows = Array(table.rows.prefix(Self.rosterRows)) }
        return table
    }

    /// The status of a link.
    public func status(of ref: LinkRef) -> LinkStatus { analysis.status(of: ref) }

    /// The report's title: "新能源汽车动力电池产业链招商报告".
    public var title: String {
        ReportText.phrase(chain) + "招商报告"
    }

    /// The local enterprises of the chain that lead it (链主, then 龙头), ordered by
    /// link, then revenue (largest first), then file order.
    public var keyEnterprises: [Enterprise] { directory(anchors: true) }

    /// The supporting enterprises (配套), ordered like ``keyEnterprises``.
    public var supportingEnterprises: [Enterprise] { directory(anchors: false) }

    private func directory(anchors: Bool) -> [Enterprise] {
        let chain = self.chain
        // Position of a link on the chain: stage, then file order.
        func position(_ e: Enterprise) -> (Int, Int) {
            let first = e.links.min { (chain[$0].stage, $0.index) < (chain[$1].stage, $1.index) }
            guard let first else { return (Int.max, Int.max) }
            return (chain[first].stage, first.index)
        }
        return chain.enterprises.enumerated()
            .filter { $0.element.role.isAnchor == anchors }
            .sorted { a, b in
                let (x, y) = (a.element, b.element)
                if x.role.rank != y.role.rank { return x.role.rank < y.role.rank }
                let (px, py) = (position(x), position(y))
                if px != py { return px < py }
                if x.revenue != y.revenue { return (x.revenue ?? -1) > (y.revenue ?? -1) }
                return a.offset < b.offset
            }
            .map(\.element)
    }

    /// The names of links, joined by "、".
    public func linkNames(_ refs: [LinkRef]) -> String {
        refs.map { chain[$0].name }.joined(separator: "、")
    }

    /// The stages of links, without repeats, in stage order, joined by "、".
    public func stageNames(_ refs: [LinkRef]) -> String {
        Array(Set(refs.map { chain[$0].stage })).sorted().map { chain.stages[$0].name }.joined(separator: "、")
    }
}
