import Foundation
import Testing
@testable import ChainMapKit

/// The chain library in `chains/`: every template a bureau starts from is a real panorama.
@Suite("Chain library (chains/)")
struct ChainLibraryTests {
    static let chainsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("chains")

    static let files: [String] = (try? FileManager.default.contentsOfDirectory(atPath: chainsDirectory.path))?
        .filter { $0.hasSuffix(".yaml") && !SystemPlanLoader.fileNames.contains($0) }.sorted() ?? []

    static func load(_ name: String) throws -> Chain {
        let result = ChainLoader().load(path: chainsDirectory.appendingPathComponent(name).path)
        #expect(result.diagnostics.isEmpty, "\(name): \(result.diagnostics)")
        return try #require(result.chain, "\(name)")
    }

    @Test func theTenIndustriesThePlansNameAreThere() {
        #expect(Self.files == [
            "advanced-materials.yaml", "auto-parts.yaml", "electronics.yaml", "energy-saving.yaml",
            "laser.yaml", "natural-gas.yaml", "nev-battery.yaml", "pharma-health.yaml",
            "prepared-food.yaml", "smart-equipment.yaml",
        ])
    }

    @Test(arguments: files)
    func isARealPanorama(_ name: String) throws {
        let chain = try Self.load(name)
        let links = chain.links
        #expect((12...30).contains(links.count), "\(name): \(links.count) links")
        let withEdges = links.filter { !$0.supplies.isEmpty || !chain.suppliers[$0.ref.index].isEmpty }
        #expect(withEdges.count * 2 >= links.count, "\(name): edges on \(withEdges.count)/\(links.count)")
        let withCodes = links.filter { !$0.codes.isEmpty }
        #expect(withCodes.count * 10 >= links.count * 6, "\(name): codes on \(withCodes.count)/\(links.count)")
        let withKeywords = links.filter { !$0.keywords.isEmpty }
        #expect(withKeywords.count * 10 >= links.count * 8, "\(name): keywords on \(withKeywords.count)/\(links.count)")
        for code in links.flatMap(\.codes) {
            #expect(IndustryCodeTable.standard.entry(for: code) != nil, "\(name): \(code)")
        }
        #expect(chain.id + ".yaml" == name)
        #expect(chain.region?.hasPrefix("示例") == true, "\(name): the local region must be a clearly fictitious example")
        #expect(chain.enterprises.allSatisfy { $0.name.hasPrefix("示例") }, "\(name): local enterprises are fictitious")
        #expect(chain.enterprises.contains { $0.role == .leader }, "\(name): a 链主")
        #expect(!chain.leads.isEmpty, "\(name): real enterprises as leads")
    }

    @Test(arguments: files)
    func namesItsPublicSourcesInAHeader(_ name: String) throws {
        let text = try String(contentsOf: Self.chainsDirectory.appendingPathComponent(name), encoding: .utf8)
        let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") || $0.isEmpty }
        #expect(header.count >= 3, "\(name)")
        #expect(header.contains { $0.contains("参考") || $0.contains("来源") }, "\(name)")
    }

    @Test(arguments: files)
    func showsStrongWeakAndMissingLinks(_ name: String) throws {
        let analysis = GapAnalysis(try Self.load(name))
        let statuses = Set(analysis.statuses)
        #expect(statuses.isSuperset(of: [.covered, .strengthen, .fill, .extend]), "\(name): \(statuses)")
    }

    /// The gap's priority with one decimal in every lead's reasons and every map
    /// tooltip, as the gaps table prints it: `优先级 53.0` beside `优先级 32.7`, not `53`.
    @Test(arguments: files)
    func prioritiesPrintWithOneDecimal(_ name: String) throws {
        let analysis = GapAnalysis(try Self.load(name))
        let screening = try LeadScreener(analysis: analysis).screen([.chainFile]).screenings[0]
        var texts = screening.analysis.entries.flatMap { entry in
            screening.leads(for: entry.link).flatMap(\.reasons)
        }
        let graph = ChainMap(analysis).graph()
        texts += graph.nodes.compactMap { node -> String? in
            if case .text(let tooltip) = node.attributes["tooltip"] { return tooltip }
            return nil
        }
        var seen = 0
        for text in texts {
            var rest = Substring(text)
            while let found = rest.range(of: "优先级 ") {
                let figure = rest[found.upperBound...].prefix { $0.isNumber || $0 == "." }
                #expect(figure.split(separator: ".").map(\.count).dropFirst() == [1], "\(name): 优先级 \(figure) in \(text)")
                seen += 1
                rest = rest[found.upperBound...]
            }
        }
        #expect(seen > 0, "\(name): no priority printed")
    }

    @Test func realWorldQuirksAreKept() throws {
        // The recycling loop: 电池回收 feeds the raw materials again.
        let nev = try Self.load("nev-battery.yaml")
        let recycling = try #require(nev.links.first { $0.name.contains("回收") })
        #expect(recycling.supplies.contains { nev[$0].stage < recycling.stage })
        // 芯片 is shared between 电子信息 and 汽车零部件.
        let chipInAuto = try Self.load("auto-parts.yaml").links.filter { $0.name.contains("芯片") }
        let chipInElectronics = try Self.load("electronics.yaml").links.filter { $0.name.contains("芯片") }
        #expect(!chipInAuto.isEmpty && !chipInElectronics.isEmpty)
        #expect(Set(chipInAuto.map(\.id)).intersection(chipInElectronics.map(\.id)).count >= 1)
        // 预制菜 needs 冷链.
        #expect(try Self.load("prepared-food.yaml").links.contains { $0.name.contains("冷链") })
        // A services stage where the file declares one.
        let pharma = try Self.load("pharma-health.yaml")
        let services = try #require(pharma.stages.first { $0.name == "服务" })
        #expect(pharma.links.contains { $0.stage == services.index && ($0.name.contains("CRO") || $0.name.contains("检测")) })
    }
}
