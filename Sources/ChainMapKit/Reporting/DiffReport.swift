/// The outputs of `chainmap diff`: the paragraph for a 年度总结, a table of the changes,
/// Markdown and JSON. They only read ``ChainDiff``.
public enum DiffReport {
    /// One row per change: 变化, 对象, 上一版, 本版.
    public static func table(_ d: ChainDiff) -> ReportTable {
        let old = d.before, new = d.after
        let oldByID = Dictionary(old.chain.links.map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        func was(_ ref: LinkRef) -> String {
            oldByID[new.chain[ref].id].map { old.label(of: $0) } ?? "（无此环节）"
        }
        var rows: [[String]] = []
        for ref in d.newlyCovered { rows.append(["新覆盖环节（补链成效）", new.chain[ref].name, was(ref), new.label(of: ref)]) }
        for ref in d.newlyWeak { rows.append(["新出现薄弱环节", new.chain[ref].name, was(ref), new.label(of: ref)]) }
        for ref in d.lost { rows.append(["失去本地企业的环节", new.chain[ref].name, was(ref), new.label(of: ref)]) }
        for enterprise in d.newLeaders {
            rows.append(["新增链主、龙头", enterprise.name, "—", enterprise.role.rawValue])
        }
        for lead in d.movedLeads { rows.append(["线索推进", lead.name, ChainDiff.word(lead.from), ChainDiff.word(lead.to)]) }
        rows.append(["覆盖率", "全链", NumberText.percent(d.coverage.before), NumberText.percent(d.coverage.after)])
        rows.append(["完整度", "全链", NumberText.tenths(d.completeness.before), NumberText.tenths(d.completeness.after)])
        return ReportTable(columns: [.init("变化", width: 3), .init("对象", width: 3), .init("上一版", width: 2), .init("本版", width: 2)], rows: rows)
    }

    /// The Markdown: a heading, the paragraph, the table.
    public static func markdown(_ d: ChainDiff) -> String {
        var out = "# \(MarkdownText.escape(ReportText.phrase(d.after.chain)))年度变化\n\n"
        out += MarkdownText.escape(d.paragraph) + "\n\n"
        out += table(d).markdown
        return out
    }

    /// The JSON: `newly_covered`, `newly_weak` and `lost` (link ids), `new_leaders`
    /// (enterprise names), `moved_leads` (each `name`, `from`, `to`; null for no status),
    /// `coverage` and `completeness` (each `before` and `after`), and `paragraph`.
    public static func json(_ d: ChainDiff) -> String {
        var out = JSONWriter()
        out.raw("{\n  "); out.key("chain"); out.string(d.after.chain.id)
        out.raw(",\n  "); out.key("newly_covered"); out.strings(d.ids(d.newlyCovered))
        out.raw(",\n  "); out.key("newly_weak"); out.strings(d.ids(d.newlyWeak))
        out.raw(",\n  "); out.key("lost"); out.strings(d.ids(d.lost))
        out.raw(",\n  "); out.key("added_links"); out.strings(d.ids(d.addedLinks))
        out.raw(",\n  "); out.key("removed_links"); out.strings(d.removedLinks)
        out.raw(",\n  "); out.key("new_leaders"); out.strings(d.newLeaders.map(\.name))
        out.raw(",\n  "); out.key("moved_leads"); out.raw("[")
        for (n, lead) in d.movedLeads.enumerated() {
            out.raw(n == 0 ? "{" : ", {")
            out.key("name"); out.string(lead.name)
            out.raw(", "); out.key("from"); out.optional(lead.from?.rawValue)
            out.raw(", "); out.key("to"); out.optional(lead.to?.rawValue)
            out.raw("}")
        }
        out.raw("]")
        for (key, pair, decimals) in [("coverage", d.coverage, 4), ("completeness", d.completeness, 1)] {
            out.raw(",\n  "); out.key(key); out.raw("{"); out.key("before"); out.number(pair.before, decimals: decimals)
            out.raw(", "); out.key("after"); out.number(pair.after, decimals: decimals); out.raw("}")
        }
        out.raw(",\n  "); out.key("paragraph"); out.string(d.paragraph)
        out.raw("\n}\n")
        return out.text
    }
}
