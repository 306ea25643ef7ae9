import Yams

/// A YAML file with a top-level `leads:` list, each entry written as in a chain file
/// (docs/chain-format.md), read as a table: the keys are the header, each entry a row,
/// each value a cell at its own place. A list value (`links`, `tags`) is one cell, its
/// items joined by `、`.
///
/// The file's shape is checked here, with the chain loader's rules: a value that is not
/// a mapping, an unknown key (with a "did you mean"), a list where one value belongs, a
/// missing `name`. Those are errors, and the file is not read. What a value means — a
/// link id, an amount, a status — is read by the consumer, as for any table.
public struct YAMLRowSource: RowSource {
    public let file: String

    public init(path: String) {
        self.file = path
    }

    /// The header: the keys of a lead, in the chain format's order.
    static let keys = ChainLoader.Keys.lead
    /// The keys whose value may be a list.
    static let listKeys: Set<String> = ["links", "tags"]

    public func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        var summary = RowSourceSummary(file: file, format: "YAML")
        let start = FileLocation(file: file, line: 1, column: 1)
        let bytes: [UInt8]
        let root: Node
        let document: YAMLSyntax.Document
        do {
            bytes = try FileSystem.readBytes(file)
            summary.bytes = bytes.count
            document = try YAMLSyntax.document(bytes, file: file)
            guard let node = document.root else {
                return .failure(summary, .error(.structure, "file has no 'leads:' list", at: start))
            }
            root = node
        } catch {
            var read = RowRead<Consumer.Batch>(summary: summary)
            read.diagnostics = error.diagnostics
            read.failed = true
            return read
        }
        progress?(ReadProgress(file: file, bytesRead: bytes.count, totalBytes: bytes.count))

        // The shape, checked as the chain loader checks it.
        var reader = NodeReader(file: file, nodeBudget: max(100_000, bytes.count * 4), columns: document.columns)
        var rows: [(location: FileLocation, cells: [String], places: [FileLocation], extra: [ExtraField])] = []
        // A lead's own `x-` keys become columns of their own, first seen first.
        var extraKeys: [String] = []
        if let top = reader.mapping(
            root, what: "the lead file", known: ["leads"], required: ["leads"],
            expected: "a mapping with 'leads:' at the top level")
        {
            for entry in reader.sequence(top["leads"], key: "leads") {
                guard let fields = reader.mapping(
                    entry, what: "lead", known: Self.keys, required: ["name"],
                    expected: "a mapping with at least 'name:'", extensible: true)
                else { continue }
                let at = reader.location(of: entry)
                var cells: [String] = []
                var places: [FileLocation] = []
                for key in Self.keys {
                    guard let node = fields[key], !node.isNull else {
                        cells.append("")
                        places.append(at)
                        continue
                    }
                    if Self.listKeys.contains(key) {
                        cells.append(reader.stringList(node, key: key).map(\.0).joined(separator: "、"))
                    } else {
                        cells.append(reader.string(node, key: key, allowEmpty: key != "name") ?? "")
                    }
                    places.append(reader.location(of: node))
                }
                let extra = reader.extraFields(fields)
                for field in extra where !extraKeys.contains(field.name) { extraKeys.append(field.name) }
                rows.append((at, cells, places, extra))
            }
        }
        if reader.hasErrors || !document.problems.isEmpty {
            var read = RowRead<Consumer.Batch>(summary: summary)
            read.summary.header = Self.keys
            read.diagnostics = (document.problems + reader.diagnostics).sorted { ($0.location ?? start) < ($1.location ?? start) }
            read.failed = true
            return read
        }

        // The rows, each through the same checks as a text table's.
        var feeder = RowFeeder(file: file, format: "YAML", consumer: consumer)
        feeder.detectsFooters = false
        for problem in reader.diagnostics { feeder.report(problem) }
        guard feeder.header(Self.keys + extraKeys, at: start) else { return feeder.finish(bytes: bytes.count) }
        for (location, cells, places, extra) in rows {
            let extraCells = extraKeys.map { key in extra.first { $0.name == key }?.value ?? "" }
            feeder.row(cells + extraCells, line: location.line, cellLocations: places + extraKeys.map { _ in location })
        }
        return feeder.finish(bytes: bytes.count)
    }
}
