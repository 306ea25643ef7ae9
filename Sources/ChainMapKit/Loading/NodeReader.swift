import Yams
import Foundation

/// Reads values out of composed YAML nodes and records a located ``Diagnostic`` for
/// every problem, so that the loader can go on and report all problems of a file.
struct NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// Nodes visited so far; bounds the work an alias bomb can cause.
    private var budget: Int

    /// The file's columns of lines read with their tabs expanded.
    let columns: YAMLSyntax.ColumnMap
    /// The file's lines, for finding where an alias stands (Yams gives an alias the
    /// place of its anchor).
    let lines: [Substring]

    init(file: String, nodeBudget: Int, columns: YAMLSyntax.ColumnMap = .init(), text: String = "") {
        self.file = file
        self.budget = nodeBudget
        self.columns = columns
        // Only a file with an anchor (`&name`) needs them: without one, no place holds an
        // anchor and no alias is looked for. (The lines of a 10 MB file took 17 MB.)
        // The `&` is looked for with memchr (`utf8.contains` took 29 instructions a byte).
        var text = text
        let hasAnchor = text.withUTF8 { $0.count > 0 && TextSearch.offset(of: UInt8(ascii: "&"), in: $0.baseAddress!, from: 0, to: $0.count) < $0.count }
        self.lines = hasAnchor ? text.split(separator: "\n", omittingEmptySubsequences: false) : []
    }

    /// Where each item of a list stands in the file. An item written as an alias
    /// (`- *cell`) is, once composed, its anchor's node with the anchor's place; its own
    /// place is found as the first `*NAME` after the item before it, so that a problem it
    /// brings (a duplicate id) is reported where the alias is.
    func itemLocations(_ items: [Node]) -> [FileLocation] {
        var result: [FileLocation] = []
        result.reserveCapacity(items.count)
        for item in items {
            var place = location(of: item)
            if let previous = result.last, place <= previous, let anchor = anchorName(at: place),
               let alias = aliasLocation("*" + anchor, after: previous) {
                place = alias
            }
            result.append(place)
        }
        return result
    }

    /// The characters of the line last asked about, kept: a flow list of many aliases on
    /// one line asks about that line for every item (rebuilding its characters each time
    /// took 40 s for 20,000 aliases).
    private final class LineCharacters {
        var index = -1
        var characters: [Character] = []
    }
    private let lineCache = LineCharacters()

    /// The characters of line `index` (0-based).
    private func characters(ofLine index: Int) -> [Character] {
        if lineCache.index != index {
            lineCache.characters = Array(lines[index])
            lineCache.index = index
        }
        return lineCache.characters
    }

    /// The name of the anchor written at a node's place (`&cell` → `cell`), if any.
    func anchorName(at place: FileLocation) -> String? {
        guard place.line - 1 < lines.count else { return nil }
        let characters = characters(ofLine: place.line - 1)
        let rest = characters[min(characters.count, max(0, place.column - 1))...].drop { $0 == " " }
        guard rest.first == "&" else { return nil }
        let name = rest.dropFirst().prefix { !" \t\r,[]{}".contains($0) }
        return name.isEmpty ? nil : String(name)
    }

    /// The first `*NAME` token after a place, if there is one.
    func aliasLocation(_ token: String, after start: FileLocation) -> FileLocation? {
        var lineIndex = start.line - 1
        var from = start.column  // skip the character at the start itself
        let tokenCharacters = Array(token)
        while lineIndex < lines.count {
            let characters = characters(ofLine: lineIndex)
            var c = max(0, from)
            while c + tokenCharacters.count <= characters.count {
                if characters[c..<(c + tokenCharacters.count)].elementsEqual(tokenCharacters) {
                    let end = c + tokenCharacters.count
                    let endsToken = end == characters.count || " ,]}#\r".contains(characters[end])
                    let startsToken = c == 0 || " -[{,:".contains(characters[c - 1])
                    if endsToken && startsToken {
                        return FileLocation(file: file, line: lineIndex + 1, column: c + 1)
                    }
                }
                c += 1
            }
            lineIndex += 1
            from = 0
        }
        return nil
    }

    var hasErrors: Bool { diagnostics.contains(where: \.isError) }

    /// The file's own fields (`x-` keys) of a mapping, as text: a list's items joined by 、.
    mutating func extraFields(_ fields: Fields) -> [ExtraField] {
        fields.extras.compactMap { key, value in
            if case .sequence = value {
                return ExtraField(name: key, value: stringList(value, key: key).map(\.0).joined(separator: "、"))
            }
            return string(value, key: key, allowEmpty: true).map { ExtraField(name: key, value: $0) }
        }
    }

    func location(of node: Node) -> FileLocation {
        let mark = node.mark
        let line = mark?.line ?? 1
        return FileLocation(file: file, line: line, column: columns.original(line: line, column: mark?.column ?? 1))
    }

    mutating func error(_ category: Diagnostic.Category, _ message: String, at node: Node, notes: [Diagnostic.Note] = []) {
        error(category, message, at: location(of: node), notes: notes)
    }

    mutating func error(_ category: Diagnostic.Category, _ message: String, at location: FileLocation, notes: [Diagnostic.Note] = []) {
        diagnostics.append(.error(category, message, at: location, notes: notes))
        errorPlaces.insert(location)
    }

    /// Where the errors so far stand, so that whether a value has one is a lookup
    /// (searching the list for every enterprise made a file of many errors quadratic).
    private var errorPlaces: Set<FileLocation> = []

    /// Whether an error was reported at the node's place.
    func hasErrorAt(_ node: Node) -> Bool {
        !errorPlaces.isEmpty && errorPlaces.contains(location(of: node))
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

    /// Keys every mapping of a chain file accepts besides its own: `备注` is `notes`. Each
    /// starts with a non-ASCII character (``mapping(_:what:known:required:expected:extensible:)``
    /// looks up no ASCII key here; a test checks this).
    static let keyAliases = ["备注": "notes"]

    /// A mapping's entries by key, in file order. Reports a node that is not a mapping,
    /// unknown keys (with a "did you mean" where one is close, else how to keep a field
    /// of one's own) and missing required keys. With `extensible`, keys that start with
    /// `x-` are kept in ``Fields/extras``, and `备注` is read as `notes`.
    mutating func mapping(
        _ node: Node, what: String, known: [String], required: [String] = [],
        expected: String, extensible: Bool = false
    ) -> Fields? {
        guard spend(node) else { return nil }
        guard case .mapping(let mapping) = node else {
            error(.structure, "\(what) must be \(expected)", at: node)
            return nil
        }
        var fields = Fields(node: node, capacity: mapping.count)
        var suggested: Set<String> = []
        var aliasesUsed: [String] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error(.structure, "a key of \(what) must be a plain word", at: keyNode)
                continue
            }
            var key = scalar.string
            if key.utf8.count > ChainLoader.maxKeyBytes {
                error(.structure, "a key of \(what) is \(NumberText.grouped(key.utf8.count)) bytes long; keys are short words", at: keyNode)
                continue
            }
            // Every alias is Chinese: an ASCII key is looked up in no table.
            var aliased = false
            if extensible, let lead = key.utf8.first, lead >= 0x80, let alias = Self.keyAliases[key], known.contains(alias) {
                key = alias
                aliased = true
            }
            // A key and its alias (`notes` and `备注`): one would be read and the other not.
            // Looked for only in a mapping that has used an alias (the key then given
            // again, or the alias after the key).
            if aliased || (!aliasesUsed.isEmpty && aliasesUsed.contains(key)), let first = fields[key] {
                error(.duplicate, "'\(scalar.string)' gives '\(key)' again; write it once", at: keyNode,
                      notes: [.init("'\(key)' is first given here", at: location(of: first))])
                continue
            }
            if aliased { aliasesUsed.append(key) }
            if known.contains(key) {
                fields.append(key, value)
            } else if extensible && key.hasPrefix("x-") && key.count > 2 {
                fields.extras.append((key, value))
            } else {
                var message = "unknown key '\(key)' in \(what)"
                if let suggestion = Suggestion.closest(to: key, in: known) {
                    message += "; did you mean '\(suggestion)'?"
                    suggested.insert(suggestion)
                } else {
                    message += "; known keys are \(known.joined(separator: ", "))"
                    if extensible { message += "; to keep a field of your own, name it 'x-\(key)' (or write it in 'notes')" }
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

    /// The value of a key that has several spellings (`projects` and `项目`), in the first
    /// spelling given; an error at the later value when the mapping gives two, since one
    /// of them would be read and the other not.
    mutating func value(_ fields: Fields, _ spellings: String...) -> Node? {
        let given = spellings.compactMap { key in fields[key].map { (key: key, node: $0) } }
        guard let first = given.first else { return nil }
        if given.count > 1 {
            let ordered = given.sorted { location(of: $0.node) < location(of: $1.node) }
            let names = ordered.map { "'\($0.key)'" }.joined(separator: " and ")
            error(.duplicate, "\(names) are one key in two spellings; write it once", at: ordered.last!.node,
                  notes: [.init("'\(ordered[0].key)' is written here", at: location(of: ordered[0].node))])
        }
        return first.node
    }

    /// A scalar's text, trimmed; nil (with an error) for a list, mapping or empty value.
    mutating func string(_ node: Node, key: String, allowEmpty: Bool = false) -> String? {
        guard spend(node) else { return nil }
        guard case .scalar(let scalar) = node else {
            error(.structure, "'\(key)' must be a single value, not a \(node.kindName)", at: node)
            return nil
        }
        let bytes = scalar.string.utf8.count
        if bytes > ChainLoader.maxValueBytes {
            error(
                .value,
                "'\(key)' is \(NumberText.grouped(bytes)) bytes long; a value may have at most \(NumberText.grouped(ChainLoader.maxValueBytes)) bytes",
                at: node)
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

    /// Separators that split the items of a list written with Chinese punctuation:
    /// `[碳酸锂，氢氧化锂]` and `[上市公司、专精特新]` are lists of two, as `[a, b]` is.
    static let listSeparators: Set<Character> = ["，", "、", "；"]

    /// A list of non-empty scalars, each with its place. A single scalar counts as a
    /// list, split at commas (`tags: 上市公司, 专精特新`); every item is split at the
    /// Chinese separators ``listSeparators`` (docs/chain-format.md).
    mutating func stringList(_ node: Node?, key: String) -> [(String, FileLocation)] {
        guard let node, !node.isNull else { return [] }
        guard spend(node) else { return [] }
        var result: [(String, FileLocation)] = []
        switch node {
        case .sequence(let sequence):
            // The items read in place, not copied into an array first.
            for item in sequence {
                guard let text = string(item, key: key) else { continue }
                result += split(text, of: item, at: Self.listSeparators)
            }
        case .scalar:
            var separators = Self.listSeparators
            separators.insert(",")
            guard let text = string(node, key: key) else { return [] }
            result = split(text, of: node, at: separators)
        default:
            error(.structure, "'\(key)' must be a list such as [a, b]", at: node)
            return []
        }
        return result
    }

    /// The parts of a list item between separators, trimmed, each with its place: the
    /// column of its first character when the item is on one line, else the item's.
    func split(_ text: String, of item: Node, at separators: Set<Character>) -> [(String, FileLocation)] {
        guard text.contains(where: separators.contains) else { return [(text, location(of: item))] }
        let start = location(of: item)
        var oneLine = false
        var quoted = false
        if case .scalar(let scalar) = item {
            oneLine = !scalar.string.contains(where: \.isNewline)
            quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        }
        var parts: [(String, FileLocation)] = []
        var offset = 0
        for piece in text.split(omittingEmptySubsequences: false, whereSeparator: separators.contains) {
            let leading = piece.unicodeScalars.prefix { $0.isWhiteSpace }.count
            let part = String(piece).trimmed
            if !part.isEmpty {
                var at = start
                if oneLine { at.column += offset + leading + (quoted ? 1 : 0) }
                parts.append((part, at))
            }
            offset += piece.unicodeScalars.count + 1
        }
        return parts
    }

    /// An amount of money in 亿元, written as lead exports write it (``LeadValues/amount(_:bareUnit:)``):
    /// 85, 85亿, 85亿元, 8500万元, 5000万元人民币, 500万美元; nil when absent or a
    /// placeholder (暂无), with an error when the value is not an amount.
    mutating func amount(_ node: Node?, key: String) -> Double? {
        guard let node, !node.isNull else { return nil }
        guard let text = string(node, key: key) else { return nil }
        do {
            return try LeadValues.amount(text, bareUnit: 1)?.yi
        } catch .unknownCurrency(let currency) {
            error(.value, "'\(key)' is '\(Diagnostic.quoted(text))': chainmap has no exchange rate for '\(currency)'; write it in 亿元", at: node)
        } catch {
            self.error(.value, "'\(key)' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '\(Diagnostic.quoted(text))'", at: node)
        }
        return nil
    }

    /// A whole number in a range, or nil (with an error).
    mutating func integer(_ node: Node?, key: String, in range: ClosedRange<Int>) -> Int? {
        guard let node, !node.isNull else { return nil }
        guard let text = string(node, key: key) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            error(.value, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(Diagnostic.quoted(text))'", at: node)
            return nil
        }
        return value
    }

    /// One of a fixed set of words, or nil (with an error and a suggestion).
    /// `variants` maps other accepted spellings (Traditional characters, synonyms) to a
    /// choice; `reading` may read the text as a choice in a looser way.
    mutating func choice(
        _ node: Node?, key: String, from choices: [String], variants: [String: String] = [:],
        reading: ((String) -> String?)? = nil
    ) -> String? {
        guard let node, !node.isNull, let text = string(node, key: key) else { return nil }
        if let choice = variants[text] { return choice }
        if !choices.contains(text), let choice = reading?(text) { return choice }
        guard choices.contains(text) else {
            var message = "'\(key)' must be one of \(choices.joined(separator: ", ")), got '\(Diagnostic.quoted(text))'"
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
    /// The `x-` keys, in file order, when the mapping takes them.
    var extras: [(key: String, value: Node)] = []

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
        guard let first = scalars.firstIndex(where: { !$0.isWhiteSpace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.isWhiteSpace })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }
}

extension Unicode.Scalar {
    /// Unicode's White_Space property (`properties.isWhitespace`), told from the value: the
    /// property's lookup cost 2 % of `check` of a 10 MB chain, where nearly every value is
    /// trimmed. The list is White_Space's since Unicode 6.3; a test compares it with
    /// `properties.isWhitespace` over every scalar.
    @inline(__always)
    var isWhiteSpace: Bool {
        let v = value
        if v < 0x80 { return v == 0x20 || (v &- 0x09) <= 0x0D - 0x09 }
        if v < 0x1680 { return v == 0x85 || v == 0xA0 }
        switch v {
        case 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }
}
