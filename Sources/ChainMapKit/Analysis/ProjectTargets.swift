/// The year's targets for the ledger (004's table: signed projects, 协议引资, 到位资金, the
/// rates, size classes), optionally with cumulative quarterly milestones.
public struct ProjectTargets: Hashable, Sendable {
    /// A measure a target can be set for.
    public enum Measure: String, CaseIterable, Hashable, Sendable {
        case signed = "签约项目"
        case agreedInvest = "协议引资"
        case fundsInPlace = "到位资金"
        case fulfilmentRate = "履约率"
        case startRate = "开工率"
        case productionRate = "投产率"
        case fundsRate = "资金到位率"

        /// The key in a targets file.
        public var key: String {
            switch self {
            case .signed: "signed"
            case .agreedInvest: "agreed-invest"
            case .fundsInPlace: "funds-in-place"
            case .fulfilmentRate: "fulfilment-rate"
            case .startRate: "start-rate"
            case .productionRate: "production-rate"
            case .fundsRate: "funds-rate"
            }
        }

        /// Whether the year's target counts only the projects signed in that year
        /// (签约项目, 协议引资); the others are over every signed project.
        public var countsTheYear: Bool { self == .signed || self == .agreedInvest }

        /// Whether the target is a rate (compared as it stands, not pro rata).
        public var isRate: Bool { [.fulfilmentRate, .startRate, .productionRate, .fundsRate].contains(self) }

        /// The unit shown beside a figure.
        public var unit: String {
            switch self {
            case .signed: "个"
            case .agreedInvest, .fundsInPlace: "亿元"
            default: "%"
            }
        }

        /// The measure's value in a set of measures.
        public func value(in m: ProjectMeasures) -> Double? {
            switch self {
            case .signed: Double(m.signed)
            case .agreedInvest: m.agreedInvest
            case .fundsInPlace: m.fundsInPlace
            case .fulfilmentRate: m.fulfilmentRate
            case .startRate: m.startRate
            case .productionRate: m.productionRate
            case .fundsRate: m.fundsRate
            }
        }
    }

    /// The year the targets are for; nil takes the as-of day's year.
    public var year: Int?
    /// The year's target per measure (rates as fractions in 0...1).
    public var values: [Measure: Double] = [:]
    /// Signed projects to reach per size class, keyed by its lower bound (1, 5, 10, 50, 100 亿元).
    public var sizeClasses: [Int: Int] = [:]
    /// Cumulative milestones at the end of quarters 1–4, per measure (counts and amounts
    /// only); where a measure has none, its target is spread evenly over the year.
    public var quarters: [Int: [Measure: Double]] = [:]

    public init() {}
}

/// How a measure stands against its target (达标, 滞后, 落后).
public struct TargetProgress: Hashable, Sendable {
    public enum Flag: String, Hashable, Sendable {
        case met = "达标"
        /// Below what is due by now by at most ``TargetProgress/tolerance``.
        case behind = "滞后"
        /// Further below.
        case lagging = "落后"
    }

    /// How far below the due share a measure may be and only be 滞后: 10 points.
    public static let tolerance = 0.10

    /// 签约项目, 协议引资 … or 「≥5亿元项目」.
    public var label: String
    public var target: Double
    /// nil when the measure is undefined (a rate with nothing to divide by).
    public var actual: Double?
    /// What should be reached by the as-of day: the target pro rata (or by the quarterly
    /// milestones); for a rate, the target itself.
    public var due: Double
    /// The share of the year elapsed at the as-of day (for rates too, for the record).
    public var yearElapsed: Double
    public var isRate: Bool
    public var flag: Flag?

    /// actual ÷ target, for counts and amounts.
    public var completion: Double? { isRate || target <= 0 ? nil : actual.map { $0 / target } }

    /// The progress of every measure with a target, as of the ledger's day: counts and
    /// amounts against the pro-rata target (or the milestones), rates against the target;
    /// then the size classes.
    ///
    /// A year's target counts what is signed in that year: 签约项目, 协议引资 and the size
    /// classes are of the projects signed in the targets' year (up to the day). 到位资金,
    /// which the ledger does not date, and the rates are over every signed project.
    public static func all(_ ledger: LedgerAnalysis, targets: ProjectTargets) -> [TargetProgress] {
        let year = targets.year ?? ledger.asOf.year
        let inYear = ProjectMeasures(ledger.projects.filter { $0.signedOn?.year == year }, asOf: ledger.asOf)
        return all(ledger.overall, signedInYear: inYear, targets: targets, asOf: ledger.asOf)
    }

    /// The progress of every measure with a target, from the measures of every signed
    /// project and of those signed in the targets' year.
    public static func all(_ measures: ProjectMeasures, signedInYear: ProjectMeasures, targets: ProjectTargets, asOf: CalendarDay) -> [TargetProgress] {
        let year = targets.year ?? asOf.year
        let elapsed = asOf.year > year ? 1 : asOf.year < year ? 0 : asOf.yearElapsed
        var result: [TargetProgress] = []
        for measure in ProjectTargets.Measure.allCases {
            guard let target = targets.values[measure] else { continue }
            let actual = measure.value(in: measure.countsTheYear ? signedInYear : measures)
            let due = measure.isRate ? target : dueByNow(measure, target: target, targets: targets, asOf: asOf, year: year, elapsed: elapsed)
            result.append(progress(measure.rawValue, target: target, actual: actual, due: due, elapsed: elapsed, isRate: measure.isRate))
        }
        for bound in ProjectMeasures.sizeClassBounds {
            guard let target = targets.sizeClasses[bound] else { continue }
            let actual = Double(signedInYear.sizeClasses[bound] ?? 0)
            result.append(progress("≥\(bound)亿元项目", target: Double(target), actual: actual, due: Double(target) * elapsed, elapsed: elapsed, isRate: false))
        }
        return result
    }

    static func progress(_ label: String, target: Double, actual: Double?, due: Double, elapsed: Double, isRate: Bool) -> TargetProgress {
        var flag: Flag?
        if let actual {
            if isRate {
                flag = actual >= target - 1e-12 ? .met : target - actual <= tolerance + 1e-12 ? .behind : .lagging
            } else if target > 0 {
                let (done, owed) = (actual / target, due / target)
                flag = done >= owed - 1e-12 ? .met : owed - done <= tolerance + 1e-12 ? .behind : .lagging
            } else {
                flag = .met
            }
        }
        return TargetProgress(label: label, target: target, actual: actual, due: due, yearElapsed: elapsed, isRate: isRate, flag: flag)
    }

    /// The target due by the day: between the milestones of the quarter the day is in
    /// (cumulative, from 0 at the year's start), in proportion to the quarter's days
    /// elapsed; the target pro rata when the measure has no milestones.
    static func dueByNow(
        _ measure: ProjectTargets.Measure, target: Double, targets: ProjectTargets, asOf: CalendarDay, year: Int, elapsed: Double
    ) -> Double {
        let milestones = (1...4).map { targets.quarters[$0]?[measure] }
        guard milestones.contains(where: { $0 != nil }), asOf.year == year else { return target * elapsed }
        let quarter = asOf.quarter
        let start = CalendarDay(year: year, month: quarter * 3 - 2, day: 1)!
        let end = quarter == 4 ? CalendarDay(year: year + 1, month: 1, day: 1)! : CalendarDay(year: year, month: quarter * 3 + 1, day: 1)!
        let fraction = Double(asOf.ordinal - start.ordinal + 1) / Double(end.ordinal - start.ordinal)
        let previous = quarter == 1 ? 0 : (milestones[quarter - 2] ?? target * Double(quarter - 1) / 4)
        let current = milestones[quarter - 1] ?? (quarter == 4 ? target : target * Double(quarter) / 4)
        return previous + (current - previous) * fraction
    }
}
