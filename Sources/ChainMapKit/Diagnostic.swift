/// A position in a source file, 1-based, with columns counted in Unicode scalars
/// (what libyaml and most editors count for Chinese text).
public struct FileLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file as the user named it (a path, or `-` for standard input).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: FileLocation, b: FileLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// The one type for every problem chainmap reports to a user.
///
/// Printed as `FILE:LINE:COL: error: MESSAGE`, the format compilers use, so that editors
/// and CI logs can jump to the place. A problem that has no place in a file (a missing
/// Graphviz plugin, say) prints as `chainmap: error: MESSAGE`.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning, note
    }

    public var location: FileLocation?
    public var severity: Severity
    public var message: String

    public init(_ severity: Severity = .error, at location: FileLocation?, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ message: String, at location: FileLocation? = nil) -> Diagnostic {
        Diagnostic(.error, at: location, message)
    }

    public static func warning(_ message: String, at location: FileLocation? = nil) -> Diagnostic {
        Diagnostic(.warning, at: location, message)
    }

    public var isError: Bool { severity == .error }

    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "chainmap: \(severity.rawValue): \(message)"
    }
}

/// Several diagnostics thrown at once: everything wrong with one input.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
