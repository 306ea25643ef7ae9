import ArgumentParser
import ChainMapKit
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "check",
        abstract: "Check chain files, with the project ledgers and targets files they name: exit 0 when every file loads, else print each problem as FILE:LINE:COL: error: … and exit 1."
    )

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Flag(name: .shortAndLong, help: "Print nothing when all files load.")
    var quiet = false

    func run() throws {
        let set = ChainPipeline().load(files)
        let printer = DiagnosticPrinter()
        printer.print(set.diagnostics)
        // A directory's system.yaml (产业体系) is checked against its chains.
        let systems = SystemPlanLoader().load(arguments: files, chains: set.chains, unloaded: set.failedFiles)
        for system in systems { printer.print(system.diagnostics) }
        let planFailed = systems.contains { $0.plan == nil }
        let plans = systems.filter { $0.plan != nil }.map(\.file)
        // The project ledgers and targets files the chains name (`projects:`, `targets:`),
        // checked as gaps and report read them.
        let attached = ChainPipeline().attachProjects(set.chains, partial: ChainPipeline.namesOnlyChainFiles(files))
        printer.print(attached.diagnostics)
        if set.hasErrors || planFailed || attached.failed { throw ExitCode(1) }
        if !quiet {
            for chain in set.chains {
                let covered = chain.linkRefs.filter(chain.isCovered).count
                Terminal.writeOutput("\(chain.file): ok — \(chain.name): \(chain.links.count) 个环节, \(covered) 个已覆盖, \(chain.enterprises.count) 家本地企业, \(chain.leads.count) 条线索\n")
            }
            for plan in plans { Terminal.writeOutput("\(plan): ok — 产业体系\n") }
        }
    }
}
