import ArgumentParser
import ChainMapKit
#if canImport(Glibc)
import Glibc
#endif

@main
struct Chainmap: ParsableCommand {
    /// Runs the command, first making SIGINT and SIGTERM remove the temporary files of
    /// unfinished atomic writes before the process ends as the signal would end it.
    static func main() {
        SignalCleanup.install()
        // The commands that match keywords start loading OpenCC's dictionaries (about
        // 30 ms, on another thread) before the arguments are parsed, not after: the
        // pipeline asks again when it needs them, and waits only for what is left.
        if let command = CommandLine.arguments.dropFirst().first, Self.matchesKeywords.contains(command) {
            ChineseVariants.prepare()
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    /// The commands whose usual run expands keywords into Traditional spellings.
    static let matchesKeywords: Set<String> = ["leads", "report", "locate"]

    static let configuration = CommandConfiguration(
        commandName: "chainmap",
        abstract: "产业链招商地图: check chain files, find 补链/强链/延链 gaps, match leads, render maps and reports.",
        version: "0.1.0",
        // Each subcommand names itself (`commandName`): a name derived from its type took a
        // search through every loaded library's protocol conformances at each start.
        subcommands: [Check.self, Gaps.self, Leads.self, Locate.self, Projects.self, Compare.self, Diff.self, Report.self, Render.self]
    )
}

/// Removes unfinished temporary files when the user interrupts a run (SIGINT) or it is
/// terminated (SIGTERM): a signal handler walks the list of open temporary files that
/// ``FileSystem`` publishes, unlinks them (both async-signal-safe), then lets the
/// signal's default action end the process with the status the shell expects (130 for
/// Ctrl-C).
enum SignalCleanup {
    static func install() {
        // A parent may start chainmap with these signals blocked or ignored (both are
        // inherited): unblock them and take them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        FileSystem.removeTemporariesInSignalHandler()  // initialises what the handler reads
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                FileSystem.removeTemporariesInSignalHandler()
                Glibc.signal(signal, SIG_DFL)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(number, &action, nil)
        }
    }
}
