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
    /// The headers of the pass-through columns: one array, shared by every lead read.
    let passThroughNames: [String]

    public init(columns: LeadColumns) {
        self.columns = columns
        passThroughNames = columns.passThrough.map { columns.headers[$0] }
    }

    /// Reads a row of a source; each value problem is a warning at its cell.
    public func read(_ row: Row, log: inout RowLog) -> Outcome {
        let closed = registrationSaysClosed(row)
        if isClosedWithoutWarning(row, registrationClosed: closed) { return .closed }
        return read(row, code: nil, registrationClosed: closed, log: &log)
    }

    /// ``read(_:log:)`` for a row already found not closed by ``isClosedWithoutWarning(_:registrationClosed:)``,
    /// with its industry code already read by ``code(_:)`` when `code` is not nil and
    /// what ``registrationSaysClosed(_:)`` says when `registrationClosed` is not nil (a
    /// matching row has had these done once for its matches). Without `warns`, the
    /// row's problems are not reported: it was glanced (``glance(_:scoring:registrationClosed:log:)``),
    /// which reads every cell that can have one and reported them.
    func read(_ row: Row, code: IndustryCode??, registrationClosed: Bool? = nil, warns: Bool = true, log: inout RowLog) -> Outcome {
        var problems: [Problem] = []
        let outcome = read(
            count: row.count, cell: row.string, text: row.trimmedString,
            closed: { registrationClosed ?? Self.saysClosed(row, $0) }, location: row.location, problems: &problems,
            whole: true, code: code)
        if warns { report(problems, in: row, log: &log) }
        return outcome
    }

    /// Whether some registration cell of a row says the enterprise has closed
    /// (``saysClosed(_:_:)``).
    func registrationSaysClosed(_ row: Row) -> Bool {
        columns.registrationColumns.contains { Self.saysClosed(row, $0) }
    }

    /// Whether a row's registration says the enterprise has closed, told from that one
    /// cell before any other becomes a string (in a database export, about one matching
    /// row in three). Only when the project status column has nothing to warn about, so
    /// that the warnings stay those of a whole read. `registrationClosed` is what
    /// ``registrationSaysClosed(_:)`` says of the row.
    func isClosedWithoutWarning(_ row: Row, registrationClosed: Bool) -> Bool {
        guard registrationClosed else { return false }
        let status = columns[.status].map { row.trimmedString($0) } ?? ""
        return status.isEmpty || LeadValues.status(status) != .unknown
    }

    /// Whether a registration cell says the enterprise has closed (注销, 吊销 …): read
    /// from its bytes when unquoted; a quoted cell as its text, since a stray quote may
    /// stand inside the word (`"吊"销`).
    static func saysClosed(_ row: Row, _ column: Int) -> Bool {
        guard column < row.count else { return false }
        if row.fields[column].quoted { return LeadValues.closedStatusWords.found(in: row.string(column)) }
        let bytes = row.searchBytes(column)
        return LeadValues.closedStatusWords.found(in: bytes.assumingMemoryBound(to: UInt8.self))
    }

    /// What a row needs that no chain recommends, or that no chain keeps: its name and
    /// province (whether it is a local enterprise, or in a province left out) and what
    /// its score reads (tags, amounts, stage, partner), or that it has closed; with the
    /// warnings a whole read would give. No other cell becomes a string; without
    /// `scoring`, neither do the tags and partner (a verdict without a score).
    func glance(_ row: Row, scoring: Bool = true, registrationClosed: Bool? = nil, log: inout RowLog) -> Glance {
        var problems: [Problem] = []
        let glance = read(
            count: row.count, cell: row.string, text: row.trimmedString,
            closed: { registrationClosed ?? Self.saysClosed(row, $0) }, location: row.location, problems: &problems,
            whole: false, scoring: scoring, code: nil)
        report(problems, in: row, log: &log)
        // Consumed: the lead is moved out of the outcome, not copied (a retain of each of
        // its parts) and the outcome then released, for every matching row.
        switch consume glance {
        case .closed: return .closed
        case .lead(let lead, _): return .open(lead)
        }
    }

    /// What the bound on a row's score (``LeadScorer/mustScoreBelow(_:lead:matches:)``)
    /// reads, and the name that counts it: what a capped screening needs of most matching
    /// rows, which score below every chain's floors by far.
    struct Sketch {
        /// The name cell's column, when the row has that cell: the name is
        /// ``name(in:)``, made only when needed (most sketched rows need only its key,
        /// ``LeadRowScreen/nameKey(_:of:)``, made from the cell's bytes).
        var nameColumn: Int?
        /// The tags cell's column, when the tags are read (with `scoring`) and the row has
        /// that cell: the tags are ``tags(in:)``, read only when needed. Most sketched rows
        /// are bounded by their tags cell's tiers, looked up by the cell's bytes (an
        /// export's rows share a few cells), with no tag made a string.
        var tagColumn: Int?
        var capital: Double?
        var invest: Double?
        /// Whether the partner cell has anything in it.
        var partner: Bool

        /// The name of the row sketched, as a glance reads it.
        func name(in row: Row) -> String {
            LeadRowReader.text(nameColumn, count: row.count, text: row.trimmedString) ?? ""
        }

        /// The tags of the row sketched, as a glance reads them.
        func tags(in row: Row) -> [String] {
            LeadRowReader.text(tagColumn, count: row.count, text: row.trimmedString).map(LeadValues.tags) ?? []
        }
    }

    /// A row's ``Sketch``, as ``glance(_:scoring:registrationClosed:log:)`` would read its
    /// cells, without a lead made, nor the place cells read; nil when only a glance can
    /// tell: a registration that says closed, a status in its cell, an amount not written
    /// as ``LeadValues/commonAmount(_:bareUnit:)`` reads it (it may warn), a quoted or
    /// transcoded amount. Without `scoring`, neither the tags nor the partner are read
    /// (empty and false): what a verdict without a score needs is the name, and that the
    /// row has nothing to warn about.
    func sketch(_ row: Row, registrationClosed: Bool, scoring: Bool = true) -> Sketch? {
        guard !registrationClosed else { return nil }
        // A status a glance would read (a quoted cell's quotes may be its text: `""""` is `"`).
        if let status = columns[.status], status < row.count,
           !row.isBlank(status) || (row.fields[status].quoted && !row.trimmedString(status).isEmpty) {
            return nil
        }
        // The outer nil: the cell must be read as a glance reads it.
        func amount(_ role: LeadColumns.Role, unit: Double) -> Double?? {
            guard let column = columns[role], column < row.count else { return .some(nil) }
            guard let bytes = row.trimmedBytes(column) else { return nil }
            if bytes.isEmpty { return .some(nil) }
            return LeadValues.commonAmount(bytes: bytes, bareUnit: unit).map { .some($0.yi) }
        }
        guard let capital = amount(.capital, unit: columns.capitalUnit), let invest = amount(.invest, unit: columns.investUnit) else {
            return nil
        }
        return Sketch(
            nameColumn: columns[.name].flatMap { $0 < row.count ? $0 : nil },
            tagColumn: scoring ? columns[.tags].flatMap { $0 < row.count ? $0 : nil } : nil,
            capital: capital, invest: invest, partner: scoring && columns[.partner].map { !row.isBlank($0) } ?? false)
    }

    /// What ``glance(_:log:)`` tells.
    enum Glance {
        case closed
        /// The lead with what its verdict and score read: name, province, city, tags,
        /// amounts, project stage and partner.
        case open(Lead)
    }

    /// The lead's industry code, as a whole read gives it: the code, or the industry
    /// named, in the code column.
    ///
    /// A cell that starts (after spaces and tabs) with a code the table has is looked up
    /// by its digits as ``ChainKeywords/code(_:)`` reads them from its bytes, as
    /// ``IndustryCodeTable/code(in:)`` would find it, with no string made (every matching
    /// row of an export asks). Any other cell is read as text, trimmed: a code behind
    /// characters trimming drops (`*3841-…`), or an industry's name.
    func code(_ row: Row) -> IndustryCode? {
        guard let column = columns[.code], column < row.count else { return nil }
        if let parsed = ChainKeywords.code(row.searchBytes(column)),
           let code = IndustryCodeTable.standard.canonical(value: parsed.value, digits: parsed.digits) {
            return code
        }
        return Self.text(column, count: row.count, text: row.trimmedString).flatMap(IndustryCodeTable.standard.code(in:))
    }

    /// The words of the links column, as a whole read gives them.
    func linkWords(_ row: Row) -> [String] {
        Self.text(columns[.links], count: row.count, text: row.trimmedString).map(LeadValues.tags) ?? []
    }

    /// A cell's text, trimmed (by `text`); nil for no column, a missing cell or a blank one.
    fileprivate static func text(_ column: Int?, count: Int, text: (Int) -> String) -> String? {
        guard let column, column < count else { return nil }
        let value = text(column)
        return value.isEmpty ? nil : value
    }

    private func report(_ problems: [Problem], in row: Row, log: inout RowLog) {
        for problem in problems {
            let at = columns[problem.role].map(row.location(ofCell:)) ?? row.location
            log.warn(problem.kind, problem.message, at: at)
        }
    }

    /// Reads a row given as strings (one per header column, quotes removed); problems
    /// with single values are appended to `problems`.
    public func read(cells: [String], location: FileLocation, problems: inout [Problem]) -> Outcome {
        read(
            count: cells.count, cell: { cells[$0] }, text: { LeadColumns.trimmed(cells[$0]) },
            closed: { LeadValues.closedStatusWords.found(in: cells[$0]) }, location: location, problems: &problems,
            whole: true, code: nil)
    }

    /// Reads a row through `cell` (`count` cells; `text` gives a cell trimmed, as
    /// ``LeadColumns/trimmed(_:)`` does); without `whole`, only the status,
    /// registration, amounts (for their warnings), name, city and province.
    /// `closed` tells whether a registration cell says the enterprise has closed: from a
    /// row's bytes, without making a string of the cell, or from what is known of it.
    /// (Not optional, so that it is not escaping: an escaping closure was an allocation
    /// on every matching row.)
    private func read(
        count: Int, cell: (Int) -> String, text trimmed: (Int) -> String, closed: (Int) -> Bool,
        location: FileLocation, problems: inout [Problem],
        whole: Bool, scoring: Bool = true, code known: IndustryCode??
    ) -> Outcome {
        func text(_ role: LeadColumns.Role) -> String? { Self.text(columns[role], count: count, text: trimmed) }
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
        for column in columns.registrationColumns where column < count {
            if closed(column) { return .closed }
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
        // A city column tells the province when there is no province column.
        let city = text(.city)
        let province = text(.province) ?? city.flatMap(Regions.province(ofCity:))
        guard whole else {
            // What the verdict and the score read: no code, scope, notes or other columns.
            return .lead(Lead(
                name: text(.name) ?? "", province: province, city: city,
                tags: scoring ? text(.tags).map(LeadValues.tags) ?? [] : [],
                capital: capital, invest: invest, status: status, partner: scoring ? text(.partner) : nil, location: location),
                linkWords: [])
        }
        var lead = Lead(
            name: text(.name) ?? "", code: known ?? text(.code).flatMap(IndustryCodeTable.standard.code(in:)),
            scope: text(.scope), province: province, city: city, tags: text(.tags).map(LeadValues.tags) ?? [],
            capital: capital, invest: invest, status: status, partner: text(.partner), notes: text(.notes),
            location: location)
        lead.passThrough = PassThroughFields(
            names: passThroughNames, values: columns.passThrough.map { $0 < count ? cell($0) : "" })
        return .lead(lead, linkWords: text(.links).map(LeadValues.tags) ?? [])
    }
}
