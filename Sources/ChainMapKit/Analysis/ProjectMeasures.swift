/// The measures a year is judged by (000: 履约率、开工率、资金到位率; 004: size classes),
/// computed over a set of projects as of one day. Each is computed here once; tables,
/// JSON and reports only read it.
///
/// | measure | definition |
/// |---|---|
/// | ``signed`` (签约项目) | projects with 签约日期 ≤ as-of, 终止 excluded |
/// | ``due`` (应履约) | signed projects with 约定开工日期 ≤ as-of |
/// | ``fulfilled`` | of the due projects, those with 开工日期 ≤ as-of |
/// | ``fulfilmentRate`` (履约率) | fulfilled ÷ due; nil when nothing is due |
/// | ``startRate`` (开工率) | signed projects with 开工日期 ≤ as-of ÷ signed |
/// | ``productionRate`` (投产率) | signed projects with 投产日期 ≤ as-of ÷ signed |
/// | ``fundsRate`` (资金到位率) | Σ 到位资金 ÷ Σ 协议投资额 over signed projects; a missing 到位资金 counts as 0 |
/// | ``sizeClasses`` | signed projects with 协议投资额 ≥ 1, 5, 10, 50 and 100 亿元 |
///
/// A rate with nothing to divide by is nil, shown as "—"; never a division by zero.
public struct ProjectMeasures: Hashable, Sendable {
    /// The size classes' lower bounds, 亿元.
    public static let sizeClassBounds = [1, 5, 10, 50, 100]

    public var signed = 0
    public var due = 0
    public var fulfilled = 0
    public var started = 0
    public var inProduction = 0
    /// Σ 协议投资额 of the signed projects that give one, 亿元.
    public var agreedInvest = 0.0
    /// Σ 到位资金 of the signed projects, 亿元.
    public var fundsInPlace = 0.0
    /// Signed projects per size class, keyed by its lower bound (1, 5, 10, 50, 100).
    public var sizeClasses: [Int: Int] = Dictionary(uniqueKeysWithValues: ProjectMeasures.sizeClassBounds.map { ($0, 0) })

    public init() {}

    /// The measures of `projects` as of `asOf`.
    public init<Projects: Sequence>(_ projects: Projects, asOf: CalendarDay) where Projects.Element == Project {
        for project in projects { add(project, asOf: asOf) }
    }

    /// Counts one project in.
    public mutating func add(_ project: Project, asOf: CalendarDay) {
        guard Self.isSigned(project, asOf: asOf) else { return }
        signed += 1
        let startedByNow = project.startedOn.map { $0 <= asOf } ?? false
        if let due = project.dueStart, due <= asOf {
            self.due += 1
            if startedByNow { fulfilled += 1 }
        }
        if startedByNow { started += 1 }
        if project.producingOn.map({ $0 <= asOf }) ?? false { inProduction += 1 }
        if let agreed = project.agreed {
            agreedInvest += agreed
            for bound in Self.sizeClassBounds where agreed >= Double(bound) { sizeClasses[bound, default: 0] += 1 }
        }
        fundsInPlace += project.inPlace ?? 0
    }

    /// Whether a project counts as signed as of the day: 签约日期 on or before it, not 终止.
    public static func isSigned(_ project: Project, asOf: CalendarDay) -> Bool {
        !project.isTerminated && (project.signedOn.map { $0 <= asOf } ?? false)
    }

    /// 履约率: fulfilled ÷ due.
    public var fulfilmentRate: Double? { Self.ratio(fulfilled, due) }
    /// 开工率: started ÷ signed.
    public var startRate: Double? { Self.ratio(started, signed) }
    /// 投产率: in production ÷ signed.
    public var productionRate: Double? { Self.ratio(inProduction, signed) }
    /// 资金到位率: funds in place ÷ agreed investment.
    public var fundsRate: Double? { agreedInvest > 0 ? fundsInPlace / agreedInvest : nil }

    static func ratio(_ part: Int, _ whole: Int) -> Double? { whole > 0 ? Double(part) / Double(whole) : nil }
}

/// A project the ledger should act on (问题台账): it names the project, its 责任单位 and
/// why.
public struct ProjectAlert: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// Signed more than the allowed days ago and not started.
        case notStarted
        /// 约定开工日期 passed without a start.
        case startOverdue
        /// 到位资金 below 30 % a year after signing.
        case fundsBehind
    }

    public var kind: Kind
    public var project: Project
    /// The reason, one wording per kind: 签约已 120 天未开工.
    public var reason: String
}

/// The alert rules (问题台账), with their documented defaults.
public struct ProjectAlertRules: Hashable, Sendable {
    /// Days after signing by which a project should have started (90).
    public var startWithinDays = 90
    /// The share of the agreed investment that should be in place a year after signing (0.3).
    public var fundsAfterAYear = 0.3

    public init() {}

    /// The alerts of the signed projects as of the day, in ledger order; a project can
    /// have several.
    public func alerts(_ projects: [Project], asOf: CalendarDay) -> [ProjectAlert] {
        var alerts: [ProjectAlert] = []
        for project in projects where ProjectMeasures.isSigned(project, asOf: asOf) {
            let signed = project.signedOn!
            let started = project.startedOn.map { $0 <= asOf } ?? false
            let days = asOf.ordinal - signed.ordinal
            if !started && days > startWithinDays {
                alerts.append(ProjectAlert(kind: .notStarted, project: project, reason: "签约已 \(days) 天未开工"))
            }
            if !started, let due = project.dueStart, due < asOf {
                alerts.append(ProjectAlert(
                    kind: .startOverdue, project: project,
                    reason: "约定开工日期 \(due) 已过 \(asOf.ordinal - due.ordinal) 天，尚未开工"))
            }
            if let agreed = project.agreed, agreed > 0, days >= 365 {
                let share = (project.inPlace ?? 0) / agreed
                if share < fundsAfterAYear {
                    alerts.append(ProjectAlert(
                        kind: .fundsBehind, project: project,
                        reason: "签约满一年，资金到位率 \(NumberText.percent(share))，低于 \(NumberText.percent(fundsAfterAYear))"))
                }
            }
        }
        return alerts
    }
}

/// The ledger's measures as of one day: overall, per chain, per 责任单位 and per quarter
/// of signing, and the alerts.
public struct LedgerAnalysis: Sendable {
    public let asOf: CalendarDay
    public let projects: [Project]
    public let overall: ProjectMeasures
    /// Per chain id, in the order chains first appear (projects with no chain under "").
    public let byChain: [(chain: String, measures: ProjectMeasures)]
    /// Per 责任单位, in the order they first appear (no owner under "").
    public let byOwner: [(owner: String, measures: ProjectMeasures)]
    /// Per quarter of signing ("2026Q1"), in time order.
    public let byQuarter: [(quarter: String, measures: ProjectMeasures)]
    public let alerts: [ProjectAlert]

    public init(_ projects: [Project], asOf: CalendarDay, rules: ProjectAlertRules = ProjectAlertRules()) {
        self.asOf = asOf
        self.projects = projects
        overall = ProjectMeasures(projects, asOf: asOf)
        byChain = Self.grouped(projects, asOf: asOf) { $0.chain ?? "" }.map { ($0.key, $0.measures) }
        byOwner = Self.grouped(projects, asOf: asOf) { $0.owner ?? "" }.map { ($0.key, $0.measures) }
        byQuarter = Self.grouped(projects.filter { ProjectMeasures.isSigned($0, asOf: asOf) }, asOf: asOf) {
            "\($0.signedOn!.year)Q\($0.signedOn!.quarter)"
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.measures) }
        alerts = rules.alerts(projects, asOf: asOf)
    }

    static func grouped(
        _ projects: [Project], asOf: CalendarDay, by key: (Project) -> String
    ) -> [(key: String, measures: ProjectMeasures)] {
        var order: [String] = []
        var groups: [String: ProjectMeasures] = [:]
        for project in projects {
            let k = key(project)
            if groups[k] == nil { order.append(k) }
            groups[k, default: ProjectMeasures()].add(project, asOf: asOf)
        }
        return order.map { ($0, groups[$0]!) }
    }
}

/// What happened in one quarter of the year the targets are for (the report's quarterly
/// chart and its table read it): projects signed and started in the quarter, by their
/// dates, and the investment agreed and in place of the projects signed in it.
public struct QuarterFigures: Hashable, Sendable {
    /// "2026Q1", or "2025年及以前" for every signing before the year.
    public var label: String
    /// The quarter 1…4, or nil for the years before.
    public var quarter: Int?
    /// Projects signed in the quarter (签约日期 in it and ≤ as-of; 终止 excluded).
    public var signed = 0
    /// Projects started in the quarter (开工日期 in it and ≤ as-of; 终止 excluded).
    public var started = 0
    /// Σ 协议投资额 of the projects signed in the quarter, 亿元.
    public var agreedInvest = 0.0
    /// Σ 到位资金 of the projects signed in the quarter, 亿元 (the ledger gives one
    /// cumulative figure per project, so funds are placed by the quarter of signing).
    public var fundsInPlace = 0.0
    /// Whether the quarter starts after the as-of day (nothing can be in it yet).
    public var isFuture = false

    /// The quarters of `year` (Q1 … Q4), preceded by one entry for the years before when
    /// a project was signed or started then.
    public static func year(_ year: Int, of projects: [Project], asOf: CalendarDay) -> [QuarterFigures] {
        var earlier = QuarterFigures(label: "\(year - 1)年及以前", quarter: nil)
        var quarters = (1...4).map { q in
            var figures = QuarterFigures(label: "\(year)Q\(q)", quarter: q)
            figures.isFuture = CalendarDay(year: year, month: q * 3 - 2, day: 1)! > asOf
            return figures
        }
        func slot(_ day: CalendarDay) -> Int? { day.year < year ? -1 : day.year == year ? day.quarter - 1 : nil }
        for project in projects where !project.isTerminated {
            if let signed = project.signedOn, signed <= asOf, let s = slot(signed) {
                func add(_ f: inout QuarterFigures) {
                    f.signed += 1
                    f.agreedInvest += project.agreed ?? 0
                    f.fundsInPlace += project.inPlace ?? 0
                }
                if s < 0 { add(&earlier) } else { add(&quarters[s]) }
            }
            if let started = project.startedOn, started <= asOf, let s = slot(started) {
                if s < 0 { earlier.started += 1 } else { quarters[s].started += 1 }
            }
        }
        return (earlier.signed + earlier.started > 0 ? [earlier] : []) + quarters
    }
}
