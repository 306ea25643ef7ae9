import ArgumentParser
import ChainMapKit

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "gaps",
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
        case table, json, csv, markdown, xlsx

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "A readable table (the default); coloured on a terminal unless NO_COLOR is set."
            case .json: "A JSON array, highest priority first."
            case .csv: "CSV for Excel (UTF-8 with BOM)."
            case .markdown: "Markdown tables to paste into a plan."
            case .xlsx: "An Excel workbook (with -o, or to a pipe or file)."
            }
        }
    }

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @Flag(help: "List the supplies edges with their kind (forward, backward, feedback) instead of the gaps.")
    var edges = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the output to this file instead of standard output (written whole or not at all).", valueName: "file"))
    var output: String?

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    @OptionGroup(title: "Roster (摸排名录)")
    var local: LocalOptions

    func run() throws {
        let printer = DiagnosticPrinter()
        try refuseWorkbookOnTerminal(format == .xlsx, output: output, example: "gaps.xlsx", printer: printer)
        let run = try ChainPipeline(analysis: analysis, local: local).run(files, screening: false)
        printer.print(run.diagnostics)
        // Without its roster the picture would mislead: nothing is written.
        if run.rosterFailed { throw ExitCode(1) }
        let analyses = run.chains.map(\.analysis)
        if !analyses.isEmpty || format == .json {
            do throws(DiagnosticError) {
                if format == .xlsx {
                    let sheets = edges
                        ? [XLSXSheet("供给关系", columns: GapReport.edgeTable(analyses).headers.map { XLSXSheet.Column($0) }, rows: GapReport.edgeTable(analyses).rows)]
                        : GapReport.workbook(run.system)
                    try emit(bytes: XLSXWriter.bytes(sheets))
                } else {
                    let text = edges ? edgeOutput(analyses) : gapOutput(run.system)
                    switch format {
                    case .json, .csv, .xlsx: try emit(bytes: Array(text.utf8))
                    case .table, .markdown:
                        let colour = format == .table && Terminal.useColour && output == nil
                        try emit(bytes: Array(TerminalText.escape(text, keepingLineBreaks: true, allowingStyles: colour).utf8))
                    }
                }
            } catch {
                printer.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
        if run.hasErrors { throw ExitCode(1) }
    }

    /// Writes the output: to the -o file atomically, else to standard output.
    func emit(bytes: [UInt8]) throws(DiagnosticError) {
        if let output {
            try FileSystem.writeAtomically(bytes, to: output)
        } else {
            bytes.withUnsafeBytes { _ = FileSystem.writeAll($0, to: 1) }
        }
    }

    func gapOutput(_ system: IndustrySystem) -> String {
        let analyses = system.chains.map(\.analysis)
        switch format {
        case .table: return GapReport.text(system, colour: Terminal.useColour && output == nil, width: output == nil ? Terminal.width : nil)
        case .json: return GapReport.json(analyses)
        case .csv: return GapReport.csv(analyses)
        case .markdown, .xlsx: return GapReport.markdown(system)
        }
    }

    func edgeOutput(_ analyses: [GapAnalysis]) -> String {
        switch format {
        case .table: return GapReport.edgeTable(analyses).text(headerStyle: Terminal.useColour ? .bold : nil, width: Terminal.width)
        case .json: return GapReport.edgesJSON(analyses)
        case .csv: return GapReport.edgeTable(analyses).csv()
        case .markdown, .xlsx: return GapReport.edgeTable(analyses).markdown()
        }
    }
}
