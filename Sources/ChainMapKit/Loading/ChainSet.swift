/// The chains that a command line names (files and directories), loaded together.
public struct ChainSet: Sendable {
    /// The chains that loaded, in argument order (a directory's files by name).
    public var chains: [Chain]
    /// Every diagnostic of every file, file by file.
    public var diagnostics: [Diagnostic]
    /// How many of the named files failed to load.
    public var failedFiles: Int

    /// Whether any file failed.
    public var hasErrors: Bool { failedFiles > 0 || diagnostics.contains(where: \.isError) }

    /// Loads every chain file the arguments name. Two chains with the same id are an
    /// error, since they would write the same output files.
    public init(arguments: [String], loader: ChainLoader = ChainLoader()) {
        chains = []
        diagnostics = []
        failedFiles = 0
        let files: [String]
        do {
            files = try FileSystem.chainFiles(arguments)
        } catch {
            diagnostics = error.diagnostics
            failedFiles = 1
            return
        }
        // The files read and checked two at a time (ten chains took 20 ms on one core,
        // before a report's screening could start), then taken in order: diagnostics and
        // ids as when read one by one. Two, not one per core: a file's YAML tree is held
        // while it is read (about 8× the file), and a directory of large chains on a
        // machine of many cores would hold one per core.
        let lanes = min(2, files.count)
        let perLane = Parallel.map(lanes) { lane in
            stride(from: lane, to: files.count, by: lanes).map { loader.load(path: files[$0]) }
        }
        let results = files.indices.map { perLane[$0 % lanes][$0 / lanes] }
        var firstByID: [String: Chain] = [:]
        for (file, result) in zip(files, results) {
            diagnostics += result.diagnostics
            guard let chain = result.chain else {
                failedFiles += 1
                continue
            }
            if let first = firstByID[chain.id] {
                diagnostics.append(.error(
                    .duplicate, "chain id '\(chain.id)' is also the id of \(first.file); ids name output files, so each must be unique",
                    at: .init(file: file, line: 1, column: 1),
                    notes: [.init("the chain with the id '\(chain.id)'", at: .init(file: first.file, line: 1, column: 1))]))
                failedFiles += 1
                continue
            }
            firstByID[chain.id] = chain
            chains.append(chain)
        }
        refuseDerivedNames()
    }

    /// A chain whose id is another's with the suffix of one of that chain's figures
    /// (`a-targets` beside `a`, whose target map is `a-targets.svg`) would have its files
    /// overwritten: it is an error, as a repeated id is. (The pages of `a`'s map for Word,
    /// `a-map-2.png`, stay inside its document: `a-map-2` takes no file of `a`'s.)
    private mutating func refuseDerivedNames() {
        let byID = Dictionary(chains.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        var refused: Set<String> = []
        for chain in chains {
            let id = chain.id.lowercased()
            var derived: (base: Chain, file: String)?
            for figure in Chain.Figure.allCases where id.hasSuffix("-" + figure.rawValue) {
                if let base = byID[String(id.dropLast(figure.rawValue.count + 1))] { derived = (base, figure.file(base.id, "svg")) }
            }
            guard let derived else { continue }
            diagnostics.append(.error(
                .duplicate,
                "chain id '\(chain.id)' names the same file as a figure of chain '\(derived.base.id)' (\(derived.file)); ids name output files, so each must be unique",
                at: .init(file: chain.file, line: 1, column: 1),
                notes: [.init("the chain with the id '\(derived.base.id)'", at: .init(file: derived.base.file, line: 1, column: 1))]))
            failedFiles += 1
            refused.insert(chain.id)
        }
        chains.removeAll { refused.contains($0.id) }
    }
}
