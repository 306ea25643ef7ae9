import Yams

/// Reads the year's targets (`--targets FILE`): a YAML file with a `targets:` mapping and
/// an optional `year:`. Keys are English or the plan's words:
///
/// ```yaml
/// year: 2026
/// targets:
///   签约项目: 30            # signed
///   协议引资: 500           # agreed-invest, 亿元
///   到位资金: 200           # funds-in-place, 亿元
///   履约率: 90%             # fulfilment-rate (0.9 or 90%)
///   开工率: 0.7             # start-rate
///   投产率: 30%             # production-rate
///   资金到位率: 40%         # funds-rate
///   规模档次: {5: 10, 10: 5, 100: 1}   # size-classes: signed projects ≥ N 亿元
///   季度:                   # quarters: cumulative milestones
///     Q1: {签约项目: 6, 协议引资: 100}
/// ```
///
/// Every problem is located: an unknown key, a value that is not a number, a rate
/// outside 0–100 %, an unknown size class or quarter.
public struct ProjectTargetsLoader: Sendable {
    public init() {}

    public func load(path: String) -> (targets: ProjectTargets?, diagnostics: [Diagnostic]) {
        let start = FileLocation(file: path, line: 1, column: 1)
        let bytes: [UInt8]
        let document: YAMLSyntax.Document
        do {
            bytes = try FileSystem.readBytes(path)
            document = try YAMLSyntax.document(bytes, file: path)
        } catch {
            return (nil, error.diagnostics)
        }
        guard let root = document.root else { return (nil, [.error(.structure, "the targets file has no 'targets:'", at: start)]) }
        var reader = NodeReader(file: path, nodeBudget: 100_000, columns: document.columns)
        var targets = ProjectTargets()
        if let top = reader.mapping(root, what: "the targets file", known: ["year", "targets"], required: ["targets"], expected: "a mapping with 'targets:'") {
            targets.year = reader.integer(top["year"], key: "year", in: 2000...2100)
            if let node = top["targets"] { Self.read(node, into: &targets, reader: &reader) }
        }
        // Tabs in indentation and repeated keys, read past (``YAMLSyntax/Document/problems``).
        let diagnostics = (document.problems + reader.diagnostics).sorted { ($0.location ?? start) < ($1.location ?? start) }
        return (diagnostics.contains(where: \.isError) ? nil : targets, diagnostics)
    }

    /// Reads a `targets:` mapping (of a targets file, or of a YAML ledger) into `targets`,
    /// every problem recorded by `reader` at its node.
    static func read(_ node: Node, into targets: inout ProjectTargets, reader: inout NodeReader) {
        let measureKeys = ProjectTargets.Measure.allCases.flatMap { [$0.key, $0.rawValue] }
        guard let fields = reader.mapping(
            node, what: "targets", known: measureKeys + ["size-classes", "规模档次", "quarters", "季度"], expected: "a mapping of measures to numbers")
        else { return }
        for measure in ProjectTargets.Measure.allCases {
            if let value = Self.value(reader.value(fields, measure.key, measure.rawValue), measure: measure, reader: &reader) {
                targets.values[measure] = value
            }
        }
        if let classes = reader.value(fields, "size-classes", "规模档次"), let entries = reader.mapping(
            classes, what: "size-classes", known: ProjectMeasures.sizeClassBounds.map(String.init), expected: "a mapping of 1, 5, 10, 50 or 100 (亿元) to a number of projects")
        {
            for bound in ProjectMeasures.sizeClassBounds {
                if let count = reader.integer(entries["\(bound)"], key: "\(bound)", in: 0...100_000) { targets.sizeClasses[bound] = count }
            }
        }
        if let quarters = reader.value(fields, "quarters", "季度"), let entries = reader.mapping(
            quarters, what: "quarters", known: ["Q1", "Q2", "Q3", "Q4"], expected: "a mapping of Q1 … Q4 to milestones")
        {
            let countable = ProjectTargets.Measure.allCases.filter { !$0.isRate }
            for q in 1...4 {
                guard let node = entries["Q\(q)"], let milestones = reader.mapping(
                    node, what: "Q\(q)", known: countable.flatMap { [$0.key, $0.rawValue] }, expected: "a mapping of 签约项目, 协议引资 or 到位资金 to cumulative numbers")
                else { continue }
                for measure in countable {
                    if let value = Self.value(reader.value(milestones, measure.key, measure.rawValue), measure: measure, reader: &reader) {
                        targets.quarters[q, default: [:]][measure] = value
                    }
                }
            }
        }
    }

    /// A target's number: a count, an amount in 亿元, or a rate as 0.9 or 90%.
    static func value(_ node: Node?, measure: ProjectTargets.Measure, reader: inout NodeReader) -> Double? {
        guard let node, !node.isNull, let text = reader.string(node, key: measure.rawValue) else { return nil }
        if measure.isRate {
            let percent = text.hasSuffix("%")
            guard let number = Double(percent ? String(text.dropLast()) : text), number.isFinite else {
                reader.error(.value, "'\(measure.rawValue)' must be a rate such as 0.9 or 90%, got '\(Diagnostic.quoted(text))'", at: node)
                return nil
            }
            let rate = percent ? number / 100 : number
            guard (0...1).contains(rate) else {
                // 90 meant as 90 %: a bare number is a fraction of one.
                let hint = !percent && number > 1 && number <= 100 ? "; a rate without % is a fraction: write \(NumberText.trimmed(number, 4))% or \(NumberText.trimmed(number / 100, 6))" : ""
                reader.error(.value, "'\(measure.rawValue)' must be between 0 and 100%, got '\(Diagnostic.quoted(text))'\(hint)", at: node)
                return nil
            }
            return rate
        }
        if measure == .signed {
            guard let count = Int(text), count >= 0 else {
                reader.error(.value, "'\(measure.rawValue)' must be a whole number of projects, got '\(Diagnostic.quoted(text))'", at: node)
                return nil
            }
            return Double(count)
        }
        return reader.amount(node, key: measure.rawValue)
    }
}
