/// The report as Markdown: headings, paragraphs, pipe tables and one image — no HTML — so
/// that it pastes cleanly into a plan, and pandoc turns it into the DOCX.
public enum MarkdownReport {
    /// The report of one chain.
    ///
    /// - Parameters:
    ///   - mapImage: the file name of the map beside the document (`<id>.svg`; the DOCX
    ///     is made from a copy that names `<id>.png`), or nil for no image.
    ///   - chartImage: the file name of the ledger's quarterly chart beside the document
    ///     (`<id>-projects.svg`, or `.png` for the DOCX), or nil.
    ///   - compareImage: the file name of the 对标 map beside the document, or nil.
    ///   - imageSizes: pandoc's size attribute of an image by file name (`height=19cm`),
    ///     for the Word document, so that a tall figure fits its page.
    public static func document(
        _ report: ChainReport, mapImage: String?, mapPages: [String] = [], chartImage: String? = nil, compareImage: String? = nil,
        targetsImage: String? = nil, imageSizes: [String: String] = [:], forWord: Bool = false
    ) -> String {
        $sizes.withValue(imageSizes) {
            $word.withValue(forWord) {
                $pages.withValue(mapPages) {
                    body(report, mapImage: mapImage, chartImage: chartImage, compareImage: compareImage, targetsImage: targetsImage)
                }
            }
        }
    }

    static func body(_ report: ChainReport, mapImage: String?, chartImage: String?, compareImage: String?, targetsImage: String?) -> String {
        var out = "# \(MarkdownText.escape(report.title))\n\n"
        var subtitle = [report.chain.region, "产业链招商地图 · 缺失与薄弱环节 · 目标企业 · 发展路线图 · 项目清单"].compactMap { $0 }
        subtitle = subtitle.map(MarkdownText.escape)
        out += subtitle.joined(separator: " · ") + "\n\n"
        out += overview(report)
        out += map(report, image: mapImage)
        out += directory(report)
        out += gaps(report)
        out += leads(report, targetsImage: targetsImage)
        out += roadmap(report)
        out += projects(report)
        if let ledger = report.ledger { out += self.ledger(ledger, title: report.title(of: .ledger), image: chartImage) }
        if let benchmark = report.benchmark { out += self.benchmark(benchmark, title: report.title(of: .benchmark), image: compareImage) }
        out += "---\n\n" + MarkdownText.escape(ReportText.sourceNote(report)) + "\n"
        return out
    }

    /// The 产业体系 overview across chains, each linking to its document (`<id>.md`).
    public static func index(_ system: IndustrySystem, failed: [String] = []) -> String {
        var out = "# \(MarkdownText.escape(ReportIndex.title(system)))\n\n"
        out += MarkdownText.escape(ReportIndex.overview(system)) + "\n\n"
        if let note = ReportText.failedNote(failed) { out += MarkdownText.escape(note) + "\n\n" }
        out += "## 各产业链概况\n\n"
        if let line = ReportIndex.planLine(system) { out += MarkdownText.escape(line) + "\n\n" }
        let columns = ReportIndex.columns(system, grouped: true)
        let markup = Set(columns.indices.filter { columns[$0].content == .chain })
        func table(_ chains: [AnalysedChain]) -> String {
            let rows = chains.map { chain -> [String] in
                columns.map { column in
                    guard column.content == .chain else { return ReportIndex.cell(column, of: chain) }
                    return "[\(MarkdownText.escape(chain.chain.name))](\(MarkdownText.path(chain.chain.id + ".md")))"
                }
            }
            return MarkdownText.table(
                columns.map { MarkdownText.Column($0.title, width: $0.width, right: $0.numeric) }, rows: rows, markup: markup) + "\n"
        }
        if let groups = system.tierGroups {
            for group in groups {
                out += "### \(MarkdownText.escape(group.tier))（\(group.chains.count) 条）\n\n"
                let roles = group.chains.compactMap { chain in system.plan?.plan(of: chain.chain.id)?.role.map { "\(chain.chain.name)：\($0)" } }
                if !roles.isEmpty { out += MarkdownText.escape("定位：" + roles.joined(separator: "；")) + "\n\n" }
                out += table(group.chains)
            }
        } else {
            out += table(system.chains)
        }
        out += MarkdownText.escape(ReportText.completenessNote) + "\n\n"
        out += "## 各产业链首要任务\n\n"
        let tasks = ReportIndex.tasks(system).map { task -> [String] in
            [
                task.chain.chain.name, task.chain.chain[task.entry.link].name, task.entry.label,
                NumberText.tenths(task.entry.priority), task.best ?? "待挖掘",
            ]
        }
        out += tasks.isEmpty ? "各产业链均无缺失或薄弱环节。\n\n" : MarkdownText.table([
            .init("产业链", width: 3), .init("环节", width: 3), .init("类型"), .init("优先级", right: true),
            .init("首选目标企业", width: 4),
        ], rows: tasks) + "\n"
        if let goals = ReportIndex.goalsTable(system) {
            out += "## 发展目标\n\n" + goals.markdown + "\n"
            out += ReportIndex.goalRules(system).map { "- " + MarkdownText.escape($0) }.joined(separator: "\n") + "\n\n"
        }
        if !system.sharedLinks.isEmpty || !system.sharedEnterprises.isEmpty {
            out += "## 跨链共享的环节与企业\n\n"
            if !system.sharedLinks.isEmpty { out += ReportIndex.sharedLinksTable(system).markdown + "\n" }
            if !system.sharedEnterprises.isEmpty { out += ReportIndex.sharedEnterprisesTable(system).markdown + "\n" }
        }
        if let ledger = ReportLedger(system: system) {
            out += self.ledger(ledger, title: ReportLedger.systemTitle, image: nil, chart: false)
        }
        return out
    }

    // MARK: Sections

    /// The sizes of the images of the document being written (``document(_:mapImage:chartImage:compareImage:imageSizes:)``).
    @TaskLocal static var sizes: [String: String] = [:]
    /// Whether the document is the source of the Word report (pandoc): the map then gets
    /// a landscape A3 section of its own (``WordPage``).
    @TaskLocal static var word = false
    /// For Word, the map's pages when it is split by stage (each image on its own page).
    @TaskLocal static var pages: [String] = []

    /// An image paragraph: `![alt](path)`, with its size attribute when it has one.
    static func image(_ alt: String, _ path: String) -> String {
        "![\(MarkdownText.escape(alt))](\(MarkdownText.path(path)))" + (sizes[path].map { "{\($0)}" } ?? "") + "\n\n"
    }

    static func heading(_ section: Int) -> String {
        "## \(ReportText.sections[section])\n\n"
    }

    static func overview(_ report: ChainReport) -> String {
        var out = heading(0)
        out += MarkdownText.escape(ReportText.overview(report)) + "\n\n"
        out += MarkdownText.table(
            [.init("指标", width: 4), .init("数值", width: 4)],
            rows: ReportText.figures(report).map { [$0.0, $0.1] }) + "\n"
        out += MarkdownText.escape(ReportText.completenessNote) + "\n\n"
        out += "分阶段覆盖情况：\n\n"
        out += MarkdownText.table(stageColumns, rows: ReportText.stageRows(report)) + "\n"
        return out
    }

    static let stageColumns: [MarkdownText.Column] = [
        .init("阶段", width: 2), .init("环节", right: true), .init(GapSummary.presentTitle, right: true), .init("覆盖率", right: true),
    ] + ReportText.kinds.map { .init($0.label, right: true) }

    /// The map image's description: "新能源汽车动力电池产业链全景图", with "（第 1/2 页）" for
    /// one of its pages in Word.
    static func mapDescription(_ chain: Chain, page: Int? = nil, of count: Int = 1) -> String {
        ReportText.phrase(chain) + "全景图" + (page.map { "（第 \($0 + 1)/\(count) 页）" } ?? "")
    }

    static func map(_ report: ChainReport, image: String?) -> String {
        // In Word, the heading and the map stand on a landscape A3 page of their own.
        let landscape = word && image != nil && report.mapSVG != nil
        var out = landscape ? WordPage.endPortrait : ""
        out += heading(1)
        if landscape && !pages.isEmpty {
            for (n, page) in pages.enumerated() {
                if n > 0 { out += WordPage.pageBreak }
                out += self.image(mapDescription(report.chain, page: n, of: pages.count), page)
            }
            out += "图中由左至右为上游至下游，分 \(pages.count) 页；跨页的供给关系见「各环节一览」。节点的底色和边框表示环节状态（见图例），★ 标出链主、龙头企业，箭头表示供给关系。\n\n"
            out += WordPage.endLandscape
        } else if let image, report.mapSVG != nil {
            out += self.image(mapDescription(report.chain), image)
            out += "图中由左至右为上游至下游；节点的底色和边框表示环节状态（见图例），★ 标出链主、龙头企业，箭头表示供给关系。\n\n"
            if landscape { out += WordPage.endLandscape }
        } else if let problem = report.mapProblem {
            out += MarkdownText.escape("（全景图未能生成：\(problem)）") + "\n\n"
        }
        out += "各环节一览：\n\n"
        let chain = report.chain
        let refs = chain.linkRefs.sorted { (chain[$0].stage, $0.index) < (chain[$1].stage, $1.index) }
        let rows = refs.map { ref -> [String] in
            let link = chain[ref]
            return [
                chain.stages[link.stage].name, link.name, report.analysis.label(of: ref),
                ReportText.enterprises(on: ref, in: report),
                link.supplies.isEmpty ? "—" : report.linkNames(link.supplies),
            ]
        }
        out += MarkdownText.table([
            .init("阶段", width: 2), .init("环节", width: 3), .init("状态", width: 2),
            .init("本地企业", width: 6), .init("供给下游", width: 4),
        ], rows: rows) + "\n"
        return out
    }

    static func directory(_ report: ChainReport) -> String {
        var out = heading(2)
        out += "### （一）链主与重点企业名录\n\n"
        out += enterpriseTable(report.keyEnterprises, report, empty: "本地暂无链主或龙头企业。")
        out += "### （二）配套企业名录\n\n"
        out += enterpriseTable(report.supportingEnterprises, report, empty: "本地暂无配套企业。")
        if let roster = report.roster, let table = report.rosterTable {
            // Eleven columns do not fit a portrait page: in Word, the list has a landscape
            // A4 section of its own.
            let landscape = word && !table.rows.isEmpty
            if landscape { out += WordPage.endPortrait }
            out += "### （三）摸排名录落位（待核实）\n\n"
            out += MarkdownText.escape(ReportText.rosterNote(roster, shown: table.rows.count)) + "\n\n"
            if landscape {
                out += MarkdownText.$pageCharacters.withValue(WordPage.landscapeA4Characters) { table.markdown } + "\n"
                out += WordPage.endLandscapeA4
            } else if !table.rows.isEmpty {
                out += table.markdown + "\n"
            }
        }
        return out
    }

    static func enterpriseTable(_ enterprises: [Enterprise], _ report: ChainReport, empty: String) -> String {
        guard !enterprises.isEmpty else { return empty + "\n\n" }
        return ReportTables.enterprises(enterprises, report).markdown + "\n"
    }

    static func gaps(_ report: ChainReport) -> String {
        var out = heading(3)
        let entries = report.analysis.entries
        guard !entries.isEmpty else { return out + ReportText.nothingToDo + "\n\n" }
        let counts = ReportText.kinds.map { "\($0.label) \(report.summary.count($0))" }.joined(separator: "、")
        out += "共 \(entries.count) 个环节（\(counts)），按优先级由高到低排列（优先级 0–100，越大越急）。\n\n"
        out += ReportTables.gaps(report).markdown + "\n"
        return out
    }

    static func leads(_ report: ChainReport, targetsImage: String? = nil) -> String {
        var out = heading(4)
        out += "### （一）各环节推荐目标企业\n\n"
        if report.gapLeads.isEmpty {
            out += ReportText.nothingToDo + "\n\n"
        } else {
            out += "每个缺失与薄弱环节列出最合适的 \(report.options.leadsPerGap) 家目标企业。\(ReportText.perLinkScoreRule)\n\n"
            out += ReportTables.gapLeads(report).markdown + "\n"
        }
        out += "### （二）目标企业总排名\n\n"
        guard !report.leads.isEmpty else {
            return out + "暂无与缺失或薄弱环节匹配的招商线索。可用 --leads 导入企业数据库导出的名单。\n\n"
        }
        if let note = ReportText.cutNote(report) { out += MarkdownText.escape(note) + "\n\n" }
        out += ReportTables.leads(report).markdown + "\n"
        out += "### （三）目标企业区域分布\n\n"
        if let targetsImage { out += self.image(ReportText.targetMapCaption, targetsImage) }
        out += ReportTables.targetRegions(report).markdown + "\n"
        return out
    }

    static func roadmap(_ report: ChainReport) -> String {
        var out = heading(5)
        out += MarkdownText.escape(ReportText.roadmapRule) + "\n\n"
        for phase in report.roadmap.phases {
            out += "### \(MarkdownText.escape(ReportText.phaseTitle(phase)))\n\n"
            out += MarkdownText.escape(phase.goal) + "\n\n"
            guard !phase.items.isEmpty else {
                out += "本阶段暂无任务。\n\n"
                continue
            }
            out += ReportTables.roadmap(phase, report).markdown + "\n"
        }
        return out
    }

    /// The 项目推进与考核 section: of one chain, with its chart when `image` names it, or
    /// of the overview across chains.
    static func ledger(_ ledger: ReportLedger, title: String, image: String?, chart: Bool = true) -> String {
        var out = "## \(title)\n\n"
        out += MarkdownText.escape(ledger.overview) + "\n\n"
        out += MarkdownText.table(
            [.init("指标", width: 2), .init("数值", right: true), .init("说明", width: 4), .init("状态")],
            rows: ledger.cards.map { [$0.label, $0.value + ($0.unit.isEmpty ? "" : " " + $0.unit), $0.detail, $0.flag?.rawValue ?? "—"] }) + "\n"
        for (n, part) in ReportLedger.parts.enumerated() {
            switch part {
            case .targets:
                out += "### \(ReportLedger.number(n))年度目标完成情况\n\n"
                out += ledger.targetsTable.map { $0.markdown + "\n" } ?? "未设年度目标。\n\n"
            case .quarters:
                out += "### \(ReportLedger.number(n))季度推进\n\n"
                if let image {
                    out += self.image(ReportLedger.chartCaption, image)
                } else if chart, let problem = ledger.chartProblem {
                    out += MarkdownText.escape("（季度图未能生成：\(problem)）") + "\n\n"
                }
                out += ledger.quartersTable.markdown + "\n"
            case .measures:
                out += "### \(ReportLedger.number(n))\(ledger.measuresTitle)\n\n"
                out += ledger.measuresTable.markdown + "\n"
            case .alerts:
                out += "### \(ReportLedger.number(n))问题台账\n\n"
                out += ledger.alertsTable.rows.isEmpty ? "无。\n\n" : ledger.alertsTable.markdown + "\n"
            case .lists:
                for (k, list) in ledger.lists.enumerated() {
                    out += "### \(ReportLedger.number(n + k))\(list.name)（\(list.table.rows.count) 个）\n\n"
                    out += list.table.rows.isEmpty ? "暂无项目。\n\n" : list.table.markdown + "\n"
                }
            }
        }
        return out
    }

    /// The 对标分析 chapter: the paragraph, the map, the table, the summary, what is
    /// lacking, the unaligned links.
    static func benchmark(_ benchmark: ReportBenchmark, title: String, image: String?) -> String {
        let c = benchmark.comparison
        var out = "## \(title)\n\n" + MarkdownText.escape(ComparisonReport.overview(c)) + "\n\n"
        if let image {
            out += self.image(ReportBenchmark.caption, image)
        } else if let problem = benchmark.mapProblem {
            out += MarkdownText.escape("（对标图未能生成：\(problem)）") + "\n\n"
        }
        out += "### （一）逐环节对标\n\n" + ComparisonReport.table(c).markdown + "\n"
        out += "### （二）对标汇总\n\n" + ComparisonReport.summaryTable(c).markdown + "\n"
        out += MarkdownText.escape(ComparisonReport.lackingText(c)) + "\n\n"
        if !c.unaligned.isEmpty {
            out += "### （三）未对齐的环节\n\n" + ComparisonReport.unalignedTable(c).markdown + "\n"
        }
        return out
    }

    static func projects(_ report: ChainReport) -> String {
        var out = heading(6)
        out += "在库项目按跟进状态分为四张清单（无跟进状态的线索见第五部分）。\n\n"
        out += ReportTables.projectSummary(report).markdown + "\n"
        for (n, list) in report.projects.lists.enumerated() {
            out += "### （\(["一", "二", "三", "四"][n])）\(ReportText.listTitle(list))\n\n"
            guard !list.projects.isEmpty else {
                out += "暂无项目。\n\n"
                continue
            }
            out += ReportTables.projects(list, report).markdown + "\n"
        }
        return out
    }
}

/// The pages of the Word report: portrait A4 for the text, a landscape A3 section for the
/// map. A section ends at a paragraph that carries its properties (`w:sectPr`); the
/// Markdown for pandoc carries these paragraphs as raw OpenXML.
enum WordPage {
    /// The portrait A4 page of the reference document (twentieths of a point).
    static let portrait = "<w:pgSz w:w=\"11906\" w:h=\"16838\" /><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\" />"
    /// A landscape A3 page with 2 cm margins.
    static let landscapeA3 = "<w:pgSz w:w=\"23811\" w:h=\"16838\" w:orient=\"landscape\" /><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\" />"
    /// The map's room on that page, in cm.
    static let landscapeArea = PrintPage.wordMapArea
    /// A landscape A4 page with 2 cm margins, for a table too wide for the portrait page.
    static let landscapeA4 = "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\" /><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\" />"
    /// The width of that page's text in half-width characters, as
    /// ``MarkdownText/pageCharacters`` counts them: 84 × 25.7 cm / 15.6 cm (the portrait
    /// text width), rounded down.
    static let landscapeA4Characters = 138.0

    static func sectionEnd(_ page: String) -> String {
        "```{=openxml}\n<w:p><w:pPr><w:sectPr>\(page)</w:sectPr></w:pPr></w:p>\n```\n\n"
    }

    /// A page break inside a section.
    static let pageBreak = "```{=openxml}\n<w:p><w:r><w:br w:type=\"page\" /></w:r></w:p>\n```\n\n"

    /// Ends the portrait section before the map.
    static let endPortrait = sectionEnd(portrait)
    /// Ends the map's landscape section.
    static let endLandscape = sectionEnd(landscapeA3)
    /// Ends a wide table's landscape section.
    static let endLandscapeA4 = sectionEnd(landscapeA4)
}

