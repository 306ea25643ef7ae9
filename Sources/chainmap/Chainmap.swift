import ArgumentParser
import ChainMapKit

@main
struct Chainmap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chainmap",
        abstract: "产业链招商地图: check chain files, find 补链/强链/延链 gaps, match leads, render maps and reports.",
        version: "0.1.0",
        subcommands: [Check.self, Gaps.self, Leads.self, Report.self, Render.self]
    )
}
