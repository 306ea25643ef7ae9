import Foundation
import Synchronization

/// The outputs of `chainmap leads`: the ranked 招商目标企业名录 and the per-gap view as
/// terminal text or Markdown, the list as JSON (the contract's fields) or as CSV for Excel.
public enum LeadReport {
    // MARK: JSON

    /// A JSON array, best first, of objects with the contract's `name`, `links` (matched
    /// gap and weak-link ids, best first), `score` and `reasons`, and also `matches`
    /// (per link: id, name, kind, priority, strength, evidence), `points` (the parts of
    /// the score), the lead's fields, `source` (FILE:LINE) and `extra` (pass-through
    /// columns). `limit` keeps the first so many.
    public static func json(_ screening: LeadScreening, limit: Int? = nil) -> String {
        var bytes: [UInt8] = []
        writeJSON(screening, limit: limit) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``json(_:limit:)`` handed to `write` in pieces, rendered in batches on every core,
    /// so that a large list is written fast and never held whole in memory.
    public static func writeJSON(_ screening: LeadScreening, limit: Int? = nil, to write: (ArraySlice<UInt8>) -> Void) {
        let chain = screening.analysis.chain
        let analysis = screening.analysis
        var priority = [Double](repeating: 0, count: chain.links.count)
        for entry in analysis.entries { priority[entry.link.index] = entry.priority }
        // What every match to a link starts with, and each link's id as a string, written
        // once per link.
        let linkPrefix = JSONPieces(chain.links) { link, out in
            out.raw("{"); out.key("id"); out.string(link.id)
            out.raw(", "); out.key("name"); out.string(link.name)
            out.raw(", "); out.key("kind"); out.string(analysis.statuses[link.ref.index].key)
            out.raw(", "); out.key("priority"); out.number(priority[link.ref.index], decimals: 1)
            out.raw(", "); out.key("strength")
        }
        let linkID = JSONPieces(chain.links) { link, out in out.string(link.id) }
        let list = ranked(screening, limit)
        write(Array("[".utf8)[...])
        JSONWriter.renderInParts(count: list.count, write: write) { range, out in
            // Records are read in place, never copied: a copy retained each of a record's
            // parts, and the parts shared by every record (the file name, the pass-through
            // names) from both cores at once. Passed from the list's buffer, each record
            // was still copied (the compiler cannot tell that the call leaves that memory
            // alone), so each is moved out of its place for the call and straight back:
            // its bits are the same before and after, and no other code reads the list
            // meanwhile (each part has its own records).
            list.withUnsafeBufferPointer { list in
                let records = UnsafeMutablePointer(mutating: list.baseAddress)
                linkPrefix.withView { linkPrefix in
                    linkID.withView { linkID in
                        var words: [UInt8] = []
                        words.reserveCapacity(256)
                        var extraKeys = ExtraKeys()
                        for n in range {
                            out.literal(n == 0 ? "\n  {" : ",\n  {")
                            let record = (records! + n).move()
                            writeRecord(
                                record, of: screening, linkPrefix: linkPrefix, linkID: linkID, to: &out, words: &words, extraKeys: &extraKeys)
                            (records! + n).initialize(to: record)
                        }
                    }
                }
            }
        }
        write(Array((list.isEmpty ? "]\n" : "\n]\n").utf8)[...])
    }

    /// One recommendation of ``writeJSON(_:limit:to:)``, from `{` (written by the caller)
    /// to its closing `}`.
    private static func writeRecord(
        _ r: borrowing Recommendation, of screening: LeadScreening, linkPrefix: JSONPieces.View, linkID: JSONPieces.View,
        to out: inout JSONWriter, words: inout [UInt8], extraKeys: inout ExtraKeys
    ) {
        out.literal("\"name\": "); out.string(r.lead.name)
        out.literal(", \"links\": [")
        for (i, match) in r.matches.enumerated() {
            if i > 0 { out.literal(", ") }
            out.piece(match.link.index, of: linkID)
        }
        out.literal("], \"score\": "); out.number(r.score, decimals: 1)
        out.literal(", \"reasons\": ")
        if r.reasonsPending, let scorer = screening.reasonScorer {
            // Worded straight into the list (``LeadScreener/wordsReasons``).
            out.literal("[")
            var first = true
            scorer.wordPendingReasons(of: r) { reason in
                if !first { out.literal(", ") }
                first = false
                out.string(utf8: reason)
            }
            out.literal("]")
        } else {
            out.strings(r.reasons)
        }
        out.literal(", \"matches\": [")
        for (i, match) in r.matches.enumerated() {
            if i > 0 { out.literal(", ") }
            out.piece(match.link.index, of: linkPrefix)
            out.number(match.strength, decimals: 3)
            out.literal(", \"evidence\": [")
            // Each piece in words straight into the list (``LeadScorer/describe(_:)``), not
            // through a string of its own.
            for (j, item) in match.evidence.enumerated() {
                if j > 0 { out.literal(", ") }
                words.removeAll(keepingCapacity: true)
                LeadScorer.append(item, to: &words)
                words.withUnsafeBufferPointer { out.string(utf8: $0) }
            }
            out.literal("]}")
        }
        out.literal("]")
        let p = r.points
        out.literal(", \"points\": {\"fit\": "); out.number(p.fit, decimals: 2)
        out.literal(", \"tiers\": "); out.number(p.tiers, decimals: 2)
        out.literal(", \"size\": "); out.number(p.size, decimals: 2)
        out.literal(", \"partner\": "); out.number(p.partner, decimals: 2)
        out.literal(", \"region\": "); out.number(p.region, decimals: 2)
        out.literal(", \"status\": "); out.number(p.status, decimals: 2); out.literal("}")
        out.literal(", \"code\": "); out.optional(r.lead.code?.description)
        out.literal(", \"province\": "); out.optional(r.lead.province)
        out.literal(", \"city\": "); out.optional(r.lead.city)
        out.literal(", \"tags\": "); out.strings(r.lead.tags)
        out.literal(", \"capital\": "); out.number(r.lead.capital, decimals: 4)
        out.literal(", \"invest\": "); out.number(r.lead.invest, decimals: 4)
        out.literal(", \"status\": "); out.optional(r.lead.status?.rawValue)
        out.literal(", \"partner\": "); out.optional(r.lead.partner)
        out.literal(", \"scope\": "); out.optional(r.lead.scope)
        out.literal(", \"notes\": "); out.optional(r.lead.notes)
        out.literal(", \"source\": "); out.rowReference(r.lead.location)
        out.literal(", \"rows\": [")
        if r.mergedRows.isEmpty {
            out.rowReference(r.lead.location)
        } else {
            for (i, row) in r.rows.enumerated() {
                if i > 0 { out.literal(", ") }
                out.rowReference(row)
            }
        }
        out.literal("], \"extra\": {")
        // Pass-through names are unique per file (LeadColumns numbers repeats), and each
        // is written as its piece: escaping a file's ten names again for every record was
        // a tenth of writing the list.
        let passThrough = r.lead.passThrough
        extraKeys.withPieces(for: passThrough.names, escaping: out.escaping) { keys in
            passThrough.forEachValue { i, value in
                out.piece(i, of: keys)
                out.string(utf8: value)
            }
        }
        out.literal("}}")
    }

    /// The pass-through fields' keys as JSON pieces (`"name": `, after the first
    /// `, "name": `), made again only when a record's names are not the last ones: the
    /// rows of one file share theirs.
    struct ExtraKeys {
        private var names: [String]?
        private var pieces = JSONPieces([String]()) { _, _ in }

        private var escaping = JSONWriter.Escaping.standard

        mutating func withPieces(for names: [String], escaping: JSONWriter.Escaping, _ body: (JSONPieces.View) -> Void) {
            if !Self.same(names, self.names) || escaping != self.escaping {
                self.escaping = escaping
                pieces = JSONPieces(names.enumerated(), escaping: escaping) { field, out in
                    if field.offset > 0 { out.literal(", ") }
                    out.key(field.element)
                }
                self.names = names
            }
            pieces.withView(body)
        }

        /// Whether two lists of names are the same: one array (compared by its storage
        /// first) or names of the same bytes. Not `==`: strings equal as text may differ in
        /// their bytes (é, e + ◌́), and each column's key is written as the file spells it.
        private static func same(_ names: [String], _ other: [String]?) -> Bool {
            guard let other, names.count == other.count else { return false }
            let shared = names.withUnsafeBufferPointer { a in other.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
            return shared || zip(names, other).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
        }
    }

    // MARK: CSV

    /// The ranked list for Excel: UTF-8 with a BOM, CRLF line ends, one row per lead
    /// with its matched links, reasons, the recognised fields and every pass-through
    /// column (written by ``CSVText``).
    public static func csv(_ screening: LeadScreening, limit: Int? = nil) -> String {
        var bytes: [UInt8] = []
        writeCSV(screening, limit: limit) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The columns of ``csv(_:limit:)`` before the pass-through ones.
    public static let csvHeaders = [
        "排名", "企业名称", "得分", "匹配环节", "环节ID", "推荐理由", "国标行业", "经营范围", "省份", "城市", "标签",
        "注册资本(亿元)", "意向投资(亿元)", "状态", "配套关系", "备注", "来源",
    ]

    /// What each column of the list holds, for the workbook: codes stay text, amounts and
    /// scores are numbers.
    static let listKinds: [XLSXSheet.Kind] = [
        .number(decimals: 0), .text, .number(decimals: 1), .text, .text, .wrapped, .code, .wrapped, .text, .text, .text,
        .number(decimals: 4), .number(decimals: 4), .text, .text, .wrapped, .text,
    ]

    /// The rows of the list: one per recommended lead, then, with --explain-excluded, one
    /// per enterprise left out (排名 "未列入", the reason in 推荐理由). Both the CSV and the
    /// workbook write them, through `row`, a batch per core at a time for the leads.
    static func listRows(
        _ screening: LeadScreening, limit: Int?, passThrough: [String],
        _ body: (_ count: Int, _ cells: @escaping @Sendable (Int) -> [String]) -> Void
    ) -> [[String]] {
        let chain = screening.analysis.chain
        let list = ranked(screening, limit)
        // Where each pass-through field goes, by source: the rows of one file share
        // their columns (a file's headers are unique, see LeadColumns).
        var layouts: [Int: [Int]] = [:]
        for r in list where layouts[r.sourceIndex] == nil {
            layouts[r.sourceIndex] = r.lead.passThrough.names.map { name in passThrough.firstIndex(of: name) ?? 0 }
        }
        let columnOf = layouts
        body(list.count) { n in
            let r = list[list.startIndex + n]
            var extra = [String](repeating: "", count: passThrough.count)
            let fields = r.lead.extra
            if let layout = columnOf[r.sourceIndex], layout.count == fields.count {
                for (i, field) in fields.enumerated() where layout[i] < extra.count { extra[layout[i]] = field.value }
            } else {
                for field in fields { if let i = passThrough.firstIndex(of: field.name) { extra[i] = field.value } }
            }
            let links = r.matches.map { chain[$0.link].name }.joined(separator: "、")
            let ids = r.matches.map { chain[$0.link].id }.joined(separator: ";")
            let capital = r.lead.capital.map { NumberText.trimmed($0, 4) } ?? ""
            let invest = r.lead.invest.map { NumberText.trimmed($0, 4) } ?? ""
            let source = r.rows.map(\.rowReference).joined(separator: "；")
            var cells: [String] = ["\(n + 1)", r.lead.name, NumberText.trimmed(r.score, 1), links, ids]
            cells.append(screening.reasons(of: r).joined(separator: "；"))
            cells += [r.lead.code?.description ?? "", r.lead.scope ?? "", r.lead.province ?? "", r.lead.city ?? ""]
            cells += [r.lead.tags.joined(separator: "、"), capital, invest]
            cells += [r.lead.status?.rawValue ?? "", r.lead.partner ?? "", r.lead.notes ?? "", source]
            return cells + extra
        }
        return screening.excluded.map { excluded in
            var cells = ["未列入", excluded.name, "", "", "", excluded.reason.words]
            cells += Array(repeating: "", count: csvHeaders.count - cells.count - 1)
            cells.append(excluded.location.rowReference)
            return cells + Array(repeating: "", count: passThrough.count)
        }
    }

    /// ``csv(_:limit:)`` handed to `write` in pieces, like ``writeJSON(_:limit:to:)``.
    public static func writeCSV(_ screening: LeadScreening, limit: Int? = nil, to write: (ArraySlice<UInt8>) -> Void) {
        let passThrough = screening.passThroughColumns
        var header = JSONWriter()
        header.raw(CSVText.byteOrderMark)
        header.raw(CSVText.record(csvHeaders + passThrough))
        write(header.bytes[...])
        let tail = listRows(screening, limit: limit, passThrough: passThrough) { count, cells in
            JSONWriter.renderInParts(count: count, write: write) { n, out in out.raw(CSVText.record(cells(n))) }
        }
        guard !tail.isEmpty else { return }
        var out = JSONWriter(capacity: tail.count * 64)
        for cells in tail { out.raw(CSVText.record(cells)) }
        write(out.bytes[...])
    }

    /// The list as a workbook: 招商目标企业名录 (the columns of the CSV, typed), and with
    /// the per-gap view 分环节推荐, and with --explain-excluded 未列入的企业.
    public static func workbook(_ screening: LeadScreening, limit: Int?, perGap: Int) -> [XLSXSheet] {
        let passThrough = screening.passThroughColumns
        var rows: [[String]] = []
        let tail = listRows(screening, limit: limit, passThrough: passThrough) { count, cells in
            rows = (0..<count).map(cells)
        }
        let columns = zip(csvHeaders, listKinds).map { XLSXSheet.Column($0, $1) }
            + passThrough.map { XLSXSheet.Column($0, LeadColumns.isCodeHeader($0) ? .code : .text) }
        var sheets = [XLSXSheet("招商目标企业名录", columns: columns, rows: rows)]
        if perGap > 0 && !screening.analysis.entries.isEmpty {
            let table = perGapTable(screening, limit: perGap)
            let kinds: [XLSXSheet.Kind] = [.text, .text, .number(decimals: 1), .text, .number(decimals: 1), .number(decimals: 2), .wrapped]
            sheets.append(XLSXSheet("分环节推荐", columns: zip(table.headers, kinds).map { XLSXSheet.Column($0, $1) }, rows: table.rows))
        }
        if !tail.isEmpty {
            let table = excludedTable(screening)
            sheets.append(XLSXSheet("未列入的企业", columns: [.init("企业名称"), .init("未列入原因", .wrapped), .init("来源")], rows: table.rows))
        }
        return sheets
    }

    /// The enterprises left out, with the reason (`--explain-excluded`).
    public static func excludedTable(_ screening: LeadScreening) -> TextTable {
        var table = TextTable(headers: ["企业名称", "未列入原因", "来源"])
        for excluded in screening.excluded {
            table.append([excluded.name, excluded.reason.words, excluded.location.rowReference])
        }
        return table
    }

    /// The heading of the list of enterprises left out.
    static func excludedHeading(_ screening: LeadScreening) -> String {
        "未列入的企业（\(screening.excluded.count) 家，及原因）"
    }

    // MARK: Tables

    /// The ranked list as a table: rank, name, score, matched links, province, tags and
    /// the reasons (one per line).
    public static func rankedTable(_ screening: LeadScreening, limit: Int? = nil) -> TextTable {
        let chain = screening.analysis.chain
        var table = TextTable(
            headers: ["排名", "企业名称", "得分", "匹配环节", "省份", "标签", "推荐理由"],
            alignments: [.right, .left, .right])
        for (n, r) in ranked(screening, limit).enumerated() {
            table.append([
                "\(n + 1)", r.lead.name, NumberText.tenths(r.score),
                r.matches.map { "\(chain[$0.link].name)（\(screening.analysis.label(of: $0.link))）" }.joined(separator: "\n"),
                r.lead.province ?? "", r.lead.tags.joined(separator: "、"), screening.reasons(of: r).joined(separator: "\n"),
            ])
        }
        return table
    }

    /// The per-gap view: each gap and weak link, highest priority first, with its best
    /// `limit` leads (a gap without a lead says so).
    public static func perGapTable(_ screening: LeadScreening, limit: Int) -> TextTable {
        let chain = screening.analysis.chain
        var table = TextTable(
            headers: ["环节", "类型", "优先级", "目标企业", ReportText.perLinkScore, "匹配度", "匹配依据"],
            alignments: [.left, .left, .right, .left, .right, .right])
        for gap in screening.perGap(limit: limit) {
            let head = [chain[gap.entry.link].name, gap.entry.label, NumberText.tenths(gap.entry.priority)]
            if gap.leads.isEmpty {
                table.append(head + [ReportText.noLeads, "", "", ReportText.searchHint(for: chain[gap.entry.link])])
                continue
            }
            for (i, r) in gap.leads.enumerated() {
                let match = r.matches.first { $0.link == gap.entry.link }
                let evidence = r.evidenceText(for: gap.entry.link, limit: 3) ?? ""
                table.append((i == 0 ? head : ["", "", ""]) + [
                    r.lead.name, NumberText.tenths(r.score(for: gap.entry.link, scoring: screening.scoring)),
                    NumberText.fixed(match?.strength ?? 0, 2), evidence,
                ])
            }
        }
        return table
    }

    /// The title line of the list.
    public static func title(_ screening: LeadScreening, limit: Int?) -> String {
        let chain = screening.analysis.chain
        let region = chain.region.map { "（\($0)）" } ?? ""
        let total = screening.recommendedCount
        let shown = min(limit ?? total, total, screening.recommendations.count)
        let count = shown < total ? "共 \(total) 家，列出前 \(shown) 家" : "共 \(total) 家"
        return "招商目标企业名录 — \(chain.name)\(region)：\(count)"
    }

    /// Terminal text: the ranked list, then the per-gap view.
    public static func text(_ screening: LeadScreening, limit: Int?, perGap: Int, colour: Bool, width: Int? = nil) -> String {
        let bold: TextStyle? = colour ? .bold : nil
        var out = (bold?.apply(to: title(screening, limit: limit)) ?? title(screening, limit: limit)) + "\n\n"
        if screening.recommendations.isEmpty {
            out += TextTable.paragraph(emptyNote(screening), width: width) + "\n"
        } else {
            out += rankedTable(screening, limit: limit).text(headerStyle: bold, width: width) + "\n"
        }
        if perGap > 0 && !screening.analysis.entries.isEmpty {
            let heading = "分环节推荐（每个缺失、薄弱环节前 \(perGap) 家）"
            out += (bold?.apply(to: heading) ?? heading) + "\n" + TextTable.paragraph(ReportText.perLinkScoreRule, width: width) + "\n\n"
            out += perGapTable(screening, limit: perGap).text(headerStyle: bold, width: width)
        }
        if !screening.localLeads.isEmpty {
            out += "\n" + TextTable.paragraph("已是本地企业、未列入：\(namesNote(screening.localLeads))", width: width) + "\n"
        }
        if !screening.excluded.isEmpty {
            let heading = excludedHeading(screening)
            out += "\n" + (bold?.apply(to: heading) ?? heading) + "\n\n" + excludedTable(screening).text(headerStyle: bold, width: width)
        }
        return out
    }

    /// Markdown to paste into a plan: the ranked list and the per-gap view.
    public static func markdown(_ screening: LeadScreening, limit: Int?, perGap: Int) -> String {
        var out = "## \(MarkdownText.escape(title(screening, limit: limit)))\n\n"
        if screening.recommendations.isEmpty {
            out += MarkdownText.escape(emptyNote(screening)) + "\n\n"
        } else {
            out += rankedTable(screening, limit: limit).markdown() + "\n"
        }
        if perGap > 0 && !screening.analysis.entries.isEmpty {
            out += "## 分环节推荐（每个缺失、薄弱环节前 \(perGap) 家）\n\n" + MarkdownText.escape(ReportText.perLinkScoreRule) + "\n\n"
            out += perGapTable(screening, limit: perGap).markdown() + "\n"
        }
        if !screening.localLeads.isEmpty {
            out += "已是本地企业、未列入：\(MarkdownText.escape(namesNote(screening.localLeads)))\n"
        }
        if !screening.excluded.isEmpty {
            out += "\n## \(MarkdownText.escape(excludedHeading(screening)))\n\n" + excludedTable(screening).markdown()
        }
        return out
    }

    // MARK: Summary

    /// One line per source and a total, for standard error: rows read, matched,
    /// recommended, unreadable, left out and the time taken.
    public static func summary(_ screening: LeadScreening) -> String {
        var lines: [String] = []
        for source in screening.sources {
            let c = source.counts
            var kind = source.format
            if let encoding = source.encoding { kind += "，\(encoding)" }
            var parts = ["读取 \(NumberText.grouped(c.rows)) 行", "匹配 \(NumberText.grouped(c.matched)) 行", "推荐 \(NumberText.grouped(c.recommended)) 家"]
            parts.append("无法读取 \(NumberText.grouped(c.unreadable)) 行")
            var left: [String] = []
            if c.local > 0 { left.append("本地企业 \(NumberText.grouped(c.local))") }
            if c.noTarget > 0 { left.append("仅匹配已覆盖环节 \(NumberText.grouped(c.noTarget))") }
            if c.closed > 0 { left.append("已注销/吊销 \(NumberText.grouped(c.closed))") }
            if c.excludedProvince > 0 { left.append("位于排除省份 \(NumberText.grouped(c.excludedProvince))") }
            var line = "线索 \(source.source)（\(kind)）：\(parts.joined(separator: "，"))"
            if !left.isEmpty { line += "；未列入：\(left.joined(separator: "，"))" }
            if c.repeatedHeaders > 0 { line += "；跳过重复表头 \(c.repeatedHeaders) 行" }
            if c.footers > 0 { line += "；跳过页脚 \(c.footers) 行" }
            line += "；用时 \(NumberText.fixed(source.seconds, 2)) 秒"
            lines.append(line)
        }
        let total = screening.totals
        var line = "合计：读取 \(NumberText.grouped(total.rows)) 行，匹配 \(NumberText.grouped(total.matched)) 行，推荐 \(NumberText.grouped(screening.recommendedCount)) 家"
        let merged = screening.duplicates - screening.unmergedDuplicates
        if merged > 0 { line += "（同一企业的多行记录合并 \(NumberText.grouped(merged)) 行）" }
        line += "，无法读取 \(NumberText.grouped(total.unreadable)) 行；用时 \(NumberText.fixed(screening.seconds, 2)) 秒"
        lines.append(line)
        if screening.unmergedDuplicates > 0 {
            lines.append("另有 \(NumberText.grouped(screening.unmergedDuplicates)) 行与前面某行同属一家企业，但那一行得分不在保留之列，未能合并；不限 --top 可完整合并")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Helpers

    static func ranked(_ screening: LeadScreening, _ limit: Int?) -> ArraySlice<Recommendation> {
        limit.map { screening.recommendations.prefix(max(0, $0)) } ?? screening.recommendations[...]
    }

    static func emptyNote(_ screening: LeadScreening) -> String {
        if screening.analysis.entries.isEmpty { return ReportText.nothingToDo + "没有需要招引的环节。" }
        if screening.totals.rows == 0 { return "没有线索。用 --leads 导入企业数据库导出的名单（CSV/TSV/YAML）。" }
        return "没有与缺失或薄弱环节匹配的线索。可补充环节的 keywords 与 codes，或导入更多名单。"
    }

    static func namesNote(_ names: [String]) -> String {
        let shown = names.prefix(10).joined(separator: "、")
        return names.count > 10 ? "\(shown) 等 \(names.count) 家" : shown
    }




}
