import ChainMapKit
import Foundation
import Testing

/// Shared helpers of the lead tests: the fixture chain, fixture paths, temporary files
/// and screening shortcuts.
enum LeadFixtures {
    /// The directory of the lead fixtures (Fixtures/leads).
    static func directory() throws -> URL {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return root.appendingPathComponent("leads")
    }

    static func path(_ name: String) throws -> String {
        try directory().appendingPathComponent(name).path
    }

    /// The fixture chain (Fixtures/leads/chain.yaml).
    static func chain() throws -> Chain {
        let result = ChainLoader().load(path: try path("chain.yaml"))
        return try #require(result.chain, "\(result.diagnostics)")
    }

    /// A chain from YAML text.
    static func chain(_ yaml: String) throws -> Chain {
        let result = ChainLoader().load(bytes: Array(yaml.utf8), file: "test.yaml", defaultID: "test")
        return try #require(result.chain, "\(result.diagnostics)")
    }

    /// Writes bytes to a new temporary file named `name` and returns its path.
    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
        let directory = try TestScratch.directory("chainmap-leads")
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> String {
        try temporaryFile(name, Array(text.utf8))
    }

    /// Screens lead files (not the chain's own leads) against a chain.
    static func screen(
        _ chain: Chain, files: [String], scoring: LeadScoring = LeadScoring(),
        reading: ReadingOptions = ReadingOptions()
    ) throws -> LeadScreening {
        let screener = try LeadScreener(analysis: GapAnalysis(chain), scoring: scoring, reading: reading)
        return screener.screen(files.map { .file($0) }).screenings[0]
    }

    /// A lead with the given fields, at test.csv:1.
    static func lead(
        _ name: String, scope: String? = nil, code: String? = nil, links: [LinkRef] = [], tags: [String] = [],
        province: String? = nil, capital: Double? = nil, invest: Double? = nil, status: Lead.Status? = nil,
        partner: String? = nil
    ) -> Lead {
        Lead(
            name: name, links: links, code: code.flatMap(IndustryCode.init(parsing:)), scope: scope,
            province: province, tags: tags, capital: capital, invest: invest, status: status,
            partner: partner, location: FileLocation(file: "test.csv", line: 1, column: 1))
    }
}

extension LeadScreening {
    /// The recommended names, best first.
    var names: [String] { recommendations.map(\.lead.name) }

    /// The recommendation of a name.
    func recommendation(_ name: String) -> Recommendation? {
        recommendations.first { $0.lead.name == name }
    }

    /// The ids of the links a recommendation matches, best first.
    func linkIDs(_ name: String) -> [String] {
        recommendation(name).map { $0.matches.map { analysis.chain[$0.link].id } } ?? []
    }

    /// The error diagnostics, as FILE:LINE:COL: error: MESSAGE lines.
    var errors: [Diagnostic] { diagnostics.filter(\.isError) }
}
