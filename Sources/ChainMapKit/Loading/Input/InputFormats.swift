/// The formats chainmap reads tables in, and how a file's format is told: by its
/// extension, else by its first bytes. Adding a format means adding a source type and a
/// line to ``source(for:options:)``.
public enum InputFormats {
    /// The source that reads the file at `path` (`-` is standard input, read as CSV/TSV:
    /// it cannot be sniffed and then streamed).
    public static func source(for path: String, options: ReadingOptions = ReadingOptions()) -> any RowSource {
        guard path != "-" else { return DelimitedRowSource(path: path, options: options) }
        let head = head(of: path)
        if isYAML(path: path, head: head) {
            return YAMLRowSource(path: path)
        }
        let lower = path.lowercased()
        if spreadsheetKind(head) == "XLSX" || lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") {
            return XLSXRowSource(path: path, sheet: options.sheet)
        }
        return DelimitedRowSource(path: path, options: options)
    }

    /// The file at `path` read whole into `consumer`: a workbook's every sheet with a
    /// header, one read each (``XLSXRowSource/readEverySheet(into:progress:)``; the
    /// option's sheet, a lead file's, is not consulted), any other format as one read.
    /// Ledgers and rosters are read so: they are kept a sheet per year, chain or park.
    public static func readEverySheet<Consumer: RowConsumer>(
        _ path: String, options: ReadingOptions = ReadingOptions(), into consumer: Consumer,
        progress: (@Sendable (ReadProgress) -> Void)? = nil
    ) -> [RowRead<Consumer.Batch>] {
        switch source(for: path, options: options) {
        case let workbook as XLSXRowSource: workbook.readEverySheet(into: consumer, progress: progress)
        case let delimited as DelimitedRowSource: [delimited.read(into: consumer, progress: progress)]
        case let yaml as YAMLRowSource: [yaml.read(into: consumer, progress: progress)]
        case let other: [other.read(into: consumer, progress: progress)]
        }
    }

    /// "XLSX" or "XLS" when the bytes start like an Excel workbook.
    static func spreadsheetKind(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "XLSX" }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "XLS" }
        return nil
    }

    /// Whether a file is YAML: by its extension, or, for unknown extensions, by a first
    /// line that starts a YAML document or the `leads:` key.
    static func isYAML(path: String, head: [UInt8]) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return true }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".tsv") || lower.hasSuffix(".txt") { return false }
        var text = String(decoding: head.prefix(4096), as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingPrefix(while: { $0 == " " })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            return trimmed.hasPrefix("leads:") || trimmed.hasPrefix("---")
        }
        return false
    }

    /// The first bytes of a file, for sniffing its kind; none of a pipe or a FIFO
    /// (``FileSystem/head(of:count:)``), whose name alone then tells.
    static func head(of path: String) -> [UInt8] {
        FileSystem.head(of: path, count: 4096)
    }
}
