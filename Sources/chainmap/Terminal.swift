import ChainMapKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Output to the user's terminal.
enum Terminal {
    /// Writes text to standard error, its control characters escaped (``TerminalText``):
    /// messages quote names and cells from lead files.
    static func writeError(_ text: String) {
        write(TerminalText.escape(text, keepingLineBreaks: true), to: 2)
    }

    /// Writes text for people to standard output unbuffered, its control characters
    /// escaped; with `styled`, the colour sequences of chainmap's own tables stay.
    static func writeOutput(_ text: String, styled: Bool = false) {
        write(TerminalText.escape(text, keepingLineBreaks: true, allowingStyles: styled), to: 1)
    }

    /// Writes data (JSON, CSV) to standard output byte for byte, a CSV's BOM included:
    /// their writers escape control characters themselves.
    static func writeData(_ text: String) {
        write(text, to: 1)
    }

    /// Writes all of `text` to a file descriptor, retrying short writes.
    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { _ = FileSystem.writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    /// Whether standard output is a terminal (for colour and progress).
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }
    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// The width of the terminal standard output goes to: `COLUMNS` when set, else what
    /// the terminal says; nil when standard output is not a terminal (a pipe or a file
    /// gets full-width tables).
    static var width: Int? {
        guard stdoutIsTerminal else { return nil }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)
    /// or the terminal is dumb.
    static var useColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return stdoutIsTerminal
    }
}

/// The one place that prints diagnostics: each once (the same problem found for every
/// chain prints the first time only), with its notes, to standard error. Unreadable rows
/// of lead files are listed up to a limit; all are counted.
final class DiagnosticPrinter {
    private var log = DiagnosticLog()
    /// At most this many unreadable rows are listed; 0 lists all.
    let maxRows: Int
    private var rowsShown = 0
    private var rowsHidden = 0

    init(maxRows: Int = 0) {
        self.maxRows = maxRows
    }

    /// Whether an error was printed (or held back by the row limit).
    var hasErrors: Bool { log.hasErrors }

    /// Prints what is new among `diagnostics`.
    func print(_ diagnostics: some Sequence<Diagnostic>) {
        log.add(diagnostics)
        for diagnostic in log.take() {
            if diagnostic.category == .unreadableRow && maxRows > 0 {
                if rowsShown >= maxRows {
                    rowsHidden += 1
                    continue
                }
                rowsShown += 1
            }
            // One line each: a line break inside a quoted value is escaped too.
            Terminal.writeError(diagnostic.lines.map { TerminalText.escape($0) }.joined(separator: "\n") + "\n")
        }
    }

    /// Says how many unreadable rows were not listed, if any.
    func finish() {
        if rowsHidden > 0 {
            Terminal.writeError("chainmap: error: \(rowsHidden) more unreadable rows not listed (--max-errors 0 lists all)\n")
            rowsHidden = 0
        }
    }
}
