import CTextScan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level CSV/TSV reader behind lead files: RFC 4180 quoting (fields in double
/// quotes may hold delimiters, newlines and doubled quotes), LF or CRLF line ends.
///
/// It works on UTF-8 bytes, and on the raw bytes of GB18030/GBK and Big5 files too:
/// in those encodings every byte of a multi-byte character is ≥ 0x30 except none that
/// equals a quote, comma, tab, CR or LF, so record and field boundaries are found before
/// the text is transcoded.
///
/// Why not a library reader: see docs/matching.md ("Reading large exports") and the
/// benchmark in .ci/bench/leads.sh, which runs yaslab/CSV.swift beside this scanner.
enum CSVScanner {
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    /// The longest line read as a record (64 MB: a 10 MB business scope is one row);
    /// a longer one is cut there and reported.
    static let maxLineBytes = 64 << 20

    // MARK: Record boundaries

    /// Finds the ends of the complete records in `bytes[from..<count]`: appends the offset
    /// of each record's terminating LF (or `count` for a last record at end of input
    /// when `atEnd`) to `ends`, and returns the offset where the first incomplete record
    /// starts (`count` when none). Stops once `ends` holds `maxRecords`.
    ///
    /// A quoted field that runs over line breaks and does not close within
    /// `maxRecordBytes` is cut at the end of the line where its record starts, so that one
    /// stray quote cannot swallow the rest of the file; the field splitter then reports
    /// that record as unreadable. A single line swallows no other row, so it may grow to
    /// `maxLineBytes` (a 10 MB business scope is one row) before it is cut.
    static func recordEnds(
        _ base: UnsafePointer<UInt8>, from: Int, count: Int, delimiter: UInt8, atEnd: Bool,
        maxRecordBytes: Int, maxLineBytes: Int = CSVScanner.maxLineBytes, maxRecords: Int = .max, into ends: inout [Int]
    ) -> Int {
        var quoted: [Bool] = []
        return recordEnds(
            base, from: from, count: count, delimiter: delimiter, atEnd: atEnd, maxRecordBytes: maxRecordBytes,
            maxLineBytes: maxLineBytes, maxRecords: maxRecords, into: &ends, quoted: &quoted)
    }

    /// ``recordEnds(_:from:count:delimiter:atEnd:maxRecordBytes:maxLineBytes:maxRecords:into:)``,
    /// appending to `quoted`, for each record, whether it may hold a quote (false: it has
    /// none, which the search for its end found out, so that no later step looks again).
    static func recordEnds(
        _ base: UnsafePointer<UInt8>, from: Int, count: Int, delimiter: UInt8, atEnd: Bool,
        maxRecordBytes: Int, maxLineBytes: Int = CSVScanner.maxLineBytes, maxRecords: Int = .max, into ends: inout [Int],
        quoted: inout [Bool]
    ) -> Int {
        defer {
            // Every record but the quote-free lines of the fast path may hold a quote.
            while quoted.count < ends.count { quoted.append(true) }
        }
        var start = from
        while start < count && ends.count < maxRecords {
            // Fast path: a line without a quote is a whole record.
            guard let lfPointer = memchr(base + start, Int32(lf), count - start) else {
                // No LF before the end of the data read so far: wait for more, unless
                // the line has outgrown any record (then it is cut, and reported).
                if !atEnd && count - start <= max(maxRecordBytes, maxLineBytes) { return start }
                if !atEnd {
                    ends.append(count)
                    return count
                }
                let end = quotedRecordEnd(base, start: start, count: count, delimiter: delimiter)
                if let end {
                    ends.append(end)
                    start = end + 1
                    continue
                }
                // Open quote at end of input: the record runs to the end; the splitter reports it.
                ends.append(count)
                return count
            }
            let lineEnd = base.distance(to: lfPointer.assumingMemoryBound(to: UInt8.self))
            if memchr(base + start, Int32(quote), lineEnd - start) == nil {
                while quoted.count < ends.count { quoted.append(true) }
                ends.append(lineEnd)
                quoted.append(false)
                start = lineEnd + 1
                continue
            }
            // A record whose quotes close but whose line end is not read yet (`end` is then
            // the end of the data) is as incomplete as one whose quote is still open: it
            // was cut there, and the rest of its last line read as a record of its own.
            if let end = quotedRecordEnd(base, start: start, count: count, delimiter: delimiter), end < count || atEnd {
                if end - start > maxRecordBytes {
                    ends.append(lineEnd)
                    start = lineEnd + 1
                } else {
                    ends.append(end)
                    start = end + 1
                }
                continue
            }
            // The quote is still open, or the record's line end not read, at the end of the
            // data read so far.
            if !atEnd && count - start <= maxRecordBytes { return start }
            ends.append(lineEnd)
            start = lineEnd + 1
        }
        return min(start, count)
    }

    /// The offset of the LF (or end of input) that ends the record starting at `start`,
    /// following quotes; nil when a quoted field is still open at `count`.
    static func quotedRecordEnd(_ base: UnsafePointer<UInt8>, start: Int, count: Int, delimiter: UInt8) -> Int? {
        var i = start
        while i < count {
            // Only a quote or a line end changes anything: skip to the next (sixteen bytes
            // at a time). Stopping at every delimiter too, to tell where fields start, took
            // a call per field; a quote starts a quoted field when it starts a field, right
            // after a delimiter, which the byte before it tells (a quoted field's own
            // delimiters are skipped with it).
            i = chainmap_find_any3(base, i, count, quote, lf, lf)
            guard i < count else { break }
            if base[i] == lf { return i }
            if i == start || base[i - 1] == delimiter {
                // A quoted field: skip to its closing quote ("" is an escaped quote).
                i += 1
                while true {
                    guard let q = memchr(base + i, Int32(quote), count - i) else { return nil }
                    i = base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    if i < count && base[i] == quote { i += 1; continue }
                    if i == count { return count }
                    break
                }
                continue
            }
            // A quote inside an unquoted field is text.
            i += 1
        }
        return count
    }

    // MARK: Fields

    /// One field of a record: offsets into the buffer, and whether it was quoted (its
    /// text then needs ``unquote(_:_:)``).
    struct Field {
        var start: Int
        var end: Int
        var quoted: Bool
        /// Quoted, with text between the closing quote and the delimiter (`"a"b`), which
        /// RFC 4180 does not allow: kept as text, but a sign of a stray quote.
        var malformed = false
    }

    /// Why a record could not be split.
    enum SplitFailure: Error {
        /// A quoted field opened at this offset does not close before the record ends.
        case unterminatedQuote(at: Int)
    }

    /// Splits the record `base[start..<end]` (without its line end) into fields.
    /// `quoted: false` tells that the record holds no quote, which the caller knows.
    static func split(
        _ base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8, quoted: Bool = true,
        into fields: inout [Field]
    ) throws(SplitFailure) {
        fields.removeAll(keepingCapacity: true)
        if !quoted || memchr(base + start, Int32(quote), end - start) == nil {
            splitUnquoted(base, start: start, end: end, delimiter: delimiter, into: &fields)
            return
        }
        let delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        let quoteWord = UInt64(quote) &* 0x0101_0101_0101_0101
        var i = start
        while true {
            let fieldStart = i
            if i < end && base[i] == quote {
                i += 1
                while true {
                    guard let q = memchr(base + i, Int32(quote), end - i) else {
                        throw .unterminatedQuote(at: fieldStart)
                    }
                    i = base.distance(to: q.assumingMemoryBound(to: UInt8.self)) + 1
                    if i < end && base[i] == quote { i += 1; continue }
                    break
                }
                // Anything between the closing quote and the delimiter is kept as text.
                let closed = i
                while i < end && base[i] != delimiter { i += 1 }
                fields.append(Field(start: fieldStart, end: i, quoted: true, malformed: i > closed))
            } else {
                // Eight bytes at a time while none is a delimiter or a quote.
                while i + 8 <= end {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if hasZeroByte(word ^ delimiterWord) || hasZeroByte(word ^ quoteWord) { break }
                    i += 8
                }
                while i < end && base[i] != delimiter { i += 1 }
                fields.append(Field(start: fieldStart, end: i, quoted: false))
            }
            if i >= end { return }
            i += 1  // the delimiter
            if i == end {
                fields.append(Field(start: end, end: end, quoted: false))
                return
            }
        }
    }

    /// Splits a record that holds no quote: every delimiter ends a field. The delimiters
    /// are found sixteen bytes at a time (`chainmap_find_bytes`, SSE2), a batch of offsets
    /// at a time, so that the cost is per block and per field rather than per byte (most
    /// records of an export have no quote).
    static func splitUnquoted(
        _ base: UnsafePointer<UInt8>, start: Int, end: Int, delimiter: UInt8, into fields: inout [Field]
    ) {
        // Offsets and fields are gathered in small buffers on the stack and appended to
        // `fields` a batch at a time: appending one by one checked the array's uniqueness
        // and capacity per field.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 32) { offsets in
            withUnsafeTemporaryAllocation(of: Field.self, capacity: 32) { batch in
                var fieldStart = start
                var from = start
                while true {
                    var next = 0
                    let found = chainmap_find_bytes(base, from, end, delimiter, offsets.baseAddress!, offsets.count, &next)
                    for k in 0..<found {
                        let at = offsets[k]
                        (batch.baseAddress! + k).initialize(to: Field(start: fieldStart, end: at, quoted: false))
                        fieldStart = at &+ 1
                    }
                    fields.append(contentsOf: UnsafeBufferPointer(start: batch.baseAddress!, count: found))
                    if next >= end { break }
                    from = next
                }
                fields.append(Field(start: fieldStart, end: end, quoted: false))
            }
        }
    }

    @inline(__always)
    static func hasZeroByte(_ x: UInt64) -> Bool {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// The text of a field as a String: for a quoted field, the text between the opening
    /// quote and the closing one with `""` turned into `"`, then any text after the
    /// closing quote as written. Invalid UTF-8 is repaired with U+FFFD.
    static func string(_ base: UnsafePointer<UInt8>, _ field: Field) -> String {
        if !field.quoted {
            return String(decoding: UnsafeBufferPointer(start: base + field.start, count: field.end - field.start), as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.end - field.start)
        var i = field.start + 1
        var open = true
        while i < field.end {
            let b = base[i]
            if open && b == quote {
                if i + 1 < field.end && base[i + 1] == quote {
                    bytes.append(quote)
                    i += 2
                    continue
                }
                open = false
                i += 1
                continue
            }
            bytes.append(b)
            i += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The part of a field to search for keywords: after the opening quote when quoted
    /// (doubled quotes and the closing quote stay, which no keyword spans).
    @inline(__always)
    static func searchRange(_ field: Field) -> Range<Int> {
        field.quoted ? (field.start + 1)..<field.end : field.start..<field.end
    }

    // MARK: Encoding checks

    /// Whether the bytes are valid UTF-8 apart from a sequence cut off at the very end
    /// (for sniffing the first block of a file).
    static func isUTF8Prefix(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        guard let bad = TextDecoding.firstInvalidUTF8(base, from: 0, to: count) else { return true }
        // Only a truncated sequence in the last three bytes is allowed.
        guard count - bad <= 3 else { return false }
        let b = base[bad]
        let needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
        return needed > count - bad && (bad + 1..<count).allSatisfy { base[$0] & 0xC0 == 0x80 }
    }

    /// 1-based column, in Unicode scalars, of `offset` in the line that contains it, for
    /// valid UTF-8 text before it.
    static func column(of offset: Int, lineStart: Int, _ base: UnsafePointer<UInt8>) -> Int {
        var column = 1
        var i = lineStart
        while i < offset {
            if base[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    /// The line (counted from `firstLine`) and its start offset for `offset` in a
    /// record starting at `start`.
    static func line(of offset: Int, recordStart start: Int, firstLine: Int, _ base: UnsafePointer<UInt8>) -> (line: Int, lineStart: Int) {
        var line = firstLine
        var lineStart = start
        var i = start
        while i < offset {
            if base[i] == lf { line += 1; lineStart = i + 1 }
            i += 1
        }
        return (line, lineStart)
    }

    /// The number of LF bytes in `base[start..<end]`.
    static func countLines(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        var n = 0
        var i = start
        while i < end, let p = memchr(base + i, Int32(lf), end - i) {
            n += 1
            i = base.distance(to: p.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return n
    }
}
