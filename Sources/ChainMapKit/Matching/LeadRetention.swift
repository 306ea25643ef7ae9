import Synchronization

/// How many recommendations a screening keeps while it reads. A list that shows the best
/// 50, and per gap the best 5, never needs the rest: keeping only those, block by block,
/// holds memory flat however many rows match (a 600,000-row export where every row
/// matches took 1 GB when all were kept).
///
/// The counts stay exact whatever is kept: how many rows were recommended, and how many
/// distinct enterprises (by ``LeadValues/nameKey(_:)``).
public struct LeadRetention: Sendable, Hashable {
    /// The most recommendations kept overall, best first; nil keeps every one.
    public var best: Int?
    /// The most kept for each link, best first for that link (the per-gap view, the map).
    public var bestPerLink: Int

    public init(best: Int?, bestPerLink: Int = 0) {
        self.best = best
        self.bestPerLink = bestPerLink
    }

    /// Every recommendation kept.
    public static let all = LeadRetention(best: nil)

    /// Whether recommendations may be dropped.
    public var isCapped: Bool { best != nil }

    /// The most recommendations a capped screening holds before it cuts them
    /// (``prune(_:scoring:always:)``), in a block and as blocks are merged: four times
    /// what a cut keeps, plus 256. Cutting less often keeps the same in the end (a cut of
    /// more leads keeps what a cut of fewer would have kept); cutting at every block
    /// ranked those kept again each time. Unbounded without a cap.
    var heldUncut: Int {
        guard let best else { return .max }
        // Saturating: `--top` takes any count (a huge one trapped on overflow).
        return Self.saturating(4, times: Self.saturating(best, plus: bestPerLink), plus: 256)
    }

    /// `a + b`, or `Int.max` where that overflows.
    static func saturating(_ a: Int, plus b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// `a × b + c`, or `Int.max` where that overflows (for counts, never negative).
    static func saturating(_ a: Int, times b: Int, plus c: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : saturating(product, plus: c)
    }

    /// Keeps what the outputs can show: the best ``best`` overall, the best
    /// ``bestPerLink`` of each link by its per-link score, and every lead with a project
    /// stage (the project lists show them all). The order of those kept is unchanged.
    ///
    /// A list no longer than ``best`` + ``bestPerLink`` is left as it is, unless `always`:
    /// the last prune of a screening always cuts, so that what is kept never depends on
    /// how the file fell into blocks, nor on which rows were passed over below the floors
    /// (``ScoreFloor``) while it was read.
    func prune(_ list: inout [Recommendation], scoring: LeadScoring, always: Bool = false) {
        guard let best else { return }
        let slack = Self.saturating(best, plus: bestPerLink)
        guard list.count > slack || (always && list.count > best) else { return }
        var keep = [Bool](repeating: false, count: list.count)
        // Compared and scored through a buffer: reading `list` in the closures (an inout
        // parameter) copied a recommendation, a retain of each of its parts, per comparison.
        list.withUnsafeBufferPointer { list in
            var keys = list.indices.map { RankKey(list[$0], slot: $0) }
            keys.sort { a, b in RankKey.ranksBefore(a, b) { list[$0].lead.name < list[$1].lead.name } }
            for key in keys.prefix(best) { keep[key.slot] = true }
            if bestPerLink > 0 {
                // Each link's members with their rank and their score for it, gathered in
                // the list's own order: walking the list in rank order reached each
                // recommendation and its matches at random, a cache miss each (most of
                // the time a capped report spent here).
                var rank = [Int](repeating: 0, count: list.count)
                for (position, key) in keys.enumerated() { rank[key.slot] = position }
                var byLink: [[LinkMember]] = []
                Self.forEachLinkScore(in: list, scoring: scoring) { slot, link, score in
                    if link >= byLink.count { byLink += Array(repeating: [], count: link + 1 - byLink.count) }
                    byLink[link].append(LinkMember(rank: rank[slot], slot: slot, score: score))
                }
                // The best of each link, a tie to the better ranked.
                for members in byLink where !members.isEmpty {
                    let ranked = members.sorted { a, b in a.score != b.score ? a.score > b.score : a.rank < b.rank }
                    for member in ranked.prefix(bestPerLink) { keep[member.slot] = true }
                }
            }
            for i in list.indices where list[i].lead.status != nil { keep[i] = true }
        }
        // Kept in place, in their order: moved through the buffer, not copied (the array's
        // own `swapAt` copies both elements, a retain and a release of each of their parts).
        let kept = list.withUnsafeMutableBufferPointer { list in
            var kept = 0
            for i in list.indices where keep[i] {
                if i != kept { list.swapAt(kept, i) }
                kept += 1
            }
            return kept
        }
        list.removeSubrange(kept...)
    }

    /// Calls `body` for each link each recommendation of `list` matches, in order, with the
    /// recommendation's place in the list, the link's index and the recommendation's
    /// score for the link (``Recommendation/score(for:scoring:)``). The fields are read
    /// through buffers: calling a method on `list[i]`, or taking a match out whole, copied
    /// it first, a retain of each of its parts, and walking the list in any other order
    /// than its own missed the cache at each recommendation.
    static func forEachLinkScore(
        in list: UnsafeBufferPointer<Recommendation>, scoring: LeadScoring, _ body: (_ slot: Int, _ link: Int, _ score: Double) -> Void
    ) {
        for i in list.indices {
            let points = list[i].points
            list[i].matches.withUnsafeBufferPointer { matches in
                for j in matches.indices {
                    let link = matches[j].link
                    // Once per link, with the score of its first match (that of
                    // `score(for:)`): the matcher gives each link one match, but a list
                    // built another way may repeat one, and counting a recommendation
                    // twice among a link's best would keep one fewer of the others.
                    var first = 0
                    while matches[first].link != link { first += 1 }
                    guard first == j else { continue }
                    assert(link.index >= 0, "a link's index is never negative")
                    body(i, link.index, Recommendation.score(strength: matches[j].strength, points: points, scoring: scoring))
                }
            }
        }
    }

    /// A recommendation among those matching one link, in ``prune(_:scoring:always:)``.
    private struct LinkMember {
        /// Its place in the overall ranking.
        var rank: Int
        /// Its place in the list.
        var slot: Int
        /// Its score for the link (``Recommendation/score(for:scoring:)``).
        var score: Double
    }
}

extension [Recommendation] {
    /// Moves `other`'s recommendations to the end of this list, in order, and leaves it
    /// empty: each moved once, not copied (``Recommendation/joinedMoving(_:)``).
    mutating func appendMoving(_ other: inout [Recommendation]) {
        guard !other.isEmpty else { return }
        // Reversed through its buffer (a move of each), then taken from the end in order.
        other.withUnsafeMutableBufferPointer { $0.reverse() }
        while let recommendation = other.popLast() { append(recommendation) }
    }
}

extension Recommendation {
    /// The lists joined into one, in order, each recommendation moved once: the lists are
    /// emptied from the end (a move) into their places. Joining them with `+=` or
    /// `flatMap` copied every recommendation, a retain of each of its parts, and released
    /// the originals after. Lists shared with another array are copied by the first pop.
    static func joinedMoving(_ lists: inout [[Recommendation]]) -> [Recommendation] {
        let total = lists.reduce(0) { $0 + $1.count }
        return [Recommendation](unsafeUninitializedCapacity: total) { buffer, initialized in
            var place = total
            for l in lists.indices.reversed() {
                while let recommendation = lists[l].popLast() {
                    place -= 1
                    (buffer.baseAddress! + place).initialize(to: recommendation)
                }
            }
            precondition(place == 0, "\(total - place) recommendations moved of \(total)")
            initialized = total
        }
    }
}

extension LeadValues {
    /// A 64-bit FNV-1a hash of a name's ``nameKey(_:)``: how a screening counts distinct
    /// enterprises without keeping their names. The same name gives the same hash in
    /// every run.
    static func nameHash(_ name: String) -> UInt64 {
        hash(ofKey: nameKey(name))
    }

    /// ``nameHash(_:)`` of a name whose ``nameKey(_:)`` is at hand.
    static func hash(ofKey key: String) -> UInt64 {
        key.withUTF8Bytes(hash(ofKeyBytes:))
    }

    /// ``hash(ofKey:)`` of a key given as its UTF-8 bytes.
    static func hash(ofKeyBytes bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A name's comparison key (``nameKey(_:)``) with what the screening of a row works
    /// out from it, once for every chain the row matches: its hash (``hash(ofKey:)``)
    /// and whether no Unicode normalisation can change it
    /// (``LeadScorer/isNormalizationInert(_:)``).
    struct NameKey: Sendable {
        let text: String
        let hash: UInt64
        let isNormalizationInert: Bool
        /// Whether the key is known to be no local enterprise's in any chain at hand
        /// (``init(notLocalHash:)``).
        let isKnownNotLocal: Bool

        init(name: String) { self.init(key: LeadValues.nameKey(name)) }

        init(key: String) {
            text = key
            hash = LeadValues.hash(ofKey: key)
            isNormalizationInert = LeadScorer.isNormalizationInert(key)
            isKnownNotLocal = false
        }

        /// The key of hash `hash` of a name whose key no normalisation changes and that
        /// is no local enterprise's key in any chain at hand (none of theirs has its hash):
        /// ``LeadScorer/local(byKey:)`` then answers at once, and the text, which nothing
        /// else reads, is left empty (``LeadRowScreen/nameKey(_:of:)``).
        init(notLocalHash hash: UInt64) {
            text = ""
            self.hash = hash
            isNormalizationInert = true
            isKnownNotLocal = true
        }
    }
}

/// The lowest scores a capped screening (``LeadRetention``) keeps, from what it has kept
/// so far: a later lead without a project stage that must score below the ``overall``
/// floor, and below the floor of each link it matches, would be dropped by the next
/// prune, so it is counted but not read whole: its score needs only a few cells.
/// Floors only rise as rows are read, so one taken earlier is still safe.
struct ScoreFloor: Sendable, Hashable {
    /// The score of the ``LeadRetention/best``-th lead kept; -∞ until that many are.
    var overall = -Double.infinity
    /// Per link (by index), the ``LeadRetention/bestPerLink``-th score for that link;
    /// -∞ until that many match it, +∞ when no lead is kept per link.
    var perLink: [Double]

    init(links: Int, retention: LeadRetention) {
        perLink = Array(repeating: retention.bestPerLink > 0 ? -.infinity : .infinity, count: links)
    }

    /// Whether a recommendation scores below the overall floor and below the floor of
    /// every link it matches: the next cut would drop it (unless it had a project stage).
    func excludes(_ recommendation: Recommendation, scoring: LeadScoring) -> Bool {
        guard recommendation.score < overall else { return false }
        return recommendation.matches.allSatisfy { match in
            match.link.index < perLink.count && recommendation.score(for: match.link, scoring: scoring) < perLink[match.link.index]
        }
    }

    /// ``excludes(_:scoring:)`` for the recommendation a score would make (its matches
    /// are the score's targets, one per link), told before it is made.
    func excludes(_ score: LeadScorer.Score, scoring: LeadScoring) -> Bool {
        guard score.points.total < overall else { return false }
        return score.targets.allSatisfy { match, _ in
            match.link.index < perLink.count
                && Recommendation.score(strength: match.strength, points: score.points, scoring: scoring) < perLink[match.link.index]
        }
    }

    /// Each floor raised to the other's where that is higher.
    mutating func raise(to other: ScoreFloor) {
        overall = max(overall, other.overall)
        for l in perLink.indices where l < other.perLink.count { perLink[l] = max(perLink[l], other.perLink[l]) }
    }

    /// The floors of the list whose best scores `tops` holds (``ScoreTops``), never below
    /// the floors already known: the `best`-th score, and each link's `bestPerLink`-th
    /// score for it.
    mutating func raise(to tops: ScoreTops, retention: LeadRetention) {
        // A screening that keeps none overall raises no floor.
        guard let best = retention.best, best > 0 else { return }
        if tops.overall.count >= best, let low = tops.overall.min() {
            overall = max(overall, low)
        }
        guard retention.bestPerLink > 0 else { return }
        for link in tops.perLink.indices where link < perLink.count && tops.perLink[link].count >= retention.bestPerLink {
            if let low = tops.perLink[link].min() { perLink[link] = max(perLink[link], low) }
        }
    }

    /// The `k`-th largest of `values` (1 for the largest), what `values.sorted(by: >)[k - 1]`
    /// is, found by selection, not by sorting (``ScoreTops`` keeps the best of what each
    /// block adds with it). `values` is left reordered, its `k` largest first (in no
    /// order). Needs `1 ≤ k ≤ values.count` and no NaN.
    static func largest(_ k: Int, of values: inout [Double]) -> Double {
        precondition(k >= 1 && k <= values.count, "the \(k)-th largest of \(values.count) values")
        return values.withUnsafeMutableBufferPointer { v in
            // Quickselect, three ways (scores tie often): [low, high] holds place k − 1 of
            // the values ordered largest first.
            let target = k - 1
            var (low, high) = (0, v.count - 1)
            while low < high {
                let (a, b, c) = (v[low], v[low + (high - low) / 2], v[high])
                let pivot = max(min(a, b), min(max(a, b), c))
                // [low, larger) above the pivot, [larger, next) equal, (smaller, high] below.
                var (larger, next, smaller) = (low, low, high)
                while next <= smaller {
                    if v[next] > pivot {
                        v.swapAt(larger, next)
                        larger += 1
                        next += 1
                    } else if v[next] < pivot {
                        v.swapAt(next, smaller)
                        smaller -= 1
                    } else {
                        next += 1
                    }
                }
                if target < larger {
                    high = larger - 1
                } else if target > smaller {
                    low = smaller + 1
                } else {
                    return pivot
                }
            }
            return v[low]
        }
    }
}

/// The scores that set a capped screening's floors (``ScoreFloor``), gathered as a chain's
/// recommendations are merged block by block: the ``LeadRetention/best`` best scores,
/// and each link's ``LeadRetention/bestPerLink`` best scores for it. A cut
/// (``LeadRetention/prune(_:scoring:always:)``) keeps the recommendations these come
/// from, so they are the best of the list however often it was cut, and the floors raised
/// from them are those of the list; but only the recommendations a block adds are read
/// (walking the whole merged list at every block, held uncut up to
/// ``LeadRetention/heldUncut``, was 3 % of a ten-chain report).
struct ScoreTops: Sendable {
    /// The best scores, in no order; at most `best` once cut (``add(_:retention:scoring:)``).
    private(set) var overall: [Double] = []
    /// Per link (by index), its best scores for it, in no order; at most `bestPerLink`.
    private(set) var perLink: [[Double]] = []

    /// Takes in the scores of `list`.
    mutating func add(_ list: UnsafeBufferPointer<Recommendation>, retention: LeadRetention, scoring: LeadScoring) {
        // None kept overall: no floor is raised (``ScoreFloor/raise(to:retention:)``).
        guard let best = retention.best, best > 0, !list.isEmpty else { return }
        overall.reserveCapacity(overall.count + list.count)
        for i in list.indices { overall.append(list[i].score) }
        if overall.count > best {
            // The best to the front (selection leaves the k largest before the k-th).
            _ = ScoreFloor.largest(best, of: &overall)
            overall.removeSubrange(best...)
        }
        let keep = retention.bestPerLink
        guard keep > 0 else { return }
        LeadRetention.forEachLinkScore(in: list, scoring: scoring) { _, link, score in
            if link >= perLink.count { perLink += Array(repeating: [], count: link + 1 - perLink.count) }
            if perLink[link].count < keep {
                perLink[link].append(score)
            } else if let low = perLink[link].indices.min(by: { perLink[link][$0] < perLink[link][$1] }), perLink[link][low] < score {
                perLink[link][low] = score
            }
        }
    }
}

/// Each chain's ``ScoreFloor``, shared by the blocks of one file as they are read.
final class SharedFloors: Sendable {
    private let floors: Mutex<[ScoreFloor]>

    init(_ floors: [ScoreFloor]) { self.floors = Mutex(floors) }

    /// The floors as they stand.
    var current: [ScoreFloor] { floors.withLock { $0 } }

    /// Raises chain `c`'s floors to those of its list, whose best scores `tops` holds.
    func raise(_ c: Int, to tops: ScoreTops, retention: LeadRetention) {
        // Worked out outside the lock, then merged in.
        var floor = floors.withLock { $0[c] }
        floor.raise(to: tops, retention: retention)
        floors.withLock { $0[c].raise(to: floor) }
    }
}
