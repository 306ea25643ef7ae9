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
        var firstByID: [String: Chain] = [:]
        for file in files {
            let result = loader.load(path: file)
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
    }
}
