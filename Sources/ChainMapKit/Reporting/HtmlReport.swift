/// The report as one self-contained web page: the map inline as SVG, the style sheet and
/// the script inline, no web address anywhere — it opens on an offline intranet, prints on
/// A4, and pastes into Word.
public enum HtmlReport {
    /// The page of one chain.
    ///
    /// - Parameter indexPage: the file name of the overview page to link back to
    ///   (`index.html`), or nil when there is none.
    public static func page(_ report: ChainReport, indexPage: String? = nil) -> String {
        var page = Page(report: report)
        page.write(indexPage: indexPage)
        return page.out
    }

    /// The 产业体系 overview across chains, each linking to its page (`<id>.html`).
    public static func index(_ system: IndustrySystem, failed: [String] = []) -> String {
        let e = HtmlText.escape
        let title = ReportIndex.title(system)
        var out = head(title: title, theme: .standard)
        out += "<div class=\"page\">\n<header class=\"cover\">\n<div class=\"kicker\">产业链招商地图 · 产业体系</div>\n"
        out += "<h1>\(e(title))</h1>\n"
        out += "<div class=\"subtitle\">\(system.chains.count) 条重点产业链 · 覆盖率、完整度与补链强链延链任务</div>\n</header>\n"
        out += "<section class=\"chapter first\" id=\"system\">\n<h2>产业体系概况</h2>\n"
        out += "<p>\(e(ReportIndex.overview(system)))</p>\n"
        if let note = ReportText.failedNote(failed) { out += "<p class=\"note warn\">\(e(note))</p>\n" }
        out += kpis(system)
        if let line = ReportIndex.planLine(system) { out += "<p>\(e(line))</p>\n" }
        if let groups = system.tierGroups {
            for (n, group) in groups.enumerated() {
                out += "<h3>\(e(group.tier))<small>（\(group.chains.count) 条）</small></h3>\n"
                let roles = group.chains.compactMap { chain in system.plan?.plan(of: chain.chain.id)?.role.map { "\(chain.chain.name)：\($0)" } }
                if !roles.isEmpty { out += "<p class=\"note\">定位：\(e(roles.joined(separator: "；")))</p>\n" }
                out += chainsTable(system, group.chains, id: "chains-table-\(n + 1)")
            }
        } else {
            out += chainsTable(system, system.chains, id: "chains-table")
        }
        out += "<p class=\"note\">\(e(ReportText.completenessNote))点击产业链名称查看其招商报告。</p>\n</section>\n"

        out += "<section class=\"chapter\" id=\"tasks\">\n<h2>各产业链首要任务</h2>\n"
        var rows = ""
        for task in ReportIndex.tasks(system) {
            let chain = task.chain.chain
            rows += "<tr><td><a href=\"\(e(pathComponent(chain.id + ".html")))#gaps\">\(e(chain.name))</a></td>"
            rows += "<td class=\"name\">\(e(chain[task.entry.link].name))</td><td>\(badge(task.entry))</td>"
            rows += "<td class=\"num\">\(NumberText.tenths(task.entry.priority))</td>"
            rows += task.best.map { "<td>\(e($0))</td>" } ?? "<td class=\"muted\">待挖掘</td>"
            rows += "</tr>\n"
        }
        if rows.isEmpty {
            out += "<p>各产业链均无缺失或薄弱环节。</p>\n"
        } else {
            out += "<table>\n<thead><tr><th>产业链</th><th>环节</th><th>类型</th><th class=\"num\">优先级</th><th>首选目标企业</th></tr></thead>\n<tbody>\n\(rows)</tbody>\n</table>\n"
        }
        out += "</section>\n"
        if let goals = ReportIndex.goalsTable(system) {
            out += "<section class=\"chapter\" id=\"goals\">\n<h2>发展目标</h2>\n" + plainTable(goals, id: "goals-table")
            out += "<ul class=\"note\">" + ReportIndex.goalRules(system).map { "<li>\(e($0))</li>" }.joined() + "</ul>\n</section>\n"
        }
        if !system.sharedLinks.isEmpty || !system.sharedEnterprises.isEmpty {
            out += "<section class=\"chapter\" id=\"shared\">\n<h2>跨链共享的环节与企业</h2>\n"
            if !system.sharedLinks.isEmpty { out += plainTable(ReportIndex.sharedLinksTable(system), id: "shared-links") }
            if !system.sharedEnterprises.isEmpty { out += plainTable(ReportIndex.sharedEnterprisesTable(system), id: "shared-enterprises") }
            out += "</section>\n"
        }
        if let ledger = ReportLedger(system: system) {
            out += ledgerSection(ledger, title: ReportLedger.systemTitle, chart: false)
        }
        out += "<footer>本页由 chainmap 根据产业链文件生成；各产业链的报告与本页放在同一文件夹中。</footer>\n</div>\n"
        out += "<script>\n\(HtmlAssets.script)\n</script>\n</body>\n</html>\n"
        return out
    }

    /// The overview's table of some chains.
    static func chainsTable(_ system: IndustrySystem, _ chains: [AnalysedChain], id: String) -> String {
        let e = HtmlText.escape
        let columns = ReportIndex.columns(system, grouped: true)
        var out = ""
        out += "<table class=\"sortable\" id=\"\(id)\">\n<thead><tr>"
        for column in columns {
            switch column.content {
            case .task: out += "<th>\(e(column.title))</th>"
            case .chain, .region: out += "<th data-sort=\"text\">\(e(column.title))</th>"
            case .coverage: out += "<th data-sort=\"num\">\(e(column.title))</th>"
            default: out += "<th class=\"num\" data-sort=\"num\">\(e(column.title))</th>"
            }
        }
        out += "</tr></thead>\n<tbody>\n"
        for chain in chains {
            out += "<tr>"
            for column in columns {
                let text = ReportIndex.cell(column, of: chain)
                switch column.content {
                case .chain:
                    out += "<td class=\"name\"><a href=\"\(e(pathComponent(chain.chain.id + ".html")))\">\(e(text))</a></td>"
                case .region:
                    out += "<td class=\"nowrap\">\(e(text))</td>"
                case .coverage:
                    let share = chain.summary.coverage
                    out += "<td class=\"nowrap\" data-value=\"\(NumberText.tenths(share * 100))\">\(bar(share))\(e(text))</td>"
                case .task:
                    if let top = chain.analysis.entries.first {
                        out += "<td class=\"task\">\(badge(top)) \(e(chain.chain[top.link].name))</td>"
                    } else {
                        out += "<td class=\"muted\">—</td>"
                    }
                default:
                    out += "<td class=\"num\">\(e(text))</td>"
                }
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    // MARK: Shared pieces

    static func head(title: String, theme: MapTheme) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="chainmap">
        <title>\(HtmlText.escape(title))</title>
        <style>
        \(HtmlAssets.themeVariables(theme))\(HtmlAssets.styleSheet)
        </style>
        </head>
        <body>

        """
    }

    /// A kind as a coloured badge.
    static func badge(_ kind: LinkStatus, label: String? = nil) -> String {
        "<span class=\"badge k-\(kind.key)\">\(label ?? kind.label)</span>"
    }

    /// An entry's kind as a badge, with its word (在建补链 included).
    static func badge(_ entry: GapEntry) -> String { badge(entry.kind, label: entry.label) }

    /// A coverage bar.
    static func bar(_ share: Double) -> String {
        let width = NumberText.tenths(min(1, max(0, share)) * 100)
        return "<span class=\"bar\" aria-hidden=\"true\"><i style=\"width:\(width)%\"></i></span>"
    }

    /// A file name for an `href`: percent-encodes what would break the attribute or read
    /// as a scheme or a path (`:`, `/`, `?`, `#`, spaces …); Chinese stays as is.
    static func pathComponent(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars {
            let plain = scalar.isASCII
                ? (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.~".unicodeScalars.contains(scalar))
                : !(scalar.properties.generalCategory == .control || scalar.properties.isWhitespace)
            if plain {
                result.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 {
                    let hex = String(byte, radix: 16, uppercase: true)
                    result += "%" + (hex.count == 1 ? "0" : "") + hex
                }
            }
        }
        return result
    }

    static func kpis(_ system: IndustrySystem) -> String {
        let t = system.totals
        var out = "<div class=\"kpis\">\n"
        out += kpi("重点产业链", "\(t.chains)", unit: "条", detail: "共 \(t.links) 个环节")
        out += kpi("环节覆盖率", NumberText.percent(t.coverage), detail: "\(t.covered) / \(t.links) 个环节")
        for kind in ReportText.kinds {
            out += kpi(kind.label, "\(t.count(kind))", unit: "个", detail: kind.meaning, kind: kind)
        }
        out += kpi("本地企业", "\(t.enterprises)", unit: "家", detail: "链主、龙头 \(t.anchors) 家")
        out += kpi("目标企业", "\(t.leads)", unit: "家", detail: "在库项目 \(t.projects) 个")
        return out + "</div>\n"
    }

    static func kpi(_ label: String, _ value: String, unit: String? = nil, detail: String? = nil, kind: LinkStatus? = nil) -> String {
        let e = HtmlText.escape
        var out = "<div class=\"kpi\(kind.map { " k-" + $0.key } ?? "")\"><div class=\"label\">\(e(label))</div>"
        out += "<div class=\"value\">\(e(value))\(unit.map { "<small>\(e($0))</small>" } ?? "")</div>"
        if let detail { out += "<div class=\"detail\">\(e(detail))</div>" }
        return out + "</div>\n"
    }

    /// A table as it is: a header row and the cells, numbers right-aligned; a column of
    /// short words (a status, a role) never wraps.
    static func plainTable(_ table: ReportTable, id: String) -> String {
        let e = HtmlText.escape
        var out = "<table class=\"sortable\" id=\"\(id)\">\n<thead><tr>"
        for column in table.columns {
            out += column.isNumber ? "<th class=\"num\" data-sort=\"num\">" : "<th data-sort=\"text\">"
            out += e(column.title) + "</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        let short = table.columns.indices.map { c in
            table.columns[c].kind != .wrapped && table.rows.allSatisfy { c >= $0.count || $0[c].count <= 8 }
        }
        for row in table.rows {
            out += "<tr>"
            for (c, column) in table.columns.enumerated() {
                out += column.isNumber ? "<td class=\"num\">" : short[c] ? "<td class=\"nowrap\">" : "<td>"
                out += e(c < row.count ? row[c] : "") + "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// The 项目推进与考核 section: of one chain (with its quarterly chart), or of the
    /// overview across chains (`chart` false: the quarters as a table only).
    static func ledgerSection(_ ledger: ReportLedger, title: String, chart: Bool) -> String {
        let e = HtmlText.escape
        var out = "<section class=\"chapter\" id=\"\(ReportLedger.id)\">\n<h2>\(e(title))</h2>\n"
        out += "<p>\(e(ledger.overview))</p>\n<div class=\"kpis\">\n"
        for card in ledger.cards {
            out += "<div class=\"kpi\(card.flag.map { " flag-" + $0.key } ?? "")\"><div class=\"label\">\(e(card.label))</div>"
            out += "<div class=\"value\">\(e(card.value))\(card.unit.isEmpty ? "" : "<small>\(e(card.unit))</small>")"
            if let flag = card.flag { out += "<span class=\"flag flag-\(flag.key)\">\(e(flag.rawValue))</span>" }
            out += "</div><div class=\"detail\">\(e(card.detail))</div></div>\n"
        }
        out += "</div>\n"
        for (n, part) in ReportLedger.parts.enumerated() {
            switch part {
            case .targets:
                out += "<h3>\(ReportLedger.number(n))年度目标完成情况</h3>\n"
                out += ledger.targetsTable.map { plainTable($0, id: "targets-table") } ?? "<p class=\"note\">未设年度目标。</p>\n"
            case .quarters:
                out += "<h3>\(ReportLedger.number(n))季度推进</h3>\n"
                if chart, let bytes = ledger.chartSVG, let svg = HtmlText.inlineSVG(bytes) {
                    out += "<figure class=\"chart\">\n\(svg)\n<figcaption>图：\(e(ReportLedger.chartCaption))</figcaption>\n</figure>\n"
                } else if chart {
                    out += "<div class=\"map-missing\">季度图未能生成：\(e(ledger.chartProblem ?? ""))</div>\n"
                }
                out += plainTable(ledger.quartersTable, id: "quarters-table")
            case .measures:
                out += "<h3>\(ReportLedger.number(n))\(ledger.measuresTitle)</h3>\n"
                out += plainTable(ledger.measuresTable, id: "measures-table")
            case .alerts:
                out += "<h3>\(ReportLedger.number(n))问题台账</h3>\n"
                out += ledger.alertsTable.rows.isEmpty ? "<p class=\"note\">无待处理事项。</p>\n" : plainTable(ledger.alertsTable, id: "alerts-table")
            case .lists:
                for (k, list) in ledger.lists.enumerated() {
                    out += "<h3>\(ReportLedger.number(n + k))\(e(list.name))（\(list.table.rows.count) 个）</h3>\n"
                    out += list.table.rows.isEmpty ? "<p class=\"note\">暂无项目。</p>\n" : plainTable(list.table, id: "ledger-list-\(k + 1)")
                }
            }
        }
        return out + "</section>\n"
    }

    // MARK: The page of a chain

    struct Page {
        let report: ChainReport
        var out = ""

        var chain: Chain { report.chain }

        func e(_ text: String) -> String { HtmlText.escape(text) }

        /// The id of a link's node on the map, and of its rows.
        func node(_ ref: LinkRef) -> String { report.mapElementIDs[ref.index] }

        func stageKey(_ ref: LinkRef) -> String { "s\(chain[ref].stage)" }

        mutating func write(indexPage: String?) {
            let theme = MapTheme(style: chain.style)
            out += head(title: report.title + (chain.region.map { " · " + $0 } ?? ""), theme: theme)
            out += "<div class=\"page\">\n<header class=\"cover\">\n"
            out += "<div class=\"kicker\">产业链招商地图 · 招商报告</div>\n"
            out += "<h1>\(e(report.title))</h1>\n"
            var subtitle = [String]()
            if let region = chain.region { subtitle.append(e(region)) }
            subtitle.append("产业链全景图 · 缺失与薄弱环节 · 目标企业 · 发展路线图 · 项目清单")
            var back = ""
            if let indexPage {
                back = "<span class=\"screen-only\"> · <a href=\"\(e(pathComponent(indexPage)))\">返回产业体系总览</a></span>"
            }
            out += "<div class=\"subtitle\">\(subtitle.joined(separator: " · "))\(back)</div>\n</header>\n"
            out += "<nav class=\"toc\" aria-label=\"目录\"><ol>"
            for (title, id) in zip(ReportText.sections, ReportText.sectionIDs) {
                out += "<li><a href=\"#\(id)\">\(e(title))</a></li>"
            }
            for chapter in report.chapters {
                out += "<li><a href=\"#\(chapter.id)\">\(e(chapter.title))</a></li>"
            }
            out += "</ol></nav>\n"
            overview()
            map()
            directory()
            gaps()
            leads()
            roadmap()
            projects()
            if let ledger = report.ledger { self.ledger(ledger) }
            if let benchmark = report.benchmark { self.benchmark(benchmark) }
            out += "<footer>\(e(ReportText.sourceNote(report)))</footer>\n</div>\n"
            out += "<div id=\"tip\" class=\"tip\" hidden></div>\n"
            out += "<script type=\"application/json\" id=\"chainmap-links\">\n\(linkData())\n</script>\n"
            out += "<script>\n\(HtmlAssets.script)\n</script>\n</body>\n</html>\n"
        }

        mutating func open(_ section: Int) {
            let first = section == 0 ? " first" : ""
            out += "<section class=\"chapter\(first)\" id=\"\(ReportText.sectionIDs[section])\">\n<h2>\(e(ReportText.sections[section]))</h2>\n"
        }

        mutating func close() {
            out += "</section>\n"
        }

        // MARK: 1 概览

        mutating func overview() {
            open(0)
            let s = report.summary
            out += "<div class=\"kpis\">\n"
            out += kpi("环节覆盖率", NumberText.percent(s.coverage), detail: "\(s.coveredCount) / \(s.linkCount) 个环节已有本地企业")
            out += kpi("完整度指数", NumberText.tenths(s.completeness), detail: "满分 100，按战略权重加权")
            for kind in ReportText.kinds {
                out += kpi(kind.label, "\(s.count(kind))", unit: "个", detail: kind.meaning, kind: kind)
            }
            out += kpi("本地企业", "\(s.enterpriseCount)", unit: "家", detail: "链主、龙头 \(s.anchorCount) 家")
            out += kpi("目标企业", "\(report.leadTotal)", unit: "家", detail: "在库项目 \(report.projects.count) 个")
            out += "</div>\n"
            out += "<p>\(e(ReportText.overview(report)))</p>\n"
            out += "<table>\n<caption>分阶段覆盖情况</caption>\n<thead><tr><th>阶段</th><th class=\"num\">环节</th><th class=\"num\">\(GapSummary.presentTitle)</th><th>覆盖率</th>"
            for kind in ReportText.kinds { out += "<th class=\"num\">\(kind.label)</th>" }
            out += "</tr></thead>\n<tbody>\n"
            for row in ReportText.stageRows(report) {
                let covered = Double(row[2])! / Double(row[1])!
                out += "<tr><td class=\"name\">\(e(row[0]))</td><td class=\"num\">\(row[1])</td><td class=\"num\">\(row[2])</td>"
                out += "<td class=\"nowrap\">\(bar(covered))\(row[3])</td>"
                for cell in row.dropFirst(4) { out += "<td class=\"num\">\(cell)</td>" }
                out += "</tr>\n"
            }
            out += "</tbody>\n</table>\n"
            out += "<p class=\"note\">\(e(ReportText.completenessNote))</p>\n"
            close()
        }

        // MARK: 2 产业链全景图

        mutating func map() {
            open(1)
            if let bytes = report.mapSVG, let svg = HtmlText.inlineSVG(bytes) {
                out += "<div class=\"map-tools screen-only\"><span>将鼠标移到环节上，查看其状态、本地企业、原因和推荐目标企业；点击环节跳到明细。</span>"
                out += "<button type=\"button\" id=\"map-size\">原始大小</button></div>\n"
                out += "<figure class=\"map\">\n\(svg)\n"
                out += "<figcaption>图：\(e(ReportText.phrase(chain)))全景图。由左至右为上游至下游；节点的底色和边框表示环节状态（见图例），★ 标出链主、龙头企业，箭头表示供给关系。</figcaption>\n</figure>\n"
            } else {
                out += "<div class=\"map-missing\">全景图未能生成：\(e(report.mapProblem ?? "地图数据无效"))</div>\n"
            }
            out += "<table>\n<caption>各环节一览</caption>\n<thead><tr><th>阶段</th><th>环节</th><th>状态</th><th>本地企业</th><th>供给下游</th></tr></thead>\n<tbody>\n"
            let refs = chain.linkRefs.sorted { (chain[$0].stage, $0.index) < (chain[$1].stage, $1.index) }
            for ref in refs {
                let link = chain[ref]
                out += "<tr id=\"row-\(e(node(ref)))\"><td class=\"nowrap\">\(e(chain.stages[link.stage].name))</td><td class=\"name\">\(e(link.name))</td>"
                out += "<td>\(badge(report.status(of: ref), label: report.analysis.label(of: ref)))</td><td>\(enterprises(on: ref))</td>"
                out += "<td>\(link.supplies.isEmpty ? "<span class=\"muted\">—</span>" : e(report.linkNames(link.supplies)))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            close()
        }

        /// The enterprises of a link with their roles marked.
        func enterprises(on ref: LinkRef, limit: Int = 6) -> String {
            let local = report.analysis.enterprises(on: ref)
            if local.isEmpty { return "<span class=\"muted\">暂无</span>" }
            var parts = local.prefix(limit).map { enterprise in
                enterprise.role.isAnchor ? "\(e(enterprise.name)) <span class=\"role\">\(enterprise.role.rawValue)</span>" : e(enterprise.name)
            }
            if local.count > limit { parts.append("等 \(local.count) 家") }
            return parts.joined(separator: "、")
        }

        func tags(_ tags: [String]) -> String {
            tags.isEmpty ? "<span class=\"muted\">—</span>" : tags.map { "<span class=\"tag\">\(e($0))</span>" }.joined()
        }

        // MARK: 3 名录

        mutating func directory() {
            open(2)
            out += "<h3>（一）链主与重点企业名录</h3>\n"
            enterpriseTable(report.keyEnterprises, id: "key-table", empty: "本地暂无链主或龙头企业。")
            out += "<h3>（二）配套企业名录</h3>\n"
            enterpriseTable(report.supportingEnterprises, id: "supporting-table", empty: "本地暂无配套企业。")
            if let roster = report.roster, let table = report.rosterTable {
                out += "<h3>（三）摸排名录落位（待核实）</h3>\n"
                out += "<p>\(e(ReportText.rosterNote(roster, shown: table.rows.count)))</p>\n"
                if !table.rows.isEmpty { plainTable(table, id: "roster-table") }
            }
            close()
        }

        /// A table as it is (``HtmlReport/plainTable(_:id:)``).
        mutating func plainTable(_ table: ReportTable, id: String) {
            out += HtmlReport.plainTable(table, id: id)
        }

        mutating func enterpriseTable(_ list: [Enterprise], id: String, empty: String) {
            guard !list.isEmpty else {
                out += "<p>\(e(empty))</p>\n"
                return
            }
            out += "<table class=\"sortable\" id=\"\(id)\">\n<thead><tr><th class=\"num\" data-sort=\"num\">序号</th><th data-sort=\"text\">企业名称</th>"
            out += "<th data-sort=\"text\">类型</th><th data-sort=\"text\">所在环节</th><th data-sort=\"text\">阶段</th>"
            out += "<th class=\"num\" data-sort=\"num\">营收（亿元）</th><th>标签</th></tr></thead>\n<tbody>\n"
            for (n, enterprise) in list.enumerated() {
                let role = enterprise.role.isAnchor ? "<span class=\"role\">\(enterprise.role.rawValue)</span>" : enterprise.role.rawValue
                out += "<tr><td class=\"num\">\(n + 1)</td><td class=\"name\">\(e(enterprise.name))</td><td class=\"nowrap\">\(role)</td>"
                out += "<td>\(e(report.linkNames(enterprise.links)))</td><td class=\"nowrap\">\(e(report.stageNames(enterprise.links)))</td>"
                out += "<td class=\"num\" data-value=\"\(enterprise.revenue.map(NumberText.amount) ?? "")\">\(e(ReportText.amount(enterprise.revenue)))</td>"
                out += "<td>\(tags(enterprise.tags))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }

        // MARK: 4 缺失与薄弱环节

        /// A toolbar that filters a table by kind, stage and (optionally) status.
        mutating func toolbar(for table: String, kinds: [LinkStatus], stages: [Int], statuses: [String]? = nil) {
            out += "<div class=\"toolbar\" data-for=\"\(table)\">"
            out += "<label>类型 <select data-key=\"kind\"><option value=\"\">全部</option>"
            for kind in kinds { out += "<option value=\"\(kind.key)\">\(kind.label)</option>" }
            out += "</select></label>"
            out += "<label>阶段 <select data-key=\"stage\"><option value=\"\">全部</option>"
            for stage in stages { out += "<option value=\"s\(stage)\">\(e(chain.stages[stage].name))</option>" }
            out += "</select></label>"
            if let statuses {
                out += "<label>跟进状态 <select data-key=\"status\"><option value=\"\">全部</option>"
                for status in statuses { out += "<option value=\"\(e(status))\">\(e(status))</option>" }
                out += "</select></label>"
            }
            out += "<button type=\"button\" class=\"reset\">清除筛选</button><span class=\"count\"></span></div>\n"
        }

        mutating func gaps() {
            open(3)
            let entries = report.analysis.entries
            guard !entries.isEmpty else {
                out += "<p>\(ReportText.nothingToDo)</p>\n"
                close()
                return
            }
            let counts = ReportText.kinds.map { "\($0.label) \(report.summary.count($0))" }.joined(separator: "、")
            out += "<p>共 \(entries.count) 个缺失与薄弱环节（\(counts)），按优先级由高到低排列。优先级 0–100，越大越急，综合下游需求、链上位置和战略权重。</p>\n"
            let kinds = ReportText.kinds.filter { kind in entries.contains { $0.kind == kind } }
            let stages = Array(Set(entries.map { chain[$0.link].stage })).sorted()
            toolbar(for: "gap-table", kinds: kinds, stages: stages)
            out += "<table class=\"sortable\" id=\"gap-table\">\n<thead><tr><th class=\"num\" data-sort=\"num\">序号</th><th data-sort=\"text\">环节</th>"
            out += "<th data-sort=\"text\">阶段</th><th data-sort=\"text\">类型</th><th class=\"num\" data-sort=\"num\">优先级</th>"
            out += "<th>本地企业</th><th>理由</th></tr></thead>\n<tbody>\n"
            for (n, entry) in entries.enumerated() {
                let link = chain[entry.link]
                out += "<tr id=\"gap-\(e(node(entry.link)))\" data-kind=\"\(entry.kind.key)\" data-stage=\"\(stageKey(entry.link))\">"
                out += "<td class=\"num\">\(n + 1)</td><td class=\"name\">\(e(link.name))</td>"
                out += "<td class=\"nowrap\" data-value=\"\(link.stage)\">\(e(chain.stages[link.stage].name))</td>"
                out += "<td data-value=\"\(entry.kind.urgencyRank)\">\(badge(entry))</td>"
                out += "<td class=\"num\">\(NumberText.tenths(entry.priority))</td>"
                out += "<td>\(enterprises(on: entry.link, limit: 3))</td>"
                out += "<td><ul class=\"reasons\">\(entry.reasons.map { "<li>\(e($0))</li>" }.joined())</ul></td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            close()
        }

        // MARK: 5 招商目标企业推荐

        mutating func leads() {
            open(4)
            out += "<h3>（一）各环节推荐目标企业</h3>\n"
            if report.gapLeads.isEmpty {
                out += "<p>\(ReportText.nothingToDo)</p>\n"
            } else {
                out += "<p>每个缺失与薄弱环节列出最合适的 \(report.options.leadsPerGap) 家目标企业。\(e(ReportText.perLinkScoreRule))各项加分的理由见总排名。</p>\n"
                let kinds = ReportText.kinds.filter { kind in report.gapLeads.contains { $0.entry.kind == kind } }
                let stages = Array(Set(report.gapLeads.map { chain[$0.entry.link].stage })).sorted()
                toolbar(for: "gap-leads-table", kinds: kinds, stages: stages)
                out += "<table id=\"gap-leads-table\">\n<thead><tr><th>环节</th><th>类型</th><th class=\"num\">优先级</th>"
                out += "<th>目标企业</th><th class=\"num\">\(ReportText.perLinkScore)</th><th class=\"num\">匹配度</th><th>匹配依据</th></tr></thead>\n"
                for gap in report.gapLeads {
                    let link = chain[gap.entry.link]
                    let span = max(1, gap.leads.count)
                    out += "<tbody class=\"gap-group\" data-kind=\"\(gap.entry.kind.key)\" data-stage=\"\(stageKey(gap.entry.link))\">\n"
                    let head = "<td class=\"name gap-cell\" rowspan=\"\(span)\">\(e(link.name))</td><td class=\"gap-cell\" rowspan=\"\(span)\">\(badge(gap.entry))</td>"
                        + "<td class=\"num gap-cell\" rowspan=\"\(span)\">\(NumberText.tenths(gap.entry.priority))</td>"
                    if gap.leads.isEmpty {
                        out += "<tr>\(head)<td class=\"muted\">\(ReportText.noLeads)</td><td class=\"num muted\">—</td><td class=\"num muted\">—</td><td class=\"muted\">\(e(ReportText.searchHint(for: link)))</td></tr>\n"
                    }
                    for (k, lead) in gap.leads.enumerated() {
                        let match = lead.match(for: gap.entry.link)
                        let score = lead.score(for: gap.entry.link, scoring: report.scoring)
                        out += "<tr>\(k == 0 ? head : "")<td class=\"name\">\(e(lead.lead.name))</td><td class=\"num\">\(NumberText.tenths(score))</td>"
                        out += "<td class=\"num\">\(ReportText.strength(match?.strength))</td><td>\(e(lead.evidenceText(for: gap.entry.link) ?? "—"))</td></tr>\n"
                    }
                    out += "</tbody>\n"
                }
                out += "</table>\n"
            }

            out += "<h3>（二）目标企业总排名</h3>\n"
            guard !report.leads.isEmpty else {
                out += "<p>暂无与缺失或薄弱环节匹配的招商线索。可用 <code>--leads</code> 导入企业数据库导出的名单。</p>\n"
                close()
                return
            }
            if let note = ReportText.cutNote(report) { out += "<p class=\"note\">\(e(note))</p>\n" }
            let kinds = ReportText.kinds.filter { kind in report.leads.contains { $0.links.contains { report.status(of: $0) == kind } } }
            let stages = Array(Set(report.leads.flatMap { $0.links.map { chain[$0].stage } })).sorted()
            let statuses = Lead.Status.allCases.filter { status in report.leads.contains { $0.lead.status == status } }.map(\.rawValue)
                + (report.leads.contains { $0.lead.status == nil } ? ["未跟进"] : [])
            toolbar(for: "lead-table", kinds: kinds, stages: stages, statuses: statuses)
            out += "<table class=\"sortable\" id=\"lead-table\">\n<thead><tr><th class=\"num\" data-sort=\"num\">排名</th><th data-sort=\"text\">企业名称</th>"
            out += "<th>对接环节</th><th class=\"num\" data-sort=\"num\">得分</th><th data-sort=\"text\">省份</th><th>标签</th>"
            out += "<th data-sort=\"num\">状态</th><th>推荐理由</th></tr></thead>\n<tbody>\n"
            for (n, lead) in report.leads.enumerated() {
                let kinds = Array(Set(lead.links.map { (report.status(of: $0)).key })).sorted().joined(separator: " ")
                let stages = Array(Set(lead.links.map { chain[$0].stage })).sorted().map { "s\($0)" }.joined(separator: " ")
                let status = lead.lead.status?.rawValue ?? "未跟进"
                let statusOrder = lead.lead.status.map { Lead.Status.allCases.firstIndex(of: $0)! } ?? -1
                out += "<tr data-kind=\"\(kinds)\" data-stage=\"\(stages)\" data-status=\"\(e(status))\">"
                out += "<td class=\"num\">\(n + 1)</td><td class=\"name\">\(e(lead.lead.name))</td>"
                out += "<td>\(lead.links.map { "\(e(chain[$0].name)) \(report.status(of: $0) == .covered ? "" : badge(report.status(of: $0), label: report.analysis.label(of: $0)))" }.joined(separator: "<br>"))</td>"
                out += "<td class=\"num\">\(NumberText.tenths(lead.score))</td><td class=\"nowrap\">\(e(ReportText.province(lead.lead)))</td>"
                out += "<td>\(tags(lead.lead.tags))</td><td class=\"nowrap\" data-value=\"\(statusOrder)\">\(e(ReportText.status(lead.lead)))</td>"
                out += "<td><ul class=\"reasons\">\(lead.reasons.map { "<li>\(e($0))</li>" }.joined())</ul></td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
            out += "<h3>（三）目标企业区域分布</h3>\n"
            if let bytes = report.targetMapSVG, let svg = HtmlText.inlineSVG(bytes) {
                out += "<figure class=\"chart targets\">\n\(svg)\n<figcaption>图：\(e(ReportText.targetMapCaption))将鼠标移到省份上可看推荐企业。</figcaption>\n</figure>\n"
            }
            plainTable(ReportTables.targetRegions(report), id: "target-regions")
            close()
        }

        // MARK: 6 路线图

        mutating func roadmap() {
            open(5)
            out += "<p>\(e(ReportText.roadmapRule))</p>\n<div class=\"roadmap\">\n"
            for phase in report.roadmap.phases {
                let key = phase.kinds[0].key
                let window = phase.window.map { "<small class=\"window\">\(e($0))</small>" } ?? ""
                out += "<div class=\"phase k-\(key)\"><div class=\"head\">\(e(phase.term)) · \(e(phase.action))\(window)<small>\(phase.items.count) 个环节</small></div>"
                out += "<div class=\"body\"><p class=\"goal\">\(e(phase.goal))</p>"
                if phase.items.isEmpty {
                    out += "<span class=\"muted\">本阶段暂无任务</span>"
                }
                for item in phase.items {
                    out += "<span class=\"chip k-\(item.entry.kind.key)\">\(e(chain[item.entry.link].name))<b>\(NumberText.tenths(item.entry.priority))</b></span>"
                }
                out += "</div></div>\n"
            }
            out += "</div>\n"
            for phase in report.roadmap.phases {
                out += "<h3>\(e(ReportText.phaseTitle(phase)))</h3>\n"
                guard !phase.items.isEmpty else {
                    out += "<p class=\"note\">本阶段暂无任务。</p>\n"
                    continue
                }
                let timed = phase.items.contains { $0.timing != nil }
                out += "<table>\n<thead><tr><th class=\"num\">序号</th><th>环节</th><th>阶段</th><th>类型</th><th class=\"num\">优先级</th><th>主攻方向</th><th>目标企业</th>"
                out += (timed ? "<th>时间节点</th>" : "") + "</tr></thead>\n<tbody>\n"
                for (n, item) in phase.items.enumerated() {
                    let link = chain[item.entry.link]
                    out += "<tr><td class=\"num\">\(n + 1)</td><td class=\"name\">\(e(link.name))</td><td class=\"nowrap\">\(e(chain.stages[link.stage].name))</td>"
                    out += "<td>\(badge(item.entry))</td><td class=\"num\">\(NumberText.tenths(item.entry.priority))</td>"
                    out += "<td>\(e(item.measure))</td>"
                    out += item.leads.isEmpty ? "<td class=\"muted\">待挖掘</td>" : "<td>\(item.leads.map { e($0.lead.name) }.joined(separator: "<br>"))</td>"
                    if timed { out += "<td>\(e(item.timing ?? ""))</td>" }
                    out += "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            close()
        }

        // MARK: 7 项目清单

        mutating func projects() {
            open(6)
            out += "<p>在库项目按跟进状态分为推介、跟踪、签约、开工四张清单；尚无跟进状态的线索见第五部分。</p>\n<div class=\"funnel\">\n"
            for list in report.projects.lists {
                out += "<div class=\"stage\"><div class=\"name\">\(e(list.name))</div><div class=\"num\">\(list.projects.count)<small>个</small></div>"
                let invest = list.investmentCount > 0 ? "意向投资 \(NumberText.amount(list.investment)) 亿元" : "意向投资未填"
                out += "<div class=\"detail\">\(e(list.statuses.map(\.rawValue).joined(separator: "、"))) · \(e(invest))</div></div>\n"
            }
            out += "</div>\n"
            for (n, list) in report.projects.lists.enumerated() {
                out += "<h3>（\(["一", "二", "三", "四"][n])）\(e(ReportText.listTitle(list)))</h3>\n"
                guard !list.projects.isEmpty else {
                    out += "<p class=\"note\">暂无项目。</p>\n"
                    continue
                }
                out += "<table>\n<thead><tr><th class=\"num\">序号</th><th>企业名称</th><th>对接环节</th><th>省份</th><th>标签</th>"
                out += "<th class=\"num\">意向投资（亿元）</th><th>状态</th><th>配套关系</th></tr></thead>\n<tbody>\n"
                for (k, project) in list.projects.enumerated() {
                    out += "<tr><td class=\"num\">\(k + 1)</td><td class=\"name\">\(e(project.lead.name))</td>"
                    out += "<td>\(e(ReportText.leadLinks(project.links, in: report)))</td><td class=\"nowrap\">\(e(ReportText.province(project.lead)))</td>"
                    out += "<td>\(tags(project.lead.tags))</td><td class=\"num\">\(e(ReportText.amount(project.lead.invest)))</td>"
                    out += "<td class=\"nowrap\">\(e(ReportText.status(project.lead)))</td><td>\(e(ReportText.partner(project.lead)))</td></tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
            close()
        }

        // MARK: 8 项目推进与考核

        mutating func ledger(_ ledger: ReportLedger) {
            out += HtmlReport.ledgerSection(ledger, title: report.title(of: .ledger), chart: true)
        }

        // MARK: 对标分析

        mutating func benchmark(_ benchmark: ReportBenchmark) {
            let c = benchmark.comparison
            out += "<section class=\"chapter\" id=\"\(ReportBenchmark.id)\">\n<h2>\(e(report.title(of: .benchmark)))</h2>\n"
            out += "<p>\(e(ComparisonReport.overview(c)))</p>\n"
            if let bytes = benchmark.mapSVG, let svg = HtmlText.inlineSVG(bytes) {
                out += "<figure class=\"chart compare\">\n\(svg)\n<figcaption>图：\(e(ReportBenchmark.caption))</figcaption>\n</figure>\n"
            } else {
                out += "<div class=\"map-missing\">对标图未能生成：\(e(benchmark.mapProblem ?? ""))</div>\n"
                plainTable(ComparisonReport.table(c), id: "compare-table")
            }
            out += "<h3>（一）对标汇总</h3>\n"
            plainTable(ComparisonReport.summaryTable(c), id: "compare-summary")
            out += "<p>\(e(ComparisonReport.lackingText(c)))</p>\n"
            if !c.unaligned.isEmpty {
                out += "<h3>（二）未对齐的环节</h3>\n"
                plainTable(ComparisonReport.unalignedTable(c), id: "compare-unaligned")
            }
            close()
        }

        // MARK: The map's data

        /// One object per link for the hover panel, in file order.
        func linkData() -> String {
            let top = Dictionary(uniqueKeysWithValues: report.gapLeads.map { ($0.entry.link, $0.leads) })
            var items: [String] = []
            for ref in chain.linkRefs {
                let link = chain[ref]
                let status = report.status(of: ref)
                let entry = report.analysis.entry(for: ref)
                var meta = [chain.stages[link.stage].name]
                if let entry { meta.append("优先级 \(NumberText.tenths(entry.priority))") }
                if link.weight > 1 { meta.append("战略权重 \(link.weight)") }
                meta.append(status.meaning)
                let local = report.analysis.enterprises(on: ref)
                var names = local.prefix(8).map { $0.role.isAnchor ? "\($0.name)（\($0.role.rawValue)）" : $0.name }
                if local.count > 8 { names.append("等 \(local.count) 家") }
                let leads = (top[ref] ?? []).map { "\($0.lead.name)（得分 \(NumberText.tenths($0.score))）" }
                let row = entry != nil ? "gap-" + node(ref) : "row-" + node(ref)
                var fields = [
                    "\"node\":\(HtmlText.jsonString(node(ref)))",
                    "\"row\":\(HtmlText.jsonString(row))",
                    "\"name\":\(HtmlText.jsonString(link.name))",
                    "\"kind\":\(HtmlText.jsonString(status.key))",
                    "\"label\":\(HtmlText.jsonString(report.analysis.label(of: ref)))",
                    "\"meta\":\(HtmlText.jsonString(meta.joined(separator: " · ")))",
                    "\"enterprises\":\(HtmlText.jsonArray(names))",
                ]
                fields.append("\"reasons\":\(HtmlText.jsonArray(entry?.reasons ?? []))")
                fields.append("\"leads\":\(HtmlText.jsonArray(leads))")
                items.append("{" + fields.joined(separator: ",") + "}")
            }
            return "[\n" + items.joined(separator: ",\n") + "\n]"
        }
    }
}
