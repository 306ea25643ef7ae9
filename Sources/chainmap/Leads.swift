import ArgumentParser
import ChainMapKit
import Foundation
import Synchronization

struct Leads: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "leads",
        abstract: "Match enterprise-database exports against a chain's gaps and rank the 招商目标企业, each with its reasons.",
        discussion: """
            Reads the chain file's own leads: and every --leads file: YAML with a top-level \
            leads: list, or CSV/TSV exports (企查查, 天眼查 …) in UTF-8 or GB18030/GBK, with \
            or without a BOM. Headers such as 企业名称, 国标行业, 经营范围, 所属省份, 标签, \
            注册资本 are recognised; other columns pass through to --csv and --json. \
            Leads already local (same name) and leads matching no gap or weak link are left \
            out. Unreadable rows are reported as FILE:LINE:COL and counted. A summary goes \
            to standard error. The score and matching rules are in docs/matching.md.
            """
    )

    enum Format: String, EnumerableFlag {
        case table, json, csv, markdown, xlsx

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .xlsx: "An Excel workbook: the ranked list (codes as text, amounts and scores as numbers), the per-gap view and, with --explain-excluded, the enterprises left out (with -o, or to a pipe or file)."
            case .table: "The ranked list and the per-gap view as tables (the default)."
            case .json: "A JSON array, best first: name, links, score, reasons, and more."
            case .csv: "The ranked list for Excel (UTF-8 with BOM), with the pass-through columns and a reasons column."
            case .markdown: "The ranked list and the per-gap view as Markdown tables."
            }
        }
    }

    @Argument(help: "The chain file (.yaml).")
    var file: String

    @Option(parsing: .unconditional, help: ArgumentHelp("List only the best n leads (default: all; the table shows 50).", valueName: "n"))
    var top: Int?

    @Option(name: .customLong("per-gap"), parsing: .unconditional, help: ArgumentHelp("Leads shown per gap in the per-gap view (0 hides it).", valueName: "n"))
    var perGap = 5

    @Option(name: .customLong("max-errors"), parsing: .unconditional, help: ArgumentHelp(
        "List at most n unreadable rows on standard error (0 lists all); all are counted.", valueName: "n"))
    var maxErrors = 50

    @Flag(help: "Exit with status 1, writing nothing, when a row of a lead file or a roster cannot be read.")
    var strict = false

    @Flag(name: .customLong("explain-excluded"), help: "List every enterprise left out (local, only covered links, closed, excluded province) with the reason: a section of the table and the Markdown, rows marked 未列入 at the end of the CSV.")
    var explainExcluded = false

    @Flag(name: .shortAndLong, help: "No summary and no progress on standard error.")
    var quiet = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @OptionGroup(title: "Leads")
    var leads: LeadOptions

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    @OptionGroup(title: "Roster (摸排名录)")
    var local: LocalOptions

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must be 0 or more, got \(top)") }
        if perGap < 0 { throw ValidationError("--per-gap must be 0 or more, got \(perGap)") }
        if maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more, got \(maxErrors)") }
    }

    func run() throws {
        let printer = DiagnosticPrinter(maxRows: maxErrors)
        try refuseWorkbookOnTerminal(format == .xlsx, output: output, example: "leads.xlsx", printer: printer)
        // One chain: a directory would screen every chain and show one.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            printer.print([.error(
                .input,
                "\(file) is a directory; leads ranks the targets of one chain: name its file (report \(file) --leads … covers every chain)")])
            throw ExitCode(1)
        }
        let missing = leads.missingFiles + local.missingFiles
        if !missing.isEmpty {
            printer.print(missing)
            throw ExitCode(1)
        }
        let meter: ProgressLine? = (quiet || !Terminal.stderrIsTerminal) ? nil : ProgressLine()
        var progress: (@Sendable (ReadProgress) -> Void)?
        if let meter { progress = { meter.update($0) } }
        var options = try ChainPipeline.Options(analysis: analysis, leads: leads, local: local)
        options.explainExcluded = explainExcluded
        // Only as many as the output shows are kept while reading (memory stays flat).
        let limit = top ?? (format == .table ? 50 : nil)
        let perLink = format == .table || format == .markdown || format == .xlsx ? perGap : 0
        options.retention = limit.map { LeadRetention(best: $0, bestPerLink: perLink) } ?? .all
        // The lists word each lead's reasons as they write it, never all at once.
        options.wordsReasons = format != .json && format != .csv
        // The output first: a path that cannot be written fails before a long screening.
        // Until the end it is a temporary file, removed on failure or on Ctrl-C.
        var sink: OutputSink
        do {
            sink = try OutputSink(path: output)
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
        let run = ChainPipeline(options: options).run([file], screening: true, progress: progress)
        meter?.finish()
        printer.print(run.diagnostics)
        printer.finish()
        guard !run.loadFailed, !run.leadsFailed, let screening = run.chains.first?.screening else {
            sink.discard()
            throw ExitCode(1)
        }
        // Under --strict an unreadable row fails the run, and a failed run writes nothing:
        // neither a new file nor a replacement of an earlier one.
        // Rows of the rosters (--local, roster:) as well as of the lead files.
        let unreadable = screening.totals.unreadable + run.rosterSources.reduce(0) { $0 + $1.counts.unreadable }
        let failed = strict && unreadable > 0
        if failed {
            sink.discard()
        } else {
            let colour = Terminal.useColour && output == nil
            switch format {
            case .table:
                let text = LeadReport.text(
                    screening, limit: limit, perGap: perGap, colour: colour, width: output == nil ? Terminal.width : nil)
                sink.write(TerminalText.escape(text, keepingLineBreaks: true, allowingStyles: colour))
            case .json: LeadReport.writeJSON(screening, limit: limit) { sink.write($0) }
            case .csv: LeadReport.writeCSV(screening, limit: limit) { sink.write($0) }
            case .markdown:
                sink.write(TerminalText.escape(LeadReport.markdown(screening, limit: limit, perGap: perGap), keepingLineBreaks: true))
            case .xlsx:
                do {
                    sink.write(try XLSXWriter.bytes(LeadReport.workbook(screening, limit: limit, perGap: perGap))[...])
                } catch {
                    sink.discard()
                    printer.print(error.diagnostics)
                    throw ExitCode(1)
                }
            }
            do {
                try sink.finish()
            } catch {
                printer.print(error.diagnostics)
                throw ExitCode(1)
            }
        }
        if !quiet { Terminal.writeError(LeadReport.summary(screening)) }
        if failed {
            Terminal.writeError("chainmap: error: --strict: \(unreadable) row(s) could not be read, so nothing was written\n")
        }
        // Exit here: tearing down tens of thousands of recommendations one by one would
        // only cost time. Output went out with write(2), unbuffered.
        Foundation.exit(failed ? 1 : 0)
    }
}

/// A one-line progress display on standard error, redrawn at most ten times a second.
final class ProgressLine: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    private let drawn = Mutex(false)

    func update(_ progress: ReadProgress) {
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            if let previous = last, now - previous < .milliseconds(100) { return false }
            last = now
            return true
        }
        guard due else { return }
        let mb = Double(progress.bytesRead) / 1_048_576
        var line = "读取 \(progress.file)：\(NumberText.fixed(mb, 0)) MB"
        if let total = progress.totalBytes, total > 0 {
            line += " / \(NumberText.fixed(Double(total) / 1_048_576, 0)) MB（\(min(100, progress.bytesRead * 100 / total))%）"
        }
        Terminal.write("\r" + TerminalText.escape(line) + "\u{1B}[K", to: 2)
        drawn.withLock { $0 = true }
    }

    /// Clears the line.
    func finish() {
        if drawn.withLock({ $0 }) { Terminal.write("\r\u{1B}[K", to: 2) }
    }
}

/// Where the output goes: standard output, or a file written through a temporary file
/// in the same directory and renamed over it at the end, so that a failed run never
/// leaves a half-written file. Written in pieces, so a large list is never held whole.
/// Where `leads` writes: standard output, or a file put in place atomically.
struct OutputSink {
    var file: FileSystem.AtomicFile?

    init(path: String?) throws(DiagnosticError) {
        file = try path.map(FileSystem.AtomicFile.init(path:))
    }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    mutating func write(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { write($0) }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        if file != nil { file!.write(bytes) } else { _ = FileSystem.writeAll(bytes, to: 1) }
    }

    /// Puts the file in place (nothing for standard output).
    func finish() throws(DiagnosticError) {
        try file?.commit()
    }

    /// Drops the file: an earlier one at the path stays as it was.
    func discard() {
        file?.discard()
    }
}
