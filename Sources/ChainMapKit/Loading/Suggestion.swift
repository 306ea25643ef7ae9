/// "Did you mean …": the closest known word to a misspelt one.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance (a swap of two neighbours counts
    /// as one edit), when it is close enough to be a plausible slip; ties go to the
    /// earlier candidate. Plausible: one edit in a word of two characters or more (中流 →
    /// 中游, nmae → name), or two edits when the words are seven characters or more and
    /// still share at least 70 % of their characters. So `wheel` gets no suggestion of
    /// `steel`: two edits of five characters is another word.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        Candidates(candidates).closest(to: word)
    }

    /// Candidates prepared once (lowered, with a summary of their characters), for a
    /// caller that asks about many words: the links of a file with many bad references,
    /// the links of the chains a lead export names in its 所属环节 column, row after row.
    /// Asking costs a comparison of lengths and of character summaries per candidate; the
    /// edit distance is worked out only for those that can be within two edits (a file of
    /// 8,000 bad references took 109 s when every pair was measured).
    public struct Candidates: Sendable {
        let words: [String]
        let lowered: [[Character]]
        let masks: [UInt64]

        public init(_ words: [String]) {
            self.words = words
            lowered = words.map { Array($0.lowercased()) }
            masks = lowered.map(Candidates.mask)
        }

        /// Which characters a word has, hashed into 64 bits. Two edits change at most four
        /// characters of the set (a substitution takes one out and puts one in), so two
        /// words within two edits differ in at most four bits. The hash is Character's,
        /// under which `é` and `e` + U+0301 are one, as they are to the edit distance (a
        /// hash of the first scalar told them apart, and lost a suggestion).
        static func mask(_ characters: [Character]) -> UInt64 {
            var mask: UInt64 = 0
            for character in characters { mask |= 1 << UInt64(UInt(bitPattern: character.hashValue) & 63) }
            return mask
        }

        /// ``Suggestion/closest(to:in:)`` among these candidates.
        public func closest(to word: String) -> String? {
            let lowered = Array(word.lowercased())
            if let caseOnly = self.lowered.firstIndex(of: lowered) { return words[caseOnly] }
            if let alias = synonyms[word], words.contains(alias) { return alias }
            let mask = Candidates.mask(lowered)
            var best: (index: Int, distance: Int)?
            for (index, candidate) in self.lowered.enumerated() {
                guard abs(candidate.count - lowered.count) <= 2, (masks[index] ^ mask).nonzeroBitCount <= 4 else { continue }
                let d = distance(lowered, candidate)
                let length = max(lowered.count, candidate.count)
                let plausible = (d == 1 && min(lowered.count, candidate.count) >= 2)
                    || (d == 2 && min(lowered.count, candidate.count) >= 7 && Double(length - d) / Double(length) >= 0.7)
                if plausible, best == nil || d < best!.distance {
                    best = (index, d)
                    // Nothing beats one edit (the same word is found above), and ties go to
                    // the earlier candidate.
                    if d == 1 { break }
                }
            }
            return best.map { words[$0.index] }
        }
    }

    /// Chinese words a user may write for a key.
    static let synonyms: [String: String] = [
        "名称": "name", "名字": "name", "产业链": "chain", "地区": "region", "区域": "region",
        "阶段": "stage", "环节": "links", "企业": "enterprises", "本地企业": "enterprises",
        "线索": "leads", "招商线索": "leads", "供应": "supplies", "下游": "supplies",
        "代码": "codes", "行业代码": "code", "关键词": "keywords", "权重": "weight",
        "角色": "role", "营收": "revenue", "标签": "tags", "经营范围": "scope", "省份": "province",
        "注册资本": "capital", "投资额": "invest", "状态": "status", "配套关系": "partner",
        "说明": "notes", "注释": "notes",
    ]

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and
    /// adjacent transpositions each cost one.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
