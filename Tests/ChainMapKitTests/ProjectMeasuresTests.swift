@testable import ChainMapKit
import Foundation
import Testing

/// Issue 17 (first part): the ledger's measures on a small ledger whose figures are worked
/// by hand in the comments.
@Suite("Project ledger measures")
struct ProjectMeasuresTests {
    static func day(_ text: String) -> CalendarDay { CalendarDay(parsing: text)! }

    /// Seven projects. As of 2026-09-30:
    /// - P1 signed 01-10, due 04-01, started 03-20, producing 08-01: 25 亿 agreed, 10 in place;
    /// - P2 signed 02-15, due 06-30, not started: 6 agreed, 1 in place;
    /// - P3 signed 05-20, due 12-31 (not yet due), started 09-01: 120 agreed, 到位资金 missing;
    /// - P4 终止 (signed 01-05, due 03-01, 50 agreed): counts nowhere;
    /// - P5 signed 10-15, after as-of: not signed yet;
    /// - P6 在谈, no dates;
    /// - P7 signed 2025-06-01, due 2025-09-01, started 2025-10-01: 2 agreed, 0.4 in place.
    static let ledger: [Project] = [
        Project(name: "P1", chain: "nev-battery", agreed: 25, inPlace: 10, signedOn: day("2026-01-10"), dueStart: day("2026-04-01"),
                startedOn: day("2026-03-20"), producingOn: day("2026-08-01"), status: .producing, owner: "经开区"),
        Project(name: "P2", chain: "nev-battery", agreed: 6, inPlace: 1, signedOn: day("2026-02-15"), dueStart: day("2026-06-30"),
                status: .signed, owner: "高新区"),
        Project(name: "P3", chain: "auto-parts", agreed: 120, signedOn: day("2026-05-20"), dueStart: day("2026-12-31"),
                startedOn: day("2026-09-01"), status: .started, owner: "经开区"),
        Project(name: "P4", agreed: 50, inPlace: 0, signedOn: day("2026-01-05"), dueStart: day("2026-03-01"), status: .terminated, owner: "高新区"),
        Project(name: "P5", agreed: 8, signedOn: day("2026-10-15"), status: .signed, owner: "经开区"),
        Project(name: "P6", status: .negotiating, owner: "高新区"),
        Project(name: "P7", chain: "nev-battery", agreed: 2, inPlace: 0.4, signedOn: day("2025-06-01"), dueStart: day("2025-09-01"),
                startedOn: day("2025-10-01"), status: .started, owner: "高新区"),
    ]

    @Test("overall: 4 signed (终止 and a later signing left out), 3 due, 2 fulfilled, 3 started, 1 producing, funds 11.4 of 153")
    func overall() {
        let m = LedgerAnalysis(Self.ledger, asOf: Self.day("2026-09-30")).overall
        #expect(m.signed == 4)  // P1, P2, P3, P7
        #expect(m.due == 3)  // P1, P2, P7 (P3 is due in December)
        #expect(m.fulfilled == 2)  // P1, P7
        #expect(m.fulfilmentRate == 2.0 / 3.0)
        #expect(m.started == 3)  // P1, P3, P7
        #expect(m.startRate == 0.75)
        #expect(m.inProduction == 1)  // P1
        #expect(m.productionRate == 0.25)
        #expect(m.agreedInvest == 153)  // 25 + 6 + 120 + 2
        #expect(abs(m.fundsInPlace - 11.4) < 1e-9)  // 10 + 1 + (missing = 0) + 0.4
        #expect(abs(m.fundsRate! - 11.4 / 153) < 1e-12)
        #expect(m.sizeClasses == [1: 4, 5: 3, 10: 2, 50: 1, 100: 1])  // 25, 6, 120, 2
    }

    @Test("per chain, per 责任单位 and per quarter of signing")
    func groups() {
        let ledger = LedgerAnalysis(Self.ledger, asOf: Self.day("2026-09-30"))
        #expect(ledger.byChain.map(\.chain) == ["nev-battery", "auto-parts", ""])
        #expect(ledger.byChain.map(\.measures.signed) == [3, 1, 0])
        #expect(ledger.byOwner.map(\.owner) == ["经开区", "高新区"])
        let zone = ledger.byOwner[0].measures, park = ledger.byOwner[1].measures
        #expect((zone.signed, zone.started, zone.agreedInvest) == (2, 2, 145))  // P1, P3
        #expect((park.signed, park.due, park.fulfilled) == (2, 2, 1))  // P2, P7
        #expect(park.fulfilmentRate == 0.5)
        #expect(ledger.byQuarter.map(\.quarter) == ["2025Q2", "2026Q1", "2026Q2"])
        #expect(ledger.byQuarter.map(\.measures.signed) == [1, 2, 1])  // P7; P1, P2; P3
    }

    @Test("nothing due: the 履约率 is undefined, never a division by zero; an empty ledger has no rates")
    func undefinedRates() {
        let early = ProjectMeasures(Self.ledger, asOf: Self.day("2025-08-01"))
        #expect(early.signed == 1)  // P7 only
        #expect(early.due == 0)
        #expect(early.fulfilmentRate == nil)
        #expect(early.startRate == 0)
        let empty = ProjectMeasures([], asOf: Self.day("2026-09-30"))
        #expect(empty.startRate == nil && empty.productionRate == nil && empty.fundsRate == nil && empty.fulfilmentRate == nil)
    }

    @Test("alerts: signed 227 days ago and not started, a promised start 92 days past, 20 % in place after a year")
    func alerts() {
        let alerts = LedgerAnalysis(Self.ledger, asOf: Self.day("2026-09-30")).alerts
        #expect(alerts.map { "\($0.project.name) \($0.kind) \($0.reason)" } == [
            "P2 notStarted 签约已 227 天未开工",
            "P2 startOverdue 约定开工日期 2026-06-30 已过 92 天，尚未开工",
            "P7 fundsBehind 签约满一年，资金到位率 20.0%，低于 30.0%",
        ])
        var strict = ProjectAlertRules()
        strict.startWithinDays = 300
        #expect(!strict.alerts(Self.ledger, asOf: Self.day("2026-09-30")).contains { $0.kind == .notStarted })
    }

    @Test("a date's parts are split at the scalars that equal - / . 年 月 as characters")
    func dateSeparators() {
        // The lookup against the Character comparison it replaced, on every character of
        // the first three planes (it fails without U+F98E, which Swift takes as 年).
        let separators: [Character] = ["-", "/", ".", "年", "月"]
        var differing: [UInt32] = []
        for value in UInt32(0)...0x2FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if separators.contains(Character(scalar)) != CalendarDay.isDateSeparator(scalar) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(5).map { String($0, radix: 16) })")
        #expect(CalendarDay(parsing: "2026\u{F98E}3月15日") == CalendarDay(year: 2026, month: 3, day: 15))
        // A separator with a mark on it splits, and the part after it is no number.
        for text in ["2026-\u{301}03-15", "2026\u{600}-03-15", "2026年\u{FE00}3月15日"] {
            #expect(CalendarDay(parsing: text) == nil, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("dates as ledgers write them; impossible dates are none; day arithmetic across leap years")
    func dates() {
        let expected = CalendarDay(year: 2026, month: 3, day: 15)
        for text in ["2026-03-15", "2026/3/15", "2026年3月15日", "2026.3.15", "20260315", " 2026-3-15 "] {
            #expect(CalendarDay(parsing: text) == expected, "\(text)")
        }
        for text in ["2026-02-29", "2025-13-01", "26-3-15", "2026-03", "abc", "", "2026-03-15x", "0000-01-01"] {
            #expect(CalendarDay(parsing: text) == nil, "\(text)")
        }
        #expect(CalendarDay(parsing: "2024-02-29") != nil)
        // Spaces and tabs around a date are dropped as Foundation's `.whitespaces` drops
        // them (every space separator, the tab, the zero-width space), and nothing else
        // is: a line break, a byte-order mark or a combining mark keeps the date from
        // parsing.
        let spaces = (0...0x3000).compactMap(Unicode.Scalar.init).filter { $0.properties.generalCategory == .spaceSeparator }
        #expect(spaces.count == 17)
        for space in spaces.map(String.init) + ["\t", "\u{200B}", "\t \u{3000}"] {
            #expect(space.trimmingCharacters(in: .whitespaces).isEmpty)
            #expect(CalendarDay(parsing: space + "2026-03-15" + space) == expected, "\(space.unicodeScalars.map(\.value))")
            #expect(CalendarDay(parsing: space) == nil)
        }
        for junk in ["\n", "\r", "\u{FEFF}", "\u{0301}", "\u{85}"] {
            #expect(CalendarDay(parsing: junk + "2026-03-15") == nil, "\(junk.unicodeScalars.map(\.value))")
            #expect(CalendarDay(parsing: "2026-03-15" + junk) == nil, "\(junk.unicodeScalars.map(\.value))")
            #expect(("2026-03-15" + junk).trimmingCharacters(in: .whitespaces) != "2026-03-15")
        }
        #expect(Self.day("2024-02-28").adding(days: 1) == Self.day("2024-02-29"))
        #expect(Self.day("2024-01-01").adding(days: 366) == Self.day("2025-01-01"))
        #expect(Self.day("2026-09-30").ordinal - Self.day("2025-06-01").ordinal == 486)
        #expect(Self.day("1970-01-01").ordinal == 0)
        #expect(Self.day("2026-12-31").yearElapsed == 1)
        #expect(Self.day("2026-07-02").yearElapsed == 183.0 / 365.0)
        #expect(Self.day("2026-08-01").quarter == 3)
        #expect(Self.day("2026-08-01").description == "2026-08-01")
    }
}

/// Issue 17: targets and their flags, worked by hand on the same ledger as of 2026-09-30,
/// when 273 of 365 days (74.8 %) of the year have passed.
@Suite("Project ledger targets")
struct ProjectTargetsTests {
    static func progress(_ targets: ProjectTargets, asOf: String = "2026-09-30") -> [String: TargetProgress] {
        let day = ProjectMeasuresTests.day(asOf)
        let rows = TargetProgress.all(LedgerAnalysis(ProjectMeasuresTests.ledger, asOf: day), targets: targets)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.label, $0) })
    }

    @Test("counts and amounts against the pro-rata target, rates against the target, within 10 points 滞后")
    func flags() {
        var targets = ProjectTargets()
        targets.values = [.signed: 8, .agreedInvest: 300, .fundsInPlace: 16, .startRate: 0.8, .fulfilmentRate: 0.6, .productionRate: 0.4]
        targets.sizeClasses = [5: 4]
        let p = Self.progress(targets)
        // A year's target counts that year's signings: P7 (2025) is left out, so 3 of 8.
        #expect(p["签约项目"]?.actual == 3)
        #expect(p["签约项目"]?.flag == .lagging)  // 3/8 = 37.5 % done, 74.8 % due
        #expect(abs(p["签约项目"]!.due - 8 * 273.0 / 365) < 1e-9)
        #expect(p["协议引资"]?.actual == 151)  // 25 + 6 + 120, signed in 2026
        #expect(p["协议引资"]?.flag == .lagging)  // 151/300 = 50.3 %
        #expect(p["到位资金"]?.actual == 11.4)  // undated: every signed project, P7 too
        #expect(p["到位资金"]?.flag == .behind)  // 11.4/16 = 71.3 %, 3.5 points short
        #expect(p["开工率"]?.flag == .behind)  // 75 % against 80 %
        #expect(p["履约率"]?.flag == .met)  // 66.7 % against 60 %
        #expect(p["投产率"]?.flag == .lagging)  // 25 % against 40 %
        #expect(p["≥5亿元项目"]?.flag == .met)  // 3 of 4 = 75 % ≥ 74.8 %
        #expect(p["签约项目"]?.completion == 0.375)
    }

    @Test("quarterly milestones: what is due is interpolated in the quarter the day is in")
    func quarters() {
        var targets = ProjectTargets()
        targets.values = [.signed: 8]
        targets.quarters = [2: [.signed: 3], 3: [.signed: 6]]
        #expect(Self.progress(targets)["签约项目"]?.due == 6)  // the end of Q3
        #expect(Self.progress(targets)["签约项目"]?.flag == .lagging)  // 37.5 % done, 75 % due
        let august = Self.progress(targets, asOf: "2026-08-15")["签约项目"]!
        #expect(august.due == 4.5)  // 3 + (6 − 3) × 46/92
        #expect(august.flag == .lagging)  // 3 of 8 done, 4.5 due: 18.75 points short
        let july = Self.progress(targets, asOf: "2026-07-20")["签约项目"]!
        #expect(abs(july.due - (3 + 3 * 20.0 / 92)) < 1e-9)
        #expect(july.flag == .behind)  // 3 of 8 done, 3.65 due: 8.2 points short
    }

    @Test("a targets file: the plan's words or English keys, rates as 90% or 0.9; every problem located")
    func loading() throws {
        let directory = try TestScratch.directory("targets")
        let good = directory.appendingPathComponent("good.yaml").path
        try Data("year: 2026\ntargets:\n  签约项目: 30\n  agreed-invest: 500亿\n  履约率: 90%\n  start-rate: 0.7\n  规模档次: {5: 10, 100: 1}\n  季度:\n    Q1: {签约项目: 6}\n".utf8)
            .write(to: URL(fileURLWithPath: good))
        let loaded = ProjectTargetsLoader().load(path: good)
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let targets = try #require(loaded.targets)
        #expect(targets.year == 2026)
        #expect(targets.values == [.signed: 30, .agreedInvest: 500, .fulfilmentRate: 0.9, .startRate: 0.7])
        #expect(targets.sizeClasses == [5: 10, 100: 1])
        #expect(targets.quarters == [1: [.signed: 6]])
        let bad = directory.appendingPathComponent("bad.yaml").path
        try Data("targets:\n  签约数: 30\n  履约率: 120%\n  签约项目: 三十\n  规模档次: {7: 1}\n".utf8).write(to: URL(fileURLWithPath: bad))
        let failed = ProjectTargetsLoader().load(path: bad)
        #expect(failed.targets == nil)
        #expect(failed.diagnostics.map(\.description) == [
            "\(bad):2:3: error: unknown key '签约数' in targets; known keys are signed, 签约项目, agreed-invest, 协议引资, funds-in-place, 到位资金, fulfilment-rate, 履约率, start-rate, 开工率, production-rate, 投产率, funds-rate, 资金到位率, size-classes, 规模档次, quarters, 季度",
            "\(bad):3:8: error: '履约率' must be between 0 and 100%, got '120%'",
            "\(bad):4:9: error: '签约项目' must be a whole number of projects, got '三十'",
            "\(bad):5:10: error: unknown key '7' in size-classes; known keys are 1, 5, 10, 50, 100",
        ])
    }
}
