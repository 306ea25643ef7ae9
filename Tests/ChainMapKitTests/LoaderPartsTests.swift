import Foundation
import Testing
@testable import ChainMapKit

/// A large chain file's long lists are composed a part at a time
/// (``YAMLSyntax/listParts(in:keys:partBytes:)``): what it loads to, and every diagnostic,
/// must be exactly what composing it whole gives.
@Suite("Chain files composed in parts")
struct LoaderPartsTests {
    /// The chain and diagnostics of a load, as text, to compare two loads whole. The
    /// settings, which hold dictionaries (whose order differs from one to another), are
    /// compared as values.
    static func outcome(_ result: ChainLoader.Result) -> String {
        var text = ""
        if var chain = result.chain {
            text += "analysis \(chain.analysis.hashValue), style \(chain.style.hashValue)\n"
            chain.analysis = AnalysisSettings()
            chain.style = MapStyle()
            dump(chain, to: &text)
        }
        for diagnostic in result.diagnostics { text += "\(diagnostic)\n" }
        return text
    }

    /// Loads `bytes` whole and in parts of one item each; expects the same outcome.
    func expectSameInParts(_ bytes: [UInt8], _ label: String, file: String = "m.yaml") {
        let loader = ChainLoader()
        let whole = loader.load(bytes: bytes, file: file, defaultID: "m", partBytes: nil)
        let parted = loader.load(bytes: bytes, file: file, defaultID: "m", partBytes: 1)
        let (a, b) = (Self.outcome(parted), Self.outcome(whole))
        // The first difference, with some context, rather than two whole dumps.
        let same = zip(a, b).prefix { $0 == $1 }.count
        #expect(a == b, "\(label): in parts \(a.dropFirst(max(0, same - 80)).prefix(300)) | whole \(b.dropFirst(max(0, same - 80)).prefix(300)) | \(String(decoding: bytes, as: UTF8.self))")
    }

    static func parts(_ text: String, partBytes: Int = 1) -> YAMLSyntax.ListCut? {
        YAMLSyntax.listParts(in: text, keys: ChainLoader.partedLists, partBytes: partBytes)
    }

    /// Whether the loader composes `text` in parts (cut, and its head fits), at one item a part.
    static func isParted(_ text: String) throws -> Bool {
        try !YAMLSyntax.document(text: text, file: "m.yaml", parted: ChainLoader.partedLists, partBytes: 1).laterParts.isEmpty
    }

    @Test func everyChainOfTheLibraryLoadsTheSameInParts() throws {
        let directory = packageRoot().appendingPathComponent("chains")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 10)
        var cut = 0
        for name in files {
            let path = directory.appendingPathComponent(name).path
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
            let text = String(decoding: bytes, as: UTF8.self)
            if try Self.isParted(text) { cut += 1 }
            expectSameInParts(bytes, name, file: path)
            // Lines ending in CR LF are cut alike.
            let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
            #expect((Self.parts(crlf) != nil) == (Self.parts(text) != nil), "\(name)")
            expectSameInParts(Array(crlf.utf8), name + " (CR LF)", file: path)
        }
        // Not a comparison of two whole reads: the chain files are cut (system.yaml has no list).
        #expect(cut >= files.count - 1)
    }

    @Test(.timeLimit(.minutes(2)))
    func mutatedFilesLoadTheSameInParts() throws {
        var rng = SeededGenerator(seed: 0x9A27)
        let seed = Array(LoaderMutationTests.seedChain.utf8)
        #expect(try Self.isParted(LoaderMutationTests.seedChain))
        for i in 0..<600 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                bytes = Mutation.allCases.randomElement(using: &rng)!.apply(to: bytes, using: &rng)
            }
            expectSameInParts(bytes, "iteration \(i)")
        }
    }

    static let threeLinks = """
        chain: 测试链
        links:
          - id: a
            name: 材料
            stage: 上游
          - id: b
            name: 部件
            stage: 中游
            weight: 4
          # 注释
          - id: c
            name: 整机
            stage: 下游
            supplies: [b]
        enterprises:
          - {name: 甲公司, links: [a]}
          - name: 乙公司
            links: [b]
        style: {font: Noto Sans CJK SC}

        """

    @Test("repeated keys in the head and in later parts: blanked a part at a time, the same diagnostics as composing whole, 21 at most")
    func repeatedKeysInParts() throws {
        var yaml = "chain: 测试链\nlinks:\n"
        for i in 0..<6 {
            yaml += "  - id: l\(i)\n    name: 环节\(i)\n    stage: 上游\n    name: 重复\(i)\n    supplies: [\(i == 3 ? "zz" : "l0")]\n"
        }
        yaml += "enterprises:\n  - name: 甲\n    links: [l1]\n    links: [l2]\n"
        #expect(try Self.isParted(yaml))
        expectSameInParts(Array(yaml.utf8), "six repeats")
        let result = ChainLoader().load(bytes: Array(yaml.utf8), file: "m.yaml", defaultID: "m", partBytes: 1)
        #expect(result.chain == nil)
        var expected: [String] = []
        for i in 0..<6 {
            expected.append("m.yaml:\(6 + 5 * i):5: error: duplicate key 'name' in one mapping; each key may appear once")
            if i == 3 { expected.append("m.yaml:22:16: error: 'supplies' names 'zz', which is not a link id of this file") }
        }
        expected.append("m.yaml:36:5: error: duplicate key 'links' in one mapping; each key may appear once")
        #expect(result.diagnostics.filter(\.isError).map(\.description) == expected)

        // Past 20 blanked, the file is read no further, and only its repeats are reported
        // (the links not read would make up errors of their own).
        var many = "chain: 测试链\nlinks:\n"
        for i in 0..<25 { many += "  - id: l\(i)\n    name: 环节\(i)\n    name: 重复\(i)\n    supplies: [zz]\n" }
        expectSameInParts(Array(many.utf8), "25 repeats")
        let stopped = ChainLoader().load(bytes: Array(many.utf8), file: "m.yaml", defaultID: "m", partBytes: 1)
        #expect(stopped.diagnostics.filter(\.isError).count == YAMLSyntax.maxRepeatedKeys + 1)
        #expect(stopped.diagnostics.allSatisfy { $0.message.hasPrefix("duplicate key 'name'") })
        #expect(stopped.diagnostics.last?.notes.last?.message == "the file is not read past this repeated key; fix the repeated keys and check it again")
        // A large file composed whole blanks fewer, so that it is composed again only
        // about 32 MB of text's worth.
        #expect(YAMLSyntax.repeatBudget(bytes: 1_000) == 20)
        #expect(YAMLSyntax.repeatBudget(bytes: 10 << 20) == 3)
        #expect(YAMLSyntax.repeatBudget(bytes: 64 << 20) == 1)
    }

    @Test func theHeadKeepsEveryLineAndTheFirstItemOfEachList() throws {
        // Parts of up to 80 bytes: links b and c (70 bytes apart) share one.
        let cut = try #require(Self.parts(Self.threeLinks, partBytes: 80))
        let (head, parts) = (cut.head, cut.parts)
        #expect(cut.keys.map(\.key) == ["chain", "links", "enterprises", "style"])
        #expect(cut.keys.map(\.line) == [1, 2, 15, 19])
        #expect(try Self.isParted(Self.threeLinks))
        #expect(parts["links"]?.map(\.line) == [6])
        #expect(parts["links"]?.map(\.items) == [2])
        #expect(parts["enterprises"]?.map(\.line) == [17])
        #expect(parts["enterprises"]?.map(\.items) == [1])
        #expect(head == """
            chain: 测试链
            links:
              - id: a
                name: 材料
                stage: 上游









            enterprises:
              - {name: 甲公司, links: [a]}


            style: {font: Noto Sans CJK SC}

            """)
        // Each part is whole items from the start of its line, and the last reaches the
        // next top-level key.
        let text = Array(Self.threeLinks.utf8)
        for part in parts.values.flatMap({ $0 }) {
            #expect(part.bytes.lowerBound == Self.lineStart(part.line, in: text))
            #expect(Array(text[part.bytes.lowerBound..<part.bytes.lowerBound + 4]) == Array("  - ".utf8))
        }
        #expect(parts["links"]?.first?.bytes.upperBound == Self.lineStart(15, in: text))
        // Composed alone, a part's nodes have their places in the file.
        var budget = 20
        guard case .items(let items, let problems)? = YAMLSyntax.items(of: parts["links"]![0], in: Self.threeLinks, file: "m.yaml", repeats: &budget) else {
            Issue.record("the part did not compose")
            return
        }
        #expect(problems.isEmpty)
        #expect(items.count == 2)
        #expect(items[1]["id"]?.mark?.line == 11)
        #expect(items[1]["supplies"]?.mark?.line == 14)
        #expect(items[1]["supplies"]?.mark?.column == 15)
        // In parts of one byte, each item is a part.
        let single = try #require(Self.parts(Self.threeLinks)).parts
        #expect(single["links"]?.map(\.line) == [6, 11])
        #expect(single["links"]?.map(\.items) == [1, 1])
    }

    /// The byte offset where line `line` (from 1) starts.
    static func lineStart(_ line: Int, in bytes: [UInt8]) -> Int {
        var seen = 1
        for (i, byte) in bytes.enumerated() where byte == 0x0A {
            seen += 1
            if seen == line { return i + 1 }
        }
        return line == 1 ? 0 : bytes.count
    }

    @Test(arguments: [
        ("an anchor", "links:\n  - &x {id: a}\n  - {id: b}\n"),
        ("an alias", "links:\n  - {id: a}\n  - {id: b, supplies: *x}\n"),
        ("a tab", "links:\n  - {id: a}\n  -\t{id: b}\n"),
        ("a keep-chomped block scalar", "links:\n  - id: a\n    notes: |+\n      x\n  - {id: b}\n"),
        ("an indented keep-chomped block scalar", "links:\n  - id: a\n    notes: |2+\n      x\n  - {id: b}\n"),
        ("a document marker", "---\nlinks:\n  - {id: a}\n  - {id: b}\n"),
        ("a directive", "%YAML 1.1\n---\nlinks:\n  - {id: a}\n  - {id: b}\n"),
        ("items at column 0", "links:\n- {id: a}\n- {id: b}\n"),
        ("a quoted top-level key", "\"links\":\n  - {id: a}\n  - {id: b}\n"),
        ("a line less indented than the items", "links:\n    - {id: a}\n  - {id: b}\n"),
        ("a line at the items' indentation that starts none", "links:\n  - {id: a}\n  x: 1\n  - {id: b}\n"),
        ("a list in flow style", "links: [{id: a}, {id: b}]\nenterprises: []\n"),
        ("a single item", "links:\n  - {id: a}\nchain: x\n"),
        ("a line ending in CR alone", "links:\n  - {id: a}\r\r\n  - {id: b}\n"),
        ("a line ending in NEL", "links:\n  - {id: a}\u{85}  - {id: b}\n"),
        ("a line ending in LS", "links:\n  - {id: a}\u{2028}  - {id: b}\n"),
        ("a line ending in PS", "links:\n  - {id: a}\u{2029}  - {id: b}\n"),
    ])
    func aFileThatCannotBeCutIsComposedWhole(_ what: String, _ text: String) {
        #expect(Self.parts(text) == nil, "\(what)")
        expectSameInParts(Array(text.utf8), what)
    }

    @Test func aFileNoLargerThanOnePartIsComposedWhole() {
        let size = Self.threeLinks.utf8.count
        #expect(Self.parts(Self.threeLinks, partBytes: size) == nil)
        #expect(Self.parts(Self.threeLinks, partBytes: size - 1) != nil)
    }

    @Test func aPartThatDoesNotComposeAloneIsReadWhole() throws {
        // A quoted name goes on over a line that looks like an item: cut there, the part
        // before it ends inside the quotes. Read whole, it is one name.
        let text = """
            chain: 测试链
            links:
              - id: a
                name: 甲
                stage: 上游
              - id: b
                name: "乙
              - 丙"
                stage: 中游
              - id: c
                name: 丁
                stage: 下游

            """
        let parts = try #require(Self.parts(text)).parts
        var budget = 20
        #expect(YAMLSyntax.items(of: parts["links"]![0], in: text, file: "m.yaml", repeats: &budget) == nil)
        let result = ChainLoader().load(bytes: Array(text.utf8), file: "m.yaml", defaultID: "m", partBytes: 1)
        #expect(result.chain?.links.map(\.name) == ["甲", "乙 - 丙", "丁"])
        #expect(result.diagnostics.isEmpty)
        expectSameInParts(Array(text.utf8), "quoted name over an item line")
    }

    @Test func anErrorInALaterPartIsLocatedInTheFile() {
        let text = Self.threeLinks.replacingOccurrences(of: "weight: 4", with: "weight: 重")
        let result = ChainLoader().load(bytes: Array(text.utf8), file: "m.yaml", defaultID: "m", partBytes: 1)
        #expect(result.chain == nil)
        #expect(result.diagnostics.map(\.description) == [
            "m.yaml:9:13: error: 'weight' must be a whole number from 1 to 5, got '重'",
        ])
        expectSameInParts(Array(text.utf8), "a bad weight")
    }

    @Test func aDuplicateLinkIdAcrossPartsNamesBothPlaces() {
        let text = Self.threeLinks.replacingOccurrences(of: "id: c", with: "id: a")
        let result = ChainLoader().load(bytes: Array(text.utf8), file: "m.yaml", defaultID: "m", partBytes: 1)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.description.hasPrefix("m.yaml:11:9: error: duplicate link id 'a'") == true)
        #expect(result.diagnostics.first?.notes.first?.location == FileLocation(file: "m.yaml", line: 3, column: 9))
        expectSameInParts(Array(text.utf8), "a duplicate id")
    }

    /// Found by review: a quoted scalar or flow collection left open in a list's first item
    /// and closed after the list. Composed whole, the quote runs over the items below it;
    /// the head, with those items blanked, composed too (the quote ran on into the next
    /// key), and so did each part, into a different chain without an error.
    @Test(arguments: [
        ("a single quote closed after the list", "    name: 'A\n  - id: b\n    name: B\n    stage: 上游\n    notes: see'\nregion: R'\n"),
        ("a single quote over an item line", "    name: 'A\n  - x'\n  - id: b\n    name: B\n    stage: 上游\nregion: Acme'\n"),
        ("a double quote over an item line", "    name: \"A\n  - x\"\n  - id: b\n    name: B\n    stage: 上游\nregion: Acme\"\n"),
        ("a flow list over an item line", "    name: [A,\n  - x]\n  - id: b\n    name: B\n    stage: 上游\nregion: x]\n"),
    ])
    func aConstructOpenInTheFirstItemIsReadWhole(_ what: String, _ rest: String) throws {
        let text = "chain: t\nlinks:\n  - id: a\n    stage: 上游\n" + rest
        #expect(Self.parts(text) != nil, "\(what): cut lexically")
        // Not in parts: composed whole (which may fail, for the flow list).
        #expect((try? Self.isParted(text)) != true, "\(what): the head lacks a key")
        expectSameInParts(Array(text.utf8), what)
    }

    @Test func aListKeyInsideAnOpenQuoteIsReadWhole() throws {
        let text = "chain: t\nregion: \"t\nlinks:\n  - id: a\n    name: A\n    stage: 上游\n  - id: b\"\nid: x\"\n"
        #expect(Self.parts(text) != nil)
        #expect((try? Self.isParted(text)) != true)
        expectSameInParts(Array(text.utf8), "links: inside a quoted region")
    }

    @Test func anOpenQuoteInALargeFileIsReadWholeThroughThePublicPath() throws {
        // The first case again in a file of more than one part (256 KB).
        var text = "chain: t\nlinks:\n  - id: a\n    stage: 上游\n    name: 'A\n  - id: b\n    name: B\n    stage: 上游\n    notes: see'\n"
        for i in 0..<120 {
            text += "  - id: l\(i)\n    name: 环节\(i)\n    stage: 中游\n    notes: " + String(repeating: "长说明", count: 600) + "\n"
        }
        text += "region: R'\n"
        #expect(text.utf8.count > YAMLSyntax.listPartBytes)
        let result = ChainLoader().load(bytes: Array(text.utf8), file: "m.yaml", defaultID: "m")
        let whole = ChainLoader().load(bytes: Array(text.utf8), file: "m.yaml", defaultID: "m", partBytes: nil)
        #expect(result.chain?.links.count == 121)
        #expect(result.chain?.region == "R'")
        #expect(Self.outcome(result) == Self.outcome(whole))
    }
    @Test(arguments: [threeLinks, LoaderMutationTests.seedChain])
    func everyQuoteOrBracketOpenOverLinesLoadsTheSameInParts(_ text: String) {
        // An opening quote or bracket put after a value on one line and its closer on a
        // later one, for every pair of lines: whatever the construct swallows, in parts
        // or whole, the outcome is the same.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (open, close) in [("'", "'"), ("\"", "\""), ("[", "]"), ("{", "}")] {
            for i in lines.indices where lines[i].contains(": ") {
                for j in lines.indices where j > i && !lines[j].isEmpty {
                    var changed = lines
                    changed[i] = changed[i].replacingOccurrences(of: ": ", with: ": " + open)
                    changed[j] += close
                    expectSameInParts(Array(changed.joined(separator: "\n").utf8), "\(open) on line \(i + 1), \(close) on line \(j + 1)")
                }
            }
        }
    }
    @Test func anItemAtLibyamlsNestingLimitFailsAlikeInParts() {
        // Found by review: libyaml refuses nesting beyond 1,000 levels, counted from the top
        // of the text it reads, so a part must be composed as deep as the file holds it.
        for depth in [997, 998, 999] {
            let item = "  - " + String(repeating: "- ", count: depth) + "x"
            let text = "chain: t\nlinks:\n  - id: a\n    name: A\n    stage: 上游\n" + item + "\n"
            expectSameInParts(Array(text.utf8), "an item \(depth) lists deep")
        }
    }
}
