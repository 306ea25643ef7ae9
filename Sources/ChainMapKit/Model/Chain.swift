/// One industry chain (产业链) of one region, as a chain file describes it.
///
/// Every id in the file has been resolved to a ``LinkRef`` by the loader, so nothing
/// downstream of loading looks a name up again: `supplies`, an enterprise's `links` and
/// a lead's `links` are positions in ``links``.
public struct Chain: Sendable {
    /// The chain's display name (`chain:`), e.g. 新能源汽车动力电池.
    public var name: String
    /// The chain's id (`id:`, or the file name without `.yaml`/`.yml`); names output files.
    public var id: String
    /// Whose chain this is (`region:`), e.g. 示例市.
    public var region: String?
    /// The stages, left to right (`stages:`; 上游, 中游, 下游 by default).
    public var stages: [Stage]
    /// The chain's links (环节), in file order. ``LinkRef/index`` indexes this array.
    public var links: [Link]
    /// The local enterprises (本地企业), in file order.
    public var enterprises: [Enterprise]
    /// Candidate targets (招商线索) written in the chain file itself.
    public var leads: [Lead]
    /// Thresholds for the analysis (`analysis:`).
    public var analysis: AnalysisSettings
    /// Map style overrides (`style:`).
    public var style: MapStyle
    /// The file the chain was loaded from, as the user named it.
    public var file: String
    /// The region's enterprise rosters (摸排名录) the file names (`roster:`), placed on
    /// the links when the chain is analysed (see ``RosterPlacer``).
    public var roster: [RosterFile] = []
    /// The project ledgers the file names (`projects:`), read against every chain loaded.
    public var projectFiles: [RosterFile] = []
    /// The projects of the ledgers on this chain (``ChainPipeline`` attaches them): a gap
    /// with a signed or started project is 在建补链 (see ``GapAnalysis``).
    public var projects: [Project] = []
    /// The chain's targets for the year (`targets:`, a targets file as for `chainmap
    /// projects --targets`), read by ``ChainPipeline`` into ``projectTargets``.
    public var targetFile: RosterFile?
    /// The chain's targets for the year, once read.
    public var projectTargets: ProjectTargets?
    /// The chains of other regions this one is measured against (`benchmarks:`, 对标):
    /// chain files of the same industry, compared link by link in the report.
    public var benchmarkFiles: [RosterFile] = []

    /// For each link, the enterprises working in it (indices into ``enterprises``), in file order.
    public let enterprisesByLink: [[Int]]
    /// For each link, the links that supply it (its direct upstream), in file order.
    public let suppliers: [[LinkRef]]

    public init(
        name: String, id: String, region: String?, stages: [Stage], links: [Link],
        enterprises: [Enterprise], leads: [Lead], analysis: AnalysisSettings = .init(),
        style: MapStyle = .init(), file: String
    ) {
        self.name = name
        self.id = id
        self.region = region
        self.stages = stages
        self.links = links
        self.enterprises = enterprises
        self.leads = leads
        self.analysis = analysis
        self.style = style
        self.file = file

        var byLink = Array(repeating: [Int](), count: links.count)
        for (e, enterprise) in enterprises.enumerated() {
            // Enterprises come in order, so a repeat of a link is always the last entry.
            for ref in enterprise.links where byLink[ref.index].last != e {
                byLink[ref.index].append(e)
            }
        }
        enterprisesByLink = byLink

        var ups = Array(repeating: [LinkRef](), count: links.count)
        for link in links {
            for target in link.supplies where !ups[target.index].contains(link.ref) {
                ups[target.index].append(link.ref)
            }
        }
        suppliers = ups
    }

    /// The link a reference points to.
    public subscript(ref: LinkRef) -> Link { links[ref.index] }

    /// All link references, in file order.
    public var linkRefs: [LinkRef] { links.map(\.ref) }

    /// The local enterprises working in a link, in file order.
    public func enterprises(on ref: LinkRef) -> [Enterprise] {
        enterprisesByLink[ref.index].map { enterprises[$0] }
    }

    /// Whether at least one local enterprise works in the link (the contract's "covered").
    public func isCovered(_ ref: LinkRef) -> Bool {
        !enterprisesByLink[ref.index].isEmpty
    }

    /// The link whose id is `id`, if any. For callers outside the loader (command-line
    /// options, lead files), which name links by id.
    public func link(id: String) -> Link? {
        links.first { $0.id == id }
    }
}

/// A resolved reference to one link of a ``Chain``: its position in ``Chain/links``.
public struct LinkRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: LinkRef, b: LinkRef) -> Bool { a.index < b.index }
    public var description: String { "#\(index)" }
}

/// A stage of the chain (上游 / 中游 / 下游, or the file's own, such as 服务).
public struct Stage: Hashable, Sendable {
    public var name: String
    /// The stage's position, left to right.
    public var index: Int
    public init(name: String, index: Int) {
        self.name = name
        self.index = index
    }
}

/// One link (环节) of the chain: a node of the chain graph.
public struct Link: Hashable, Sendable {
    /// This link's own reference.
    public var ref: LinkRef
    /// The id other entries use to name the link (defaults to the name).
    public var id: String
    /// The display name, e.g. 锂盐（碳酸锂/氢氧化锂）.
    public var name: String
    /// Index into ``Chain/stages``.
    public var stage: Int
    /// The links this one feeds (downstream), in file order, without repeats.
    public var supplies: [LinkRef]
    /// GB/T 4754-2017 codes of the link.
    public var codes: [IndustryCode]
    /// Words that identify the link in a business scope, product list or name.
    public var keywords: [String]
    /// Strategic importance, 1...5.
    public var weight: Int
    /// Free notes (`notes:` / `备注`).
    public var notes: String?
    /// The file's own fields (`x-` keys), in file order.
    public var extra: [ExtraField]
    /// Where the link's entry starts in the file.
    public var location: FileLocation

    public init(
        ref: LinkRef, id: String, name: String, stage: Int, supplies: [LinkRef] = [],
        codes: [IndustryCode] = [], keywords: [String] = [], weight: Int = 1,
        notes: String? = nil, extra: [ExtraField] = [], location: FileLocation
    ) {
        self.ref = ref
        self.id = id
        self.name = name
        self.stage = stage
        self.supplies = supplies
        self.codes = codes
        self.keywords = keywords
        self.weight = weight
        self.notes = notes
        self.extra = extra
        self.location = location
    }
}

// MARK: Ids that name files

extension Chain {
    /// The longest chain id, in UTF-8 bytes (40 汉字). The id names the output files
    /// (`ID.svg`, `ID.docx` …) and their temporary files (`.ID.docx.<UUID>.tmp`), which
    /// must fit a file name's 255 bytes with room to spare.
    public static let maxIDBytes = 120

    /// Ids that chainmap's own files take in an output directory (`index.html`,
    /// `index.md`): no chain may have them, in any case.
    public static let reservedIDs = ["index"]

    /// The figures a chain's report writes beside its own `<id>.<format>`, each named
    /// `<id>-<figure>.<format>`: the one place these names are made, so that a chain set
    /// can refuse an id that another chain's figure would take (``ChainSet``).
    public enum Figure: String, CaseIterable, Sendable {
        /// The 招商目标分布图.
        case targets
        /// The ledger's chart.
        case projects
        /// The 对标 map.
        case compare

        /// The figure's file for the chain `chainID`.
        public func file(_ chainID: String, _ fileExtension: String) -> String {
            "\(chainID)-\(rawValue).\(fileExtension)"
        }
    }

    /// The name of page `page` (1-based) of a chain's map split for Word, inside the
    /// document only (never a file of the output): `<id>-map-<page>.png`.
    public static func mapPageFile(_ chainID: String, page: Int) -> String {
        "\(chainID)-map-\(page).png"
    }

    /// What is wrong with a chain id, or nil when it is good: 1 to ``maxIDBytes`` bytes
    /// of letters (汉字 included), digits, `-`, `_` and `.`, not starting with `.` or `-`,
    /// and not one of ``reservedIDs``.
    public static func idProblem(_ id: String) -> String? {
        if id.isEmpty { return "is empty" }
        if id.utf8.count > maxIDBytes {
            return "is \(id.utf8.count) bytes long; an id names files, so it may have at most \(maxIDBytes) bytes (40 汉字)"
        }
        if let bad = id.unicodeScalars.first(where: { !isIDCharacter($0) }) {
            return "holds \(describe(bad)); an id names files, so it may hold only letters, digits, '-', '_' and '.'"
        }
        if id.hasPrefix(".") || id.hasPrefix("-") {
            return "starts with '\(id.prefix(1))'; an id names files, so it must start with a letter or a digit"
        }
        if reservedIDs.contains(id.lowercased()) {
            return "is taken by the overview that `report DIR` writes (\(id.lowercased()).html, \(id.lowercased()).md)"
        }
        return nil
    }

    /// A good id made from a file name: each character an id may not hold becomes `-`,
    /// leading `.` and `-` are dropped, and the length is cut to ``maxIDBytes``. Nil when
    /// nothing is left or the result is reserved.
    public static func id(fromFileName stem: String) -> String? {
        var scalars = String.UnicodeScalarView()
        for scalar in stem.unicodeScalars {
            scalars.append(isIDCharacter(scalar) ? scalar : "-")
        }
        var id = String(String(scalars).drop { $0 == "." || $0 == "-" })
        while id.utf8.count > maxIDBytes { id.removeLast() }
        return idProblem(id) == nil ? id : nil
    }

    static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .nonspacingMark, .spacingMark:
            true
        default:
            scalar == "-" || scalar == "_" || scalar == "."
        }
    }

    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "/": "'/'"
        case "\\": "'\\\\'"
        default:
            scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                ? "the control character U+\(String(scalar.value, radix: 16, uppercase: true))"
                : "'\(scalar)'"
        }
    }
}

/// A file a chain file names (`roster:`, `projects:`): the path as written, the path to read
/// (relative to the chain file's directory), and where it is written.
public struct RosterFile: Sendable, Hashable {
    public var written: String
    public var path: String
    public var location: FileLocation

    public init(written: String, path: String, location: FileLocation) {
        self.written = written
        self.path = path
        self.location = location
    }
}
