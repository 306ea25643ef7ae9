import ArgumentParser
import ChainMapKit
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "report",
        abstract: "Write the planning report of chains: per chain <id>.html (one self-contained web page) and <id>.md, with --docx also <id>.docx.",
        discussion: """
            Sections, in Chinese: 概览, 产业链全景图, 重点企业和配套企业名录, 缺失与薄弱环节, \
            招商目标企业推荐, 产业生态发展路线图, 项目清单, and with a project ledger \
            项目推进与考核 (KPI cards against the chain file's targets:, a quarterly chart \
            written as <id>-projects.svg, alerts and lists; the roadmap then on real quarters, \
            as of --as-of). The map is written beside the \
            report as <id>.svg (the same as chainmap render) and inlined into the page; \
            --docx also writes <id>.png and needs pandoc. For a directory, or several chains, \
            index.html and index.md give the 产业体系 overview. Leads come from the chain \
            file's leads: and every --leads file, ranked as chainmap leads ranks them. \
            Files are replaced atomically and the same input gives the same bytes. The \
            roadmap's derivation and the sections are described in docs/report.md.
            """
    )

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The directory to write the reports to.", valueName: "dir"))
    var output = "output"

    @Flag(help: "Also write <id>.docx (Word), made from the Markdown by pandoc.")
    var docx = false

    @Flag(help: "Also write <id>.xlsx: the gaps, the leads, each gap's leads, the local enterprises and the project lists, one sheet each (and index.xlsx beside the overview).")
    var xlsx = false

    @Option(name: .customLong("per-gap"), parsing: .unconditional, help: ArgumentHelp("Leads recommended for each gap and weak link.", valueName: "n"))
    var perGap = 3

    @Option(name: .customLong("max-leads"), parsing: .unconditional, help: ArgumentHelp(
        "List at most n leads in the ranked list (0 lists all).", valueName: "n"))
    var maxLeads = 300

    @Flag(name: .customLong("no-index"), help: "Do not write index.html and index.md, even for a directory.")
    var noIndex = false

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @OptionGroup(title: "Leads")
    var leads: LeadOptions

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    @OptionGroup(title: "Roster (摸排名录)")
    var local: LocalOptions

    func validate() throws {
        if perGap < 0 { throw ValidationError("--per-gap must be 0 or more, got \(perGap)") }
        if maxLeads < 0 { throw ValidationError("--max-leads must be 0 or more, got \(maxLeads)") }
    }

    /// Whether to write the overview: for a directory, or for more than one chain.
    func wantsIndex(chains: Int) -> Bool {
        guard !noIndex else { return false }
        if chains > 1 { return true }
        return files.contains { file in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    func run() throws {
        let printer = DiagnosticPrinter()
        // pandoc first: without it --docx cannot be honoured, so write nothing.
        var pandoc: Pandoc?
        if docx {
            guard let found = Pandoc.find() else {
                printer.print([Pandoc.missing])
                throw ExitCode(1)
            }
            let styled = found.withReportStyles()
            printer.print(styled.warnings)
            pandoc = styled.pandoc
        }
        // Lead files next: a report without the leads asked for would mislead.
        let missing = leads.missingFiles + local.missingFiles
        if !missing.isEmpty {
            printer.print(missing)
            throw ExitCode(1)
        }

        var options = try ChainPipeline.Options(analysis: analysis, leads: leads, local: local)
        // The report lists the best --max-leads and the best --per-gap of each gap: only
        // those are kept while reading.
        options.retention = maxLeads > 0 ? LeadRetention(best: maxLeads, bestPerLink: perGap) : .all
        let builder = ReportBuilder(options: ChainReport.Options(leadsPerGap: perGap, maxLeads: maxLeads), png: docx)
        // Graphviz starts, and draws the figures that the leads do not change, while the
        // leads are read.
        let drawing = ReportFigures()
        let run = ChainPipeline(options: options).run(files, screening: true, alongside: { chains in
            guard !chains.isEmpty else { return }
            drawing.draw(chains, builder: builder)
        })
        printer.print(run.diagnostics)
        // Graphviz's own problems, said whatever the leads gave: they are the machine's.
        let (graphviz, graphvizDiagnostics, figures) = drawing.result
        printer.print(graphvizDiagnostics)
        // Without the leads of a lead file the recommendations and lists would be wrong:
        // write nothing.
        guard !run.chains.isEmpty, !run.leadsFailed else { throw ExitCode(1) }

        // Graphviz: without it the reports are still written, without their maps.
        let graphvizProblem = graphviz == nil ? graphvizDiagnostics.map(\.message).joined(separator: "；") : nil
        var writer = ReportWriter(directory: output, pandoc: pandoc)
        writer.workbooks = xlsx
        let index = wantsIndex(chains: run.chains.count)
        var failed = false
        var written: [AnalysedChain] = []
        var unwritten: [String] = []
        // The overview's totals and pages are worked out while the chains' reports are written.
        let system = index ? run.systemAlongside() : nil
        writer.write(
            run.chains, builder: builder, graphviz: graphviz, graphvizProblem: graphvizProblem,
            indexPage: index ? "index.html" : nil, figures: figures
        ) { chain, built, result in
            printer.print(built.diagnostics)
            failed = failed || built.mapFailed
            switch result {
            case .success(let result):
                printer.print(result.warnings)
                written.append(chain)
                if !quiet { Terminal.writeOutput("\(chain.chain.file) → \(result.paths.joined(separator: ", "))\n") }
            case .failure(let error):
                printer.print(error.diagnostics)
                unwritten.append(chain.chain.name)
                failed = true
            }
        }
        if !unwritten.isEmpty {
            printer.print([.error(
                .output,
                "the reports of \(unwritten.count) chain(s) could not be written and none of their files were left: \(unwritten.joined(separator: ", "))"
                    + (index && !written.isEmpty ? "; the overview lists the \(written.count) written" : ""))])
        }
        if let system, !written.isEmpty {
            do throws(DiagnosticError) {
                let result = try writer.writeIndex(system.pages(of: written, failed: unwritten))
                printer.print(result.warnings)
                if !quiet { Terminal.writeOutput("产业体系总览 → \(result.paths.joined(separator: ", "))\n") }
            } catch {
                printer.print(error.diagnostics)
                failed = true
            }
        }
        if failed || printer.hasErrors || run.hasErrors { throw ExitCode(1) }
    }
}

