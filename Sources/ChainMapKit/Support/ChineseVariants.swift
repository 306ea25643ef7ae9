import COpenCCShared
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Traditional-character spellings of Simplified words, from OpenCC.
///
/// Leads from Hong Kong, Macao and Taiwan write their business scope in Traditional
/// characters, and Taiwan uses its own words too (软件 → 軟體). Rather than converting
/// every row of a million-row export, chainmap converts each keyword once, at start,
/// into all its spellings, and matches them all.
public enum ChineseVariants {
    /// The OpenCC configurations used, Simplified → Traditional: generic, Taiwan
    /// characters, Taiwan words and Hong Kong characters.
    public static let configurations = ["s2t.json", "s2tw.json", "s2twp.json", "s2hk.json"]

    /// The word and its distinct Traditional spellings, the word first.
    public static func expand(_ word: String) -> [String] {
        expand([word])[0]
    }

    /// Each word with its distinct Traditional spellings, each word first. Words without
    /// Han characters are returned alone, unconverted.
    public static func expand(_ words: [String]) -> [[String]] {
        // Each word is converted once per process: a run that places the rosters and then
        // screens builds every chain's matcher twice, and chains share keywords.
        var spellings: [[String]?] = Spellings.shared.known(words)
        let missing = spellings.indices.filter { spellings[$0] == nil }
        if !missing.isEmpty {
            let converted = convert(missing.map { words[$0] })
            Spellings.shared.remember(zip(missing, converted).map { (words[$0], $1) })
            for (i, found) in zip(missing, converted) { spellings[i] = found }
        }
        return spellings.map { $0! }
    }

    /// The spellings of the words converted so far, at most ``limit`` words (a memo, not
    /// a store: words beyond it are converted again when asked for).
    final class Spellings: Sendable {
        static let shared = Spellings()
        static let limit = 100_000
        private let known = Mutex<[String: [String]]>([:])

        func known(_ words: [String]) -> [[String]?] {
            known.withLock { known in words.map { known[$0] } }
        }

        func remember(_ pairs: [(String, [String])]) {
            known.withLock { known in
                for (word, spellings) in pairs where known.count < Self.limit { known[word] = spellings }
            }
        }
    }

    /// ``expand(_:)`` through OpenCC, without the memo.
    static func convert(_ words: [String]) -> [[String]] {
        let converters = Converters.shared
        var spellings = words.map { [$0] }
        // The words with Han characters, converted all at once by each converter: one per
        // line, so that no phrase of OpenCC's joins two (its phrases hold no line break),
        // and each converts as it would alone. A call costs far more than a word: a
        // 100-link chain's keywords took 0.1 s one by one.
        // A word with a line break of its own is converted alone.
        var han: [Int] = []
        var lone: [Int] = []
        for i in words.indices where words[i].unicodeScalars.contains(where: { $0.value >= 0x2E80 }) {
            if hasLineBreak(words[i]) { lone.append(i) } else { han.append(i) }
        }
        let text = han.map { words[$0] }.joined(separator: "\n")
        // All four at once: they begin with the same steps (segmenting with STPhrases, then
        // STPhrases and STCharacters), which are converted once. nev-battery's keywords
        // through the four took 5.4 ms one by one, 1.5 ms together.
        let all = converters.all
        let outputs = han.isEmpty ? Array(repeating: nil, count: all.count) : Converter.convertEach(all, text)
        for (converter, output) in zip(all, outputs) {
            var converted: [String?] = Array(repeating: nil, count: words.count)
            if let output {
                let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count == han.count {
                    for (line, i) in zip(lines, han) { converted[i] = String(line) }
                } else {
                    for i in han { converted[i] = converter.convert(words[i]) }
                }
            }
            for i in lone { converted[i] = converter.convert(words[i]) }
            for i in words.indices {
                if let spelling = converted[i], !spellings[i].contains(spelling) { spellings[i].append(spelling) }
            }
        }
        return spellings
    }

    /// Whether `word` holds a line break, as `Character.isNewline` has it (LF, VT, FF, CR,
    /// NEL, LS, PS, and CR LF): each is a grapheme cluster of its own, or begins CR LF, so
    /// a look at the scalars says it without breaking the word into characters (most of
    /// the time `convert` spent in Swift for a chain's keywords). A test compares the two.
    static func hasLineBreak(_ word: String) -> Bool {
        word.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
            default: false
            }
        }
    }

    /// The Simplified form of one Han character (臺 → 台, 電 → 电, 綫 → 线), or the
    /// character itself: OpenCC's Traditional → Simplified tables (generic, Hong Kong and
    /// Taiwan) applied to each character of the CJK blocks, so that comparing names costs
    /// a table lookup per character. The table is generated from OpenCC
    /// (`.ci/gen/simplified-table.c`) rather than worked out at every start, which took
    /// about 70 ms; a test compares it with the installed OpenCC's.
    @inline(__always)
    public static func simplified(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let value = scalar.value
        guard value >= SimplifiedTable.first else { return scalar }
        return SimplifiedTable.shared.map(value) ?? scalar
    }

    /// Traditional → Simplified, one character at a time, for the CJK Unified Ideographs
    /// (with Extension A) and the compatibility ideographs.
    final class SimplifiedTable: Sendable {
        static let first: UInt32 = 0x3400
        static let ranges: [ClosedRange<UInt32>] = [0x3400...0x9FFF, 0xF900...0xFAFF]
        static let shared = SimplifiedTable(table: SimplifiedTable.expanded(pairs))
        /// The replacement of each character of ``ranges`` (flattened), 0 for none.
        let table: [UInt32]

        init(table: [UInt32]) {
            self.table = table
        }

        /// The table of ``pairs``: (character, Simplified form) pairs, flattened.
        static func expanded(_ pairs: [UInt32]) -> [UInt32] {
            var table = [UInt32](repeating: 0, count: ranges.reduce(0) { $0 + $1.count })
            var pair = 0
            while pair + 1 < pairs.count {
                if let index = index(of: pairs[pair]) { table[index] = pairs[pair + 1] }
                pair += 2
            }
            return table
        }

        /// The table as the installed OpenCC makes it (what `.ci/gen/simplified-table.c`
        /// writes into ``pairs``): t2s, then hk2s, then tw2s, the first that changes a
        /// character into a single other one wins. Empty without OpenCC's data.
        static func fromOpenCC() -> [UInt32] {
            let scalars = Self.ranges.flatMap { $0 }
            var table = [UInt32](repeating: 0, count: scalars.count)
            // One character per line, so that OpenCC's phrase tables never join two.
            var text = ""
            text.reserveCapacity(scalars.count * 4)
            for value in scalars {
                text.unicodeScalars.append(Unicode.Scalar(value)!)
                text.append("\n")
            }
            let converters = Converter.open(["t2s.json", "hk2s.json", "tw2s.json"])
            for converter in converters.compactMap({ $0 }) {
                guard let converted = converter.convert(text) else { continue }
                let lines = converted.split(separator: "\n", omittingEmptySubsequences: false)
                guard lines.count >= scalars.count else { continue }
                for (i, line) in lines.prefix(scalars.count).enumerated() where table[i] == 0 {
                    let result = line.unicodeScalars
                    if result.count == 1, let only = result.first, only.value != scalars[i] { table[i] = only.value }
                }
            }
            let opened = converters.contains { $0 != nil }
            return opened ? table : []
        }

        func map(_ value: UInt32) -> Unicode.Scalar? {
            guard let index = Self.index(of: value), table[index] != 0 else { return nil }
            return Unicode.Scalar(table[index])
        }

        /// A character's place in ``table`` (the ``ranges`` one after the other), if in them.
        static func index(of value: UInt32) -> Int? {
            // The two ``ranges``, one after the other, without walking the list: every
            // character of a name comes here (a test checks this against the list).
            if value &- 0x3400 <= 0x9FFF - 0x3400 { return Int(value &- 0x3400) }
            if value &- 0xF900 <= 0xFAFF - 0xF900 { return 0x9FFF - 0x3400 + 1 + Int(value &- 0xF900) }
            return nil
        }
    }

    /// Whether OpenCC's configurations could be opened (false when its data files are
    /// missing; keywords then match Simplified text only).
    public static var isAvailable: Bool { !Converters.shared.all.isEmpty }

    /// Starts opening the converters on another thread, for a run that will expand words
    /// later: their dictionaries then load while the chain files are read. Whoever needs
    /// them first waits for the opening to finish. A thread of its own, started on another
    /// processor (``Parallel/Pending``): a queue of the shared pool started its thread on
    /// this one, where the two took turns.
    public static func prepare() {
        _ = Parallel.Pending { _ = Converters.shared }
    }

    /// The opened converters, loaded once per process.
    final class Converters: Sendable {
        static let shared = Converters()
        let all: [Converter]

        init() {
            // Opened together, so that they share the dictionaries they have in common.
            all = Converter.open(ChineseVariants.configurations).compactMap { $0 }
        }
    }

    /// One OpenCC converter. OpenCC's converters are not documented as thread-safe, so
    /// each call holds the converter's lock.
    final class Converter: Sendable {
        private let handle: Mutex<OpaquePointerBox>

        private init(_ raw: UnsafeMutableRawPointer) {
            handle = Mutex(OpaquePointerBox(raw))
        }

        /// Opens the configurations (file names such as `s2t.json`) together, so that a
        /// dictionary they share is read once (opening s2t, s2tw, s2twp and s2hk one by
        /// one reads STPhrases four times: 95 ms against 31 ms). With `lazily` (the
        /// default), dictionaries are read as they are asked, not whole (STPhrases: about
        /// 1 ms against 20); a configuration that reader does not know is opened by
        /// OpenCC's loader. nil for a configuration that cannot be opened.
        static func open(_ configurations: [String], lazily: Bool = true) -> [Converter?] {
            openNotingReader(configurations, lazily: lazily).converters
        }

        /// Who opened a configuration.
        enum Reader: Equatable {
            /// chainmap's reader of OpenCC's dictionaries, as they are asked.
            case lazy
            /// OpenCC's own loader (or no one, when the converter is nil).
            case openCC
            /// No one: a dictionary it names is damaged.
            case refused
        }

        /// ``open(_:lazily:)``, and who opened each configuration.
        static func openNotingReader(_ configurations: [String], lazily: Bool) -> (converters: [Converter?], readers: [Reader]) {
            var handles = [UnsafeMutableRawPointer?](repeating: nil, count: configurations.count)
            var readers = [Int32](repeating: 0, count: configurations.count)
            let names = configurations.map { strdup($0) }
            defer { names.forEach { free($0) } }
            names.map { UnsafePointer($0) }.withUnsafeBufferPointer { names in
                handles.withUnsafeMutableBufferPointer { handles in
                    readers.withUnsafeMutableBufferPointer { readers in
                        chainmap_opencc_open(names.baseAddress, Int32(names.count), lazily ? 1 : 0, handles.baseAddress,
                                             readers.baseAddress)
                    }
                }
            }
            return (handles.map { $0.map(Converter.init) }, readers.map { $0 > 0 ? .lazy : $0 < 0 ? .refused : .openCC })
        }

        deinit {
            handle.withLock { chainmap_opencc_close($0.pointer) }
        }

        /// `text` through each converter, as ``convert(_:)`` with each, but converting the
        /// steps they share once. Holds their locks, in the order given: callers give
        /// them in ``Converters/all``'s order, each converter once (its lock is not
        /// recursive).
        static func convertEach(_ converters: [Converter], _ text: String) -> [String?] {
            precondition(Set(converters.map(ObjectIdentifier.init)).count == converters.count, "a converter given twice")
            return holding(converters[...], []) { handles in
                var text = text
                return text.withUTF8 { utf8 -> [String?] in
                    var outputs = [UnsafeMutablePointer<CChar>?](repeating: nil, count: handles.count)
                    var lengths = [Int](repeating: 0, count: handles.count)
                    utf8.withMemoryRebound(to: CChar.self) { bytes in
                        handles.map { UnsafeRawPointer($0) as UnsafeRawPointer? }.withUnsafeBufferPointer { handles in
                            chainmap_opencc_convert_each(handles.baseAddress, Int32(handles.count), bytes.baseAddress, bytes.count,
                                                         &outputs, &lengths)
                        }
                    }
                    return zip(outputs, lengths).map { output, length in output.map { Self.taken($0, length) } }
                }
            }
        }

        /// The dictionaries of this converter's steps, as ``convertEach(_:_:)`` compares
        /// them. For tests.
        var steps: [UnsafeRawPointer?] {
            handle.withLock { box in
                var steps = [UnsafeRawPointer?](repeating: nil, count: 16)
                let count = Int(chainmap_opencc_steps(box.pointer, &steps, Int32(steps.count)))
                return Array(steps.prefix(min(count, steps.count)))
            }
        }

        /// `body` with the handles of `converters` and those `held`, each converter's lock
        /// held.
        private static func holding(_ converters: ArraySlice<Converter>, _ held: [UnsafeMutableRawPointer],
                                    _ body: ([UnsafeMutableRawPointer]) -> [String?]) -> [String?] {
            guard let first = converters.first else { return body(held) }
            return first.handle.withLock { box in holding(converters.dropFirst(), held + [box.pointer], body) }
        }

        func convert(_ text: String) -> String? {
            handle.withLock { box -> String? in
                var text = text
                return text.withUTF8 { utf8 -> String? in
                    var length = 0
                    guard let result = utf8.withMemoryRebound(to: CChar.self, {
                        chainmap_opencc_convert(box.pointer, $0.baseAddress, $0.count, &length)
                    }) else { return nil }
                    return Self.taken(result, length)
                }
            }
        }

        /// The text of `length` bytes that the C face returned, its memory released.
        private static func taken(_ output: UnsafeMutablePointer<CChar>, _ length: Int) -> String {
            defer { free(output) }
            return String(decoding: UnsafeRawBufferPointer(start: output, count: length), as: UTF8.self)
        }
    }

    struct OpaquePointerBox: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    }
}
