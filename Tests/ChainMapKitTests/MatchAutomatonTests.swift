@testable import ChainMapKit
import Testing

@Suite("Keyword automaton")
struct MatchAutomatonTests {
    /// Every (pattern, end) pair, sorted, by the automaton.
    static func matches(_ automaton: KeywordAutomaton, _ text: String) -> [[Int]] {
        var found: [[Int]] = []
        automaton.forEachMatch(in: text) { found.append([$0, $1]) }
        return found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) }
    }

    /// The same by brute force over the folded bytes, with the rule for Latin words: a
    /// pattern that starts (ends) with an ASCII letter or digit needs none before (after) it.
    static func naive(_ patterns: [String], _ text: String) -> [[Int]] {
        naive(patterns, bytes: Array(text.utf8))
    }

    @Test("a keyword of Latin letters or digits matches only as a whole word; Chinese around it is fine")
    func latinWords() {
        let automaton = KeywordAutomaton(patterns: ["ECU", "5G", "SiC模块", "电喷"])
        #expect(Self.matches(automaton, "网络安全（Network Security）").isEmpty)
        #expect(Self.matches(automaton, "15G频段、5GHz").isEmpty)
        #expect(Self.matches(automaton, "ECU模块、5G通信、发动机ECU").map { $0[0] } == [0, 1, 0])
        #expect(Self.matches(automaton, "MCU/ECU").map { $0[0] } == [0])
        #expect(Self.matches(automaton, "碳化硅SiC模块").map { $0[0] } == [2])
        #expect(Self.matches(automaton, "XSiC模块").isEmpty)
        #expect(Self.matches(automaton, "电喷系统").map { $0[0] } == [3])
    }

    @Test("finds every occurrence, overlapping ones included")
    func overlapping() {
        let patterns = ["电池", "锂电池", "电池包", "池"]
        let automaton = KeywordAutomaton(patterns: patterns)
        let text = "锂电池包与电池"
        #expect(Self.matches(automaton, text) == Self.naive(patterns, text))
        #expect(Self.matches(automaton, text).count == 6)
    }

    @Test("Latin letters match whatever their case")
    func caseInsensitive() {
        let automaton = KeywordAutomaton(patterns: ["IGBT", "SiC模块"])
        #expect(Self.matches(automaton, "igbt与sic模块").map { $0[0] } == [0, 1])
        #expect(Self.matches(automaton, "IgBt").count == 1)
        #expect(Self.matches(automaton, "IGB T").isEmpty)
    }

    @Test("a text without any pattern gives nothing; empty patterns are ignored")
    func nothing() {
        let automaton = KeywordAutomaton(patterns: ["", "电解液"])
        #expect(Self.matches(automaton, "餐饮服务；食品销售").isEmpty)
        #expect(Self.matches(automaton, "").isEmpty)
    }

    @Test("many patterns sharing prefixes, repeated, in any order: one state per distinct prefix, every occurrence found")
    func manyPatterns() {
        // Words made of a few characters, so that patterns share prefixes and repeat, with
        // Latin letters in both cases and an empty pattern among them.
        let pieces = ["锂", "电", "池", "正极", "材料", "Ab", "x", "1", "、"]
        var generator = SeededGenerator(seed: 7)
        func word(_ length: Int) -> String {
            (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
        for round in 0..<40 {
            var patterns = (0..<(5 + round * 3)).map { _ in word(1 + Int(generator.next() % 4)) }
            patterns.append("")
            patterns.append(patterns[round % patterns.count].uppercased())
            let automaton = KeywordAutomaton(patterns: patterns)
            // One state per distinct non-empty prefix of the folded patterns, and the root.
            var prefixes = Set<[UInt8]>()
            for pattern in patterns {
                let folded = Array(pattern.utf8).map(KeywordAutomaton.fold)
                for length in stride(from: 1, through: folded.count, by: 1) { prefixes.insert(Array(folded[..<length])) }
            }
            #expect(automaton.stateCount == prefixes.count + 1, "\(patterns)")
            for _ in 0..<10 {
                let text = word(Int(generator.next() % 60))
                #expect(Self.matches(automaton, text) == Self.naive(patterns, text), "\(patterns) \(text)")
            }
        }
    }

    @Test("long texts, scanned in two and four lanes, find exactly what a plain scan finds")
    func lanes() {
        let patterns = ["电解液", "六氟磷酸锂", "隔膜", "湿法隔膜", "IGBT", "锂", "磷酸铁锂正极材料"]
        let automaton = KeywordAutomaton(patterns: patterns)
        let words = ["电解液", "隔膜", "湿法", "六氟磷酸", "锂", "IGBT", "igb", "正极", "磷酸铁锂正极材料", "销售", "、", "研发"]
        var generator = SeededGenerator(seed: 42)
        for mode in [KeywordAutomaton.ScanMode.lanes, KeywordAutomaton.ScanMode.skipping] {
            automaton.setScanMode(mode)
            for length in [1, 5, 20, 40, 80, 150, 300, 700] {
                for _ in 0..<20 {
                    var text = ""
                    for _ in 0..<length { text += words[Int(generator.next() % UInt64(words.count))] }
                    #expect(Self.matches(automaton, text) == Self.naive(patterns, text), "\(mode): \(text)")
                }
            }
        }
    }

    @Test("two texts scanned side by side (a scope in its lanes, a name beside them) find what each finds alone")
    func besideLanes() {
        let patterns = ["电解液", "六氟磷酸锂", "隔膜", "湿法隔膜", "IGBT", "锂", "磷酸铁锂正极材料", "x"]
        let automaton = KeywordAutomaton(patterns: patterns)
        let words = ["电解液", "隔膜", "湿法", "六氟磷酸", "锂", "IGBT", "igb", "x", "正极", "磷酸铁锂正极材料", "销售", "、"]
        var generator = SeededGenerator(seed: 7)
        func text(_ length: Int) -> String {
            (0..<length).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined()
        }
        func sorted(_ found: [[Int]]) -> [[Int]] { found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) } }
        // Scopes of no lane, one, two and four lanes; names shorter and longer than a lane,
        // and absent; each side's occurrences to its own body, none lost or repeated; in
        // lanes, and skipping quiet characters.
        var cases = 0
        for mode in [KeywordAutomaton.ScanMode.lanes, KeywordAutomaton.ScanMode.skipping] {
        automaton.setScanMode(mode)
        for scopeLength in [0, 1, 3, 8, 20, 40, 90, 200] {
            for nameLength in [0, 1, 2, 5, 12, 40, 120] {
                for _ in 0..<4 {
                    let (scope, name) = (text(scopeLength), text(nameLength))
                    var inScope: [[Int]] = [], inName: [[Int]] = []
                    automaton.withScanner { scanner in
                        var scope = scope, name = name
                        scope.withUTF8 { s in
                            name.withUTF8 { n in
                                scanner.forEachMatch(in: UnsafeRawBufferPointer(s), beside: UnsafeRawBufferPointer(n)) {
                                    inScope.append([$0, $1])
                                } _: {
                                    inName.append([$0, $1])
                                }
                            }
                        }
                    }
                    #expect(sorted(inScope) == Self.naive(patterns, scope), "\(scope) | \(name)")
                    #expect(sorted(inName) == Self.naive(patterns, name), "\(scope) | \(name)")
                    cases += 1
                }
            }
        }
        }
        #expect(cases == 2 * 8 * 7 * 4)
        // No name at all (a row without the column): the scope alone.
        let scope = text(200)
        var found: [[Int]] = []
        automaton.withScanner { scanner in
            var scope = scope
            scope.withUTF8 { s in
                scanner.forEachMatch(in: UnsafeRawBufferPointer(s), beside: UnsafeRawBufferPointer(start: nil, count: 0)) {
                    found.append([$0, $1])
                } _: { _, _ in Issue.record("a match in no text") }
            }
        }
        #expect(sorted(found) == Self.naive(patterns, scope))
    }

    @Test("an occurrence or a partial one at every place around the lanes' ends is found once, by the lane it starts in")
    func laneEnds() {
        // Lanes stop past their end once the automaton is back at the root: a partial
        // occurrence (磷酸铁锂正极 of 磷酸铁锂正极材料) running over a lane's end must not
        // stop its lane early or hide an occurrence that the next lane starts.
        let patterns = ["磷酸铁锂正极材料", "正极材料", "材料", "x1", "铁锂"]
        let automaton = KeywordAutomaton(patterns: patterns)
        automaton.setScanMode(KeywordAutomaton.ScanMode.lanes)
        for length in stride(from: 40, through: 220, by: 9) {
            for insert in ["磷酸铁锂正极材料", "磷酸铁锂正极", "铁锂正极材料材料", "x1x1"] {
                let size = insert.utf8.count
                for at in 0...(length - size) {
                    let text = String(repeating: "a", count: at) + insert + String(repeating: "b", count: length - size - at)
                    #expect(Self.matches(automaton, text) == Self.naive(patterns, text), "\(length) \(at) \(insert)")
                }
            }
        }
    }

    /// ``naive(_:_:)`` over raw bytes, which need not be UTF-8.
    static func naive(_ patterns: [String], bytes raw: [UInt8]) -> [[Int]] {
        let bytes = raw.map(KeywordAutomaton.fold)
        func isWord(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        var found: [[Int]] = []
        for (p, pattern) in patterns.enumerated() {
            let needle = Array(pattern.utf8).map(KeywordAutomaton.fold)
            guard !needle.isEmpty, needle.count <= bytes.count else { continue }
            for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
                let end = start + needle.count
                if isWord(needle[0]), start > 0, isWord(bytes[start - 1]) { continue }
                if isWord(needle[needle.count - 1]), end < bytes.count, isWord(bytes[end]) { continue }
                found.append([p, end])
            }
        }
        return found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) }
    }

    @Test("skipping the characters that start no keyword, or start one that the next character does not continue, finds what a step per byte finds, in text that is not all UTF-8 too")
    func skippingQuietCharacters() {
        // Keywords that start with a Chinese character, a Latin word, a single character
        // and one that starts with another keyword's last character (铁 of 磷酸铁).
        let patterns = ["磷酸铁", "铁锂", "锂", "隔膜", "IGBT", "电解液", "液冷"]
        let automaton = KeywordAutomaton(patterns: patterns)
        automaton.setScanMode(KeywordAutomaton.ScanMode.skipping)
        // Quiet characters, starts of keywords, their other characters, Latin letters, and
        // bytes that are not UTF-8: a lead byte without its continuation bytes, a lone
        // continuation byte, a lead byte before ASCII, a four-byte character, U+FFFF.
        let pieces: [[UInt8]] = [
            Array("销售".utf8), Array("研发".utf8), Array("磷酸".utf8), Array("铁".utf8), Array("锂".utf8), Array("隔".utf8),
            Array("膜".utf8), Array("电解".utf8), Array("液".utf8), Array("冷".utf8), Array("igbt".utf8), Array("x".utf8),
            Array("电池".utf8), Array("铁".utf8) + [0x41], Array("锂锂".utf8),
            [0xE9], [0xE9, 0x93], [0x94], [0xE9, 0x41], Array("𠀀".utf8), [0xEF, 0xBF, 0xBF], Array("、".utf8),
        ]
        var generator = SeededGenerator(seed: 19)
        var scanned = 0
        for length in [0, 1, 2, 3, 5, 9, 20, 60, 200] {
            for _ in 0..<60 {
                var bytes: [UInt8] = []
                for _ in 0..<length { bytes += pieces[Int(generator.next() % UInt64(pieces.count))] }
                // Every cut of the text's end, so that a character cut off at the end is seen.
                for cut in Set([bytes.count, max(0, bytes.count - 1), max(0, bytes.count - 2)]) {
                    let text = Array(bytes[..<cut])
                    var found: [[Int]] = []
                    text.withUnsafeBytes { raw in automaton.forEachMatch(in: raw) { found.append([$0, $1]) } }
                    found.sort { ($0[1], $0[0]) < ($1[1], $1[0]) }
                    #expect(found == Self.naive(patterns, bytes: text), "\(text)")
                    scanned += 1
                }
            }
        }
        #expect(scanned > 9 * 60)
        // The quiet characters are those whose bytes, from the root, reach no match and
        // end at the root: of these patterns', the first characters of 磷, 铁, 锂, 隔, 电, 液.
        let tables = automaton.pinned.skipping!.view
        let set = (0..<(1 << 16)).filter { tables.mayStart($0) }
        #expect(set == ["磷", "铁", "锂", "隔", "电", "液"].map { Int($0.unicodeScalars.first!.value) }.sorted())
    }

    @Test("random patterns over random bytes: skipping, the lanes and the trial each find what a search by brute force finds")
    func skippingAgainstBruteForce() {
        // Characters of one, two, three and four bytes, three-byte ones sharing their lead
        // byte (铁 锂 链) and at the ends of the range (U+0800, U+FFFF); bytes that are no
        // whole character (cut-off leads, lone continuation bytes, a lead before ASCII).
        let characters = ["铁", "锂", "链", "磷", "酸", "电", "池", "中", "\u{0800}", "\u{FFFF}", "\u{E000}", "é", "𠀀", "a", "B", "1", " ", "、", "\u{9400}", "\u{9440}"]
        let loose: [UInt8] = [0xE9, 0x93, 0x94, 0x81, 0x82, 0xBE, 0x80, 0xBF, 0xE0, 0xA0, 0xEF, 0xC3, 0xA9, 0xF0, 0xA0, 0x61, 0x41, 0x31, 0x20, 0xED, 0xE4, 0xB8, 0xAD]
        var generator = SeededGenerator(seed: 12_345)
        func pick(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
        func sorted(_ found: [[Int]]) -> [[Int]] { found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) } }
        var compared = 0
        for _ in 0..<1_000 {
            let patterns = (0...pick(8)).map { _ in (0...pick(4)).map { _ in characters[pick(characters.count)] }.joined() }
            let automaton = KeywordAutomaton(patterns: patterns)
            func text() -> [UInt8] {
                var bytes: [UInt8] = []
                for _ in 0..<pick(40) {
                    switch pick(4) {
                    case 0: bytes += Array(patterns[pick(patterns.count)].utf8)
                    case 1: bytes.append(loose[pick(loose.count)])
                    case 2:
                        let pattern = Array(patterns[pick(patterns.count)].utf8)
                        bytes += pattern[..<pick(pattern.count + 1)]
                    default: bytes += Array(characters[pick(characters.count)].utf8)
                    }
                }
                return bytes
            }
            for _ in 0..<10 {
                let (scope, name) = (text(), pick(3) == 0 ? nil : text())
                for mode in [KeywordAutomaton.ScanMode.skipping, KeywordAutomaton.ScanMode.lanes, KeywordAutomaton.ScanMode.trying] {
                    automaton.setScanMode(mode)
                    var inScope: [[Int]] = [], inName: [[Int]] = []
                    scope.withUnsafeBytes { s in
                        (name ?? []).withUnsafeBytes { n in
                            automaton.withScanner {
                                $0.forEachMatch(in: s, beside: name == nil ? UnsafeRawBufferPointer(start: nil, count: 0) : n) {
                                    inScope.append([$0, $1])
                                } _: {
                                    inName.append([$0, $1])
                                }
                            }
                        }
                    }
                    #expect(sorted(inScope) == Self.naive(patterns, bytes: scope), "\(mode) \(patterns) \(scope)")
                    #expect(sorted(inName) == Self.naive(patterns, bytes: name ?? []), "\(mode) \(patterns) \(name ?? [])")
                    compared += 1
                }
            }
        }
        #expect(compared == 30_000)
    }

    @Test("the first megabyte scanned chooses the way: skipping where keywords start seldom, lanes where often")
    func scanModeChosen() {
        let patterns = ["磷酸铁锂", "电解液", "隔膜"]
        // Scopes where a character that may start a keyword is rare, and where it is most.
        let seldom = String(repeating: "技术服务、技术开发、销售；", count: 40) + "电解液"
        let often = String(repeating: "磷酸电解隔", count: 40)
        for (text, expected) in [(seldom, KeywordAutomaton.ScanMode.skipping), (often, KeywordAutomaton.ScanMode.lanes)] {
            let automaton = KeywordAutomaton(patterns: patterns)
            #expect(automaton.scanMode == KeywordAutomaton.ScanMode.trying)
            var scannedBytes = 0
            while scannedBytes < KeywordAutomaton.ScanMode.trialBytes {
                #expect(Self.matches(automaton, text) == Self.naive(patterns, text))
                scannedBytes += text.utf8.count
            }
            #expect(automaton.scanMode == expected, "\(text.prefix(10))")
            // And the same occurrences after the choice.
            #expect(Self.matches(automaton, text) == Self.naive(patterns, text))
        }
        // A compact automaton has no quiet characters: it scans as it always did.
        let compact = KeywordAutomaton(patterns: patterns, maxTableEntries: 0)
        #expect(compact.pinned.skipping == nil)
        #expect(Self.matches(compact, seldom) == Self.naive(patterns, seldom))
    }

    @Test("a compact automaton (past the dense table's limit) finds exactly what the dense one finds")
    func compactSameAsDense() {
        // Words in several scripts, sharing prefixes and suffixes (so that failure links run
        // deep), Latin words in both cases.
        let pieces = ["锂", "电", "池", "正极", "材料", "Ab", "x", "1", "、", "д", "한", "カ", "電池"]
        var generator = SeededGenerator(seed: 11)
        func word(_ length: Int) -> String {
            (0..<length).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
        }
        func scanned(_ automaton: KeywordAutomaton, _ scope: String, _ name: String) -> [[Int]] {
            var found: [[Int]] = []
            automaton.withScanner { scanner in
                var scope = scope, name = name
                scope.withUTF8 { s in
                    name.withUTF8 { n in
                        scanner.forEachMatch(in: UnsafeRawBufferPointer(s), beside: UnsafeRawBufferPointer(n)) {
                            found.append([0, $0, $1])
                        } _: {
                            found.append([1, $0, $1])
                        }
                    }
                }
            }
            return found.sorted { $0.lexicographicallyPrecedes($1) }
        }
        for round in 0..<30 {
            var patterns = (0..<(3 + round * 4)).map { _ in word(1 + Int(generator.next() % 5)) }
            patterns.append("")
            patterns.append(patterns[round % patterns.count].uppercased())
            let dense = KeywordAutomaton(patterns: patterns)
            let compact = KeywordAutomaton(patterns: patterns, maxTableEntries: 0)
            #expect(!dense.isCompact && compact.isCompact)
            #expect(compact.stateCount == dense.stateCount)
            for length in [0, 3, 30, 200] {
                let (scope, name) = (word(length), word(Int(generator.next() % 12)))
                #expect(scanned(compact, scope, name) == scanned(dense, scope, name), "\(patterns) \(scope) \(name)")
                #expect(Self.matches(compact, scope) == Self.naive(patterns, scope), "\(patterns) \(scope)")
            }
        }
    }

    @Test("the dense table, built and renumbered in place, holds at every state and class the step the compact automaton takes")
    func denseTableEntryByEntry() {
        /// Every entry of the dense table against the compact automaton's step (its own
        /// edges, else its failure link's, down to the root's row), with the same numbering.
        func check(_ patterns: [String]) {
            let dense = KeywordAutomaton(patterns: patterns)
            let compact = KeywordAutomaton(patterns: patterns, maxTableEntries: 0)
            guard let tables = compact.pinned.compact else { return #expect(Bool(false), "not compact") }
            #expect(!dense.isCompact)
            let classes = dense.classCount
            #expect(dense.firstMatchState == compact.firstMatchState * UInt32(classes))
            #expect(dense.outputStart == compact.outputStart)
            #expect(dense.outputs == compact.outputs)
            func step(_ state: Int, _ c: Int) -> Int {
                var s = state
                while true {
                    if s == 0 { return Int(tables.rootRow[c]) }
                    for e in Int(tables.edgeStart[s])..<Int(tables.edgeStart[s + 1]) where Int(tables.edgeClasses[e]) == c {
                        return Int(tables.edgeTargets[e])
                    }
                    s = Int(tables.fail[s])
                }
            }
            var wrong = 0
            for s in 0..<dense.stateCount {
                for c in 0..<classes where dense.pinned.table[s * classes + c] != UInt32(step(s, c) * classes) { wrong += 1 }
            }
            #expect(wrong == 0, "\(patterns.prefix(5)): \(wrong) entries of \(dense.stateCount * classes)")
        }
        // Every state in place; a cycle of three; one cycle through 500 states; the root's
        // row only; a long path.
        for patterns in [["a"], ["a", "ab", "abc"], ["a", "bcd"], ["a", String(repeating: "b", count: 500)], ["ab", "b"],
                         [String(repeating: "x", count: 200)], (0..<300).map { "k\($0)" }] {
            check(patterns)
        }
        // Random words: up to about 30,000 states and 5 MB of table (its pages made at once).
        var generator = SeededGenerator(seed: 3)
        let alphabet = Array("锂电池正极材料隔膜电解液铜箔铝箔负极石墨硅碳abcdefgh0123")
        for count in [10, 100, 1_000, 5_000] {
            check((0..<count).map { _ in
                String((0..<(1 + Int(generator.next() % 8))).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            })
        }
    }

    @Test("keywords whose dense table would pass the limit compile compactly, and still match")
    func compactPastTheLimit() {
        // 25,000 six-character words over 180 characters of five scripts: about 125,000
        // states and 200 byte classes, 25 million entries dense.
        let alphabet = Array("锂电池正极材料隔膜电解液铜箔铝箔负极石墨硅碳钴镍锰磷酸铁氢氧化物前驱体")
            + Array("абвгдежзийклмнопрстуфхцчшщэюя") + Array("가나다라마바사아자차카타파하거너더러머버서어저처")
            + Array("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホ") + Array("abcdefghijklmnopqrstuvwxyz")
        var generator = SeededGenerator(seed: 5)
        let patterns = (0..<25_000).map { _ in
            String((0..<6).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        let automaton = KeywordAutomaton(patterns: patterns)
        #expect(automaton.isCompact)
        #expect(automaton.stateCount * 150 > KeywordAutomaton.maxTableEntries)
        let text = "经营范围：" + patterns[17] + "、" + patterns[24_999] + "的研发"
        let found = Self.matches(automaton, text).map { $0[0] }
        #expect(found.contains(17) && found.contains(24_999))
        #expect(Set(found).isSubset(of: Set(patterns.indices.filter { text.contains(patterns[$0]) })))
    }

    @Test("patterns that are Traditional spellings match Traditional text")
    func traditional() {
        let automaton = KeywordAutomaton(patterns: ChineseVariants.expand("锂电池隔膜"))
        #expect(!Self.matches(automaton, "鋰電池隔膜之研發").isEmpty)
        #expect(!Self.matches(automaton, "锂电池隔膜生产").isEmpty)
    }
}
