import ArgumentParser
import ChainMapKit

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "compare",
        abstract: "Set chains of one industry in different regions side by side (对标), link by link.",
        discussion: """
            The first file is this region's chain; the others (up to 9) are the regions it \
            is measured against. Links are aligned by id, then by name (Simplified and \
            Traditional alike), then by a shared GB/T code; a link that aligns with none or \
            with several is listed as unaligned, never guessed. For each link: each region's \
            status (covered, weak, gap), its enterprises and whether it has a 链主; then each \
            region's coverage and completeness and what the others have that this region \
            lacks. --map writes the side-by-side map (.svg, .png or .pdf).
            """
    )

    enum Format: String, EnumerableFlag {
        case table, markdown, csv, json, xlsx

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "Tables for the terminal (the default)."
            case .markdown: "Markdown, to paste into a plan."
            case .csv: "The link-by-link table as CSV for Excel (UTF-8 with BOM)."
            case .json: "JSON for scripts: links (id, name, regions: region, status, enterprises), summary (coverage, completeness, lacking)."
            case .xlsx: "An Excel workbook (with -o, or to a pipe or file)."
            }
        }
    }

    @Argument(help: ArgumentHelp("This region's chain file, then those of the regions to compare with.", valueName: "chain.yaml"))
    var files: [String]

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the output to this file instead of standard output (written whole or not at all).", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Also draw the side-by-side map to this file (.svg, .png or .pdf).", valueName: "file"))
    var map: String?

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func validate() throws {
        if files.count < 2 { throw ValidationError("compare needs this region's chain and at least one more") }
        if files.count > ChainComparison.maxRegions {
            throw ValidationError("compare sets at most \(ChainComparison.maxRegions) regions side by side, got \(files.count)")
        }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        try refuseWorkbookOnTerminal(format == .xlsx, output: output, example: "compare.xlsx", printer: printer)
        var mapFormat: OutputFormat?
        if let map {
            let ext = map.split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard let format = OutputFormat(rawValue: ext), format != .dot else {
                printer.print([.error(.option, "--map '\(Diagnostic.quoted(map))' must end in .svg, .png or .pdf")])
                throw ExitCode(1)
            }
            mapFormat = format
        }
        // Each chain as every command sees it: its roster placed, its ledger attached.
        let run = try ChainPipeline(analysis: analysis).run(files, screening: false)
        printer.print(run.diagnostics)
        if run.hasErrors || run.chains.count != files.count { throw ExitCode(1) }
        let comparison = ChainComparison(run.chains.map(\.analysis))
        do throws(DiagnosticError) {
            if let map, let mapFormat {
                let graphviz = try Graphviz()
                printer.print(graphviz.startupWarnings)
                let drawn = try ComparisonMap(comparison).render(mapFormat, with: graphviz)
                printer.print(drawn.warnings)
                try FileSystem.writeAtomically(drawn.bytes, to: map)
            }
            var sink = try OutputSink(path: output)
            switch format {
            case .table:
                var text = ComparisonReport.overview(comparison) + "\n\n"
                let width = output == nil ? Terminal.width : nil
                for table in [ComparisonReport.table(comparison), ComparisonReport.summaryTable(comparison)] {
                    text += TextTable(
                        headers: table.columns.map(\.title), rows: table.rows,
                        alignments: table.columns.map { $0.isNumber ? .right : .left }).text(width: width) + "\n"
                }
                text += TextTable.paragraph(ComparisonReport.lackingText(comparison), width: width) + "\n"
                if !comparison.unaligned.isEmpty {
                    let table = ComparisonReport.unalignedTable(comparison)
                    text += "\n未对齐的环节\n" + TextTable(headers: table.columns.map(\.title), rows: table.rows).text(width: width)
                }
                sink.write(TerminalText.escape(text, keepingLineBreaks: true))
            case .markdown:
                sink.write(ComparisonReport.markdown(comparison))
            case .csv:
                let table = ComparisonReport.table(comparison)
                sink.write(TextTable(headers: table.columns.map(\.title), rows: table.rows).csv())
            case .json:
                sink.write(ComparisonReport.json(comparison))
            case .xlsx:
                sink.write(try XLSXWriter.bytes(ComparisonReport.sheets(comparison))[...])
            }
            try sink.finish()
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
    }
}
