@testable import ChainMapKit
import COpenCCShared
import Foundation
import Testing

/// chainmap opens OpenCC's configurations with a reader of its own that looks keys up in
/// the dictionaries' tries as they are asked, instead of building every entry at start
/// (Sources/COpenCCShared/converters.cpp). These tests hold it to OpenCC's own loader.
@Suite("OpenCC's dictionaries read as asked")
struct OpenCCReaderTests {
    typealias Converter = ChineseVariants.Converter

    /// The configurations chainmap opens: Simplified → Traditional for keywords, and
    /// Traditional → Simplified for the character table's cross-check.
    static let configurations = ChineseVariants.configurations + ["t2s.json", "hk2s.json", "tw2s.json"]

    /// Where OpenCC's configurations and dictionaries are, as the reader looks them up.
    static let dataDirectory = String(cString: chainmap_opencc_data_directory())

    /// The .ocd2 files a configuration names (every `"file"` of its JSON).
    static func dictionaries(of configuration: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + configuration))
        var files: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let file = object["file"] as? String { files.append(file) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: data))
        return Array(Set(files)).sorted()
    }

    /// Every key of an .ocd2 file, in its trie's order.
    static func keys(_ path: String) throws -> [String] {
        var length = 0
        let raw = try #require(chainmap_opencc_dictionary_keys(path, &length))
        defer { free(raw) }
        let text = String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    /// Opens `configuration` both ways; the lazy reader must have opened its own.
    static func both(_ configurations: [String]) throws -> [(lazy: Converter, stock: Converter)] {
        let lazy = Converter.openNotingReader(configurations, lazily: true)
        let stock = Converter.openNotingReader(configurations, lazily: false)
        #expect(lazy.readers == configurations.map { _ in .lazy })
        #expect(stock.readers == configurations.map { _ in .openCC })
        return try zip(lazy.converters, stock.converters).map { (try #require($0), try #require($1)) }
    }

    @Test("every key of every dictionary converts as OpenCC's own loader converts it, alone and run together")
    func everyKeyAsOpenCCDoes() throws {
        for (configuration, pair) in zip(Self.configurations, try Self.both(Self.configurations)) {
            var keys: [String] = []
            for file in try Self.dictionaries(of: configuration) { keys += try Self.keys(Self.dataDirectory + file) }
            #expect(keys.count > 4_000, "\(configuration)")
            // Each key on a line of its own, then all run together, so that the
            // segmentation joins the end of one key with the start of the next. (The
            // reader ends a key's search at a line break: a key holding one would convert
            // differently here.)
            for text in [keys.joined(separator: "\n"), keys.joined()] {
                let lazy = try #require(pair.lazy.convert(text))
                #expect(lazy == pair.stock.convert(text), "\(configuration)")
                #expect(lazy != text, "\(configuration) converts nothing")
            }
        }
    }

    @Test("keys longer than the reader's first window (64 bytes) match as OpenCC's loader matches them")
    func longKeys() throws {
        let directory = try TestScratch.directory("opencc-long")
        let long = String(repeating: "长", count: 30)  // 90 bytes
        let entries = [
            ("a", "A"), (String(repeating: "a", count: 63), "A63"), (String(repeating: "a", count: 64), "A64"),
            (String(repeating: "a", count: 65), "A65"), (String(repeating: "a", count: 300), "A300"),
            (String(repeating: "b", count: 64) + "c", "BC"), (String(repeating: "b", count: 64) + "d", "BD"),
            (long, "LONG"), (long + "的", "LONGER"), ("长", "長"),
        ]
        let text = entries.map { "\($0.0)\t\($0.1)\n" }.joined()
        try text.write(to: directory.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let ocd2 = directory.appendingPathComponent("long.ocd2").path
        #expect(chainmap_opencc_compile_dictionary(directory.appendingPathComponent("long.txt").path, ocd2) == 1)
        let configuration = directory.appendingPathComponent("long.json")
        try """
        {"name": "long", "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "long.ocd2"}},
         "conversion_chain": [{"dict": {"type": "group", "dicts": [{"type": "ocd2", "file": "long.ocd2"}]}}]}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let pair = try #require(try Self.both([configuration.path]).first)
        let inputs = [63, 64, 65, 66, 128, 299, 300, 301, 1_000].map { String(repeating: "a", count: $0) } + [
            String(repeating: "b", count: 64), String(repeating: "b", count: 64) + "c", String(repeating: "b", count: 64) + "dd",
            long, long + "的", "x" + long + "的长y", String(repeating: "长", count: 29), String(repeating: "a", count: 300) + "\n" + long,
        ]
        for input in inputs {
            #expect(pair.lazy.convert(input) == pair.stock.convert(input), "\(input)")
        }
        #expect(pair.lazy.convert(String(repeating: "a", count: 301)) == "A300A")
        #expect(pair.lazy.convert(String(repeating: "a", count: 65)) == "A65")
        #expect(pair.lazy.convert("x" + long + "的长y") == "xLONGER長y")
        #expect(pair.lazy.convert(String(repeating: "b", count: 64) + "dd") == "BDd")
    }

    @Test("converters sharing dictionaries convert side by side as OpenCC's loader converts")
    func sideBySide() throws {
        let pairs = try Self.both(ChineseVariants.configurations)
        var keys: [String] = []
        for file in try Self.dictionaries(of: "s2twp.json") { keys += try Self.keys(Self.dataDirectory + file) }
        // Slices of the keys, each converted by every converter at once, on many threads.
        let texts = stride(from: 0, to: keys.count, by: 2_000).map { keys[$0..<min($0 + 2_000, keys.count)].joined() }
        let expected = pairs.map { pair in texts.map { pair.stock.convert($0) } }
        let jobs = pairs.indices.flatMap { c in texts.indices.map { (c, $0) } }
        let lazy = pairs.map(\.lazy)
        let converted = Parallel.map(jobs.count) { lazy[jobs[$0].0].convert(texts[jobs[$0].1]) }
        #expect(jobs.count > 40)
        for (job, text) in zip(jobs, converted) {
            #expect(text == expected[job.0][job.1], "\(ChineseVariants.configurations[job.0]) slice \(job.1)")
        }
    }

    @Test("the four configurations converted together give what each gives alone and what OpenCC's loader gives")
    func convertedTogether() throws {
        let pairs = try Self.both(ChineseVariants.configurations)
        var keys: [String] = []
        for file in try Self.dictionaries(of: "s2twp.json") + Self.dictionaries(of: "s2hk.json") {
            keys += try Self.keys(Self.dataDirectory + file)
        }
        let texts = stride(from: 0, to: keys.count, by: 5_000).flatMap { start in
            let slice = keys[start..<min(start + 5_000, keys.count)]
            return [slice.joined(separator: "\n"), slice.joined()]
        } + ["", "\n", "软件\u{0}服务器", "内存\n\n程序员的鼠标", "abc"]
        let lazy = pairs.map(\.lazy)
        for text in texts {
            let together = Converter.convertEach(lazy, text)
            #expect(together == lazy.map { $0.convert(text) }, "\(text.prefix(20))")
            #expect(together == pairs.map { $0.stock.convert(text) }, "\(text.prefix(20))")
        }
        // The steps are shared only between converters that were opened together: these
        // four share them; a stock converter among them converts alone.
        let mixed = [lazy[0], pairs[1].stock, lazy[2]]
        #expect(Converter.convertEach(mixed, "软件和鼠标") == mixed.map { $0.convert("软件和鼠标") })
        #expect(Converter.convertEach(lazy, "软件和鼠标") == ["軟件和鼠標", "軟件和鼠標", "軟體和滑鼠", "軟件和鼠標"])
    }

    @Test("converters opened together share the steps they describe alike, and only those")
    func sharedSteps() throws {
        let four = Converter.openNotingReader(ChineseVariants.configurations, lazily: true).converters.map { try! #require($0) }
        let steps = four.map(\.steps)
        #expect(steps.map(\.count) == [2, 3, 4, 3])  // s2t, s2tw, s2twp, s2hk
        // The segmentation (STPhrases) and the first conversion (STPhrases + STCharacters)
        // are one object each in all four; TWVariants is s2tw's third and s2twp's fourth.
        for s in steps { #expect(Array(s.prefix(2)) == Array(steps[0])) }
        #expect(steps[0][0] != steps[0][1])
        #expect(steps[1][2] == steps[2][3])
        #expect(Set([steps[1][2], steps[2][2], steps[3][2]]).count == 3)
        // Two groups whose descriptions would run together if a name's NUL were taken as a
        // separator: [STCharacters, TWVariants], and one member named
        // "STCharacters.ocd2\0<dir>/TWVariants.ocd2" (read, as OpenCC reads it, up to the NUL).
        let directory = try TestScratch.directory("opencc-descriptions")
        for file in ["STCharacters.ocd2", "TWVariants.ocd2", "STPhrases.ocd2"] {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(file))
            try FileManager.default.copyItem(atPath: Self.dataDirectory + file, toPath: directory.appendingPathComponent(file).path)
        }
        let segmentation = #"{"type": "mmseg", "dict": {"type": "ocd2", "file": "STPhrases.ocd2"}}"#
        let two = #"{"type": "group", "dicts": [{"type": "ocd2", "file": "STCharacters.ocd2"}, {"type": "ocd2", "file": "TWVariants.ocd2"}]}"#
        let one = #"{"type": "group", "dicts": [{"type": "ocd2", "file": "STCharacters.ocd2\u0000"# + directory.path
            + #"/TWVariants.ocd2"}]}"#
        let paths = try [two, one].enumerated().map { index, group in
            let path = directory.appendingPathComponent("groups-\(index).json")
            try #"{"segmentation": \#(segmentation), "conversion_chain": [{"dict": \#(group)}]}"#
                .write(to: path, atomically: true, encoding: .utf8)
            return path.path
        }
        let together = Converter.openNotingReader(paths, lazily: true)
        #expect(together.readers == [.lazy, .lazy])
        let opened = together.converters.map { try! #require($0) }
        #expect(opened[0].steps[1] != opened[1].steps[1])
        let stock = paths.map { Converter.openNotingReader([$0], lazily: false).converters[0] }
        let text = "吊着的着陆台"  // 着 → 著 by STCharacters, 著 → 着 by TWVariants
        #expect(Converter.convertEach(opened, text) == stock.map { $0?.convert(text) })
        #expect(opened[0].convert(text) != opened[1].convert(text))
    }

    @Test("a dictionary passes over characters no key starts with exactly where its trie finds nothing")
    func firstCharacterFilter() throws {
        // Keys of every length of first character (1 to 4 bytes), and in the second
        // dictionary a key shorter than its first character, which must turn the filter
        // off: passing over text that starts with that byte would lose its match.
        let directory = try TestScratch.directory("opencc-first-characters")
        let dictionaries: [(name: String, entries: [([UInt8], String)])] = [
            ("firsts", [(Array("a".utf8), "A"), (Array("é".utf8), "E"), (Array("长".utf8), "長"), (Array("长江".utf8), "長江"),
                        (Array("𠀀x".utf8), "X4"), (Array("\u{7F}".utf8), "DEL")]),
            ("short", [(Array("长".utf8), "長"), ([0xE9], "LEAD")]),
        ]
        for dictionary in dictionaries {
            // Written without OpenCC's text reader, which refuses the lone byte.
            let keys = dictionary.entries.map { key, _ in key.withUnsafeBufferPointer { UnsafePointer(strndup($0.baseAddress!, $0.count)) } }
            let values = dictionary.entries.map { _, value in UnsafePointer(strdup(value)) }
            defer { (keys + values).forEach { free(UnsafeMutablePointer(mutating: $0)) } }
            let ocd2 = directory.appendingPathComponent("\(dictionary.name).ocd2").path
            let written = keys.withUnsafeBufferPointer { keys in
                values.withUnsafeBufferPointer { values in
                    chainmap_opencc_write_dictionary(keys.baseAddress, dictionary.entries.map(\.0.count), values.baseAddress,
                                                     Int32(dictionary.entries.count), ocd2)
                }
            }
            #expect(written == 1)
            try """
            {"segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "\(dictionary.name).ocd2"}},
             "conversion_chain": [{"dict": {"type": "ocd2", "file": "\(dictionary.name).ocd2"}}]}
            """.write(to: directory.appendingPathComponent("\(dictionary.name).json"), atomically: true, encoding: .utf8)
        }
        // Each ends in three ASCII letters: OpenCC's segmentation steps over a cut-off
        // character's whole length, which at the very end of the text would read past it
        // (OpenCC's own reading, with either loader).
        let inputs: [[UInt8]] = [
            Array("xa长江é𠀀x𠀀y长长\u{7F}b".utf8), Array("bcd".utf8), [0xE9], [0xE9, 0x41], [0xE9, 0x95], [0xE9, 0x95, 0xBF, 0xE9],
            [0xE9, 0x00, 0x95, 0xBF], [0xE9, 0x0A, 0x95], [0xC3], [0xC3, 0x00], [0x95, 0xBF, 0x61], [0xF0, 0xA0, 0x80],
            Array("长".utf8) + [0x0A] + Array("江".utf8),
        ].map { $0 + Array("xyz".utf8) }
        for name in ["firsts", "short"] {
            let path = directory.appendingPathComponent("\(name).json").path
            var converted: [[String?]] = []
            for lazy in [1, 0] {
                var handle: UnsafeMutableRawPointer?
                var reader: Int32 = 0
                var configuration = strdup(path)
                defer { free(configuration) }
                withUnsafePointer(to: &configuration) { names in
                    names.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: 1) {
                        chainmap_opencc_open($0, 1, Int32(lazy), &handle, &reader)
                    }
                }
                #expect(reader == Int32(lazy), "\(name) opened by the wrong reader")
                let opened = try #require(handle)
                defer { chainmap_opencc_close(opened) }
                converted.append(inputs.map { input in
                    input.withUnsafeBufferPointer { bytes in
                        var length = 0
                        guard let raw = bytes.withMemoryRebound(to: CChar.self, {
                            chainmap_opencc_convert(opened, $0.baseAddress, $0.count, &length)
                        }) else { return nil }
                        defer { free(raw) }
                        return String(decoding: UnsafeRawBufferPointer(start: raw, count: length), as: UTF8.self)
                    }
                })
            }
            #expect(converted[0] == converted[1], "\(name)")
        }
        let firsts = try #require(try Self.both([directory.appendingPathComponent("firsts.json").path]).first)
        #expect(firsts.lazy.convert("xa长江é𠀀x𠀀y长\u{7F}") == "xA長江EX4𠀀y長DEL")
    }

    @Test("text with a NUL, and a configuration named without .json, convert as OpenCC's loader converts them")
    func edges() throws {
        let pair = try #require(try Self.both(["s2twp.json"]).first)
        for text in ["软件\u{0}服务器", "\u{0}软件", "内存\u{0}", "软件开发\n\u{0}\n服务"] {
            #expect(pair.lazy.convert(text) == pair.stock.convert(text), "\(text.debugDescription)")
        }
        #expect(pair.lazy.convert("软件\u{0}服务器") == "軟體")
        // Not a file of the data directory as named: OpenCC's loader finds s2twp.json.
        let opened = Converter.openNotingReader(["s2twp"], lazily: true)
        #expect(opened.readers == [.openCC])
        #expect(try #require(opened.converters[0]).convert("软件服务器") == pair.lazy.convert("软件服务器"))
    }

    @Test("a damaged dictionary is refused, its configuration left out, and nothing crashes")
    func damagedDictionaries() throws {
        let directory = try TestScratch.directory("opencc-damaged")
        // A value's length past the values (the last of the file's lengths): OpenCC's
        // loader would take it.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: Self.dataDirectory + "STCharacters.ocd2"))
        damaged[damaged.count - 1] = 0xFF
        damaged[damaged.count - 2] = 0xFF
        try damaged.write(to: directory.appendingPathComponent("damaged.ocd2"))
        let configuration = directory.appendingPathComponent("damaged.json")
        try """
        {"segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "damaged.ocd2"}},
         "conversion_chain": [{"dict": {"type": "ocd2", "file": "damaged.ocd2"}}]}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let opened = Converter.openNotingReader([configuration.path], lazily: true)
        #expect(opened.readers == [.refused])
        #expect(opened.converters[0] == nil)
        #expect(Converter.openNotingReader([configuration.path], lazily: false).converters[0] != nil)
    }

    @Test("a dictionary cut short or overwritten on disk while open changes nothing: it was read, not mapped")
    func dictionaryChangedWhileOpen() throws {
        let directory = try TestScratch.directory("opencc-changed")
        let file = directory.appendingPathComponent("phrases.ocd2")
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.dataDirectory + "STPhrases.ocd2"))
        try whole.write(to: file)
        let configuration = directory.appendingPathComponent("phrases.json")
        try """
        {"segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "phrases.ocd2"}},
         "conversion_chain": [{"dict": {"type": "ocd2", "file": "phrases.ocd2"}}]}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        // OpenCC's loader reads the whole file when it opens it: the reference.
        let pair = try #require(try Self.both([configuration.path]).first)
        // In place, as `cp` or an editor would: the same file, shorter, then garbage.
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 64)
        try handle.seek(toOffset: 0)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: whole.count))
        try handle.close()
        let text = try Self.keys(Self.dataDirectory + "STPhrases.ocd2").joined(separator: "\n")
        let converted = try #require(pair.lazy.convert(text))
        #expect(converted == pair.stock.convert(text))
        #expect(converted != text)
    }

    @Test("a truncated dictionary is refused, its configuration left out, and nothing crashes")
    func truncatedDictionaries() throws {
        let directory = try TestScratch.directory("opencc-truncated")
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.dataDirectory + "TWVariants.ocd2"))
        let configuration = directory.appendingPathComponent("cut.json")
        try """
        {"segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": "cut.ocd2"}},
         "conversion_chain": [{"dict": {"type": "ocd2", "file": "cut.ocd2"}}]}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let sizes = Array(stride(from: 0, to: whole.count, by: 61)) + [18, 19, 20, whole.count - 2, whole.count - 1]
        for size in sizes {
            try whole.prefix(size).write(to: directory.appendingPathComponent("cut.ocd2"))
            let opened = Converter.openNotingReader([configuration.path], lazily: true)
            #expect(opened.readers == [.refused], "\(size) bytes")
            #expect(opened.converters[0] == nil, "\(size) bytes")
        }
        try whole.write(to: directory.appendingPathComponent("cut.ocd2"))
        let opened = Converter.openNotingReader([configuration.path], lazily: true)
        #expect(opened.readers == [.lazy])
        #expect(try #require(opened.converters[0]).convert("着") == Converter.open(["s2tw.json"]).first??.convert("着"))
    }

    @Test("a configuration the reader does not know is opened by OpenCC's loader")
    func unknownConfigurationFallsBack() throws {
        let directory = try TestScratch.directory("opencc-text")
        try "电\t電\n脑\t腦\n".write(to: directory.appendingPathComponent("words.txt"), atomically: true, encoding: .utf8)
        let configuration = directory.appendingPathComponent("text.json")
        try """
        {"segmentation": {"type": "mmseg", "dict": {"type": "text", "file": "words.txt"}},
         "conversion_chain": [{"dict": {"type": "text", "file": "words.txt"}}]}
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let opened = Converter.openNotingReader([configuration.path, "no-such-configuration.json"], lazily: true)
        #expect(opened.readers == [.openCC, .openCC])
        #expect(try #require(opened.converters[0]).convert("电脑") == "電腦")
        #expect(opened.converters[1] == nil)
    }
}
