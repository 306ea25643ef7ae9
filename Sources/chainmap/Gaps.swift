import ArgumentParser
import ChainMapKit

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find and rank the 补链/延链/远期 gaps and 强链 weak links of chains, each with its reasons.",
        discussion: """
            Prints a table per chain (and, for several chains, an overview across them). \
            --json writes one array across all chains, highest priority first; each object \
            has chain, id, name, stage, kind (fill|extend|distant|strengthen), priority \
            (0–100) and reasons. --csv writes the same list for Excel (UTF-8 with BOM). \
            With --edges, every supplies edge instead, as the analysis classifies it: \
            --json gives chain, from, to and kind (forward|backward|feedback). The \
            priority formula and the edge kinds are in docs/analysis.md.
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

    @Flag(help: "List the supplies edges with their kind (forward, backward, feedback) instead of the gaps.")
    var edges = false

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func run() throws {
        let run = try ChainPipeline(analysis: analysis).run(files, screening: false)
        let printer = DiagnosticPrinter()
        printer.print(run.diagnostics)
        let analyses = run.chains.map(\.analysis)
        if !analyses.isEmpty || format == .json {
            let text = edges ? edgeOutput(analyses) : gapOutput(run.system)
            switch format {
            case .json, .csv: Terminal.writeData(text)
            case .table, .markdown: Terminal.writeOutput(text, styled: format == .table && Terminal.useColour)
            }
        }
        if run.hasErrors { throw ExitCode(1) }
    }

    func gapOutput(_ system: IndustrySystem) -> String {
        let analyses = system.chains.map(\.analysis)
        switch format {
        case .table: return GapReport.text(system, colour: Terminal.useColour, width: Terminal.width)
        case .json: return GapReport.json(analyses)
        case .csv: return GapReport.csv(analyses)
        case .markdown: return GapReport.markdown(system)
        }
    }

    func edgeOutput(_ analyses: [GapAnalysis]) -> String {
        switch format {
        case .table: return GapReport.edgeTable(analyses).text(headerStyle: Terminal.useColour ? .bold : nil, width: Terminal.width)
        case .json: return GapReport.edgesJSON(analyses)
        case .csv: return GapReport.edgeTable(analyses).csv()
        case .markdown: return GapReport.edgeTable(analyses).markdown()
        }
    }
}
