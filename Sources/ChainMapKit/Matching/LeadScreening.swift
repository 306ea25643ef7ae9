import Foundation

/// What one lead source gave.
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
    /// How the header row was understood (CSV/TSV).
    public var columns: LeadColumns?
    /// Wall time spent on the source.
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
}

/// The outcome of screening leads against a chain's gaps: the ranked 招商目标企业名录,
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
    /// Problems found, source by source: unreadable rows (errors) and values that could
    /// not be used (warnings).
    public var diagnostics: [Diagnostic]
    /// Recommendations dropped because a better-scored row has the same name.
    public var duplicates = 0
    /// Names of leads left out because they are local enterprises, each once.
    public var localLeads: [String] = []
    /// Wall time of the whole screening, seconds.
    public var seconds = 0.0
    /// Whether a source could not be read at all (a missing file, a YAML error …).
    public var failed = false

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
        return limit.map { Array(matching.prefix($0)) } ?? matching
    }

    /// Each gap and weak link, highest priority first, with its best leads (gaps without
    /// any lead included, with none).
    public func perGap(limit: Int? = nil) -> [GapLeads] {
        analysis.entries.map { GapLeads(entry: $0, leads: leads(for: $0.link, limit: limit)) }
    }

    /// The pass-through column names of every source, in first-seen order.
    public var passThroughColumns: [String] {
        var names: [String] = []
        var seen = Set<String>()
        for recommendation in recommendations {
            for field in recommendation.lead.extra where seen.insert(field.name).inserted {
                names.append(field.name)
            }
        }
        return names
    }
}

/// Screens leads against one chain: reads the sources, matches every lead to the
/// links, scores those that match a gap or weak link, and ranks them.
///
/// ```swift
/// let analysis = GapAnalysis(chain)
/// let screener = try LeadScreener(analysis: analysis)
/// let screening = screener.screen([.chainFile, .file("qcc-export.csv")])
/// for recommendation in screening.recommendations.prefix(20) { … }
/// for gap in screening.perGap(limit: 5) { … }
/// ```
public struct LeadScreener: Sendable {
    /// The gap analysis of the chain.
    public let analysis: GapAnalysis
    /// Matches leads to links.
    public let matcher: LeadMatcher
    /// Scores matched leads.
    public let scorer: LeadScorer
    /// How lead exports are read.
    public var reading: LeadReadingOptions

    /// Compiles the matcher (expanding keywords into their Traditional spellings) and
    /// the scorer. Throws when a preferred region is unknown.
    public init(
        analysis: GapAnalysis, scoring: LeadScoring = LeadScoring(),
        reading: LeadReadingOptions = LeadReadingOptions()
    ) throws(DiagnosticError) {
        self.analysis = analysis
        self.matcher = LeadMatcher(chain: analysis.chain)
        self.scorer = try LeadScorer(analysis: analysis, scoring: scoring)
        self.reading = reading
    }

    /// The chain screened.
    public var chain: Chain { analysis.chain }

    /// Matches and scores one lead.
    public func evaluate(_ lead: Lead, sourceIndex: Int = 0) -> LeadScorer.Verdict {
        scorer.evaluate(lead, matches: matcher.match(lead), sourceIndex: sourceIndex)
    }

    /// Screens the sources in order. `progress` is called from the reading thread while
    /// a CSV/TSV file is read.
    public func screen(_ sources: [LeadSource], progress: (@Sendable (LeadProgress) -> Void)? = nil) -> LeadScreening {
        let clock = ContinuousClock()
        let began = clock.now
        var screening = LeadScreening(analysis: analysis, scoring: scorer.scoring, recommendations: [], sources: [], diagnostics: [])
        var batches: [[Recommendation]] = []
        var local: [String] = []
        for (index, source) in sources.enumerated() {
            let started = clock.now
            var result: SourceResult
            switch source {
            case .chainFile:
                result = screen(chain.leads, source: chain.file, format: "chain file", sourceIndex: index)
            case .file(let path):
                result = read(path, sourceIndex: index, progress: progress)
            }
            result.summary.seconds = Self.seconds(clock.now - started)
            screening.sources.append(result.summary)
            screening.diagnostics += result.diagnostics
            screening.failed = screening.failed || result.failed
            batches += result.recommendations
            local += result.localNames
        }

        // One entry per enterprise: the best-scored row of each name. Ranked through an
        // index, so that the large recommendation values are moved once.
        var best: [String: Int] = [:]
        var kept: [(batch: Int, index: Int)] = []
        for (b, batch) in batches.enumerated() {
            for (i, recommendation) in batch.enumerated() {
                let key = LeadValues.nameKey(recommendation.lead.name)
                if let slot = best[key] {
                    screening.duplicates += 1
                    let known = kept[slot]
                    if recommendation.score > batches[known.batch][known.index].score { kept[slot] = (b, i) }
                } else {
                    best[key] = kept.count
                    kept.append((b, i))
                }
            }
        }
        kept.sort { Self.ranksBefore(batches[$0.batch][$0.index], batches[$1.batch][$1.index]) }
        screening.recommendations = kept.map { batches[$0.batch][$0.index] }
        var seen = Set<String>()
        screening.localLeads = local.filter { seen.insert(LeadValues.nameKey($0)).inserted }
        screening.seconds = Self.seconds(clock.now - began)
        return screening
    }

    /// Best first: higher score, then earlier source, then earlier line.
    static func ranksBefore(_ a: Recommendation, _ b: Recommendation) -> Bool {
        if a.score != b.score { return a.score > b.score }
        if a.sourceIndex != b.sourceIndex { return a.sourceIndex < b.sourceIndex }
        if a.lead.location.line != b.lead.location.line { return a.lead.location.line < b.lead.location.line }
        return a.lead.name < b.lead.name
    }

    /// Screens leads already in memory (the chain file's, or a YAML file's).
    func screen(_ leads: [Lead], source: String, format: String, sourceIndex: Int) -> SourceResult {
        var result = SourceResult(summary: LeadSourceSummary(source: source, format: format))
        for lead in leads {
            result.summary.counts.rows += 1
            let matches = matcher.match(lead)
            guard !matches.isEmpty else { continue }
            result.summary.counts.matched += 1
            switch scorer.evaluate(lead, matches: matches, sourceIndex: sourceIndex) {
            case .recommended(let recommendation):
                result.summary.counts.recommended += 1
                if result.recommendations.isEmpty { result.recommendations = [[]] }
                result.recommendations[0].append(recommendation)
            case .local:
                result.summary.counts.local += 1
                result.localNames.append(lead.name)
            case .noTarget:
                result.summary.counts.noTarget += 1
            }
        }
        return result
    }

    /// Reads one lead file: YAML, or CSV/TSV streamed.
    func read(_ path: String, sourceIndex: Int, progress: (@Sendable (LeadProgress) -> Void)?) -> SourceResult {
        let isYAML: Bool
        if path == "-" {
            // Standard input cannot be sniffed and then streamed; it is read as CSV/TSV.
            isYAML = false
        } else {
            isYAML = LeadSources.isYAML(path: path, head: Self.head(of: path))
        }
        guard isYAML else {
            return DelimitedLeadReader.read(
                path: path, sourceIndex: sourceIndex, matcher: matcher, scorer: scorer,
                options: reading, progress: progress)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(path)
        } catch {
            var result = SourceResult(summary: LeadSourceSummary(source: path, format: "YAML"))
            result.diagnostics = [error.diagnostic]
            result.failed = true
            return result
        }
        let (leads, diagnostics) = ChainLoader().loadLeads(bytes: bytes, file: path, chain: chain)
        var result = screen(leads, source: path, format: "YAML", sourceIndex: sourceIndex)
        result.summary.bytes = bytes.count
        result.diagnostics = diagnostics
        result.failed = diagnostics.contains(where: \.isError)
        return result
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The first bytes of a file, for sniffing its kind.
    static func head(of path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: 4096)) ?? Data())
    }
}

