import Foundation
import Synchronization
/// The one JSON writer of chainmap: `gaps --json`, `gaps --edges --json`, `leads --json`
/// and the data block of the report's web page are all written with it.
///
/// It appends UTF-8 bytes to a buffer, so that a long list is written in pieces without
/// building strings. Numbers are written by ``NumberText`` (a fixed number of decimals,
/// trailing zeros dropped), so every output shows the same value the same way.
public struct JSONWriter: Sendable {
    /// How strings are escaped.
    public enum Escaping: Sendable {
        /// JSON's own escapes: `"`, `\` and control characters (C0, DEL and C1, so that
        /// no terminal acts on a lead file's escape sequences).
        case standard
        /// Also `<`, `>`, `&`, `/`, U+2028 and U+2029 as `\uXXXX`, so that the text can sit
        /// inside an HTML `<script>` element without ending it.
        case script
    }

    /// The bytes written so far.
    public var bytes: [UInt8] = []
    public let escaping: Escaping

    public init(escaping: Escaping = .standard, capacity: Int = 1 << 12) {
        self.escaping = escaping
        bytes.reserveCapacity(capacity)
    }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends text as it is (punctuation, already-written JSON).
    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends bytes as they are.
    public mutating func raw(bytes more: [UInt8]) {
        bytes.append(contentsOf: more)
    }

    /// `"name": `.
    public mutating func key(_ name: String) {
        string(name)
        raw(": ")
    }

    /// A string literal, or `null`.
    public mutating func optional(_ text: String?) {
        if let text { string(text) } else { raw("null") }
    }

    /// A number with at most `decimals` decimals (``NumberText/trimmed(_:_:)``), or `null`.
    public mutating func number(_ value: Double?, decimals: Int) {
        if let value { NumberText.appendTrimmed(value, decimals, to: &bytes) } else { raw("null") }
    }

    /// A whole number, or `null`.
    public mutating func integer(_ value: Int?) {
        if let value { raw(String(value)) } else { raw("null") }
    }

    /// An array of strings.
    public mutating func strings(_ items: [String]) {
        raw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { raw(", ") }
            string(item)
        }
        raw("]")
    }

    /// A string literal, escaped as ``escaping`` says.
    public mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        let script = escaping == .script
        // One table load per byte to tell whether any byte may need escaping (most
        // strings have none: they are copied as they are).
        let plain = (script ? Self.scriptSpecial : Self.standardSpecial).withUnsafeBufferPointer { special in
            !utf8.contains { special[Int($0)] }
        }
        if plain {
            bytes.append(contentsOf: utf8)
        } else {
            var i = 0
            while i < utf8.count {
                let byte = utf8[i]
                i += 1
                switch byte {
                case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case ..<0x20, 0x7F: unicodeEscape(UInt32(byte))
                case 0xC2 where i < utf8.count && (0x80...0x9F).contains(utf8[i]):
                    // A C1 control (U+0080–U+009F): escaped, so that no terminal acts on it.
                    unicodeEscape(UInt32(utf8[i]))
                    i += 1
                case 0x3C where script, 0x3E where script, 0x26 where script, 0x2F where script:
                    unicodeEscape(UInt32(byte))
                case 0xE2 where script && i + 1 < utf8.count && utf8[i] == 0x80 && (utf8[i + 1] == 0xA8 || utf8[i + 1] == 0xA9):
                    // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR.
                    unicodeEscape(utf8[i + 1] == 0xA8 ? 0x2028 : 0x2029)
                    i += 2
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The bytes that may need escaping in a string: controls, `"`, `\`, DEL and the lead
    /// byte of the C1 controls; in a script, `<`, `>`, `&`, `/` and the lead byte of
    /// U+2028 and U+2029 too.
    static let standardSpecial: [Bool] = (0..<256).map { byte in
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2
    }
    static let scriptSpecial: [Bool] = (0..<256).map { byte in
        standardSpecial[byte] || byte == 0x3C || byte == 0x3E || byte == 0x26 || byte == 0x2F || byte == 0xE2
    }

    private mutating func unicodeEscape(_ value: UInt32) {
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(hex[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}

extension JSONWriter {
    /// Renders `count` records, a batch per core at a time, and hands their bytes to
    /// `write` in order: the output of a long list takes a fraction of the time, and
    /// memory holds a few batches only.
    static func renderInParts(
        count: Int, batch: Int = 1024, write: (ArraySlice<UInt8>) -> Void,
        record: @escaping @Sendable (Int, inout JSONWriter) -> Void
    ) {
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var start = 0
        while start < count {
            let firsts = (0..<workers).map { start + $0 * batch }.filter { $0 < count }
            let parts = Mutex([[UInt8]](repeating: [], count: firsts.count))
            DispatchQueue.concurrentPerform(iterations: firsts.count) { k in
                var out = JSONWriter()
                for i in firsts[k]..<min(count, firsts[k] + batch) { record(i, &out) }
                let bytes = out.bytes
                parts.withLock { $0[k] = bytes }
            }
            for part in parts.withLock({ $0 }) { write(part[...]) }
            start += workers * batch
        }
    }
}
