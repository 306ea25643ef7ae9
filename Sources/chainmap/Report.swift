import ArgumentParser
import ChainMapKit
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the planning report of chains: per chain <id>.html (one self-contained web page) and <id>.md, with --docx also <id>.docx.",
        discussion: """
            Sections, in Chinese: 概览, 产业链全景图, 重点企业和配套企业名录, 缺失与薄弱环节, \
            招商目标企业推荐, 产业生态发展路线图, 项目清单. The map is written beside the \
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

    @Option(name: .customLong("leads"), help: ArgumentHelp(
        "A lead file: .csv/.tsv export or .yaml with leads: (repeatable), screened for every chain.",
        valueName: "file"))
    var leadFiles: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("The directory to write the reports to.", valueName: "dir"))
    var output = "output"

    @Flag(help: "Also write <id>.docx (Word), made from the Markdown by pandoc.")
    var docx = false

    @Option(name: .customLong("per-gap"), help: ArgumentHelp("Leads recommended for each gap and weak link.", valueName: "n"))
    var perGap = 3

    @Option(name: .customLong("max-leads"), help: ArgumentHelp(
        "List at most n leads in the ranked list (0 lists all).", valueName: "n"))
    var maxLeads = 300

    @Option(help: ArgumentHelp(
        "Target regions in order of preference, e.g. 粤港澳,长三角,京津冀 (regions or provinces).",
        valueName: "regions"))
    var prefer: String?

    @Flag(name: .customLong("no-index"), help: "Do not write index.html and index.md, even for a directory.")
    var noIndex = false

    @Flag(name: .shortAndLong, help: "Print nothing but problems.")
    var quiet = false

    @OptionGroup(title: "Analysis thresholds")
    var analysis: AnalysisOptions

    func validate() throws {
        if perGap < 0 { throw ValidationError("--per-gap must be 0 or more, got \(perGap)") }
        if maxLeads < 0 { throw ValidationError("--max-leads must be 0 or more, got \(maxLeads)") }
        if leadFiles.contains("-") {
            throw ValidationError("--leads -: the report screens the lead files once per chain, so it cannot read standard input; save the export to a file and name it")
        }
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
        // pandoc first: without it --docx cannot be honoured, so write nothing.
        var pandoc: Pandoc?
        if docx {
            guard let found = Pandoc.find() else {
                Terminal.printDiagnostics([Pandoc.missing])
                throw ExitCode(1)
            }
            let styled = found.withReportStyles()
            Terminal.printDiagnostics(styled.warnings)
            pandoc = styled.pandoc
        }
        // Lead files next: a report without the leads asked for would mislead.
        let missing = leadFiles.filter { file in
            var isDirectory: ObjCBool = false
            return !FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) || isDirectory.boolValue
        }
        if !missing.isEmpty {
            Terminal.printDiagnostics(missing.map { .error("no such lead file: \($0)") })
            throw ExitCode(1)
        }
        var scoring = LeadScoring()
        if let prefer {
            scoring.preferredRegions = prefer.split(whereSeparator: { ",，、;； ".contains($0) }).map(String.init)
        }

        let set = ChainSet(arguments: files)
        Terminal.printDiagnostics(set.diagnostics)
        var failed = set.hasErrors
        guard !set.chains.isEmpty else { throw ExitCode(1) }

        // Graphviz: without it the reports are still written, without their maps.
        var graphviz: Graphviz?
        var graphvizProblem: String?
        do throws(DiagnosticError) {
            graphviz = try Graphviz()
        } catch {
            Terminal.printDiagnostics(error.diagnostics)
            graphvizProblem = error.diagnostics.map(\.message).joined(separator: "；")
            failed = true
        }

        let builder = ReportBuilder(
            leadFiles: leadFiles, scoring: scoring,
            options: ChainReport.Options(leadsPerGap: perGap, maxLeads: maxLeads), png: docx)
        let writer = ReportWriter(directory: output, pandoc: pandoc)
        let index = wantsIndex(chains: set.chains.count)
        var reports: [ChainReport] = []
        var printed: Set<String> = []
        for chain in set.chains {
            let built = builder.build(
                chain, settings: analysis.settings(for: chain), graphviz: graphviz, graphvizProblem: graphvizProblem)
            // Lead files give the same problems for every chain: print each once.
            Terminal.printDiagnostics(built.diagnostics.filter { printed.insert($0.description).inserted })
            failed = failed || built.failed
            // Without the leads of a lead file the recommendations and lists would be
            // wrong: write nothing for the chain.
            guard !built.leadsFailed else { continue }
            reports.append(built.report)
            do throws(DiagnosticError) {
                let result = try writer.write(built.report, png: built.png, indexPage: index ? "index.html" : nil)
                Terminal.printDiagnostics(result.warnings)
                if !quiet { print("\(chain.file) → \(result.paths.joined(separator: ", "))") }
            } catch {
                Terminal.printDiagnostics(error.diagnostics)
                failed = true
            }
        }
        if index && !reports.isEmpty {
            do throws(DiagnosticError) {
                let result = try writer.writeIndex(reports)
                Terminal.printDiagnostics(result.warnings)
                if !quiet { print("产业体系总览 → \(result.paths.joined(separator: ", "))") }
            } catch {
                Terminal.printDiagnostics(error.diagnostics)
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
