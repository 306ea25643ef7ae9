/// Builds a ``Lead`` from the cells of one row of an export, as the header row
/// (``LeadColumns``) says: trimmed text, codes (a code or an industry name), amounts
/// converted to 亿元, tags split, project and registration status read, explicit links
/// resolved, and every other column passed through.
public struct LeadRowReader: Sendable {
    /// A value of a row that could not be used; the row is still read without it.
    public struct Problem: Hashable, Sendable {
        /// The column's field.
        public var role: LeadColumns.Role
        /// The kind of problem, for counting repeats ("capital", "capital-currency",
        /// "invest", "status", "links").
        public var kind: String
        /// What is wrong, in words, for a warning.
        public var message: String
    }

    /// What a row gave.
    public enum Outcome: Sendable {
        case lead(Lead)
        /// Its registration (or 状态) says the enterprise has closed (注销, 吊销 …).
        case closed
    }

    /// What the header row says.
    public let columns: LeadColumns
    /// Reads industry codes and names, and resolves link ids against its chain.
    public let matcher: LeadMatcher

    public init(columns: LeadColumns, matcher: LeadMatcher) {
        self.columns = columns
        self.matcher = matcher
    }

    /// Reads a row. `cells` holds one string per header column (quotes removed);
    /// problems with single values are appended to `problems`.
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
            if LeadText.containsAny(cells[column], LeadValues.closedStatuses) { return .closed }
        }

        var links: [LinkRef] = []
        if let linksText = text(.links) {
            let chain = matcher.chain
            for word in LeadValues.tags(linksText) {
                if let link = chain.link(id: word) ?? chain.links.first(where: { $0.name == word }) {
                    if !links.contains(link.ref) { links.append(link.ref) }
                } else {
                    var message = "\(header(.links)) names '\(word)', which is not a link id or name of the chain"
                    if let suggestion = Suggestion.closest(to: word, in: chain.links.map(\.id)) {
                        message += "; did you mean '\(suggestion)'?"
                    }
                    problems.append(Problem(role: .links, kind: "links", message: message))
                }
            }
        }
        func amount(_ role: LeadColumns.Role, unit: Double) -> Double? {
            guard let value = text(role) else { return nil }
            do {
                return try LeadValues.amount(value, bareUnit: unit)?.yi
            } catch .unknownCurrency(let currency) {
                problems.append(Problem(
                    role: role, kind: "\(role)-currency",
                    message: "\(header(role)) '\(value)': chainmap has no exchange rate for '\(currency)'; the row is ranked without it"))
            } catch {
                problems.append(Problem(
                    role: role, kind: "\(role)",
                    message: "\(header(role)) '\(value)' is not an amount such as 5000万元人民币 or 1.2亿; the row is ranked without it"))
            }
            return nil
        }
        let capital = amount(.capital, unit: columns.capitalUnit)
        let invest = amount(.invest, unit: columns.investUnit)
        let extra = columns.passThrough.map { column in
            Lead.Field(name: columns.headers[column], value: column < cells.count ? cells[column] : "")
        }
        return .lead(Lead(
            name: text(.name) ?? "", links: links, code: text(.code).flatMap(matcher.industryCode(in:)),
            scope: text(.scope), province: text(.province), tags: text(.tags).map(LeadValues.tags) ?? [],
            capital: capital, invest: invest, status: status, partner: text(.partner), extra: extra,
            location: location))
    }
}
