import ArgumentParser
import ChainMapKit
import Foundation

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    @Option(name: .customLong("leads"), help: ArgumentHelp(
        "A lead file: .csv/.tsv export or .yaml with leads: (repeatable), screened for every chain; implies --show-leads 3.",
        valueName: "file"))
    var leadFiles: [String] = []

    @Option(help: ArgumentHelp(
        "Draw the best n leads beside each gap and weak link (招商线索), from the chain file's leads: and the --leads files, ranked as chainmap leads ranks them (default: 3 with --leads, else 0).",
        valueName: "n"))
    var showLeads: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func validate() throws {
        if let showLeads, showLeads < 0 { throw ValidationError("--show-leads must be 0 or more, got \(showLeads)") }
        if leadFiles.contains("-") {
            throw ValidationError("--leads -: the lead files are screened once per chain, so standard input cannot be one; save the export to a file and name it")
        }
    }

    /// How many leads to draw beside each gap.
    var leadsPerLink: Int { showLeads ?? (leadFiles.isEmpty ? 0 : 3) }

    func run() throws {
        let format = format.outputFormat
        // Graphviz first: without its plugins nothing can be drawn, so say so once.
        let graphviz: Graphviz
        do throws(DiagnosticError) {
            graphviz = try Graphviz()
            try graphviz.requirePlugins(for: format)
        } catch {
            Terminal.printDiagnostics(error.diagnostics)
            throw ExitCode(1)
        }

        // A lead file that is not there would leave every map without its leads.
        let missing = leadFiles.filter { !FileManager.default.fileExists(atPath: $0) }
        if !missing.isEmpty {
            Terminal.printDiagnostics(missing.map { .error("no such lead file: \($0)") })
            throw ExitCode(1)
        }

        let set = ChainSet(arguments: files)
        Terminal.printDiagnostics(set.diagnostics)
        var failed = set.hasErrors
        // The same problem (a font, a lead file's bad row) for every chain says nothing new.
        var printed: Set<String> = []
        func report(_ diagnostics: [Diagnostic]) {
            Terminal.printDiagnostics(diagnostics.filter { printed.insert($0.description).inserted })
            if diagnostics.contains(where: \.isError) { failed = true }
        }
        let directory = output.hasSuffix("/") ? String(output.dropLast()) : output
        for chain in set.chains {
            let analysis = GapAnalysis(chain, settings: self.analysis.settings(for: chain))
            var leads: [LinkRef: [MapLead]] = [:]
            if leadsPerLink > 0 {
                do throws(DiagnosticError) {
                    let screening = try LeadScreener(analysis: analysis).screen([.chainFile] + leadFiles.map { .file($0) })
                    report(screening.diagnostics)
                    // Without a lead file's leads the map would mislead: draw nothing.
                    if screening.failed {
                        failed = true
                        continue
                    }
                    leads = ChainMap.leads(from: screening, perLink: leadsPerLink)
                } catch {
                    report(error.diagnostics)
                    continue
                }
            }
            let map = ChainMap(analysis, leads: leads, options: MapOptions(leadsPerLink: leadsPerLink))
            let path = "\(directory.isEmpty ? "." : directory)/\(chain.id).\(format.fileExtension)"
            do {
                let rendered = try map.render(format, with: graphviz)
                report(rendered.warnings)
                try FileSystem.writeAtomically(rendered.bytes, to: path)
            } catch let error as DiagnosticError {
                report(error.diagnostics)
                continue
            } catch let error as FileSystem.Failure {
                report([error.diagnostic])
                continue
            }
            if !quiet { print("\(chain.file) → \(path)") }
        }
        if failed { throw ExitCode(1) }
    }
}
