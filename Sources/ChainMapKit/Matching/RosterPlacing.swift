import Foundation
import Synchronization

/// One enterprise of a region's roster (摸排名录) placed on a chain's links: the same
/// matcher that screens leads (explicit links, then GB/T code, then keywords) gives each
/// link it fits a confidence in 0...1 and the evidence.
public struct RosterPlacement: Hashable, Sendable {
    /// The enterprise as its roster row gives it: name, code, scope, tags, capital,
    /// province, city, the other columns (``Lead/extra``) and the row.
    public var enterprise: Lead
    /// Annual revenue or output (营业收入, 产值), 亿元.
    public var revenue: Double?
    /// The links it fits, best first; a match's strength is the placement's confidence.
    public var matches: [LinkMatch]
    /// The role proposed from size and tier tags (``RosterPlacer/proposeRoles``): a
    /// proposal, never a decision. nil when it fits no link well enough to count.
    public var proposedRole: Enterprise.Role?
    /// Where the chain file already names the same enterprise (then the chain file's
    /// links and role stand).
    public var typedAt: FileLocation?

    public init(enterprise: Lead, revenue: Double? = nil, matches: [LinkMatch], proposedRole: Enterprise.Role? = nil, typedAt: FileLocation? = nil) {
        self.enterprise = enterprise
        self.revenue = revenue
        self.matches = matches
        self.proposedRole = proposedRole
        self.typedAt = typedAt
    }

    /// The size that ranks it: revenue, else registered capital (亿元).
    public var size: Double? { revenue ?? enterprise.capital }
    /// Its best confidence.
    public var confidence: Double { matches.first?.strength ?? 0 }

    /// The links it counts on: those it fits with at least `threshold` confidence.
    public func counted(threshold: Double) -> [LinkMatch] {
        matches.filter { $0.strength >= threshold - 1e-9 }
    }
}

/// How rosters are placed (`--local`, `--local-threshold`, `--accept-roles`).
public struct RosterOptions: Sendable, Hashable {
    /// Roster files for every chain (`--local`), besides each chain file's `roster:`.
    public var files: [String] = []
    /// The confidence from which a placement counts for the link's coverage. 0.6 by
    /// default: a GB/T code under the link's code, a long keyword, or two keywords;
    /// one short keyword alone (0.25–0.5) is listed for review but does not count.
    public var threshold: Double = RosterOptions.defaultThreshold
    /// Whether proposed 链主 and 龙头 count as such in the analysis (`--accept-roles`);
    /// otherwise every roster enterprise counts as 配套 until the chain file says more.
    public var acceptRoles = false
    /// Whether to keep, per chain, the names of the enterprises that fit none of its
    /// links (to list them: `--unplaced`). Memory then grows with the roster.
    public var keepUnplaced = false
    /// Whether to keep, once per roster row, the names of the enterprises that fit no
    /// link of any chain placed with that roster (``RosterPlacer/Run/unfitting``, for
    /// `--json`, which lists every roster enterprise).
    public var keepUnfitting = false

    public static let defaultThreshold = 0.6

    public init() {}
}

/// What placing the rosters gave one chain.
public struct ChainRoster: Sendable {
    /// Enterprises that fit at least one link (at any confidence), best first: by
    /// confidence, then size, then roster order.
    public var placements: [RosterPlacement] = []
    /// Rows that fit no link of the chain.
    public var unplaced = 0
    /// Their names and rows, when kept (``RosterOptions/keepUnplaced``), in roster order.
    public var unplacedNames: [(name: String, location: FileLocation)] = []
    /// Rows of enterprises whose registration says they closed (注销, 吊销 …): not placed.
    public var closed = 0
    /// Rows read in all (the enterprises of the rosters): those placed (``placements``
    /// and ``merged``), ``unplaced``, ``closed`` and ``unreadable``.
    public var rows = 0
    /// Rows that could not be read (each reported as an error).
    public var unreadable = 0
    /// Rows of an enterprise an earlier row already placed, merged into that one.
    public var merged = 0
    /// The roster files read for the chain.
    public var files: [String] = []
    /// The threshold and role rule the merged picture was built with.
    public var options = RosterOptions()

    public init() {}

    /// The placements that count for coverage (confidence ≥ threshold), not already in
    /// the chain file.
    public var counted: [RosterPlacement] {
        placements.filter { $0.typedAt == nil && !$0.counted(threshold: options.threshold).isEmpty }
    }

    /// The placements below the threshold on every link: listed for review only.
    public var belowThreshold: [RosterPlacement] {
        placements.filter { $0.typedAt == nil && $0.counted(threshold: options.threshold).isEmpty }
    }

    /// The placements of enterprises the chain file already names.
    public var typed: [RosterPlacement] { placements.filter { $0.typedAt != nil } }
}

/// Places the region's rosters (摸排名录) on the links of one or more chains: reads each
/// roster file once for every chain that uses it, with the lead reader (any format a lead
/// file can be), and matches each row with the chain's lead matcher. Then proposes roles
/// and merges the counted placements into the chain (``merged(_:roster:)``), so that the
/// gap analysis, the map and the report run on the merged picture.
public struct RosterPlacer: Sendable {
    public let options: RosterOptions
    public let reading: ReadingOptions

    public init(options: RosterOptions = RosterOptions(), reading: ReadingOptions = ReadingOptions()) {
        self.options = options
        self.reading = reading
    }

    /// What placing gave: per chain, and the problems of the roster files.
    public struct Run: Sendable {
        /// One per chain, in order; nil for a chain with no roster.
        public var rosters: [ChainRoster?]
        /// What each roster file gave.
        public var sources: [RowSourceSummary] = []
        /// Problems of the roster files and conflicts with the chain files.
        public var diagnostics: [Diagnostic] = []
        /// Whether a roster file could not be read at all.
        public var failed = false
        /// The enterprises that fit no link of any chain that read their roster, once
        /// each, in roster order (kept with ``RosterOptions/keepUnfitting``).
        public var unfitting: [(name: String, location: FileLocation)] = []
        /// Each chain's matcher, in order, for a screening of the same chains to reuse
        /// (``LeadScreener/init(analyses:scoring:reading:matchers:)``): compiling one
        /// expands every keyword into its spellings and builds its automaton, a tenth of a
        /// second for the ten chains of `chains/`.
        public var matchers: [LeadMatcher] = []
    }

    /// The roster files of each chain: its own `roster:`, then `--local`.
    public func files(of chain: Chain) -> [String] {
        var files = chain.roster.map(\.path)
        for file in options.files where !files.contains(file) { files.append(file) }
        return files
    }

    /// Places every chain's rosters, each file read once for all the chains that use it.
    /// `settings` are each chain's analysis settings (with the command line's overrides),
    /// whose tier tags the role proposals read; the files' own by default.
    public func place(
        _ chains: [Chain], settings: [AnalysisSettings]? = nil, progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> Run {
        let matchers = Parallel.map(chains.count) { LeadMatcher(chain: chains[$0]) }
        var run = Run(rosters: chains.map { files(of: $0).isEmpty ? nil : ChainRoster() })
        run.matchers = matchers
        var order: [String] = []
        var users: [String: [Int]] = [:]
        for (c, chain) in chains.enumerated() {
            for file in files(of: chain) {
                if users[file] == nil { order.append(file) }
                users[file, default: []].append(c)
            }
        }
        for file in order {
            let indices = users[file]!
            let consumer = RosterRowPlacer(
                matchers: indices.map { matchers[$0] }, keepUnplaced: options.keepUnplaced, keepUnfitting: options.keepUnfitting)
            // A workbook's every sheet with a roster's header (a sheet per park or street).
            for read in InputFormats.readEverySheet(file, options: reading, into: consumer, progress: progress) {
                run.sources.append(read.summary)
                run.diagnostics += read.diagnostics
                run.failed = run.failed || read.failed
                for batch in read.batches { run.unfitting += batch.unfitting }
                for (k, c) in indices.enumerated() {
                    for batch in read.batches {
                        let part = batch.chains[k]
                        run.rosters[c]!.placements += part.placements
                        run.rosters[c]!.unplaced += part.unplaced
                        run.rosters[c]!.unplacedNames += part.unplacedNames
                        run.rosters[c]!.closed += part.closed
                    }
                    run.rosters[c]!.rows += read.summary.counts.rows
                    run.rosters[c]!.unreadable += read.summary.counts.unreadable
                }
            }
            for c in indices { run.rosters[c]!.files.append(file) }
        }
        // Each chain's roster settled on its own thread: they share nothing. A roster is
        // taken out of the shared slot, so that settling mutates it without copying it.
        let slots = Mutex(run.rosters)
        let settled = Parallel.map(chains.count) { c -> (roster: ChainRoster?, diagnostics: [Diagnostic]) in
            guard var roster = slots.withLock({ slots in slots[c].take() }) else { return (nil, []) }
            let diagnostics = settle(&roster, chain: chains[c], settings: settings?[c])
            return (roster, diagnostics)
        }
        run.rosters = settled.map(\.roster)
        // A row repeated in a roster read for two chains is said once.
        var seen: Set<Diagnostic> = []
        run.diagnostics += settled.flatMap(\.diagnostics).filter { seen.insert($0).inserted }
        return run
    }

    /// Within one chain: an enterprise in several rosters (or rows) once; the chain
    /// file's own enterprises marked (and a proposed role that differs from the typed
    /// one warned about, with both places); roles proposed; the order fixed.
    func settle(_ roster: inout ChainRoster, chain: Chain, settings: AnalysisSettings? = nil) -> [Diagnostic] {
        roster.options = options
        var diagnostics: [Diagnostic] = []
        // One entry per enterprise: the first row, its links joined with the later rows'.
        // Merged in place: a placement is a large value, copied only when rows repeat.
        var unique = roster.placements
        roster.placements = []
        var byName: [String: Int] = [:]
        var repeated: [Bool] = Array(repeating: false, count: unique.count)
        var tagsHeld: [Int: Set<String>] = [:]
        for i in unique.indices {
            let key = LeadValues.nameKey(unique[i].enterprise.name)
            guard let first = byName[key] else {
                byName[key] = i
                continue
            }
            repeated[i] = true
            for match in unique[i].matches {
                if let j = unique[first].matches.firstIndex(where: { $0.link == match.link }) {
                    if match.strength > unique[first].matches[j].strength { unique[first].matches[j] = match }
                } else {
                    unique[first].matches.append(match)
                }
            }
            // Values merged: the first row's stand, and one that differs is said so.
            if let kept = unique[first].revenue, let other = unique[i].revenue, abs(kept - other) > 1e-9 {
                let name = unique[i].enterprise.name
                diagnostics.append(.warning(
                    .duplicate,
                    "'\(name)' is listed again with revenue \(NumberText.trimmed(other, 4)) 亿元; the \(NumberText.trimmed(kept, 4)) 亿元 of an earlier row stands",
                    at: unique[i].enterprise.location, notes: [.init("'\(name)' is first listed here", at: unique[first].enterprise.location)]))
            }
            unique[first].revenue = unique[first].revenue ?? unique[i].revenue
            unique[first].enterprise.capital = unique[first].enterprise.capital ?? unique[i].enterprise.capital
            // Tags joined through a set of those held (a row repeated 40,000 times, each
            // with a tag of its own, was quadratic).
            if !unique[i].enterprise.tags.isEmpty {
                var held = tagsHeld.removeValue(forKey: first) ?? Set(unique[first].enterprise.tags)
                for tag in unique[i].enterprise.tags where held.insert(tag).inserted {
                    unique[first].enterprise.tags.append(tag)
                }
                tagsHeld[first] = held
            }
        }
        roster.merged = repeated.count { $0 }
        if roster.merged > 0 {
            unique = unique.indices.filter { !repeated[$0] }.map { unique[$0] }
        }
        for i in unique.indices {
            unique[i].matches.sort { ($0.strength, -$0.link.index) > ($1.strength, -$1.link.index) }
        }
        let typed = Dictionary(chain.enterprises.enumerated().map { (LeadValues.nameKey($1.name), $0) }, uniquingKeysWith: { a, _ in a })
        for i in unique.indices {
            if let e = typed[LeadValues.nameKey(unique[i].enterprise.name)] {
                unique[i].typedAt = chain.enterprises[e].location
            }
        }
        Self.proposeRoles(&unique, chain: chain, threshold: options.threshold, settings: settings ?? chain.analysis)
        for placement in unique {
            guard let at = placement.typedAt, let e = typed[LeadValues.nameKey(placement.enterprise.name)] else { continue }
            let enterprise = chain.enterprises[e]
            if let proposed = placement.proposedRole, proposed != enterprise.role {
                diagnostics.append(.warning(
                    .reference,
                    "the roster suggests '\(enterprise.name)' as \(proposed.rawValue), but the chain file lists it as \(enterprise.role.rawValue); the chain file's role stands",
                    at: placement.enterprise.location, notes: [.init("'\(enterprise.name)' is listed here as \(enterprise.role.rawValue)", at: at)]))
            }
            let extra = placement.counted(threshold: options.threshold).map(\.link).filter { !enterprise.links.contains($0) }
            if !extra.isEmpty {
                let names = extra.map { "「\(chain[$0].name)」" }.joined(separator: "")
                diagnostics.append(.warning(
                    .reference,
                    "the roster places '\(enterprise.name)' also on \(names), which the chain file does not list for it; the chain file's links stand (add the link there if it is right)",
                    at: placement.enterprise.location, notes: [.init("'\(enterprise.name)' is listed here", at: at)]))
            }
        }
        // Sorted through indices: a placement is a large value, and moving indices is cheap.
        let order = unique.indices.sorted { i, j in
            let (a, b) = (unique[i], unique[j])
            if a.confidence != b.confidence { return a.confidence > b.confidence }
            let (sa, sb) = (a.size ?? -1, b.size ?? -1)
            if sa != sb { return sa > sb }
            return (a.enterprise.location.file, a.enterprise.location.line) < (b.enterprise.location.file, b.enterprise.location.line)
        }
        roster.placements = order.map { unique[$0] }
        return diagnostics
    }

    /// Proposes roles from size and tier, never deciding them:
    /// - 龙头: on each link, the largest enterprise placed there with at least the
    ///   threshold's confidence whose size (revenue, else capital) is at least 1 亿元 or
    ///   that carries a tier tag (上市公司, 专精特新 …, the chain's `tier-tags`) and is
    ///   the largest such; at most one per link;
    /// - 链主: of those, the largest, when its size is at least 10 亿元 and the chain
    ///   file names no 链主;
    /// - 配套: every other enterprise that counts on a link.
    static func proposeRoles(_ placements: inout [RosterPlacement], chain: Chain, threshold: Double, settings: AnalysisSettings) {
        let tiered: (RosterPlacement) -> Bool = { settings.hasTier($0.enterprise.tags) }
        var best: [Int: Int] = [:]  // link → placement
        for (i, placement) in placements.enumerated() {
            let counted = placement.counted(threshold: threshold)
            placements[i].proposedRole = counted.isEmpty ? nil : .supporter
            guard (placement.size ?? 0) >= 1 || tiered(placement) else { continue }
            for match in counted {
                if let j = best[match.link.index] {
                    let (a, b) = (placement.size ?? 0, placements[j].size ?? 0)
                    if a > b || (a == b && tiered(placement) && !tiered(placements[j])) { best[match.link.index] = i }
                } else {
                    best[match.link.index] = i
                }
            }
        }
        for i in Set(best.values) { placements[i].proposedRole = .champion }
        let hasLeader = chain.enterprises.contains { $0.role == .leader }
        if !hasLeader, let top = Set(best.values).max(by: { (placements[$0].size ?? 0, -$0) < (placements[$1].size ?? 0, -$1) }),
           (placements[top].size ?? 0) >= 10 {
            placements[top].proposedRole = .leader
        }
    }

    /// The chain with the roster's counted enterprises added (each on the links it fits
    /// with at least the threshold's confidence), after the chain file's own. They count
    /// as 配套 unless ``RosterOptions/acceptRoles``; the chain file's enterprises stand as
    /// written.
    public static func merged(_ chain: Chain, roster: ChainRoster) -> Chain {
        var enterprises = chain.enterprises
        for placement in roster.counted {
            let links = placement.counted(threshold: roster.options.threshold).map(\.link)
            var enterprise = Enterprise(
                name: placement.enterprise.name, links: links,
                role: roster.options.acceptRoles ? (placement.proposedRole ?? .supporter) : .supporter,
                revenue: placement.revenue, tags: placement.enterprise.tags, location: placement.enterprise.location)
            enterprise.placement = placement
            enterprises.append(enterprise)
        }
        var merged = Chain(
            name: chain.name, id: chain.id, region: chain.region, stages: chain.stages, links: chain.links,
            enterprises: enterprises, leads: chain.leads, analysis: chain.analysis, style: chain.style, file: chain.file)
        merged.roster = chain.roster
        merged.projectFiles = chain.projectFiles
        merged.projects = chain.projects
        merged.targetFile = chain.targetFile
        merged.projectTargets = chain.projectTargets
        merged.benchmarkFiles = chain.benchmarkFiles
        return merged
    }
}

/// The layout of a roster's header: the lead layout, and the revenue column.
struct RosterLayout: Sendable {
    let lead: LeadLayout
    let revenueColumn: Int?
    let revenueUnit: Double
}

/// Per block: each chain's placements and counts, and the row loop's scratch space.
struct RosterBatch: RowBatch {
    struct Part: Sendable {
        var placements: [RosterPlacement] = []
        var unplaced = 0
        var unplacedNames: [(name: String, location: FileLocation)] = []
        var closed = 0
    }

    var chains: [Part]
    /// Rows that fit no chain's link (kept with ``RosterOptions/keepUnfitting``).
    var unfitting: [(name: String, location: FileLocation)] = []
    var hits: [[LeadMatcher.Hit]]

    init(chains count: Int) {
        chains = Array(repeating: Part(), count: count)
        hits = Array(repeating: [], count: count)
    }

    mutating func shiftLines(by first: Int) {
        for c in chains.indices {
            for i in chains[c].placements.indices { chains[c].placements[i].enterprise.location.line += first }
            for i in chains[c].unplacedNames.indices { chains[c].unplacedNames[i].location.line += first }
        }
        for i in unfitting.indices { unfitting[i].location.line += first }
    }

    mutating func absorb(_ later: consuming RosterBatch) {
        for c in chains.indices {
            chains[c].placements += later.chains[c].placements
            chains[c].unplaced += later.chains[c].unplaced
            chains[c].unplacedNames += later.chains[c].unplacedNames
            chains[c].closed += later.chains[c].closed
        }
        unfitting += later.unfitting
    }
}

/// The consumer that places the rows of a roster on every chain at once: one scan of
/// each row's words finds the keywords of all chains; a row with evidence for some chain
/// is read whole and matched.
struct RosterRowPlacer: RowConsumer {
    let matchers: [LeadMatcher]
    let keywords: ChainKeywords
    let keepUnplaced: Bool
    let keepUnfitting: Bool
    /// The chains' link ids, for the "did you mean" of a 所属环节 column's unknown words.
    let linkSuggestions: Suggestion.Candidates

    /// Headers of revenue or output (营业收入, 产值), in order of preference.
    static let revenueHeaders = ["营业收入", "营收", "年营业收入", "主营业务收入", "销售收入", "产值", "年产值", "工业总产值", "revenue"]

    init(matchers: [LeadMatcher], keepUnplaced: Bool, keepUnfitting: Bool) {
        self.matchers = matchers
        self.keepUnplaced = keepUnplaced
        self.keepUnfitting = keepUnfitting
        keywords = ChainKeywords(matchers)
        linkSuggestions = LeadMatcher.linkSuggestions(matchers)
    }

    func layout(forHeader cells: [String]) -> RosterLayout? {
        guard let lead = LeadLayout(header: cells) else { return nil }
        let keys = lead.columns.headers.map(LeadColumns.key)
        let spellings = ChineseVariants.expand(Self.revenueHeaders).map { $0.map { $0.lowercased() } }
        var revenue: Int?
        for group in spellings {
            if let index = keys.firstIndex(where: { group.contains($0) }) {
                revenue = index
                break
            }
        }
        // A bare number: 万元 as for capital, unless the header names the unit.
        let unit = revenue.flatMap { LeadColumns.unit(of: lead.columns.headers[$0]) } ?? 0.0001
        return RosterLayout(lead: lead, revenueColumn: revenue, revenueUnit: unit)
    }

    func missingHeader(firstRow: [String]) -> String {
        LeadLayout.missingHeader(firstRow: firstRow)
    }

    func keyColumn(in layout: RosterLayout) -> Int { layout.lead.nameColumn }

    func fields(of layout: RosterLayout) -> Set<String> { layout.lead.fields.union(layout.revenueColumn == nil ? [] : ["revenue"]) }

    var keyDescription: String { "enterprise name" }

    func textColumns(in layout: RosterLayout) -> [Int] {
        (layout.lead.codeColumn.map { [$0] } ?? []) + layout.lead.scopeColumns
    }

    func makeBatch(_ layout: RosterLayout) -> RosterBatch { RosterBatch(chains: matchers.count) }

    func consume(_ row: Row, layout: RosterLayout, into batch: inout RosterBatch, log: inout RowLog) {
        // A row whose text cannot be read is reported and counted as such, and is no
        // enterprise: neither placed nor unplaced (every row of a roster is listed, those
        // that fit no link too).
        guard row.requireText(log: &log) else { return }
        let code = keywords.scan(row, layout.lead, into: &batch.hits)
        let explicit = layout.lead.linksColumn.map { !row.isBlank($0) } ?? false
        let slot = ChainKeywords.slot(of: code)
        let any = matchers.indices.contains { c in explicit || !batch.hits[c].isEmpty || keywords.covers(slot, chain: c) }
        guard any else {
            noPlace(row, layout, in: &batch, chains: matchers.indices)
            if keepUnfitting { batch.unfitting.append(name(of: row, layout)) }
            return
        }
        guard case .lead(var lead, let linkWords) = layout.lead.reader.read(row, log: &log) else {
            for c in matchers.indices { batch.chains[c].closed += 1 }
            return
        }
        var revenue: Double?
        if let column = layout.revenueColumn, !row.isBlank(column) {
            do {
                revenue = try LeadValues.amount(row.string(column), bareUnit: layout.revenueUnit)?.yi
            } catch {
                log.warn("revenue", "\(layout.lead.columns.headers[column]) '\(Diagnostic.quoted(row.string(column)))' is not an amount; the revenue is left unknown", at: row.location(ofCell: column))
            }
        }
        var fits = false
        for c in matchers.indices {
            let links = matchers[c].links(named: linkWords).links
            lead.links = links
            let matches = matchers[c].matches(explicit: links, code: lead.code, hits: batch.hits[c])
            if matches.isEmpty {
                noPlace(row, layout, in: &batch, chains: c..<(c + 1))
            } else {
                fits = true
                batch.chains[c].placements.append(RosterPlacement(enterprise: lead, revenue: revenue, matches: matches))
            }
        }
        if !fits && keepUnfitting { batch.unfitting.append(name(of: row, layout)) }
        if !linkWords.isEmpty, let column = layout.lead.linksColumn {
            LeadMatcher.warnUnknownLinks(
                linkWords, of: matchers, suggesting: linkSuggestions, what: "placed on", header: layout.lead.columns.headers[column],
                at: row.location(ofCell: column), log: &log)
        }
    }

    private func name(of row: Row, _ layout: RosterLayout) -> (name: String, location: FileLocation) {
        (LeadColumns.trimmed(row.string(layout.lead.nameColumn)), row.location)
    }

    private func noPlace(_ row: Row, _ layout: RosterLayout, in batch: inout RosterBatch, chains: Range<Int>) {
        for c in chains {
            batch.chains[c].unplaced += 1
            if keepUnplaced {
                batch.chains[c].unplacedNames.append(name(of: row, layout))
            }
        }
    }
}
