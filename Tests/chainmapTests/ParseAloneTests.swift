import ArgumentParser
import Testing
@testable import chainmap

/// `Chainmap.parseAlone(_:)` parses the subcommand an argument list begins with on its own,
/// skipping the whole tree's reflection at each start; it must give exactly what the tree
/// gives, or nil so that the tree parses (and words help and errors) as always.
@Suite("chainmap's subcommands parsed on their own")
struct ParseAloneTests {
    /// Plain runs of every subcommand, with options of each kind (flags, options with
    /// values, repeated options, option groups, positional lists, `--`).
    static let runs: [[String]] = [
        ["check", "chains/laser.yaml"],
        ["check", "chains/laser.yaml", "chains/nev-battery.yaml", "--quiet"],
        ["gaps", "chains/laser.yaml", "--json", "--edges", "-o", "gaps.json"],
        ["gaps", "--markdown", "--min-enterprises", "3", "chains/"],
        ["leads", "--leads", "a.csv", "--json", "chains/laser.yaml", "-o", "leads.json"],
        ["leads", "--leads", "a.csv", "--leads", "b.xlsx", "chains/laser.yaml", "--top", "300", "--per-gap", "2", "--quiet",
         "--csv", "--prefer", "粤港澳,深圳", "--exclude-province", "重庆", "--tier-weight", "上市公司=10", "--encoding", "gbk"],
        ["locate", "chains/", "--local", "roster.xlsx", "--local-threshold", "0.7", "--json", "--unplaced"],
        ["projects", "ledger.xlsx", "--chains", "chains", "--as-of", "2026-06-30", "--json", "--output", "p.json"],
        ["compare", "a.yaml", "b.yaml", "--markdown", "--min-enterprises", "3", "--tier-tags", "上市公司,链主"],
        ["diff", "chains/laser.yaml", "--since", "HEAD~1", "--json"],
        ["report", "chains/", "--leads", "a.csv", "-o", "out", "--quiet"],
        ["report", "chains/laser.yaml", "--docx", "--xlsx", "--per-gap", "2", "--max-leads", "10", "--no-index"],
        ["render", "chains/laser.yaml", "-o", "out", "--quiet"],
        ["render", "chains/laser.yaml", "--format", "pdf", "--page", "A4", "--landscape", "--show-leads", "3"],
        ["render", "--format", "png", "--", "-odd-name.yaml"],
    ]

    @Test(arguments: runs)
    func aPlainRunParsesAsThroughTheTree(_ arguments: [String]) throws {
        let alone = try #require(Chainmap.parseAlone(arguments), "\(arguments)")
        let tree = try Chainmap.parseAsRoot(arguments)
        #expect(type(of: alone) == type(of: tree))
        var (a, b) = ("", "")
        dump(alone, to: &a)
        dump(tree, to: &b)
        #expect(a == b)
        #expect(a.count > 100)  // the dump shows the parsed values, not an empty shell
    }

    /// Help, version, completion scripts, the help subcommand, an unknown command and
    /// every mistake go through the tree, which words them.
    @Test(arguments: [
        [], ["--help"], ["--version"], ["help"], ["help", "render"], ["nonsense", "x"],
        ["render", "--help"], ["render", "-h"], ["leads", "--help"], ["render", "--version"],
        ["render", "--generate-completion-script", "bash"], ["render", "--generate-completion-script"],
        ["render", "--experimental-dump-help"], ["render", "--no-such-option"],
        ["render", "chains/laser.yaml", "--format", "gif"], ["check"], ["leads", "--top", "-1", "chains/laser.yaml"],
    ] as [[String]])
    func anythingElseGoesThroughTheTree(_ arguments: [String]) {
        #expect(Chainmap.parseAlone(arguments) == nil)
    }
}
