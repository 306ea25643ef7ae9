import ArgumentParser
import ChainMapKit
import Foundation
import Synchronization

struct Leads: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        case table, json, csv, markdown

        static func help(for value: Format) -> ArgumentHelp? {
            switch value {
            case .table: "The ranked list and the per-gap view as tables (the default)."
            case .json: "A JSON array, best first: name, links, score, reasons, and more."
            case .csv: "The ranked list for Excel (UTF-8 with BOM), with the pass-through columns and a reasons column."
            case .markdown: "The ranked list and the per-gap view as Markdown tables."
            }
        }
    }

    @Argument(help: "The chain file (.yaml).")
    var file: String

    @Option(name: .customLong("leads"), help: ArgumentHelp(
        "A lead file: .csv/.tsv export or .yaml with leads: (repeatable; - reads CSV from standard input).",
        valueName: "file"))
    var leadFiles: [String] = []

    @Option(help: ArgumentHelp("List only the best n leads (default: all; the table shows 50).", valueName: "n"))
    var top: Int?

    @Option(name: .customLong("per-gap"), help: ArgumentHelp("Leads shown per gap in the per-gap view (0 hides it).", valueName: "n"))
    var perGap = 5

    @Option(help: ArgumentHelp(
        "Target regions in order of preference, e.g. 粤港澳,长三角,京津冀 (regions or provinces).",
        valueName: "regions"))
    var prefer: String?

    @Option(name: .customLong("tier-weight"), help: ArgumentHelp(
        "Points for a tier tag, e.g. 上市公司=10 (repeatable; a new name adds a tier).",
        valueName: "tier=points"))
    var tierWeights: [String] = []

    @Option(help: ArgumentHelp(
        "Encoding of CSV/TSV lead files: utf-8, gbk, gb18030, big5, utf-16 (default: detected).",
        valueName: "name"))
    var encoding: String?

    @Option(name: .customLong("max-errors"), help: ArgumentHelp(
        "List at most n unreadable rows on standard error (0 lists all); all are counted.", valueName: "n"))
    var maxErrors = 50

    @Flag(help: "Exit with status 1 when a row cannot be read.")
    var strict = false

    @Flag(name: .customLong("no-chain-leads"), help: "Ignore the chain file's own leads:.")
    var noChainLeads = false

    @Flag(name: .shortAndLong, help: "No summary and no progress on standard error.")
    var quiet = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to this file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(exclusivity: .exclusive)
    var format: Format = .table

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must be 0 or more, got \(top)") }
        if perGap < 0 { throw ValidationError("--per-gap must be 0 or more, got \(perGap)") }
        if maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more, got \(maxErrors)") }
        if let encoding, LeadFileEncoding(option: encoding) == nil {
            throw ValidationError("--encoding '\(encoding)' is not one of utf-8, gbk, gb18030, big5, utf-16, utf-16le, utf-16be")
        }
        _ = try scoring()
    }

    /// The scoring weights from the options.
    func scoring() throws -> LeadScoring {
        var scoring = LeadScoring()
        if let prefer {
            scoring.preferredRegions = prefer.split(whereSeparator: { ",，、;； ".contains($0) }).map(String.init)
        }
        for item in tierWeights {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let points = Double(parts[1]), points.isFinite else {
                throw ValidationError("--tier-weight takes tier=points, e.g. --tier-weight 上市公司=10; got '\(item)'")
            }
            scoring.setTierPoints(parts[0], points)
        }
        return scoring
    }

    func run() throws {
        let result = ChainLoader().load(path: file)
        Terminal.printDiagnostics(result.diagnostics)
        guard let chain = result.chain else { throw ExitCode(1) }

        var reading = LeadReadingOptions()
        reading.encoding = encoding.flatMap(LeadFileEncoding.init(option:))
        let screener: LeadScreener
        do {
            screener = try LeadScreener(
                analysis: GapAnalysis(chain, settings: analysis.settings(for: chain)),
                scoring: try scoring(), reading: reading)
        } catch let error as DiagnosticError {
            Terminal.printDiagnostics(error.diagnostics)
            throw ExitCode(1)
        }

        let sources: [LeadSource] = (noChainLeads ? [] : [.chainFile]) + leadFiles.map { .file($0) }
        let meter: ProgressLine? = (quiet || !Terminal.stderrIsTerminal) ? nil : ProgressLine()
        var report: (@Sendable (LeadProgress) -> Void)?
        if let meter { report = { meter.update($0) } }
        let screening = screener.screen(sources, progress: report)
        meter?.finish()

        printDiagnostics(screening.diagnostics)
        if screening.failed { throw ExitCode(1) }

        let limit = top ?? (format == .table ? 50 : nil)
        var sink: OutputSink
        do {
            sink = try OutputSink(path: output)
        } catch {
            Terminal.printDiagnostics(error.diagnostics)
            throw ExitCode(1)
        }
        switch format {
        case .table:
            sink.write(LeadReport.text(screening, limit: limit, perGap: perGap, colour: Gaps.useColour && output == nil))
        case .json: LeadReport.writeJSON(screening, limit: limit) { sink.write($0) }
        case .csv: LeadReport.writeCSV(screening, limit: limit) { sink.write($0) }
        case .markdown: sink.write(LeadReport.markdown(screening, limit: limit, perGap: perGap))
        }
        do {
            try sink.finish()
        } catch {
            Terminal.printDiagnostics(error.diagnostics)
            throw ExitCode(1)
        }
        if !quiet { Terminal.writeError(LeadReport.summary(screening)) }
        // Exit here: tearing down tens of thousands of recommendations one by one would
        // only cost time. Output went out with write(2), unbuffered.
        Foundation.exit(strict && screening.totals.unreadable > 0 ? 1 : 0)
    }

    /// Prints diagnostics, listing at most `--max-errors` unreadable rows.
    func printDiagnostics(_ diagnostics: [Diagnostic]) {
        var shown = 0
        var hidden = 0
        for diagnostic in diagnostics {
            let isRow = diagnostic.isError && diagnostic.message.hasPrefix("row cannot be read")
            if isRow && maxErrors > 0 && shown >= maxErrors {
                hidden += 1
                continue
            }
            if isRow { shown += 1 }
            Terminal.writeError(diagnostic.description + "\n")
        }
        if hidden > 0 {
            Terminal.writeError("chainmap: error: \(hidden) more unreadable rows not listed (--max-errors 0 lists all)\n")
        }
    }
}

/// A one-line progress display on standard error, redrawn at most ten times a second.
final class ProgressLine: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    private let drawn = Mutex(false)

    func update(_ progress: LeadProgress) {
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            if let previous = last, now - previous < .milliseconds(100) { return false }
            last = now
            return true
        }
        guard due else { return }
        let mb = Double(progress.bytesRead) / 1_048_576
        var line = "\r读取 \(progress.file)：\(String(format: "%.0f", mb)) MB"
        if let total = progress.totalBytes, total > 0 {
            line += " / \(String(format: "%.0f", Double(total) / 1_048_576)) MB（\(min(100, progress.bytesRead * 100 / total))%）"
        }
        Terminal.writeError(line + "\u{1B}[K")
        drawn.withLock { $0 = true }
    }

    /// Clears the line.
    func finish() {
        if drawn.withLock({ $0 }) { Terminal.writeError("\r\u{1B}[K") }
    }
}

/// Where the output goes: standard output, or a file written through a temporary file
/// in the same directory and renamed over it at the end, so that a failed run never
/// leaves a half-written file. Written in pieces, so a large list is never held whole.
/// Where `leads` writes: standard output, or a file put in place atomically.
struct OutputSink {
    var file: FileSystem.AtomicFile?

    init(path: String?) throws(DiagnosticError) {
        do {
            file = try path.map(FileSystem.AtomicFile.init(path:))
        } catch {
            throw DiagnosticError(error.diagnostic)
        }
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
        do {
            try file?.commit()
        } catch {
            throw DiagnosticError(error.diagnostic)
        }
    }
}
