import ArgumentParser
import ChainMapKit
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration.subcommand(
        commandName: "render",
        abstract: "Draw the 产业链招商地图 of chain files: DIR/<chain id>.<format> for each chain.",
        discussion: """
        Renders in-process with Graphviz (no `dot` program is run). A file that does not \
        load is reported as FILE:LINE:COL: error: … and gets no output; the others are \
        still drawn, and the exit status is 1. Files are replaced atomically, and the same \
        input always gives the same bytes.
        """
    )

    /// The formats, as the command line spells them.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case svg, png, pdf, dot

        var outputFormat: OutputFormat {
            switch self {
            case .svg: .svg
            case .png: .png
            case .pdf: .pdf
            case .dot: .dot
            }
        }
    }

    @Argument(help: "Chain files (.yaml) or directories of them.")
    var files: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("The directory to write the maps to.", valueName: "dir"))
    var output = "output"

    @Option(help: "The output format: svg (with ids, classes and tooltips, for web pages), png (slides), pdf (print), or dot (the Graphviz graph before layout).")
    var format: Format = .svg

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Draw the best n leads beside each gap and weak link (招商线索), from the chain files' leads: and the --leads files, ranked as chainmap leads ranks them (default: 3 with --leads, else 0).",
        valueName: "n"))
    var showLeads: Int?

    @Option(help: ArgumentHelp("Print the map on one page of this paper (A4 or A3) as a PDF of exactly that size, fitted within 15 mm margins.", valueName: "A4|A3"))
    var page: String?

    @Flag(help: "With --page: the page lies on its side.")
    var landscape = false

    @Flag(name: .customLong("targets-map"), help: "Draw the 招商目标分布图 instead of the chain map: the recommended leads per province (and region abroad) on a tile map of China, --prefer regions outlined; written as <id>-targets.<format>.")
    var targetsMap = false

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @OptionGroup(title: "Leads")
    var leads: LeadOptions

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    @OptionGroup(title: "Roster (摸排名录)")
    var local: LocalOptions

    func validate() throws {
        if let showLeads, showLeads < 0 { throw ValidationError("--show-leads must be 0 or more, got \(showLeads)") }
        if targetsMap && format == .dot { throw ValidationError("--targets-map draws svg, png or pdf, not dot") }
        if let page, PrintPage.Paper(rawValue: page.uppercased()) == nil {
            throw ValidationError("--page must be A4 or A3, got '\(page)'")
        }
        if page != nil && format != .svg && format != .pdf { throw ValidationError("--page makes a PDF; leave out --format or write --format pdf") }
        if page != nil && targetsMap { throw ValidationError("--page prints the chain map; the target map has no page size yet") }
        if landscape && page == nil { throw ValidationError("--landscape goes with --page A4 or A3") }
    }

    /// How many leads to draw beside each gap.
    var leadsPerLink: Int { showLeads ?? (leads.leadFiles.isEmpty ? 0 : 3) }

    func run() throws {
        let printer = DiagnosticPrinter()
        // --page prints a PDF.
        let printPage = page.flatMap { PrintPage.Paper(rawValue: $0.uppercased()) }.map { PrintPage($0, landscape: landscape) }
        let format = printPage == nil ? format.outputFormat : .pdf
        let missing = leads.missingFiles + local.missingFiles
        if !missing.isEmpty {
            printer.print(missing)
            throw ExitCode(1)
        }

        // Graphviz started before `main` (its context made, then warmed up on another
        // thread: `Graphviz.prepare(_:)`), taken once the chains are read, which stops the
        // warm-up; before, when lead, roster or ledger files are to
        // be read too, which can take seconds, so that a Graphviz without its plugins is
        // said at once. Either way, without them nothing can be drawn: say so once.
        let readsFiles = !(leads.leadFiles.isEmpty && local.files.isEmpty && local.projects.isEmpty)
        let early = readsFiles ? try Self.graphviz(for: format, printer: printer) : nil

        var options = try ChainPipeline.Options(analysis: analysis, leads: leads, local: local)
        // The target map counts every recommendation; the chain map keeps those it draws.
        options.retention = targetsMap ? .all : LeadRetention(best: 0, bestPerLink: leadsPerLink)
        let run = ChainPipeline(options: options).run(files, screening: targetsMap || leadsPerLink > 0)
        printer.print(run.diagnostics)
        let graphviz = try early ?? Self.graphviz(for: format, printer: printer)
        // Without a lead file's leads the maps would mislead: draw none.
        if run.leadsFailed { throw ExitCode(1) }
        let directory = output.hasSuffix("/") ? String(output.dropLast()) : output
        for chain in run.chains {
            let base = "\(directory.isEmpty ? "." : directory)/\(chain.chain.id)"
            let path = base + (targetsMap ? "-targets." : ".") + format.fileExtension
            do throws(DiagnosticError) {
                let rendered: GraphvizOutput
                if targetsMap {
                    let map = TargetMap(
                        TargetDistribution(chain.recommendations), preferredRegions: options.scoring.preferredRegions,
                        title: ReportText.targetMapTitle(chain.chain, count: chain.recommendations.count), theme: MapTheme(style: chain.chain.style))
                    rendered = try map.render(format, with: graphviz)
                } else {
                    let leads = chain.screening.map { ChainMap.leads(from: $0, perLink: leadsPerLink) } ?? [:]
                    let map = ChainMap(chain.analysis, leads: leads, options: MapOptions(leadsPerLink: leadsPerLink))
                    if let printPage {
                        rendered = try map.render(page: printPage, with: graphviz)
                    } else {
                        rendered = try map.render(format, with: graphviz)
                    }
                }
                printer.print(rendered.warnings)
                try FileSystem.writeAtomically(rendered.bytes, to: path)
            } catch {
                printer.print(error.diagnostics)
                continue
            }
            if !quiet { Terminal.writeOutput("\(chain.chain.file) → \(path)\n") }
        }
        if printer.hasErrors || run.hasErrors { throw ExitCode(1) }
    }

    /// The run's Graphviz (``Graphviz/started()``), able to draw `format`, with what it
    /// warned about while loading its plugins printed; else its problems printed, and
    /// exit status 1.
    private static func graphviz(for format: OutputFormat, printer: DiagnosticPrinter) throws -> Graphviz {
        do throws(DiagnosticError) {
            let graphviz = try Graphviz.started()
            printer.print(graphviz.startupWarnings)
            try graphviz.requirePlugins(for: format)
            return graphviz
        } catch {
            printer.print(error.diagnostics)
            throw ExitCode(1)
        }
    }
}
