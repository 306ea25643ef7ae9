#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DelimitedReading {
    /// Checks and consumes every record of a block, then gives its buffer back to the
    /// pool. Runs on a worker thread.
    static func process<Consumer: RowConsumer>(
        _ chunk: Chunk, _ context: Context<Consumer>, pool: BufferPool
    ) -> ChunkOutcome<Consumer.Batch> {
        ThreadHeap.reserve(forBlock: chunk.index, ofInput: context.size)
        let legacy = !context.encoding.isUTF8 && !context.encoding.isUTF16
        var bytes: [UInt8]
        var ends = chunk.ends
        // Bytes a legacy encoding could not convert, by offset in the converted text.
        var unconvertible: [(offset: Int, byte: UInt8)] = []
        switch chunk.bytes {
        case .window(let window) where !legacy:
            // Read in place, then let go.
            defer { if window.release() { context.mappedCut.mark() } }
            return run(window.bytes, count: window.count, start: chunk.start, ends: ends, unconvertible: [], chunk, context)
        case .window(let window):
            // Converted straight from the mapping, which is then let go.
            (bytes, ends, unconvertible) = transcode(
                UnsafeBufferPointer(start: window.bytes, count: window.count), start: chunk.start, ends: ends, from: context.encoding.name)
            if window.release() { context.mappedCut.mark() }
        case .buffer(let buffer) where legacy:
            let block = buffer.take()
            (bytes, ends, unconvertible) = block.withUnsafeBufferPointer {
                transcode($0, start: chunk.start, ends: ends, from: context.encoding.name)
            }
            pool.give(block)
        case .buffer(let buffer):
            bytes = buffer.take()
        }
        // Converted text starts at 0.
        let start = legacy ? 0 : chunk.start
        let outcome = bytes.withUnsafeBufferPointer { b in
            run(b.baseAddress!, count: b.count, start: start, ends: ends, unconvertible: unconvertible, chunk, context)
        }
        pool.give(bytes)
        return outcome
    }

    /// A worker's run over the records of a block at `base`.
    private static func run<Consumer: RowConsumer>(
        _ base: UnsafePointer<UInt8>, count: Int, start: Int, ends: [Int], unconvertible: [(offset: Int, byte: UInt8)],
        _ chunk: Chunk, _ context: Context<Consumer>
    ) -> ChunkOutcome<Consumer.Batch> {
        var worker = RowWorker(context: context)
        let origin = RowOrigin(file: context.file, encoding: context.encoding)
        withExtendedLifetime(origin) {
            unconvertible.withUnsafeBufferPointer { bad in
                worker.run(
                    base, count: count, start: start, ends: ends, quoted: chunk.quoted, overlong: chunk.overlong,
                    unconvertible: bad, context: context, origin: origin)
            }
        }
        return worker.outcome
    }

    /// Converts each record of a block from a legacy encoding to UTF-8.
    static func transcode(
        _ b: UnsafeBufferPointer<UInt8>, start: Int, ends chunkEnds: [Int], from encoding: String
    ) -> ([UInt8], [Int], [(offset: Int, byte: UInt8)]) {
        guard let transcoder = Transcoder(from: encoding) else { return (Array(b), chunkEnds, []) }
        var output: [UInt8] = []
        output.reserveCapacity(((chunkEnds.last ?? start) - start) * 3 / 2 + 16)
        var ends: [Int] = []
        ends.reserveCapacity(chunkEnds.count)
        var bad: [(offset: Int, byte: UInt8)] = []
        if let base = b.baseAddress {
            var start = start
            for end in chunkEnds {
                transcoder.convert(base + start, count: end - start, final: true, into: &output, bad: &bad)
                ends.append(output.count)
                if end < chunkEnds.last! || end < b.count { output.append(CSVScanner.lf) }
                start = end + 1
            }
        }
        return (output, ends, bad)
    }
}

/// The state of one worker over one block. What the row loop only reads (the context,
/// the consumer, the row's origin) is passed to it as arguments rather than held in the
/// worker, which the loop mutates: so it is borrowed, not copied, for every row.
struct RowWorker<Consumer: RowConsumer> {
    typealias Field = CSVScanner.Field
    typealias Context = DelimitedReading.Context<Consumer>
    typealias Unconvertible = UnsafeBufferPointer<(offset: Int, byte: UInt8)>
    var outcome: DelimitedReading.ChunkOutcome<Consumer.Batch>
    var fields: [Field] = []
    let headerCount: Int
    let delimiter: UInt8
    /// Whether the rows at hand (a window of the block, ``textWindowBytes``) are valid
    /// UTF-8 throughout: then no row's cells are checked one by one (a window is checked
    /// many bytes per step, a cell at a time costs a call and a short loop each).
    var windowIsText = false
    /// About how many bytes of rows are checked for UTF-8 at once, just before they are
    /// read: a block of 4 MiB checked whole was then read again from memory, since this
    /// processor's cache had let its start go; a window's rows are still in it.
    static var textWindowBytes: Int { 128 << 10 }

    init(context: Context) {
        self.outcome = .init(batch: context.consumer.makeBatch(context.layout))
        self.headerCount = context.headerCount
        self.delimiter = context.delimiter
        fields.reserveCapacity(context.headerCount + 4)
    }

    mutating func run(
        _ base: UnsafePointer<UInt8>, count: Int, start: Int, ends: [Int], quoted mayQuote: [Bool], overlong: Int? = nil,
        unconvertible: Unconvertible, context: Context, origin: RowOrigin
    ) {
        var line = 0
        var recordStart = start
        // The rows before this one (an index into `ends`) are checked for UTF-8.
        var checkedUntil = 0
        for (index, end) in ends.enumerated() {
            let from = recordStart
            if index == checkedUntil {
                var last = index
                while last + 1 < ends.count && ends[last] - from < Self.textWindowBytes { last += 1 }
                checkedUntil = last + 1
                let windowEnd = min(ends[last], count)
                windowIsText = windowEnd > from && TextDecoding.isValidUTF8(base, from: from, to: windowEnd)
            }
            recordStart = end + 1
            let recordLine = line
            line += 1
            if let overlong, index == ends.count - 1 {
                // The start of a line too long to read (the reader skips the rest of it).
                outcome.log.skipped(
                    "the line is longer than \(overlong >= 1 << 20 ? "\(overlong >> 20) MB" : "\(overlong) bytes") and is not read", lines: 1,
                    at: FileLocation(file: origin.file, line: recordLine, column: 1))
                break
            }
            var to = min(end, count)
            if to > from && base[to - 1] == CSVScanner.cr { to -= 1 }
            // A record holds a newline only inside quotes; count them only then.
            let quoted = to > from && (index >= mayQuote.count || mayQuote[index])
                && memchr(base + from, Int32(CSVScanner.quote), to - from) != nil
            if quoted { line += CSVScanner.countLines(base, from: from, to: to) }
            if !record(base, from: from, to: to, line: recordLine, quoted: quoted, unconvertible, context, origin) {
                recoverLines(base, from: from, to: to, line: recordLine, unconvertible, context, origin)
            }
        }
        outcome.lines = line
    }

    /// A record over several lines could not be read: most likely a stray quote opened
    /// a field that swallowed the lines after it. Its first line is skipped, and reading
    /// starts again at the next line, following quotes afresh; a line that does not start
    /// a clean record (right number of cells, no stray quote) is skipped too. Nothing is
    /// made from the pieces of a broken record, and one error says which lines were
    /// skipped.
    mutating func recoverLines(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int,
        _ unconvertible: Unconvertible, _ context: Context, _ origin: RowOrigin
    ) {
        var start = from
        var number = line
        var skipped = 0
        var skipStart = from
        var skipLine = line
        func flush(_ worker: inout RowWorker) {
            guard skipped > 0 else { return }
            let column = CSVScanner.column(of: skipStart, lineStart: skipStart, base)
            let reason = skipStart == from
                ? "a quoted field opened here does not close where a row ends (a stray '\"'?)"
                : "after a row that could not be read, this line does not start a row of its own (a stray '\"', or cells missing)"
            worker.outcome.log.skipped(reason,
                lines: skipped, at: FileLocation(file: origin.file, line: skipLine, column: column))
            skipped = 0
        }
        while start < to {
            let lineEnd = TextSearch.offset(of: CSVScanner.lf, in: base, from: start, to: to)
            if start > from {
                let end = CSVScanner.quotedRecordEnd(base, start: start, count: to, delimiter: delimiter) ?? to
                var recordEnd = end
                if recordEnd > start && base[recordEnd - 1] == CSVScanner.cr { recordEnd -= 1 }
                if isClean(base, from: start, to: recordEnd, context) {
                    flush(&self)
                    let spanned = CSVScanner.countLines(base, from: start, to: recordEnd)
                    _ = record(base, from: start, to: recordEnd, line: number, quoted: true, unconvertible, context, origin)
                    number += spanned + 1
                    start = end + 1
                    continue
                }
            }
            if skipped == 0 {
                skipStart = start
                skipLine = number
            }
            skipped += 1
            start = lineEnd + 1
            number += 1
        }
        flush(&self)
    }

    /// Whether `base[from..<to]` is a record that can be read as it stands: it splits,
    /// has the header's number of cells (or blank ones after them), no quoted cell with
    /// text after its closing quote, and no unquoted cell that ends in a quote.
    mutating func isClean(_ base: UnsafePointer<UInt8>, from: Int, to: Int, _ context: Context) -> Bool {
        if to == from { return true }
        do {
            try CSVScanner.split(base, start: from, end: to, delimiter: delimiter, into: &fields)
        } catch {
            return false
        }
        if fields.contains(where: \.malformed) { return false }
        // The tail of a broken quoted field ends a cell with a quote (`有限公司",…`); a
        // quote inside a word (`丙隔膜"有限公司`) is lenient CSV, and kept.
        for field in fields where !field.quoted && field.end > field.start {
            var end = field.end
            while end > field.start && (base[end - 1] == 0x20 || base[end - 1] == CSVScanner.cr) { end -= 1 }
            if end > field.start && base[end - 1] == CSVScanner.quote { return false }
        }
        if fields.count < headerCount { return false }
        if fields.count > headerCount {
            for field in fields[headerCount...] where field.end > field.start { return false }
        }
        return !fields.withUnsafeBufferPointer { swallowsRows($0, base, context) }
    }

    /// Whether a record over several lines has a key cell that holds both a line break
    /// and a delimiter: rows swallowed by a stray quote, not a name wrapped onto a second
    /// line (`"某某电解液\n有限公司"`, which RFC 4180 allows and which is read as it is).
    func swallowsRows(_ fields: UnsafeBufferPointer<Field>, _ base: UnsafePointer<UInt8>, _ context: Context) -> Bool {
        let keyColumn = context.gate.keyColumn
        guard keyColumn < fields.count else { return false }
        let key = fields[keyColumn]
        let count = key.end - key.start
        guard count > 0, memchr(base + key.start, Int32(CSVScanner.lf), count) != nil else { return false }
        return memchr(base + key.start, Int32(delimiter), count) != nil
    }

    /// Reads and checks one record `base[from..<to]` (its line end excluded) starting on
    /// `line`, and hands it to the consumer. `quoted` is false only for a record known to
    /// hold no quote (so no line break either: outside quotes one ends the record).
    /// Returns false, reporting nothing, when the record spans several lines and cannot
    /// be read, for ``recoverLines(_:from:to:line:_:_:_:)``.
    mutating func record(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int, quoted: Bool,
        _ unconvertible: Unconvertible, _ context: Context, _ origin: RowOrigin
    ) -> Bool {
        if to == from {
            outcome.log.counts.blank += 1
            return true
        }
        let multiline = quoted && memchr(base + from, Int32(CSVScanner.lf), to - from) != nil
        do {
            try CSVScanner.split(base, start: from, end: to, delimiter: delimiter, quoted: quoted, into: &fields)
        } catch {
            if multiline { return false }
            guard case let .unterminatedQuote(at) = error else { return true }
            unreadable("the quoted field that starts here does not close (a stray '\"'?)", at: at, base, from, line, origin)
            return true
        }
        let gate = context.gate
        // The cells moved out of `self` while the row is handed on (and put back after):
        // read in place, the array was retained and released around every row, since the
        // closure may change `self`.
        var split: [Field] = []
        swap(&split, &fields)
        defer { swap(&split, &fields) }
        return split.withUnsafeBufferPointer { cells -> Bool in
            let row = Row(
                base: base, fields: cells, recordStart: from, line: line, origin: origin,
                cellLocations: nil, unconvertible: unconvertible, isKnownText: windowIsText)
            if gate.skipsBlank(row, log: &outcome.log) { return true }
            if cells.count != headerCount {
                if cells.count > headerCount, (headerCount..<cells.count).allSatisfy(row.isBlank) {
                    // Empty cells after the last column: Excel writes them for formatted cells.
                } else if multiline {
                    return false
                } else if cells.count > headerCount {
                    let shown = delimiter == 0x09 ? "\\t" : ","
                    unreadable(
                        "row has \(cells.count) cells but the header has \(headerCount); a cell holding '\(shown)' must be quoted",
                        at: cells[headerCount].start, base, from, line, origin)
                    return true
                } else {
                    unreadable("row has \(cells.count) cells but the header has \(headerCount)", at: to, base, from, line, origin)
                    return true
                }
            }
            // Over several lines, a malformed quoted cell or a key that holds whole rows
            // means a stray quote swallowed lines: recover instead.
            if multiline, cells.contains(where: \.malformed) || swallowsRows(cells, base, context) {
                return false
            }
            guard gate.admit(row, log: &outcome.log) else { return true }
            context.consumer.consume(row, layout: context.layout, into: &outcome.batch, log: &outcome.log)
            return true
        }
    }

    /// Reports a row that cannot be read, at the line and column of `offset`, and counts it.
    mutating func unreadable(
        _ reason: String, at offset: Int, _ base: UnsafePointer<UInt8>, _ from: Int, _ line: Int, _ origin: RowOrigin
    ) {
        let (errorLine, lineStart) = CSVScanner.line(of: offset, recordStart: from, firstLine: line, base)
        let column = CSVScanner.column(of: offset, lineStart: lineStart, base)
        outcome.log.unreadable(reason, at: FileLocation(file: origin.file, line: errorLine, column: column), counted: false)
    }
}
