/// Chains of one industry in several regions, link by link (对标): this region first, then
/// the regions it is measured against (up to ``maxRegions`` in all).
///
/// The first chain's links are the rows. Each other chain's links are aligned with them:
/// by id, then by name (compared as names are: Simplified and Traditional, width and case
/// folded), then by a shared GB/T code — each only when exactly one row answers. A link
/// that aligns with none, or with several, is ``unaligned`` and reported, never guessed.
/// Each region keeps its own analysis: status, enterprises and 链主 come from it.
public struct ChainComparison: Sendable {
    /// The most regions compared at once.
    public static let maxRegions = 10

    /// How a link of another region was aligned with a row.
    public enum Alignment: String, Hashable, Sendable {
        case id, name, code

        /// The words for it: 按 id, 按名称, 按行业代码.
        public var label: String {
            switch self {
            case .id: "按 id"
            case .name: "按名称"
            case .code: "按行业代码"
            }
        }
    }

    /// One region's link on a row.
    public struct Cell: Hashable, Sendable {
        public var link: LinkRef
        public var status: LinkStatus
        /// Local enterprises on the link.
        public var enterprises: Int
        /// Whether a 链主 works in the link.
        public var hasLeader: Bool
        /// Whether a 链主 or 龙头 works in the link.
        public var hasAnchor: Bool
        public var alignment: Alignment
    }

    /// One row: a link of the first chain and each region's cell (nil: the region's chain
    /// has no link aligned with it).
    public struct Row: Sendable {
        public var link: LinkRef
        public var cells: [Cell?]
    }

    /// A link of another region that aligned with no row, or with several.
    public struct Unaligned: Hashable, Sendable {
        public var region: Int
        public var link: LinkRef
        /// Why: "no link of 本区 has its id, name or code", or the rows it could be.
        public var reason: String
    }

    /// Each region's figures.
    public struct Summary: Hashable, Sendable {
        public var coverage: Double
        public var completeness: Double
        public var covered: Int
        public var links: Int
    }

    /// The chains compared, the first one this region's.
    public let analyses: [GapAnalysis]
    public let rows: [Row]
    public let unaligned: [Unaligned]

    /// Compares chains. Throws nothing: a mismatch is data (``unaligned``).
    public init(_ analyses: [GapAnalysis]) {
        precondition(!analyses.isEmpty, "a comparison needs a chain")
        self.analyses = analyses
        let base = analyses[0].chain
        let baseRefs = base.linkRefs.sorted { (base[$0].stage, $0.index) < (base[$1].stage, $1.index) }
        var rows = baseRefs.map { Row(link: $0, cells: Array(repeating: nil, count: analyses.count)) }
        let rowOf = Dictionary(uniqueKeysWithValues: baseRefs.enumerated().map { ($1, $0) })
        var unaligned: [Unaligned] = []
        rows = rows.map { row in
            var row = row
            row.cells[0] = Self.cell(row.link, in: analyses[0], alignment: .id)
            return row
        }
        let baseByID = Dictionary(base.links.map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        let baseByName = Dictionary(grouping: base.links, by: { LeadValues.nameKey($0.name) }).mapValues { $0.map(\.ref) }
        var baseByCode: [String: [LinkRef]] = [:]
        for link in base.links {
            for code in Set(link.codes.map(\.digits)) { baseByCode[code, default: []].append(link.ref) }
        }
        for r in analyses.indices.dropFirst() {
            let chain = analyses[r].chain
            for link in chain.links {
                var match: (LinkRef, Alignment)?
                var reason = "\(base.name)中没有 id、名称或行业代码相同的环节"
                if let ref = baseByID[link.id] {
                    match = (ref, .id)
                } else if let refs = baseByName[LeadValues.nameKey(link.name)] {
                    if refs.count == 1 { match = (refs[0], .name) } else { reason = "名称与多个环节相同：" + Self.someNames(refs, of: base) }
                } else {
                    // One code (the usual case): its links, in order already; several: joined.
                    let codes = Set(link.codes.map(\.digits))
                    let candidates = codes.count == 1
                        ? baseByCode[codes.first!] ?? []
                        : Array(Set(codes.flatMap { baseByCode[$0] ?? [] })).sorted { $0.index < $1.index }
                    if candidates.count == 1 {
                        match = (candidates[0], .code)
                    } else if candidates.count > 1 {
                        reason = "行业代码与多个环节相同：" + Self.someNames(candidates, of: base)
                    }
                }
                if let (ref, alignment) = match, let row = rowOf[ref], rows[row].cells[r] == nil {
                    rows[row].cells[r] = Self.cell(link.ref, in: analyses[r], alignment: alignment)
                } else if let (ref, _) = match {
                    unaligned.append(Unaligned(region: r, link: link.ref, reason: "「\(base[ref].name)」已与本地区的另一个环节对齐"))
                } else {
                    unaligned.append(Unaligned(region: r, link: link.ref, reason: reason))
                }
            }
        }
        self.rows = rows
        self.unaligned = unaligned
    }

    /// The names of some links, for a reason: at most five, then how many there are
    /// (two chains of 8,000 links sharing one code made a reason of 8,000 names for every
    /// link, 890 MB of JSON).
    static func someNames(_ refs: [LinkRef], of chain: Chain) -> String {
        let names = refs.prefix(5).map { chain[$0].name }.joined(separator: "、")
        return refs.count > 5 ? names + " 等 \(refs.count) 个环节" : names
    }

    static func cell(_ ref: LinkRef, in analysis: GapAnalysis, alignment: Alignment) -> Cell {
        let enterprises = analysis.enterprises(on: ref)
        return Cell(
            link: ref, status: analysis.status(of: ref), enterprises: enterprises.count,
            hasLeader: enterprises.contains { $0.role == .leader }, hasAnchor: enterprises.contains { $0.role.isAnchor },
            alignment: alignment)
    }

    /// The region's name: the chain's `region`, else its name, else its id.
    public func regionName(_ r: Int) -> String {
        let chain = analyses[r].chain
        return chain.region ?? chain.name
    }

    /// Each region's coverage and completeness (of its own chain).
    public var summaries: [Summary] {
        analyses.map { a in
            let s = a.summary
            return Summary(coverage: s.coverage, completeness: s.completeness, covered: s.coveredCount, links: s.linkCount)
        }
    }

    /// The ids of this region's links that it does not cover and another region does:
    /// "what they have that we lack", in row order.
    public var lacking: [String] {
        rows.filter { row in
            row.cells[0]?.status.isGap ?? true
                && row.cells.dropFirst().contains { $0.map { !$0.status.isGap } ?? false }
        }.map { analyses[0].chain[$0.link].id }
    }

    /// The three states a comparison tells apart, in words: 已覆盖, 薄弱, 缺失.
    public static func statusWord(_ status: LinkStatus) -> String {
        status.isGap ? "缺失" : status == .strengthen ? "薄弱" : LinkStatus.covered.label
    }

    /// How a cell is said in one word: 链主 · 12 家, 12 家, 薄弱 · 1 家, 缺失, or — (no
    /// such link).
    public static func words(_ cell: Cell?) -> String {
        guard let cell else { return "—" }
        if cell.status.isGap { return statusWord(cell.status) }
        let count = "\(cell.enterprises) 家"
        if cell.hasLeader { return Enterprise.Role.leader.rawValue + " · " + count }
        if cell.hasAnchor { return Enterprise.Role.champion.rawValue + " · " + count }
        return cell.status == .strengthen ? statusWord(cell.status) + " · " + count : count
    }
}
