import Foundation
/// The words of the report that every format shares: section titles, the overview
/// paragraph, the meanings of the kinds, the cells of the tables.
public enum ReportText {
    /// The seven sections, numbered as Chinese plans number them.
    public static let sections = [
        "一、概览",
        "二、产业链全景图",
        "三、重点企业和配套企业名录",
        "四、缺失与薄弱环节",
        "五、招商目标企业推荐",
        "六、产业生态发展路线图",
        "七、项目清单",
    ]

    /// A number in Chinese as plans number their chapters: 1 → 一, 8 → 八, 10 → 十, 12 → 十二.
    public static func numeral(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 100 else { return "\(n)" }
        if n < 10 { return digits[n] }
        return (n / 10 == 1 ? "" : digits[n / 10]) + "十" + digits[n % 10]
    }

    /// The target map's title: "新能源汽车动力电池产业链招商目标分布图（推荐目标企业 63 家）".
    public static func targetMapTitle(_ chain: Chain, count: Int) -> String {
        phrase(chain) + "招商目标分布图（推荐目标企业 \(count) 家）"
    }

    /// The target map's caption.
    public static let targetMapCaption = "招商目标分布图：每个省份（境外按区域）推荐目标企业的数量，颜色越深越多；红框为目标区域。"

    /// The anchor of each section in the web page.
    static let sectionIDs = ["overview", "map", "directory", "gaps", "leads", "roadmap", "projects"]

    /// The kinds in the order planners work through them.
    public static let kinds = LinkStatus.kinds

    /// The heading of a lead's score for one link, which the per-gap views sort by.
    public static let perLinkScore = "本环节得分"

    /// How the per-gap views rank: the rule, one sentence.
    public static let perLinkScoreRule = "各环节的目标企业按「本环节得分」排序：对本环节的匹配度 × 60 分，加企业层级、规模、以商引商、目标区域和项目阶段的加分（与总排名的加分相同）。"

    /// What the overview says of the chains whose reports could not be written (they are
    /// left out of it, so that it never links to a page that does not exist).
    public static func failedNote(_ failed: [String]) -> String? {
        failed.isEmpty ? nil : "以下产业链的报告未能生成，未列入本页：\(failed.joined(separator: "、"))。"
    }

    /// What a gap without a matching lead says in the per-gap views.
    public static let noLeads = "暂无匹配线索"

    /// Where to look for enterprises on a link: its first keywords and industry code,
    /// "按「电解液」「溶剂」等关键词、行业代码 C2669 检索企业数据库".
    public static func searchHint(for link: Link) -> String {
        var terms: [String] = []
        if !link.keywords.isEmpty {
            terms.append("按" + link.keywords.prefix(2).map { "「\($0)」" }.joined() + (link.keywords.count > 2 ? "等关键词" : "关键词"))
        }
        if let code = link.codes.first {
            terms.append((terms.isEmpty ? "按" : "") + "行业代码 \(code)")
        }
        return terms.isEmpty ? "按环节名称「\(link.name)」检索企业数据库" : terms.joined(separator: "、") + " 检索企业数据库"
    }

    /// What a chain without gaps or weak links is told.
    public static let nothingToDo = "所有环节均已覆盖，且无薄弱环节。"

    /// The chain as a phrase: "新能源汽车动力电池产业链"; a name that ends in 链 stays as it is.
    public static func phrase(_ chain: Chain) -> String {
        chain.name.hasSuffix("链") ? chain.name : chain.name + "产业链"
    }

    /// The overview in one paragraph.
    static func overview(_ report: ChainReport) -> String {
        let s = report.summary
        let chain = report.chain
        var text = chain.region ?? ""
        text += "\(phrase(chain))共梳理 \(s.linkCount) 个环节，其中 \(s.coveredCount) 个已有本地企业（覆盖率 \(NumberText.percent(s.coverage))），"
        text += "产业链完整度指数 \(NumberText.tenths(s.completeness))。"
        let gaps = s.count(.fill) + s.count(.extend) + s.count(.distant)
        if gaps + s.count(.strengthen) == 0 {
            text += nothingToDo
        } else {
            text += "缺失环节 \(gaps) 个、薄弱环节 \(s.count(.strengthen)) 个，其中需补链 \(s.count(.fill)) 个、强链 \(s.count(.strengthen)) 个、延链 \(s.count(.extend)) 个、远期布局 \(s.count(.distant)) 个。"
        }
        text += "本地企业 \(s.enterpriseCount) 家，其中链主、龙头企业 \(s.anchorCount) 家。"
        if report.leadTotal > 0 {
            text += "经筛选，推荐招商目标企业 \(report.leadTotal) 家"
            if let top = report.analysis.entries.first {
                text += "；首要任务为\(top.label)「\(chain[top.link].name)」（优先级 \(NumberText.tenths(top.priority))）"
            }
            text += "。"
        } else if let top = report.analysis.entries.first {
            text += "首要任务为\(top.label)「\(chain[top.link].name)」（优先级 \(NumberText.tenths(top.priority))）。"
        }
        let counts = report.projects.lists.map { "\($0.name.dropLast(2)) \($0.projects.count)" }.joined(separator: "、")
        if report.projects.count > 0 {
            text += "在库项目 \(report.projects.count) 个（\(counts)）。"
        }
        return text
    }

    /// The rows of the key-figures table: (指标, 数值).
    static func figures(_ report: ChainReport) -> [(String, String)] {
        let s = report.summary
        var rows: [(String, String)] = [("产业链", report.chain.name)]
        if let region = report.chain.region { rows.append(("地区", region)) }
        rows.append(("环节总数", "\(s.linkCount) 个"))
        rows.append((GapSummary.presentTitle, "\(s.coveredCount) 个（覆盖率 \(NumberText.percent(s.coverage))）"))
        rows.append(("产业链完整度指数", NumberText.tenths(s.completeness)))
        for kind in kinds {
            rows.append(("\(kind.label)（\(kind.meaning)）", "\(s.count(kind)) 个"))
        }
        rows.append(("本地企业", "\(s.enterpriseCount) 家（链主、龙头 \(s.anchorCount) 家）"))
        rows.append(("推荐目标企业", "\(report.leadTotal) 家"))
        rows.append(("在库项目", "\(report.projects.count) 个"))
        return rows
    }

    /// How the completeness index is computed, one sentence.
    static let completenessNote =
        "完整度指数按各环节战略权重加权：\(LinkStatus.covered.condition)计 1，\(LinkStatus.strengthen.condition)计 0.5，\(LinkStatus.fill.condition)计 0，满分 100。"

    /// Per stage: (stage, links, covered, fill, strengthen, extend, distant).
    static func stageRows(_ report: ChainReport) -> [[String]] {
        let chain = report.chain
        return chain.stages.compactMap { stage in
            let refs = chain.linkRefs.filter { chain[$0].stage == stage.index }
            guard !refs.isEmpty else { return nil }
            let covered = refs.filter(chain.isCovered).count
            var row = [stage.name, "\(refs.count)", "\(covered)", NumberText.percent(Double(covered) / Double(refs.count))]
            row += kinds.map { kind in "\(refs.filter { report.status(of: $0) == kind }.count)" }
            return row
        }
    }

    /// The local enterprises of a link, in the listing order (``GapAnalysis/enterprises(on:)``),
    /// 链主 and 龙头 marked: "示例公司（链主）、…".
    static func enterprises(on ref: LinkRef, in report: ChainReport, limit: Int = 6) -> String {
        let local = report.analysis.enterprises(on: ref)
        if local.isEmpty { return "—" }
        let names = local.prefix(limit).map { $0.role.isAnchor ? "\($0.name)（\($0.role.rawValue)）" : $0.name }
        return names.joined(separator: "、") + (local.count > limit ? " 等 \(local.count) 家" : "")
    }

    /// "320" or "—".
    static func amount(_ value: Double?) -> String {
        value.map(NumberText.amount) ?? "—"
    }

    /// Tags joined by "、", or "—".
    /// The paragraph above the roster's placements in the report.
    static func rosterNote(_ roster: ChainRoster, shown: Int) -> String {
        var text = "本章名录含摸排名录（\(roster.files.map { ($0 as NSString).lastPathComponent }.joined(separator: "、"))）中按行业代码和经营范围落位的企业，"
        text += "置信度不低于 \(NumberText.fixed(roster.options.threshold, 2)) 的计入覆盖。" + RosterReport.summary(roster) + "。"
        text += "下表逐家列出落位、依据和建议角色，请核实后写入产业链文件（chainmap locate --yaml 可生成）。"
        let total = roster.placements.reduce(0) { $0 + $1.matches.count }
        if shown < total { text += "表中列出前 \(shown) 行，共 \(total) 行。" }
        return text
    }

    static func tags(_ tags: [String]) -> String {
        tags.isEmpty ? "—" : tags.joined(separator: "、")
    }

    /// A match strength: "1.00", "0.45", or "—".
    static func strength(_ value: Double?) -> String {
        value.map { NumberText.fixed($0, 2) } ?? "—"
    }

    /// A lead's status, or "—".
    static func status(_ lead: Lead) -> String {
        lead.status?.rawValue ?? "—"
    }

    /// A lead's province, or "—".
    static func province(_ lead: Lead) -> String {
        lead.province.map { $0.isEmpty ? "—" : $0 } ?? "—"
    }

    /// "以商引商：示例动力电池有限公司", or "—".
    static func partner(_ lead: Lead) -> String {
        lead.partner.map { "以商引商：\($0)" } ?? "—"
    }

    /// The links of a lead, each with its kind: "电解液（补链）、六氟磷酸锂（延链）".
    static func leadLinks(_ links: [LinkRef], in report: ChainReport) -> String {
        if links.isEmpty { return "—" }
        return links.map { ref in
            let status = report.status(of: ref)
            return status == .covered ? report.chain[ref].name : "\(report.chain[ref].name)（\(report.analysis.label(of: ref))）"
        }.joined(separator: "、")
    }

    /// The title of a project list: "推介清单（线索、接洽）".
    static func listTitle(_ list: ReportProjects.List) -> String {
        "\(list.name)（\(list.statuses.map(\.rawValue).joined(separator: "、"))）"
    }

    /// The roadmap's derivation, one sentence.
    static let roadmapRule = "路线图由缺失与薄弱环节的类型和优先级推导：近期补链，按优先级招引直接配套本地企业的缺失环节；中期强链，做强本地已有但薄弱的环节；远期延链，向紧邻本地产业的环节延伸，并谋划距离较远的环节。"

    /// The line under a phase's heading: "近期 · 补链（3 个环节）".
    static func phaseTitle(_ phase: ReportRoadmap.Phase) -> String {
        "\(phase.term)\(phase.window.map { "（\($0)）" } ?? "")：\(phase.action)（\(phase.items.count) 个环节）"
    }

    /// The 目标企业 cell of a roadmap item.
    static func targets(_ leads: [Recommendation]) -> String {
        leads.isEmpty ? "待挖掘" : leads.map(\.lead.name).joined(separator: "、")
    }

    /// What the page says under the ranked list when it was cut.
    static func cutNote(_ report: ChainReport) -> String? {
        guard report.leads.count < report.leadTotal else { return nil }
        return "共推荐 \(report.leadTotal) 家，此处列出得分最高的 \(report.leads.count) 家；完整名单请用 chainmap leads 导出。"
    }

    /// The note at the end: where the report comes from.
    static func sourceNote(_ report: ChainReport) -> String {
        let file = report.chain.file.split(separator: "/").last.map(String.init) ?? report.chain.file
        return "本报告由 chainmap 根据产业链文件 \(file) 生成；优先级、得分和理由的算法见 chainmap 文档（docs/analysis.md、docs/report.md）。"
    }
}
