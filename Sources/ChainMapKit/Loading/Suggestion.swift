/// "Did you mean …": the closest known word to a misspelt one.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance (a swap of two neighbours counts
    /// as one edit), when it is close enough to be a plausible slip; ties go to the
    /// earlier candidate. Plausible: one edit in a word of two characters or more (中流 →
    /// 中游, nmae → name), or two edits when the words are seven characters or more and
    /// still share at least 70 % of their characters. So `wheel` gets no suggestion of
    /// `steel`: two edits of five characters is another word.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let caseOnly = candidates.first(where: { $0.lowercased() == lowered }) { return caseOnly }
        if let alias = synonyms[word], candidates.contains(alias) { return alias }
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(Array(lowered), Array(candidate.lowercased()))
            let length = max(lowered.count, candidate.count)
            let plausible = (d == 1 && min(lowered.count, candidate.count) >= 2)
                || (d == 2 && min(lowered.count, candidate.count) >= 7 && Double(length - d) / Double(length) >= 0.7)
            if plausible, best == nil || d < best!.1 { best = (candidate, d) }
        }
        return best?.0
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
