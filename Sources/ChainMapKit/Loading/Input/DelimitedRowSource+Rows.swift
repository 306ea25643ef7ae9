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
        var bytes = chunk.buffer.take()
        var start = chunk.start
        var ends = chunk.ends
        // Bytes a legacy encoding could not convert, by offset in the converted text.
        var unconvertible: [(offset: Int, byte: UInt8)] = []
        if !context.encoding.isUTF8 && !context.encoding.isUTF16 {
            var converted: [UInt8]
            (converted, ends, unconvertible) = transcode(bytes, start: start, ends: ends, from: context.encoding.name)
            swap(&bytes, &converted)
            pool.give(converted)
            start = 0
        }
        var worker = RowWorker(context: context)
        let origin = RowOrigin(file: context.file, encoding: context.encoding)
        withExtendedLifetime(origin) {
            unconvertible.withUnsafeBufferPointer { bad in
                bytes.withUnsafeBufferPointer { b in
                    worker.run(
                        b.baseAddress!, count: b.count, start: start, ends: ends, unconvertible: bad,
                        context: context, origin: origin)
                }
            }
        }
        pool.give(bytes)
        return worker.outcome
    }

    /// Converts each record of a block from a legacy encoding to UTF-8.
    static func transcode(
        _ bytes: [UInt8], start: Int, ends chunkEnds: [Int], from encoding: String
    ) -> ([UInt8], [Int], [(offset: Int, byte: UInt8)]) {
        guard let transcoder = Transcoder(from: encoding) else { return (bytes, chunkEnds, []) }
        var output: [UInt8] = []
        output.reserveCapacity(((chunkEnds.last ?? start) - start) * 3 / 2 + 16)
        var ends: [Int] = []
        ends.reserveCapacity(chunkEnds.count)
        var bad: [(offset: Int, byte: UInt8)] = []
        bytes.withUnsafeBufferPointer { b in
            let base = b.baseAddress!
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

    init(context: Context) {
        self.outcome = .init(batch: context.consumer.makeBatch(context.layout))
        self.headerCount = context.headerCount
        self.delimiter = context.delimiter
        fields.reserveCapacity(context.headerCount + 4)
    }

    mutating func run(
        _ base: UnsafePointer<UInt8>, count: Int, start: Int, ends: [Int],
        unconvertible: Unconvertible, context: Context, origin: RowOrigin
    ) {
        var line = 0
        var recordStart = start
        for end in ends {
            let from = recordStart
            recordStart = end + 1
            let recordLine = line
            line += 1
            var to = min(end, count)
            if to > from && base[to - 1] == CSVScanner.cr { to -= 1 }
            // A record holds a newline only inside quotes; count them only then.
            let quoted = to > from && memchr(base + from, Int32(CSVScanner.quote), to - from) != nil
            if quoted { line += CSVScanner.countLines(base, from: from, to: to) }
            if !record(base, from: from, to: to, line: recordLine, unconvertible, context, origin) {
                recoverLines(base, from: from, to: to, line: recordLine, unconvertible, context, origin)
            }
        }
        outcome.lines = line
    }

    /// A record with a line break inside quotes could not be read: most likely a stray
    /// quote opened a field that a later stray quote closed, swallowing the lines in
    /// between. Its first line is reported, and every further line is read as a record
    /// of its own, so that no row it swallowed goes missing.
    mutating func recoverLines(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int,
        _ unconvertible: Unconvertible, _ context: Context, _ origin: RowOrigin
    ) {
        var lineStart = from
        var number = line
        while lineStart < to {
            let lineEnd = memchr(base + lineStart, Int32(CSVScanner.lf), to - lineStart)
                .map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? to
            var end = lineEnd
            if end > lineStart && base[end - 1] == CSVScanner.cr { end -= 1 }
            if number == line {
                unreadable(
                    "a quoted field opened in this row runs over several lines and the row cannot be read (a stray '\"'?); the lines after it are read as rows of their own",
                    at: lineStart, base, lineStart, number, origin)
            } else if !record(base, from: lineStart, to: end, line: number, unconvertible, context, origin) {
                unreadable("the quoted field that starts here does not close (a stray '\"'?)", at: lineStart, base, lineStart, number, origin)
            }
            lineStart = lineEnd + 1
            number += 1
        }
    }

    /// Reads and checks one record `base[from..<to]` (its line end excluded) starting on
    /// `line`, and hands it to the consumer. Returns false, reporting nothing, when the
    /// record spans several lines and cannot be read, for
    /// ``recoverLines(_:from:to:line:_:_:_:)``.
    mutating func record(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int,
        _ unconvertible: Unconvertible, _ context: Context, _ origin: RowOrigin
    ) -> Bool {
        if to == from {
            outcome.log.counts.blank += 1
            return true
        }
        let multiline = memchr(base + from, Int32(CSVScanner.lf), to - from) != nil
        do {
            try CSVScanner.split(base, start: from, end: to, delimiter: delimiter, into: &fields)
        } catch {
            if multiline { return false }
            guard case let .unterminatedQuote(at) = error else { return true }
            unreadable("the quoted field that starts here does not close (a stray '\"'?)", at: at, base, from, line, origin)
            return true
        }
        let gate = context.gate
        return fields.withUnsafeBufferPointer { cells -> Bool in
            let row = Row(
                base: base, fields: cells, recordStart: from, line: line, origin: origin,
                cellLocations: nil, unconvertible: unconvertible)
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
            // Over several lines, a malformed quoted cell or a key with a line break means
            // a stray quote swallowed lines: read them one by one instead.
            if multiline {
                let key = gate.keyColumn < cells.count ? cells[gate.keyColumn] : nil
                if cells.contains(where: \.malformed)
                    || key.map({ memchr(base + $0.start, Int32(CSVScanner.lf), $0.end - $0.start) != nil }) == true {
                    return false
                }
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
