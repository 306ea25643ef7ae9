import ArgumentParser
import ChainMapKit
import Foundation

struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "locate",
        abstract: "Place the region's enterprise roster (摸排名录) on the chains' links, for a person to confirm.",
        discussion: """
            Reads each roster (--local, and each chain file's roster:) once for all chains \
            and places every enterprise on the links it fits, with the lead matcher: links \
            named, GB/T code, keywords. Each placement has a confidence (0–1) and its \
            evidence; those at or above --local-threshold count for coverage. Roles are \
            proposed from size and tier tags. --yaml prints an enterprises: block of the \
            counted placements the chain file does not have yet, to paste into it; --json \
            gives one entry per roster enterprise: name, links (id, confidence, evidence), \
            proposed_role. See docs/roster.md.
            """
    )

    enum Format: String, EnumerableFlag {
        case table, csv, xlsx, json, yaml

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "A table per chain (the default)."
            case .csv: "CSV for Excel (UTF-8 with BOM), one row per enterprise and link."
            case .xlsx: "An Excel workbook, a sheet per chain (with -o, or to a pipe or file)."
            case .json: "A JSON array: one entry per roster enterprise, those that fit no link included."
            case .yaml: "An enterprises: block per chain, to paste into the chain file."
            }
        }
    }

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @Flag(help: "Also list the enterprises that fit no link.")
    var unplaced = false

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the output to this file instead of standard output (written whole or not at all).", valueName: "file"))
    var output: String?

    @Flag(name: .shortAndLong, help: "Only show problems, not the summary.")
    var quiet = false

    @Flag(help: "Exit with status 1, writing nothing, when a roster row cannot be read.")
    var strict = false

    @OptionGroup(title: "Roster (摸排名录)")
    var local: LocalOptions

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func run() throws {
        let printer = DiagnosticPrinter()
        try refuseWorkbookOnTerminal(format == .xlsx, output: output, example: "roster.xlsx", printer: printer)
        let missing = local.missingFiles
        if !missing.isEmpty {
            printer.print(missing)
            throw ExitCode(1)
        }
        var options = try ChainPipeline.Options(analysis: analysis, local: local)
        options.roster.keepUnplaced = unplaced
        options.roster.keepUnfitting = format == .json
        let pipeline = ChainPipeline(options: options)
        let set = pipeline.load(files)
        printer.print(set.diagnostics)
        let chains = set.chains
        if chains.isEmpty { throw ExitCode(1) }
        if options.roster.files.isEmpty && !chains.contains(where: { !$0.roster.isEmpty }) {
            printer.print([.error(.option, "no roster to place: name one with --local roster.xlsx, or with roster: in the chain file")])
            throw ExitCode(1)
        }
        let run = pipeline.placements(chains)
        printer.print(run.diagnostics)
        printer.finish()
        if run.failed { throw ExitCode(1) }
        let unreadable = run.sources.reduce(0) { $0 + $1.counts.unreadable }
        if strict && unreadable > 0 {
            Terminal.writeError("chainmap: error: --strict: \(unreadable) roster row(s) could not be read, so nothing was written\n")
            throw ExitCode(1)
        }
        let rostered = zip(chains, run.rosters).compactMap { chain, roster in roster.map { (chain: chain, roster: $0) } }
        var sink: OutputSink
        do {
            sink = try OutputSink(path: output)
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
        do throws(DiagnosticError) {
            switch format {
            case .table:
                var text = ""
                for (chain, roster) in rostered {
                    text += "摸排名录落位 — \(chain.name)\(chain.region.map { "（\($0)）" } ?? "")\n"
                    text += RosterReport.summary(roster) + "\n\n"
                    let table = RosterReport.table(chain, roster)
                    if !table.rows.isEmpty {
                        text += TextTable(headers: table.columns.map(\.title), rows: table.rows,
                                          alignments: table.columns.map { $0.isNumber ? .right : .left })
                            .text(width: output == nil ? Terminal.width : nil) + "\n"
                    }
                    if unplaced && !roster.unplacedNames.isEmpty {
                        let list = RosterReport.unplacedTable(roster)
                        text += "未落位的企业（\(roster.unplacedNames.count) 家）\n"
                        text += TextTable(headers: list.columns.map(\.title), rows: list.rows).text(width: nil) + "\n"
                    }
                }
                sink.write(TerminalText.escape(text, keepingLineBreaks: true))
            case .csv:
                var rows: [[String]] = []
                var headers: [String] = []
                for (chain, roster) in rostered {
                    let table = RosterReport.table(chain, roster)
                    headers = ["产业链"] + table.columns.map(\.title)
                    rows += table.rows.map { [chain.name] + $0 }
                    if unplaced {
                        rows += roster.unplacedNames.map { [chain.name, "", $0.name, "", "", "", "", "", "", "", "未落位", $0.location.rowReference] }
                    }
                }
                if headers.isEmpty { headers = ["产业链"] + RosterReport.table(chains[0], ChainRoster()).columns.map(\.title) }
                sink.write(TextTable(headers: headers, rows: rows).csv())
            case .xlsx:
                var sheets: [XLSXSheet] = []
                for (chain, roster) in rostered {
                    sheets.append(RosterReport.table(chain, roster).sheet(rostered.count > 1 ? "落位·\(chain.name)" : "摸排名录落位"))
                    if unplaced { sheets.append(RosterReport.unplacedTable(roster).sheet(rostered.count > 1 ? "未落位·\(chain.name)" : "未落位")) }
                }
                sink.write(try XLSXWriter.bytes(sheets)[...])
            case .json:
                sink.write(RosterReport.json(rostered, unfitting: run.unfitting))
            case .yaml:
                sink.write(rostered.map { RosterReport.yaml($0.chain, $0.roster) }.joined(separator: "\n"))
            }
            try sink.finish()
        } catch {
            sink.discard()
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
        if !quiet && format != .table {
            for (chain, roster) in rostered { Terminal.writeError("\(chain.name)：\(RosterReport.summary(roster))\n") }
        }
        if set.hasErrors { throw ExitCode(1) }
    }
}
