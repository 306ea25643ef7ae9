import Foundation

/// The work every command does, as one library type: load the chain files, analyse each
/// chain, and screen the lead files against all of them — each lead file read once —
/// with the options that every command shares. A command composes its stages and then
/// only writes what it wants: a table, a map, a report.
///
/// ```swift
/// var options = ChainPipeline.Options()
/// options.leadFiles = ["qcc-export.csv"]
/// let run = ChainPipeline(options: options).run(["chains/"], screening: true)
/// for chain in run.chains { … chain.analysis … chain.screening … }
/// let system = run.system   // totals across chains, each company once
/// ```
///
/// The rules when something fails are the same for every command: a chain file that
/// does not load is reported and left out, and the others go on; a lead file that cannot
/// be read at all fails the screening (``PipelineRun/leadsFailed``), so that no command
/// writes recommendations that would lack its leads.
public struct ChainPipeline: Sendable {
    /// What every command shares: thresholds, tier weights, regions, lead files.
    public struct Options: Sendable {
        /// Overrides the chain files' `analysis: min-enterprises`.
        public var minEnterprises: Int?
        /// Overrides the chain files' `analysis: tier-tags`.
        public var tierTags: [String]?
        /// The lead score's weights and preferred regions.
        public var scoring = LeadScoring()
        /// Lead files (exports or YAML), screened for every chain.
        public var leadFiles: [String] = []
        /// How lead files are read.
        public var reading = ReadingOptions()
        /// Whether each chain file's own `leads:` are screened too.
        public var chainLeads = true
        /// Whether to keep every enterprise left out, with the reason (`--explain-excluded`).
        public var explainExcluded = false
        /// What to keep of the recommendations while reading: every one, or only as many
        /// as the output shows (``LeadRetention``).
        public var retention: LeadRetention = .all
        /// Whether reasons are worded when the screening ends (``LeadScreener/wordsReasons``):
        /// false only when the screening goes to the JSON or CSV list alone.
        public var wordsReasons = true
        /// The region's rosters (摸排名录, `--local`) and how they are placed.
        public var roster = RosterOptions()
        /// Project ledgers for every chain (`--projects`), besides each chain file's `projects:`.
        public var projects: [String] = []
        /// The day the ledger's measures are computed for (`--as-of`); nil takes the
        /// latest `as-of:` of the ledgers read, else today.
        public var asOf: CalendarDay?
        /// The region's targets file (`--targets`); nil takes a YAML ledger's `targets:`.
        public var targets: String?
        /// When a project is an alert (问题台账).
        public var alertRules = ProjectAlertRules()

        public init() {}
    }

    public let options: Options
    public let loader: ChainLoader

    public init(options: Options = Options(), loader: ChainLoader = ChainLoader()) {
        self.options = options
        self.loader = loader
    }

    /// Stage 1: loads the chain files that the arguments name (files and directories).
    public func load(_ arguments: [String]) -> ChainSet {
        ChainSet(arguments: arguments, loader: loader)
    }

    /// The analysis settings of a chain: the file's thresholds and the overrides.
    public func settings(_ chain: Chain) -> AnalysisSettings {
        chain.analysis.overriding(minEnterprises: options.minEnterprises, tierTags: options.tierTags)
    }

    /// Stage 2: analyses a chain, with the file's thresholds and the overrides.
    public func analyse(_ chain: Chain) -> GapAnalysis {
        GapAnalysis(chain, settings: settings(chain))
    }

    /// Stage 1½: places the rosters (each chain's `roster:` and `--local`) on the chains'
    /// links, each file read once, and merges the counted placements into the chains.
    /// Chains without a roster come back as they are.
    public func place(
        _ chains: [Chain], progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> (chains: [Chain], run: RosterPlacer.Run) {
        let run = placements(chains, progress: progress)
        // Each chain merged on its own thread: they share nothing.
        let rosters = run.rosters
        let merged = Parallel.map(chains.count) { c in rosters[c].map { RosterPlacer.merged(chains[c], roster: $0) } ?? chains[c] }
        return (merged, run)
    }

    /// Stage 1¾: reads the project ledgers (each chain file's `projects:`, then
    /// `--projects`), each file once and against all the chains, and gives each chain the
    /// projects on it; reads each chain's `targets:` file and the region's (`--targets`).
    /// Chains without a ledger come back as they are.
    ///
    /// `partial`: whether `chains` are only some of the region's (chain files named one by
    /// one): a project of a chain or link found in none of them is then kept for the chain
    /// it names, not an error. A run over a directory reads the region's chains, and such a
    /// project is an error at its cell (a misspelt 产业链 dropped it from every report).
    public func attachProjects(_ chains: [Chain], partial: Bool = true) -> AttachedProjects {
        var files: [String] = []
        for chain in chains {
            for file in chain.projectFiles.map(\.path) + options.projects where !files.contains(file) { files.append(file) }
        }
        var attached = AttachedProjects(chains: chains)
        // The targets: the region's, and each chain's.
        if let path = options.targets {
            let loaded = ProjectTargetsLoader().load(path: path)
            attached.diagnostics += loaded.diagnostics
            attached.failed = attached.failed || loaded.targets == nil
            attached.regionTargets = loaded.targets
        }
        var targetsByFile: [String: ProjectTargets] = [:]
        for chain in chains {
            guard let file = chain.targetFile?.path, targetsByFile[file] == nil else { continue }
            let loaded = ProjectTargetsLoader().load(path: file)
            attached.diagnostics += loaded.diagnostics
            attached.failed = attached.failed || loaded.targets == nil
            if let targets = loaded.targets { targetsByFile[file] = targets }
        }
        var byFile: [String: [Project]] = [:]
        var ledgerTargets: [ProjectTargets] = []
        var ledgerDays: [CalendarDay] = []
        var loader = ProjectLedgerLoader(chains: chains, reading: options.reading.forOtherFiles)
        loader.partial = partial
        for file in files {
            let ledger = loader.load(path: file)
            attached.diagnostics += ledger.diagnostics
            attached.failed = attached.failed || ledger.hasErrors
            byFile[file] = ledger.projects
            if let targets = ledger.targets { ledgerTargets.append(targets) }
            if let day = ledger.asOf { ledgerDays.append(day) }
        }
        attached.hasLedger = !files.isEmpty
        attached.everyChain = !options.projects.isEmpty
        attached.rules = options.alertRules
        // --as-of, else the latest day a ledger is as of, else today.
        attached.asOf = options.asOf ?? ledgerDays.max() ?? CalendarDay.today()
        if attached.regionTargets == nil && ledgerTargets.count == 1 { attached.regionTargets = ledgerTargets[0] }
        // Each project once: a ledger read for two chains is read once; the same project
        // in two ledgers (by name and investor) is counted once, as within one ledger.
        attached.projects = ProjectLedgerLoader.countedOnce(files.flatMap { byFile[$0] ?? [] })
        attached.chains = chains.map { chain in
            var chain = chain
            let mine = Set(chain.projectFiles.map(\.path) + options.projects)
            // The chain's own listings first: a project listed for two chains stays in each.
            chain.projects = ProjectLedgerLoader.countedOnce(
                files.filter(mine.contains).flatMap { byFile[$0] ?? [] }.filter { $0.chain == chain.id })
            chain.projectTargets = chain.targetFile.flatMap { targetsByFile[$0.path] }
            return chain
        }
        return attached
    }


    /// Each chain beside the chains of its `benchmarks:`, read and analysed as they are
    /// (their own files); nil for a chain without them. A benchmark file that does not
    /// load is reported and fails the run.
    func compare(_ analyses: [GapAnalysis], diagnostics: inout [Diagnostic], failed: inout Bool) -> [ChainComparison?] {
        analyses.map { analysis in
            let files = analysis.chain.benchmarkFiles.map(\.path)
            guard !files.isEmpty else { return nil }
            let set = load(files)
            diagnostics += set.diagnostics
            if set.hasErrors || set.chains.count != files.count {
                failed = true
                return nil
            }
            return ChainComparison([analysis] + set.chains.map(analyse))
        }
    }

    /// The placements alone, without merging them into the chains (`locate`).
    public func placements(
        _ chains: [Chain], progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> RosterPlacer.Run {
        RosterPlacer(options: options.roster, reading: options.reading.forOtherFiles)
            .place(chains, settings: chains.map(settings), progress: progress)
    }

    /// The sources screened: each chain's own leads (unless left out), then the lead
    /// files in order.
    public var leadSources: [LeadSource] {
        (options.chainLeads ? [.chainFile] : []) + options.leadFiles.map { .file($0) }
    }

    /// Whether a command's arguments name chain files only, no directory: its chains are
    /// then some of the region's (``attachProjects(_:partial:)``'s `partial`); a directory
    /// named holds the region's chains, against which the ledgers are checked.
    public static func namesOnlyChainFiles(_ arguments: [String]) -> Bool {
        !arguments.contains(where: FileSystem.isDirectory)
    }

    /// Stage 3: screens the lead sources against every analysed chain, reading each lead
    /// file once. Throws when the options are wrong (a preferred region that is none).
    /// `matchers` are the roster placement's, reused where they fit (see
    /// ``LeadScreener/init(analyses:scoring:reading:matchers:)``).
    public func screen(
        _ analyses: [GapAnalysis], sources: [LeadSource]? = nil, progress: (@Sendable (ReadProgress) -> Void)? = nil,
        matchers: [LeadMatcher]? = nil
    ) throws(DiagnosticError) -> ScreeningRun {
        try screen(analyses, sources: sources, progress: progress, matchers: matchers, keywords: nil, readAhead: nil)
    }

    /// The lead file read first of `sources`, if any.
    static func firstFile(of sources: [LeadSource]) -> String? {
        for source in sources {
            switch source {
            case .chainFile: continue
            case .file(let path): return path
            case .rows: return nil
            }
        }
        return nil
    }

    /// ``screen(_:sources:progress:matchers:)``, with the automaton of `matchers`' keywords
    /// when it is being compiled already (used when the screener uses every one of them),
    /// and the first lead file's first block when it was read ahead.
    func screen(
        _ analyses: [GapAnalysis], sources: [LeadSource]?, progress: (@Sendable (ReadProgress) -> Void)?,
        matchers: [LeadMatcher]?, keywords: Parallel.Pending<ChainKeywords>?, readAhead: ReadAhead?
    ) throws(DiagnosticError) -> ScreeningRun {
        var reading = options.reading
        reading.readAhead = readAhead
        var screener = try LeadScreener(analyses: analyses, scoring: options.scoring, reading: reading, matchers: matchers)
        if screener.usesCompiledMatchers, let keywords { screener.keywords = keywords.value }
        screener.keepExcluded = options.explainExcluded
        screener.retention = options.retention
        screener.wordsReasons = options.wordsReasons
        return screener.screen(sources ?? leadSources, progress: progress)
    }

    /// Every stage: loads, analyses and, with `screening`, screens the leads.
    ///
    /// `alongside`, when given, is called once with the chains as analysed, before any
    /// lead is screened (their ``AnalysedChain/screening`` nil), in the order of the
    /// run's ``PipelineRun/chains``: on a thread of its own while the leads are read,
    /// else on this one. It has returned when `run` returns. `chainmap report` draws the
    /// maps that the leads do not change there, so that Graphviz works while the rows are
    /// read instead of after them.
    public func run(
        _ arguments: [String], screening: Bool, sources: [LeadSource]? = nil,
        progress: (@Sendable (ReadProgress) -> Void)? = nil,
        alongside: (@Sendable ([AnalysedChain]) -> Void)? = nil
    ) -> PipelineRun {
        // Leads and rosters expand words into their Traditional spellings: the converters
        // load meanwhile. A roster named by a chain file is placed as soon as the files are
        // read, and the converters are opened there, on this thread: opened on another,
        // this one waited for them at once, spinning in the kernel beside the thread that
        // took the other processor from Graphviz's warm-up (docs/performance.md,
        // twenty-seventh pass).
        if screening || !options.roster.files.isEmpty { ChineseVariants.prepare() }
        // The first lead file's first block is read meanwhile, on the processor that the
        // chains' loading and compiling leave idle (``ReadAhead``).
        let readAhead = screening ? Self.firstFile(of: sources ?? leadSources).map { ReadAhead(path: $0, options: options.reading) } : nil
        let set = load(arguments)
        var run = PipelineRun(chains: [], diagnostics: set.diagnostics, loadFailed: set.hasErrors, leadsFailed: false)
        // The industrial system of the first directory named that has one (system.yaml),
        // checked against the chains.
        if let system = SystemPlanLoader().load(arguments: arguments, chains: set.chains, unloaded: set.failedFiles).first {
            run.diagnostics += system.diagnostics
            run.plan = system.plan
            run.planFailed = system.plan == nil
        }
        var chains = set.chains
        var rosters = [ChainRoster?](repeating: nil, count: chains.count)
        var matchers: [LeadMatcher]?
        if !chains.isEmpty && (!options.roster.files.isEmpty || chains.contains { !$0.roster.isEmpty }) {
            let placed = place(chains, progress: progress)
            chains = placed.chains
            rosters = placed.run.rosters
            matchers = placed.run.matchers
            run.diagnostics += placed.run.diagnostics
            run.rosterFailed = placed.run.failed
            run.rosterSources = placed.run.sources
        }
        // The screening's automaton of every chain's keywords, compiled from the placement's
        // matchers while the projects are attached and the chains analysed (the screener
        // takes it when it takes those matchers).
        let keywords = screening ? matchers.map { matchers in Parallel.Pending { ChainKeywords(matchers) } } : nil
        let attached = attachProjects(chains, partial: Self.namesOnlyChainFiles(arguments))
        chains = attached.chains
        run.diagnostics += attached.diagnostics
        run.projectsFailed = attached.failed
        run.projects = attached
        let ledgers = chains.map { attached.ledger(of: $0) }
        let analyses = chains.map(analyse)
        let comparisons = compare(analyses, diagnostics: &run.diagnostics, failed: &run.benchmarksFailed)
        let unscreened = analyses.indices.map {
            AnalysedChain(analysis: analyses[$0], roster: rosters[$0], ledger: ledgers[$0], comparison: comparisons[$0])
        }
        guard screening, !analyses.isEmpty else {
            run.chains = unscreened
            alongside?(unscreened)
            return run
        }
        // The work alongside on a thread of its own, while the leads are read.
        let alongsideDone = alongside.map { alongside in Parallel.Pending(stackSize: 64 << 20) { alongside(unscreened) } }
        defer { alongsideDone?.value }
        do {
            let screened = try screen(
                analyses, sources: sources, progress: progress, matchers: matchers, keywords: keywords, readAhead: readAhead)
            run.chains = analyses.indices.map {
                AnalysedChain(analysis: analyses[$0], screening: screened.screenings[$0], roster: rosters[$0], ledger: ledgers[$0], comparison: comparisons[$0])
            }
            run.diagnostics += screened.diagnostics
            run.leadsFailed = screened.failed
            run.leadSources = screened.sources
        } catch {
            run.chains = unscreened
            run.diagnostics += error.diagnostics
            run.leadsFailed = true
        }
        return run
    }
}

/// What a run of the pipeline gave.
public struct PipelineRun: Sendable {
    /// The chains that loaded, analysed (and screened), in argument order.
    public var chains: [AnalysedChain]
    /// Every problem found: of the chain files, then of the lead files.
    public var diagnostics: [Diagnostic]
    /// Whether a chain file failed to load (the others are in ``chains``).
    public var loadFailed: Bool
    /// Whether the lead screening failed: a lead file could not be read, or an option
    /// was wrong. Recommendations would then lack leads: commands write none.
    public var leadsFailed: Bool
    /// What each lead file gave, when leads were screened.
    public var leadSources: [RowSourceSummary] = []
    /// Whether a roster file could not be read at all: the merged picture would lack it,
    /// so commands write nothing.
    public var rosterFailed = false
    /// Whether a project ledger had errors (each reported at its cell).
    public var projectsFailed = false
    /// Whether a benchmark chain file (`benchmarks:`) did not load.
    public var benchmarksFailed = false
    /// The industrial system (`system.yaml` of a directory named), if any.
    public var plan: SystemPlan?
    /// Whether `system.yaml` had errors.
    public var planFailed = false
    /// What each roster file gave.
    public var rosterSources: [RowSourceSummary] = []
    /// The ledgers read: every project once, the day, the region's targets.
    public var projects = AttachedProjects(chains: [])

    /// The chains as an industrial system, with totals that count each company once.
    public var system: IndustrySystem { system(of: chains) }

    /// Some of the chains (those whose reports were written) as an industrial system:
    /// their ledger, each project once, and the plan's tiers and goals.
    public func system(of chains: [AnalysedChain]) -> IndustrySystem {
        IndustrySystem(chains, ledger: projects.ledger(across: chains), plan: plan)
    }

    /// ``system`` and the overview's pages of it (``ReportWriter/IndexPages``) worked out on
    /// a thread of their own, started now: `chainmap report` starts them before it writes
    /// the chains' reports, and takes them when every one was written (else it works out
    /// the system and pages of those written, ``system(of:)``).
    public func systemAlongside() -> PendingSystem {
        PendingSystem(self)
    }

    /// Whether any error was found that fails a command. A lead row that cannot be read
    /// is reported and counted but fails no command (as in `chainmap leads`, unless
    /// `--strict`): the other rows are still good.
    public var hasErrors: Bool {
        loadFailed || leadsFailed || rosterFailed || projectsFailed || benchmarksFailed || planFailed || diagnostics.contains { $0.isError && $0.category != .unreadableRow }
    }
}

/// The project ledgers as the pipeline read them.
public struct AttachedProjects: Sendable {
    /// The chains, each with its projects and its targets.
    public var chains: [Chain]
    public var diagnostics: [Diagnostic] = []
    /// Whether a ledger or targets file had errors.
    public var failed = false
    /// Whether any ledger was read.
    public var hasLedger = false
    /// Whether a ledger was given for every chain (`--projects`).
    public var everyChain = false
    /// Every project of the ledgers, each once, in file order.
    public var projects: [Project] = []
    /// The day the measures are for.
    public var asOf = CalendarDay.today()
    /// The region's targets: `--targets`, else the one YAML ledger's `targets:`.
    public var regionTargets: ProjectTargets?
    /// When a project is an alert.
    public var rules = ProjectAlertRules()

    public init(chains: [Chain]) {
        self.chains = chains
    }

    /// A chain's ledger as of the day, with the chain's targets; nil when no ledger was
    /// read for it.
    public func ledger(of chain: Chain) -> ChainLedger? {
        guard hasLedger, everyChain || !chain.projectFiles.isEmpty else { return nil }
        return ChainLedger(chain.projects, asOf: asOf, targets: chain.projectTargets, rules: rules)
    }

    /// The region's ledger across some chains, each project once, with the region's
    /// targets; nil when no ledger was read.
    public func ledger(across chains: [AnalysedChain]) -> ChainLedger? {
        guard hasLedger else { return nil }
        let ids = Set(chains.map(\.chain.id))
        return ChainLedger(projects.filter { $0.chain.map(ids.contains) ?? false }, asOf: asOf, targets: regionTargets, rules: rules)
    }
}

/// The industrial system of a run's chains and the overview's pages of it, being worked
/// out on a thread of their own (``PipelineRun/systemAlongside()``).
public final class PendingSystem: Sendable {
    /// The system, then the overview's pages of it (every chain written, none failed).
    private let pending: Parallel.Pending<ReportWriter.IndexPages>
    /// The run it is the system of.
    private let run: PipelineRun

    init(_ run: PipelineRun) {
        self.run = run
        // The pages too: made on the main thread after the last chain's report, they took
        // about 12 ms of a ten-chain report there (perf), the other processor idle; now the
        // overview is written about a millisecond after the last report.
        pending = Parallel.Pending { ReportWriter.IndexPages(run.system) }
    }

    /// The system of `chains`, some of the run's: the one worked out alongside when they
    /// are all of them, in order (which waits for its pages too), else worked out now
    /// (``PipelineRun/system(of:)``).
    public func system(of chains: [AnalysedChain]) -> IndustrySystem {
        isEveryChain(chains) ? pending.value.system : run.system(of: chains)
    }

    /// The overview's pages of `chains` (``system(of:)``), `failed` naming the chains whose
    /// reports were not written: those made alongside when `chains` are every chain, in
    /// order, and `failed` is empty; else made now.
    public func pages(of chains: [AnalysedChain], failed: [String]) -> ReportWriter.IndexPages {
        isEveryChain(chains) && failed.isEmpty ? pending.value : ReportWriter.IndexPages(system(of: chains), failed: failed)
    }

    private func isEveryChain(_ chains: [AnalysedChain]) -> Bool {
        chains.map(\.chain.file) == run.chains.map(\.chain.file)
    }
}
