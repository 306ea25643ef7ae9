import CTextScan
import Yams

/// Reading a YAML file into nodes, and turning Yams/libyaml errors into located
/// diagnostics that say what to do.
enum YAMLSyntax {
    /// A decoded and composed YAML file.
    struct Document {
        var text: String
        /// nil when the file holds no document (only white space or comments).
        var root: Node?
        /// Problems worked around while reading: tabs in indentation, each an error at
        /// its place (the file was read with them expanded, so that its other problems
        /// are found too).
        var problems: [Diagnostic] = []
        /// For lines whose indentation held tabs, the file's column of each column of the
        /// expanded text.
        var columns = ColumnMap()
        /// The parts of long top-level lists left out of ``root``, by key, to be composed
        /// one at a time (see ``YAMLSyntax/items(of:in:file:repeats:)``).
        var laterParts: [String: [ListPart]] = [:]
        /// How many more repeated keys the later parts may have blanked (see
        /// ``YAMLSyntax/composedWithoutRepeats(_:firstError:file:columns:budget:)``).
        var repeatBudget = 0
    }

    /// The file's columns of the lines whose tabs were expanded.
    struct ColumnMap: Sendable {
        /// Line → the file's column of each column of its expanded indentation, and how
        /// many columns longer the expanded indentation is.
        var lines: [Int: (indentation: [Int], shift: Int)] = [:]

        /// The file's column of a column of the expanded text.
        func original(line: Int, column: Int) -> Int {
            guard let map = lines[line] else { return column }
            return column - 1 < map.indentation.count ? map.indentation[column - 1] : column - map.shift
        }
    }

    /// The one way chainmap reads YAML (chain files and lead files): UTF-8 text (a BOM
    /// stripped), complex keys refused before parsing (see ``complexKeys(in:file:)``),
    /// then composed with the basic resolver, since every value is read as text.
    ///
    /// Tabs in indentation are each reported, and the file is read on with them expanded
    /// (to the file's own indentation step, else 2, 4 or 8 columns: the first that makes
    /// valid YAML), so that one tab does not hide the file's other problems.
    static func document(_ bytes: [UInt8], file: String) throws(DiagnosticError) -> Document {
        try document(text: TextDecoding.utf8Text(bytes, file: file), file: file)
    }

    /// ``document(_:file:)`` of text already decoded. The top-level lists named in
    /// `parted` are composed a part of `partBytes` at a time when the file allows it (see
    /// ``YAMLSyntax/listParts(in:keys:partBytes:)``): the document then holds their first
    /// item, and the rest in ``Document/laterParts``.
    static func document(
        text: String, file: String, parted: Set<String> = [], partBytes: Int = listPartBytes
    ) throws(DiagnosticError) -> Document {
        let complex = complexKeys(in: text, file: file)
        if !complex.isEmpty { throw DiagnosticError(complex) }
        // A head that does not compose, or not into the file's top-level keys, is composed
        // whole below (for its errors, or its meaning). Its repeated keys, and its parts',
        // are blanked a part at a time, ``maxRepeatedKeys`` in all.
        if let cut = listParts(in: text, keys: parted, partBytes: partBytes) {
            var budget = maxRepeatedKeys
            if case .composed(let head) = compose(cut.head, file: file, budget: &budget), let root = head.root, cut.fits(root) {
                return Document(text: text, root: root, problems: head.problems, laterParts: cut.parts, repeatBudget: budget)
            }
        }
        var budget = repeatBudget(bytes: text.utf8.count)
        let whole = compose(text, file: file, budget: &budget)
        if case .composed(let document) = whole { return document }
        let tabs = indentationTabs(in: text, file: file)
        if !tabs.isEmpty {
            // One budget of repeated keys for every width tried: each is a composition.
            var budget = repeatBudget(bytes: text.utf8.count)
            var stopped: [Diagnostic]?
            for width in tabWidths(for: text) {
                let (expanded, columns) = expandingTabs(in: text, width: width)
                switch compose(expanded, file: file, columns: columns, budget: &budget) {
                case .composed(var document):
                    document.problems = tabs + document.problems
                    return document
                case .stopped(let problems):
                    // Read up to a repeat past the budget: said if no width reads the file.
                    stopped = stopped ?? problems
                case .failed, .unreadable:
                    continue
                }
            }
            if let stopped { throw DiagnosticError(tabs + stopped) }
        }
        switch whole {
        case .composed(let document): return document
        // Repeated keys found before another problem, with the tabs when there are some (a
        // tab below a repeat is that other problem, and is read past like the rest).
        case .stopped(let problems), .failed(let problems): throw DiagnosticError(inFileOrder(tabs + problems))
        case .unreadable(let error): throw DiagnosticError(diagnostics(for: error, text: text, file: file))
        }
    }

    /// What composing a text gave (``compose(_:file:columns:budget:)``).
    enum Composition {
        /// The document, without its repeated keys, each reported in its ``Document/problems``.
        case composed(Document)
        /// The repeats up to one that could not be blanked (a flow mapping's, or past the
        /// budget), that one last: the text is read no further.
        case stopped([Diagnostic])
        /// The repeats blanked, after which the text failed for another reason, not reported
        /// (it may be the blanking's doing).
        case failed([Diagnostic])
        /// Yams's error, when it is not a repeated key.
        case unreadable(any Error)
    }

    /// The text composed with the basic resolver; when Yams finds a repeated key, composed
    /// without its repeated keys (``composedWithoutRepeats(_:firstError:file:columns:budget:)``).
    static func compose(_ text: String, file: String, columns: ColumnMap = .init(), budget: inout Int) -> Composition {
        do {
            return .composed(Document(text: text, root: try composedNode(text), columns: columns))
        } catch {
            return composedWithoutRepeats(text, firstError: error, file: file, columns: columns, budget: &budget) ?? .unreadable(error)
        }
    }

    /// Yams's node tree of a text, with the basic resolver (every scalar a string until
    /// read as something else), UTF-8 and a constructor without mappings: chainmap reads
    /// nodes, never Yams's constructed values. Yams's defaults cost at every composition
    /// (each file, each part of a large one): its default encoding reads the whole
    /// environment, and its default constructor is made anew with its tables.
    static func composedNode(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8)
    }

    /// How many repeated keys ``composedWithoutRepeats(_:firstError:file:columns:budget:)``
    /// blanks at most in a file: each costs a composition of what it is in.
    static let maxRepeatedKeys = 20

    /// How many repeated keys a file composed whole may have blanked: ``maxRepeatedKeys``,
    /// fewer past 1.6 MB, so that composing it again costs at most about 32 MB of text
    /// (one blank at least). A file read in parts blanks them in its parts, which are
    /// small, ``maxRepeatedKeys`` in all.
    static func repeatBudget(bytes: Int) -> Int {
        min(maxRepeatedKeys, max(1, (32 << 20) / max(1, bytes)))
    }

    /// The document composed without its repeated keys, each reported where it is
    /// repeated, so that a repeated key does not hide the file's other problems; nil when
    /// `firstError` is not a repeated key.
    ///
    /// Yams stops at the first mapping with a repeated key. Each repeat of a block
    /// mapping's key (the key starting its line) is blanked with its value (the lines
    /// below it indented more, or at its indentation and starting `- `), keeping the
    /// file's lines and columns, and the text composed again, `budget` times at most
    /// (what is left of it is left in `budget`). When a repeat cannot be blanked (a flow
    /// mapping's, on the line of the first) or the budget is spent, it is reported as
    /// Yams found it (``Composition/stopped(_:)``); when the text then fails for another
    /// reason, only the repeats are given (``Composition/failed(_:)``), so that a blanked
    /// value never causes an error of its own (the other problem shows once they are fixed).
    static func composedWithoutRepeats(
        _ text: String, firstError: any Error, file: String, columns: ColumnMap = .init(), budget: inout Int
    ) -> Composition? {
        guard case .duplicatedKeysInMapping? = firstError as? YamlError else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var problems: [Diagnostic] = []
        var error = firstError
        while case let .duplicatedKeysInMapping(keys, context)? = error as? YamlError {
            let line = keys.first.flatMap { repeatedKeyLine($0, after: context.mark, in: lines) }
            guard budget > 0, let line else {
                var last = repeatedKeyDiagnostics(keys, line: line, first: context.mark, file: file, columns: columns)
                if budget == 0 {
                    last[0].notes.append(.init(
                        "the file is not read past this repeated key; fix the repeated keys and check it again", at: last[0].location))
                }
                return .stopped(inFileOrder(problems + last))
            }
            budget -= 1
            problems += repeatedKeyDiagnostics([keys[0]], line: line, first: context.mark, file: file, columns: columns)
            blankEntry(at: line, column: context.mark.column, in: &lines)
            let repaired = lines.joined(separator: "\n")
            do {
                return .composed(Document(text: repaired, root: try composedNode(repaired), problems: problems, columns: columns))
            } catch let next {
                error = next
            }
        }
        return .failed(inFileOrder(problems))
    }

    /// Diagnostics sorted by where they stand (found mapping by mapping, as Yams composes).
    private static func inFileOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let start = FileLocation(file: "", line: 0, column: 0)
        return diagnostics.sorted { ($0.location ?? start) < ($1.location ?? start) }
    }

    /// A repeated key, located where it is repeated (`line`, at the first's column),
    /// where the fix usually is, with a note at the first; at the first when the repeat
    /// was not found. Columns are the file's (`columns`: those of lines whose tabs were
    /// expanded).
    static func repeatedKeyDiagnostics(
        _ keys: [String], line: Int?, first: Mark, file: String, columns: ColumnMap = .init()
    ) -> [Diagnostic] {
        func at(_ line: Int, _ column: Int) -> FileLocation {
            let line = max(1, line)
            return FileLocation(file: file, line: line, column: columns.original(line: line, column: max(1, column)))
        }
        let named = keys.map { "'\($0)'" }.joined(separator: ", ")
        let message = "duplicate key \(named) in one mapping; each key may appear once"
        guard let line else { return [.error(.syntax, message, at: at(first.line, first.column))] }
        return [.error(
            .syntax, message, at: at(line, first.column),
            notes: [.init("\(named) is first written here", at: at(first.line, first.column))])]
    }

    /// Blanks the entry of a block mapping whose key starts line `line` (1-based) at
    /// `column`: that line, the lines a quoted or flow value begun on it runs over (a
    /// quoted scalar's lines may stand at the key's indentation), and the lines below that
    /// belong to its value.
    static func blankEntry(at line: Int, column: Int, in lines: inout [Substring]) {
        var index = line - 1 + continuationLines(of: lines, from: line - 1, column: column)
        for blanked in (line - 1)...index { lines[blanked] = "" }
        index += 1
        while index < lines.count {
            let scalars = lines[index].unicodeScalars
            let indentation = scalars.prefix { $0 == " " }.count
            let rest = scalars.dropFirst(indentation)
            let belongs = rest.isEmpty || rest.first == "#" || rest.first == "\r" || indentation > column - 1
                || (indentation == column - 1 && rest.first == "-" && (rest.count == 1 || [" ", "\r"].contains(rest.dropFirst().first!)))
            guard belongs else { return }
            // A value on this line may run over the next ones too.
            let last = index + continuationLines(of: lines, from: index, column: indentation + 1)
            for blanked in index...last { lines[blanked] = "" }
            index = last + 1
        }
    }

    /// How many lines after line `index` (0-based) a quoted scalar or flow collection
    /// opened on it runs over: 0 when everything opened there closes there. Read from
    /// `column` (1-based), skipping `#` comments after a blank and the quotes' escapes
    /// (`\"` in double quotes, `''` in single ones).
    static func continuationLines(of lines: [Substring], from index: Int, column: Int) -> Int {
        var quote: Character?
        var depth = 0
        var current = index
        var characters = Array(lines[index].dropFirst(max(0, column - 1)))
        while true {
            var i = 0
            var previous: Character = " "
            // The last character that is not a blank: a quote opens a scalar only at the
            // start of a value (after `: `, `- `, `[`, `{`, `,`), not inside a plain one
            // (`rock 'n roll`).
            var lastMark: Character? = current == index ? nil : ","
            while i < characters.count {
                let c = characters[i]
                defer { if c != " " && c != "\t" { lastMark = c } }
                if let q = quote {
                    if q == "\"" && c == "\\" {
                        i += 2
                        continue
                    }
                    if c == q {
                        if q == "'" && i + 1 < characters.count && characters[i + 1] == "'" {
                            i += 2
                            continue
                        }
                        quote = nil
                    }
                } else if c == "#" && (previous == " " || previous == "\t") {
                    break
                } else if c == "\"" || c == "'" {
                    if lastMark == nil || [":", "-", "[", "{", ","].contains(lastMark!) { quote = c }
                } else if c == "[" || c == "{" {
                    depth += 1
                } else if c == "]" || c == "}" {
                    depth = max(0, depth - 1)
                }
                previous = c
                i += 1
            }
            guard quote != nil || depth > 0, current + 1 < lines.count else { return current - index }
            current += 1
            characters = Array(lines[current])
        }
    }

    /// The widths to try for a tab: the file's own indentation step (the commonest
    /// difference between the indentations of lines indented with spaces), then 2, 4, 8.
    static func tabWidths(for text: String) -> [Int] {
        var steps: [Int: Int] = [:]
        var previous = 0
        for line in text.split(separator: "\n") {
            let indentation = line.prefix { $0 == " " }.count
            if indentation < line.count, line[line.index(line.startIndex, offsetBy: indentation)] == "\t" { continue }
            if indentation > previous { steps[indentation - previous, default: 0] += 1 }
            previous = indentation
        }
        let step = steps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        var widths = step.map { [$0] } ?? []
        for width in [2, 4, 8] where !widths.contains(width) { widths.append(width) }
        return widths
    }

    /// The text with the tabs of every line's indentation expanded to tab stops `width`
    /// apart, and the file's column of each expanded column of those lines.
    static func expandingTabs(in text: String, width: Int) -> (String, ColumnMap) {
        var map = ColumnMap()
        var lines: [Substring] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            guard indentation.contains("\t") else {
                lines.append(line)
                continue
            }
            var expanded = ""
            var columns: [Int] = []
            for (offset, character) in indentation.enumerated() {
                let count = character == "\t" ? width - expanded.count % width : 1
                expanded += String(repeating: " ", count: count)
                columns += Array(repeating: offset + 1, count: count)
            }
            map.lines[number + 1] = (columns, expanded.count - indentation.count)
            lines.append(Substring(expanded) + line[indentation.endIndex...])
        }
        return (lines.joined(separator: "\n"), map)
    }

    static func diagnostics(for error: any Error, text: String, file: String) -> [Diagnostic] {
        // A tab in indentation is the commonest slip from editors; libyaml's own message
        // ("found character that cannot start any token") does not say so.
        let tabs = indentationTabs(in: text, file: file)
        guard let yamlError = error as? YamlError else {
            return [.error(.syntax, "cannot read the file as YAML: \(error)", at: .init(file: file, line: 1, column: 1))]
        }
        func at(_ mark: Mark) -> FileLocation {
            FileLocation(file: file, line: max(1, mark.line), column: max(1, mark.column))
        }
        func explain(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> [Diagnostic] {
            if !tabs.isEmpty { return tabs }
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) at \(context.mark.line):\(context.mark.column))"
            }
            if let hint = hint(for: problem) { message += "; \(hint)" }
            return [.error(.syntax, message, at: at(mark))]
        }
        switch yamlError {
        case let .scanner(context, problem, mark, _): return explain(context, problem, mark)
        case let .parser(context, problem, mark, _): return explain(context, problem, mark)
        case let .composer(context, problem, mark, _): return explain(context, problem, mark)
        case let .duplicatedKeysInMapping(duplicates, context):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line = duplicates.first.flatMap { repeatedKeyLine($0, after: context.mark, in: lines) }
            return repeatedKeyDiagnostics(duplicates, line: line, first: context.mark, file: file)
        case let .reader(problem, offset, _, _):
            // Yams gives the offset in Characters (a CR LF is one), not bytes: counted as
            // bytes it named an earlier line in Chinese text, and no column.
            var (line, column) = (1, 1)
            for character in text.prefix(offset ?? 0) {
                if character.isNewline { (line, column) = (line + 1, 1) } else { column += 1 }
            }
            return [.error(.input, "cannot read the file: \(problem)", at: .init(file: file, line: line, column: column))]
        default:
            return [.error(.syntax, "cannot read the file as YAML: \(yamlError)", at: .init(file: file, line: 1, column: 1))]
        }
    }

    /// Mapping keys that are not plain words: `? ` complex keys, and an alias, list or
    /// mapping used as a key. chainmap's YAML files never need them, and an aliased key
    /// can make the YAML library hash a node that expands exponentially (an "alias
    /// bomb"), so they are refused before parsing.
    ///
    /// A lexical check, line by line, on the UTF-8 bytes: every character it looks for
    /// is ASCII, and no byte of a multi-byte character is. Quoted text and comments are
    /// blanked first (see ``blankQuotedText(_:into:)``). Columns count characters.
    static func complexKeys(in text: String, file: String) -> [Diagnostic] {
        var text = text
        return text.withUTF8 { complexKeys(in: $0, file: file) }
    }

    private static func complexKeys(in utf8: UnsafeBufferPointer<UInt8>, file: String) -> [Diagnostic] {
        let space = UInt8(ascii: " "), colon = UInt8(ascii: ":")
        var result: [Diagnostic] = []
        var line: [UInt8] = []
        var lineNumber = 0
        var lineStart = 0
        guard let base = utf8.baseAddress else { return [] }
        while lineStart <= utf8.count {
            // The line's end, and whether it holds a ':' or a '?' before it, found a block
            // of bytes at a time (a byte loop took 20 instructions a byte).
            var lineEnd = chainmap_find_any3(base, lineStart, utf8.count, 0x0A, colon, UInt8(ascii: "?"))
            let interesting = lineEnd < utf8.count && utf8[lineEnd] != 0x0A
            if interesting {
                lineEnd = TextSearch.offset(of: 0x0A, in: base, from: lineEnd, to: utf8.count)
            }
            lineNumber += 1
            defer { lineStart = lineEnd + 1 }
            guard interesting else { continue }
            blankQuotedText(UnsafeBufferPointer(rebasing: utf8[lineStart..<lineEnd]), into: &line)
            // The column of a byte offset in this line: the characters before it, plus one.
            func column(_ offset: Int) -> Int {
                var characters = 1
                for byte in utf8[lineStart..<(lineStart + offset)] where byte & 0xC0 != 0x80 { characters += 1 }
                return characters
            }
            var i = 0
            while i < line.count, line[i] == space || line[i] == UInt8(ascii: "-") { i += 1 }
            if i < line.count, line[i] == UInt8(ascii: "?"), i + 1 == line.count || isBlank(line[i + 1]) {
                result.append(.error(
                    .syntax, "complex mapping keys ('? ') are not allowed; keys are plain words",
                    at: .init(file: file, line: lineNumber, column: column(i))))
                continue
            }
            // An alias or a closing bracket directly followed by the ': ' key indicator.
            for k in line.indices where line[k] == colon {
                guard k + 1 == line.count || isBlank(line[k + 1]) else { continue }
                var j = k - 1
                while j >= 0, line[j] == space { j -= 1 }
                guard j >= 0 else { continue }
                var isAlias = false
                var start = j
                while start >= 0, !isSeparator(line[start]) {
                    if line[start] == UInt8(ascii: "*") { isAlias = true; break }
                    start -= 1
                }
                isAlias = isAlias && (start == 0 || isOpening(line[start - 1]))
                if isAlias || line[j] == UInt8(ascii: "]") || line[j] == UInt8(ascii: "}") {
                    result.append(.error(
                        .syntax, "an alias, list or mapping cannot be a key; keys are plain words",
                        at: .init(file: file, line: lineNumber, column: column(isAlias ? start : j))))
                    break
                }
            }
        }
        return result
    }

    /// A space, a tab or the CR of a CR LF line end: what ends an indicator (`? `, `: `).
    /// A CR LF file's `?` at the end of a line got past the check as `?\r`.
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == 0x09 || byte == 0x0D
    }

    /// `" ,[]{}"`: where a word ends.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"): true
        default: false
        }
    }

    /// `" ,[{"`: what may stand before an alias.
    private static func isOpening(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
    }

    /// The line's bytes with the contents of quoted strings replaced by spaces, so that
    /// lexical checks do not look inside them; a comment is cut off. Byte offsets stay
    /// those of the line up to the cut.
    static func blankQuotedText(_ bytes: UnsafeBufferPointer<UInt8>, into line: inout [UInt8]) {
        let space = UInt8(ascii: " ")
        line.removeAll(keepingCapacity: true)
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // Up to the first quote or `#`, the line as it is, in one copy (most lines have
        // neither); byte by byte from there.
        let first = chainmap_find_any3(base, 0, bytes.count, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "#"))
        line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<first]))
        var quote: UInt8 = 0
        var previous = first > 0 ? bytes[first - 1] : space
        for byte in bytes[first...] {
            if quote != 0 {
                line.append(byte == quote ? byte : space)
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
                line.append(byte)
            } else if byte == UInt8(ascii: "#") && (previous == space || previous == UInt8(ascii: "\t")) {
                break
            } else {
                line.append(byte)
            }
            previous = byte
        }
    }

    /// The line after `mark` where `key:` starts at the same column (a block mapping's
    /// repeated key), stopping where the mapping ends (a line indented less).
    static func repeatedKeyLine(_ key: String, after mark: Mark, in lines: [Substring]) -> Int? {
        guard mark.line < lines.count else { return nil }
        for index in mark.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            let indentation = scalars.prefix { $0 == " " }.count
            if indentation == scalars.count || scalars[indentation] == "#" { continue }
            if indentation < mark.column - 1 { return nil }
            let start = mark.column - 1
            guard start < scalars.count else { continue }
            let rest = String(String.UnicodeScalarView(scalars[start...]))
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return index + 1
            }
        }
        return nil
    }

    /// Every line whose indentation holds a tab, located at the first tab.
    static func indentationTabs(in text: String, file: String) -> [Diagnostic] {
        var result: [Diagnostic] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indentation = line.prefix { $0 == " " || $0 == "\t" }
            guard let tab = indentation.firstIndex(of: "\t"), indentation.count < line.count else { continue }
            let rest = line[indentation.endIndex...]
            if rest.hasPrefix("#") || rest == "\r" { continue }
            let column = line.unicodeScalars.distance(from: line.startIndex, to: tab) + 1
            result.append(.error(
                .syntax, "tab character in indentation; YAML indents with spaces only",
                at: .init(file: file, line: number + 1, column: column)))
        }
        return result
    }

    static func hint(for problem: String) -> String? {
        if problem.contains("mapping values are not allowed") {
            return "a value that contains ': ' must be quoted"
        }
        if problem.contains("did not find expected key") || problem.contains("did not find expected '-' indicator") {
            return "check the indentation of this line against the lines above"
        }
        if problem.contains("found undefined alias") {
            return "define the anchor ('&name') before using the alias"
        }
        return nil
    }
}
