import Foundation
import Yams

/// A project ledger (项目台账) as read: its projects, each resolved against the chains,
/// and the problems found, every one located at its row and cell.
public struct ProjectLedger: Sendable {
    public var file: String
    public var projects: [Project] = []
    public var diagnostics: [Diagnostic] = []
    /// Whether the file could not be read at all.
    public var failed = false
    /// The day a YAML ledger is "as of" (`as-of:`), when it gives one; `--as-of` overrides it.
    public var asOf: CalendarDay?
    /// The year's targets a YAML ledger gives (`targets:`, and `year:`); `--targets` overrides them.
    public var targets: ProjectTargets?

    public var hasErrors: Bool { failed || diagnostics.contains(where: \.isError) }
}

/// Reads a project ledger: CSV/TSV (UTF-8 or GBK) or .xlsx through the row sources that
/// read lead files, one row per project; or YAML, a `projects:` list of mappings whose
/// keys are the same headers (Chinese or English), with an optional `as-of:` day and
/// `targets:` block (``ProjectTargetsLoader``):
///
/// ```yaml
/// as-of: 2026-09-30
/// year: 2026
/// targets: {签约项目: 30, 履约率: 90%}
/// projects:
///   - 项目名称: 动力电池生产基地一期项目
///     投资方: 宁德时代新能源科技股份有限公司
///     产业链: nev-battery
///     环节: cell
///     协议投资额: 120
///     签约日期: 2025-11-18
/// ```
/// Columns are found by their Chinese headers and
/// the usual synonyms (``ProjectLedgerLoader/Column``); 项目名称 is required.
///
/// Each row is checked, and every problem is a diagnostic at its cell:
/// - a chain or link that is none of `chains` (a link is looked up in the chain the row
///   names, else in all chains; a link of another chain than the one named is an error
///   that says which chain it belongs to);
/// - a date that does not parse, or that comes before the date it must follow
///   (约定开工 and 开工 after 签约, 投产 after 开工);
/// - a status that contradicts the dates (签约 without 签约日期, 在谈 with one …);
/// - 到位资金 greater than 协议投资额: a warning.
///
/// Amounts are in 亿元; a bare number is 亿元 unless the header names the unit
/// (协议投资额（万元）). A ledger holds at most ``maxRows`` rows and ``maxBytes`` bytes.
public struct ProjectLedgerLoader: Sendable {
    /// The ledger's columns, with the headers that name them (compared without brackets,
    /// case-insensitive).
    public enum Column: String, CaseIterable, Sendable {
        case name, investor, chain, link, agreed, inPlace, signedOn, dueStart, startedOn, producingOn, status, owner, leader, notes

        /// The headers, the canonical one first.
        /// The column a header names, by its key (``LeadColumns/key(_:)``).
        static func named(_ key: String) -> Column? {
            allCases.first { $0.headers.contains { $0.lowercased() == key } }
        }

        public var headers: [String] {
            switch self {
            case .name: ["项目名称", "项目", "项目名", "name"]
            case .investor: ["投资方", "投资主体", "投资企业", "签约企业", "企业名称", "企业", "investor"]
            case .chain: ["产业链", "所属产业链", "链条", "chain"]
            case .link: ["环节", "产业链环节", "链条环节", "link"]
            case .agreed: ["协议投资额", "协议投资", "协议引资", "计划总投资", "总投资", "投资总额", "投资额", "agreed"]
            case .inPlace: ["到位资金", "实际到位资金", "累计到位资金", "资金到位", "funds"]
            case .signedOn: ["签约日期", "签约时间", "signed"]
            case .dueStart: ["约定开工日期", "约定开工时间", "计划开工日期", "计划开工时间", "due-start"]
            case .startedOn: ["开工日期", "开工时间", "实际开工日期", "started"]
            case .producingOn: ["投产日期", "投产时间", "实际投产日期", "producing"]
            case .status: ["状态", "项目状态", "进展", "阶段", "status"]
            case .owner: ["责任单位", "牵头单位", "责任部门", "owner"]
            case .leader: ["包保领导", "联系领导", "责任领导", "leader"]
            case .notes: ["备注", "说明", "notes"]
            }
        }
    }

    /// The most rows a ledger may hold (a county's ledger has hundreds).
    public static let maxRows = 100_000
    /// The Excel serial days read as a ledger's dates: 1990-01-01 to 2100-12-31.
    static let serialDays = 32_874.0...73_415.0

    /// The largest ledger file read (64 MB), checked before reading.
    public static let maxBytes = 64 << 20

    public let chains: [Chain]
    public let reading: ReadingOptions
    /// Whether `chains` are only some of the region's (a command run on one chain file):
    /// a chain or link found in none of them is then not an error, and the project is
    /// kept for the chain it names. `chainmap projects` checks against all of `chains/`.
    public var partial = false

    public init(chains: [Chain], reading: ReadingOptions = ReadingOptions()) {
        self.chains = chains
        self.reading = reading
    }

    /// Each chain's links by id and by name: the first link in file order that has the
    /// word either way (a row looked through every link of every chain: 20,000 rows on as
    /// many links took 8 s). Made when a ledger has rows to check.
    struct LinkWords {
        private let byChain: [String: [String: Int]]

        init(_ chains: [Chain]) {
            var byChain: [String: [String: Int]] = [:]
            for chain in chains where byChain[chain.id] == nil {
                var words: [String: Int] = [:]
                for (index, link) in chain.links.enumerated() {
                    if words[link.id] == nil { words[link.id] = index }
                    if words[link.name] == nil { words[link.name] = index }
                }
                byChain[chain.id] = words
            }
            self.byChain = byChain
        }

        /// The link of `chain` whose id or name is `word`.
        func link(_ word: String, of chain: Chain) -> Link? {
            byChain[chain.id]?[word].map { chain.links[$0] }
        }
    }

    /// Reads and checks the ledger at `path`.
    public func load(path: String) -> ProjectLedger {
        var ledger = ProjectLedger(file: path)
        // Bounded before reading: a ledger is collected whole.
        if let size = FileSystem.size(of: path), size > Self.maxBytes {
            ledger.diagnostics.append(.error(
                .input, "the ledger is \(NumberText.grouped(size)) bytes; chainmap reads ledgers of at most \(NumberText.grouped(Self.maxBytes)) bytes",
                at: FileLocation(file: path, line: 1, column: 1)))
            ledger.failed = true
            return ledger
        }
        let rows: [LedgerRow]
        if Self.isYAML(path) {
            guard let read = yamlRows(path, into: &ledger) else {
                ledger.failed = true
                return ledger
            }
            rows = read
        } else {
            // A workbook's every sheet with a ledger's header (a sheet per year or per chain).
            var read: [LedgerRow] = []
            for sheet in InputFormats.readEverySheet(path, options: reading, into: LedgerCollector()) {
                ledger.diagnostics += sheet.diagnostics
                ledger.failed = ledger.failed || sheet.failed
                if let place = sheet.summary.headerLocation { ledger.diagnostics += Self.headerProblems(sheet.summary.header, at: place) }
                read += sheet.batches.flatMap(\.rows)
            }
            guard !ledger.failed else { return ledger }
            rows = read
        }
        if rows.count > Self.maxRows {
            ledger.diagnostics.append(.error(
                .input, "the ledger has \(rows.count) rows; chainmap reads at most \(Self.maxRows) projects", at: FileLocation(file: path, line: 1, column: 1)))
            ledger.failed = true
            return ledger
        }
        // A project listed twice (the same name and investor) is counted once, as across
        // ledgers, and said so at the repeat: every command then counts alike. The listing
        // furthest along counts (a ledger kept a sheet per year lists a project again as it
        // moves on), in the place of the first.
        guard !rows.isEmpty else { return ledger }
        var tally = Tally()
        let links = LinkWords(chains)
        for row in rows {
            let (project, problems) = self.project(row, links: links)
            ledger.diagnostics += problems
            guard let project, let (earlier, replaces) = tally.add(project) else { continue }
            let name = "project '\(Diagnostic.quoted(project.name))' of '\(Diagnostic.quoted(project.investor ?? ""))'"
            if replaces {
                ledger.diagnostics.append(.warning(
                    .duplicate, "\(name) is listed again, further along (\(project.stage().rawValue)); it is counted once, as listed here",
                    at: project.location, notes: [.init("listed before here (\(earlier.stage().rawValue))", at: earlier.location)]))
            } else {
                ledger.diagnostics.append(.warning(
                    .duplicate, "\(name) is listed again; it is counted once",
                    at: project.location, notes: [.init("counted as listed here", at: earlier.location)]))
            }
        }
        ledger.projects = tally.projects
        return ledger
    }

    /// Projects each once (by ``projectKey(_:)``), in the place first listed, as the
    /// listing furthest along (``progress(_:)``; of equals, the first): within a ledger
    /// and across ledgers alike.
    struct Tally {
        private(set) var projects: [Project] = []
        private var place: [String: Int] = [:]

        /// Takes a listing. For a project listed before: the listing counted until now,
        /// and whether this one counts instead.
        mutating func add(_ project: Project) -> (earlier: Project, replaces: Bool)? {
            let key = ProjectLedgerLoader.projectKey(project)
            guard let index = place[key] else {
                place[key] = projects.count
                projects.append(project)
                return nil
            }
            let earlier = projects[index]
            let replaces = ProjectLedgerLoader.progress(project) > ProjectLedgerLoader.progress(earlier)
            if replaces { projects[index] = project }
            return (earlier, replaces)
        }
    }

    /// How far along a project is, to tell which of two listings of it counts: its stage
    /// as every measure reads it (its 状态, else worked out from its dates), 推介 < 在谈 <
    /// 签约 < 开工 < 投产 < 终止. 终止 is last: a project signed last year and stopped this
    /// year is stopped (one revived after it was stopped counts as stopped; list it anew).
    static func progress(_ project: Project) -> Int {
        Project.Status.allCases.firstIndex(of: project.stage())!
    }

    /// Each project once (by ``projectKey(_:)``), in the place it is first listed, as its
    /// listing furthest along (``progress(_:)``; of equals, the first).
    public static func countedOnce(_ projects: [Project]) -> [Project] {
        var tally = Tally()
        for project in projects { _ = tally.add(project) }
        return tally.projects
    }

    /// The columns of a table's header that are not read although they look meant to be:
    /// one that names a column already taken (two 协议投资额: the second is not read), or
    /// one close to a known header (a did-you-mean). Other columns (序号, 所在地 …) are
    /// the export's own and pass without a word.
    static func headerProblems(_ header: [String], at place: FileLocation) -> [Diagnostic] {
        guard let layout = LedgerCollector().layout(forHeader: header) else { return [] }
        let known = Column.allCases.flatMap(\.headers)
        var problems: [Diagnostic] = []
        for (index, cell) in header.enumerated() where !layout.columns.values.contains(index) {
            let key = LeadColumns.key(cell)
            guard !key.isEmpty else { continue }
            // A workbook's cell, else the line with the column counted.
            var at = place
            if place.sheet != nil { at.column = index + 1 }
            let name = "column \(index + 1) '\(Diagnostic.quoted(cell))'"
            if let column = Column.named(key), let taken = layout.columns[column] {
                problems.append(.warning(
                    .input, "\(name) is \(column.headers[0]) again and is not read; column \(taken + 1) '\(Diagnostic.quoted(header[taken]))' is", at: at))
            } else if let suggestion = Suggestion.closest(to: key, in: known) {
                problems.append(.warning(.input, "\(name) is not read; did you mean '\(suggestion)'?", at: at))
            }
        }
        return problems
    }

    /// What identifies a project within a ledger and across ledgers: its name and
    /// investor, as names compare.
    public static func projectKey(_ project: Project) -> String {
        LeadValues.nameKey(project.name) + "\u{1F}" + LeadValues.nameKey(project.investor ?? "")
    }

    /// Whether a ledger is written in YAML (by its extension).
    static func isYAML(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml")
    }

    /// The top-level keys of a YAML ledger, English or Chinese.
    static let yamlKeys = ["as-of", "截至日期", "year", "年度", "targets", "目标", "projects", "项目"]

    /// A YAML ledger's projects as rows (each key a header, each value a cell at its own
    /// place), and its `as-of:` and `targets:` into `ledger`; nil when the file cannot be
    /// read or has no `projects:` list. Every problem is added to `ledger` at its node.
    func yamlRows(_ path: String, into ledger: inout ProjectLedger) -> [LedgerRow]? {
        let start = FileLocation(file: path, line: 1, column: 1)
        let document: YAMLSyntax.Document
        do {
            document = try YAMLSyntax.document(try FileSystem.readBytes(path), file: path)
        } catch {
            ledger.diagnostics += error.diagnostics
            return nil
        }
        guard let root = document.root else {
            ledger.diagnostics.append(.error(.structure, "the ledger has no 'projects:' list", at: start))
            return nil
        }
        var reader = NodeReader(file: path, nodeBudget: Self.maxRows * 20, columns: document.columns)
        // With the tabs in indentation and repeated keys read past (``YAMLSyntax/Document/problems``),
        // in file order.
        defer { ledger.diagnostics += (document.problems + reader.diagnostics).sorted { ($0.location ?? start) < ($1.location ?? start) } }
        guard let top = reader.mapping(
            root, what: "the ledger", known: Self.yamlKeys, expected: "a mapping with 'projects:' (a list of projects)")
        else { return nil }
        guard let list = reader.value(top, "projects", "项目") else {
            reader.error(.structure, "the ledger is missing the required key 'projects'", at: root)
            return nil
        }
        if let node = reader.value(top, "as-of", "截至日期"), let text = reader.string(node, key: "as-of") {
            if let day = CalendarDay(parsing: text) {
                ledger.asOf = day
            } else {
                reader.error(.value, "'as-of' '\(Diagnostic.quoted(text))' is not a date such as 2026-09-30", at: node)
            }
        }
        let yearNode = reader.value(top, "year", "年度")
        let year = reader.integer(yearNode, key: "year", in: 2000...2100)
        if let node = reader.value(top, "targets", "目标") {
            var targets = ProjectTargets()
            targets.year = year
            ProjectTargetsLoader.read(node, into: &targets, reader: &reader)
            ledger.targets = targets
        } else if let node = yearNode {
            reader.warning(.structure, "'year' only says which year the targets are for, and the ledger has no 'targets:'", at: node)
        }
        let items = reader.sequence(list, key: "projects")
        if items.count > Self.maxRows {
            reader.error(.input, "the ledger has \(items.count) projects; chainmap reads at most \(Self.maxRows)", at: list)
            return nil
        }
        let known = Column.allCases.flatMap(\.headers)
        let places = reader.itemLocations(items)
        var rows: [LedgerRow] = []
        for (item, place) in zip(items, places) {
            guard reader.spend(item) else { return nil }
            guard case .mapping(let mapping) = item else {
                reader.error(.structure, "a project must be a mapping of 项目名称, 投资方, 产业链 … to values", at: place)
                continue
            }
            var row = LedgerRow(cells: [], locations: [], location: place, headers: [], columns: [:])
            for (keyNode, value) in mapping {
                guard case .scalar(let scalar) = keyNode else {
                    reader.error(.structure, "a key of a project must be a plain word", at: keyNode)
                    continue
                }
                let header = scalar.string
                let key = LeadColumns.key(header)
                guard let column = Column.named(key) else {
                    var message = "unknown key '\(Diagnostic.quoted(header))' in a project"
                    if let suggestion = Suggestion.closest(to: key, in: known) {
                        message += "; did you mean '\(suggestion)'?"
                    } else {
                        message += "; known keys are " + Column.allCases.map { $0.headers[0] }.joined(separator: ", ")
                    }
                    reader.error(.structure, message, at: keyNode)
                    continue
                }
                if row.columns[column] != nil {
                    reader.error(.structure, "the project gives \(column.headers[0]) twice ('\(Diagnostic.quoted(header))')", at: keyNode)
                    continue
                }
                let text = value.isNull ? "" : (reader.string(value, key: header, allowEmpty: true) ?? "")
                row.columns[column] = row.cells.count
                row.cells.append(text)
                row.locations.append(reader.location(of: value))
                row.headers.append(header)
            }
            if row.columns[.name].map({ LeadColumns.trimmed(row.cells[$0]).isEmpty }) ?? true {
                reader.error(.structure, "a project is missing 项目名称 (name)", at: place)
                continue
            }
            rows.append(row)
        }
        return rows
    }

    /// One row: its project, or nil when it has errors that leave it without one (the
    /// errors say why), and its problems.
    func project(_ row: LedgerRow, links: LinkWords) -> (Project?, [Diagnostic]) {
        var problems: [Diagnostic] = []
        func text(_ column: Column) -> String? {
            guard let c = row.columns[column], c < row.cells.count else { return nil }
            let value = LeadColumns.trimmed(row.cells[c])
            return value.isEmpty ? nil : value
        }
        func at(_ column: Column) -> FileLocation {
            row.columns[column].map { row.locations[$0] } ?? row.location
        }
        func header(_ column: Column) -> String {
            row.columns[column].map { LeadColumns.trimmed(row.headers[$0]) } ?? column.headers[0]
        }
        func date(_ column: Column) -> CalendarDay? {
            guard let value = text(column) else { return nil }
            if let day = CalendarDay(parsing: value) { return day }
            // Excel serial days, when a date cell was written as a number: read as the
            // workbook reader reads date cells (Excel's 1900 system), within the years a
            // project's dates fall in, so that a year (2026) or a month (202603) typed as
            // a number is not read as a day of 1905 or 2454.
            if let serial = Double(value), Self.serialDays.contains(serial), serial == serial.rounded(),
               let day = CalendarDay(parsing: Workbook.date(serial, date1904: false)) {
                return day
            }
            problems.append(.error(.value, "\(header(column)) '\(Diagnostic.quoted(value))' is not a date such as 2026-03-15", at: at(column)))
            return nil
        }
        func amount(_ column: Column) -> Double? {
            guard let value = text(column) else { return nil }
            let unit = row.columns[column].flatMap { LeadColumns.unit(of: row.headers[$0]) } ?? 1
            if let yi = try? LeadValues.amount(value, bareUnit: unit)?.yi, yi >= 0 { return yi }
            problems.append(.error(.value, "\(header(column)) '\(Diagnostic.quoted(value))' is not an amount such as 25 or 3000万元", at: at(column)))
            return nil
        }

        let name = text(.name) ?? ""
        var project = Project(name: name, location: row.location)
        project.investor = text(.investor)
        project.owner = text(.owner)
        project.leader = text(.leader)
        project.notes = text(.notes)
        project.agreed = amount(.agreed)
        project.inPlace = amount(.inPlace)
        project.signedOn = date(.signedOn)
        project.dueStart = date(.dueStart)
        project.startedOn = date(.startedOn)
        project.producingOn = date(.producingOn)
        if let value = text(.status) {
            if let status = Project.Status(rawValue: value) ?? Self.statusSynonyms[value] {
                project.status = status
            } else {
                let known = Project.Status.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(.error(.value, "\(header(.status)) '\(Diagnostic.quoted(value))' is not a project stage (\(known))", at: at(.status)))
            }
        }

        // Chain and link, by id or name.
        var chain: Chain?
        if let value = text(.chain) {
            chain = chains.first { $0.id == value || $0.name == value }
            if chain == nil && partial {
                project.chain = value
            } else if chain == nil {
                let ids = chains.map(\.id)
                let hint = Suggestion.closest(to: value, in: ids).map { "; did you mean '\($0)'?" } ?? " (\(ids.joined(separator: ", ")))"
                problems.append(.error(.reference, "\(header(.chain)) '\(Diagnostic.quoted(value))' is no chain of the chains read\(hint)", at: at(.chain)))
            }
            if let chain { project.chain = chain.id }
        }
        if let value = text(.link) {
            let named: (Chain) -> Link? = { chain in links.link(value, of: chain) }
            if let chain {
                if let link = named(chain) {
                    project.link = link.id
                } else if let other = chains.first(where: { named($0) != nil }) {
                    problems.append(.error(
                        .reference, "\(header(.link)) '\(Diagnostic.quoted(value))' is not a link of \(chain.name) (\(chain.id)); it is a link of \(other.name) (\(other.id))",
                        at: at(.link)))
                } else {
                    problems.append(.error(.reference, "\(header(.link)) '\(Diagnostic.quoted(value))' is not a link of \(chain.name) (\(chain.id))", at: at(.link)))
                }
            } else if text(.chain) == nil {
                let owners = chains.filter { named($0) != nil }
                if owners.count == 1, let link = named(owners[0]) {
                    project.chain = owners[0].id
                    project.link = link.id
                } else if owners.isEmpty && partial {
                    project.link = value
                } else if owners.isEmpty {
                    problems.append(.error(.reference, "\(header(.link)) '\(Diagnostic.quoted(value))' is a link of none of the chains read", at: at(.link)))
                } else {
                    let names = owners.map(\.id).joined(separator: ", ")
                    problems.append(.error(.reference, "\(header(.link)) '\(Diagnostic.quoted(value))' is a link of several chains (\(names)): name the chain in \(header(.chain))", at: at(.link)))
                }
            }
        }

        // Dates in order.
        func order(_ later: Column, _ laterDay: CalendarDay?, after earlier: Column, _ earlierDay: CalendarDay?) {
            if let l = laterDay, let e = earlierDay, l < e {
                problems.append(.error(.value, "\(header(later)) \(l) comes before \(header(earlier)) \(e)", at: at(later)))
            }
        }
        order(.dueStart, project.dueStart, after: .signedOn, project.signedOn)
        order(.startedOn, project.startedOn, after: .signedOn, project.signedOn)
        order(.producingOn, project.producingOn, after: .startedOn, project.startedOn)

        // The status against the dates. "Empty" is said of an empty cell only: a date that
        // is not one has its own error.
        func empty(_ column: Column) -> Bool { text(column) == nil }
        if let status = project.status {
            let contradiction: String? = switch status {
            case .promoted where project.signedOn != nil, .negotiating where project.signedOn != nil:
                "is \(status.rawValue), but \(header(.signedOn)) is \(project.signedOn!)"
            case .promoted where project.startedOn != nil, .negotiating where project.startedOn != nil:
                "is \(status.rawValue), but \(header(.startedOn)) is \(project.startedOn!): the project has started (开工)"
            case .promoted where project.producingOn != nil, .negotiating where project.producingOn != nil:
                "is \(status.rawValue), but \(header(.producingOn)) is \(project.producingOn!): the project is producing (投产)"
            case .signed where empty(.signedOn): "is 签约, but \(header(.signedOn)) is empty"
            case .signed where project.startedOn != nil: "is 签约, but \(header(.startedOn)) is \(project.startedOn!): the project has started (开工)"
            case .signed where project.producingOn != nil: "is 签约, but \(header(.producingOn)) is \(project.producingOn!): the project is producing (投产)"
            case .started where empty(.startedOn): "is 开工, but \(header(.startedOn)) is empty"
            case .started where project.producingOn != nil: "is 开工, but \(header(.producingOn)) is \(project.producingOn!): the project is producing (投产)"
            case .producing where empty(.producingOn): "is 投产, but \(header(.producingOn)) is empty"
            case .producing where empty(.startedOn): "is 投产, but \(header(.startedOn)) is empty: a producing project has started (开工)"
            default: nil
            }
            if let contradiction {
                problems.append(.error(.value, "\(header(.status)) \(contradiction)", at: at(.status)))
            }
        } else if empty(.signedOn) && (project.startedOn != nil || project.producingOn != nil) {
            problems.append(.error(.value, "the project has started but \(header(.signedOn)) is empty", at: at(.signedOn)))
        }
        if let agreed = project.agreed, let inPlace = project.inPlace, inPlace > agreed + 1e-9 {
            problems.append(.warning(
                .value, "\(header(.inPlace)) \(NumberText.trimmed(inPlace, 4)) 亿元 is more than \(header(.agreed)) \(NumberText.trimmed(agreed, 4)) 亿元",
                at: at(.inPlace)))
        }
        return (problems.contains(where: \.isError) ? nil : project, problems)
    }

    /// Other words ledgers use for the stages.
    static let statusSynonyms: [String: Project.Status] = [
        "洽谈": .negotiating, "跟踪": .negotiating, "已签约": .signed, "已开工": .started, "在建": .started,
        "已投产": .producing, "达产": .producing, "终止": .terminated, "已终止": .terminated, "取消": .terminated,
    ]
}

/// A ledger row as collected: its cells, each cell's place, and which column holds what.
struct LedgerRow: Sendable {
    var cells: [String]
    var locations: [FileLocation]
    var location: FileLocation
    var headers: [String]
    var columns: [ProjectLedgerLoader.Column: Int]
}

/// Collects a ledger's rows whole (a ledger is small; ``ProjectLedgerLoader/maxRows``).
struct LedgerCollector: RowConsumer {
    struct Layout: Sendable {
        let headers: [String]
        let columns: [ProjectLedgerLoader.Column: Int]
    }

    struct Batch: RowBatch {
        var rows: [LedgerRow] = []

        mutating func shiftLines(by first: Int) {
            for r in rows.indices {
                rows[r].location.line += first
                for c in rows[r].locations.indices { rows[r].locations[c].line += first }
            }
        }

        mutating func absorb(_ later: consuming Batch) { rows += later.rows }
    }

    func layout(forHeader cells: [String]) -> Layout? {
        let keys = cells.map(LeadColumns.key)
        var columns: [ProjectLedgerLoader.Column: Int] = [:]
        for column in ProjectLedgerLoader.Column.allCases {
            for header in column.headers {
                if let index = keys.firstIndex(of: header.lowercased()), !columns.values.contains(index) {
                    columns[column] = index
                    break
                }
            }
        }
        guard columns[.name] != nil else { return nil }
        return Layout(headers: cells, columns: columns)
    }

    func missingHeader(firstRow: [String]) -> String {
        "no header row names the projects: the ledger needs a 项目名称 column (first row: \(firstRow.prefix(6).map { "'\(Diagnostic.quoted($0))'" }.joined(separator: ", ")))"
    }

    func keyColumn(in layout: Layout) -> Int { layout.columns[.name]! }

    func fields(of layout: Layout) -> Set<String> { Set(layout.columns.keys.map { $0.headers[0] }) }

    var exampleHeader: String { "项目名称,投资方,产业链,环节,协议投资额,签约日期,状态" }

    var keyDescription: String { "project name (项目名称)" }

    func textColumns(in layout: Layout) -> [Int] { Array(layout.headers.indices) }

    func makeBatch(_ layout: Layout) -> Batch { Batch() }

    func consume(_ row: Row, layout: Layout, into batch: inout Batch, log: inout RowLog) {
        let count = layout.headers.count
        batch.rows.append(LedgerRow(
            cells: (0..<count).map { $0 < row.count ? row.string($0) : "" },
            locations: (0..<count).map { row.location(ofCell: $0) },
            location: row.location, headers: layout.headers, columns: layout.columns))
    }
}
