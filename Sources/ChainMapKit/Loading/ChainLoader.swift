import Foundation
import Yams

/// Loads chain files (see docs/chain-format.md) into ``Chain`` values.
///
/// The loader never stops at the first problem: it reads everything it can and returns
/// every problem of the file as a located ``Diagnostic``. Ids are resolved to
/// ``LinkRef``s here, once.
public struct ChainLoader: Sendable {
    /// The keys of each part of a chain file.
    public enum Keys {
        public static let top = ["chain", "id", "region", "stages", "links", "enterprises", "leads", "roster", "projects", "targets", "benchmarks", "analysis", "style"]
        public static let link = ["id", "name", "stage", "supplies", "codes", "keywords", "weight", "notes"]
        public static let enterprise = ["name", "links", "role", "revenue", "tags", "notes"]
        public static let lead = ["name", "links", "code", "scope", "province", "city", "tags", "capital", "invest", "status", "partner", "notes"]
        public static let analysis = ["min-enterprises", "tier-tags"]
        public static let style = ["font", "fills", "borders"]

        /// The values of `role:` and `status:`, and the other spellings read as them
        /// (Traditional characters, and the roles' full names: 龙头企业 is 龙头).
        static let roles = Enterprise.Role.allCases.map(\.rawValue)
        static let roleVariants = [
            "鏈主": "链主", "龍頭": "龙头", "链主企业": "链主", "龙头企业": "龙头", "配套企业": "配套",
            "鏈主企業": "链主", "龍頭企業": "龙头", "配套企業": "配套",
        ]
        static let statuses = Lead.Status.allCases.map(\.rawValue)
        static let statusVariants = ["線索": "线索", "在談": "在谈", "簽約": "签约", "開工": "开工", "投產": "投产"]
    }

    /// The stages when a file names none.
    public static let defaultStages = ["上游", "中游", "下游"]

    public let codeTable: IndustryCodeTable

    public init(codeTable: IndustryCodeTable = .standard) {
        self.codeTable = codeTable
    }

    /// The outcome of loading one file: the chain when it has no errors, and every
    /// diagnostic (errors and warnings) in file order.
    public struct Result: Sendable {
        public var chain: Chain?
        public var diagnostics: [Diagnostic]
    }

    /// The largest chain file read, in bytes (64 MB; a chain of 100,000 links is 6 MB).
    public static let maxFileBytes = 64 << 20
    /// The longest value of any key, in UTF-8 bytes (10,000: about 3,300 汉字, far above
    /// any name, and room for long notes).
    public static let maxValueBytes = 10_000
    /// The longest key, in UTF-8 bytes.
    public static let maxKeyBytes = 100
    /// How many references to no link of the file get a "did you mean" (the rest are
    /// reported without one): each is weighed against every link id, so that 8,000 bad
    /// references in an 8,000-link file took 24 s.
    public static let maxSuggestedReferences = 200

    /// Loads the file at `path`, naming it `path` in diagnostics.
    public func load(path: String) -> Result {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readBytes(path, limit: Self.maxFileBytes)
        } catch {
            return Result(chain: nil, diagnostics: error.diagnostics)
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return load(bytes: consume bytes, file: path, defaultID: stem)
    }

    /// Loads a chain from the bytes of a file. `file` names it in diagnostics, and
    /// `defaultID` is the id when the file has no `id:`.
    public func load(bytes: consuming [UInt8], file: String, defaultID: String) -> Result {
        load(bytes: bytes, file: file, defaultID: defaultID, partBytes: YAMLSyntax.listPartBytes)
    }

    /// The top-level lists composed a part at a time in a large file (see
    /// ``YAMLSyntax/listParts(in:keys:partBytes:)``).
    static let partedLists: Set<String> = ["links", "enterprises", "leads"]

    /// ``load(bytes:file:defaultID:)`` with the long lists composed in parts of
    /// `partBytes` (nil: the file composed whole). The bytes are let go once decoded.
    func load(bytes: consuming [UInt8], file: String, defaultID: String, partBytes: Int?) -> Result {
        if bytes.count > Self.maxFileBytes {
            return Result(chain: nil, diagnostics: [.error(
                .input,
                "file is larger than \(Self.maxFileBytes >> 20) MB, the most a chain file may have (a chain of 100,000 links takes 6 MB)",
                at: FileLocation(file: file, line: 1, column: 1))])
        }
        let byteCount = bytes.count
        let text: String
        do {
            text = try TextDecoding.utf8Text(consume bytes, file: file)
        } catch {
            return Result(chain: nil, diagnostics: error.diagnostics)
        }
        return load(text: text, byteCount: byteCount, file: file, defaultID: defaultID, partBytes: partBytes)
    }

    /// ``load(bytes:file:defaultID:partBytes:)`` after decoding.
    private func load(text: String, byteCount: Int, file: String, defaultID: String, partBytes: Int?) -> Result {
        let document: YAMLSyntax.Document
        do {
            document = try YAMLSyntax.document(
                text: text, file: file, parted: partBytes == nil ? [] : Self.partedLists, partBytes: partBytes ?? 0)
        } catch {
            return Result(chain: nil, diagnostics: error.diagnostics)
        }
        let start = FileLocation(file: file, line: 1, column: 1)
        if document.text.allSatisfy({ $0.isWhitespace }) {
            return Result(chain: nil, diagnostics: [.error(
                .input, "file is empty; a chain file needs at least 'chain:' and 'links:'", at: start)])
        }
        guard let root = document.root else {
            return Result(chain: nil, diagnostics: [.error(
                .input, "file has only comments; a chain file needs at least 'chain:' and 'links:'", at: start)])
        }
        var reader = NodeReader(
            file: file, nodeBudget: max(100_000, byteCount * 4), columns: document.columns, text: document.text)
        var builder = Builder(
            loader: self, reader: reader, defaultID: defaultID, text: document.text, laterParts: document.laterParts,
            repeatBudget: document.repeatBudget)
        let chain = builder.build(root)
        if builder.partFailed {
            // A part that does not compose alone: the file is read whole, for its errors.
            return load(text: text, byteCount: byteCount, file: file, defaultID: defaultID, partBytes: nil)
        }
        reader = builder.reader
        // An alias repeats its node's problems at the same place; report each once.
        var seen: Set<Diagnostic> = []
        let found = document.problems + builder.repeats + (builder.partsStopped ? [] : reader.diagnostics)
        let diagnostics = found.filter { seen.insert($0).inserted }
            .sorted { ($0.location ?? start) < ($1.location ?? start) }
        let failed = reader.hasErrors || found.contains(where: \.isError)
        return Result(chain: failed ? nil : chain, diagnostics: diagnostics)
    }
}

extension ChainLoader {
    /// Walks the composed document once, collecting values and diagnostics.
    struct Builder {
        let loader: ChainLoader
        var reader: NodeReader
        let defaultID: String
        /// The file's text and its lists' later parts (``YAMLSyntax/Document/laterParts``).
        let text: String
        let laterParts: [String: [YAMLSyntax.ListPart]]
        /// Set when a later part does not compose alone: what was built is then dropped.
        var partFailed = false
        /// How many more repeated keys the later parts may have blanked.
        var repeatBudget: Int
        /// The repeated keys found in the later parts.
        var repeats: [Diagnostic] = []
        /// The link ids, for "did you mean", once a reference names none of them.
        var linkSuggestions: Suggestion.Candidates?
        /// How many references named no link so far.
        var suggestedReferences = 0
        /// Set when a later part has a repeated key past ``repeatBudget``: no later part
        /// is read, and the file's problems are its repeated keys alone (what was not read
        /// would make others up: a link named but not read).
        var partsStopped = false

        /// How many items the top-level list `key` has: those of `first` and of its later
        /// parts, so that what is built from them is allocated once (grown by doubling,
        /// the enterprises of a 10 MB file took 27 MB instead of 12).
        func itemCount(of key: String, _ first: [Node]) -> Int {
            first.count + (laterParts[key] ?? []).reduce(0) { $0 + $1.items }
        }

        /// Calls `body` with each item of the top-level list `key` and its place: the
        /// items of `first` (the list as composed with the file), then those of each later
        /// part, composed when reached and let go after it, so that a large file's node
        /// tree is never whole in memory. A part that does not compose alone ends the walk
        /// and sets ``partFailed``.
        ///
        /// Each later part is composed on another thread while `body` walks the one before
        /// (``ComposedPart/ahead(_:text:file:repeats:)``): composing is about half of a
        /// large file's `check`, and the walk most of the rest. So two parts' node trees
        /// are in memory at once (a few MB each), and the parts are composed in file
        /// order, each with the repeated keys the ones before it left (``repeatBudget``),
        /// so that the diagnostics are those of composing them one after the other.
        mutating func forEachItem(of key: String, _ first: [Node], _ body: (inout Builder, Node, FileLocation) -> Void) {
            for (node, place) in zip(first, reader.itemLocations(first)) { body(&self, node, place) }
            let parts = laterParts[key] ?? []
            guard !partFailed, !partsStopped, let firstPart = parts.first else { return }
            var ahead: Parallel.Pending<ComposedPart>? = ComposedPart.ahead(
                firstPart, text: text, file: reader.file, repeats: repeatBudget)
            var next = 1
            while let pending = ahead {
                let composed = pending.take()
                repeatBudget = composed.repeats
                let items: [Node]
                switch composed.items {
                case .items(let nodes, let problems)?:
                    items = nodes
                    repeats += problems
                case .stopped(let problems)?:
                    // Read no further: the file fails with its repeated keys alone.
                    repeats += problems
                    partsStopped = true
                    return
                case nil:
                    partFailed = true
                    return
                }
                ahead = next < parts.count
                    ? ComposedPart.ahead(parts[next], text: text, file: reader.file, repeats: repeatBudget) : nil
                next += 1
                for (node, place) in zip(items, reader.itemLocations(items)) { body(&self, node, place) }
            }
        }

        mutating func build(_ root: Node) -> Chain? {
            guard let top = reader.mapping(
                root, what: "the chain file", known: Keys.top, required: ["chain", "links"],
                expected: "a mapping with 'chain:' and 'links:' at the top level")
            else { return nil }

            let name = top["chain"].flatMap { reader.string($0, key: "chain") }
            let id = chainID(top["id"])
            let region = reader.optionalString(top["region"], key: "region")
            let stageNames = stages(top["stages"])
            let linkNodes = reader.sequence(top["links"], key: "links")
            if let node = top["links"], !node.isNull, case .sequence = node, linkNodes.isEmpty {
                reader.error(.structure, "'links' must list at least one link", at: node)
            } else if let node = top["links"], node.isNull {
                reader.error(.structure, "'links' must list at least one link", at: node)
            }

            // Pass 1: the links themselves, so that later references can be resolved.
            var drafts: [LinkDraft] = []
            var firstByID: [String: Node] = [:]
            drafts.reserveCapacity(itemCount(of: "links", linkNodes))
            firstByID.reserveCapacity(drafts.capacity)
            forEachItem(of: "links", linkNodes) { builder, node, place in
                guard let draft = builder.linkDraft(node, stages: stageNames) else { return }
                if let first = firstByID[draft.id] {
                    // An alias of an earlier link is reported where the alias stands.
                    let isAlias = place != builder.reader.location(of: node)
                    builder.reader.error(
                        .duplicate, "duplicate link id '\(draft.id)'" + (isAlias ? " (the alias repeats the link)" : ""),
                        at: isAlias ? place : builder.reader.location(of: draft.idNode),
                        notes: [.init("'\(draft.id)' is first defined here", at: builder.reader.location(of: first))])
                    return
                }
                firstByID[draft.id] = draft.idNode
                drafts.append(draft)
            }
            let ids = drafts.map(\.id)
            var refByID: [String: LinkRef] = [:]
            for (i, id) in ids.enumerated() { refByID[id] = LinkRef(i) }

            // Pass 2: resolve `supplies`.
            var links: [Link] = []
            links.reserveCapacity(drafts.count)
            for (i, draft) in drafts.enumerated() {
                var supplies: [LinkRef] = []
                for (target, at) in draft.supplies {
                    guard let ref = resolve(target, at: at, in: refByID, ids: ids, key: "supplies") else { continue }
                    if supplies.contains(ref) {
                        reader.warning(.duplicate, "'\(target)' is listed twice in 'supplies'", at: at)
                    } else {
                        if ref.index == i { reader.warning(.reference, "link '\(draft.id)' supplies itself", at: at) }
                        supplies.append(ref)
                    }
                }
                links.append(Link(
                    ref: LinkRef(i), id: draft.id, name: draft.name, stage: draft.stage,
                    supplies: supplies, codes: draft.codes, keywords: draft.keywords,
                    weight: draft.weight, notes: draft.notes, extra: draft.extra, location: draft.location))
            }

            var enterprises: [Enterprise] = []
            let enterpriseNodes = reader.sequence(top["enterprises"], key: "enterprises")
            enterprises.reserveCapacity(itemCount(of: "enterprises", enterpriseNodes))
            forEachItem(of: "enterprises", enterpriseNodes) { builder, node, place in
                if var enterprise = builder.enterprise(node, refByID: refByID, ids: ids) {
                    enterprise.location = place
                    enterprises.append(enterprise)
                }
            }
            // Each name's first entry, by index (a place per name took 10 MB for the
            // 91,670 enterprises of a 10 MB file).
            var firstListed: [String: Int] = [:]
            firstListed.reserveCapacity(enterprises.count)
            // One lookup per name (a Chinese name's hash costs about 2,000 instructions): the
            // index is set, and a repeated name's first index put back.
            for (i, e) in enterprises.enumerated() {
                if let first = firstListed.updateValue(i, forKey: e.name) {
                    firstListed[e.name] = first
                    reader.warning(
                        .duplicate, "enterprise '\(e.name)' is listed twice; list all its links in one entry",
                        at: e.location, notes: [.init("'\(e.name)' is first listed here", at: enterprises[first].location)])
                }
            }
            var leads: [Lead] = []
            forEachItem(of: "leads", reader.sequence(top["leads"], key: "leads")) { builder, node, _ in
                if let lead = builder.lead(node, refByID: refByID, ids: ids, localNames: firstListed) { leads.append(lead) }
            }
            let analysis = analysisSettings(top["analysis"])
            let style = mapStyle(top["style"])
            let roster = files(top["roster"], key: "roster", what: "roster file")
            let projects = files(top["projects"], key: "projects", what: "project ledger")
            let targets = files(top["targets"], key: "targets", what: "targets file")
            let benchmarks = files(top["benchmarks"], key: "benchmarks", what: "benchmark chain file")
            if benchmarks.count >= ChainComparison.maxRegions, let extra = benchmarks.dropFirst(ChainComparison.maxRegions - 1).first {
                reader.error(.structure, "'benchmarks' names at most \(ChainComparison.maxRegions - 1) chains (\(ChainComparison.maxRegions) regions side by side), not \(benchmarks.count)", at: extra.location)
            }
            if targets.count > 1 {
                reader.error(.structure, "'targets' names one file (the chain's targets for the year), not \(targets.count)", at: targets[1].location)
            }

            guard let name, let id, let stageNames else { return nil }
            var chain = Chain(
                name: name, id: id, region: region,
                stages: stageNames.enumerated().map { Stage(name: $1, index: $0) },
                links: links, enterprises: enterprises, leads: leads,
                analysis: analysis, style: style, file: reader.file)
            chain.roster = roster
            chain.projectFiles = projects
            chain.targetFile = targets.first
            chain.benchmarkFiles = Array(benchmarks.prefix(ChainComparison.maxRegions - 1))
            return chain
        }

        /// `roster:` or `projects:` — one file or a list, each relative to the chain
        /// file's directory; a file that is not there is an error at its entry.
        mutating func files(_ node: Node?, key: String, what: String) -> [RosterFile] {
            guard let node, !node.isNull else { return [] }
            let items: [(String, FileLocation)]
            if case .scalar = node {
                guard let text = reader.string(node, key: key) else { return [] }
                items = [(text, reader.location(of: node))]
            } else {
                items = reader.stringList(node, key: key)
            }
            let directory = (reader.file as NSString).deletingLastPathComponent
            var files: [RosterFile] = []
            for (written, at) in items {
                let path = written.hasPrefix("/") || directory.isEmpty ? written : directory + "/" + written
                if !FileManager.default.fileExists(atPath: path) {
                    reader.error(.reference, "\(what) '\(Diagnostic.quoted(written))' does not exist (looked for \(path))", at: at)
                    continue
                }
                if files.contains(where: { $0.path == path }) {
                    reader.warning(.duplicate, "\(what) '\(Diagnostic.quoted(written))' is listed twice", at: at)
                    continue
                }
                files.append(RosterFile(written: written, path: path, location: at))
            }
            return files
        }

        // MARK: Parts

        mutating func chainID(_ node: Node?) -> String? {
            guard let node, !node.isNull else {
                // No id: the file's name gives it, made good for a file name.
                if let id = Chain.id(fromFileName: defaultID) { return id }
                reader.error(
                    .value,
                    "the file name gives the id '\(defaultID)', which \(Chain.idProblem(defaultID) ?? "cannot name files"); add an 'id:' line or rename the file",
                    at: FileLocation(file: reader.file, line: 1, column: 1))
                return nil
            }
            guard let id = reader.string(node, key: "id") else { return nil }
            if let problem = Chain.idProblem(id) {
                reader.error(.value, "'id' \(problem); got '\(Diagnostic.quoted(id))'", at: node)
                return nil
            }
            return id
        }

        mutating func stages(_ node: Node?) -> [String]? {
            guard let node, !node.isNull else { return ChainLoader.defaultStages }
            let items = reader.stringList(node, key: "stages")
            if items.isEmpty {
                reader.error(.structure, "'stages' must list at least one stage", at: node)
                return nil
            }
            var names: [String] = []
            for (name, at) in items {
                if names.contains(name) {
                    reader.error(.duplicate, "stage '\(name)' is listed twice", at: at)
                } else {
                    names.append(name)
                }
            }
            return names
        }

        struct LinkDraft {
            var id: String
            var idNode: Node
            var name: String
            var stage: Int
            var supplies: [(String, FileLocation)]
            var codes: [IndustryCode]
            var keywords: [String]
            var weight: Int
            var notes: String?
            var extra: [ExtraField]
            var location: FileLocation
        }

        /// Reads one link. A link with errors still yields a draft when it has an id, so
        /// that references to it are checked too; the errors keep the chain from loading.
        mutating func linkDraft(_ node: Node, stages: [String]?) -> LinkDraft? {
            guard let fields = reader.mapping(
                node, what: "link", known: Keys.link, required: ["name", "stage"],
                expected: "a mapping with at least 'name:' and 'stage:'", extensible: true)
            else { return nil }
            let name = fields["name"].flatMap { reader.string($0, key: "name") }
            let explicitID = fields["id"].flatMap { $0.isNull ? nil : reader.string($0, key: "id") }
            var stage: Int?
            if let stageNode = fields["stage"], let stageName = reader.string(stageNode, key: "stage"), let stages {
                if let index = stages.firstIndex(of: stageName) {
                    stage = index
                } else {
                    var message = "stage '\(stageName)' is not one of the stages (\(stages.joined(separator: ", ")))"
                    if let suggestion = Suggestion.closest(to: stageName, in: stages) {
                        message += "; did you mean '\(suggestion)'?"
                    } else {
                        message += "; add it to 'stages:' or use one of them"
                    }
                    reader.error(.value, message, at: stageNode)
                }
            }
            let supplies = reader.stringList(fields["supplies"], key: "supplies")
            let codes = reader.stringList(fields["codes"], key: "codes").compactMap { industryCode($0.0, at: $0.1, strict: true) }
            let keywords = reader.stringList(fields["keywords"], key: "keywords").map(\.0)
            let weight = reader.integer(fields["weight"], key: "weight", in: 1...5)
            let notes = reader.optionalString(fields["notes"], key: "notes")
            let extra = reader.extraFields(fields)
            guard let id = explicitID ?? name, let idNode = fields["id"] ?? fields["name"] else { return nil }
            return LinkDraft(
                id: id, idNode: idNode, name: name ?? id, stage: stage ?? 0, supplies: supplies,
                codes: codes, keywords: keywords, weight: weight ?? 1, notes: notes, extra: extra,
                location: reader.location(of: node))
        }

        mutating func enterprise(_ node: Node, refByID: [String: LinkRef], ids: [String]) -> Enterprise? {
            guard let fields = reader.mapping(
                node, what: "enterprise", known: Keys.enterprise, required: ["name", "links"],
                expected: "a mapping with at least 'name:' and 'links:'", extensible: true)
            else { return nil }
            let name = fields["name"].flatMap { reader.string($0, key: "name") }
            let linkItems = reader.stringList(fields["links"], key: "links")
            if let node = fields["links"], linkItems.isEmpty, !reader.hasErrorAt(node) {
                reader.error(.structure, "'links' of an enterprise must name at least one link", at: node)
            }
            let links = linkItems.compactMap { resolve($0.0, at: $0.1, in: refByID, ids: ids, key: "links") }
            let roleText = reader.choice(
                fields["role"], key: "role", from: Keys.roles, variants: Keys.roleVariants)
            let revenue = reader.amount(fields["revenue"], key: "revenue")
            let revenueFailed = fields["revenue"].map(reader.hasErrorAt) ?? false
            let tags = reader.stringList(fields["tags"], key: "tags").map(\.0)
            let notes = reader.optionalString(fields["notes"], key: "notes")
            let extra = reader.extraFields(fields)
            guard let name, !links.isEmpty, links.count == linkItems.count else { return nil }
            if fields["role"].map({ !$0.isNull }) == true, roleText == nil { return nil }
            if revenueFailed { return nil }
            return Enterprise(
                name: name, links: links, role: roleText.flatMap(Enterprise.Role.init(rawValue:)) ?? .supporter,
                revenue: revenue, tags: tags, notes: notes, extra: extra, location: reader.location(of: node))
        }

        mutating func lead(_ node: Node, refByID: [String: LinkRef], ids: [String], localNames: [String: Int]) -> Lead? {
            guard let fields = reader.mapping(
                node, what: "lead", known: Keys.lead, required: ["name"],
                expected: "a mapping with at least 'name:'", extensible: true)
            else { return nil }
            let name = fields["name"].flatMap { reader.string($0, key: "name") }
            let linkItems = reader.stringList(fields["links"], key: "links")
            let links = linkItems.compactMap { resolve($0.0, at: $0.1, in: refByID, ids: ids, key: "links") }
            var code: IndustryCode?
            if let codeNode = fields["code"], let text = reader.optionalString(codeNode, key: "code") {
                code = industryCode(text, at: codeNode, strict: false)
            }
            let status = reader.choice(
                fields["status"], key: "status", from: Keys.statuses, variants: Keys.statusVariants,
                reading: { text in
                    if case .stage(let stage) = LeadValues.status(text) { return stage.rawValue }
                    return nil
                })
            let partner = reader.optionalString(fields["partner"], key: "partner")
            if let partner, let partnerNode = fields["partner"], localNames[partner] == nil {
                reader.warning(.reference, "partner '\(partner)' is not a local enterprise of this file; 以商引商 credit needs the exact name", at: partnerNode)
            }
            let lead = Lead(
                name: name ?? "", links: links, code: code,
                scope: reader.optionalString(fields["scope"], key: "scope"),
                province: reader.optionalString(fields["province"], key: "province")
                    ?? reader.optionalString(fields["city"], key: "city").flatMap(Regions.province(ofCity:)),
                city: reader.optionalString(fields["city"], key: "city"),
                tags: reader.stringList(fields["tags"], key: "tags").map(\.0),
                capital: reader.amount(fields["capital"], key: "capital"),
                invest: reader.amount(fields["invest"], key: "invest"),
                status: status.flatMap(Lead.Status.init(rawValue:)),
                partner: partner, notes: reader.optionalString(fields["notes"], key: "notes"),
                extra: reader.extraFields(fields), location: reader.location(of: node))
            return name == nil ? nil : lead
        }

        mutating func analysisSettings(_ node: Node?) -> AnalysisSettings {
            var settings = AnalysisSettings()
            guard let node, !node.isNull, let fields = reader.mapping(
                node, what: "'analysis'", known: Keys.analysis,
                expected: "a mapping such as { min-enterprises: 2 }")
            else { return settings }
            if let n = reader.integer(fields["min-enterprises"], key: "min-enterprises", in: 1...1000) {
                settings.minEnterprises = n
            }
            if fields["tier-tags"] != nil {
                settings.tierTags = reader.stringList(fields["tier-tags"], key: "tier-tags").map(\.0)
            }
            return settings
        }

        mutating func mapStyle(_ node: Node?) -> MapStyle {
            var style = MapStyle()
            guard let node, !node.isNull, let fields = reader.mapping(
                node, what: "'style'", known: Keys.style,
                expected: "a mapping such as { font: WenQuanYi Micro Hei }")
            else { return style }
            if let fontNode = fields["font"], let font = reader.optionalString(fontNode, key: "font") {
                if MapStyle.isFontName(font) {
                    style.font = font
                } else {
                    reader.error(
                        .value,
                        "'font' must be a font family name of at most \(MapStyle.maxFontNameLength) letters, digits, spaces and - _ . , such as 'WenQuanYi Micro Hei'; got '\(Diagnostic.quoted(font))'",
                        at: fontNode)
                }
            }
            style.fills = colours(fields["fills"], key: "fills")
            style.borders = colours(fields["borders"], key: "borders")
            return style
        }

        mutating func colours(_ node: Node?, key: String) -> [LinkStatus: String] {
            let keys = LinkStatus.allCases.map(\.key)
            guard let node, !node.isNull, let fields = reader.mapping(
                node, what: "'\(key)'", known: MapStyle.statusKeys,
                expected: "a mapping from a status (\(keys.joined(separator: ", "))) to a colour")
            else { return [:] }
            var result: [LinkStatus: String] = [:]
            // `strong` is the earlier name of `covered`; the later key wins when both are set.
            for key in ["strong"] + keys {
                guard let valueNode = fields[key], let value = reader.optionalString(valueNode, key: key),
                      let status = LinkStatus(key: key) else { continue }
                if Self.isColour(value) {
                    result[status] = value
                } else {
                    reader.error(.value, "'\(Diagnostic.quoted(value))' is not a colour; write '#RRGGBB' or a colour name such as 'gold'", at: valueNode)
                }
            }
            return result
        }

        static func isColour(_ text: String) -> Bool {
            if text.hasPrefix("#") {
                let hex = text.dropFirst()
                return (hex.count == 6 || hex.count == 8) && hex.allSatisfy(\.isHexDigit)
            }
            return !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }

        // MARK: References and codes

        mutating func resolve(_ id: String, at location: FileLocation, in refByID: [String: LinkRef], ids: [String], key: String) -> LinkRef? {
            if let ref = refByID[id] { return ref }
            var message = "'\(key)' names '\(id)', which is not a link id of this file"
            // The file's link ids prepared once, at its first bad reference; suggested for
            // the first ``maxSuggestedReferences`` (each weighs the word against every link).
            if linkSuggestions == nil { linkSuggestions = Suggestion.Candidates(ids) }
            suggestedReferences += 1
            if suggestedReferences <= ChainLoader.maxSuggestedReferences, let suggestion = linkSuggestions!.closest(to: id) {
                message += "; did you mean '\(suggestion)'?"
            }
            reader.error(.reference, message, at: location)
            return nil
        }

        /// A code in the table. `strict` (links) makes an unknown code an error; for leads
        /// it is a warning, because database exports carry codes from older editions too.
        mutating func industryCode(_ text: String, at node: Node, strict: Bool) -> IndustryCode? {
            industryCode(text, at: reader.location(of: node), strict: strict)
        }

        mutating func industryCode(_ text: String, at node: FileLocation, strict: Bool) -> IndustryCode? {
            guard let code = IndustryCode(parsing: text), strict ? code.description.count == text.count : true else {
                reader.error(.value, "'\(Diagnostic.quoted(text))' is not a GB/T 4754-2017 code; write it as C3841, 3841, C38 or 384", at: node)
                return nil
            }
            guard let entry = loader.codeTable.entry(for: code) else {
                let message = "'\(Diagnostic.quoted(text))' is not in GB/T 4754-2017"
                if strict { reader.error(.value, message, at: node) } else { reader.warning(.value, message, at: node) }
                return strict ? nil : code
            }
            if let letter = code.section, letter != entry.section {
                let section = loader.codeTable.sectionName(entry.section) ?? ""
                reader.error(.value, "'\(Diagnostic.quoted(text))': \(entry.digits) \(entry.name) is in section \(entry.section) \(section), not \(letter)", at: node)
                return nil
            }
            return IndustryCode(digits: entry.digits, section: entry.section)
        }
    }
}

extension ChainLoader {
    /// A later part of a long list composed (``YAMLSyntax/items(of:in:file:repeats:)``),
    /// with the repeated keys the file may still blank after it.
    ///
    /// Handed from the thread that composed it to the one that walks it, which alone holds
    /// it from then on: Yams' nodes are not `Sendable` (their tags are classes), but no node
    /// or tag is touched by two threads (the trees share only Yams' `Resolver.basic`, which
    /// is `Sendable` and never changes).
    struct ComposedPart: @unchecked Sendable {
        var items: YAMLSyntax.PartItems?
        var repeats: Int

        /// `part` composed on a thread of its own, with `repeats` repeated keys left to blank.
        static func ahead(_ part: YAMLSyntax.ListPart, text: String, file: String, repeats: Int) -> Parallel.Pending<Self> {
            Parallel.Pending {
                var repeats = repeats
                let items = YAMLSyntax.items(of: part, in: text, file: file, repeats: &repeats)
                return ComposedPart(items: items, repeats: repeats)
            }
        }
    }
}
