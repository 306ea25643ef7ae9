/// What changed in a chain between two versions (this year against last, 年度总结):
/// links newly covered (补链成效), newly weak or lost, new 链主 and 龙头, leads whose status
/// moved, and coverage and completeness before and after.
///
/// Links are the same link when their ids are; enterprises and leads when their names
/// are (``LeadValues/nameKey(_:)``: Simplified and Traditional alike). Each version keeps
/// its own analysis: the statuses compared are those each version's analysis gives.
public struct ChainDiff: Sendable {
    /// A lead whose status moved.
    public struct MovedLead: Hashable, Sendable {
        public var name: String
        /// nil: the lead had no status (or was not listed) before.
        public var from: Lead.Status?
        /// nil: the lead has no status now (or is no longer listed).
        public var to: Lead.Status?
    }

    public let before: GapAnalysis
    public let after: GapAnalysis

    /// Links that were gaps (or not in the chain) and are covered now, in the new
    /// version's order.
    public let newlyCovered: [LinkRef]
    /// Links that were covered and not weak, and are weak (强链) now.
    public let newlyWeak: [LinkRef]
    /// Links that were covered and are gaps now.
    public let lost: [LinkRef]
    /// Links of the new version that the old did not have, and the ids of the old ones
    /// that are gone.
    public let addedLinks: [LinkRef]
    public let removedLinks: [String]
    /// Enterprises that are 链主 or 龙头 now and were not before, in the new file's order.
    public let newLeaders: [Enterprise]
    /// The chain file's leads whose status moved, in the new file's order (then those
    /// gone from it).
    public let movedLeads: [MovedLead]

    public init(before: GapAnalysis, after: GapAnalysis) {
        self.before = before
        self.after = after
        let old = before.chain, new = after.chain
        let oldByID = Dictionary(old.links.map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        var covered: [LinkRef] = [], weak: [LinkRef] = [], lost: [LinkRef] = [], added: [LinkRef] = []
        for ref in new.linkRefs {
            let now = after.status(of: ref)
            guard let was = oldByID[new[ref].id].map(before.status(of:)) else {
                added.append(ref)
                if !now.isGap { covered.append(ref) }
                continue
            }
            if was.isGap && !now.isGap { covered.append(ref) }
            if was == .covered && now == .strengthen { weak.append(ref) }
            if !was.isGap && now.isGap { lost.append(ref) }
        }
        newlyCovered = covered
        newlyWeak = weak
        self.lost = lost
        addedLinks = added
        let newIDs = Set(new.links.map(\.id))
        removedLinks = old.links.map(\.id).filter { !newIDs.contains($0) }

        let oldAnchors = Set(old.enterprises.filter(\.role.isAnchor).map { LeadValues.nameKey($0.name) })
        var seen = Set<String>()
        newLeaders = new.enterprises.filter {
            let key = LeadValues.nameKey($0.name)
            return $0.role.isAnchor && !oldAnchors.contains(key) && seen.insert(key).inserted
        }

        var oldStatus: [String: Lead.Status?] = [:]
        for lead in old.leads where oldStatus[LeadValues.nameKey(lead.name)] == nil {
            oldStatus[LeadValues.nameKey(lead.name)] = .some(lead.status)
        }
        var moved: [MovedLead] = []
        var listed = Set<String>()
        for lead in new.leads where listed.insert(LeadValues.nameKey(lead.name)).inserted {
            let was = oldStatus[LeadValues.nameKey(lead.name)] ?? nil
            if was != lead.status && (was != nil || lead.status != nil) {
                moved.append(MovedLead(name: lead.name, from: was, to: lead.status))
            }
        }
        for lead in old.leads where lead.status != nil && listed.insert(LeadValues.nameKey(lead.name)).inserted {
            moved.append(MovedLead(name: lead.name, from: lead.status, to: nil))
        }
        movedLeads = moved
    }

    /// Coverage before and after, 0…1.
    public var coverage: (before: Double, after: Double) { (before.summary.coverage, after.summary.coverage) }
    /// Completeness before and after, 0…100.
    public var completeness: (before: Double, after: Double) { (before.summary.completeness, after.summary.completeness) }

    /// The link ids of a list of the new version's links.
    public func ids(_ refs: [LinkRef]) -> [String] { refs.map { after.chain[$0].id } }

    /// The paragraph for a 年度总结: what changed, in the planners' words.
    public var paragraph: String {
        let chain = after.chain
        func names(_ refs: [LinkRef]) -> String { refs.map { chain[$0].name }.joined(separator: "、") }
        func change(_ what: String, _ pair: (before: Double, after: Double), _ text: (Double) -> String) -> String {
            let (a, b) = (text(pair.before), text(pair.after))
            if a == b { return "\(what)保持 \(b)" }
            return "\(what)由 \(a) \(pair.after > pair.before ? "提高" : "降低")到 \(b)"
        }
        var text = "与上一版相比，\(ReportText.phrase(chain))"
        text += change("覆盖率", coverage, NumberText.percent) + "，" + change("完整度", completeness, NumberText.tenths) + "。"
        if newlyCovered.isEmpty {
            text += "本期没有新覆盖的环节。"
        } else {
            text += "新覆盖环节 \(newlyCovered.count) 个（补链成效）：\(names(newlyCovered))。"
        }
        if !newLeaders.isEmpty {
            text += "新增链主、龙头企业 \(newLeaders.count) 家：" + newLeaders.map { "\($0.name)（\($0.role.rawValue)）" }.joined(separator: "、") + "。"
        }
        if !movedLeads.isEmpty {
            text += "招商线索推进 \(movedLeads.count) 家：" + movedLeads.map { "\($0.name)（\(Self.word($0.from))→\(Self.word($0.to))）" }.joined(separator: "、") + "。"
        }
        if !newlyWeak.isEmpty { text += "新出现薄弱环节 \(newlyWeak.count) 个：\(names(newlyWeak))，需强链。" }
        if !lost.isEmpty { text += "失去本地企业的环节 \(lost.count) 个：\(names(lost))，需重新补链。" }
        if !addedLinks.isEmpty || !removedLinks.isEmpty {
            text += "链条结构有调整：新增环节 \(addedLinks.count) 个、删去 \(removedLinks.count) 个。"
        }
        return text
    }

    /// A status in the paragraph and tables: the word, or 无 for none.
    public static func word(_ status: Lead.Status?) -> String { status?.rawValue ?? "无" }
}
