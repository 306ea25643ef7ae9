import ArgumentParser
import ChainMapKit
import Foundation

/// The command-line overrides of the analysis thresholds (`analysis:` in a chain file).
/// Other commands that analyse chains can include them with `@OptionGroup`.
struct AnalysisOptions: ParsableArguments {
    @Option(name: .customLong("min-enterprises"), help: ArgumentHelp(
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

    /// A chain's own settings with these overrides applied.
    func settings(for chain: Chain) -> AnalysisSettings {
        chain.analysis.overriding(
            minEnterprises: minEnterprises, tierTags: tierTags.map(AnalysisSettings.parseTagList))
    }
}

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find and rank the 补链/延链/远期 gaps and 强链 weak links of chains, each with its reasons.",
        discussion: """
            Prints a table per chain (and, for several chains, an overview across them). \
            --json writes one array across all chains, highest priority first; each object \
            has chain, id, name, stage, kind (fill|extend|distant|strengthen), priority \
            (0–100) and reasons. --csv writes the same list for Excel (UTF-8 with BOM). \
            The priority formula is in docs/analysis.md.
            """
    )

    enum Format: String, EnumerableFlag {
        case table, json, csv, markdown

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "A readable table (the default); coloured on a terminal unless NO_COLOR is set."
            case .json: "A JSON array, highest priority first."
            case .csv: "CSV for Excel (UTF-8 with BOM)."
            case .markdown: "Markdown tables to paste into a plan."
            }
        }
    }

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func run() throws {
        let set = ChainSet(arguments: files)
        Terminal.printDiagnostics(set.diagnostics)
        let analyses = set.chains.map { GapAnalysis($0, settings: analysis.settings(for: $0)) }
        if !analyses.isEmpty || format == .json {
            let output: String
            switch format {
            case .table: output = GapReport.text(analyses, colour: Self.useColour)
            case .json: output = GapReport.json(analyses)
            case .csv: output = GapReport.csv(analyses)
            case .markdown: output = GapReport.markdown(analyses)
            }
            Terminal.writeOutput(output)
        }
        if set.hasErrors { throw ExitCode(1) }
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)
    /// or the terminal is dumb.
    static var useColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return Terminal.stdoutIsTerminal
    }
}
