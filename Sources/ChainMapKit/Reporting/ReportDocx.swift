import Foundation

/// pandoc, the document converter (Debian/Ubuntu package `pandoc`), which turns the
/// report's Markdown into a Word document. chainmap runs the program; it is looked up on
/// `PATH` like a shell would.
public struct Pandoc: Sendable {
    /// The program's path.
    public let path: String
    /// The reference document (`--reference-doc`) the DOCX takes its styles from; nil
    /// for pandoc's defaults.
    public var referenceDocument: [UInt8]?

    public init(path: String, referenceDocument: [UInt8]? = nil) {
        self.path = path
        self.referenceDocument = referenceDocument
    }

    /// This pandoc with the report's styles (A4, 宋体/黑体, tables with a grid; see
    /// ``ReportDocxStyle``), made from pandoc's own reference document. When that cannot
    /// be made, pandoc's default styles are kept and the warning says why.
    public func withReportStyles() -> (pandoc: Pandoc, warnings: [Diagnostic]) {
        do {
            return (Pandoc(path: path, referenceDocument: try ReportDocxStyle.referenceDocument(pandoc: path)), [])
        } catch {
            let why = error.diagnostics.map(\.message).joined(separator: "; ")
            return (self, [.warning(.pandoc, "the Word documents use pandoc's default styles: \(why)")])
        }
    }

    /// Finds `pandoc` in the directories of `PATH`; nil when it is not installed.
    public static func find(path searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> Pandoc? {
        Executable.find("pandoc", path: searchPath).map { Pandoc(path: $0) }
    }

    /// The diagnostic for `--docx` without pandoc.
    public static let missing = Diagnostic.error(
        .pandoc, "--docx needs pandoc, which is not installed (not found on PATH): install it (Debian/Ubuntu: apt-get install pandoc) and run again, or leave out --docx")

    /// Converts Markdown to DOCX bytes.
    ///
    /// - Parameters:
    ///   - markdown: the document.
    ///   - images: the images it shows, by the name it links them with: pandoc reads them
    ///     from its scratch directory, so nothing needs to be in the output yet.
    ///   - name: the output's name, for messages.
    /// - Returns: the DOCX bytes, and pandoc's warnings.
    ///
    /// The conversion is reproducible: `SOURCE_DATE_EPOCH` is set to 0, so the
    /// document's dates are fixed and the same Markdown gives the same bytes.
    ///   - wideImages: the descriptions of the images that stand on landscape A3 pages (the
    ///     map), enlarged to that page's width after pandoc.
    public func docx(
        markdown: String, images: [String: [UInt8]] = [:], name: String, wideImages: [String] = []
    ) throws(DiagnosticError) -> (bytes: [UInt8], warnings: [Diagnostic]) {
        let fileManager = FileManager.default
        let scratch = fileManager.temporaryDirectory.appendingPathComponent("chainmap-pandoc-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(.error(.pandoc, "cannot make a temporary directory for pandoc: \(error.localizedDescription)"))
        }
        defer { try? fileManager.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("report.docx")
        for (image, bytes) in images.sorted(by: { $0.key < $1.key }) {
            guard fileManager.createFile(atPath: scratch.appendingPathComponent(image).path, contents: Data(bytes)) else {
                throw DiagnosticError(.error(.pandoc, "cannot write the image \(image) for pandoc in \(scratch.path)"))
            }
        }
        var styles: [String] = []
        if let referenceDocument {
            let reference = scratch.appendingPathComponent("reference.docx")
            guard fileManager.createFile(atPath: reference.path, contents: Data(referenceDocument)) else {
                throw DiagnosticError(.error(.pandoc, "cannot write pandoc's reference document in \(scratch.path)"))
            }
            styles = ["--reference-doc=\(reference.path)"]
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [
            "--from=markdown-smart", "--to=docx", "--output=\(output.path)",
            "--resource-path=\(scratch.path)",
        ] + styles
        var environment = ProcessInfo.processInfo.environment
        environment["SOURCE_DATE_EPOCH"] = "0"
        process.environment = environment
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DiagnosticError(.error(.pandoc, "cannot run pandoc (\(path)) for \(name): \(error.localizedDescription)"))
        }
        // Read stderr while writing stdin, so that neither pipe fills up and blocks.
        let collected = ErrorCollector()
        let reader = Thread {
            collected.set(errors.fileHandleForReading.readDataToEndOfFile())
        }
        reader.start()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let stderr = collected.wait()

        let messages = String(decoding: stderr, as: UTF8.self)
            .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let detail = messages.isEmpty ? "exit status \(process.terminationStatus)" : messages.joined(separator: "; ")
            throw DiagnosticError(.error(.pandoc, "pandoc could not write \(name): \(detail)"))
        }
        guard let data = fileManager.contents(atPath: output.path), !data.isEmpty else {
            throw DiagnosticError(.error(.pandoc, "pandoc wrote no document for \(name)"))
        }
        let printable: [UInt8]
        do {
            printable = try ReportDocxStyle.printable(Array(data), wide: wideImages)
        } catch {
            throw DiagnosticError(.error(.pandoc, "the document pandoc wrote for \(name) is no readable zip archive: \(error)"))
        }
        return (printable, messages.map { .warning(.pandoc, "pandoc, writing \(name): \($0)") })
    }

    /// Collects pandoc's standard error on a thread and hands it over once.
    private final class ErrorCollector: @unchecked Sendable {
        // @unchecked: `data` is written once, before `done` is signalled, and read after.
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        func set(_ data: Data) {
            self.data = data
            done.signal()
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }
}
