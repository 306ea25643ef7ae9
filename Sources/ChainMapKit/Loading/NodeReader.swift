import Yams
import Foundation

/// Reads values out of composed YAML nodes and records a located ``Diagnostic`` for
/// every problem, so that the loader can go on and report all problems of a file.
struct NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Nodes visited so far; bounds the work an alias bomb can cause.
    private var budget: Int

    init(file: String, nodeBudget: Int) {
        self.file = file
        self.budget = nodeBudget
    }

    var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    func location(of node: Node) -> FileLocation {
        let mark = node.mark
        return FileLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func error(_ category: Diagnostic.Category, _ message: String, at node: Node, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(category, message, at: location(of: node), notes: notes))
    }

    mutating func error(_ category: Diagnostic.Category, _ message: String, at location: FileLocation, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(category, message, at: location, notes: notes))
    }

    mutating func warning(_ category: Diagnostic.Category, _ message: String, at location: FileLocation, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.warning(category, message, at: location, notes: notes))
    }

    mutating func warning(_ category: Diagnostic.Category, _ message: String, at node: Node, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.warning(category, message, at: location(of: node), notes: notes))
    }

    /// Counts a visited node; false once the document has expanded beyond reason.
    mutating func spend(_ node: Node) -> Bool {
        budget -= 1
        if budget == 0 {
            error(.syntax, "the document expands to too many values through aliases (`*name`); write the values out", at: node)
        }
        return budget > 0
    }

    /// A mapping's entries by key, in file order. Reports a node that is not a mapping,
    /// unknown keys (with a "did you mean" where one is close) and missing required keys.
    mutating func mapping(
        _ node: Node, what: String, known: [String], required: [String] = [],
        expected: String
    ) -> Fields? {
        guard spend(node) else { return nil }
        guard case .mapping(let mapping) = node else {
            error(.structure, "\(what) must be \(expected)", at: node)
            return nil
        }
        var fields = Fields(node: node, capacity: mapping.count)
        var suggested: Set<String> = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error(.structure, "a key of \(what) must be a plain word", at: keyNode)
                continue
            }
            let key = scalar.string
            if known.contains(key) {
                fields.append(key, value)
            } else {
                var message = "unknown key '\(key)' in \(what)"
                if let suggestion = Suggestion.closest(to: key, in: known) {
                    message += "; did you mean '\(suggestion)'?"
                    suggested.insert(suggestion)
                } else {
                    message += "; known keys are \(known.joined(separator: ", "))"
                }
                error(.structure, message, at: keyNode)
            }
        }
        // A misspelt required key is reported once, by its "did you mean".
        for key in required where fields[key] == nil && !suggested.contains(key) {
            error(.structure, "\(what) is missing the required key '\(key)'", at: node)
        }
        return fields
    }

    /// A scalar's text, trimmed; nil (with an error) for a list, mapping or empty value.
    mutating func string(_ node: Node, key: String, allowEmpty: Bool = false) -> String? {
        guard spend(node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error(.structure, "'\(key)' must be a single value, not a \(node.kindName)", at: node)
            return nil
        }
        let text = scalar.string.trimmed
        if text.isEmpty && !allowEmpty {
            error(.value, "'\(key)' must not be empty", at: node)
            return nil
        }
        return text
    }

    /// An optional scalar: a null or empty value counts as absent.
    mutating func optionalString(_ node: Node?, key: String) -> String? {
        guard let node, !node.isNull else { return nil }
        let text = string(node, key: key, allowEmpty: true)
        return text?.isEmpty == true ? nil : text
    }

    /// A list of non-empty scalars with their nodes. A single scalar counts as a list of one.
    mutating func stringList(_ node: Node?, key: String) -> [(String, Node)] {
        guard let node, !node.isNull else { return [] }
        guard spend(node) else { return [] }
        let items: [Node]
        switch node {
        case .sequence(let sequence): items = Array(sequence)
        case .scalar: items = [node]
        default:
            error(.structure, "'\(key)' must be a list such as [a, b]", at: node)
            return []
        }
        return items.compactMap { item in string(item, key: key).map { ($0, item) } }
    }

    /// A finite number ≥ 0, or nil (with an error when the value is not one).
    mutating func amount(_ node: Node?, key: String, unit: String = "亿元") -> Double? {
        guard let node, !node.isNull else { return nil }
        guard let text = string(node, key: key) else { return nil }
        guard let value = Double(text), value.isFinite, value >= 0 else {
            error(.value, "'\(key)' must be a number ≥ 0 (\(unit)), got '\(text)'", at: node)
            return nil
        }
        return value
    }

    /// A whole number in a range, or nil (with an error).
    mutating func integer(_ node: Node?, key: String, in range: ClosedRange<Int>) -> Int? {
        guard let node, !node.isNull else { return nil }
        guard let text = string(node, key: key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            error(.value, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'", at: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words, or nil (with an error and a suggestion).
    /// `variants` maps other accepted spellings (Traditional characters) to a choice.
    mutating func choice(_ node: Node?, key: String, from choices: [String], variants: [String: String] = [:]) -> String? {
        guard let node, !node.isNull, let text = string(node, key: key) else { return nil }
        if let choice = variants[text] { return choice }
        guard choices.contains(text) else {
            var message = "'\(key)' must be one of \(choices.joined(separator: ", ")), got '\(text)'"
            if let suggestion = Suggestion.closest(to: text, in: choices) {
                message += "; did you mean '\(suggestion)'?"
            }
            error(.value, message, at: node)
            return nil
        }
        return text
    }

    /// A list of entries; reports a value that is not a list.
    mutating func sequence(_ node: Node?, key: String) -> [Node] {
        guard let node, !node.isNull else { return [] }
        guard spend(node) else { return [] }
        guard case .sequence(let sequence) = node else {
            error(.structure, "'\(key)' must be a list of entries, each starting with '- '", at: node)
            return []
        }
        return Array(sequence)
    }
}

/// The recognised entries of one YAML mapping.
struct Fields {
    let node: Node
    /// The known keys, in file order, and their values. A handful per mapping, so
    /// lists searched in place are cheaper than hashing into a dictionary — thousands
    /// of mappings make up a large chain file — and the keys are kept apart from the
    /// values so that a search compares strings without copying nodes.
    private(set) var keys: [String] = []
    private(set) var values: [Node] = []

    init(node: Node, capacity: Int) {
        self.node = node
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    mutating func append(_ key: String, _ value: Node) {
        keys.append(key)
        values.append(value)
    }

    subscript(key: String) -> Node? {
        guard let index = keys.lastIndex(of: key) else { return nil }
        return values[index]
    }
}

extension Node {
    var isNull: Bool {
        if case .scalar(let scalar) = self {
            guard scalar.style == .plain else { return false }
            switch scalar.string {
            case "", "~", "null", "Null", "NULL": return true
            default: return false
            }
        }
        return false
    }

    var kindName: String {
        switch self {
        case .scalar: "single value"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }
}

extension String {
    /// The text without leading and trailing white space (including the ideographic
    /// space U+3000 and line breaks); a plain-Swift trim, much cheaper than Foundation's
    /// on Linux, for the thousands of scalars of a large chain file.
    var trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}
