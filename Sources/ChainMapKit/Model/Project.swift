import Foundation

/// One investment project of the bureau's ledger (项目台账): from 推介 to 投产, with its
/// dates, the amounts agreed and in place, and who answers for it.
///
/// The ledger's measures (履约率, 开工率, 投产率, 资金到位率) are computed from these
/// fields by ``ProjectMeasures``; nothing here is derived.
public struct Project: Hashable, Sendable {
    /// The stage a project is at (状态).
    public enum Status: String, CaseIterable, Hashable, Sendable {
        case promoted = "推介"
        case negotiating = "在谈"
        case signed = "签约"
        case started = "开工"
        case producing = "投产"
        case terminated = "终止"
    }

    /// 项目名称.
    public var name: String
    /// 投资方: the enterprise.
    public var investor: String?
    /// The chain (its id), when the ledger names one.
    public var chain: String?
    /// The link (its id in ``chain``), when the ledger names one.
    public var link: String?
    /// 协议投资额, 亿元.
    public var agreed: Double?
    /// 到位资金, 亿元.
    public var inPlace: Double?
    /// 签约日期.
    public var signedOn: CalendarDay?
    /// 约定开工日期: the start the contract promises.
    public var dueStart: CalendarDay?
    /// 开工日期.
    public var startedOn: CalendarDay?
    /// 投产日期.
    public var producingOn: CalendarDay?
    /// 状态; nil when the ledger leaves it empty (the dates then tell the stage).
    public var status: Status?
    /// 责任单位.
    public var owner: String?
    /// 包保领导.
    public var leader: String?
    /// 备注.
    public var notes: String?
    /// The row (or YAML entry) it comes from.
    public var location: FileLocation

    public init(
        name: String, investor: String? = nil, chain: String? = nil, link: String? = nil,
        agreed: Double? = nil, inPlace: Double? = nil, signedOn: CalendarDay? = nil, dueStart: CalendarDay? = nil,
        startedOn: CalendarDay? = nil, producingOn: CalendarDay? = nil, status: Status? = nil,
        owner: String? = nil, leader: String? = nil, notes: String? = nil, location: FileLocation = FileLocation(file: "", line: 0, column: 0)
    ) {
        self.name = name
        self.investor = investor
        self.chain = chain
        self.link = link
        self.agreed = agreed
        self.inPlace = inPlace
        self.signedOn = signedOn
        self.dueStart = dueStart
        self.startedOn = startedOn
        self.producingOn = producingOn
        self.status = status
        self.owner = owner
        self.leader = leader
        self.notes = notes
        self.location = location
    }

    /// Whether it was terminated (终止): it counts in no measure.
    public var isTerminated: Bool { status == .terminated }

    /// Its stage: the 状态, else what its dates say — 投产, 开工 or 签约 by the dates on
    /// or before `asOf` (every date given, when nil) — else 推介.
    public func stage(asOf: CalendarDay? = nil) -> Status {
        if let status { return status }
        let by: (CalendarDay?) -> Bool = { day in day.map { asOf == nil || $0 <= asOf! } ?? false }
        if by(producingOn) { return .producing }
        if by(startedOn) { return .started }
        if by(signedOn) { return .signed }
        return .promoted
    }
}

/// A day of the Gregorian calendar, as ledgers write dates (2026-03-15, 2026/3/15,
/// 2026年3月15日, 2026.3.15, 20260315).
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (month 13, 30 February, year 0).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDay.days(inMonth: month, of: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the spellings ledgers use; nil when the text is none of them or not a date.
    public init?(parsing text: String) {
        // Without the spaces and tabs around it (Foundation's `.whitespaces`: Unicode's
        // space separators, the tab and, in swift-corelibs-foundation, the zero-width
        // space), trimmed in Swift: Foundation's trim bridges through NSString on Linux,
        // a tenth of reading a ledger.
        let isSpace = { (scalar: Unicode.Scalar) in
            scalar == "\t" || scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
        let scalars = text.unicodeScalars
        let first = scalars.firstIndex { !isSpace($0) } ?? scalars.endIndex
        let last = scalars[first...].lastIndex { !isSpace($0) }
        let trimmed = last.map { String(scalars[first...$0]) } ?? ""
        let digits = trimmed.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
        if digits, trimmed.count == 8, let value = Int(trimmed) {
            self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
            return
        }
        var body = trimmed
        if body.hasSuffix("日") || body.hasSuffix("号") { body.removeLast() }
        let parts = body.unicodeScalars.split(whereSeparator: CalendarDay.isDateSeparator).map { String(String.UnicodeScalarView($0)) }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && Int($0) != nil }),
              parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Whether a scalar separates a date's parts: - / . 年 月, and U+F98E, a compatibility
    /// form of 年 that Swift takes as equal to it. A lookup of the scalar instead of
    /// comparing each character with the five as a `Character` (canonical equivalence):
    /// half of reading a ledger's dates. A test compares the two on the first three planes.
    static func isDateSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2E, 0x2F, 0x5E74, 0x6708, 0xF98E: true
        default: false
        }
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (negative before it): differences of days.
    public var ordinal: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDay {
        let (y, m, d) = Self.civil(fromDays: ordinal + days)
        return CalendarDay(year: y, month: m, day: d)!
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's civil_from_days), for any
    /// count: the year is not checked (an Excel cell's serial can be anything).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// The quarter (1–4).
    public var quarter: Int { (month - 1) / 3 + 1 }

    /// Today in the local time zone (what the ledger's measures are "as of" when no day
    /// is given).
    ///
    /// Read with the C library's `localtime_r` (the `TZ` variable, else /etc/localtime):
    /// Foundation's calendar and time zone start ICU's, which took a tenth of a 21-link
    /// chain's `check` (docs/performance.md, twentieth pass).
    public static func today() -> CalendarDay {
        var now = time(nil)
        var local = tm()
        if localtime_r(&now, &local) != nil,
           let day = CalendarDay(year: Int(local.tm_year) + 1900, month: Int(local.tm_mon) + 1, day: Int(local.tm_mday)) {
            return day
        }
        // No local time to be had: the day in UTC.
        let (year, month, day) = civil(fromDays: Int(now) / 86_400)
        return CalendarDay(year: year, month: month, day: day)!
    }

    /// The share of its year elapsed at the end of this day (31 December: 1).
    public var yearElapsed: Double {
        let first = CalendarDay(year: year, month: 1, day: 1)!.ordinal
        let length = CalendarDay.isLeap(year) ? 366.0 : 365.0
        return Double(ordinal - first + 1) / length
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// 2026-03-15.
    public var description: String {
        let pad: (Int, Int) -> String = { value, width in
            let text = String(value)
            return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
