import COpenCC
import Synchronization

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
        let converters = Converters.shared
        return words.map { word in
            var spellings = [word]
            guard word.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) else { return spellings }
            for converter in converters.all {
                if let converted = converter.convert(word), !spellings.contains(converted) {
                    spellings.append(converted)
                }
            }
            return spellings
        }
    }

    /// Whether OpenCC's configurations could be opened (false when its data files are
    /// missing; keywords then match Simplified text only).
    public static var isAvailable: Bool { !Converters.shared.all.isEmpty }

    /// The opened converters, loaded once per process.
    final class Converters: Sendable {
        static let shared = Converters()
        let all: [Converter]

        init() {
            all = ChineseVariants.configurations.compactMap(Converter.init(configuration:))
        }
    }

    /// One OpenCC handle. OpenCC's converters are not documented as thread-safe, so
    /// each call holds the handle's lock.
    final class Converter: Sendable {
        private let handle: Mutex<OpaquePointerBox>

        init?(configuration: String) {
            guard let raw = opencc_open(configuration), Int(bitPattern: raw) != -1 else { return nil }
            handle = Mutex(OpaquePointerBox(raw))
        }

        deinit {
            handle.withLock { _ = opencc_close($0.pointer) }
        }

        func convert(_ text: String) -> String? {
            handle.withLock { box -> String? in
                let utf8 = Array(text.utf8)
                guard let result = utf8.withUnsafeBufferPointer({ buffer in
                    buffer.withMemoryRebound(to: CChar.self) {
                        opencc_convert_utf8(box.pointer, $0.baseAddress, $0.count)
                    }
                }) else { return nil }
                defer { opencc_convert_utf8_free(result) }
                return String(cString: result)
            }
        }
    }

    struct OpaquePointerBox: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
        init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    }
}
