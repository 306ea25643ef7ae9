/// A position in a source file, 1-based, with columns counted in Unicode scalars
/// (what libyaml and most editors count for Chinese text).
///
/// In a workbook, `line` is the row and `column` the column of a cell of `sheet`, and the
/// place prints as Excel names it: `FILE:SHEET!D7`.
public struct FileLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file as the user named it (a path, or `-` for standard input).
    public var file: String
    public var line: Int
    public var column: Int
    /// The worksheet, for a place in a workbook.
    public var sheet: String?

    public init(file: String, line: Int, column: Int, sheet: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.sheet = sheet
    }

    /// `FILE:LINE:COL`, or `FILE:SHEET!D7` in a workbook.
    public var description: String {
        guard let sheet else { return "\(file):\(line):\(column)" }
        return "\(file):\(sheet)!\(FileLocation.columnName(column))\(line)"
    }

    /// Where a row is, for a table's 来源 column: `FILE:LINE`, or `FILE:SHEET!A7`.
    public var rowReference: String {
        guard let sheet else { return "\(file):\(line)" }
        return "\(file):\(sheet)!A\(line)"
    }

    /// Excel's name of a column, 1-based: 1 → A, 27 → AA.
    public static func columnName(_ column: Int) -> String {
        var n = max(1, column)
        var name = ""
        while n > 0 {
            let digit = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + digit))) + name
            n = (n - 1) / 26
        }
        return name
    }

    public static func < (a: FileLocation, b: FileLocation) -> Bool {
        (a.file, a.sheet ?? "", a.line, a.column) < (b.file, b.sheet ?? "", b.line, b.column)
    }
}

/// The one type for every problem chainmap reports to a user.
///
/// Printed as `FILE:LINE:COL: error: MESSAGE`, the format compilers use, so that editors
/// and CI logs can jump to the place. A problem that has no place in a file (a missing
/// Graphviz plugin, say) prints as `chainmap: error: MESSAGE`. A diagnostic may carry
/// notes, each with its own place (the first definition of a repeated id, say); each
/// prints on a line of its own after the diagnostic, as `FILE:LINE:COL: note: …`.
///
/// Code that acts on diagnostics decides by ``category``, never by the message's words.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    /// What kind of problem it is, for code that acts on diagnostics (counting
    /// unreadable rows, say). The message says what to do; the category never shows.
    public enum Category: String, CaseIterable, Hashable, Sendable {
        /// A file that cannot be read at all: missing, a directory, empty, not text, no
        /// header row.
        case input
        /// YAML that does not parse: indentation, quoting, duplicate keys, aliases.
        case syntax
        /// The shape of a file: a value of the wrong kind, an unknown or missing key.
        case structure
        /// A value that is not one the field takes: a stage, a role, a number, a code.
        case value
        /// A name that points at nothing: a link id, a partner.
        case reference
        /// Something listed twice: a link id, a stage, an enterprise, a chain id.
        case duplicate
        /// A row of a lead export that cannot be read, and is left out (and counted).
        case unreadableRow
        /// A value of a row that cannot be used; the row is kept without it.
        case rowValue
        /// A command-line option or argument.
        case option
        /// An output file that cannot be written.
        case output
        /// Graphviz: its plugins, its messages, a layout that failed.
        case graphviz
        /// The map's font.
        case font
        /// pandoc, which writes the Word documents.
        case pandoc
    }

    /// A second place that belongs to a diagnostic, such as where a repeated id was
    /// first defined.
    public struct Note: Hashable, Sendable, CustomStringConvertible {
        public var location: FileLocation?
        public var message: String

        public init(_ message: String, at location: FileLocation? = nil) {
            self.message = message
            self.location = location
        }

        /// `FILE:LINE:COL: note: MESSAGE`, or `chainmap: note: MESSAGE`.
        public var description: String {
            "\(location.map(\.description) ?? "chainmap"): note: \(message)"
        }
    }

    public var location: FileLocation?
    public var severity: Severity
    public var category: Category
    public var message: String
    /// Further places the diagnostic refers to, in the order they print.
    public var notes: [Note]

    public init(
        _ severity: Severity = .error, _ category: Category, at location: FileLocation?, _ message: String,
        notes: [Note] = []
    ) {
        self.severity = severity
        self.category = category
        self.location = location
        self.message = message
        self.notes = notes
    }

    public static func error(
        _ category: Category, _ message: String, at location: FileLocation? = nil, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(.error, category, at: location, message, notes: notes)
    }

    public static func warning(
        _ category: Category, _ message: String, at location: FileLocation? = nil, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(.warning, category, at: location, message, notes: notes)
    }

    public var isError: Bool { severity == .error }

    /// The diagnostic's own line, without its notes: `FILE:LINE:COL: error: MESSAGE`.
    public var description: String {
        "\(location.map(\.description) ?? "chainmap"): \(severity.rawValue): \(message)"
    }

    /// Every line the diagnostic prints: its own, then one per note.
    public var lines: [String] {
        [description] + notes.map(\.description)
    }

    /// A value from a file, as a message quotes it: at most ``quotedLimit`` characters,
    /// a longer one cut with its length said ("甲乙丙…（共 1048576 字）"), so that one huge
    /// cell never makes a huge message.
    public static func quoted(_ value: String) -> String {
        guard value.utf8.count > quotedLimit else { return value }
        let head = value.prefix(quotedLimit)
        guard head.count == quotedLimit else { return value }
        return head + "…（共 \(value.count) 字）"
    }

    /// The most characters of a value a message quotes.
    public static let quotedLimit = 80

    /// The same diagnostic with a note added.
    public func noting(_ message: String, at location: FileLocation?) -> Diagnostic {
        var copy = self
        copy.notes.append(Note(message, at: location))
        return copy
    }
}

/// The one error type that carries diagnostics: everything wrong with one input, or
/// with one step of the work. Every throwing function of the library throws it.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.flatMap(\.lines).joined(separator: "\n")
    }
}

/// Collects the diagnostics of a run, each once: the same problem found again (a lead
/// file's bad row, screened for every chain; a missing font, for every map) is kept the
/// first time only. Commands hand it what each step found and print ``take()``.
public struct DiagnosticLog: Sendable {
    private var seen: Set<Diagnostic> = []
    /// The diagnostics not yet taken, in the order first seen.
    private var pending: [Diagnostic] = []
    /// Whether any error was added that fails a command: every error but an unreadable
    /// lead row, which is reported and counted while the other rows go on (a command
    /// fails on those only when asked, as `leads --strict` does).
    public private(set) var hasErrors = false
    /// How many diagnostics of each category were added, repeats not counted.
    public private(set) var counts: [Diagnostic.Category: Int] = [:]

    public init() {}

    /// Adds diagnostics; a repeat of one already added is dropped.
    public mutating func add(_ diagnostics: some Sequence<Diagnostic>) {
        for diagnostic in diagnostics {
            if diagnostic.isError && diagnostic.category != .unreadableRow { hasErrors = true }
            guard seen.insert(diagnostic).inserted else { continue }
            counts[diagnostic.category, default: 0] += 1
            pending.append(diagnostic)
        }
    }

    public mutating func add(_ diagnostic: Diagnostic) {
        add(CollectionOfOne(diagnostic))
    }

    /// The diagnostics added since the last call, in order.
    public mutating func take() -> [Diagnostic] {
        defer { pending.removeAll() }
        return pending
    }

    /// Whether an error of a category was added.
    public func contains(_ category: Diagnostic.Category) -> Bool {
        (counts[category] ?? 0) > 0
    }
}
