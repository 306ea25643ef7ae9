#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DelimitedLeadReader.ChunkOutcome {
    /// Turns the block's line numbers (from 0) into the file's.
    mutating func shiftLines(by first: Int) {
        for i in recommendations.indices { recommendations[i].lead.location.line += first }
        for i in errors.indices { errors[i].location?.line += first }
        for key in tallies.keys { tallies[key]!.first.location?.line += first }
    }
}

extension DelimitedLeadReader {
    /// Matches every record of a block, then gives its buffer back to the pool. Runs on
    /// a worker thread.
    static func process(_ chunk: Chunk, _ context: Context, pool: BufferPool) -> ChunkOutcome {
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
        var worker = RowWorker(context: context, unconvertible: unconvertible)
        bytes.withUnsafeBufferPointer { b in
            context.matcher.automaton.withScanner { scanner in
                worker.run(b.baseAddress!, count: b.count, start: start, ends: ends, scanner: scanner)
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

/// The state of one worker over one block.
struct RowWorker {
    typealias Field = CSVScanner.Field
    let context: DelimitedLeadReader.Context
    let unconvertible: [(offset: Int, byte: UInt8)]
    var outcome = DelimitedLeadReader.ChunkOutcome()
    var fields: [Field] = []
    var hits: [LeadMatcher.Hit] = []
    var codeLinks: [(LinkRef, IndustryCode)] = []

    init(context: DelimitedLeadReader.Context, unconvertible: [(offset: Int, byte: UInt8)]) {
        self.context = context
        self.columns = context.columns
        self.nameColumnIndex = context.columns[.name]!
        self.codeColumn = context.columns[.code]
        self.linksColumn = context.columns[.links]
        self.scopeColumns = context.columns.scopeColumns
        self.delimiter = context.delimiter
        self.nameHeader = context.nameHeader
        self.matcher = context.matcher
        self.rowReader = LeadRowReader(columns: context.columns, matcher: context.matcher)
        self.unconvertible = unconvertible
        fields.reserveCapacity(context.columns.headers.count + 4)
    }

    let columns: LeadColumns
    let rowReader: LeadRowReader
    let matcher: LeadMatcher
    // The columns and settings the row loop reads for every record, held here so that
    // it does not reach through the context each time.
    let nameColumnIndex: Int
    let codeColumn: Int?
    let linksColumn: Int?
    let scopeColumns: [Int]
    let delimiter: UInt8
    let nameHeader: [UInt8]

    mutating func run(
        _ base: UnsafePointer<UInt8>, count: Int, start: Int, ends: [Int], scanner: KeywordAutomaton.Scanner
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
            let quoted = to > from && memchrQuote(base, from, to)
            if quoted { line += CSVScanner.countLines(base, from: from, to: to) }
            if !record(base, from: from, to: to, line: recordLine, scanner: scanner) {
                recoverLines(base, from: from, to: to, line: recordLine, scanner: scanner)
            }
        }
        outcome.lines = line
    }

    /// A record with a line break inside quotes could not be read: most likely a stray
    /// quote opened a field that a later stray quote closed, swallowing the lines in
    /// between. Its first line is reported, and every further line is read as a record
    /// of its own, so that no row it swallowed goes missing.
    mutating func recoverLines(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int, scanner: KeywordAutomaton.Scanner
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
                    at: lineStart, base, lineStart, number)
            } else if !record(base, from: lineStart, to: end, line: number, scanner: scanner) {
                unreadable("the quoted field that starts here does not close (a stray '\"'?)", at: lineStart, base, lineStart, number)
            }
            lineStart = lineEnd + 1
            number += 1
        }
    }

    /// Reads, checks and matches one record `base[from..<to]` (its line end excluded)
    /// starting on `line`. Returns false, reporting nothing, when the record spans
    /// several lines and cannot be read, for ``recoverLines(_:from:to:line:scanner:)``.
    mutating func record(
        _ base: UnsafePointer<UInt8>, from: Int, to: Int, line: Int, scanner: KeywordAutomaton.Scanner
    ) -> Bool {
        let headerCount = columns.headers.count
        let nameColumn = nameColumnIndex
        if to == from {
            outcome.counts.blank += 1
            return true
        }
        let multiline = memchr(base + from, Int32(CSVScanner.lf), to - from) != nil
        do {
            try CSVScanner.split(base, start: from, end: to, delimiter: delimiter, into: &fields)
        } catch {
            if multiline { return false }
            guard case let .unterminatedQuote(at) = error else { return true }
            unreadable("the quoted field that starts here does not close (a stray '\"'?)", at: at, base, from, line)
            return true
        }
        if fields.allSatisfy({ isBlank(base, $0) }) {
            outcome.counts.blank += 1
            return true
        }
        if fields.count != headerCount {
            if fields.count > headerCount, fields[headerCount...].allSatisfy({ isBlank(base, $0) }) {
                // Empty cells after the last column: Excel writes them for formatted cells.
            } else if multiline {
                return false
            } else if fields.count > headerCount {
                let shown = delimiter == 0x09 ? "\\t" : ","
                unreadable(
                    "row has \(fields.count) cells but the header has \(headerCount); a cell holding '\(shown)' must be quoted",
                    at: fields[headerCount].start, base, from, line)
                return true
            } else {
                unreadable("row has \(fields.count) cells but the header has \(headerCount)", at: to, base, from, line)
                return true
            }
        }
        let name = fields[nameColumn]
        // Over several lines, a malformed quoted cell or a name with a line break means a
        // stray quote swallowed lines: read them one by one instead.
        if multiline && (fields.contains(where: \.malformed)
            || memchr(base + name.start, Int32(CSVScanner.lf), name.end - name.start) != nil) {
            return false
        }
        if equals(base, name, nameHeader) {
            outcome.counts.repeatedHeaders += 1
            return true
        }
        if isBlank(base, name) {
            unreadable("row has no \(columns.headers[nameColumn]) (enterprise name)", at: name.start, base, from, line)
            return true
        }
        outcome.counts.rows += 1

        // The cells read for every row must be text; the others are checked when the
        // row matches (they are only output then).
        var bad = invalidByte(base, in: name)
        if bad == nil, let codeColumn { bad = invalidByte(base, in: fields[codeColumn]) }
        for column in scopeColumns where bad == nil { bad = invalidByte(base, in: fields[column]) }
        if let bad {
            badText(at: bad, base, from, line)
            return true
        }

        // Evidence: keywords in the scope and the name, the code, explicit links.
        hits.removeAll(keepingCapacity: true)
        for column in scopeColumns {
            scan(scanner, base, fields[column], .scope)
        }
        scan(scanner, base, name, .name)
        var codeMatch = false
        if let codeColumn {
            let field = fields[codeColumn]
            if let (value, digits) = Self.code(base, CSVScanner.searchRange(field)) {
                codeMatch = matcher.hasCodeMatch(digits: value, count: digits)
            } else if !isBlank(base, field), let code = matcher.industryCode(in: CSVScanner.string(base, field)),
                      let value = Int(code.digits) {
                codeMatch = matcher.hasCodeMatch(digits: value, count: code.digits.count)
            }
        }
        let explicit = linksColumn.map { !isBlank(base, fields[$0]) } ?? false
        if hits.isEmpty && !codeMatch && !explicit { return true }
        if let bad = TextDecoding.firstInvalidUTF8(base, from: from, to: to) {
            badText(at: bad, base, from, line)
            return true
        }
        matched(base, from: from, line: line)
        return true
    }

    /// Builds, matches and scores a row with evidence.
    mutating func matched(_ base: UnsafePointer<UInt8>, from: Int, line: Int) {
        let cells = fields.map { CSVScanner.string(base, $0) }
        var problems: [LeadRowReader.Problem] = []
        let read = rowReader.read(cells: cells, location: FileLocation(file: context.file, line: line, column: 1), problems: &problems)
        for problem in problems {
            // Located at the cell's first character.
            let field = fields[columns[problem.role]!]
            let (fieldLine, lineStart) = CSVScanner.line(of: field.start, recordStart: from, firstLine: line, base)
            let location = FileLocation(
                file: context.file, line: fieldLine, column: CSVScanner.column(of: field.start, lineStart: lineStart, base))
            tally(problem.kind, problem.message, location)
        }
        guard case .lead(let lead) = read else {
            outcome.counts.closed += 1
            return
        }

        // The same evidence as the scan found, resolved to links.
        let matches = matcher.matches(explicit: lead.links, code: lead.code, hits: hits)
        if matches.isEmpty { return }
        outcome.counts.matched += 1
        switch context.scorer.evaluate(lead, matches: matches, sourceIndex: context.sourceIndex) {
        case .recommended(let recommendation):
            outcome.counts.recommended += 1
            outcome.recommendations.append(recommendation)
        case .local:
            outcome.counts.local += 1
            outcome.localNames.append(lead.name)
        case .noTarget:
            outcome.counts.noTarget += 1
        }
    }

    mutating func tally(_ key: String, _ message: String, _ location: FileLocation) {
        if outcome.tallies[key] != nil {
            outcome.tallies[key]!.count += 1
        } else {
            outcome.tallies[key] = .init(count: 1, first: .warning(message, at: location))
        }
    }

    /// The offset of the first byte of a cell that is not UTF-8 (nor converted).
    func invalidByte(_ base: UnsafePointer<UInt8>, in field: Field) -> Int? {
        TextDecoding.firstInvalidUTF8(base, from: field.start, to: field.end)
    }

    /// Reports a row with a byte that is not text in the file's encoding.
    mutating func badText(at offset: Int, _ base: UnsafePointer<UInt8>, _ from: Int, _ line: Int) {
        var byte = base[offset]
        if let original = unconvertible.first(where: { $0.offset == offset }) { byte = original.byte }
        let hex = String(byte, radix: 16, uppercase: true)
        let encoding = context.encoding.isUTF8 ? "UTF-8" : context.encoding.name
        var reason = "byte 0x\(hex.count == 1 ? "0" + hex : hex) is not valid \(encoding) text"
        if context.encoding.isUTF8 && !context.encoding.bom {
            reason += " (the file was read as UTF-8; if it is GBK, pass --encoding gbk)"
        }
        // The row was counted when its name was read.
        unreadable(reason, at: offset, base, from, line, counted: true)
    }

    /// Reports a row that cannot be read, at the line and column of `offset`, and counts
    /// it (among the rows too, unless it was `counted` there already).
    mutating func unreadable(
        _ reason: String, at offset: Int, _ base: UnsafePointer<UInt8>, _ from: Int, _ line: Int, counted: Bool = false
    ) {
        let (errorLine, lineStart) = CSVScanner.line(of: offset, recordStart: from, firstLine: line, base)
        let column = CSVScanner.column(of: offset, lineStart: lineStart, base)
        if !counted { outcome.counts.rows += 1 }
        outcome.counts.unreadable += 1
        outcome.errors.append(.error(
            "row cannot be read: \(reason); the row is left out",
            at: FileLocation(file: context.file, line: errorLine, column: column)))
    }

    mutating func scan(_ scanner: KeywordAutomaton.Scanner, _ base: UnsafePointer<UInt8>, _ field: Field, _ kind: LeadTextField) {
        let range = CSVScanner.searchRange(field)
        guard !range.isEmpty else { return }
        let offset = Int32(range.lowerBound)
        scanner.forEachMatch(in: UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)) { pattern, end in
            hits.append(LeadMatcher.Hit(pattern: Int32(pattern), end: offset + Int32(end), field: kind))
        }
    }

    func isBlank(_ base: UnsafePointer<UInt8>, _ field: Field) -> Bool {
        var i = field.start
        while i < field.end {
            let b = base[i]
            if b != 0x20 && b != 0x09 && !(field.quoted && b == CSVScanner.quote) { return false }
            i += 1
        }
        return true
    }

    func equals(_ base: UnsafePointer<UInt8>, _ field: Field, _ bytes: [UInt8]) -> Bool {
        let range = field.quoted ? (field.start + 1)..<(field.end - 1) : field.start..<field.end
        guard range.count == bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp(base + range.lowerBound, $0.baseAddress!, range.count) == 0 }
    }

    func memchrQuote(_ base: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        memchr(base + from, Int32(CSVScanner.quote), to - from) != nil
    }

    /// A GB/T code at the start of a cell, read from its bytes as `IndustryCode(parsing:)`
    /// does: (digits as a number, number of digits).
    static func code(_ base: UnsafePointer<UInt8>, _ range: Range<Int>) -> (Int, Int)? {
        var i = range.lowerBound
        while i < range.upperBound && (base[i] == 0x20 || base[i] == 0x09) { i += 1 }
        if i < range.upperBound, KeywordAutomaton.fold(base[i]) &- UInt8(ascii: "a") < 20 { i += 1 }
        var value = 0
        var digits = 0
        while i < range.upperBound, base[i] &- UInt8(ascii: "0") < 10 {
            value = value * 10 + Int(base[i] &- UInt8(ascii: "0"))
            digits += 1
            i += 1
            if digits > 4 { return nil }
        }
        guard digits >= 2 else { return nil }
        if i < range.upperBound, KeywordAutomaton.fold(base[i]) &- UInt8(ascii: "a") < 26 { return nil }
        return (value, digits)
    }
}
