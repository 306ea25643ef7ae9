import ArgumentParser
import CCommandStart
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
        let subcommand = CommandLine.arguments.dropFirst().first ?? ""
        // The commands that match keywords start loading OpenCC's dictionaries (about
        // 30 ms, on another thread) before the arguments are parsed, not after: the
        // pipeline asks again when it needs them, and waits only for what is left.
        if Self.matchesKeywords.contains(subcommand) {
            ChineseVariants.prepare()
        }
        // The commands that draw had their Graphviz context made and warmed up from
        // before `main` (Sources/CCommandStart): then this does nothing. Elsewhere (a C
        // library that gives constructors no arguments) Graphviz starts here.
        if chainmap_command_draws_maps(subcommand) {
            Graphviz.prepare(.fromEnvironment)
        }
        do {
            var command = try parseAlone(Array(CommandLine.arguments.dropFirst())) ?? parseAsRoot()
            try command.run()
            Graphviz.endPreparation()
        } catch {
            // A run that ended before drawing (--help, a mistake, a missing file) waits for
            // Graphviz's start, so that the process never exits inside Graphviz.
            Graphviz.endPreparation()
            exit(withError: error)
        }
    }

    /// The subcommand the arguments begin with, parsed on its own; nil sends them through
    /// the whole tree (`parseAsRoot`), as always.
    ///
    /// Parsed through the tree, every start reflected over each subcommand's arguments
    /// (for passthrough arguments) and parsed two pseudo-commands to look for a completion
    /// script request: 6 M of the 23 M instructions parsing took (`render`), about 1 ms
    /// of every start. Alone, a subcommand
    /// reads its arguments with the same parser and the same `validate()`, so a parse that
    /// succeeds is the one the tree gives (a test compares the two). Whatever does not
    /// parse as a plain run of that subcommand (help, a completion script, a mistake)
    /// returns nil and goes through the tree, which words it exactly as before.
    static func parseAlone(_ arguments: [String]) -> ParsableCommand? {
        guard let name = arguments.first,
            let type = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
            let command = try? type.parseAsRoot(Array(arguments.dropFirst())),
            Swift.type(of: command) == type
        else { return nil }
        return command
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

extension CommandConfiguration {
    /// The configuration of a subcommand of `chainmap`. It names `chainmap` as its super
    /// command, which matters only when the subcommand is parsed on its own
    /// (``Chainmap/parseAlone(_:)``): the parser then skips its completion-script check,
    /// which only the whole tree answers. Within the tree, only the root's is read.
    static func subcommand(commandName: String, abstract: String, discussion: String = "") -> CommandConfiguration {
        var configuration = CommandConfiguration(commandName: commandName, abstract: abstract, discussion: discussion)
        configuration._superCommandName = "chainmap"
        return configuration
    }
}
