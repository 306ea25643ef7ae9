import ArgumentParser
import ChainMapKit
import Foundation

struct Projects: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "projects",
        abstract: "The project ledger (项目台账): 履约率, 开工率, 投产率, 资金到位率 and the problems to act on.",
        discussion: """
            Reads a ledger of projects (CSV/TSV in UTF-8 or GBK, .xlsx, or YAML with \
            projects:, as-of: and targets:): 项目名称, 投资方, \
            产业链 and 环节 (ids or names, checked against --chains), 协议投资额 and 到位资金 \
            (亿元), 签约日期, 约定开工日期, 开工日期, 投产日期, 状态, 责任单位, 包保领导, 备注. \
            Every problem is reported at its cell. Prints the measures as of a day (--as-of, \
            else today) overall, per chain and per 责任单位, the alerts (signed more than 90 \
            days ago and not started, a promised start passed, under 30 % of the funds in \
            place a year after signing) and the four lists (推介, 跟踪, 签约, 开工).
            """
    )

    enum Format: String, EnumerableFlag {
        case table, markdown, csv, xlsx, json

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "Tables for the terminal (the default)."
            case .markdown: "Markdown tables, to paste into a document."
            case .csv: "The measures as CSV for Excel (UTF-8 with BOM)."
            case .xlsx: "An Excel workbook: measures, alerts and the four lists (with -o, or to a pipe or file)."
            case .json: "JSON for scripts: as_of, overall, by_chain, by_owner, alerts."
            }
        }
    }

    @Argument(help: ArgumentHelp("The project ledger.", valueName: "ledger"))
    var ledger: String

    @Option(help: ArgumentHelp("The chains the ledger's 产业链 and 环节 name (default: chains/).", valueName: "dir"))
    var chains = "chains"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the measures are computed for (YYYY-MM-DD; default: the ledger's as-of:, else today).", valueName: "date"))
    var asOf: String?

    @Option(help: ArgumentHelp("The year's targets (YAML with targets:; default: the ledger's targets:): each measure then shows its progress and 达标, 滞后 or 落后.", valueName: "file"))
    var targets: String?

    @Option(name: .customLong("alert-days"), parsing: .unconditional, help: ArgumentHelp(
        "List a signed project not started after this many days (default \(ProjectAlertRules().startWithinDays)).", valueName: "n"))
    var alertDays = ProjectAlertRules().startWithinDays

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    func validate() throws {
        if !(1...3650).contains(alertDays) { throw ValidationError("--alert-days must be from 1 to 3650, got \(alertDays)") }
    }

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp(
        "Write the output to this file instead of standard output (written whole or not at all).", valueName: "file"))
    var output: String?

    func run() throws {
        let printer = DiagnosticPrinter()
        try refuseWorkbookOnTerminal(format == .xlsx, output: output, example: "ledger.xlsx", printer: printer)
        var given: CalendarDay?
        if let asOf {
            guard let parsed = CalendarDay(parsing: asOf) else {
                printer.print([.error(.option, "--as-of '\(Diagnostic.quoted(asOf))' is not a date such as 2026-09-30")])
                throw ExitCode(1)
            }
            given = parsed
        }
        let set = ChainSet(arguments: [chains])
        printer.print(set.diagnostics)
        if set.hasErrors || set.chains.isEmpty { throw ExitCode(1) }
        let ledger = ProjectLedgerLoader(chains: set.chains).load(path: self.ledger)
        printer.print(ledger.diagnostics)
        printer.finish()
        if ledger.hasErrors { throw ExitCode(1) }
        // --as-of, else the ledger's as-of:, else today; --targets, else the ledger's targets:.
        let day = given ?? ledger.asOf ?? CalendarDay.today()
        var yearTargets = ledger.targets
        if let targets {
            let loaded = ProjectTargetsLoader().load(path: targets)
            printer.print(loaded.diagnostics)
            printer.finish()
            guard let read = loaded.targets else { throw ExitCode(1) }
            yearTargets = read
        }
        var rules = ProjectAlertRules()
        rules.startWithinDays = alertDays
        let analysis = LedgerAnalysis(ledger.projects, asOf: day, rules: rules)
        let targetRows = yearTargets.map { TargetProgress.all(analysis, targets: $0) }
        let names = Dictionary(set.chains.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let measures = LedgerReport.measuresTable(analysis, chainNames: names)
        let goals = targetRows.map { [("年度目标", LedgerReport.targetsTable($0))] } ?? []
        let alerts = LedgerReport.alertsTable(analysis)
        let lists = LedgerReport.lists.map { ($0.name, LedgerReport.listTable(analysis, stages: $0.stages, chainNames: names)) }
        var sink: OutputSink
        do {
            sink = try OutputSink(path: output)
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
        do throws(DiagnosticError) {
            let title = "项目推进与考核（截至 \(day)，\(ledger.projects.count) 个项目）"
            switch format {
            case .table:
                var text = title + "\n\n"
                let width = output == nil ? Terminal.width : nil
                for (name, table) in goals + [("考核指标", measures), ("问题台账（\(alerts.rows.count) 项）", alerts)] + lists.map({ ("\($0.0)（\($0.1.rows.count) 个）", $0.1) }) {
                    text += name + "\n"
                    text += table.rows.isEmpty ? "（无）\n\n" : TextTable(
                        headers: table.columns.map(\.title), rows: table.rows,
                        alignments: table.columns.map { $0.isNumber ? .right : .left }).text(width: width) + "\n"
                }
                sink.write(TerminalText.escape(text, keepingLineBreaks: true))
            case .markdown:
                var text = "# \(MarkdownText.escape(title))\n\n"
                for (name, table) in goals + [("考核指标", measures), ("问题台账", alerts)] + lists {
                    text += "## \(MarkdownText.escape(name))\n\n"
                    text += table.rows.isEmpty ? "（无）\n\n" : TextTable(headers: table.columns.map(\.title), rows: table.rows).markdown() + "\n"
                }
                sink.write(text)
            case .csv:
                sink.write(TextTable(headers: measures.columns.map(\.title), rows: measures.rows).csv())
            case .xlsx:
                let sheets = goals.map { $0.1.sheet($0.0) } + [measures.sheet("考核指标"), alerts.sheet("问题台账")] + lists.map { $0.1.sheet($0.0) }
                sink.write(try XLSXWriter.bytes(sheets)[...])
            case .json:
                sink.write(LedgerReport.json(analysis, targets: targetRows))
            }
            try sink.finish()
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
    }
}
