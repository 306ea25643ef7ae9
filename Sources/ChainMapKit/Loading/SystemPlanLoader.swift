import Foundation
import Yams

/// Reads `system.yaml`, the industrial system of a chains directory (``SystemPlan``):
///
/// ```yaml
/// system: 示例市"2+2+N"现代产业体系      # optional
/// tiers: [首位产业, 主导产业, 新兴产业, 未来产业]   # optional: the plan's own words, in order
/// chains:
///   nev-battery:
///     tier: 首位产业
///     role: 全市第一大产业集群               # optional
///     goals: {产值: 1200, 引资: 300, 三类500强: 3, 上市公司: 5, 专精特新: 10, 外资: 2}
/// ```
///
/// Every problem is located: an unknown key, a chain id that is none of the directory's
/// chains (with a "did you mean"), an unknown tier, a goal that is not a number. A chain of
/// the directory that the file does not place is a warning at the file.
public struct SystemPlanLoader: Sendable {
    /// The file's name in a chains directory.
    public static let fileNames = ["system.yaml", "system.yml"]

    public init() {}

    /// The system file of a directory, if it has one.
    public static func file(in directory: String) -> String? {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        return fileNames.map { base + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The system files of the directories among `arguments` (a command's files and
    /// directories), each read against `chains`, in argument order.
    /// `unloaded`: how many chain files of the command did not load (their errors were
    /// reported), so that a chain id of those is not said to be none of the directory's.
    public func load(arguments: [String], chains: [Chain], unloaded: Int = 0) -> [(file: String, plan: SystemPlan?, diagnostics: [Diagnostic])] {
        arguments.compactMap { argument in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue,
                  let file = Self.file(in: argument)
            else { return nil }
            let loaded = load(path: file, chains: chains, unloaded: unloaded)
            return (file, loaded.plan, loaded.diagnostics)
        }
    }

    /// Reads the plan at `path`, checking its chain ids against `chains`.
    public func load(path: String, chains: [Chain], unloaded: Int = 0) -> (plan: SystemPlan?, diagnostics: [Diagnostic]) {
        let start = FileLocation(file: path, line: 1, column: 1)
        let document: YAMLSyntax.Document
        do {
            document = try YAMLSyntax.document(try FileSystem.readBytes(path), file: path)
        } catch {
            return (nil, error.diagnostics)
        }
        guard let root = document.root else { return (nil, [.error(.structure, "system.yaml has no 'chains:'", at: start)]) }
        var reader = NodeReader(file: path, nodeBudget: 100_000, columns: document.columns)
        var plan = SystemPlan(title: nil, tiers: SystemPlan.standardTiers, chains: [], file: path)
        guard let top = reader.mapping(
            root, what: "system.yaml", known: ["system", "tiers", "chains"], required: ["chains"],
            expected: "a mapping with 'chains:' (each chain id with its tier and goals)")
        else { return (nil, document.problems + reader.diagnostics) }
        if let node = top["system"] { plan.title = reader.string(node, key: "system") }
        if let node = top["tiers"], !node.isNull {
            let tiers = reader.stringList(node, key: "tiers").map(\.0)
            if tiers.isEmpty {
                reader.error(.value, "'tiers' lists no tier; leave it out for 首位产业, 主导产业, 新兴产业, 未来产业", at: node)
            } else {
                plan.tiers = tiers
            }
        }
        let ids = chains.map(\.id)
        let goalKeys = SystemPlan.Goal.allCases.flatMap { [$0.key, $0.rawValue] }
        if let node = top["chains"], case .mapping(let mapping) = node {
            for (keyNode, value) in mapping {
                guard let id = reader.string(keyNode, key: "chains") else { continue }
                let at = reader.location(of: keyNode)
                guard ids.contains(id) else {
                    var message = "'\(Diagnostic.quoted(id))' is no chain of the directory"
                    if unloaded > 0 { message += " that loaded" }
                    if let suggestion = Suggestion.closest(to: id, in: ids) {
                        message += "; did you mean '\(suggestion)'?"
                    } else {
                        message += " (its chains: \(ids.isEmpty ? "none" : ids.joined(separator: ", ")))"
                    }
                    if unloaded > 0 {
                        message += "; \(unloaded) chain file\(unloaded == 1 ? "" : "s") did not load (see \(unloaded == 1 ? "its errors" : "their errors")): it may be \(unloaded == 1 ? "that one" : "one of them")"
                    }
                    reader.error(.reference, message, at: at)
                    continue
                }
                if plan.chains.contains(where: { $0.chain == id }) {
                    reader.error(.duplicate, "chain '\(id)' is placed twice", at: at)
                    continue
                }
                guard let fields = reader.mapping(
                    value, what: "chain '\(id)'", known: ["tier", "role", "goals"], required: ["tier"],
                    expected: "a mapping with 'tier:' and, optionally, 'role:' and 'goals:'")
                else { continue }
                let tier = reader.choice(fields["tier"], key: "tier", from: plan.tiers)
                var chainPlan = SystemPlan.ChainPlan(chain: id, tier: tier ?? "", role: nil, goals: [:], location: at)
                if let node = fields["role"] { chainPlan.role = reader.string(node, key: "role") }
                if let node = fields["goals"], let goals = reader.mapping(
                    node, what: "goals", known: goalKeys, expected: "a mapping of 产值, 引资, 三类500强, 上市公司, 专精特新 or 外资 to numbers")
                {
                    for goal in SystemPlan.Goal.allCases {
                        guard let node = reader.value(goals, goal.key, goal.rawValue) else { continue }
                        let value: Double? = goal.isCount
                            ? reader.integer(node, key: goal.rawValue, in: 0...100_000).map(Double.init)
                            : reader.amount(node, key: goal.rawValue)
                        if let value { chainPlan.goals[goal] = value }
                    }
                }
                if tier != nil { plan.chains.append(chainPlan) }
            }
        } else if let node = top["chains"] {
            reader.error(.structure, "'chains' must be a mapping of chain ids to their tier and goals", at: node)
        }
        for chain in chains where !plan.chains.contains(where: { $0.chain == chain.id }) && !reader.hasErrors {
            reader.warning(.reference, "chain '\(chain.id)' (\(chain.name)) has no tier in system.yaml; the overview lists it under 未分层", at: start)
        }
        // Tabs in indentation and repeated keys, read past (``YAMLSyntax/Document/problems``).
        let diagnostics = (document.problems + reader.diagnostics).sorted { ($0.location ?? start) < ($1.location ?? start) }
        return (diagnostics.contains(where: \.isError) ? nil : plan, diagnostics)
    }
}
