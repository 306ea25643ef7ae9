import Foundation

/// The weights of the lead score (docs/matching.md, "The score"). Every weight is in
/// points; the defaults put a perfect fit to the most urgent gap at 60 and all bonuses
/// together at most 51.
public struct LeadScoring: Sendable, Hashable {
    /// Points for each tier of the model's table (``TierTable/standard``), most specific
    /// tiers first as the table orders them.
    public static let defaultTierPoints: [String: Double] = [
        "世界500强": 15, "民营500强": 10, "中国500强": 12, "央企": 12, "国企": 5, "上市公司": 8,
        "外资企业": 6, "独角兽": 8, "隐形冠军": 7, "专精特新": 6, "高新技术企业": 3,
    ]

    /// Points for a perfect fit (strength 1) to the gap of highest priority.
    public var fitPoints: Double = 60
    /// Share of a further matched gap's fit that adds to the best one's.
    public var furtherLinkShare: Double = 0.2
    /// The tiers a lead's tags are sorted into: the model's table, and any tier added by
    /// ``setTierPoints(_:_:)``.
    public var tiers: TierTable = .standard
    /// Points for a lead carrying a tier, by the tier's name; a tier without points
    /// scores nothing.
    public var tierPoints: [String: Double] = LeadScoring.defaultTierPoints
    /// Share of each further tier's points that adds to the best tier's.
    public var furtherTierShare: Double = 0.3
    /// Cap on tier points.
    public var tierCap: Double = 20
    /// Points per tenfold of registered capital (亿元): `capitalPoints × log10(1 + capital)`.
    public var capitalPoints: Double = 2.5
    /// Points per tenfold of intended investment (亿元): `investPoints × log10(1 + invest)`.
    public var investPoints: Double = 4
    /// Cap on size points.
    public var sizeCap: Double = 10
    /// Points for already supplying or buying from a local enterprise, by its role.
    public var partnerPoints: [Enterprise.Role: Double] = [.leader: 10, .champion: 8, .supporter: 4]
    /// Target regions (粤港澳, 长三角, 京津冀), provinces or cities (深圳, 苏州), in order
    /// of preference (``Regions/place(named:)``). A city counts for a lead whose city
    /// column (所属城市) names it.
    public var preferredRegions: [String] = []
    /// Provinces whose enterprises are left out (`--exclude-province 重庆`), by name.
    public var excludedProvinces: [String] = []
    /// Whether the enterprises of the chain's own province are left out
    /// (`--outside-only`): the province its `region:` names.
    public var outsideOnly = false
    /// Whether covered, strong links are targets too (`--include-covered`, 招大引强): a
    /// lead matching one gets ``coveredLinkShare`` of the top gap's fit.
    public var includeCovered = false
    /// The share of the most urgent gap's priority that a covered, strong link counts for
    /// under ``includeCovered``.
    public var coveredLinkShare = 0.3
    /// Points for a lead in the first preferred region; each later region gets 15 % less,
    /// down to 40 %.
    public var regionPoints: Double = 6
    /// Points for a lead at 投产; earlier stages get their share (线索 0, 接洽 1/5 … 投产 5/5).
    public var statusPoints: Double = 5

    public init() {}

    /// Sets the points of a tier, adding a tier matched by its name when there is none.
    public mutating func setTierPoints(_ name: String, _ points: Double) {
        tiers = tiers.adding(name)
        tierPoints[name] = points
    }

    /// The upper bound of the score with these weights.
    public var maximum: Double {
        fitPoints + tierCap + sizeCap + (partnerPoints.values.max() ?? 0) + regionPoints + statusPoints
    }
}

/// The parts of a lead's score, in points.
public struct ScorePoints: Hashable, Sendable {
    /// Fit to the gaps and weak links it matches.
    public var fit: Double = 0
    /// Tier tags (上市公司, 专精特新 …).
    public var tiers: Double = 0
    /// Registered capital and intended investment.
    public var size: Double = 0
    /// Supplying or buying from a local enterprise (以商引商).
    public var partner: Double = 0
    /// Being in a preferred region.
    public var region: Double = 0
    /// The project stage.
    public var status: Double = 0

    /// Everything but the fit.
    public var bonus: Double { tiers + size + partner + region + status }
    /// The score.
    public var total: Double { fit + bonus }
}

/// A lead recommended for one or more gaps or weak links, with its score and the reasons.
public struct Recommendation: Sendable {
    /// The lead as read.
    public var lead: Lead
    /// The gaps and weak links it matches, best first (priority × strength).
    public var matches: [LinkMatch]
    /// The score (``ScorePoints/total``); larger is better.
    public var score: Double { points.total }
    /// The parts of the score.
    public var points: ScorePoints
    /// Plain-Chinese reasons, each ending with the points it adds.
    public var reasons: [String]
    /// The position of the lead's source among the sources screened (0 = the chain file's
    /// own leads when included), for stable ordering.
    public var sourceIndex: Int
    /// The other rows of the same enterprise merged into this one, in the order read
    /// (``LeadScorer/merging(_:_:)``); the lead's own row is `lead.location`.
    public var mergedRows: [FileLocation] = []

    /// The ``LeadValues/nameHash(_:)`` of the lead's name: its identity when rows of one
    /// enterprise are merged (set when a screening takes it).
    var nameHash: UInt64 = 0
    /// Whether ``reasons`` are still to be written (``LeadScorer/withReasons(_:)``): a
    /// screening scores every matching row but words the reasons only of those it keeps.
    var reasonsPending = false

    /// Every row the recommendation rests on, in file order.
    public var rows: [FileLocation] {
        mergedRows.isEmpty ? [lead.location] : ([lead.location] + mergedRows).sorted(by: Self.inRowOrder)
    }

    /// The order of ``rows``: by file, then line (rows of two sheets at one line keep the
    /// order they are given in).
    static func inRowOrder(_ a: FileLocation, _ b: FileLocation) -> Bool {
        (a.file, a.line) < (b.file, b.line)
    }

    /// The strength of its match to a link, 0 when it does not match it.
    public func strength(for link: LinkRef) -> Double {
        matches.first { $0.link == link }?.strength ?? 0
    }

    /// The links it matches, best first.
    public var links: [LinkRef] { matches.map(\.link) }

    /// Its match to a link, if any.
    public func match(for link: LinkRef) -> LinkMatch? { matches.first { $0.link == link } }

    /// The evidence of its match to a link in words (at most `limit` keywords per text):
    /// "线索已指明该环节；国标行业 C2661 与环节代码一致"; nil when it does not match it.
    public func evidenceText(for link: LinkRef, limit: Int = 4) -> String? {
        match(for: link).map { LeadScorer.describe($0.evidence, limit: limit) }
    }

    /// Its rank key within one gap: the fit that link alone would give, plus every bonus.
    public func score(for link: LinkRef, scoring: LeadScoring) -> Double {
        Self.score(strength: strength(for: link), points: points, scoring: scoring)
    }

    /// ``score(for:scoring:)`` for a match of this strength and these points.
    static func score(strength: Double, points: ScorePoints, scoring: LeadScoring) -> Double {
        scoring.fitPoints * strength + points.bonus
    }
}

/// Scores leads against a chain's gaps and weak links. A class: every matching row reaches it
/// for each chain, and copying a struct of its size retained each of its parts each time.
public final class LeadScorer: Sendable {
    /// What becomes of a lead.
    public enum Verdict: Sendable {
        case recommended(Recommendation)
        /// Already a local enterprise (same name).
        case local(Enterprise)
        /// Matches no gap or weak link: only the covered links given.
        case noTarget([LinkRef])
        /// In a province left out (`--exclude-province`, `--outside-only`).
        case excludedProvince(String)
    }

    /// The gap analysis whose gaps and weak links count.
    public let analysis: GapAnalysis
    /// The weights.
    public let scoring: LeadScoring
    /// Gap/weak-link priority over the highest, indexed like the chain's links; nil for
    /// strong covered links.
    let normalizedPriority: [Double?]
    /// For each tier of ``LeadScoring/tiers`` (by index): the first tier of the same name,
    /// which a lead's tags count once, and its points, looked up once here rather than by
    /// name for every tag of every row.
    let tierFirst: [Int]
    let tierPointsByTier: [Double]
    /// For each link, the words that every fit reason to it starts with (its kind, name
    /// and priority, up to 匹配度), as UTF-8 in one block:
    /// `fitPrefix[fitPrefixStart[i] ..< fitPrefixStart[i + 1]]`.
    let fitPrefix: [UInt8]
    let fitPrefixStart: [Int]
    /// The tier of each tag seen so far (``TierTable/tier(of:)``): an export repeats a few
    /// dozen tags, and matching a tag against every tier's words took longer than the rest
    /// of the score.
    let tierCache = BoundedMemo<TextKey, Int?>()
    /// Local enterprises by ``LeadValues/nameKey(_:)``.
    let localByName: [String: Enterprise]
    /// The ``LeadValues/hash(ofKey:)`` of each local key's canonical decomposition: what
    /// lets ``local(byKey:)`` skip most lookups without hashing a `String` (which
    /// normalises it: 3,200 instructions a lookup).
    let localKeyHashes: Set<UInt64>
    /// Local enterprises whose names are long enough to be found inside a partner text.
    let localNames: [(key: String, enterprise: Enterprise)]
    /// Preferred provinces → (rank, region name).
    let preferredProvinces: [String: (rank: Int, region: String)]
    /// Preferred cities, with their rank.
    let preferredCities: [(rank: Int, city: Regions.City)]
    /// Provinces left out.
    let excludedProvinces: Set<String>

    /// Prepares the scorer. Throws when a preferred region names no region or province.
    public init(analysis: GapAnalysis, scoring: LeadScoring = LeadScoring()) throws(DiagnosticError) {
        self.analysis = analysis
        self.scoring = scoring
        let top = analysis.entries.map(\.priority).max() ?? 1
        var priorities = [Double?](repeating: nil, count: analysis.chain.links.count)
        for entry in analysis.entries {
            priorities[entry.link.index] = top > 0 ? max(0, entry.priority) / top : 1
        }
        if scoring.includeCovered {
            for ref in analysis.chain.linkRefs where priorities[ref.index] == nil { priorities[ref.index] = scoring.coveredLinkShare }
        }
        normalizedPriority = priorities
        let tierNames = scoring.tiers.tiers.map(\.name)
        tierFirst = tierNames.map { name in tierNames.firstIndex(of: name)! }
        tierPointsByTier = tierNames.map { scoring.tierPoints[$0] ?? 0 }
        var priorityText = [String](repeating: "-", count: analysis.chain.links.count)
        // One decimal always, as the gaps table prints it: 57.0 beside 68.1, not 57.
        for entry in analysis.entries { priorityText[entry.link.index] = NumberText.tenths(entry.priority) }
        var fitPrefix: [UInt8] = []
        var fitPrefixStart = [0]
        for (index, link) in analysis.chain.links.enumerated() {
            let status = analysis.statuses[index]
            fitPrefix += (status == .covered ? "招大引强（\(status.condition)）" : "\(status.label)（\(status.condition)）").utf8
            fitPrefix += "「".utf8
            fitPrefix += link.name.utf8
            fitPrefix += "」".utf8
            // A covered link (招大引强) has no priority of its own.
            if status != .covered {
                fitPrefix += "，优先级 ".utf8
                fitPrefix += priorityText[index].utf8
            }
            fitPrefix += "，匹配度 ".utf8
            fitPrefixStart.append(fitPrefix.count)
        }
        self.fitPrefix = fitPrefix
        self.fitPrefixStart = fitPrefixStart

        var byName: [String: Enterprise] = [:]
        for enterprise in analysis.chain.enterprises {
            let key = LeadValues.nameKey(enterprise.name)
            if let known = byName[key], known.role.isAnchor || !enterprise.role.isAnchor { continue }
            byName[key] = enterprise
        }
        localByName = byName
        localKeyHashes = Set(byName.keys.map { LeadValues.hash(ofKey: $0.decomposedStringWithCanonicalMapping) })
        localNames = byName.filter { $0.key.count >= 4 }
            .sorted { ($0.value.role.isAnchor ? 0 : 1, -$0.key.count, $0.key) < ($1.value.role.isAnchor ? 0 : 1, -$1.key.count, $1.key) }
            .map { (key: $0.key, enterprise: $0.value) }

        var preferred: [String: (Int, String)] = [:]
        var cities: [(rank: Int, city: Regions.City)] = []
        var problems: [Diagnostic] = []
        func unknown(_ name: String, _ what: String) -> Diagnostic {
            let known = Regions.regions.map(\.name)
            var message = "'\(name)' is not \(what); name one of \(Regions.namesHelp)"
            if let suggestion = Suggestion.closest(to: name, in: known + Regions.provinces + Regions.cities.map(\.shortName)),
               suggestion != LeadColumns.trimmed(name) {
                message += "; did you mean '\(suggestion)'?"
            }
            return .error(.option, message)
        }
        for (rank, name) in scoring.preferredRegions.enumerated() {
            switch Regions.place(named: name) {
            case .region(_, let provinces)?:
                for province in provinces where preferred[province] == nil {
                    preferred[province] = (rank, LeadColumns.trimmed(name))
                }
            case .province(let province)?:
                if preferred[province] == nil { preferred[province] = (rank, province) }
            case .city(let city)?:
                cities.append((rank, city))
            case nil:
                problems.append(unknown(name, "a region, province or city"))
            }
        }
        var excluded = Set<String>()
        for name in scoring.excludedProvinces {
            switch Regions.place(named: name) {
            case .province(let province)?: excluded.insert(province)
            case .region(_, let provinces)?: excluded.formUnion(provinces)
            case .city(let city)?:
                problems.append(.error(
                    .option,
                    "'\(name)' is a city (in \(city.province)); --exclude-province takes provinces and regions, such as \(city.province) or 长三角"))
            case nil: problems.append(unknown(name, "a province or region"))
            }
        }
        if scoring.outsideOnly {
            if let region = analysis.chain.region, let province = Regions.province(ofRegion: region) {
                excluded.insert(province)
            } else {
                problems.append(.error(.option, "--outside-only needs the chain's province, but its region '\(analysis.chain.region ?? "")' (\(analysis.chain.file)) names none; name the province with --exclude-province"))
            }
        }
        if !problems.isEmpty { throw DiagnosticError(problems) }
        preferredProvinces = preferred.mapValues { (rank: $0.0, region: $0.1) }
        preferredCities = cities
        excludedProvinces = excluded
    }

    var chain: Chain { analysis.chain }

    /// The local enterprise a lead already is, if any.
    public func localEnterprise(named name: String) -> Enterprise? {
        local(byKey: LeadValues.nameKey(name))
    }

    /// The local enterprise of a ``LeadValues/nameKey(_:)``. A key made only of characters
    /// that no normalisation changes (ASCII, CJK Unified Ideographs) is canonically
    /// equivalent to no other text: a local key matches it only if the local key's
    /// decomposition is the same bytes, so a key whose hash is not among those of the
    /// decompositions has no match, and the `String` lookup is skipped.
    func local(byKey key: String) -> Enterprise? {
        local(byKey: LeadValues.NameKey(key: key))
    }

    /// ``local(byKey:)`` of a key worked out once for every chain.
    func local(byKey key: LeadValues.NameKey) -> Enterprise? {
        if key.isKnownNotLocal || key.isNormalizationInert && !localKeyHashes.contains(key.hash) { return nil }
        return localByName[key.text]
    }

    /// Whether the text is ASCII and characters U+4000–U+9FFF only (UTF-8 lead bytes
    /// E4–E9), which have no decomposition and compose with nothing.
    static func isNormalizationInert(_ text: String) -> Bool {
        text.withUTF8Bytes(isNormalizationInert(bytes:))
    }

    /// ``isNormalizationInert(_:)`` of a text given as its UTF-8 bytes (valid).
    static func isNormalizationInert(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1 } else if b >= 0xE4 && b <= 0xE9 { i += 3 } else { return false }
        }
        return true
    }

    /// Why a lead is left out before its matches count: it is a local enterprise, or in
    /// a province left out; nil when neither.
    /// The name is read only without `nameKey`.
    func exclusion(name: @autoclosure () -> String, province: String?, nameKey: LeadValues.NameKey? = nil) -> Verdict? {
        if let local = nameKey.map({ local(byKey: $0) }) ?? localEnterprise(named: name()) { return .local(local) }
        if !excludedProvinces.isEmpty, let province = province.flatMap(Regions.province(in:)),
           excludedProvinces.contains(province) {
            return .excludedProvince(province)
        }
        return nil
    }

    /// The verdict on a lead none of whose matches is a gap or weak link, which
    /// ``evaluate(_:matches:sourceIndex:)`` would give, from its name and province alone.
    /// The name is read only without `nameKey`. Without `naming`, a ``Verdict/noTarget(_:)``
    /// names no link: its links are read only for the reason a lead is left out, and a
    /// screening that keeps none asks at every such row, for each chain it matches.
    func verdict(
        name: @autoclosure () -> String, province: String?, nameKey: LeadValues.NameKey? = nil, untargeted matches: [LinkMatch],
        naming: Bool = true
    ) -> Verdict {
        exclusion(name: name(), province: province, nameKey: nameKey) ?? .noTarget(naming ? matches.map(\.link) : [])
    }

    /// The gaps and weak links among a lead's matches, strongest evidence first (among
    /// equally strong matches, the more urgent link), each with priority × strength, and
    /// the fit points each adds: the link of highest priority × strength in full, plus a
    /// share of each further one, capped at a perfect fit. Nil when none is a target.
    func fit(of matches: [LinkMatch]) -> (targets: [(LinkMatch, Double)], parts: [Double])? {
        // Two arrays, each made once: every matching row is scored for each chain it
        // matches, and filtering, sorting and mapping made four.
        var targets: [(LinkMatch, Double)] = []
        for match in matches {
            guard let priority = normalizedPriority[match.link.index] else { continue }
            if targets.isEmpty { targets.reserveCapacity(matches.count) }
            targets.append((match, priority * match.strength))
        }
        guard !targets.isEmpty else { return nil }
        if targets.count > 1 {
            targets.sort { a, b in
                if a.0.strength != b.0.strength { return a.0.strength > b.0.strength }
                if a.1 != b.1 { return a.1 > b.1 }
                return a.0.link < b.0.link
            }
        }
        var best = 0
        for i in targets.indices.dropFirst() where targets[i].1 > targets[best].1 { best = i }
        var parts = [Double](repeating: 0, count: targets.count)
        var sum = 0.0
        for i in targets.indices {
            parts[i] = i == best ? targets[i].1 : scoring.furtherLinkShare * targets[i].1
            sum += parts[i]
        }
        if sum > 1, parts.count > 1 {
            let further = sum - parts[best]
            let room = max(0, 1 - parts[best])
            for i in parts.indices where i != best { parts[i] *= room / further }
        }
        for i in parts.indices { parts[i] = scoring.fitPoints * min(1, parts[i]) }
        return (targets, parts)
    }

    /// Whether a link is a gap or a weak link.
    public func isTarget(_ link: LinkRef) -> Bool { normalizedPriority[link.index] != nil }

    /// Scores a lead given its matches (from ``LeadMatcher/match(_:)``).
    public func evaluate(_ lead: Lead, matches: [LinkMatch], sourceIndex: Int = 0) -> Verdict {
        evaluate(lead, matches: matches, sourceIndex: sourceIndex, reasons: true)
    }

    /// A recommendation with its reasons worded, if they were left for later
    /// (``evaluate(_:matches:sourceIndex:reasons:)`` with `reasons: false`): the lead and
    /// its matches scored again, the same way, this time in words.
    func withReasons(_ recommendation: Recommendation) -> Recommendation {
        var worded = recommendation
        if let reasons = pendingReasons(of: recommendation) {
            worded.reasons = reasons
            worded.reasonsPending = false
        }
        return worded
    }

    /// Hands each reason of a recommendation whose reasons are still to be written to
    /// `emit`, as UTF-8, in order: ``pendingReasons(of:)`` without making strings.
    func wordPendingReasons(of recommendation: borrowing Recommendation, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard recommendation.reasonsPending,
              case .scored(let score) = scoreNotExcluded(recommendation.lead, matches: recommendation.matches) else { return }
        _ = withoutActuallyEscaping(emit) { word(score, of: recommendation.lead, emit: $0) }
    }

    /// The reasons of a recommendation whose reasons are still to be written, in words
    /// (the lead and its matches scored again, the same way); nil when it has them.
    func pendingReasons(of recommendation: borrowing Recommendation) -> [String]? {
        guard recommendation.reasonsPending else { return nil }
        guard case .scored(let score) = scoreNotExcluded(recommendation.lead, matches: recommendation.matches) else { return [] }
        return word(score, of: recommendation.lead, emit: nil)
    }

    /// What a lead's score rests on, beyond its fit: the parts the reasons word.
    struct Score {
        /// The gaps and weak links it matches, with priority × strength (``fit(of:)``).
        var targets: [(LinkMatch, Double)]
        /// The fit points each target adds.
        var parts: [Double]
        var points = ScorePoints()
        /// Tier tags found (tier, points), best first.
        var tiers: [(tier: Int, points: Double)] = []
        var capital: Double?
        var invest: Double?
        /// The local enterprise it supplies or buys from.
        var partner: Enterprise?
        /// A preferred place: its rank and its words.
        var place: (rank: Int, words: String)?
    }

    /// The tier a tag counts in (its first name's, when a tier is named twice), if any.
    func tier(of tag: String) -> Int? {
        tierCache.value(for: TextKey(tag), { scoring.tiers.tier(of: tag) }).map { tierFirst[$0] }
    }

    /// The first tag of each tier among `tags`, in order: all that the score reads of a
    /// lead's tags (the tiers they count in). A fold of many rows of one enterprise scores
    /// with these, not with every row's tags joined (``LeadScreener``'s merge of repeats).
    func tierTags(_ tags: [String]) -> [String] {
        var tiers: [Int] = []
        var kept: [String] = []
        for tag in tags {
            guard let tier = tier(of: tag), !tiers.contains(tier) else { continue }
            tiers.append(tier)
            kept.append(tag)
        }
        return kept
    }

    /// Scores a lead without wording it: its ``Score``, or the verdict when it is left out
    /// (a local enterprise, a province left out) or matches no gap or weak link. What
    /// ``evaluate(_:matches:sourceIndex:reasons:nameKey:emit:)`` recommends, it scores
    /// through this, so that a screening can judge a row against its floors (``ScoreFloor``)
    /// without building the recommendation.
    func score(_ lead: Lead, matches: [LinkMatch], nameKey: LeadValues.NameKey? = nil) -> Scored {
        if let excluded = exclusion(name: lead.name, province: lead.province, nameKey: nameKey) { return .verdict(excluded) }
        return scoreNotExcluded(lead, matches: matches)
    }

    /// ``score(_:matches:nameKey:)`` of a lead known not to be left out: one this scorer
    /// recommended, scored again to word its reasons (``wordPendingReasons(of:_:)``).
    /// Its name and province are those it was recommended with (a merge of rows keeps
    /// one of theirs and is recommended itself), and they are all that leaves a lead out;
    /// the name's key cost a tenth of writing a recommendation again.
    func scoreNotExcluded(_ lead: Lead, matches: [LinkMatch]) -> Scored {
        guard let (targets, parts) = fit(of: matches) else { return .verdict(.noTarget(matches.map(\.link))) }
        var score = Score(targets: targets, parts: parts)
        score.points.fit = parts.reduce(0, +)

        // Tiers.
        for tag in lead.tags {
            guard let tier = tier(of: tag) else { continue }
            guard !score.tiers.contains(where: { $0.tier == tier }) else { continue }
            score.tiers.append((tier, tierPointsByTier[tier]))
        }
        if !score.tiers.isEmpty {
            score.tiers.sort { $0.1 > $1.1 }
            score.points.tiers = min(
                scoring.tierCap, score.tiers[0].1 + scoring.furtherTierShare * score.tiers.dropFirst().reduce(0) { $0 + $1.1 })
        }

        // Size.
        score.capital = lead.capital.flatMap { $0 > 0 ? $0 : nil }
        score.invest = lead.invest.flatMap { $0 > 0 ? $0 : nil }
        score.points.size = sizePoints(capital: score.capital, invest: score.invest)

        // 以商引商.
        if let partnerText = lead.partner, let partner = partner(in: partnerText) {
            score.partner = partner
            score.points.partner = scoring.partnerPoints[partner.role] ?? 0
        }

        // Region: a preferred city (by the city column, or a province column that names
        // the city), else a preferred province or region; the better rank wins.
        var place: (rank: Int, words: String)?
        if !preferredCities.isEmpty {
            let cityText = [lead.city, lead.province].compactMap { $0 }.joined(separator: " ")
            if let city = preferredCities.first(where: { $0.city.isNamed(in: cityText) }) {
                place = (city.rank, "\(city.city.shortName)（\(city.city.province)）")
            }
        }
        if !preferredProvinces.isEmpty, let provinceText = lead.province, let province = Regions.area(in: provinceText),
           let preference = preferredProvinces[province], place == nil || preference.rank < place!.rank {
            place = (preference.rank, province + (preference.region == province ? "" : "（\(preference.region)）"))
        }
        if let place {
            score.place = place
            score.points.region = scoring.regionPoints * max(0.4, 1 - 0.15 * Double(place.rank))
        }

        // Project stage.
        if let status = lead.status, let index = Lead.Status.allCases.firstIndex(of: status), index > 0 {
            score.points.status = scoring.statusPoints * Double(index) / Double(Lead.Status.allCases.count - 1)
        }
        // Moved out, not copied (a retain of each part, the local released after): the
        // compiler copies `score` itself.
        var result = Score(targets: [], parts: [])
        swap(&result, &score)
        return .scored(result)
    }

    /// The size points of a registered capital and an intended investment (亿元, each
    /// nil unless positive).
    func sizePoints(capital: Double?, invest: Double?) -> Double {
        var size = 0.0
        if let capital { size += scoring.capitalPoints * log10(1 + capital) }
        if let invest { size += scoring.investPoints * log10(1 + invest) }
        return min(scoring.sizeCap, size)
    }

    /// Whether a lead not left out (``exclusion(name:province:nameKey:)``) and without a
    /// project stage, with these matches, must score below `floor`
    /// (``ScoreFloor/excludes(_:scoring:)``): what lets a screening pass over most rows of
    /// a capped run without building their ``Score`` (its arrays, sorted; the struct
    /// moved out) only to compare it.
    ///
    /// A bound, not the score: the fit before its cap (the best target's priority ×
    /// strength in full, a share of each other's), the tiers' points the same way, the
    /// size as scored, the partner's and the place's points at their caps when the lead
    /// names a partner or a place is preferred; with a margin far above the rounding of
    /// the score's own sums. A row it does not pass over is scored. False when there is
    /// no target, or the weights allow no such bound (negative points or shares).
    func mustScoreBelow(_ floor: ScoreFloor, lead: Lead, matches: [LinkMatch]) -> Bool {
        guard floor.overall > -.infinity, let tierPoints = tierBound(tags: lead.tags) else { return false }
        let bonus = bonusBound(tierBound: tierPoints, capital: lead.capital, invest: lead.invest, partner: lead.partner != nil)
        return mustScoreBelow(floor, matches: matches, bonus: bonus)
    }

    /// The part of the bound of ``mustScoreBelow(_:lead:matches:)`` that the chain does not
    /// change: the most a lead with these amounts and partner, whose tags add
    /// `tierPoints` (``tierBound(tags:)``), gains from its tiers, its size and its partner.
    /// Every chain scored with the same ``scoring`` gives the same, so a row screened for
    /// several chains works it out once.
    func bonusBound(tierBound tierPoints: Double, capital: Double?, invest: Double?, partner: Bool) -> Double {
        let size = sizePoints(capital: capital.flatMap { $0 > 0 ? $0 : nil }, invest: invest.flatMap { $0 > 0 ? $0 : nil })
        let partner = partner ? max(0, scoring.partnerPoints.values.max() ?? 0) : 0
        return tierPoints + size + partner
    }

    /// The part of the bound of ``mustScoreBelow(_:lead:matches:)`` that a lead's tags add:
    /// its tier points (rows with the same tags cell share them). Nil when the weights
    /// allow no bound (a negative share or tier's points, a 65th tier).
    func tierBound(tags: [String]) -> Double? {
        guard scoring.furtherTierShare >= 0 else { return nil }
        // The tiers: each counted once, the best in full and a share of the others.
        var seen: UInt64 = 0
        var bestTier = 0.0
        var tierSum = 0.0
        var tiers = 0
        for tag in tags {
            guard let tier = tier(of: tag) else { continue }
            guard tier < 64 else { return nil }
            guard seen & (1 << UInt64(tier)) == 0 else { continue }
            seen |= 1 << UInt64(tier)
            let points = tierPointsByTier[tier]
            guard points >= 0 else { return nil }
            bestTier = tiers == 0 ? points : max(bestTier, points)
            tierSum += points
            tiers += 1
        }
        return tiers == 0 ? 0 : min(scoring.tierCap, bestTier + scoring.furtherTierShare * max(0, tierSum - bestTier))
    }

    /// ``mustScoreBelow(_:lead:matches:)`` with the part of its bound that
    /// ``bonusBound(tierBound:capital:invest:partner:)`` gives.
    func mustScoreBelow(_ floor: ScoreFloor, matches: [LinkMatch], bonus: Double) -> Bool {
        guard floor.overall > -.infinity, scoring.fitPoints >= 0, scoring.furtherLinkShare >= 0,
              scoring.furtherTierShare >= 0 else { return false }
        var best = 0.0
        var sum = 0.0
        var targets = 0
        for match in matches {
            guard let priority = normalizedPriority[match.link.index] else { continue }
            let value = priority * match.strength
            guard value >= 0 else { return false }
            best = max(best, value)
            sum += value
            targets += 1
        }
        guard targets > 0 else { return false }
        let place = preferredCities.isEmpty && preferredProvinces.isEmpty ? 0 : max(0, scoring.regionPoints)
        let margin = 1e-6
        let bonus = bonus + place + margin
        let fit = scoring.fitPoints * min(1, best + scoring.furtherLinkShare * max(0, sum - best))
        guard fit + bonus < floor.overall else { return false }
        for match in matches where normalizedPriority[match.link.index] != nil {
            guard match.link.index < floor.perLink.count,
                  scoring.fitPoints * match.strength + bonus < floor.perLink[match.link.index] else { return false }
        }
        return true
    }

    /// What ``score(_:matches:nameKey:)`` gives.
    enum Scored {
        case scored(Score)
        /// Not recommended: left out, or matching no gap or weak link.
        case verdict(Verdict)
    }

    /// Scores a lead; with `reasons: false`, the reasons are left unwritten (the
    /// recommendation says so), for a screening that words only the recommendations it
    /// keeps: building their text was a fifth of the work on a matching row.
    func evaluate(
        _ lead: Lead, matches: [LinkMatch], sourceIndex: Int, reasons wording: Bool, nameKey: LeadValues.NameKey? = nil,
        emit: ((UnsafeBufferPointer<UInt8>) -> Void)? = nil
    ) -> Verdict {
        let score: Score
        switch self.score(lead, matches: matches, nameKey: nameKey) {
        case .verdict(let verdict): return verdict
        case .scored(let scored): score = scored
        }
        let reasons = wording ? word(score, of: lead, emit: emit) : []
        var recommendation = Recommendation(
            lead: lead, matches: score.targets.map(\.0), points: score.points, reasons: reasons, sourceIndex: sourceIndex)
        recommendation.reasonsPending = !wording
        return .recommended(recommendation)
    }

    /// The reasons of a score, in order (fit, further links, tiers, size, partner, region,
    /// stage), each ending with the points it adds: as strings, or, given `emit`, handed
    /// to it as UTF-8 (a list that writes them needs no string).
    private func word(_ score: Score, of lead: Lead, emit: ((UnsafeBufferPointer<UInt8>) -> Void)?) -> [String] {
        let points = score.points
        let targets = score.targets
        var reasons: [String] = []
        // Each reason is built as UTF-8 in `text`, then made a string once (`reason()`).
        var text: [UInt8] = []
        text.reserveCapacity(256)
        func reason() {
            if let emit {
                text.withUnsafeBufferPointer(emit)
            } else {
                reasons.append(String(decoding: text, as: UTF8.self))
            }
            text.removeAll(keepingCapacity: true)
        }
        for (i, (match, _)) in targets.prefix(3).enumerated() {
            appendFitReason(match, points: score.parts[i], to: &text)
            reason()
        }
        if targets.count > 3 {
            text += "另匹配".utf8
            for (i, (match, _)) in targets[3...].enumerated() {
                if i > 0 { text += "、".utf8 }
                text += "「".utf8
                text += chain[match.link].name.utf8
                text += "」".utf8
            }
            text.append(UInt8(ascii: " "))
            NumberText.appendSigned(score.parts[3...].reduce(0, +), to: &text)
            reason()
        }
        if !score.tiers.isEmpty && points.tiers != 0 {
            text += "企业层级：".utf8
            for (i, tier) in score.tiers.enumerated() {
                if i > 0 { text += "、".utf8 }
                text += scoring.tiers.tiers[tier.tier].name.utf8
            }
            text.append(UInt8(ascii: " "))
            NumberText.appendSigned(points.tiers, to: &text)
            reason()
        }
        if points.size > 0.05 {
            text += "规模：".utf8
            if let capital = score.capital {
                text += "注册资本 ".utf8
                NumberText.appendSignificant(capital, to: &text)
                text += " 亿元".utf8
            }
            if let invest = score.invest {
                if score.capital != nil { text += "，".utf8 }
                text += "意向投资 ".utf8
                NumberText.appendSignificant(invest, to: &text)
                text += " 亿元".utf8
            }
            text.append(UInt8(ascii: " "))
            NumberText.appendSigned(points.size, to: &text)
            reason()
        }
        if let partner = score.partner {
            let role = partner.role == .supporter ? "本地企业" : "本地\(partner.role.rawValue)"
            text += "以商引商：已与".utf8
            text += role.utf8
            text += "「".utf8
            text += partner.name.utf8
            text += "」配套或供货 ".utf8
            NumberText.appendSigned(points.partner, to: &text)
            reason()
        }
        if let place = score.place {
            text += "目标区域：位于".utf8
            text += place.words.utf8
            text += "，优先区域第 ".utf8
            NumberText.appendInteger(place.rank + 1, to: &text)
            text += " 位 ".utf8
            NumberText.appendSigned(points.region, to: &text)
            reason()
        }
        if let status = lead.status, let index = Lead.Status.allCases.firstIndex(of: status), index > 0 {
            text += "项目阶段：".utf8
            text += status.rawValue.utf8
            text.append(UInt8(ascii: " "))
            NumberText.appendSigned(points.status, to: &text)
            reason()
        }
        return reasons
    }

    /// One recommendation from two rows of the same enterprise (the same
    /// ``LeadValues/nameKey(_:)``), scored again: the better row's fields, filled in from
    /// the other where empty; tags together; the larger capital and investment; the
    /// further project stage; and for each link the stronger of the two matches. So a
    /// firm found by one query for 正极材料 and by another for 电解液 is one target for
    /// both gaps, and no row of it is dropped.
    ///
    /// A lead the chain file names keeps what the bureau wrote there (its status, partner
    /// and notes win over an export's), and takes the export's data (credit code, legal
    /// representative, phone, tags, scope) on top.
    public func merging(_ a: Recommendation, _ b: Recommendation) -> Recommendation {
        var joined = false
        return withReasons(merging(a, b, reasons: false, rows: true, joined: &joined))
    }

    /// ``merging(_:_:)``, with the reasons left for later when `reasons` is false, and the
    /// rows left out when `rows` is false (a caller merging many rows of one enterprise
    /// gathers them once: gathered merge by merge, 40,000 rows of one name took 85 s).
    /// `joined` says whether the two were joined (false when the joined lead would not be
    /// recommended, and the better one stands alone).
    func merging(
        _ a: Recommendation, _ b: Recommendation, reasons wording: Bool, rows gathering: Bool, joined: inout Bool
    ) -> Recommendation {
        let (first, second) = LeadScreener.ranksBefore(a, b) ? (a, b) : (b, a)
        var lead = first.lead
        let other = second.lead
        let file = analysis.chain.file
        let planned = [first.lead, other].first { $0.location.file == file && $0.location.sheet == nil }
        lead.code = lead.code ?? other.code
        lead.scope = lead.scope ?? other.scope
        lead.province = lead.province ?? other.province
        lead.city = lead.city ?? other.city
        for tag in other.tags where !lead.tags.contains(tag) { lead.tags.append(tag) }
        lead.capital = [lead.capital, other.capital].compactMap { $0 }.max()
        lead.invest = [lead.invest, other.invest].compactMap { $0 }.max()
        lead.status = planned?.status ?? [lead.status, other.status].compactMap { $0 }.max()
        lead.partner = planned?.partner ?? lead.partner ?? other.partner
        lead.notes = planned?.notes ?? lead.notes ?? other.notes
        lead.passThrough = lead.passThrough.adding(other.passThrough)
        var matches = first.matches
        for match in second.matches {
            if let i = matches.firstIndex(where: { $0.link == match.link }) {
                if match.strength > matches[i].strength { matches[i] = match }
            } else {
                matches.append(match)
            }
        }
        let rows = gathering ? (first.rows + second.rows).sorted(by: Recommendation.inRowOrder) : []
        lead.location = first.lead.location
        guard case .recommended(var merged) = evaluate(
            lead, matches: matches, sourceIndex: min(a.sourceIndex, b.sourceIndex), reasons: wording) else {
            joined = false
            return first
        }
        joined = true
        if gathering { merged.mergedRows = rows.filter { $0 != lead.location } }
        merged.nameHash = first.nameHash
        return merged
    }

    /// The local enterprise a partner text names: the same name, or a name (four
    /// characters or more) inside the text. Anchors (链主, 龙头) first.
    func partner(in text: String) -> Enterprise? {
        let key = LeadValues.nameKey(text)
        if let exact = local(byKey: key) { return exact }
        return localNames.first { TextSearch.contains(key, $0.key) }?.enterprise
    }

    /// The reason for a fit, built as UTF-8 (interpolating strings made it most of the
    /// work of wording a recommendation): the link's words, the strength, the evidence and
    /// the points.
    func appendFitReason(_ match: LinkMatch, points: Double, to bytes: inout [UInt8]) {
        let index = match.link.index
        let (start, end) = (fitPrefixStart[index], fitPrefixStart[index + 1])
        fitPrefix.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<end])) }
        NumberText.appendFixed(match.strength, 2, to: &bytes)
        bytes += "：".utf8
        Self.describe(match.evidence, into: &bytes)
        bytes.append(UInt8(ascii: " "))
        NumberText.appendSigned(points, to: &bytes)
    }

    /// The evidence in words, keywords of one field together:
    /// 国标行业 C2661 与环节代码一致；经营范围含「电解液」「六氟磷酸锂」.
    public static func describe(_ evidence: [MatchEvidence], limit: Int = 6) -> String {
        var bytes: [UInt8] = []
        describe(evidence, limit: limit, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``describe(_:limit:)`` as UTF-8: the evidence other than keywords in order, then
    /// each field's keywords (fields in order of first appearance), parts separated by "；".
    static func describe(_ evidence: [MatchEvidence], limit: Int = 6, into bytes: inout [UInt8]) {
        var parts = 0
        var fields: [LeadTextField] = []
        for item in evidence {
            if case let .keyword(_, _, field) = item {
                if !fields.contains(field) { fields.append(field) }
                continue
            }
            if parts > 0 { bytes += "；".utf8 }
            parts += 1
            append(item, to: &bytes)
        }
        for field in fields {
            if parts > 0 { bytes += "；".utf8 }
            parts += 1
            bytes += field.label.utf8
            bytes += "含".utf8
            var count = 0
            for item in evidence {
                guard case let .keyword(word, written, in: itemField) = item, itemField == field else { continue }
                count += 1
                guard count <= limit else { continue }
                appendKeyword(word, written: written, to: &bytes)
            }
            if count > limit {
                bytes += "等 ".utf8
                bytes += String(count).utf8
                bytes += " 个关键词".utf8
            }
        }
    }

    /// One piece of evidence in words.
    public static func describe(_ evidence: MatchEvidence) -> String {
        var bytes: [UInt8] = []
        append(evidence, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``describe(_:)`` as UTF-8.
    static func append(_ evidence: MatchEvidence, to bytes: inout [UInt8]) {
        switch evidence {
        case .explicit:
            bytes += "线索已指明该环节".utf8
        case let .code(lead, link):
            bytes += "国标行业 ".utf8
            bytes += lead.description.utf8
            if lead.digits == link.digits {
                bytes += " 与环节代码一致".utf8
            } else {
                bytes += " 属于环节代码 ".utf8
                bytes += link.description.utf8
            }
        case let .keyword(word, written, field):
            bytes += field.label.utf8
            bytes += "含".utf8
            appendKeyword(word, written: written, to: &bytes)
        }
    }

    /// A keyword as found: 「电解液」, or 「電解液」（电解液） when written otherwise.
    private static func appendKeyword(_ word: String, written: String?, to bytes: inout [UInt8]) {
        bytes += "「".utf8
        bytes += (written ?? word).utf8
        bytes += "」".utf8
        if written != nil {
            bytes += "（".utf8
            bytes += word.utf8
            bytes += "）".utf8
        }
    }

}
