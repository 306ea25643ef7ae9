import Yams

/// Where leads come from.
public enum LeadSource: Hashable, Sendable {
    /// The chain file's own `leads:`.
    case chainFile
    /// A lead file: YAML with a top-level `leads:` list, or a CSV/TSV export (`-` reads
    /// standard input).
    case file(String)
}

/// Telling lead files apart.
enum LeadSources {
    /// "XLSX" or "XLS" when the bytes start like an Excel workbook.
    static func spreadsheetKind(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return "XLSX" }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return "XLS" }
        return nil
    }

    /// Whether a lead file is YAML: by its extension, or, for standard input and unknown
    /// extensions, by a first line that starts a YAML document or the `leads:` key.
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
}

extension ChainLoader {
    /// The keys of a YAML lead file.
    static let leadFileKeys = ["leads"]

    /// Loads a YAML lead file (a top-level `leads:` list, each entry as in a chain file)
    /// against a chain: link ids resolve against its links, and partners are checked
    /// against its enterprises. Every problem is returned, located.
    public func loadLeads(bytes: [UInt8], file: String, chain: Chain) -> (leads: [Lead], diagnostics: [Diagnostic]) {
        let start = FileLocation(file: file, line: 1, column: 1)
        let root: Node
        do {
            guard let node = try YAMLSyntax.document(bytes, file: file).root else {
                return ([], [.error("lead file has no 'leads:' list", at: start)])
            }
            root = node
        } catch {
            return ([], error.diagnostics)
        }
        let reader = NodeReader(file: file, nodeBudget: max(100_000, bytes.count * 4))
        var builder = Builder(loader: self, reader: reader, defaultID: chain.id)
        var leads: [Lead] = []
        if let top = builder.reader.mapping(
            root, what: "the lead file", known: Self.leadFileKeys, required: ["leads"],
            expected: "a mapping with 'leads:' at the top level")
        {
            var refByID: [String: LinkRef] = [:]
            for link in chain.links { refByID[link.id] = link.ref }
            let ids = chain.links.map(\.id)
            let localNames = Set(chain.enterprises.map(\.name))
            leads = builder.reader.sequence(top["leads"], key: "leads")
                .compactMap { builder.lead($0, refByID: refByID, ids: ids, localNames: localNames) }
        }
        let diagnostics = builder.reader.diagnostics.sorted { ($0.location ?? start) < ($1.location ?? start) }
        return (builder.reader.hasErrors ? [] : leads, diagnostics)
    }
}
