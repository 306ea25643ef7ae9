import ChainMapKit
import Foundation
import Testing

/// The documentation a user reads: every relative link of README.md and docs/ leads to a
/// file of the repository, and every `#anchor` to a heading of that file (issue 13, item 14).
@Suite("Documentation links")
struct DocumentationTests {
    /// The Markdown files users read.
    static func documents() throws -> [URL] {
        let root = BinaryRunner.packageRoot
        let docs = root.appendingPathComponent("docs")
        var files = [root.appendingPathComponent("README.md")]
        let enumerator = FileManager.default.enumerator(at: docs, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "md" { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// GitHub's anchor for a heading: lower case, punctuation other than `-` and `_`
    /// dropped, spaces to `-`; CJK characters kept.
    static func anchor(_ heading: String) -> String {
        var out = ""
        for character in heading.lowercased() {
            if character == " " {
                out.append("-")
            } else if character == "-" || character == "_" || character.isLetter || character.isNumber {
                out.append(character)
            }
        }
        return out
    }

    /// The anchors of a Markdown file's headings (outside code blocks), with GitHub's
    /// numbering of repeats, plus any explicit `<a id="…">`.
    static func anchors(of text: String) -> Set<String> {
        var seen: [String: Int] = [:]
        var result = Set<String>()
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            if inCode { continue }
            if line.hasPrefix("#") {
                let heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                let base = anchor(heading)
                let count = seen[base, default: 0]
                seen[base] = count + 1
                result.insert(count == 0 ? base : "\(base)-\(count)")
            }
            var rest = Substring(line)
            while let range = rest.range(of: "<a id=\"") {
                let after = rest[range.upperBound...]
                if let end = after.firstIndex(of: "\"") { result.insert(String(after[..<end])) }
                rest = after
            }
        }
        return result
    }

    /// The targets of the inline links `[text](target)` of a Markdown file, outside code.
    static func links(of text: String) -> [String] {
        var result: [String] = []
        var inCode = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inCode.toggle() }
            if inCode { continue }
            // Inline code is not a link: drop what is between backticks.
            var rest = Substring(line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " "))
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                result.append(String(after[..<close]).split(separator: " ").first.map(String.init) ?? "")
                rest = after[close...]
            }
        }
        return result
    }

    @Test("every relative link of README.md and docs/ resolves, anchors included")
    func linksResolve() throws {
        var broken: [String] = []
        for file in try Self.documents() {
            let text = try String(contentsOf: file, encoding: .utf8)
            for target in Self.links(of: text) where !target.contains("://") && !target.hasPrefix("mailto:") {
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let path = parts[0].removingPercentEncoding ?? parts[0]
                let destination = path.isEmpty ? file : file.deletingLastPathComponent().appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: destination.path) else {
                    broken.append("\(file.lastPathComponent): \(target) (no such file)")
                    continue
                }
                if parts.count == 2, destination.pathExtension == "md" {
                    let anchors = Self.anchors(of: try String(contentsOf: destination, encoding: .utf8))
                    let wanted = parts[1].removingPercentEncoding ?? parts[1]
                    if !anchors.contains(wanted) { broken.append("\(file.lastPathComponent): \(target) (no such heading)") }
                }
            }
        }
        #expect(broken == [])
    }

    @Test("the anchor rule follows GitHub's")
    func anchorRule() {
        #expect(Self.anchor("Regions") == "regions")
        #expect(Self.anchor("目标区域（--prefer）") == "目标区域--prefer")
        #expect(Self.anchors(of: "# A\n## A\n```\n# B\n```\n") == ["a", "a-1"])
    }

    @Test("the docs list every region that --prefer takes")
    func regionsAreDocumented() throws {
        let matching = try String(contentsOf: BinaryRunner.packageRoot.appendingPathComponent("docs/matching.md"), encoding: .utf8)
        let missing = Regions.regions.map(\.name).filter { !matching.contains($0) }
        #expect(missing == [])
    }
}
