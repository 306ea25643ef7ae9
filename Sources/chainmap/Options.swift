import ArgumentParser
import ChainMapKit
import Foundation

/// The command-line overrides of the analysis thresholds (`analysis:` in a chain file),
/// shared by every command that analyses chains.
struct AnalysisOptions: ParsableArguments {
    @Option(name: .customLong("min-enterprises"), parsing: .unconditional, help: ArgumentHelp(
        "Local enterprises a link needs, one of them tier-tagged, to be strong without a 链主 or 龙头 (overrides the file's analysis: min-enterprises).",
        valueName: "n"))
    var minEnterprises: Int?

    @Option(name: .customLong("tier-tags"), help: ArgumentHelp(
        "Comma-separated tier tags, e.g. 上市公司,专精特新 (replaces the file's analysis: tier-tags).",
        valueName: "tags"))
    var tierTags: String?

    func validate() throws {
        if let minEnterprises, !(1...1000).contains(minEnterprises) {
            throw ValidationError("--min-enterprises must be between 1 and 1000, got \(minEnterprises)")
        }
        if let tierTags, AnalysisSettings.parseTagList(tierTags).isEmpty {
            throw ValidationError("--tier-tags must name at least one tag, e.g. --tier-tags 上市公司,专精特新")
        }
    }

    /// These options applied to the pipeline's.
    func apply(to options: inout ChainPipeline.Options) {
        options.minEnterprises = minEnterprises
        options.tierTags = tierTags.map(AnalysisSettings.parseTagList)
    }
}

/// The lead options, shared by `leads`, `render` and `report`, so that the three always
/// screen and rank leads alike.
struct LeadOptions: ParsableArguments {
    @Option(name: .customLong("leads"), help: ArgumentHelp(
        "A lead file: a .xlsx or .csv/.tsv export, or .yaml with leads: (repeatable; - reads CSV from standard input). Each file is read once for all chains.",
        valueName: "file"))
    var leadFiles: [String] = []

    @Option(help: ArgumentHelp(
        "Target regions in order of preference, e.g. 粤港澳,长三角,深圳 — \(Regions.namesHelp). A city counts for leads whose 所属城市 names it.",
        valueName: "places"))
    var prefer: String?

    @Option(name: .customLong("exclude-province"), help: ArgumentHelp(
        "Leave out the enterprises of these provinces, e.g. 重庆 (repeatable or comma-separated).", valueName: "province"))
    var excludeProvinces: [String] = []

    @Flag(name: .customLong("outside-only"), help: "Leave out the enterprises of the chain's own province (the province its region: names).")
    var outsideOnly = false

    @Flag(name: .customLong("include-covered"), help: "Keep candidates for covered, strong links too (招大引强), ranked below the gaps.")
    var includeCovered = false

    @Option(name: .customLong("tier-weight"), help: ArgumentHelp(
        "Points for a tier tag, e.g. 上市公司=10 (repeatable; a new name adds a tier).",
        valueName: "tier=points"))
    var tierWeights: [String] = []

    @Option(help: ArgumentHelp(
        "Encoding of CSV/TSV lead files: utf-8, gbk, gb18030, big5, utf-16 (default: detected).",
        valueName: "name"))
    var encoding: String?

    @Option(help: ArgumentHelp(
        "The worksheet of .xlsx lead files to read (default: the first with a header row).",
        valueName: "name"))
    var sheet: String?

    @Flag(name: .customLong("no-chain-leads"), help: "Ignore the chain files' own leads:.")
    var noChainLeads = false

    func validate() throws {
        if let encoding, LeadFileEncoding(option: encoding) == nil {
            throw ValidationError("--encoding '\(encoding)' is not one of utf-8, gbk, gb18030, big5, utf-16, utf-16le, utf-16be")
        }
        if leadFiles.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("--leads - names standard input more than once")
        }
        _ = try scoring()
    }

    /// The scoring weights from the options.
    func scoring() throws -> LeadScoring {
        var scoring = LeadScoring()
        if let prefer {
            scoring.preferredRegions = AnalysisSettings.parseTagList(prefer)
        }
        scoring.excludedProvinces = excludeProvinces.flatMap(AnalysisSettings.parseTagList)
        scoring.outsideOnly = outsideOnly
        scoring.includeCovered = includeCovered
        for item in tierWeights {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let points = Double(parts[1]), points.isFinite else {
                throw ValidationError("--tier-weight takes tier=points, e.g. --tier-weight 上市公司=10; got '\(item)'")
            }
            scoring.setTierPoints(parts[0], points)
        }
        return scoring
    }

    /// Lead files that are not there: a run without their leads would mislead, so
    /// commands stop before any work.
    var missingFiles: [Diagnostic] {
        leadFiles.filter { file in
            var isDirectory: ObjCBool = false
            return file != "-" && (!FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) || isDirectory.boolValue)
        }.map { .error(.input, "no such lead file: \($0)") }
    }

    /// These options applied to the pipeline's.
    func apply(to options: inout ChainPipeline.Options) throws {
        options.scoring = try scoring()
        options.leadFiles = leadFiles
        options.chainLeads = !noChainLeads
        options.reading.encoding = encoding.flatMap(LeadFileEncoding.init(option:))
        options.reading.sheet = sheet
    }
}

/// The region's roster (摸排名录) options, shared by `gaps`, `leads`, `render`, `report`
/// and `locate`, so that all of them see the same merged picture.
struct LocalOptions: ParsableArguments {
    @Option(name: .customLong("local"), help: ArgumentHelp(
        "The region's enterprise roster (摸排名录): a .xlsx or .csv/.tsv export or .yaml, placed on the links (repeatable; besides each chain file's roster:).",
        valueName: "file"))
    var files: [String] = []

    @Option(name: .customLong("local-threshold"), parsing: .unconditional, help: ArgumentHelp(
        "The confidence (0 to 1) from which a roster enterprise counts on a link (default \(NumberText.trimmed(RosterOptions.defaultThreshold, 2))).",
        valueName: "x"))
    var threshold: Double?

    @Flag(name: .customLong("accept-roles"), help: "Count the roster's proposed 链主 and 龙头 as such (otherwise they are proposals only).")
    var acceptRoles = false

    @Option(name: .customLong("projects"), help: ArgumentHelp(
        "A project ledger (项目台账, .csv/.tsv/.xlsx): a gap with a signed or started project is drawn and listed as 在建补链 (repeatable; besides each chain file's projects:).",
        valueName: "file"))
    var projects: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The day the ledger's measures are computed for (YYYY-MM-DD; default: the ledgers' as-of:, else today).", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("targets"), help: ArgumentHelp(
        "The region's targets for the year (YAML with targets:), for the overview; a chain's own come from its file's targets:.",
        valueName: "file"))
    var targets: String?

    @Option(name: .customLong("alert-days"), parsing: .unconditional, help: ArgumentHelp(
        "The 问题台账 lists a signed project not started after this many days (default \(ProjectAlertRules().startWithinDays)).",
        valueName: "n"))
    var alertDays: Int?

    func validate() throws {
        if let alertDays, !(1...3650).contains(alertDays) {
            throw ValidationError("--alert-days must be from 1 to 3650, got \(alertDays)")
        }
        if let asOf, CalendarDay(parsing: asOf) == nil {
            throw ValidationError("--as-of '\(asOf)' is not a date such as 2026-09-30")
        }
        if let threshold, !(threshold > 0 && threshold <= 1) {
            throw ValidationError("--local-threshold must be above 0 and at most 1, got \(threshold)")
        }
    }

    /// Roster files and ledgers that are not there.
    var missingFiles: [Diagnostic] {
        let missing: (String) -> Bool = { file in
            var isDirectory: ObjCBool = false
            return !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) || isDirectory.boolValue
        }
        return files.filter(missing).map { .error(.input, "no such roster file: \($0)") }
            + projects.filter(missing).map { .error(.input, "no such project ledger: \($0)") }
            + [targets].compactMap { $0 }.filter(missing).map { .error(.input, "no such targets file: \($0)") }
    }

    /// These options applied to the pipeline's.
    func apply(to options: inout ChainPipeline.Options) {
        options.roster.files = files
        if let threshold { options.roster.threshold = threshold }
        options.roster.acceptRoles = acceptRoles
        options.projects = projects
        options.asOf = asOf.flatMap(CalendarDay.init(parsing:))
        options.targets = targets
        if let alertDays { options.alertRules.startWithinDays = alertDays }
    }
}

extension ChainPipeline.Options {
    /// The pipeline's options from a command's option groups.
    init(analysis: AnalysisOptions, leads: LeadOptions? = nil, local: LocalOptions? = nil) throws {
        self.init()
        analysis.apply(to: &self)
        try leads?.apply(to: &self)
        local?.apply(to: &self)
    }
}

extension ChainPipeline {
    /// The pipeline with a command's option groups.
    init(analysis: AnalysisOptions, leads: LeadOptions? = nil, local: LocalOptions? = nil) throws {
        self.init(options: try Options(analysis: analysis, leads: leads, local: local))
    }
}

/// `--xlsx` with no `-o` while standard output is a terminal: refused with a message that
/// says how to name the file, since a terminal cannot show a workbook.
func refuseWorkbookOnTerminal(_ isWorkbook: Bool, output: String?, example: String, printer: DiagnosticPrinter) throws {
    guard isWorkbook && output == nil && Terminal.stdoutIsTerminal else { return }
    printer.print([.error(.option, "--xlsx writes a workbook: name the file with -o \(example), or redirect standard output")])
    throw ExitCode(1)
}
