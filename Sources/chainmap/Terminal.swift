import ChainMapKit
#if canImport(Glibc)
import Glibc
#endif

/// Output to the user's terminal.
enum Terminal {
    /// Prints diagnostics to standard error, one per line.
    static func printDiagnostics(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            writeError(diagnostic.description + "\n")
        }
    }

    static func writeError(_ text: String) {
        write(text, to: 2)
    }

    /// Writes to standard output unbuffered, byte for byte (a CSV's BOM included).
    static func writeOutput(_ text: String) {
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
}
