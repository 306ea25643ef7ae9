import ArgumentParser
import ChainMapKit
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

@main
struct Chainmap: ParsableCommand {
    /// Runs the command, first making SIGINT and SIGTERM remove the temporary files of
    /// unfinished atomic writes before the process ends as the signal would end it.
    static func main() {
        SignalCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "chainmap",
        abstract: "产业链招商地图: check chain files, find 补链/强链/延链 gaps, match leads, render maps and reports.",
        version: "0.1.0",
        subcommands: [Check.self, Gaps.self, Leads.self, Report.self, Render.self]
    )
}

/// Removes unfinished temporary files when the user interrupts a run (SIGINT) or it is
/// terminated (SIGTERM). The signal is taken on a dispatch queue, not in a signal
/// handler, so the removal may take a lock; then the signal's default action ends the
/// process with the status the shell expects (130 for Ctrl-C).
enum SignalCleanup {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []

    static func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileSystem.removeTemporaries()
                signal(number, SIG_DFL)
                raise(number)
            }
            source.resume()
            sources.append(source)
        }
    }
}
