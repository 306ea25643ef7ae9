import Foundation
import Testing
@testable import ChainMapKit

/// Loads a fixture under Fixtures/ and names it by its path there in diagnostics.
func loadFixture(_ name: String) throws -> ChainLoader.Result {
    let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let bytes = try Array(Data(contentsOf: root.appendingPathComponent(name)))
    let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
    return ChainLoader().load(bytes: bytes, file: name, defaultID: stem)
}

/// Loads inline YAML as a chain file named `t.yaml`.
func loadYAML(_ yaml: String) -> ChainLoader.Result {
    ChainLoader().load(bytes: Array(yaml.utf8), file: "t.yaml", defaultID: "t")
}

@Suite("Loader: broken files give exact located errors")
struct BrokenFileTests {
    func expectDiagnostics(_ fixture: String, _ expected: [String]) throws {
        let result = try loadFixture(fixture)
        #expect(result.chain == nil)
        #expect(result.diagnostics.flatMap(\.lines) == expected)
    }

    @Test func danglingSupplies() throws {
        try expectDiagnostics("broken/dangling-supplies.yaml", [
            "broken/dangling-supplies.yaml:6:25: error: 'supplies' names 'anode', which is not a link id of this file",
        ])
    }

    @Test func duplicateLinkID() throws {
        try expectDiagnostics("broken/duplicate-id.yaml", [
            "broken/duplicate-id.yaml:9:9: error: duplicate link id 'cell'",
            "broken/duplicate-id.yaml:3:9: note: 'cell' is first defined here",
        ])
        let diagnostic = try #require(try loadFixture("broken/duplicate-id.yaml").diagnostics.first)
        #expect(diagnostic.category == .duplicate)
        #expect(diagnostic.notes == [.init("'cell' is first defined here", at: .init(file: "broken/duplicate-id.yaml", line: 3, column: 9))])
    }

    @Test func unknownStage() throws {
        try expectDiagnostics("broken/unknown-stage.yaml", [
            "broken/unknown-stage.yaml:6:12: error: stage '中流' is not one of the stages (上游, 中游, 下游, 服务); did you mean '中游'?",
            "broken/unknown-stage.yaml:9:12: error: stage '后市场' is not one of the stages (上游, 中游, 下游, 服务); add it to 'stages:' or use one of them",
        ])
    }

    @Test func misspeltKeys() throws {
        try expectDiagnostics("broken/misspelt-key.yaml", [
            "broken/misspelt-key.yaml:4:5: error: unknown key 'nmae' in link; did you mean 'name'?",
            "broken/misspelt-key.yaml:6:5: error: unknown key 'keywrods' in link; did you mean 'keywords'?",
            "broken/misspelt-key.yaml:7:1: error: unknown key 'enterprise' in the chain file; did you mean 'enterprises'?",
        ])
    }

    @Test func tabInIndentation() throws {
        try expectDiagnostics("broken/tab-indent.yaml", [
            "broken/tab-indent.yaml:5:1: error: tab character in indentation; YAML indents with spaces only",
        ])
    }

    @Test func emptyFile() throws {
        try expectDiagnostics("broken/empty.yaml", [
            "broken/empty.yaml:1:1: error: file is empty; a chain file needs at least 'chain:' and 'links:'",
        ])
    }

    @Test func gbkFile() throws {
        try expectDiagnostics("broken/gbk.yaml", [
            "broken/gbk.yaml:1:8: error: file is not UTF-8 text: byte 0xB2 cannot be read as UTF-8; it looks like GBK/GB18030 — save the file as UTF-8",
        ])
    }

    @Test func weightOutOfRange() throws {
        try expectDiagnostics("broken/weight-range.yaml", [
            "broken/weight-range.yaml:6:13: error: 'weight' must be a whole number from 1 to 5, got '7'",
            "broken/weight-range.yaml:10:13: error: 'weight' must be a whole number from 1 to 5, got '0'",
        ])
    }

    @Test func enterpriseOnUnknownLink() throws {
        try expectDiagnostics("broken/enterprise-unknown-link.yaml", [
            "broken/enterprise-unknown-link.yaml:11:19: error: 'links' names 'packs', which is not a link id of this file; did you mean 'pack'?",
        ])
    }

    @Test func severalErrorsAtOnce() throws {
        let f = "broken/several-errors.yaml"
        try expectDiagnostics(f, [
            "\(f):6:12: error: stage '上流' is not one of the stages (上游, 中游, 下游); did you mean '上游'?",
            "\(f):7:16: error: 'supplies' names 'cathod', which is not a link id of this file; did you mean 'cathode'?",
            "\(f):9:13: error: 'weight' must be a whole number from 1 to 5, got '9'",
            "\(f):13:13: error: 'C9999' is not in GB/T 4754-2017",
            "\(f):14:9: error: duplicate link id 'salt'",
            "\(f):4:9: note: 'salt' is first defined here",
            "\(f):20:11: error: 'role' must be one of 链主, 龙头, 配套, got '老大'",
            "\(f):21:14: error: 'revenue' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '-5'",
            "\(f):24:13: error: 'links' names 'salts', which is not a link id of this file; did you mean 'salt'?",
            "\(f):25:13: error: 'status' must be one of 线索, 接洽, 在谈, 签约, 开工, 投产, got '谈判中'",
            "\(f):26:14: error: 'capital' must be an amount ≥ 0 in 亿元, such as 85, 85亿 or 8500万元; got '很多'",
        ])
    }

    @Test func yamlSyntaxError() throws {
        try expectDiagnostics("broken/syntax.yaml", [
            "broken/syntax.yaml:6:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at 5:12)",
        ])
    }

    @Test func topLevelNotAMapping() throws {
        try expectDiagnostics("broken/top-list.yaml", [
            "broken/top-list.yaml:1:1: error: the chain file must be a mapping with 'chain:' and 'links:' at the top level",
        ])
    }

    @Test func noLinks() throws {
        try expectDiagnostics("broken/no-links.yaml", [
            "broken/no-links.yaml:3:8: error: 'links' must list at least one link",
        ])
    }
}

@Suite("Loader: what loads, and what it means")
struct LoaderTests {
    @Test func bomCRLFAndTraditionalLoadAsWritten() throws {
        let result = try loadFixture("valid/bom-crlf-traditional.yaml")
        #expect(result.diagnostics.isEmpty)
        let chain = try #require(result.chain)
        #expect(chain.name == "測試鏈")
        #expect(chain.id == "bom-crlf-traditional")
        #expect(chain.links.map(\.name) == ["電芯", "電池包"])
        #expect(chain.links[0].keywords == ["鋰離子電池", "電芯"])
        #expect(chain.enterprises[0].role == .champion)
        #expect(chain.enterprises[0].name == "示例電池有限公司")
    }

    @Test("plain ~, null and empty values count as absent; quoted ones are text")
    func nullValuesAreAbsent() throws {
        let result = loadYAML("""
            chain: 动力电池
            links:
              - {id: cell, name: 电芯, stage: 中游}
            enterprises:
              - {name: "null", links: [cell], role: ~, revenue: null, tags: []}
              - {name: '~', links: [cell], role: NULL, revenue: }
            leads:
              - {name: 某锂业, links: [cell], province: Null, scope: "~"}
            """)
        #expect(result.diagnostics.isEmpty)
        let chain = try #require(result.chain)
        #expect(chain.enterprises.map(\.name) == ["null", "~"])
        #expect(chain.enterprises.map(\.role) == [.supporter, .supporter])
        #expect(chain.enterprises.map(\.revenue) == [nil, nil])
        #expect(chain.leads[0].province == nil)
        #expect(chain.leads[0].scope == "~")
    }

    @Test func defaultsApply() throws {
        let chain = try #require(try loadFixture("valid/minimal.yaml").chain)
        #expect(chain.id == "minimal")
        #expect(chain.stages.map(\.name) == ["上游", "中游", "下游"])
        #expect(chain.links[0].id == "电芯")  // id defaults to name
        #expect(chain.links[0].weight == 1)
        #expect(chain.links[0].stage == 1)
    }

    @Test func idsResolveToLinkRefsOnce() throws {
        let result = loadYAML("""
            chain: 动力电池
            id: nev
            region: 示例市
            links:
              - {id: salt, name: 锂盐, stage: 上游, supplies: [cathode], codes: [2613], keywords: [碳酸锂]}
              - {id: cathode, name: 正极材料, stage: 中游, supplies: [cell], codes: [C3985]}
              - {id: cell, name: 电芯, stage: 中游, supplies: [recycle], weight: 5}
              - {id: recycle, name: 回收, stage: 下游, supplies: [salt]}
            enterprises:
              - {name: 示例电池, links: [cell, cathode], role: 链主, revenue: 300, tags: [上市公司]}
            leads:
              - {name: 某锂业, links: [salt], code: C2613 基础化学原料制造, capital: 12.5, status: 在谈, partner: 示例电池}
            """)
        #expect(result.diagnostics.isEmpty)
        let chain = try #require(result.chain)
        #expect(chain.links.map(\.supplies) == [[LinkRef(1)], [LinkRef(2)], [LinkRef(3)], [LinkRef(0)]])
        #expect(chain.suppliers[0] == [LinkRef(3)])  // the recycling loop
        #expect(chain.enterprises[0].links == [LinkRef(2), LinkRef(1)])
        #expect(chain.enterprisesByLink[2] == [0])
        #expect(chain.leads[0].links == [LinkRef(0)])
        #expect(chain.leads[0].code?.description == "C2613")
        #expect(chain.leads[0].status == .negotiating)
        #expect(chain.links[0].codes.map(\.description) == ["C2613"])  // section letter filled in
        #expect(chain.links[1].codes.map(\.description) == ["C3985"])
    }

    @Test func codeInWrongSectionIsAnError() {
        let result = loadYAML("""
            chain: x
            links:
              - {name: 电芯, stage: 中游, codes: [D3841]}
            """)
        #expect(result.diagnostics.map(\.description) == [
            "t.yaml:3:35: error: 'D3841': 3841 锂离子电池制造 is in section C 制造业, not D",
        ])
    }

    @Test func unknownPartnerIsAWarningNotAnError() throws {
        let result = loadYAML("""
            chain: x
            links:
              - {name: 电芯, stage: 中游}
            leads:
              - {name: 某公司, partner: 不存在的企业}
            """)
        #expect(result.chain != nil)
        #expect(result.diagnostics.map(\.severity) == [.warning])
        #expect(result.diagnostics.first?.location?.line == 5)
    }

    @Test func analysisAndStyleSettingsLoad() throws {
        let chain = try #require(loadYAML("""
            chain: x
            analysis: {min-enterprises: 3, tier-tags: [上市公司]}
            style: {font: Noto Sans CJK SC, fills: {fill: '#ffdddd'}}
            links:
              - {name: 电芯, stage: 中游}
            """).chain)
        #expect(chain.analysis.minEnterprises == 3)
        #expect(chain.analysis.tierTags == ["上市公司"])
        #expect(chain.style.font == "Noto Sans CJK SC")
        #expect(chain.style.fills == [.fill: "#ffdddd"])
    }

    @Test func duplicateKeyIsLocated() {
        let result = loadYAML("""
            chain: x
            links:
              - name: 电芯
                stage: 中游
                name: 电池
            """)
        #expect(result.diagnostics.flatMap(\.lines) == [
            "t.yaml:5:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:3:5: note: 'name' is first written here",
        ])
        #expect(result.diagnostics.map(\.category) == [.syntax])
    }

    @Test("a repeated key does not hide the file's other problems: every repeat and every other error, in file order")
    func repeatedKeysDoNotHideOtherErrors() {
        let result = loadYAML("""
            chain: x
            stages: [上游, 下游]
            links:
              - id: a
                name: 甲
                stage: 上游
                keywords:
                - 甲一
                supplies: [b]
                keywords:
                - 甲三
                # 注释

                - 甲四
                name: 丙
                weight: 9
              - id: b
                name: 乙
                stage: 中游
                name: 丁
                supplies: [zz]
            enterprises:
              - name: 企业
                links: [a]
                revenue: 3
                revenue:
                  a: 1
                tags: [x]
                role: 链长
            """)
        #expect(result.chain == nil)
        #expect(result.diagnostics.flatMap(\.lines) == [
            "t.yaml:10:5: error: duplicate key 'keywords' in one mapping; each key may appear once",
            "t.yaml:7:5: note: 'keywords' is first written here",
            "t.yaml:15:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:5:5: note: 'name' is first written here",
            // The repeat's value was left out: 'weight: 9' after it is still read.
            "t.yaml:16:13: error: 'weight' must be a whole number from 1 to 5, got '9'",
            "t.yaml:19:12: error: stage '中游' is not one of the stages (上游, 下游); did you mean '上游'?",
            "t.yaml:20:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:18:5: note: 'name' is first written here",
            "t.yaml:21:16: error: 'supplies' names 'zz', which is not a link id of this file",
            "t.yaml:26:5: error: duplicate key 'revenue' in one mapping; each key may appear once",
            "t.yaml:25:5: note: 'revenue' is first written here",
            "t.yaml:29:11: error: 'role' must be one of 链主, 龙头, 配套, got '链长'; did you mean '链主'?",
        ])
    }

    @Test("a repeated key beside a syntax error, in a flow mapping, behind a tab, or past the limit")
    func repeatedKeysInOtherShapes() {
        // A syntax error elsewhere is not reported with the repeat: it might be the
        // blanked value's doing.
        #expect(loadYAML("chain: x\nlinks:\n  - name: a\n    name: b\n  - name: [c\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:4:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:3:5: note: 'name' is first written here",
        ])
        // A flow mapping's repeat is on the first's line: reported there, and the file
        // is read no further.
        #expect(loadYAML("chain: x\nlinks:\n  - {id: c, name: 丙, id: d}\n  - {id: e, id: f}\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:3:6: error: duplicate key 'id' in one mapping; each key may appear once",
        ])
        // A tab below the repeat is read past too, whichever comes first.
        #expect(loadYAML("chain: x\nlinks:\n  - id: a\n    name: A\n    name: B\n    stage: 上游\n  - id: b\n\tname: C\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:5:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:4:5: note: 'name' is first written here",
            "t.yaml:7:5: error: link is missing the required key 'stage'",
            "t.yaml:8:1: error: tab character in indentation; YAML indents with spaces only",
        ])
        // A quoted value running over lines at the key's own indentation is blanked whole:
        // its second line is no key of the link.
        #expect(loadYAML("chain: x\nlinks:\n  - id: a\n    name: A\n    name: \"B\n    note: x\"\n    stage: 上游\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:5:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:4:5: note: 'name' is first written here",
        ])
        #expect(loadYAML("chain: x\nlinks:\n  - id: a\n    name: A\n    name: [B,\n    C]\n    stage: 上游\n    weight: 9\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:5:5: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:4:5: note: 'name' is first written here",
            "t.yaml:8:13: error: 'weight' must be a whole number from 1 to 5, got '9'",
        ])
        // Behind a tab: the file's own column.
        #expect(loadYAML("chain: x\nlinks:\n  - name: a\n\t  stage: b\n\t  name: c\n").diagnostics.flatMap(\.lines) == [
            "t.yaml:4:1: error: tab character in indentation; YAML indents with spaces only",
            "t.yaml:4:11: error: stage 'b' is not one of the stages (上游, 中游, 下游); add it to 'stages:' or use one of them",
            "t.yaml:5:1: error: tab character in indentation; YAML indents with spaces only",
            "t.yaml:5:4: error: duplicate key 'name' in one mapping; each key may appear once",
            "t.yaml:3:5: note: 'name' is first written here",
        ])
        // At most 21, the last saying so.
        var yaml = "chain: x\nlinks:\n"
        for i in 0..<25 { yaml += "  - name: a\(i)\n    stage: s\n    name: b\(i)\n" }
        let lines = loadYAML(yaml).diagnostics.flatMap(\.lines)
        #expect(lines.count(where: { $0.contains("error: duplicate key 'name'") }) == YAMLSyntax.maxRepeatedKeys + 1)
        #expect(lines.suffix(2) == [
            "t.yaml:63:5: note: 'name' is first written here",
            "t.yaml:65:5: note: the file is not read past this repeated key; fix the repeated keys and check it again",
        ])
    }

    @Test("complex keys, aliased keys and collections as keys are refused before parsing, located by character")
    func complexKeysAreRefused() {
        let yaml = """
        chain: 电池
        ? 复杂键
        : 值
        links:
          - { id: 正极, name: "a: b", note: 'x: *y' }  # 注释: *z
          - [电池, 材料]: 1
          - id: 负极 *ref: 2
        ref: &r 负极
        链路 *r : 3
          - 说明："不是 *键" : 值

        """
        #expect(loadYAML(yaml).diagnostics.map(\.description) == [
            "t.yaml:2:1: error: complex mapping keys ('? ') are not allowed; keys are plain words",
            "t.yaml:6:12: error: an alias, list or mapping cannot be a key; keys are plain words",
            "t.yaml:7:12: error: an alias, list or mapping cannot be a key; keys are plain words",
            "t.yaml:9:4: error: an alias, list or mapping cannot be a key; keys are plain words",
        ])
    }

    @Test("a complex key or a collection as a key is refused when its indicator ends a CR LF line or is followed by a tab")
    func complexKeysAtLineEnds() {
        // Found by review: `?` before a CR got past the check in a CR LF file.
        for end in ["\n", "\r\n"] {
            let yaml = ["chain: 电池", "links:", "  - ?", "    - a", "    : b", "  - [电池, 材料]:", "      x", "  - ?\t复杂: 1", ""]
                .joined(separator: end)
            #expect(loadYAML(yaml).diagnostics.map(\.description) == [
                "t.yaml:3:5: error: complex mapping keys ('? ') are not allowed; keys are plain words",
                "t.yaml:6:12: error: an alias, list or mapping cannot be a key; keys are plain words",
                "t.yaml:8:5: error: complex mapping keys ('? ') are not allowed; keys are plain words",
            ], "\(end.debugDescription)")
        }
    }

    @Test func aliasBombIsBounded() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...12 {
            yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "chain: bomb\nlinks:\n  - {name: x, stage: 中游, keywords: *a12}\n"
        let result = loadYAML(yaml)
        #expect(result.chain == nil)
        #expect(result.diagnostics.contains { $0.message.contains("too many values through aliases") || $0.message.contains("unknown key 'a0'") })
    }

    @Test func binaryInputIsRejectedNotCrashed() {
        let result = ChainLoader().load(bytes: [0x00, 0x01, 0x02, 0xFF, 0xFE], file: "b.yaml", defaultID: "b")
        #expect(result.chain == nil)
        #expect(result.diagnostics.count == 1)
    }

    @Test func suggestionsAreForSlipsOnly() {
        #expect(Suggestion.closest(to: "nmae", in: ChainLoader.Keys.link) == "name")
        #expect(Suggestion.closest(to: "Stage", in: ChainLoader.Keys.link) == "stage")
        #expect(Suggestion.closest(to: "名称", in: ChainLoader.Keys.link) == "name")
        #expect(Suggestion.closest(to: "b", in: ["a"]) == nil)
        #expect(Suggestion.closest(to: "colour", in: ChainLoader.Keys.link) == nil)
    }

    @Test("prepared candidates suggest exactly what measuring every candidate suggests, over 1,500 random words")
    func preparedSuggestionsAgree() {
        // The exhaustive search the prepared candidates replace.
        func exhaustive(_ word: String, _ candidates: [String]) -> String? {
            let lowered = word.lowercased()
            if let caseOnly = candidates.first(where: { $0.lowercased() == lowered }) { return caseOnly }
            if let alias = Suggestion.synonyms[word], candidates.contains(alias) { return alias }
            var best: (String, Int)?
            for candidate in candidates {
                let d = Suggestion.distance(Array(lowered), Array(candidate.lowercased()))
                let length = max(lowered.count, candidate.count)
                let plausible = (d == 1 && min(lowered.count, candidate.count) >= 2)
                    || (d == 2 && min(lowered.count, candidate.count) >= 7 && Double(length - d) / Double(length) >= 0.7)
                if plausible, best == nil || d < best!.1 { best = (candidate, d) }
            }
            return best?.0
        }
        var rng = SeededGenerator(seed: 0x5156)
        let alphabet = Array("abcdeAB-电芯池正极材料") + ["\u{301}"]
        func randomWord() -> String { String((0..<Int.random(in: 1...10, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }) }
        let candidates = (0..<200).map { _ in randomWord() }
        let prepared = Suggestion.Candidates(candidates)
        var suggested = 0
        for _ in 0..<1_500 {
            // A candidate with up to three random edits, or a random word.
            var word = Array(candidates.randomElement(using: &rng)!)
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let at = Int.random(in: 0...word.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: word.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 1 where at < word.count: word.remove(at: at)
                default: if at < word.count { word[at] = alphabet.randomElement(using: &rng)! }
                }
            }
            let text = Bool.random(using: &rng) ? String(word) : randomWord()
            let expected = exhaustive(text, candidates)
            if expected != nil { suggested += 1 }
            #expect(prepared.closest(to: text) == expected, "\(text)")
        }
        #expect(suggested > 250)
        // é written as one scalar or as e and U+0301 is one character to the distance and
        // to the summary alike.
        #expect(Suggestion.Candidates(["\u{E9}abcdefg"]).closest(to: "e\u{301}abcdexy") == "\u{E9}abcdefg")
    }

    @Test("the loader's White_Space test is Unicode's, scalar by scalar")
    func whiteSpaceIsUnicodes() {
        var differ: [UInt32] = []
        var spaces = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isWhiteSpace != scalar.properties.isWhitespace { differ.append(value) }
            if scalar.isWhiteSpace { spaces += 1 }
        }
        #expect(differ == [])
        #expect(spaces == 25)
    }

    @Test("a line's quoted text blanked and its comment cut, as byte by byte, on random lines")
    func blankQuotedTextIsTheByteLoop() {
        // The byte loop the function copies in one piece up to the first quote or `#`.
        func byByte(_ bytes: [UInt8]) -> [UInt8] {
            let space = UInt8(ascii: " ")
            var line: [UInt8] = []
            var quote: UInt8 = 0
            var previous = space
            for byte in bytes {
                if quote != 0 {
                    line.append(byte == quote ? byte : space)
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                    line.append(byte)
                } else if byte == UInt8(ascii: "#") && (previous == space || previous == UInt8(ascii: "\t")) {
                    break
                } else {
                    line.append(byte)
                }
                previous = byte
            }
            return line
        }
        let pieces = ["a", " ", "\t", "#", "\"", "'", "链", ": ", "[x, y]", "#c", "- ", "\\", "IGBT"]
        var generator = SeededGenerator(seed: 20_261_205)
        var line: [UInt8] = [0xFF]
        for _ in 0..<5_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { YAMLSyntax.blankQuotedText($0, into: &line) }
            #expect(line == byByte(bytes), "\(text)")
        }
    }

    @Test("the complex-key check of a whole text finds what it finds in each line alone, on random lines longer than a block")
    func complexKeysLineByLine() {
        // The check cuts the text into lines 16 bytes at a time (`chainmap_find_any3`);
        // each line checked alone, its line number set back, is the reference.
        let pieces = ["a", " ", "\t", "#", "\"", "'", "链", ": ", ":", "? ", "?", "*r", "&r", "[x, y]", "]", "}", "- ", "\r", "IGBT正极材料"]
        var generator = SeededGenerator(seed: 4_754)
        for _ in 0..<1_000 {
            let lines = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                (0..<Int.random(in: 0...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let whole = YAMLSyntax.complexKeys(in: lines.joined(separator: "\n"), file: "t.yaml")
            let alone = lines.enumerated().flatMap { number, line in
                YAMLSyntax.complexKeys(in: line, file: "t.yaml").map { found in
                    var found = found
                    found.location?.line = number + 1
                    return found
                }
            }
            #expect(whole.map(\.description) == alone.map(\.description), "\(lines)")
        }
    }

    @Test("a control character in the file is located at its line and column, after Chinese text too")
    func controlCharacterLocated() {
        // Found by review: libyaml's offset counts characters, and was read as bytes (line
        // 7 for one on line 8) with no column.
        #expect(loadYAML("chain: 测试\u{1B}[31m\nlinks: []\n").diagnostics.map(\.description) == [
            "t.yaml:1:10: error: cannot read the file: control characters are not allowed",
        ])
        #expect(loadYAML("chain: 测试链\nregion: 示例市\nlinks:\n  - id: 甲乙丙\n    rol\u{1B}e: 1\n").diagnostics.map(\.description) == [
            "t.yaml:5:8: error: cannot read the file: control characters are not allowed",
        ])
        // CR LF line ends, and a character of several code points, before it.
        #expect(loadYAML("chain: 测试链\r\nregion: 示例市\r\nnotes: é👨‍👩‍👧\r\nlinks:\r\n  - id: 甲乙丙\r\n    rol\u{7}e: 1\r\n").diagnostics.map(\.description) == [
            "t.yaml:6:8: error: cannot read the file: control characters are not allowed",
        ])
        #expect(loadYAML("notes: é👨‍👩‍👧\u{7}\n").diagnostics.map(\.description) == [
            "t.yaml:1:10: error: cannot read the file: control characters are not allowed",
        ])
    }

    @Test("key aliases are Chinese (the reader looks up no ASCII key), and 备注 is notes")
    func keyAliasesAreChinese() throws {
        #expect(NodeReader.keyAliases.keys.allSatisfy { ($0.utf8.first ?? 0) >= 0x80 })
        let result = loadYAML("""
            chain: c
            links:
              - {id: a, name: A, stage: 上游, 备注: 说明}
            enterprises:
              - {name: E, links: [a], 备注: 本地}
              - {name: E, links: [a]}
              - {name: E, links: [a]}
            """)
        let chain = try #require(result.chain)
        #expect(chain.links.map(\.notes) == ["说明"])
        #expect(chain.enterprises.map(\.notes) == ["本地", nil, nil])
        #expect(result.diagnostics.map(\.description) == [
            "t.yaml:6:5: warning: enterprise 'E' is listed twice; list all its links in one entry",
            "t.yaml:7:5: warning: enterprise 'E' is listed twice; list all its links in one entry",
        ])
        // Each note points at the first entry, which keeps its place.
        #expect(result.diagnostics.map { $0.notes.map(\.description) } == [
            ["t.yaml:5:5: note: 'E' is first listed here"], ["t.yaml:5:5: note: 'E' is first listed here"],
        ])
    }

    @Test("values are trimmed of Unicode white space, list items too")
    func valuesAreTrimmed() throws {
        let result = loadYAML("""
            chain: "\u{3000}链\u{2009}"
            links:
              - {id: a, name: "\u{A0}A\u{202F}", stage: 上游}
              - {id: b, name: B, stage: 下游}
            enterprises:
              - {name: E, links: ["\u{2003}a\u{3000}，\u{205F}b"]}
            """)
        #expect(result.diagnostics.map(\.description) == [])
        let chain = try #require(result.chain)
        #expect(chain.name == "链")
        #expect(chain.links.map(\.name) == ["A", "B"])
        #expect(chain.enterprises.map { $0.links.map(\.index) } == [[0, 1]])
    }
}

@Suite("Industry codes")
struct IndustryCodeTests {
    @Test func parsesTheWaysExportsWriteCodes() {
        #expect(IndustryCode(parsing: "C3841")?.digits == "3841")
        #expect(IndustryCode(parsing: "3841")?.section == nil)
        #expect(IndustryCode(parsing: "c38")?.description == "C38")
        #expect(IndustryCode(parsing: "C3841 锂离子电池制造")?.digits == "3841")
        #expect(IndustryCode(parsing: "3841锂离子电池制造")?.digits == "3841")
        #expect(IndustryCode(parsing: "C38411") == nil)
        #expect(IndustryCode(parsing: "锂电池") == nil)
    }

    @Test func prefixesCoverTheCodesUnderThem() throws {
        let division = try #require(IndustryCode(parsing: "38"))
        let group = try #require(IndustryCode(parsing: "C384"))
        let cls = try #require(IndustryCode(parsing: "3841"))
        #expect(division.covers(cls) && group.covers(cls) && cls.covers(cls))
        #expect(!cls.covers(group))
        #expect(!(IndustryCode(parsing: "C385")!.covers(cls)))
    }

    @Test func theTableHasEveryLevel() throws {
        let table = IndustryCodeTable.standard
        #expect(table.entry(for: IndustryCode(parsing: "3841")!)?.name == "锂离子电池制造")
        #expect(table.entry(for: IndustryCode(parsing: "C38")!)?.section == "C")
        #expect(table.entry(for: IndustryCode(parsing: "3849")!) != nil)
        #expect(table.entry(for: IndustryCode(parsing: "9999")!) == nil)
        #expect(table.sectionName("C") == "制造业")
    }

    /// Every line of the embedded table, read here the plain way, is in the table as
    /// written, and nothing else is: the table is built from the literal's bytes in place.
    @Test func theTableHoldsEveryLineOfItsText() throws {
        let table = IndustryCodeTable.standard
        var codes = 0
        var sections = 0
        for line in IndustryCodeTable.embeddedRows.split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1).map(String.init)
            try #require(parts.count == 2, "\(line)")
            let (code, name) = (parts[0], parts[1])
            let letter = try #require(code.first)
            if code.count == 1 {
                sections += 1
                #expect(table.sectionName(letter) == name)
            } else {
                codes += 1
                let entry = table.entry(for: IndustryCode(digits: String(code.dropFirst()), section: nil))
                #expect(entry == IndustryCodeTable.Entry(section: letter, digits: String(code.dropFirst()), name: name), "\(line)")
            }
        }
        #expect(sections == 20 && codes == 97 + 473 + 1381)
        #expect(table.codeCount == codes)
    }

    /// Codes are looked up by their digits' value and count: digits a number would also
    /// read (+11, -11, 1_1) or of other lengths are not codes.
    @Test func onlyDigitsFindACode() {
        let table = IndustryCodeTable.standard
        #expect(table.entry(for: IndustryCode(digits: "011", section: nil))?.name == "谷物种植")
        #expect(table.entry(for: IndustryCode(digits: "0111", section: nil))?.name == "稻谷种植")
        for digits in ["+11", "-11", "1_1", " 11", "11 ", "0011", "1", "", "００１１", "01111", "A011"] {
            #expect(table.entry(for: IndustryCode(digits: digits, section: nil)) == nil, "\(digits)")
            #expect(table.canonical(IndustryCode(digits: digits, section: nil)) == nil, "\(digits)")
        }
        #expect(table.canonical(IndustryCode(digits: "0111", section: nil)) == IndustryCode(digits: "0111", section: "A"))
        #expect(table.canonical(value: 111, digits: 4) == IndustryCode(digits: "0111", section: "A"))
        #expect(table.canonical(value: 111, digits: 3) == IndustryCode(digits: "111", section: "B"))
        #expect(table.canonical(value: 999, digits: 3) == nil && table.canonical(value: 11, digits: 5) == nil)
        #expect(table.sectionName("c") == nil && table.sectionName("中") == nil && table.sectionName("T") == "国际组织")
    }

    /// A name read from an export finds its code with the section and leading zeros; a
    /// name of two levels (其他农业: group A019 and class A0190) finds the more specific.
    @Test func namesFindTheMostSpecificCode() {
        let table = IndustryCodeTable.standard
        #expect(table.code(in: "农、林、牧、渔业-农业-其他农业") == IndustryCode(digits: "0190", section: "A"))
        #expect(table.code(in: "稻谷种植") == IndustryCode(digits: "0111", section: "A"))
        #expect(table.code(in: "制造业-电气机械和器材制造业-电池制造") == IndustryCode(digits: "384", section: "C"))
        #expect(table.code(in: "不是行业") == nil)
    }
}

/// Chains loaded together name their output files by id: no two may write the same file.
@Suite("A set of chains: ids that would write the same files")
struct ChainSetTests {
    static func set(_ ids: [String]) throws -> (ChainSet, URL) {
        let directory = try TestScratch.directory("chain-set")
        for (n, id) in ids.enumerated() {
            try "chain: 链\(n)\nid: \(id)\nlinks:\n  - {id: a, name: 甲, stage: 上游}\n"
                .write(to: directory.appendingPathComponent("\(n)-\(id).yaml"), atomically: true, encoding: .utf8)
        }
        return (ChainSet(arguments: [directory.path]), directory)
    }

    @Test("a repeated id, and an id that is another's with a figure's suffix (a-targets, a-projects, a-compare), are errors with a note at the other chain")
    func derivedNames() throws {
        // Found by review: chain `a`'s target map (a-targets.svg) overwrote the map of a
        // chain whose id was a-targets, with no word said.
        let (set, directory) = try Self.set(["a", "a-targets", "A-Projects", "a-compare", "a-map-2", "b", "a", "a-map-x", "b-targetsx", "a-map-02"])
        let messages = set.diagnostics.map { $0.description.replacingOccurrences(of: directory.path + "/", with: "") }
        #expect(messages == [
            "6-a.yaml:1:1: error: chain id 'a' is also the id of 0-a.yaml; ids name output files, so each must be unique",
        ] + [("1-a-targets", "a-targets", "a-targets.svg"), ("2-A-Projects", "A-Projects", "a-projects.svg"),
             ("3-a-compare", "a-compare", "a-compare.svg")].map { file, id, figure in
            "\(file).yaml:1:1: error: chain id '\(id)' names the same file as a figure of chain 'a' (\(figure)); ids name output files, so each must be unique"
        })
        #expect(set.diagnostics.dropFirst().allSatisfy { $0.notes.map(\.location?.file) == [directory.appendingPathComponent("0-a.yaml").path] })
        // The pages of a's map for Word (a-map-1.png, a-map-2.png …) stay inside a.docx.
        #expect(set.chains.map(\.id) == ["a", "a-map-2", "b", "a-map-x", "b-targetsx", "a-map-02"])
        #expect(set.failedFiles == 4)
    }

    @Test("files read two at a time are reported and kept in their order")
    func fileOrder() throws {
        let directory = try TestScratch.directory("chain-set-order")
        for n in 0..<7 {
            let links = n % 3 == 0 ? "links: 3\n" : "links:\n  - {id: a, name: 甲, stage: 上游}\n"
            try "chain: 链\(n)\nid: c\(n)\n\(links)".write(
                to: directory.appendingPathComponent("\(n)-c\(n).yaml"), atomically: true, encoding: .utf8)
        }
        let set = ChainSet(arguments: [directory.path])
        #expect(set.chains.map(\.id) == ["c1", "c2", "c4", "c5"])
        var files: [String] = []
        for diagnostic in set.diagnostics {
            let file = URL(fileURLWithPath: diagnostic.location?.file ?? "").lastPathComponent
            if files.last != file { files.append(file) }
        }
        #expect(files == ["0-c0.yaml", "3-c3.yaml", "6-c6.yaml"])
        #expect(set.failedFiles == 3)
    }
}
