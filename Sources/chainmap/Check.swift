import ArgumentParser
import ChainMapKit
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check chain files: exit 0 when every file loads, else print each problem as FILE:LINE:COL: error: … and exit 1."
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
        var planFailed = false
        var plans: [String] = []
        for file in files {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue,
                  let system = SystemPlanLoader.file(in: file)
            else { continue }
            let loaded = SystemPlanLoader().load(path: system, chains: set.chains)
            printer.print(loaded.diagnostics)
            if loaded.plan == nil { planFailed = true } else { plans.append(system) }
        }
        if set.hasErrors || planFailed { throw ExitCode(1) }
        if !quiet {
            for chain in set.chains {
                let covered = chain.linkRefs.filter(chain.isCovered).count
                Terminal.writeOutput("\(chain.file): ok — \(chain.name): \(chain.links.count) 个环节, \(covered) 个已覆盖, \(chain.enterprises.count) 家本地企业, \(chain.leads.count) 条线索\n")
            }
            for plan in plans { Terminal.writeOutput("\(plan): ok — 产业体系\n") }
        }
    }
}
