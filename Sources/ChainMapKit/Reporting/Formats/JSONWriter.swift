import CTextScan
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
        /// inside an HTML `<script>` element without ending it; and the bidirectional
        /// controls as U+FFFD, since the page shows the text (``BidiControls``).
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
        literal(": ")
    }

    /// A row's place as a string, `file:line` (``FileLocation/rowReference``), written
    /// without making the string.
    public mutating func rowReference(_ location: FileLocation) {
        guard location.sheet == nil else { return string(location.rowReference) }
        quote()
        escaped(location.file)
        bytes.append(UInt8(ascii: ":"))
        NumberText.appendInteger(location.line, to: &bytes)
        quote()
    }

    /// A string literal, or `null`.
    public mutating func optional(_ text: String?) {
        if let text { string(text) } else { literal("null") }
    }

    /// A number with at most `decimals` decimals (``NumberText/trimmed(_:_:)``), or `null`.
    public mutating func number(_ value: Double?, decimals: Int) {
        if let value { NumberText.appendTrimmed(value, decimals, to: &bytes) } else { literal("null") }
    }

    /// A whole number, or `null`.
    public mutating func integer(_ value: Int?) {
        if let value { raw(String(value)) } else { raw("null") }
    }

    /// An array of strings.
    public mutating func strings(_ items: [String]) {
        literal("[")
        for (i, item) in items.enumerated() {
            if i > 0 { literal(", ") }
            string(item)
        }
        literal("]")
    }

    /// A string literal, escaped as ``escaping`` says.
    public mutating func string(_ text: String) {
        quote()
        escaped(text)
        quote()
    }

    /// A string literal from UTF-8 bytes (text built in place), escaped as ``escaping`` says.
    mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        quote()
        escaped(utf8: utf8)
        quote()
    }

    /// Text written as it is, from a literal: no escaping and no `String` to look into.
    public mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// The bytes of a string without its quotes, escaped as ``escaping`` says: for a string
    /// written in parts (``quote()``, parts, ``quote()``).
    mutating func escaped(utf8: UnsafeBufferPointer<UInt8>) {
        let script = escaping == .script
        // Most strings have no byte that may need escaping: they are copied as they are,
        // and the rest from their first such byte on. The bytes are compared 16 at a time
        // (``chainmap_find_json_special``): a table load per byte was most of writing
        // the 53 MB list of the screening benchmark's base workload.
        guard let base = utf8.baseAddress else { return }
        let clean = chainmap_find_json_special(base, utf8.count, script ? 1 : 0)
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[..<clean]))
        if clean == utf8.count { return }
        var i = clean
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
            case 0xE2 where script && BidiControls.starts(utf8, at: i - 1), 0xD8 where script && BidiControls.starts(utf8, at: i - 1):
                // A bidirectional control: the page shows this text, so U+FFFD (``BidiControls``).
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                i += byte == 0xE2 ? 2 : 1
            default: bytes.append(byte)
            }
        }
    }

    /// ``escaped(utf8:)`` of a string's bytes: a native string's in place, others (bridged,
    /// say) through a copy.
    mutating func escaped(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ escaped(utf8: $0) }) == nil {
            var text = text
            text.withUTF8 { escaped(utf8: $0) }
        }
    }

    /// A quotation mark, to open or close a string written in parts.
    mutating func quote() { bytes.append(UInt8(ascii: "\"")) }

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
        renderInParts(count: count, batch: batch, write: write) { range, out in
            for i in range { record(i, &out) }
        }
    }

    /// ``renderInParts(count:batch:write:record:)`` handing each task its range of records
    /// at once, so that what a batch reads (a list, tables) is reached once per range, not
    /// once per record.
    ///
    /// The records are rendered a round at a time, `batch` per core cut into four tasks,
    /// while one more task of the round hands the previous round's bytes to `write` (a
    /// file's writes cost about half as much as rendering them), in order. The tasks run
    /// through `concurrentPerform`, on the calling thread too, so that a call from a
    /// worker thread never waits for threads that may not come.
    static func renderInParts(
        count: Int, batch: Int = 1024, write: (ArraySlice<UInt8>) -> Void,
        records: @escaping @Sendable (Range<Int>, inout JSONWriter) -> Void
    ) {
        /// `write`, for the task that writes: one task of a round calls it, and the round
        /// ends before the next begins or this function returns, so it is never called
        /// twice at once nor after it is gone.
        struct Writer: @unchecked Sendable {
            let write: (ArraySlice<UInt8>) -> Void
        }
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunk = max(1, batch / 4)
        withoutActuallyEscaping(write) { write in
            let writer = Writer(write: write)
            var pending: [[UInt8]] = []
            var start = 0
            while start < count {
                let round = start..<min(count, start + workers * batch)
                let firsts = Array(stride(from: round.lowerBound, to: round.upperBound, by: chunk))
                let parts = Mutex([[UInt8]](repeating: [], count: firsts.count))
                let previous = pending
                // Task 0 writes the previous round (it starts first, and the rendering tasks
                // fill in around it); task k renders chunk k - 1.
                DispatchQueue.concurrentPerform(iterations: firsts.count + 1) { k in
                    guard k > 0 else {
                        for part in previous { writer.write(part[...]) }
                        return
                    }
                    var out = JSONWriter(capacity: 1 << 18)
                    records(firsts[k - 1]..<min(round.upperBound, firsts[k - 1] + chunk), &out)
                    let bytes = out.bytes
                    parts.withLock { $0[k - 1] = bytes }
                }
                pending = parts.withLock { $0 }
                start = round.upperBound
            }
            for part in pending { writer.write(part[...]) }
        }
    }
}

/// Pieces of JSON written once and appended many times (what every match to a link
/// starts with, say), kept in one block of bytes: appending a piece retains nothing, where
/// appending an array of its own retained that array, from both cores at once when the
/// records of a list are written in parts.
struct JSONPieces: Sendable {
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    /// The pieces `write` writes, one per element of `items`, in order.
    init<S: Sequence>(_ items: S, escaping: JSONWriter.Escaping = .standard, write: (S.Element, inout JSONWriter) -> Void) {
        var out = JSONWriter(escaping: escaping)
        for item in items {
            write(item, &out)
            starts.append(out.bytes.count)
        }
        bytes = out.bytes
    }

    /// Runs `body` with a view of the pieces that ``JSONWriter/piece(_:of:)`` appends from.
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { bytes in
            try starts.withUnsafeBufferPointer { starts in try body(View(bytes: bytes, starts: starts)) }
        }
    }

    /// The pieces' memory, valid inside ``withView(_:)``.
    struct View {
        let bytes: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int>

        subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[starts[index]..<starts[index + 1]])
        }
    }
}

extension JSONWriter {
    /// Appends piece `index` of `pieces` as it is.
    mutating func piece(_ index: Int, of pieces: JSONPieces.View) {
        bytes.append(contentsOf: pieces[index])
    }
}
