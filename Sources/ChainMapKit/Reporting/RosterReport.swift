import Foundation

/// The roster's placements (摸排名录落位) for a person to confirm: `chainmap locate`
/// (terminal, CSV, .xlsx, JSON, and a YAML `enterprises:` block to paste into the chain
/// file) and the report's section. One wording for every output: ``standing(_:_:)``.
public enum RosterReport {
    /// How a placement stands, in one word each.
    public enum Standing: String, Sendable {
        /// Counts for the link's coverage (confidence ≥ threshold), new to the chain file.
        case counted = "计入（待确认）"
        /// Below the threshold on every link: listed for review, not counted.
        case review = "低于阈值，待核实"
        /// The chain file already names the enterprise: its entry stands.
        case typed = "产业链文件已有"
    }

    /// How a placement stands against the chain file and the threshold.
    public static func standing(_ placement: RosterPlacement, _ roster: ChainRoster) -> Standing {
        if placement.typedAt != nil { return .typed }
        return placement.counted(threshold: roster.options.threshold).isEmpty ? .review : .counted
    }

    /// The evidence of one match in words (经营范围含「…」；国标行业 C3130 与环节代码一致).
    public static func evidence(_ match: LinkMatch) -> String {
        LeadScorer.describe(match.evidence)
    }

    /// The placements as a table: one row per enterprise and link, best first.
    /// `source` names a row's place: `file:line` by default.
    public static func table(
        _ chain: Chain, _ roster: ChainRoster, source: (FileLocation) -> String = { $0.rowReference }
    ) -> ReportTable {
        var rows: [[String]] = []
        for (n, placement) in roster.placements.enumerated() {
            let standing = standing(placement, roster).rawValue
            for match in placement.matches {
                rows.append([
                    "\(n + 1)", placement.enterprise.name, chain[match.link].name, NumberText.fixed(match.strength, 2), evidence(match),
                    placement.proposedRole?.rawValue ?? "", placement.revenue.map { NumberText.trimmed($0, 2) } ?? "",
                    placement.enterprise.capital.map { NumberText.trimmed($0, 4) } ?? "",
                    ReportText.tags(placement.enterprise.tags), standing, source(placement.enterprise.location),
                ])
            }
        }
        return ReportTable(columns: [
            .init("序号", .number(decimals: 0)), .init("企业名称", width: 3), .init("环节", width: 2), .init("置信度", .number(decimals: 2)),
            .init("依据", .wrapped, width: 4), .init("建议角色"), .init("营业收入(亿元)", .number(decimals: 2)),
            .init("注册资本(亿元)", .number(decimals: 4)), .init("标签", width: 2), .init("状态", width: 3), .init("来源", width: 3),
        ], rows: rows)
    }

    /// The enterprises that fit no link (when kept).
    public static func unplacedTable(_ roster: ChainRoster) -> ReportTable {
        ReportTable(
            columns: [.init("企业名称", width: 3), .init("来源", width: 2)],
            rows: roster.unplacedNames.map { [$0.name, $0.location.rowReference] })
    }

    /// One line: 摸排名录 2 个文件 1,024 家：落位 312 家（计入覆盖 240 家，低于阈值待核实 60 家，产业链文件已有 12 家），未落位 700 家，已注销 12 家；阈值 0.60.
    /// The parts add up to the rows: repeated rows merged and rows that could not be read
    /// are said when there are any.
    public static func summary(_ roster: ChainRoster) -> String {
        let counted = roster.counted.count, review = roster.belowThreshold.count, typed = roster.typed.count
        var text = "摸排名录 \(roster.files.count) 个文件 \(NumberText.grouped(roster.rows)) 家：落位 \(NumberText.grouped(roster.placements.count)) 家"
        text += "（计入覆盖 \(NumberText.grouped(counted)) 家，低于阈值待核实 \(NumberText.grouped(review)) 家，产业链文件已有 \(NumberText.grouped(typed)) 家）"
        if roster.merged > 0 { text += "，重复列出的 \(NumberText.grouped(roster.merged)) 行已并入前一行" }
        text += "，未落位 \(NumberText.grouped(roster.unplaced)) 家"
        if roster.closed > 0 { text += "，已注销、吊销 \(NumberText.grouped(roster.closed)) 家未计" }
        if roster.unreadable > 0 { text += "，无法读取 \(NumberText.grouped(roster.unreadable)) 行（见报错）" }
        text += "；置信度阈值 \(NumberText.fixed(roster.options.threshold, 2))"
        let proposed = roster.placements.filter { $0.typedAt == nil && ($0.proposedRole?.isAnchor ?? false) }
        if !proposed.isEmpty {
            text += "；建议链主、龙头 \(proposed.count) 家（" + proposed.prefix(5).map { "\($0.enterprise.name)（\($0.proposedRole!.rawValue)）" }.joined(separator: "、")
            text += proposed.count > 5 ? " 等）" : "）"
            text += roster.options.acceptRoles ? "，已按 --accept-roles 计入" : "，仅为建议，写入产业链文件或加 --accept-roles 后才计入"
        }
        return text
    }

    /// `--json`: one entry per roster enterprise (of every chain placed), in roster
    /// order: `name`, `links` (best first: `id`, `confidence`, `evidence`; and `chain`,
    /// the chain's id, when several chains are placed), `proposed_role` (链主, 龙头, 配套
    /// or null), and `source` (file:line), `in_chain_file`. An enterprise that fits no link
    /// has an empty `links`: those of `unfitting` (``RosterPlacer/Run/unfitting``) and
    /// each chain's unplaced names, when they were kept.
    public static func json(
        _ chains: [(chain: Chain, roster: ChainRoster)], unfitting: [(name: String, location: FileLocation)] = []
    ) -> String {
        struct Entry {
            var name: String
            var source: FileLocation
            var file: Int
            var links: [(chain: Int, match: LinkMatch)] = []
            var role: Enterprise.Role?
            var typed = false
        }
        var entries: [Entry] = []
        // Keyed by the bytes of the name key: hashing a String normalises it, and a
        // roster has hundreds of thousands of names.
        var index: [[UInt8]: Int] = [:]
        var files: [String: Int] = [:]
        let total = chains.reduce(unfitting.count) { $0 + $1.roster.placements.count + $1.roster.unplacedNames.count }
        index.reserveCapacity(total)
        entries.reserveCapacity(total)
        func entry(_ name: String, _ source: FileLocation) -> Int {
            let key = Array(LeadValues.nameKey(name).utf8)
            if let i = index[key] { return i }
            index[key] = entries.count
            let file = files[source.file] ?? files.count
            files[source.file] = file
            entries.append(Entry(name: name, source: source, file: file))
            return entries.count - 1
        }
        for (c, (_, roster)) in chains.enumerated() {
            for p in roster.placements.indices {
                let i = entry(roster.placements[p].enterprise.name, roster.placements[p].enterprise.location)
                entries[i].links += roster.placements[p].matches.map { (c, $0) }
                if let role = roster.placements[p].proposedRole, role.rank < (entries[i].role?.rank ?? 3) { entries[i].role = role }
                entries[i].typed = entries[i].typed || roster.placements[p].typedAt != nil
            }
            for unplaced in roster.unplacedNames { _ = entry(unplaced.name, unplaced.location) }
        }
        for unplaced in unfitting { _ = entry(unplaced.name, unplaced.location) }
        // In roster order: files by path, then rows.
        let fileOrder = files.sorted { $0.key < $1.key }.enumerated().reduce(into: [Int](repeating: 0, count: files.count)) {
            $0[$1.element.value] = $1.offset
        }
        entries.sort { (fileOrder[$0.file], $0.source.line) < (fileOrder[$1.file], $1.source.line) }
        let several = chains.count > 1
        let ids = chains.map(\.chain.id)
        let linkIDs = chains.map { $0.chain.links.map(\.id) }
        // Written in parts on every core: a roster has hundreds of thousands of rows.
        let entryList = entries
        var bytes = Array("[".utf8)
        bytes.reserveCapacity(entryList.count * 160)
        JSONWriter.renderInParts(count: entryList.count, write: { bytes += $0 }) { n, out in
            let e = entryList[n]
            out.raw(n == 0 ? "\n  {" : ",\n  {")
            out.key("name"); out.string(e.name)
            out.raw(", "); out.key("links"); out.raw("[")
            for (k, link) in e.links.sorted(by: { $0.match.strength > $1.match.strength }).enumerated() {
                out.raw(k == 0 ? "{" : ", {")
                if several { out.key("chain"); out.string(ids[link.chain]); out.raw(", ") }
                out.key("id"); out.string(linkIDs[link.chain][link.match.link.index])
                out.raw(", "); out.key("confidence"); out.number(link.match.strength, decimals: 2)
                out.raw(", "); out.key("evidence"); out.string(evidence(link.match))
                out.raw("}")
            }
            out.raw("], "); out.key("proposed_role"); out.optional(e.role?.rawValue)
            out.raw(", "); out.key("source"); out.string(e.source.rowReference)
            out.raw(", "); out.key("in_chain_file"); out.raw(e.typed ? "true" : "false")
            out.raw("}")
        }
        bytes += (entryList.isEmpty ? "]\n" : "\n]\n").utf8
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `--yaml`: an `enterprises:` block of the counted placements that the chain file
    /// does not have yet, to paste under its `enterprises:` (each entry with the row and
    /// evidence as a comment). Roles are the proposals; revenue in 亿元.
    public static func yaml(_ chain: Chain, _ roster: ChainRoster) -> String {
        var text = "# \(YAMLText.comment(chain.name))（\(YAMLText.comment(chain.file))）：摸排名录计入覆盖的 \(roster.counted.count) 家，核实后粘贴到 enterprises: 下\n"
        text += "enterprises:\n"
        for placement in roster.counted {
            let counted = placement.counted(threshold: roster.options.threshold)
            let why = counted.map { "\(chain[$0.link].name) \(NumberText.fixed($0.strength, 2))：\(evidence($0))" }.joined(separator: "；")
            text += "  # \(YAMLText.comment(placement.enterprise.location.rowReference))；\(YAMLText.comment(why))\n"
            text += "  - name: \(YAMLText.scalar(placement.enterprise.name))\n"
            text += "    links: [\(counted.map { YAMLText.scalar(chain[$0.link].id) }.joined(separator: ", "))]\n"
            text += "    role: \(placement.proposedRole?.rawValue ?? Enterprise.Role.supporter.rawValue)\n"
            if let revenue = placement.revenue { text += "    revenue: \(NumberText.trimmed(revenue, 4))\n" }
            if !placement.enterprise.tags.isEmpty {
                text += "    tags: [\(placement.enterprise.tags.map(YAMLText.scalar).joined(separator: ", "))]\n"
            }
        }
        return text
    }
}

/// Text written into YAML that chainmap prints for pasting (``RosterReport/yaml(_:_:)``).
public enum YAMLText {
    /// A scalar as YAML reads it back exactly: plain when that is safe, else in double
    /// quotes with escapes.
    public static func scalar(_ text: String) -> String {
        let indicators: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        // A trailing `:` or `:` before a tab makes a key, a tab before `#` a comment, and
        // U+2028 and U+2029 are line breaks to a YAML reader: each is quoted.
        let plain = !text.isEmpty
            && !indicators.contains(text.first!)
            && !text.contains(": ") && !text.contains(":\t") && text.last != ":"
            && !text.contains(" #") && !text.contains("\t#") && !text.contains(",") && !text.contains("[") && !text.contains("]")
            && !text.contains("{") && !text.contains("}")
            && text.first != " " && text.last != " "
            && !text.unicodeScalars.contains {
                $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{FEFF}"
                    || (0x2028...0x2029).contains($0.value)
            }
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased())
            && Double(text) == nil
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) || scalar.value == 0xFEFF
                    || (0x2028...0x2029).contains(scalar.value) {
                    quoted += String(format: "\\u%04X", scalar.value)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// Text for a comment: one line, control characters shown escaped.
    public static func comment(_ text: String) -> String {
        TerminalText.escape(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
    }
}
