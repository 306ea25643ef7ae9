import ArgumentParser
import ChainMapKit

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "diff",
        abstract: "What changed in a chain between two versions: this year against last (年度总结).",
        discussion: """
            chainmap diff OLD.yaml NEW.yaml compares two files; chainmap diff NEW.yaml --since \
            REV compares the file with itself at a git revision (its directory is read as it \
            was then, roster and ledger included). Prints a paragraph to paste into a \
            年度总结 — links newly covered (补链成效), newly weak or lost, new 链主 and 龙头, \
            leads whose status moved, coverage and completeness before and after — and a \
            table of the changes. --json gives newly_covered, newly_weak, lost, new_leaders, \
            moved_leads (name, from, to), coverage and completeness (before, after).
            """
    )

    enum Format: String, EnumerableFlag {
        case table, markdown, json

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "The paragraph and a table for the terminal (the default)."
            case .markdown: "Markdown, to paste into a 年度总结."
            case .json: "JSON for scripts."
            }
        }
    }

    @Argument(help: ArgumentHelp("The old and the new chain file, or only the new one with --since.", valueName: "chain.yaml"))
    var files: [String]

    @Option(help: ArgumentHelp("Compare with the file as it was at this git revision (a tag, a commit, HEAD~1 …).", valueName: "rev"))
    var since: String?

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the output to this file instead of standard output (written whole or not at all).", valueName: "file"))
    var output: String?

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func validate() throws {
        if since == nil && files.count != 2 { throw ValidationError("diff needs the old and the new chain file, or one file and --since REV") }
        if since != nil && files.count != 1 { throw ValidationError("with --since, diff takes one chain file") }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        var checkout: RevisionCheckout?
        if let since {
            do throws(DiagnosticError) {
                checkout = try RevisionCheckout.checkout(files[0], at: since)
            } catch {
                printer.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
        defer { checkout?.remove() }
        let pipeline = try ChainPipeline(analysis: analysis)
        // Each version as every command sees it: its roster placed, its ledger attached.
        let old = pipeline.run([checkout?.path ?? files[0]], screening: false)
        let new = pipeline.run([files.last!], screening: false)
        printer.print(old.diagnostics.map { checkout?.relabel($0) ?? $0 } + new.diagnostics)
        guard !old.hasErrors, !new.hasErrors, let before = old.chains.first, let after = new.chains.first else { throw ExitCode(1) }
        let diff = ChainDiff(before: before.analysis, after: after.analysis)
        do throws(DiagnosticError) {
            var sink = try OutputSink(path: output)
            switch format {
            case .table:
                let width = output == nil ? Terminal.width : nil
                let table = DiffReport.table(diff)
                var text = TextTable.paragraph(diff.paragraph, width: width) + "\n\n"
                text += TextTable(headers: table.columns.map(\.title), rows: table.rows).text(width: width)
                sink.write(TerminalText.escape(text, keepingLineBreaks: true))
            case .markdown:
                sink.write(DiffReport.markdown(diff))
            case .json:
                sink.write(DiffReport.json(diff))
            }
            try sink.finish()
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
    }
}
