import Foundation
import Synchronization

/// Where leads come from.
public enum LeadSource: Sendable {
    /// The chain file's own `leads:` (each chain's own).
    case chainFile
    /// A lead file: YAML with a top-level `leads:` list, or a CSV/TSV export (`-` reads
    /// standard input); its format is told by ``InputFormats/source(for:options:)``.
    case file(String)
    /// Any table source, such as one a program made.
    case rows(any RowSource)
}

/// Counts of what became of the rows of one source, for one chain.
public struct LeadCounts: Sendable, Hashable {
    /// Data rows read (not counting the header, blank lines and repeated header rows),
    /// unreadable ones included.
    public var rows = 0
    /// Rows that could not be read; each is reported.
    public var unreadable = 0
    /// Rows that match at least one link of the chain.
    public var matched = 0
    /// Matched rows recommended (before merging duplicates across sources).
    public var recommended = 0
    /// Matched rows left out because they are local enterprises.
    public var local = 0
    /// Matched rows left out because they match only strong links.
    public var noTarget = 0
    /// Matched rows left out because their registration says they closed (注销, 吊销 …).
    public var closed = 0
    /// Matched rows left out because they are in a province left out
    /// (`--exclude-province`, `--outside-only`).
    public var excludedProvince = 0
    /// Blank lines and rows with every cell empty.
    public var blank = 0
    /// Rows repeating the header (files concatenated from several exports).
    public var repeatedHeaders = 0
    /// Footer lines after the data (数据来源：企查查, 共 32 条), not counted as rows.
    public var footers = 0
    /// Recommended rows a capped screening passed over without reading them whole: their
    /// best possible score was below what it keeps (``recommended`` counts them).
    public var passedOver = 0

    public init() {}

    /// The counts of a source's rows (``RowCounts``) with one chain's verdicts on them.
    init(rows: RowCounts, verdicts: VerdictCounts) {
        self.rows = rows.rows
        unreadable = rows.unreadable
        blank = rows.blank
        repeatedHeaders = rows.repeatedHeaders
        footers = rows.footers
        matched = verdicts.matched
        recommended = verdicts.recommended
        local = verdicts.local
        noTarget = verdicts.noTarget
        closed = verdicts.closed
        excludedProvince = verdicts.excludedProvince
        passedOver = verdicts.passedOver
    }

    mutating func add(_ other: LeadCounts) {
        passedOver += other.passedOver
        rows += other.rows
        unreadable += other.unreadable
        matched += other.matched
        recommended += other.recommended
        local += other.local
        noTarget += other.noTarget
        closed += other.closed
        excludedProvince += other.excludedProvince
        blank += other.blank
        repeatedHeaders += other.repeatedHeaders
        footers += other.footers
    }
}

/// What one chain made of the rows of one source.
struct VerdictCounts: Sendable, Hashable {
    var passedOver = 0
    var matched = 0
    var recommended = 0
    var local = 0
    var noTarget = 0
    var closed = 0
    var excludedProvince = 0

    mutating func add(_ other: VerdictCounts) {
        passedOver += other.passedOver
        matched += other.matched
        recommended += other.recommended
        local += other.local
        noTarget += other.noTarget
        closed += other.closed
        excludedProvince += other.excludedProvince
    }
}

/// An enterprise that matched a link but was left out of the list, and why
/// (`--explain-excluded`): nothing is dropped without a word.
public struct ExcludedLead: Hashable, Sendable {
    /// Why it was left out.
    public enum Reason: Hashable, Sendable {
        /// It is a local enterprise (the local name).
        case local(String)
        /// It matches only covered, strong links (their names).
        case onlyCovered([String])
        /// Its registration says it has closed (注销, 吊销 …).
        case closed
        /// It is in a province left out.
        case province(String)

        /// The reason in words.
        public var words: String {
            switch self {
            case .local(let name): "已是本地企业（\(name)）"
            case .onlyCovered(let links): "仅匹配已覆盖环节（\(links.joined(separator: "、"))）；--include-covered 可列入"
            case .closed: "登记状态为注销、吊销等，已不经营"
            case .province(let province): "位于\(province)，按 --exclude-province / --outside-only 排除"
            }
        }
    }

    public var name: String
    public var reason: Reason
    /// Where the lead was read.
    public var location: FileLocation
}

/// What one lead source gave one chain.
public struct LeadSourceSummary: Sendable, Hashable {
    /// The file as named, or the chain file for its own `leads:`.
    public var source: String
    /// CSV, TSV, YAML, or "chain file".
    public var format: String
    /// The encoding a CSV/TSV file was read in.
    public var encoding: LeadFileEncoding?
    /// What became of its rows.
    public var counts = LeadCounts()
    /// Bytes read from the file.
    public var bytes = 0
    /// Bytes of them read through mappings of the file (``ReadingOptions/mapsFiles``).
    public var mappedBytes = 0
    /// The header row as read.
    public var header: [String] = []
    /// Wall time spent on the source (shared by every chain screened in the same pass).
    public var seconds = 0.0

    public init(source: String, format: String) {
        self.source = source
        self.format = format
    }
}

/// One gap or weak link and its best leads.
public struct GapLeads: Sendable {
    /// The gap or weak link, with its priority and reasons.
    public var entry: GapEntry
    /// Best first: by the fit to this link plus every bonus
    /// (``Recommendation/score(for:scoring:)``).
    public var leads: [Recommendation]
    /// How many recommended leads match the link in all (``leads`` may be cut).
    public var matched: Int
}

/// The outcome of screening leads against one chain's gaps: the ranked 招商目标企业名录,
/// a per-gap view, and what became of every row.
public struct LeadScreening: Sendable {
    /// The gap analysis the leads were screened against.
    public let analysis: GapAnalysis
    /// The weights the scores were built with.
    public let scoring: LeadScoring
    /// The recommended leads, best first (score, then source order). A lead named in
    /// several sources appears once, with its best score.
    public var recommendations: [Recommendation]
    /// One summary per source, in the order screened.
    public var sources: [LeadSourceSummary]
    /// Problems found in the lead files (shared by every chain screened in the same
    /// pass): unreadable rows (errors) and values that could not be used (warnings).
    public var diagnostics: [Diagnostic] = []
    /// Rows recommended that belong to an enterprise recommended from an earlier row.
    public var duplicates = 0
    /// Of those, the rows not merged because a capped retention (``LeadRetention``) had
    /// dropped the other row: counted, so the summary can say so.
    public var unmergedDuplicates = 0
    /// How many enterprises were recommended, each once: ``recommendations`` may hold
    /// only the best of them (``LeadRetention``).
    public var recommendedCount = 0
    /// The ``LeadValues/nameHash(_:)`` of every enterprise recommended, for counting
    /// each once across chains.
    public var recommendedNames = NameHashSet()
    /// Names of leads left out because they are local enterprises, each once.
    public var localLeads: [String] = []
    /// Every enterprise left out, each once, with the reason, in source order; kept only
    /// when asked (``LeadScreener/keepExcluded``).
    public var excluded: [ExcludedLead] = []
    /// Wall time of the whole screening, seconds.
    public var seconds = 0.0
    /// Whether a source could not be read at all (a missing file, a YAML error …).
    public var failed = false
    /// The scorer that words the reasons the screening left for the list writers
    /// (``LeadScreener/wordsReasons`` false); nil when every recommendation has them.
    var reasonScorer: LeadScorer?

    /// A recommendation's reasons: as worded, or worded now when the screening left them
    /// for the list writers (``LeadScreener/wordsReasons``).
    public func reasons(of recommendation: borrowing Recommendation) -> [String] {
        guard recommendation.reasonsPending, let scorer = reasonScorer else { return recommendation.reasons }
        return scorer.pendingReasons(of: recommendation) ?? recommendation.reasons
    }

    /// The counts of every source together.
    public var totals: LeadCounts {
        sources.reduce(into: LeadCounts()) { $0.add($1.counts) }
    }

    /// The recommended leads that match a link, best first for that link.
    public func leads(for link: LinkRef, limit: Int? = nil) -> [Recommendation] {
        // Ties keep the overall ranking.
        var ranked: [(rank: Int, key: Double)] = []
        for (rank, recommendation) in recommendations.enumerated() where recommendation.strength(for: link) > 0 {
            ranked.append((rank, recommendation.score(for: link, scoring: scoring)))
        }
        ranked.sort { $0.key != $1.key ? $0.key > $1.key : $0.rank < $1.rank }
        let matching = ranked.map { recommendations[$0.rank] }
        return limit.map { Array(matching.prefix(max(0, $0))) } ?? matching
    }

    /// Each gap and weak link, highest priority first, with its best leads (gaps without
    /// any lead included, with none).
    public func perGap(limit: Int? = nil) -> [GapLeads] {
        analysis.entries.map { entry in
            let all = leads(for: entry.link)
            return GapLeads(entry: entry, leads: limit.map { Array(all.prefix(max(0, $0))) } ?? all, matched: all.count)
        }
    }

    /// The pass-through column names of every source, in first-seen order.
    public var passThroughColumns: [String] {
        var names: [String] = []
        var seen = Set<String>()
        for recommendation in recommendations {
            for name in recommendation.lead.passThrough.names where seen.insert(name).inserted {
                names.append(name)
            }
        }
        return names
    }
}

/// The screening of every chain of one run: one ``LeadScreening`` per chain, and what
/// the lead files gave, each file read once for all chains.
public struct ScreeningRun: Sendable {
    /// One screening per chain, in the order of ``LeadScreener/chains``.
    public var screenings: [LeadScreening]
    /// What each lead file gave (not the chain files' own leads), in the order read.
    public var sources: [RowSourceSummary]
    /// Problems of the lead files, in the order read.
    public var diagnostics: [Diagnostic]
    /// Whether a lead file could not be read at all.
    public var failed: Bool
}

/// Matches and scores leads for one chain: its analysis, matcher and scorer.
///
/// A class: the row loop reaches its matcher and scorer for every row, and a struct of
/// that size was copied (each part retained and released) at every call.
public final class ChainScreen: Sendable {
    public let analysis: GapAnalysis
    /// Matches leads to the chain's links.
    public let matcher: LeadMatcher
    /// Scores matched leads against the chain's gaps and weak links.
    public let scorer: LeadScorer

    public init(analysis: GapAnalysis, matcher: LeadMatcher, scorer: LeadScorer) {
        self.analysis = analysis
        self.matcher = matcher
        self.scorer = scorer
    }

    public var chain: Chain { analysis.chain }

    /// Matches and scores one lead.
    public func evaluate(_ lead: Lead, sourceIndex: Int = 0) -> LeadScorer.Verdict {
        scorer.evaluate(lead, matches: matcher.match(lead), sourceIndex: sourceIndex)
    }
}

/// Screens leads against the gaps of one or more chains: reads every source once,
/// matches each lead to every chain's links, scores those that match a gap or weak link,
/// and ranks them, chain by chain.
///
/// ```swift
/// let screener = try LeadScreener(analyses: chains.map { GapAnalysis($0) })
/// let run = screener.screen([.chainFile, .file("qcc-export.csv")])
/// for screening in run.screenings {
///     for recommendation in screening.recommendations.prefix(20) { … }
/// }
/// ```
public struct LeadScreener: Sendable {
    /// The chains screened, in order.
    public let chains: [ChainScreen]
    /// How lead files are read.
    public var reading: ReadingOptions
    /// The weights of the score.
    public let scoring: LeadScoring
    /// Whether to keep every enterprise left out, with the reason
    /// (``LeadScreening/excluded``), for `--explain-excluded`.
    public var keepExcluded = false
    /// What to keep of the recommendations while reading (``LeadRetention``): all by
    /// default; a command that shows only the best sets a cap, and memory stays flat.
    public var retention: LeadRetention = .all
    /// Whether the reasons of the recommendations kept are worded when the screening
    /// ends. False leaves them for the list writers (``LeadReport/writeJSON(_:limit:to:)``,
    /// ``LeadReport/writeCSV(_:limit:to:)``), which word each as they write it, so that a
    /// list of tens of thousands is never held with all its reasons; every other output
    /// reads ``Recommendation/reasons`` and needs them worded.
    public var wordsReasons = true
    /// Whether a capped screening passes over rows below what it keeps (``ScoreFloor``),
    /// and a screening judges a row from its sketch when no chain needs more of it
    /// (``LeadRowReader/sketch(_:registrationClosed:scoring:)``); off only to check that
    /// doing so changes nothing.
    var passesOver = true
    /// Whether every chain's matcher is the one given to ``init(analyses:scoring:reading:matchers:)``.
    let usesCompiledMatchers: Bool
    /// The automaton of every chain's keywords, when it was compiled beforehand from the
    /// matchers given (``usesCompiledMatchers``); else each lead file's read compiles it.
    var keywords: ChainKeywords?

    /// Compiles every chain's matcher (expanding keywords into their Traditional
    /// spellings) and scorer. Throws when a preferred region is unknown.
    ///
    /// `matchers`, one per chain in order (those the roster placement compiled), are used
    /// for the chains whose links they were compiled from: a matcher reads a chain's links
    /// only, and placing a roster adds enterprises, not links.
    public init(
        analyses: [GapAnalysis], scoring: LeadScoring = LeadScoring(), reading: ReadingOptions = ReadingOptions(),
        matchers compiled: [LeadMatcher]? = nil
    ) throws(DiagnosticError) {
        // The matchers side by side: each chain's keywords are compiled on their own.
        let compiled = compiled?.count == analyses.count ? compiled : nil
        let matchers = Parallel.map(analyses.count) { c in
            if let matcher = compiled?[c], matcher.chain.links == analyses[c].chain.links { return matcher }
            return LeadMatcher(chain: analyses[c].chain)
        }
        usesCompiledMatchers = compiled.map { compiled in zip(compiled, matchers).allSatisfy { $0 === $1 } } ?? false
        var chains: [ChainScreen] = []
        for (analysis, matcher) in zip(analyses, matchers) {
            chains.append(ChainScreen(
                analysis: analysis, matcher: matcher, scorer: try LeadScorer(analysis: analysis, scoring: scoring)))
        }
        self.chains = chains
        self.scoring = scoring
        self.reading = reading
    }

    /// The screener of one chain.
    public init(
        analysis: GapAnalysis, scoring: LeadScoring = LeadScoring(), reading: ReadingOptions = ReadingOptions()
    ) throws(DiagnosticError) {
        try self.init(analyses: [analysis], scoring: scoring, reading: reading)
    }

    /// Screens the sources in order: each chain's own leads for `.chainFile`, and each
    /// file once, for every chain at a time. `progress` is called from the reading
    /// thread while a file is read.
    public func screen(_ sources: [LeadSource], progress: (@Sendable (ReadProgress) -> Void)? = nil) -> ScreeningRun {
        let clock = ContinuousClock()
        let began = clock.now
        var perChain = chains.map { _ in ChainCollector() }
        var run = ScreeningRun(screenings: [], sources: [], diagnostics: [], failed: false)
        for (index, source) in sources.enumerated() {
            switch source {
            case .chainFile:
                for (c, screen) in chains.enumerated() {
                    perChain[c].add(
                        Self.screenOwnLeads(screen, sourceIndex: index, keepExcluded: keepExcluded),
                        retention: retention, scoring: scoring)
                }
            case .file(let path):
                read(InputFormats.source(for: path, options: reading), sourceIndex: index, progress: progress, into: &perChain, run: &run)
            case .rows(let rows):
                read(rows, sourceIndex: index, progress: progress, into: &perChain, run: &run)
            }
        }
        // Each chain's merge and ranking on its own thread: they share nothing. A collector
        // is taken out of the shared slot (as RosterPlacer does its rosters), so that it is
        // held once and its recommendations are moved into the ranked list, not copied.
        let slots = Mutex(perChain.map(Optional.some))
        perChain = []
        let chains = self.chains
        let retention = retention
        let words = wordsReasons
        let ranked = Parallel.map(chains.count) { c in
            slots.withLock { $0[c].take()! }.screening(chains[c].scorer, retention: retention, wordsReasons: words)
        }
        let seconds = Double.seconds(clock.now - began)
        run.screenings = ranked.map { screening in
            var screening = screening
            screening.diagnostics = run.diagnostics
            screening.failed = run.failed
            screening.seconds = seconds
            return screening
        }
        return run
    }

    /// Reads one table source for every chain.
    private func read(
        _ source: any RowSource, sourceIndex: Int, progress: (@Sendable (ReadProgress) -> Void)?,
        into perChain: inout [ChainCollector], run: inout ScreeningRun
    ) {
        var consumer = LeadRowScreen(
            chains: chains, sourceIndex: sourceIndex, keepExcluded: keepExcluded, retention: retention, keywords: keywords)
        consumer.passesOver = passesOver
        // The formats chainmap knows are called on their own types, so that the compiler
        // specialises their row loops for this consumer: through `any RowSource` the loop
        // would run as unspecialised generic code, looking up type metadata for every row.
        var read: RowRead<ScreenBatch>
        switch source {
        case let delimited as DelimitedRowSource: read = delimited.read(into: consumer, progress: progress)
        case let yaml as YAMLRowSource: read = yaml.read(into: consumer, progress: progress)
        case let workbook as XLSXRowSource: read = workbook.read(into: consumer, progress: progress)
        default: read = source.read(into: consumer, progress: progress)
        }
        run.sources.append(read.summary)
        run.diagnostics += read.diagnostics
        run.failed = run.failed || read.failed
        // The batches taken out of the read, so that each chain's lists are moved out of
        // them, held once (``SourceOutcome/init(chain:taking:summary:rows:)``).
        var batches = read.takeBatches()
        for c in chains.indices {
            var summary = LeadSourceSummary(source: read.summary.file, format: read.summary.format)
            summary.encoding = read.summary.encoding
            summary.bytes = read.summary.bytes
            summary.mappedBytes = read.summary.mappedBytes
            summary.header = read.summary.header
            summary.seconds = read.summary.seconds
            perChain[c].add(
                SourceOutcome(chain: c, taking: &batches, summary: summary, rows: read.summary.counts),
                retention: retention, scoring: scoring)
        }
    }

    /// Screens a chain's own leads (already resolved by the loader).
    static func screenOwnLeads(_ screen: ChainScreen, sourceIndex: Int, keepExcluded: Bool) -> SourceOutcome {
        var summary = LeadSourceSummary(source: screen.chain.file, format: "chain file")
        var batch = ChainBatch()
        for lead in screen.chain.leads {
            summary.counts.rows += 1
            let matches = screen.matcher.match(lead)
            guard !matches.isEmpty else { continue }
            batch.take(screen.scorer.evaluate(lead, matches: matches, sourceIndex: sourceIndex), lead: lead, in: Unmanaged.passUnretained(screen), keepExcluded: keepExcluded)
        }
        summary.counts = LeadCounts(rows: RowCounts.counting(rows: summary.counts.rows), verdicts: batch.counts)
        return SourceOutcome(
            summary: summary, recommendations: [batch.recommendations], localNames: batch.localNames, excluded: batch.excluded,
            recommendedNames: batch.names)
    }

    /// Best first: higher score, then earlier source, then earlier line, then name
    /// (``RankKey/ranksBefore(_:_:namesBefore:)``, the one definition of the order).
    static func ranksBefore(_ a: Recommendation, _ b: Recommendation) -> Bool {
        RankKey.ranksBefore(RankKey(a, slot: 0), RankKey(b, slot: 1)) { _, _ in a.lead.name < b.lead.name }
    }
}

/// What one source gave one chain.
struct SourceOutcome: Sendable {
    var summary: LeadSourceSummary
    /// The recommendations, in batches in file order (one per block), so that merging
    /// never copies them.
    var recommendations: [[Recommendation]]
    var localNames: [String]
    var excluded: [ExcludedLead]
    /// The ``LeadValues/nameHash(_:)`` of every enterprise recommended, kept or not.
    var recommendedNames = NameHashSet()
}

extension SourceOutcome {
    /// Chain `c`'s part of a table source's batches, in file order, its recommendation
    /// lists moved out of them (``ChainBatch/takeBlocks(into:)``): the outcome holds each
    /// list once, so that its collector's cut moves the recommendations. A list that the
    /// batches held too was copied by that cut (``Recommendation/joinedMoving(_:)``), each of
    /// its recommendations' parts retained, and the originals released when the read was
    /// freed. The summary's counts are `rows` with the batches' verdicts on them.
    init(chain c: Int, taking batches: inout [ScreenBatch], summary: LeadSourceSummary, rows: RowCounts) {
        var verdicts = VerdictCounts()
        var lists: [[Recommendation]] = []
        var local: [String] = []
        var excluded: [ExcludedLead] = []
        var names = NameHashSet()
        for b in batches.indices {
            verdicts.add(batches[b].chains[c].counts)
            batches[b].chains[c].takeBlocks(into: &lists)
            local += batches[b].chains[c].localNames
            excluded += batches[b].chains[c].excluded
            names.formUnion(batches[b].chains[c].names)
        }
        var summary = summary
        summary.counts = LeadCounts(rows: rows, verdicts: verdicts)
        self.init(
            summary: summary, recommendations: consume lists, localNames: consume local, excluded: consume excluded,
            recommendedNames: consume names)
    }
}

/// Gathers what every source gave one chain, then ranks it.
struct ChainCollector {
    var sources: [LeadSourceSummary] = []
    var batches: [[Recommendation]] = []
    var local: [String] = []
    var excluded: [ExcludedLead] = []
    var recommendedNames = NameHashSet()

    mutating func add(_ outcome: consuming SourceOutcome, retention: LeadRetention, scoring: LeadScoring) {
        sources.append(outcome.summary)
        // Taken out of the outcome, so that this collector holds each list once and the cut
        // moves its recommendations: a list still held by the outcome too was copied by
        // ``Recommendation/joinedMoving(_:)``, each of its parts retained.
        batches += outcome.recommendations
        outcome.recommendations = []
        local += outcome.localNames
        excluded += outcome.excluded
        recommendedNames.formUnion(outcome.recommendedNames)
        cut(retention, scoring: scoring)
    }

    /// Under a cap, the batches as one list of what the outputs can show
    /// (``LeadRetention/prune(_:scoring:always:)``).
    mutating func cut(_ retention: LeadRetention, scoring: LeadScoring, always: Bool = false) {
        guard retention.isCapped else { return }
        var all = Recommendation.joinedMoving(&batches)
        retention.prune(&all, scoring: scoring, always: always)
        batches = [all]
    }

    /// The chain's screening: one entry per enterprise, its rows merged
    /// (``LeadScorer/merging(_:_:)``), ranked. Ranked through an index, so that the large
    /// recommendation values are moved once (out of the collector, which is consumed:
    /// copied, each of a recommendation's parts was retained, and released again when the
    /// batches were freed).
    consuming func screening(_ scorer: LeadScorer, retention: LeadRetention, wordsReasons: Bool = true) -> LeadScreening {
        let analysis = scorer.analysis
        var screening = LeadScreening(analysis: analysis, scoring: scorer.scoring, recommendations: [], sources: sources)
        var best: [UInt64: Int] = [:]
        var kept: [(batch: Int, index: Int)] = []
        // A capped screening keeps what its outputs show, cut the same way every time.
        cut(retention, scoring: scorer.scoring, always: true)
        var batches = self.batches
        self.batches = []
        let total = batches.reduce(0) { $0 + $1.count }
        best.reserveCapacity(total)
        kept.reserveCapacity(total)
        // Each row is reached in place for its name's hash: iterating the batches by value
        // copied every recommendation, retaining and releasing each of its parts. A row of
        // an enterprise seen before is noted with the slot of its first row.
        var repeats: [(slot: Int, batch: Int, index: Int)] = []
        for b in batches.indices {
            for i in batches[b].indices {
                let key = batches[b][i].nameHash
                if let slot = best[key] {
                    repeats.append((slot, b, i))
                } else {
                    best[key] = kept.count
                    kept.append((b, i))
                }
            }
        }
        let mergeCount = repeats.count
        // Each enterprise's rows merged into its first, in the order read (``LeadScorer/
        // merging(_:_:)``), the enterprises in parts on every core: they share nothing.
        repeats.sort { ($0.slot, $0.batch, $0.index) < ($1.slot, $1.batch, $1.index) }
        var groups: [Range<Int>] = []
        var start = 0
        while start < repeats.count {
            var end = start + 1
            while end < repeats.count && repeats[end].slot == repeats[start].slot { end += 1 }
            groups.append(start..<end)
            start = end
        }
        let parts = max(1, min(64, groups.count / 64))
        var merged: [Recommendation] = { [batches, repeats, groups, kept] in
            Parallel.map(parts) { part in
                groups[(part * groups.count / parts)..<((part + 1) * groups.count / parts)].map { group in
                    let first = kept[repeats[group.lowerBound].slot]
                    var merged = batches[first.batch][first.index]
                    // The rows gathered once, in the order merged, and sorted at the end as
                    // each merge sorted them (a stable sort by file and line).
                    var rows = merged.rows
                    // The tags too, in the order the merges put them (``TagFold``); the
                    // merges score with each side's first tag of each tier: joined merge by
                    // merge, 10,000 rows of one name, a tag each, took 33 s.
                    var tags = TagFold(merged.lead.tags)
                    merged.lead.tags = scorer.tierTags(merged.lead.tags)
                    for r in group {
                        var other = batches[repeats[r].batch][repeats[r].index]
                        let otherTags = other.lead.tags
                        other.lead.tags = scorer.tierTags(otherTags)
                        var joined = false
                        var next = scorer.merging(merged, other, reasons: false, rows: false, joined: &joined)
                        // The merge leads with the better row's fields, and its place.
                        let mergedFirst = next.lead.location == merged.lead.location
                        if joined {
                            rows += other.rows
                            tags.join(otherTags, before: !mergedFirst)
                            next.lead.tags = scorer.tierTags(next.lead.tags)
                        } else if !mergedFirst {
                            // The other row stands alone, and is all there is.
                            rows = other.rows
                            tags = TagFold(otherTags)
                        }
                        merged = next
                    }
                    merged.lead.tags = tags.tags
                    rows.sort(by: Recommendation.inRowOrder)
                    let own = merged.lead.location
                    merged.mergedRows = rows.filter { $0 != own }
                    return merged
                }
            }.flatMap { $0 }
        }()
        // For each slot, its merged recommendation (in `merged`), or -1.
        var mergedSlot = [Int](repeating: -1, count: kept.count)
        for (g, group) in groups.enumerated() { mergedSlot[repeats[group.lowerBound].slot] = g }
        // Ranked through keys (``LeadScreener/ranksBefore(_:_:)``'s parts, read once): the
        // large values are reached again only for a tie on all of them (rows of two sheets),
        // and each is moved once, into place.
        var order = kept.indices.map { slot in
            mergedSlot[slot] >= 0
                ? RankKey(merged[mergedSlot[slot]], slot: slot) : RankKey(batches[kept[slot].batch][kept[slot].index], slot: slot)
        }
        order.sort { a, b in
            RankKey.ranksBefore(a, b) { a, b in
                let (x, y) = (mergedSlot[a], mergedSlot[b])
                let (ka, kb) = (kept[a], kept[b])
                return (x >= 0 ? merged[x] : batches[ka.batch][ka.index]).lead.name
                    < (y >= 0 ? merged[y] : batches[kb.batch][kb.index]).lead.name
            }
        }
        // Every recommendation moved once, straight to its rank: each batch and the merges
        // are emptied from the end (a move, no copy), and each slot's recommendation (its
        // merge, else its row) initialises its place in the list; the rows merged into
        // another are let go. Taking each out of its place in rank order left a vacant
        // value behind, whose every part was retained and later released.
        var rank = [Int](repeating: 0, count: kept.count)
        for (position, key) in order.enumerated() { rank[key.slot] = position }
        var rowSlot = batches.map { [Int](repeating: -1, count: $0.count) }
        for (slot, row) in kept.enumerated() where mergedSlot[slot] < 0 { rowSlot[row.batch][row.index] = slot }
        // The batches in two halves of about as many rows, each moved by a thread of its
        // own (the merges by the second): a list of tens of thousands of large values,
        // written to at random, took a quarter of the time between the reading and the
        // output on one core while the other waited. Each half is held by its thread alone,
        // so that emptying it moves, never copies.
        var half = 0
        var rowsBefore = 0
        while half < batches.count && 2 * (rowsBefore + batches[half].count) <= total {
            rowsBefore += batches[half].count
            half += 1
        }
        let halves = Mutex([
            Placing(batches: Array(batches[..<half]), first: 0), Placing(batches: Array(batches[half...]), first: half, merges: merged),
        ])
        batches = []
        merged = []
        let (rankOf, rowSlots, repeated, groupRanges) = (rank, rowSlot, repeats, groups)
        var picked = [Recommendation](unsafeUninitializedCapacity: kept.count) { list, initialized in
            let places = Places(base: list.baseAddress!)
            let placed = Parallel.map(2) { h in
                var part = halves.withLock { halves in
                    var part = Placing(batches: [], first: 0)
                    swap(&part, &halves[h])
                    return part
                }
                var placed = 0
                for b in part.batches.indices.reversed() {
                    let slots = rowSlots[part.first + b]
                    var i = part.batches[b].count
                    while let recommendation = part.batches[b].popLast() {
                        i -= 1
                        let slot = slots[i]
                        if slot >= 0 {
                            places.put(recommendation, at: rankOf[slot])
                            placed += 1
                        }
                    }
                }
                var g = part.merges.count
                while let recommendation = part.merges.popLast() {
                    g -= 1
                    places.put(recommendation, at: rankOf[repeated[groupRanges[g].lowerBound].slot])
                    placed += 1
                }
                return placed
            }.reduce(0, +)
            // One recommendation for each slot (the ranks are a permutation of the slots),
            // or the list would hold places never set.
            precondition(placed == kept.count, "\(placed) recommendations for \(kept.count) enterprises")
            initialized = placed
        }
        // Rows were scored without their reasons in words: only those kept get them, in
        // parts on every core, read through the list's buffer and set in place (copying
        // each recommendation in and out retained each of its parts twice).
        // (A function of its own, so that no second reference to the list outlives it and
        // the writes below stay in place.)
        func reasons(_ list: [Recommendation]) -> [[[String]?]] {
            let parts = max(1, min(64, list.count / 512))
            return Parallel.map(parts) { part in
                list.withUnsafeBufferPointer { list in
                    ((part * list.count / parts)..<((part + 1) * list.count / parts)).map { scorer.pendingReasons(of: list[$0]) }
                }
            }
        }
        let worded = wordsReasons ? reasons(picked) : []
        if !wordsReasons { screening.reasonScorer = scorer }
        var i = 0
        for part in worded {
            for reasons in part {
                if let reasons {
                    picked[i].reasons = reasons
                    picked[i].reasonsPending = false
                }
                i += 1
            }
        }
        screening.recommendations = picked
        // Counted over every row recommended, kept or not.
        screening.recommendedCount = recommendedNames.count
        screening.recommendedNames = recommendedNames
        screening.duplicates = sources.reduce(0) { $0 + $1.counts.recommended } - recommendedNames.count
        // Rows of one enterprise whose partner row was dropped by a capped retention: said
        // in the summary, never silently.
        screening.unmergedDuplicates = max(0, screening.duplicates - mergeCount)
        var seen = Set<String>()
        screening.localLeads = local.filter { seen.insert(LeadValues.nameKey($0)).inserted }
        // An enterprise recommended from another row is not "left out"; the rest, each once.
        var listed = Set(best.keys)
        screening.excluded = excluded.filter { listed.insert(LeadValues.nameHash($0.name)).inserted }
        return screening
    }
}

/// Rows to move into their ranks in ``ChainCollector/screening(_:retention:wordsReasons:)``:
/// some batches, the first of them the `first`-th of the collector's, and merges.
private struct Placing: Sendable {
    var batches: [[Recommendation]]
    var first: Int
    var merges: [Recommendation] = []
}

/// The uninitialised places of a ranked list, each initialised once by one of the threads
/// that fill it (a permutation of the ranks shared between them).
private struct Places: @unchecked Sendable {
    let base: UnsafeMutablePointer<Recommendation>

    func put(_ recommendation: consuming Recommendation, at rank: Int) {
        (base + rank).initialize(to: recommendation)
    }
}

/// What ranking compares of a recommendation, read once, with the recommendation's slot
/// in a list: sorting keys compares numbers side by side, where comparing the
/// recommendations reached into a large value for each part.
struct RankKey {
    var score: Double
    var source: Int
    var line: Int
    var slot: Int

    init(_ r: borrowing Recommendation, slot: Int) {
        score = r.score
        source = r.sourceIndex
        line = r.lead.location.line
        self.slot = slot
    }

    /// Whether the first recommendation ranks before the second: higher score, then
    /// earlier source, then earlier line, then name. `namesBefore` compares the names of
    /// two slots, asked only for a tie on every other part.
    @inline(__always)
    static func ranksBefore(_ a: RankKey, _ b: RankKey, namesBefore: (Int, Int) -> Bool) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.source != b.source { return a.source < b.source }
        if a.line != b.line { return a.line < b.line }
        return namesBefore(a.slot, b.slot)
    }
}

extension RowCounts {
    /// Counts of a source whose rows are all readable data rows.
    static func counting(rows: Int) -> RowCounts {
        var counts = RowCounts()
        counts.rows = rows
        return counts
    }
}

// MARK: - Screening the rows of a table

/// What one chain made of one block of rows.
struct ChainBatch: Sendable {
    /// The recommendations of this block; under a cap, of every block absorbed, pruned.
    var recommendations: [Recommendation] = []
    /// Without a cap, those of the blocks absorbed, one array per block in file order:
    /// never joined into one, which grew by doubling and held up to three times the
    /// recommendations' size while it did (32 MB for 33,000 recommendations).
    var absorbedBlocks: [[Recommendation]] = []
    var counts = VerdictCounts()
    var localNames: [String] = []
    /// The leads left out, kept when asked.
    var excluded: [ExcludedLead] = []
    /// The ``LeadValues/nameHash(_:)`` of every enterprise recommended, kept or not, of
    /// the blocks absorbed; this block's own are listed in ``newNames`` as they come, and
    /// hashed into the set once, when absorbed (``names``).
    var recommendedNames = NameHashSet()
    var newNames: [UInt64] = []
    /// Under a cap, the best scores of ``recommendations`` (``ScoreTops``): of all of them
    /// once this batch has absorbed another (``topsTakeAll``); a block's own batch has
    /// taken in none.
    var tops = ScoreTops()
    var topsTakeAll = false

    /// Every enterprise recommended (``recommendedNames`` and ``newNames``).
    var names: NameHashSet {
        guard !newNames.isEmpty else { return recommendedNames }
        var names = recommendedNames
        names.formUnion(newNames)
        return names
    }

    /// Takes the next block's batch of the same chain, then drops what `retention` says
    /// no output needs.
    mutating func absorb(_ later: consuming ChainBatch, retention: LeadRetention, scoring: LeadScoring) {
        if retention.isCapped {
            // The best scores of this list and of the later batch's, before they are cut (a
            // batch that has absorbed others holds the best of them all: cuts keep those).
            if !topsTakeAll { recommendations.withUnsafeBufferPointer { tops.add($0, retention: retention, scoring: scoring) } }
            later.recommendations.withUnsafeBufferPointer { tops.add($0, retention: retention, scoring: scoring) }
            topsTakeAll = true
            // Moved, not copied: this list, then the later batch's, each emptied in turn.
            var lists = later.absorbedBlocks
            later.absorbedBlocks = []
            lists.append(later.recommendations)
            later.recommendations = []
            let incoming = lists.reduce(0) { $0 + $1.count }
            if recommendations.count + incoming <= retention.heldUncut {
                // Cut only once the list has grown well past what is kept: cut at every
                // block, the kept list was moved, ranked and cut again for the few that
                // came in (7 % of a ten-chain report). What is kept at the end is the same
                // (the last cut always cuts), and so are the floors (``tops``).
                for l in lists.indices { recommendations.appendMoving(&lists[l]) }
            } else {
                lists.insert(recommendations, at: 0)
                recommendations = []
                recommendations = Recommendation.joinedMoving(&lists)
                retention.prune(&recommendations, scoring: scoring)
            }
        } else {
            var lists: [[Recommendation]] = []
            takeBlocks(into: &lists)
            later.takeBlocks(into: &lists)
            absorbedBlocks = lists
        }
        counts.add(later.counts)
        localNames += later.localNames
        excluded += later.excluded
        if !newNames.isEmpty {
            recommendedNames.formUnion(newNames)
            newNames = []
        }
        recommendedNames.formUnion(later.recommendedNames)
        recommendedNames.formUnion(later.newNames)
    }

    /// Moves every recommendation list held, in file order (the blocks absorbed, then this
    /// one's), to the end of `lists` and leaves this batch without them, so that
    /// `lists` holds each list once and ``Recommendation/joinedMoving(_:)`` moves its
    /// recommendations: lists still held here were copied by it (each recommendation's
    /// parts retained, then released when the read was freed: a ten-chain report's
    /// largest cost after its scan).
    mutating func takeBlocks(into lists: inout [[Recommendation]]) {
        lists += absorbedBlocks
        absorbedBlocks = []
        if !recommendations.isEmpty {
            lists.append(recommendations)
            recommendations = []
        }
    }

    /// Records the verdict on a matched lead.
    /// `screen` is the chain's, unretained (``LeadRowScreen/screens``; passed the chain
    /// itself, each row copied it, retaining each of its parts), though only a left-out
    /// row's reason reads it.
    mutating func take(
        _ verdict: consuming LeadScorer.Verdict, lead: Lead, in screen: Unmanaged<ChainScreen>, keepExcluded: Bool,
        nameKey: LeadValues.NameKey? = nil
    ) {
        take(verdict, name: lead.name, location: lead.location, in: screen, keepExcluded: keepExcluded, nameKey: nameKey)
    }

    /// ``take(_:lead:in:keepExcluded:nameKey:)`` for a lead of this name and place in its
    /// file: all that a verdict reads of it (a row whose verdict its sketch tells,
    /// ``LeadRowReader/sketch(_:registrationClosed:scoring:)``, is never made a lead).
    ///
    /// The name is made only when it is kept (a local enterprise's, or a lead left out):
    /// a sketched row's is mostly not (``LeadRowReader/Sketch/name(in:)``).
    /// The place, and the reason a lead is left out, are made only when the leads left
    /// out are kept: a place holds the file's name, and making it retained that one
    /// string from both cores at every matching row (``Row/location``), each retain
    /// waiting for the other core's cache; a reason of covered links only was a list of
    /// names, allocated and dropped.
    mutating func take(
        _ verdict: consuming LeadScorer.Verdict, name: @autoclosure () -> String, location: @autoclosure () -> FileLocation,
        in screen: Unmanaged<ChainScreen>, keepExcluded: Bool, nameKey: LeadValues.NameKey? = nil
    ) {
        counts.matched += 1
        var reason: ExcludedLead.Reason?
        switch consume verdict {
        case .recommended(var recommendation):
            counts.recommended += 1
            let nameHash = nameKey?.hash ?? LeadValues.nameHash(name())
            recommendation.nameHash = nameHash
            // Moved into the list: read after the append, it was copied in (each of its
            // parts retained) and the original released.
            recommendations.append(consume recommendation)
            newNames.append(nameHash)
        case .local(let enterprise):
            counts.local += 1
            localNames.append(name())
            if keepExcluded { reason = .local(enterprise.name) }
        case .noTarget(let links):
            counts.noTarget += 1
            if keepExcluded {
                reason = .onlyCovered(screen._withUnsafeGuaranteedRef { screen in links.map { screen.chain[$0].name } })
            }
        case .excludedProvince(let province):
            counts.excludedProvince += 1
            if keepExcluded { reason = .province(province) }
        }
        if let reason {
            excluded.append(ExcludedLead(name: name(), reason: reason, location: location()))
        }
    }

    /// Records a recommended row that cannot be among those kept (below the floors): it
    /// counts, as a row and as an enterprise, but is not kept.
    mutating func takeUnkept(nameKey: LeadValues.NameKey) {
        counts.passedOver += 1
        counts.matched += 1
        counts.recommended += 1
        newNames.append(nameKey.hash)
    }

    /// Records a matched row whose registration says the enterprise has closed.
    /// Its place is made only when the leads left out are kept (``take(_:name:location:in:keepExcluded:nameKey:)``).
    mutating func takeClosed(name: String, at location: @autoclosure () -> FileLocation, keepExcluded: Bool) {
        counts.closed += 1
        if keepExcluded { excluded.append(ExcludedLead(name: name, reason: .closed, location: location())) }
    }
}

/// What every chain made of one block of rows.
struct ScreenBatch: RowBatch {
    var chains: [ChainBatch]
    /// Scratch space of the row loop, kept from row to row so that a row allocates
    /// nothing: each chain's keyword occurrences and whether it has evidence.
    var hits: [[LeadMatcher.Hit]]
    var evidence: [Bool]
    /// Each chain's links named by the row at hand's links column, and its matches.
    var links: [[LinkRef]]
    var matches: [[LinkMatch]]
    /// Whether each chain's matches of the row at hand cannot reach its floors.
    var unkept: [Bool]
    /// The matchers' working lists, for every row of the block.
    var matchScratch = LeadMatcher.MatchScratch()
    /// The tier points of the tags cells of the block's sketched rows
    /// (``LeadScorer/tierBound(tags:)``), by the cell's bytes.
    var tierBounds = TierBounds()
    /// Each chain's floors when the block began (nil when every lead is kept), and where
    /// the floors of every block are raised as blocks are merged.
    var floors: [ScoreFloor]?
    let sharedFloors: SharedFloors?
    /// What to keep of the recommendations as blocks are merged.
    let retention: LeadRetention
    let scoring: LeadScoring

    init(chains count: Int, retention: LeadRetention = .all, scoring: LeadScoring = LeadScoring(), floors: SharedFloors? = nil) {
        chains = Array(repeating: ChainBatch(), count: count)
        hits = Array(repeating: [], count: count)
        evidence = Array(repeating: false, count: count)
        links = Array(repeating: [], count: count)
        matches = Array(repeating: [], count: count)
        unkept = Array(repeating: false, count: count)
        self.retention = retention
        self.scoring = scoring
        sharedFloors = floors
        self.floors = floors?.current
    }

    /// The next block's batch, merged: so that a capped screening holds a bounded list
    /// while it reads, whatever the file's size.
    mutating func absorb(_ later: consuming ScreenBatch) {
        for c in chains.indices {
            // Each chain's batch taken out of the later one, so that its lists are held
            // once and moved (``ChainBatch/absorb(_:retention:scoring:)``).
            var chain = ChainBatch()
            swap(&chain, &later.chains[c])
            chains[c].absorb(consume chain, retention: retention, scoring: scoring)
            sharedFloors?.raise(c, to: chains[c].tops, retention: retention)
        }
    }

    mutating func shiftLines(by first: Int) {
        for c in chains.indices {
            // A block's own batch: it has absorbed none (``RowBatch/shiftLines(by:)``).
            for i in chains[c].recommendations.indices { chains[c].recommendations[i].lead.location.line += first }
            for i in chains[c].excluded.indices { chains[c].excluded[i].location.line += first }
        }
    }
}

/// How a lead export's header row lays out its columns, with what the row loop reads on
/// every row held at hand.
struct LeadLayout: Sendable {
    let columns: LeadColumns
    let reader: LeadRowReader
    let nameColumn: Int
    let codeColumn: Int?
    let linksColumn: Int?
    let scopeColumns: [Int]

    /// The layout of a header row; nil when no column names the enterprise.
    init?(header cells: [String]) {
        guard let columns = LeadColumns(headers: cells), let name = columns[.name] else { return nil }
        self.columns = columns
        reader = LeadRowReader(columns: columns)
        nameColumn = name
        codeColumn = columns[.code]
        linksColumn = columns[.links]
        scopeColumns = columns.scopeColumns
    }

    /// The fields its columns hold (``RowConsumer/fields(of:)``).
    var fields: Set<String> { Set(columns.columns.keys.map(\.rawValue)) }

    /// Why no row of a file was taken for the header.
    static func missingHeader(firstRow: [String]) -> String {
        let seen = firstRow.map(LeadColumns.trimmed).filter { !$0.isEmpty }.prefix(8).joined(separator: ", ")
        let expected = LeadColumns.Role.name.headers.dropLast().joined(separator: ", ")
        return "no header row names the enterprise: expected a column \(expected) in the first 20 rows; the first row has \(seen.isEmpty ? "no cells" : seen)"
    }
}

/// The tier points of tags cells (``LeadScorer/tierBound(tags:)`` of their tags), by the
/// cells' bytes as written and whether they are quoted (``Row/cellBytes(_:)``: what a
/// cell's text is made of), for one scoring: an export's rows share a few tags cells,
/// and each sketched row split its cell into strings and looked each tag's tier up
/// again. Holds at most ``limit`` cells, one per slot of its hash: a cell whose slot
/// holds another replaces it. (A dictionary hashed each cell twice, its bytes and then
/// their hash, a percent of a ten-chain report's work.)
struct TierBounds {
    private struct Entry {
        var hash: UInt64
        var bytes: [UInt8]
        var quoted: Bool
        var bound: Double?
    }
    private var slots: [Entry?] = []
    static let limit = 4096

    /// The bound of the cell `bytes` (`quoted` as the row's field says), else
    /// `compute`'s, remembered.
    mutating func bound(of bytes: UnsafeBufferPointer<UInt8>, quoted: Bool, _ compute: () -> Double?) -> Double? {
        let hash = Self.hash(bytes, quoted: quoted)
        if slots.isEmpty { slots = Array(repeating: nil, count: Self.limit) }
        let slot = Int(truncatingIfNeeded: hash) & (Self.limit - 1)
        if let bound = slots.withUnsafeBufferPointer({ slots -> Double?? in
            guard let entry = slots[slot], entry.hash == hash, entry.quoted == quoted, entry.bytes.count == bytes.count,
                  entry.bytes.withUnsafeBufferPointer({ bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
            else { return nil }
            return .some(entry.bound)
        }) {
            return bound
        }
        let bound = compute()
        slots[slot] = Entry(hash: hash, bytes: Array(bytes), quoted: quoted, bound: bound)
        return bound
    }

    /// A hash of a cell's bytes and quoting, eight bytes at a step, its high half folded
    /// into the low (whose bits pick the slot). Not ``LeadValues/hash(ofKeyBytes:)``, a
    /// byte at a step: a tags cell is looked up at nearly every sketched row.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) -> UInt64 {
        var h: UInt64 = quoted ? 0x9E37_79B9_7F4A_7C15 : 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(bytes.count)
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
            h ^= h >> 29
            i += 8
        }
        while i < bytes.count {
            h = (h ^ UInt64(bytes[i])) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h ^ h >> 32
    }
}

/// The consumer that screens the rows of a lead export against every chain at once: one
/// scan of each row's words finds the keywords of all chains (one automaton over every
/// chain's words), and only a row with evidence for some chain is read whole, matched
/// and scored.
struct LeadRowScreen: RowConsumer {
    let chains: [ChainScreen]
    let sourceIndex: Int
    /// Every chain's keywords in one automaton.
    let keywords: ChainKeywords

    /// Whether to keep the leads left out, with the reason.
    let keepExcluded: Bool
    /// What to keep of the recommendations.
    let retention: LeadRetention

    init(
        chains: [ChainScreen], sourceIndex: Int, keepExcluded: Bool = false, retention: LeadRetention = .all,
        keywords: ChainKeywords? = nil
    ) {
        self.chains = chains
        self.sourceIndex = sourceIndex
        self.keepExcluded = keepExcluded
        self.retention = retention
        self.keywords = keywords ?? ChainKeywords(chains.map(\.matcher))
        screens = chains.map { Unmanaged.passUnretained($0) }
        matchers = chains.map { Unmanaged.passUnretained($0.matcher) }
        linkSuggestions = LeadMatcher.linkSuggestions(chains.map(\.matcher))
        scorers = chains.map { Unmanaged.passUnretained($0.scorer) }
        floors = retention.isCapped
            ? SharedFloors(chains.map { ScoreFloor(links: $0.chain.links.count, retention: retention) }) : nil
        placesMatter = chains.contains { !$0.scorer.excludedProvinces.isEmpty }
        localKeys = Self.filter(of: chains.reduce(into: []) { $0.formUnion($1.scorer.localKeyHashes) })
        scoresAlike = Set(chains.map(\.scorer.scoring)).count <= 1
    }

    /// Whether every chain is scored with the same weights and tiers (a screening's are):
    /// the part of a row's bound that they set is then the same for every chain
    /// (``LeadScorer/bonusBound(tierBound:capital:invest:partner:)``).
    let scoresAlike: Bool

    /// The hashes of every chain's local enterprises' keys (``LeadScorer/localKeyHashes``),
    /// for ``nameKey(_:of:)``: a ``CharacterBits`` set of 16 of their bits (``slot(_:)``),
    /// set for those of some local key (a set of the hashes, looked up at every sketched
    /// row, took as long as the name's string it spared). A key whose bit is set is made
    /// as before.
    let localKeys: [UInt64]

    /// The 16 bits of a key's hash that ``localKeys`` holds.
    @inline(__always)
    static func slot(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: (hash ^ hash >> 32) & 0xFFFF) }

    /// ``localKeys`` of these hashes.
    static func filter(of hashes: Set<UInt64>) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: CharacterBits.words)
        words.withUnsafeMutableBufferPointer { bits in
            for hash in hashes { CharacterBits.insert(slot(hash), into: bits.baseAddress!) }
        }
        return words
    }

    /// The key of a sketched row's name (``LeadValues/NameKey``), for every chain it
    /// matches. Most are made from the name cell's bytes, without the name made: when
    /// those bytes are their own key (``LeadValues/nameKey(_:)`` changes nothing), no
    /// normalisation changes them, and no chain has a local enterprise of their hash
    /// (``localKeys``), ``LeadScorer/local(byKey:)`` answers at once and the key's text is
    /// never read.
    /// (Made of a string, the name and its key were 4 % of a ten-chain report's work.)
    func nameKey(_ sketch: LeadRowReader.Sketch, of row: Row) -> LeadValues.NameKey {
        if let column = sketch.nameColumn, let bytes = row.trimmedBytes(column), !LeadValues.keyChanges(bytes),
           LeadScorer.isNormalizationInert(bytes: bytes)
        {
            let hash = LeadValues.hash(ofKeyBytes: bytes)
            if !localKeys.withUnsafeBufferPointer({ CharacterBits.contains($0.baseAddress!, Self.slot(hash)) }) {
                return LeadValues.NameKey(notLocalHash: hash)
            }
        }
        return LeadValues.NameKey(name: sketch.name(in: row))
    }

    /// Whether some chain leaves out the enterprises of some province: a row's place
    /// cells are then read before it is passed over (``LeadRowReader/sketch(_:registrationClosed:scoring:)``
    /// reads none).
    let placesMatter: Bool

    /// Each chain's screen, matcher and scorer, reached without retaining them: each
    /// matching row asks them for every chain it has evidence for, from both cores, and a
    /// retain of an object the other core retains too waits for that core's cache. They
    /// live as long as ``chains``, which holds them.
    let screens: [Unmanaged<ChainScreen>]
    let matchers: [Unmanaged<LeadMatcher>]
    let scorers: [Unmanaged<LeadScorer>]
    /// The chains' link ids, for the "did you mean" of a links column's unknown words.
    let linkSuggestions: Suggestion.Candidates

    /// Runs `body` with chain `c`'s matcher (``matchers``).
    @inline(__always)
    func matcher<R>(_ c: Int, _ body: (LeadMatcher) -> R) -> R { matchers[c]._withUnsafeGuaranteedRef(body) }

    /// Runs `body` with chain `c`'s scorer (``scorers``).
    @inline(__always)
    func scorer<R>(_ c: Int, _ body: (LeadScorer) -> R) -> R { scorers[c]._withUnsafeGuaranteedRef(body) }

    /// The lowest scores still kept, per chain, when only the best are (see ``ScoreFloor``).
    let floors: SharedFloors?
    /// Whether rows below the floors are passed over (off only to check that passing
    /// over changes nothing).
    var passesOver = true

    func layout(forHeader cells: [String]) -> LeadLayout? { LeadLayout(header: cells) }

    func missingHeader(firstRow: [String]) -> String { LeadLayout.missingHeader(firstRow: firstRow) }

    func keyColumn(in layout: LeadLayout) -> Int { layout.nameColumn }

    func fields(of layout: LeadLayout) -> Set<String> { layout.fields }

    var keyDescription: String { "enterprise name" }

    func textColumns(in layout: LeadLayout) -> [Int] {
        (layout.codeColumn.map { [$0] } ?? []) + layout.scopeColumns
    }

    func makeBatch(_ layout: LeadLayout) -> ScreenBatch {
        ScreenBatch(chains: chains.count, retention: retention, scoring: chains.first?.scorer.scoring ?? LeadScoring(), floors: floors)
    }

    func consume(_ row: Row, layout: LeadLayout, into batch: inout ScreenBatch, log: inout RowLog) {
        // Evidence for each chain: keywords in the scope and the name, the code, the
        // links column.
        let code = keywords.scan(row, layout, into: &batch.hits)
        let explicit = layout.linksColumn.map { !row.isBlank($0) } ?? false
        let any = keywords.markEvidence(&batch.evidence, hits: batch.hits, explicit: explicit, slot: ChainKeywords.slot(of: code))
        guard any, row.requireText(log: &log) else { return }
        let reader = layout.reader

        // A closed enterprise is told by its registration cell alone (looked at once, for
        // this and for the reads below).
        let registrationClosed = reader.registrationSaysClosed(row)
        if reader.isClosedWithoutWarning(row, registrationClosed: registrationClosed) {
            takeClosed(row, layout: layout, into: &batch)
            return
        }
        // The matches need only the code, the links column and the keyword hits; the row is
        // read whole only when some chain has a gap or weak link among them (for most
        // matching rows of an export no chain does: they fit covered links only, or none).
        let linkWords = reader.linkWords(row)
        let industryCode = reader.code(row)
        // Under a cap, a row whose score is below what every chain keeps (``ScoreFloor``)
        // is counted but not read whole either: its score needs only a few cells.
        // Such a row needs its matches' strengths only: under a cap they are made without
        // their evidence, and made again with it for a row that is read whole.
        var targeted = false
        var belowFloors = false
        // Whether the row was glanced (its warnings given) before it is read whole.
        var glanced = false
        let withoutEvidence = passesOver && batch.floors != nil
        // The lists set through their buffers (each element set checked that its array was
        // unique, per chain and matching row).
        batch.links.withUnsafeMutableBufferPointer { linksOut in
            batch.matches.withUnsafeMutableBufferPointer { matchesOut in
                for c in chains.indices where batch.evidence[c] {
                    // The matcher and scorer unretained (``matchers``, ``scorers``); the arrays
                    // read out of the batch first, so that no closure reads the batch being set.
                    let links = matcher(c) { $0.links(named: linkWords).links }
                    let hits = batch.hits[c]
                    // Most rows are matched for their code alone: their matches looked up.
                    let known = withoutEvidence && links.isEmpty && hits.isEmpty ? keywords.codeMatches(industryCode, chain: c) : nil
                    // Else made in the last row's list, whose room is kept when nothing else
                    // holds it (a recommendation made of it, a list looked up).
                    if let known {
                        matchesOut[c] = known
                    } else {
                        matcher(c) {
                            $0.matches(
                                explicit: links, code: industryCode, hits: hits, evidence: !withoutEvidence, scratch: &batch.matchScratch,
                                into: &matchesOut[c])
                        }
                    }
                    let matches = matchesOut[c]
                    linksOut[c] = links
                    if scorer(c, { scorer in matches.contains { scorer.isTarget($0.link) } }) {
                        targeted = true
                        belowFloors = belowFloors || (passesOver && batch.floors?[c].overall.isFinite == true)
                    }
                }
            }
        }
        if targeted && belowFloors {
            // Most such rows score below every chain's floors by far: told from a sketch of
            // the cells the bound reads, no lead made.
            var sketchKey: LeadValues.NameKey?
            // With a sketch: the chain whose bound on it did not pass the row over. The
            // chains before it did (they are not bounded again), and it is scored.
            var sketchFailed: Int?
            if !placesMatter, let sketch = reader.sketch(row, registrationClosed: registrationClosed) {
                let key = nameKey(sketch, of: row)
                sketchKey = key
                guard let failed = firstKeeping(sketch, of: row, key: key, batch: &batch) else {
                    takeSketched(sketch, key: key, of: row, passedOver: true, into: &batch)
                    warnUnknownLinks(linkWords, layout: layout, row: row, log: &log)
                    return
                }
                sketchFailed = failed
            }
            // Scored from the cells the score reads; read whole only if some chain keeps it.
            guard case .open(let light) = reader.glance(row, registrationClosed: registrationClosed, log: &log) else {
                takeClosed(row, layout: layout, into: &batch)
                return
            }
            glanced = true
            // The sketch's name is the glance's (read alike).
            let key = sketchKey ?? LeadValues.NameKey(name: light.name)
            var kept = false
            for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
                // Before the chain the sketch failed on, each chain's matches were passed
                // over (``firstKeeping(_:of:key:batch:)`` says which) or have a verdict
                // without a score, judged again here as the glance reads them.
                let passedOver = sketchFailed.map { c < $0 && batch.unkept[c] } ?? false
                batch.unkept[c] = passedOver
                guard let floor = batch.floors?[c] else { kept = true; continue }
                // A local firm, one in a province left out, or one matching no gap is
                // judged from these cells alone; a recommended one is kept unless below.
                // Most are below by far: a bound tells them without scoring them.
                // Scored only: the recommendation is built if some chain keeps the row.
                let matches = batch.matches[c]
                if passedOver { continue }
                if c != sketchFailed, light.status == nil, scorer(c, { scorer in
                    scorer.exclusion(name: light.name, province: light.province, nameKey: key) == nil
                        && scorer.mustScoreBelow(floor, lead: light, matches: matches)
                }) {
                    batch.unkept[c] = true
                    continue
                }
                if case .scored(let score) = scorer(c, { $0.score(light, matches: matches, nameKey: key) }) {
                    if light.status == nil && floor.excludes(score, scoring: batch.scoring) {
                        batch.unkept[c] = true
                    } else {
                        kept = true
                    }
                }
            }
            if !kept {
                for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
                    if batch.unkept[c] {
                        batch.chains[c].takeUnkept(nameKey: key)
                    } else {
                        let matches = batch.matches[c]
                        let verdict = scorer(c) {
                            $0.evaluate(light, matches: matches, sourceIndex: sourceIndex, reasons: false, nameKey: key)
                        }
                        batch.chains[c].take(verdict, lead: light, in: screens[c], keepExcluded: keepExcluded, nameKey: key)
                    }
                }
                warnUnknownLinks(linkWords, layout: layout, row: row, log: &log)
                return
            }
        }
        if targeted {
            if withoutEvidence {
                for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
                    let (links, hits) = (batch.links[c], batch.hits[c])
                    batch.matches[c] = matcher(c) { $0.matches(explicit: links, code: industryCode, hits: hits, scratch: &batch.matchScratch) }
                }
            }
            guard case .lead(var lead, _) = reader.read(
                row, code: .some(industryCode), registrationClosed: registrationClosed, warns: !glanced, log: &log
            ) else {
                takeClosed(row, layout: layout, into: &batch)
                return
            }
            // The name's comparison key, once for the local check and the count of firms.
            let key = LeadValues.NameKey(name: lead.name)
            for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
                lead.links = batch.links[c]
                let matches = batch.matches[c]
                let verdict = scorer(c) { $0.evaluate(lead, matches: matches, sourceIndex: sourceIndex, reasons: false, nameKey: key) }
                batch.chains[c].take(verdict, lead: lead, in: screens[c], keepExcluded: keepExcluded, nameKey: key)
                // A capped screening prunes within the block too, so that a block of 50,000
                // matching rows never holds them all.
                if batch.chains[c].recommendations.count > retention.heldUncut {
                    retention.prune(&batch.chains[c].recommendations, scoring: batch.scoring)
                }
            }
        } else if passesOver, !placesMatter, let sketch = reader.sketch(row, registrationClosed: registrationClosed, scoring: false) {
            // No gap or weak link, and no province left out: the verdict needs the name
            // only, and the sketch tells that the row has nothing to warn about.
            takeSketched(sketch, key: nameKey(sketch, of: row), of: row, passedOver: false, into: &batch)
        } else {
            // No gap or weak link: the verdict needs the name and province only.
            guard case .open(let lead) = reader.glance(row, scoring: false, registrationClosed: registrationClosed, log: &log) else {
                takeClosed(row, layout: layout, into: &batch)
                return
            }
            let key = LeadValues.NameKey(name: lead.name)
            for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
                let matches = batch.matches[c]
                let verdict = scorer(c) {
                    $0.verdict(name: lead.name, province: lead.province, nameKey: key, untargeted: matches, naming: keepExcluded)
                }
                batch.chains[c].take(verdict, lead: lead, in: screens[c], keepExcluded: keepExcluded, nameKey: key)
            }
        }
        warnUnknownLinks(linkWords, layout: layout, row: row, log: &log)
    }

    /// The first chain whose matches of the row at hand are in `batch` that might keep it:
    /// not below its floors (``LeadScorer/mustScoreBelow(_:matches:bonus:)``);
    /// nil when every such chain passes it over or judges it from its name alone (a local
    /// enterprise, whose name `key` is, or matches to covered links only: a verdict
    /// without a score). Each chain before the one returned is marked in
    /// ``ScreenBatch/unkept`` when passed over, and unmarked when judged by name.
    /// Only when no chain leaves out a province (``placesMatter``): the sketch has none.
    private func firstKeeping(_ sketch: LeadRowReader.Sketch, of row: Row, key: LeadValues.NameKey, batch: inout ScreenBatch) -> Int? {
        // The part of the bound that the chain does not change (its tiers, size and
        // partner), worked out for the first chain that bounds the row, and kept for the
        // others when every chain scores alike: per chain, the tiers were looked up again.
        var bonus: Double??
        for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
            guard let floor = batch.floors?[c] else { return c }
            let matches = batch.matches[c]
            let judged = scorer(c) { scorer -> SketchJudgement in
                guard scorer.exclusion(name: sketch.name(in: row), province: nil, nameKey: key) == nil,
                      matches.contains(where: { scorer.isTarget($0.link) }) else { return .byName }
                guard floor.overall > -.infinity else { return .mightKeep }
                if bonus == nil || !scoresAlike {
                    // The tags cell's tier points looked up by its bytes when every chain
                    // scores alike (the memo is the batch's, for one scoring).
                    let tierBound: Double?
                    if scoresAlike, let column = sketch.tagColumn {
                        tierBound = batch.tierBounds.bound(of: row.cellBytes(column), quoted: row.fields[column].quoted) {
                            scorer.tierBound(tags: sketch.tags(in: row))
                        }
                    } else {
                        tierBound = scorer.tierBound(tags: sketch.tags(in: row))
                    }
                    bonus = tierBound.map {
                        scorer.bonusBound(tierBound: $0, capital: sketch.capital, invest: sketch.invest, partner: sketch.partner)
                    }
                }
                guard let bound = bonus ?? nil else { return .mightKeep }
                return scorer.mustScoreBelow(floor, matches: matches, bonus: bound) ? .passedOver : .mightKeep
            }
            guard judged != .mightKeep else { return c }
            batch.unkept[c] = judged == .passedOver
        }
        return nil
    }

    /// What a chain makes of a row from its sketch (``firstKeeping(_:of:key:batch:)``).
    private enum SketchJudgement {
        /// A verdict from the name alone: a local enterprise, or matches to covered links only.
        case byName
        /// Below the chain's floors.
        case passedOver
        /// Only a glance can tell.
        case mightKeep
    }

    /// Records a row told from its sketch alone, for every chain whose matches of it are in
    /// `batch`: with `passedOver`, passed over where ``ScreenBatch/unkept`` says so
    /// (``firstKeeping(_:of:key:batch:)``); else the verdict its name gives (a local
    /// enterprise, or matches to covered links only; no province is left out).
    private func takeSketched(
        _ sketch: LeadRowReader.Sketch, key: LeadValues.NameKey, of row: Row, passedOver: Bool, into batch: inout ScreenBatch
    ) {
        for c in chains.indices where batch.evidence[c] && !batch.matches[c].isEmpty {
            if passedOver && batch.unkept[c] {
                batch.chains[c].takeUnkept(nameKey: key)
            } else {
                let matches = batch.matches[c]
                let verdict = scorer(c) {
                    $0.verdict(name: sketch.name(in: row), province: nil, nameKey: key, untargeted: matches, naming: keepExcluded)
                }
                batch.chains[c].take(
                    verdict, name: sketch.name(in: row), location: row.location, in: screens[c], keepExcluded: keepExcluded, nameKey: key)
            }
        }
    }

    /// ``warnUnknownLinks(_:header:at:log:)`` for a row's links column, if it has one.
    private func warnUnknownLinks(_ words: [String], layout: LeadLayout, row: Row, log: inout RowLog) {
        if !words.isEmpty, let column = layout.linksColumn {
            warnUnknownLinks(words, header: layout.columns.headers[column], at: row.location(ofCell: column), log: &log)
        }
    }

    /// Records a matching row whose registration says the enterprise has closed, for
    /// every chain it has evidence for.
    private func takeClosed(_ row: Row, layout: LeadLayout, into batch: inout ScreenBatch) {
        let name = keepExcluded ? LeadColumns.trimmed(row.string(layout.nameColumn)) : ""
        for c in chains.indices where batch.evidence[c] {
            batch.chains[c].takeClosed(name: name, at: row.location, keepExcluded: keepExcluded)
        }
    }

    /// Warns about the words of a links column that name no link of any chain screened.
    func warnUnknownLinks(_ words: [String], header: String, at location: FileLocation, log: inout RowLog) {
        LeadMatcher.warnUnknownLinks(words, of: chains.map(\.matcher), suggesting: linkSuggestions, what: "screened", header: header, at: location, log: &log)
    }
}

extension LeadMatcher {
    /// The link ids of the matchers' chains, prepared for "did you mean" (row after row
    /// of an export may name links that are none).
    static func linkSuggestions(_ matchers: [LeadMatcher]) -> Suggestion.Candidates {
        Suggestion.Candidates(matchers.flatMap { $0.chain.links.map(\.id) })
    }

    /// Warns about the words of a links column (所属环节) that name no link of any of the
    /// `matchers`' chains (those `what`: screened, placed on): the row is then matched by
    /// its other evidence only, and would otherwise lose its link without a word.
    /// `suggesting` is ``linkSuggestions(_:)`` of the matchers.
    static func warnUnknownLinks(
        _ words: [String], of matchers: [LeadMatcher], suggesting: Suggestion.Candidates, what: String, header: String,
        at location: FileLocation, log: inout RowLog
    ) {
        for word in words where matchers.allSatisfy({ $0.links(named: [word]).links.isEmpty }) {
            log.warn("links", at: location) {
                let whose = matchers.count == 1 ? "of the chain" : "of any chain \(what)"
                var message = "\(header) names '\(word)', which is not a link id or name \(whose)"
                if let suggestion = suggesting.closest(to: word) {
                    message += "; did you mean '\(suggestion)'?"
                }
                return message
            }
        }
    }
}

/// The tags of many rows of one enterprise joined as ``LeadScorer/merging(_:_:)`` joins
/// two rows' tags, merge after merge, at the cost of each row's own tags: the better
/// row's tags first, as they are (repeats within them kept), then the other's not among
/// them, each once. Joining into one growing list searched it for every tag of every row.
struct TagFold {
    /// The tag lists joined, each with which of its places are still in the result.
    private var chunks: [(tags: [String], live: [Bool])] = []
    /// Chunks put before the rest (latest last), and after it (in order).
    private var front: [Int] = []
    private var back: [Int] = []
    /// The chunk whose repeats are still in the result: the one the better row brought.
    private var lead = 0
    /// Each tag's first place in the result.
    private var place: [String: (chunk: Int, index: Int)] = [:]

    init(_ tags: [String]) {
        chunks = [(tags, Array(repeating: true, count: tags.count))]
        back = [0]
        for (i, tag) in tags.enumerated() where place[tag] == nil { place[tag] = (0, i) }
    }

    /// Joins another row's tags: before the rest when that row ranks first, else after.
    mutating func join(_ tags: [String], before: Bool) {
        let c = chunks.count
        if before {
            // The rest keeps each tag once (its first place), and none of `tags`.
            for (i, tag) in chunks[lead].tags.enumerated() where chunks[lead].live[i] {
                if let first = place[tag], first.chunk != lead || first.index != i { chunks[lead].live[i] = false }
            }
            for tag in tags {
                if let old = place[tag], old.chunk != c { chunks[old.chunk].live[old.index] = false }
            }
            chunks.append((tags, Array(repeating: true, count: tags.count)))
            for (i, tag) in tags.enumerated() where place[tag]?.chunk != c { place[tag] = (c, i) }
            front.append(c)
            lead = c
        } else {
            var added: [String] = []
            for tag in tags where place[tag] == nil {
                place[tag] = (c, added.count)
                added.append(tag)
            }
            chunks.append((added, Array(repeating: true, count: added.count)))
            back.append(c)
        }
    }

    /// The tags joined, in order.
    var tags: [String] {
        var result: [String] = []
        for c in front.reversed() + back {
            for (i, tag) in chunks[c].tags.enumerated() where chunks[c].live[i] { result.append(tag) }
        }
        return result
    }
}

/// The keywords of one or more chains in one automaton, so that one scan of a row's words
/// finds the evidence for every chain: each distinct spelling once, with the chains that
/// have it. Lead screening and roster placement read rows through it.
struct ChainKeywords: Sendable {
    /// Every chain's patterns in one automaton, each distinct spelling once.
    let automaton: KeywordAutomaton
    /// For each pattern of ``automaton``: the chains that have it, and its number there;
    /// pattern `p`'s are `owners[ownerStarts[p] ..< ownerStarts[p + 1]]`. One flat list:
    /// a list per pattern was retained and released for every occurrence in every row.
    let owners: [(chain: Int32, pattern: Int32)]
    let ownerStarts: [Int32]
    /// For a single chain, its own automaton is used and no pattern needs translating.
    let single: Bool
    /// For every code slot (``IndustryCode/slot(digits:count:)``), whether each chain's
    /// link codes cover it, by slot then chain (``covers(_:chain:)``): every row asks it of
    /// every chain, and asking each chain's matcher retained and released the matcher,
    /// from both cores at once.
    let codeCovered: [Bool]
    let chainCount: Int
    /// For every code slot and chain (placed as in ``codeCovered``), where the chain's
    /// matches of a row whose only evidence is that code are in ``codeMatchLists``; -1
    /// where the chain's codes do not cover it (``codeMatches(_:chain:)``). It says what
    /// ``codeCovered`` says, but every row reads that, a quarter of the size, and only a
    /// row matched by its code alone reads this.
    let codeMatchIndex: [Int32]
    /// The matches of ``codeMatchIndex``, made without their evidence.
    let codeMatchLists: [[LinkMatch]]

    init(_ matchers: [LeadMatcher]) {
        chainCount = matchers.count
        var covered = [Bool](repeating: false, count: (matchers.first?.codeCovered.count ?? 0) * matchers.count)
        var index = [Int32](repeating: -1, count: covered.count)
        var lists: [[LinkMatch]] = []
        for (c, matcher) in matchers.enumerated() {
            for (slot, isCovered) in matcher.codeCovered.enumerated() where isCovered {
                covered[slot * matchers.count + c] = true
                index[slot * matchers.count + c] = Int32(lists.count)
                let code = IndustryCode(slot: slot)
                lists.append(matcher.matches(explicit: [], code: code, hits: [], evidence: false))
            }
        }
        codeCovered = covered
        codeMatchIndex = index
        codeMatchLists = lists
        if matchers.count == 1 {
            automaton = matchers[0].automaton
            owners = []
            ownerStarts = []
            single = true
        } else {
            var index: [[UInt8]: Int] = [:]
            var patterns: [String] = []
            var owners: [[(chain: Int32, pattern: Int32)]] = []
            for (c, matcher) in matchers.enumerated() {
                for (p, pattern) in matcher.automaton.patterns.enumerated() {
                    if let known = index[pattern] {
                        owners[known].append((Int32(c), Int32(p)))
                    } else {
                        index[pattern] = patterns.count
                        patterns.append(String(decoding: pattern, as: UTF8.self))
                        owners.append([(Int32(c), Int32(p))])
                    }
                }
            }
            automaton = KeywordAutomaton(patterns: patterns)
            self.owners = owners.flatMap { $0 }
            var starts: [Int32] = [0]
            starts.reserveCapacity(owners.count + 1)
            for list in owners { starts.append(starts.last! + Int32(list.count)) }
            ownerStarts = starts
            single = false
        }
    }

    /// Scans a row's scope columns and name for every chain's keywords (into `hits`,
    /// one list per chain, emptied first), and reads its GB/T code: (digits as a
    /// number, number of digits), from a code or an industry's name.
    func scan(_ row: Row, _ layout: LeadLayout, into hits: inout [[LeadMatcher.Hit]]) -> (value: Int, digits: Int)? {
        // Through the buffer, and only the lists with something in them: most rows have no
        // keyword of most chains, and each list emptied checked both arrays were unique.
        hits.withUnsafeMutableBufferPointer { hits in
            for c in hits.indices where !hits[c].isEmpty { hits[c].removeAll(keepingCapacity: true) }
        }
        let scanner = automaton.scanner
        // The name beside the first scope column, as one lane more (a name is short: scanned
        // alone, each of its steps waited for the one before).
        if let scope = layout.scopeColumns.first {
            scan(scanner, row, scope, .scope, beside: layout.nameColumn, into: &hits)
            for column in layout.scopeColumns.dropFirst() {
                scan(scanner, row, column, .scope, into: &hits)
            }
        } else {
            scan(scanner, row, layout.nameColumn, .name, into: &hits)
        }
        guard let column = layout.codeColumn else { return nil }
        if let parsed = Self.code(row.searchBytes(column)) { return parsed }
        // Else the cell as the reader reads it (``LeadRowReader/code(_:)``): trimmed, so that
        // a code behind characters trimming drops (`*C3213`) is evidence as it is a code.
        if !row.isBlank(column), let named = IndustryCodeTable.standard.code(in: row.trimmedString(column)), let value = Int(named.digits) {
            return (value, named.digits.count)
        }
        return nil
    }

    /// Finds the keywords in a cell, and in the name cell `beside` it when given (as one
    /// lane more, ``KeywordAutomaton/Scanner/forEachMatch(in:beside:_:_:)``), and hands
    /// each occurrence to its chains. An occurrence's end is its offset in the row, so that
    /// occurrences in different cells never seem to overlap.
    func scan(
        _ scanner: KeywordAutomaton.Scanner, _ row: Row, _ column: Int, _ field: LeadTextField, beside name: Int? = nil,
        into hits: inout [[LeadMatcher.Hit]]
    ) {
        let bytes = row.searchBytes(column)
        let nameBytes = name.map { row.searchBytes($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        func offset(_ cell: UnsafeRawBufferPointer) -> Int32 {
            cell.baseAddress.map { Int32(UnsafeRawPointer(row.base).distance(to: $0)) } ?? 0
        }
        let (offset, nameOffset) = (offset(bytes), offset(nameBytes))
        // Read out of the struct first, and the lists through buffers: a closure reading
        // them captured the whole struct, a copy (and a retain of each of its parts) per
        // cell, and each chain's list is reached without checking the list of lists.
        let single = self.single
        owners.withUnsafeBufferPointer { owners in
            ownerStarts.withUnsafeBufferPointer { starts in
                hits.withUnsafeMutableBufferPointer { hits in
                    func add(_ pattern: Int, end: Int32, _ field: LeadTextField) {
                        if single {
                            hits[0].append(LeadMatcher.Hit(pattern: Int32(pattern), end: end, field: field))
                        } else {
                            for k in Int(starts[pattern])..<Int(starts[pattern + 1]) {
                                let owner = owners[k]
                                hits[Int(owner.chain)].append(LeadMatcher.Hit(pattern: owner.pattern, end: end, field: field))
                            }
                        }
                    }
                    scanner.forEachMatch(in: bytes, beside: nameBytes) { pattern, end in
                        add(pattern, end: offset + Int32(end), field)
                    } _: { pattern, end in
                        add(pattern, end: nameOffset + Int32(end), .name)
                    }
                }
            }
        }
    }

    /// The slot of a code ``scan(_:_:into:)`` read: nil for none, or for a length no link
    /// code can cover (slots hold codes of 2 to 4 digits).
    static func slot(of code: (value: Int, digits: Int)?) -> Int? {
        guard let code, (2...4).contains(code.digits) else { return nil }
        return IndustryCode.slot(digits: code.value, count: code.digits)
    }

    /// Whether chain `c`'s link codes cover the code in `slot` (``slot(of:)``).
    func covers(_ slot: Int?, chain c: Int) -> Bool {
        slot.map { codeCovered[$0 * chainCount + c] } ?? false
    }

    /// Sets, for each chain, whether a row has evidence for it: a links column written
    /// (`explicit`), a keyword in `hits`, or a code in `slot` its links cover; whether
    /// any chain has. Every row of an export asks this of every chain: set one by one,
    /// each element checked that the array was unique, a call per chain and row.
    func markEvidence(_ evidence: inout [Bool], hits: [[LeadMatcher.Hit]], explicit: Bool, slot: Int?) -> Bool {
        precondition(evidence.count == chainCount && hits.count == chainCount, "one flag and one list per chain")
        return evidence.withUnsafeMutableBufferPointer { evidence in
            var any = false
            for c in 0..<chainCount {
                let found = explicit || !hits[c].isEmpty || covers(slot, chain: c)
                evidence[c] = found
                any = any || found
            }
            return any
        }
    }

    /// Chain `c`'s matches of a row whose only evidence is its code (no keyword, no links
    /// column), made without their evidence: what
    /// ``LeadMatcher/matches(explicit:code:hits:evidence:)`` makes of it, looked up. Under a
    /// cap most matching rows of an export are matched for their code alone, and by a few
    /// hundred codes: each made the same lists again (a tenth of a ten-chain report's
    /// work). nil for a code of another length, which is matched as usual.
    func codeMatches(_ code: IndustryCode?, chain c: Int) -> [LinkMatch]? {
        guard let code else { return [] }
        let digits = code.digits.utf8
        guard (2...4).contains(digits.count), let value = IndustryCode.value(ofDigits: digits) else { return nil }
        let i = codeMatchIndex[IndustryCode.slot(digits: value, count: digits.count) * chainCount + c]
        return i < 0 ? [] : codeMatchLists[Int(i)]
    }

    /// A GB/T code at the start of a cell, read from its bytes as
    /// `IndustryCode(parsing:)` does: (digits as a number, number of digits).
    static func code(_ bytes: UnsafeRawBufferPointer) -> (value: Int, digits: Int)? {
        var i = 0
        let end = bytes.count
        while i < end && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
        if i < end, KeywordAutomaton.fold(bytes[i]) &- UInt8(ascii: "a") < 20 { i += 1 }
        var value = 0
        var digits = 0
        while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int(bytes[i] &- UInt8(ascii: "0"))
            digits += 1
            i += 1
            if digits > 4 { return nil }
        }
        guard digits >= 2 else { return nil }
        if i < end, KeywordAutomaton.fold(bytes[i]) &- UInt8(ascii: "a") < 26 { return nil }
        return (value, digits)
    }
}
