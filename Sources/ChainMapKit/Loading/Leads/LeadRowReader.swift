/// Builds a ``Lead`` from the cells of one row, as the header row (``LeadColumns``) says:
/// trimmed text, the industry code (a code or an industry's name), amounts converted to
/// 亿元, tags split, project and registration status read, and every other column passed
/// through. It knows no chain: the words of the links column come back as they are, and
/// each chain resolves them against its own links (``LeadMatcher/links(named:)``).
public struct LeadRowReader: Sendable {
    /// What a row gave.
    public enum Outcome: Sendable {
        /// A lead, and the words of its links column (link ids or names), if any.
        case lead(Lead, linkWords: [String])
        /// Its registration (or 状态) says the enterprise has closed (注销, 吊销 …).
        case closed
    }

    /// A value of a row that could not be used; the row is still read without it.
    public struct Problem: Hashable, Sendable {
        /// The column's field.
        public var role: LeadColumns.Role
        /// The kind of problem, for counting repeats ("capital", "capital-currency",
        /// "invest", "status").
        public var kind: String
        /// What is wrong, in words, for a warning.
        public var message: String
    }

    /// What the header row says.
    public let columns: LeadColumns

    public init(columns: LeadColumns) {
        self.columns = columns
    }

    /// Reads a row of a source; each value problem is a warning at its cell.
    public func read(_ row: Row, log: inout RowLog) -> Outcome {
        var problems: [Problem] = []
        let outcome = read(cells: row.strings(), location: row.location, problems: &problems)
        for problem in problems {
            let at = columns[problem.role].map(row.location(ofCell:)) ?? row.location
            log.warn(problem.kind, problem.message, at: at)
        }
        return outcome
    }

    /// Reads a row given as strings (one per header column, quotes removed); problems
    /// with single values are appended to `problems`.
    public func read(cells: [String], location: FileLocation, problems: inout [Problem]) -> Outcome {
        func text(_ role: LeadColumns.Role) -> String? {
            guard let column = columns[role], column < cells.count else { return nil }
            let value = LeadColumns.trimmed(cells[column])
            return value.isEmpty ? nil : value
        }
        func header(_ role: LeadColumns.Role) -> String { columns[role].map { columns.headers[$0] } ?? role.rawValue }

        // Registration and project status.
        var status: Lead.Status?
        if let statusText = text(.status) {
            switch LeadValues.status(statusText) {
            case .stage(let stage): status = stage
            case .closed: return .closed
            case .operating, .none: break
            case .unknown:
                let stages = Lead.Status.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(Problem(
                    role: .status, kind: "status",
                    message: "\(header(.status)) '\(statusText)' is not a project stage (\(stages)); the row is ranked without one"))
            }
        }
        for column in columns.registrationColumns where column < cells.count {
            if TextSearch.containsAny(cells[column], LeadValues.closedStatuses) { return .closed }
        }

        func amount(_ role: LeadColumns.Role, unit: Double) -> Double? {
            guard let value = text(role) else { return nil }
            do {
                return try LeadValues.amount(value, bareUnit: unit)?.yi
            } catch .unknownCurrency(let currency) {
                problems.append(Problem(
                    role: role, kind: "\(role)-currency",
                    message: "\(header(role)) '\(Diagnostic.quoted(value))': chainmap has no exchange rate for '\(currency)'; the row is ranked without it"))
            } catch {
                problems.append(Problem(
                    role: role, kind: "\(role)",
                    message: "\(header(role)) '\(Diagnostic.quoted(value))' is not an amount such as 5000万元人民币 or 1.2亿; the row is ranked without it"))
            }
            return nil
        }
        let capital = amount(.capital, unit: columns.capitalUnit)
        let invest = amount(.invest, unit: columns.investUnit)
        let extra = columns.passThrough.map { column in
            Lead.Field(name: columns.headers[column], value: column < cells.count ? cells[column] : "")
        }
        // A city column tells the province when there is no province column.
        let city = text(.city)
        let province = text(.province) ?? city.flatMap(Regions.province(ofCity:))
        let lead = Lead(
            name: text(.name) ?? "", code: text(.code).flatMap(IndustryCodeTable.standard.code(in:)),
            scope: text(.scope), province: province, city: city, tags: text(.tags).map(LeadValues.tags) ?? [],
            capital: capital, invest: invest, status: status, partner: text(.partner), notes: text(.notes), extra: extra,
            location: location)
        return .lead(lead, linkWords: text(.links).map(LeadValues.tags) ?? [])
    }
}
