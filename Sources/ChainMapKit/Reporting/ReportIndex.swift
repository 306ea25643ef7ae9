/// The 产业体系 overview across chains (`index.html`, `index.md`): what every format of
/// the index shares.
public enum ReportIndex {
    /// "示例市产业体系总览", or "产业体系总览" when the chains name different regions or none.
    public static func title(_ reports: [ChainReport]) -> String {
        (commonRegion(reports) ?? "") + "产业体系总览"
    }

    /// The region every chain names, if they all name the same one.
    static func commonRegion(_ reports: [ChainReport]) -> String? {
        let regions = Set(reports.map { $0.chain.region ?? "" })
        guard regions.count == 1, let region = regions.first, !region.isEmpty else { return nil }
        return region
    }

    /// One paragraph across all chains.
    static func overview(_ reports: [ChainReport]) -> String {
        let links = reports.reduce(0) { $0 + $1.summary.linkCount }
        let covered = reports.reduce(0) { $0 + $1.summary.coveredCount }
        let enterprises = reports.reduce(0) { $0 + $1.summary.enterpriseCount }
        let anchors = reports.reduce(0) { $0 + $1.summary.anchorCount }
        let leads = reports.reduce(0) { $0 + $1.leadTotal }
        let projects = reports.reduce(0) { $0 + $1.projects.count }
        func count(_ kind: LinkStatus) -> Int { reports.reduce(0) { $0 + $1.summary.count(kind) } }
        var text = "本产业体系共 \(reports.count) 条重点产业链、\(links) 个环节，本地已覆盖 \(covered) 个"
        text += "（覆盖率 \(ReportNumber.percent(links == 0 ? 0 : Double(covered) / Double(links)))）。"
        text += "需补链 \(count(.fill)) 个、强链 \(count(.strengthen)) 个、延链 \(count(.extend)) 个、远期布局 \(count(.distant)) 个；"
        text += "本地企业 \(enterprises) 家（链主、龙头 \(anchors) 家），推荐招商目标企业 \(leads) 家，在库项目 \(projects) 个。"
        if let weakest = reports.min(by: { ($0.summary.completeness, $0.chain.id) < ($1.summary.completeness, $1.chain.id) }), reports.count > 1 {
            text += "完整度最低的是\(weakest.chain.name)（\(ReportNumber.fixed(weakest.summary.completeness))），宜优先补链。"
        }
        return text
    }

    /// The cells of a chain's row: 产业链, 地区, 环节, 已覆盖, 覆盖率, 完整度, 补链, 强链,
    /// 延链, 远期, 本地企业, 目标企业, 首要任务.
    static func row(_ report: ChainReport) -> [String] {
        let s = report.summary
        let top = report.analysis.entries.first.map {
            "\($0.kind.label)「\(report.chain[$0.link].name)」"
        } ?? "—"
        return [
            report.chain.name, report.chain.region ?? "—", "\(s.linkCount)", "\(s.coveredCount)",
            ReportNumber.percent(s.coverage), ReportNumber.fixed(s.completeness),
            "\(s.count(.fill))", "\(s.count(.strengthen))", "\(s.count(.extend))", "\(s.count(.distant))",
            "\(s.enterpriseCount)", "\(report.leadTotal)", top,
        ]
    }
}
