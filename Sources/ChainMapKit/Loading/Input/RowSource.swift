import Foundation

/// A table that chainmap reads row by row: a CSV/TSV export, a YAML list of leads, and
/// any other format added later. Every source yields the same thing — a header row, then
/// data rows of cells, each row and cell with its place in the file — to a
/// ``RowConsumer``, which gives the rows their meaning (leads to screen, say).
///
/// The source owns everything about the file: its encoding, its syntax, the header's
/// position, blank lines and repeated headers, and rows that cannot be read, which it
/// reports with their place and counts (``RowCounts``). The consumer knows nothing of
/// files: it sees cells.
///
/// A source may hand rows to the consumer on several threads at once, block by block;
/// the batches come back in file order, so that results never depend on timing.
public protocol RowSource: Sendable {
    /// The file as the user named it (`-` for standard input).
    var file: String { get }

    /// Reads the whole source once, handing every data row to `consumer`.
    /// `progress` is called from the reading thread now and then.
    func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch>
}

/// What gives rows their meaning: how to recognise the header, which column every row
/// must fill, and what to make of each row.
public protocol RowConsumer: Sendable {
    /// What a header row means to the consumer (which column holds what).
    associatedtype Layout: Sendable
    /// What consuming one block of rows gives. Blocks are merged in file order.
    associatedtype Batch: RowBatch

    /// The layout of a header row, or nil when the row is not the header. The source
    /// tries the first 20 non-blank rows.
    func layout(forHeader cells: [String]) -> Layout?
    /// Why no row was taken for the header, given the first non-blank row's cells.
    func missingHeader(firstRow: [String]) -> String
    /// A header row the consumer reads, for the message of an empty file.
    var exampleHeader: String { get }
    /// The column every data row must fill (the enterprise's name): a row without it
    /// cannot be read, and a row that repeats its header is a repeated header row.
    func keyColumn(in layout: Layout) -> Int
    /// What the key column holds, for the message of a row without it.
    var keyDescription: String { get }
    /// The columns whose text the consumer reads on every row (besides the key): a row
    /// with a byte that is not text in one of them cannot be read. The other cells are
    /// checked only when the consumer asks (``Row/requireText(log:)``).
    func textColumns(in layout: Layout) -> [Int]
    /// An empty batch for one block of rows.
    func makeBatch(_ layout: Layout) -> Batch
    /// Takes one data row. The row and its cells are valid during the call only.
    func consume(_ row: Row, layout: Layout, into batch: inout Batch, log: inout RowLog)
    /// The fields a header's columns hold, by name (项目名称 and 项目 are one field):
    /// whether two sheets of a workbook hold the same table.
    func fields(of layout: Layout) -> Set<String>
}

extension RowConsumer {
    /// A lead export's header (rosters read one too).
    public var exampleHeader: String { "企业名称,国标行业,经营范围" }
}

/// What a consumer makes of one block of rows.
public protocol RowBatch: Sendable {
    /// Turns the line numbers the batch holds, counted from 0 at the block's first line,
    /// into the file's: a block is read before the lines above it are counted.
    mutating func shiftLines(by first: Int)
    /// Takes the batch of the next block, in file order (its lines already shifted). A
    /// source folds its blocks into one batch as they finish, so that a consumer that
    /// keeps only the best of its rows holds a bounded batch however long the file.
    mutating func absorb(_ later: consuming Self)
}

/// How tables are read.
public struct ReadingOptions: Sendable, Hashable {
    /// The worksheet of .xlsx files to read (`--sheet`); nil takes the first sheet with a
    /// header.
    public var sheet: String?
    /// The encoding of CSV/TSV files; nil detects it (a BOM, else UTF-8 when the first
    /// block is valid UTF-8, else GB18030 when it is valid GB18030).
    public var encoding: LeadFileEncoding?
    /// Bytes read per block; each block of whole records is taken on its own thread.
    public var blockSize: Int = 4 << 20
    /// A quoted field that has not closed within this many bytes is taken for a stray
    /// quote: its record is cut at the end of its first line and reported.
    public var maxRecordBytes: Int = 1 << 20
    /// A line (outside quotes) longer than this is cut there and reported as one row
    /// that cannot be read; the rest of it, up to its line end, is skipped.
    public var maxLineBytes: Int = CSVScanner.maxLineBytes
    /// Whether the middle of a large regular file (three blocks or more; not UTF-16, which
    /// is converted as it is read) is read through mappings of it, a block at a time,
    /// rather than copied into buffers: the
    /// copy was about a third of a processor's time beside the workers (docs/performance.md,
    /// thirty-fifth pass). A file cut short meanwhile is reported as an error: the first
    /// such read installs a SIGBUS handler for the mapped blocks, which hands any other
    /// SIGBUS to the handler that was there before (Sources/CTextScan/mapped_window.c).
    public var mapsFiles: Bool = true
    /// Blocks taken at once (on the system's shared thread pool, which has one thread
    /// per core); at most twice as many are read ahead and held in memory.
    public var workers: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// A delimited file's first block, read ahead while the run started (``ReadAhead``):
    /// the read of that file takes it instead of reading it again. Nil for every other
    /// file (``forOtherFiles`` drops it).
    public var readAhead: ReadAhead?

    public init() {}

    /// These options for a file that `--sheet` and `--encoding` do not speak of (a ledger,
    /// a roster): its encoding detected, its sheets found. A GBK lead export read with
    /// `--encoding gbk` made the chain's UTF-8 ledger and roster unreadable.
    public var forOtherFiles: ReadingOptions {
        var options = self
        options.sheet = nil
        options.encoding = nil
        options.readAhead = nil
        return options
    }
}

/// Progress of reading one file, for a progress display.
public struct ReadProgress: Sendable {
    /// The file being read, as named.
    public var file: String
    /// Bytes read so far.
    public var bytesRead: Int
    /// The file's size, when known (not for standard input).
    public var totalBytes: Int?
}

/// Counts of the rows of one source, kept by the source itself.
public struct RowCounts: Sendable, Hashable {
    /// Data rows (not counting the header, blank lines and repeated header rows),
    /// unreadable ones included.
    public var rows = 0
    /// Rows that could not be read; each is reported.
    public var unreadable = 0
    /// Blank lines and rows with every cell empty.
    public var blank = 0
    /// Rows repeating the header (files concatenated from several exports).
    public var repeatedHeaders = 0
    /// Footer lines after the data (数据来源：企查查, 共 32 条).
    public var footers = 0

    public init() {}

    public mutating func add(_ other: RowCounts) {
        rows += other.rows
        unreadable += other.unreadable
        blank += other.blank
        repeatedHeaders += other.repeatedHeaders
        footers += other.footers
    }
}

/// What reading one source gave, besides the consumer's batches.
public struct RowSourceSummary: Sendable, Hashable {
    /// The file as named.
    public var file: String
    /// CSV, TSV, YAML …
    public var format: String
    /// The encoding a text file was read in.
    public var encoding: LeadFileEncoding?
    /// The header row as read (trimmed), when one was found.
    public var header: [String] = []
    /// Where the header row is: its line (column 1), or its sheet's row.
    public var headerLocation: FileLocation?
    /// What became of the rows.
    public var counts = RowCounts()
    /// Bytes read from the file.
    public var bytes = 0
    /// Bytes of them read through mappings of the file (``ReadingOptions/mapsFiles``).
    public var mappedBytes = 0
    /// Wall time spent reading, seconds.
    public var seconds = 0.0

    public init(file: String, format: String) {
        self.file = file
        self.format = format
    }
}

/// The outcome of reading one source.
public struct RowRead<Batch: Sendable>: Sendable {
    public var summary: RowSourceSummary
    /// The consumer's batches, in file order.
    public var batches: [Batch] = []
    /// Problems, in file order: unreadable rows (errors), values that could not be used
    /// (warnings, one per kind with its count), the header's place.
    public var diagnostics: [Diagnostic] = []
    /// Whether the source could not be read at all (a missing file, no header …).
    public var failed = false

    public init(summary: RowSourceSummary) {
        self.summary = summary
    }

    /// The batches, moved out: the read keeps none of them, so that whoever takes them
    /// holds them once and can move their parts out in turn, not copy them.
    public mutating func takeBatches() -> [Batch] {
        var taken: [Batch] = []
        swap(&taken, &batches)
        return taken
    }

    /// A read that failed before any row: the summary and the one diagnostic.
    static func failure(_ summary: RowSourceSummary, _ diagnostic: Diagnostic) -> RowRead {
        var read = RowRead(summary: summary)
        read.diagnostics = [diagnostic]
        read.failed = true
        return read
    }
}

/// What a source and its consumer found in one block of rows: the counts, the rows that
/// could not be read, and the problems with single values, each kind counted and
/// reported once, at its first row.
public struct RowLog: Sendable {
    /// A problem that repeats over rows: counted, and reported once at its first row.
    struct Tally: Sendable {
        var count: Int
        var first: Diagnostic
    }

    public var counts = RowCounts()
    /// Unreadable rows, in file order.
    var errors: [Diagnostic] = []
    var tallies: [String: Tally] = [:]
    var tallyOrder: [String] = []

    public init() {}

    /// A value of a row that could not be used (the row is kept without it): a warning
    /// of its `kind`, reported once with the number of rows like it.
    public mutating func warn(
        _ kind: String, _ message: String, at location: FileLocation, category: Diagnostic.Category = .rowValue
    ) {
        warn(kind, at: location, category: category) { message }
    }

    /// ``warn(_:_:at:category:)`` with the message worded only for the first row of its
    /// kind, the one reported (a "did you mean" weighs a word against every link).
    mutating func warn(
        _ kind: String, at location: FileLocation, category: Diagnostic.Category = .rowValue, message: () -> String
    ) {
        if tallies[kind] != nil {
            tallies[kind]!.count += 1
        } else {
            tallies[kind] = Tally(count: 1, first: .warning(category, message(), at: location))
            tallyOrder.append(kind)
        }
    }

    /// A row that cannot be read and is left out: an error at `location`, counted. Rows
    /// are counted when their key is read; `counted` says whether this one was.
    mutating func unreadable(_ reason: String, at location: FileLocation, counted: Bool) {
        if !counted { counts.rows += 1 }
        counts.unreadable += 1
        errors.append(.error(.unreadableRow, "row cannot be read: \(reason); the row is left out", at: location))
    }

    /// Lines that could not be read and were skipped whole, `lines` of them from
    /// `location`: each counts as a row that cannot be read, and one error says so.
    mutating func skipped(_ reason: String, lines: Int, at location: FileLocation) {
        counts.rows += lines
        counts.unreadable += lines
        // Line numbers are the block's until ``shiftLines(by:)``: the text names none.
        let span = lines == 1
            ? "this line is skipped, and reading goes on at the next"
            : "this line and the \(lines - 1) after it are skipped (\(lines) lines), and reading goes on after them"
        errors.append(.error(.unreadableRow, "row cannot be read: \(reason); \(span)", at: location))
    }

    /// Turns the block's line numbers into the file's.
    mutating func shiftLines(by first: Int) {
        for i in errors.indices { errors[i].location?.line += first }
        for key in tallies.keys { tallies[key]!.first.location?.line += first }
    }

    /// Adds a later block's log: its errors after these, its tallies into these.
    mutating func merge(_ other: RowLog) {
        counts.add(other.counts)
        errors += other.errors
        for key in other.tallyOrder {
            let tally = other.tallies[key]!
            if tallies[key] != nil {
                tallies[key]!.count += tally.count
            } else {
                tallies[key] = tally
                tallyOrder.append(key)
            }
        }
    }

    /// The diagnostics: unreadable rows, then one warning per kind of value problem
    /// ("(N rows like this; the first is here)").
    var diagnostics: [Diagnostic] {
        var result = errors
        for key in tallyOrder {
            var tally = tallies[key]!
            if tally.count > 1 {
                tally.first.message += " (\(tally.count) rows like this; the first is here)"
            }
            result.append(tally.first)
        }
        return result
    }
}

/// One data row, as a consumer sees it: cells of text with their places. Valid only
/// during ``RowConsumer/consume(_:layout:into:log:)``: it points into the source's
/// buffer.
public struct Row {
    /// The bytes the cells lie in (UTF-8, after any transcoding).
    let base: UnsafePointer<UInt8>
    /// The cells: offsets into `base`, and whether each was quoted.
    let fields: UnsafeBufferPointer<CSVScanner.Field>
    /// Where the row starts in `base`.
    let recordStart: Int
    /// The row's line (counted from the block's first line until the merge).
    let line: Int
    /// The file and its encoding, shared by every row of a block: held without a
    /// reference count, since a row lives only while its block is read.
    unowned(unsafe) let origin: RowOrigin
    /// Each cell's place, for sources that know them (YAML); nil for text tables, where
    /// they are counted from the bytes.
    let cellLocations: UnsafeBufferPointer<FileLocation>?
    /// For rows of a transcoded file: bytes that could not be converted (offset in
    /// `base`, original byte), for the message.
    let unconvertible: UnsafeBufferPointer<(offset: Int, byte: UInt8)>
    /// Whether every byte of the row is known to be UTF-8 text already (its whole block
    /// was checked at once), so that no cell needs checking again.
    var isKnownText = false

    /// The file, as named.
    var file: String { origin.file }

    /// The number of cells.
    public var count: Int { fields.count }

    /// Whether a cell holds nothing but spaces (or is missing).
    public func isBlank(_ column: Int) -> Bool {
        guard column < fields.count else { return true }
        let field = fields[column]
        var i = field.start
        while i < field.end {
            let b = base[i]
            if b != 0x20 && b != 0x09 && !(field.quoted && b == CSVScanner.quote) { return false }
            i += 1
        }
        return true
    }

    /// A cell's bytes as written, quotes and all (what its text is made of, within one
    /// source); empty for a missing cell.
    func cellBytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        guard column < fields.count else { return UnsafeBufferPointer(start: base, count: 0) }
        return UnsafeBufferPointer(start: base + fields[column].start, count: fields[column].end - fields[column].start)
    }

    /// The bytes of a cell to search for words: without the opening quote of a quoted
    /// cell (a doubled quote or the closing one stays; no word spans them).
    public func searchBytes(_ column: Int) -> UnsafeRawBufferPointer {
        guard column < fields.count else { return UnsafeRawBufferPointer(start: base, count: 0) }
        let range = CSVScanner.searchRange(fields[column])
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// A cell's text, as written (quotes removed); empty for a missing cell.
    public func string(_ column: Int) -> String {
        column < fields.count ? CSVScanner.string(base, fields[column]) : ""
    }

    /// A cell's text as ``LeadColumns/trimmed(_:)`` gives it, trimmed on the row's bytes
    /// (``LeadColumns/trimmedRange(_:_:)``) before the string is made when the cell is
    /// unquoted and known to be UTF-8: one string, not two.
    func trimmedString(_ column: Int) -> String {
        guard column < fields.count else { return "" }
        if let bytes = trimmedBytes(column) { return String(decoding: bytes, as: UTF8.self) }
        return LeadColumns.trimmed(string(column))
    }

    /// The bytes that ``trimmedString(_:)`` makes its string of, when it makes it straight
    /// from the row's: an unquoted cell known to be UTF-8; nil for any other.
    func trimmedBytes(_ column: Int) -> UnsafeBufferPointer<UInt8>? {
        guard column < fields.count, isKnownText, !fields[column].quoted else { return nil }
        let kept = LeadColumns.trimmedRange(base, fields[column].start..<fields[column].end)
        return UnsafeBufferPointer(start: base + kept.lowerBound, count: kept.count)
    }

    /// Every cell's text.
    public func strings() -> [String] {
        fields.map { CSVScanner.string(base, $0) }
    }

    /// Whether a cell's text equals `bytes` (a repeated header, say).
    func equals(_ column: Int, _ bytes: [UInt8]) -> Bool {
        guard column < fields.count else { return false }
        let field = fields[column]
        let range = field.quoted ? (field.start + 1)..<(field.end - 1) : field.start..<field.end
        guard range.count == bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { memcmp(base + range.lowerBound, $0.baseAddress!, range.count) == 0 }
    }

    /// The row's place: its first line, column 1.
    public var location: FileLocation {
        FileLocation(file: file, line: line, column: 1, sheet: origin.sheet)
    }

    /// A cell's place: its first character.
    public func location(ofCell column: Int) -> FileLocation {
        // In a worksheet every field is a column: the cell is named as Excel names it.
        if let sheet = origin.sheet, cellLocations == nil {
            return FileLocation(file: file, line: line, column: column + 1, sheet: sheet)
        }
        if let cellLocations {
            return column < cellLocations.count ? cellLocations[column] : location
        }
        guard column < fields.count else { return location }
        return location(ofOffset: fields[column].start)
    }

    /// The place of a byte of the row.
    func location(ofOffset offset: Int) -> FileLocation {
        let (line, lineStart) = CSVScanner.line(of: offset, recordStart: recordStart, firstLine: self.line, base)
        return FileLocation(file: file, line: line, column: CSVScanner.column(of: offset, lineStart: lineStart, base))
    }

    /// The offset of the first byte of the cells that is not text, if any.
    func firstInvalidText(in columns: [Int]) -> Int? {
        if isKnownText { return nil }
        for column in columns where column < fields.count {
            let field = fields[column]
            if let bad = TextDecoding.firstInvalidUTF8(base, from: field.start, to: field.end) { return bad }
        }
        return nil
    }

    /// Whether every cell of the row is text; when not, the row is reported (at its first
    /// bad byte) and counted as unreadable. A consumer asks before it uses the row's other
    /// cells.
    public func requireText(log: inout RowLog) -> Bool {
        guard !isKnownText, let first = fields.first, let last = fields.last,
              let bad = TextDecoding.firstInvalidUTF8(base, from: first.start, to: last.end)
        else { return true }
        reportBadText(at: bad, log: &log)
        return false
    }

    /// Reports the row as unreadable for a byte that is not text in its encoding.
    func reportBadText(at offset: Int, log: inout RowLog) {
        var byte = base[offset]
        if let original = unconvertible.first(where: { $0.offset == offset }) { byte = original.byte }
        let hex = String(byte, radix: 16, uppercase: true)
        let encoding = origin.encoding
        let name = encoding.isUTF8 ? "UTF-8" : encoding.name
        var reason = "byte 0x\(hex.count == 1 ? "0" + hex : hex) is not valid \(name) text"
        if encoding.isUTF8 && !encoding.bom {
            reason += " (the file was read as UTF-8; if it is GBK, pass --encoding gbk)"
        }
        // The row was counted when its key was read.
        log.unreadable(reason, at: location(ofOffset: offset), counted: true)
    }
}

/// Where the rows of a block come from: the file as named, and its encoding.
final class RowOrigin: Sendable {
    let file: String
    let encoding: LeadFileEncoding
    /// The worksheet the rows come from, in a workbook.
    let sheet: String?

    init(file: String, encoding: LeadFileEncoding, sheet: String? = nil) {
        self.file = file
        self.encoding = encoding
        self.sheet = sheet
    }
}

/// The checks every source makes of a data row before its consumer sees it: blank rows,
/// repeated header rows, a missing key, cells that are not text. Shared, so that every
/// format counts and reports rows the same way.
struct RowGate {
    let keyColumn: Int
    let keyHeader: String
    let keyDescription: String
    /// The key column's header as UTF-8, to spot a repeated header row.
    let keyHeaderBytes: [UInt8]
    /// The key and the consumer's text columns.
    let textColumns: [Int]
    /// Whether a one-cell row may be a footer of an export (not in a YAML file, whose
    /// rows are written one by one).
    var detectsFooters = true

    init<Consumer: RowConsumer>(_ consumer: Consumer, layout: Consumer.Layout, header: [String]) {
        keyColumn = consumer.keyColumn(in: layout)
        keyHeader = keyColumn < header.count ? header[keyColumn] : ""
        keyDescription = consumer.keyDescription
        keyHeaderBytes = Array(keyHeader.utf8)
        var columns = [keyColumn]
        for column in consumer.textColumns(in: layout) where !columns.contains(column) { columns.append(column) }
        textColumns = columns
    }

    /// The words a footer line of an export starts with (数据来源：企查查, 共 32 条,
    /// 导出时间：…), and the names of the databases that sign them.
    static let footerStarts = ["数据来源", "来源：", "来源:", "合计", "总计", "导出时间", "导出日期", "查询时间",
                               "更新时间", "数据截至", "数据截止", "注：", "注:", "说明：", "说明:", "本表", "以上数据"]
    static let footerSources = ["企查查", "天眼查", "启信宝", "爱企查", "企信宝", "qcc.com", "tianyancha"]
    static let companySuffixes = ["公司", "厂", "集团", "中心", "合作社", "研究院", "研究所", "店", "部", "社"]

    /// The text of a footer line of an export: a row with one cell of text, which reads
    /// as a count (共 32 条), a source (数据来源：企查查) or a note, and not as a company.
    static func footer(_ row: Row) -> String? {
        var text: String?
        for column in 0..<row.count where !row.isBlank(column) {
            guard text == nil else { return nil }
            text = LeadColumns.trimmed(row.string(column))
        }
        guard let text, !companySuffixes.contains(where: text.hasSuffix) else { return nil }
        if footerStarts.contains(where: text.hasPrefix) || footerSources.contains(where: text.contains) { return text }
        // 共 32 条, 共计 1,024 家
        var rest = Substring(text)
        guard rest.hasPrefix("共") else { return nil }
        rest = rest.dropFirst().drop { $0 == "计" || $0 == " " || $0 == "\u{3000}" }
        let digits = rest.prefix { $0.isNumber || $0 == "," }
        guard !digits.isEmpty else { return nil }
        let unit = rest.dropFirst(digits.count).drop { $0 == " " }
        return ["条", "家", "行", "个", "项", "条记录", "条数据"].contains(String(unit)) ? text : nil
    }

    /// Whether a row is no data: blank (every cell empty), or a footer line of the export
    /// (``footer(_:)``); such a row is counted and skipped, a footer reported once.
    /// Sources ask first, before checking the row's shape.
    func skipsBlank(_ row: Row, log: inout RowLog) -> Bool {
        var filled = 0
        for column in 0..<row.count where !row.isBlank(column) {
            filled += 1
            if filled > 1 { return false }
        }
        if filled == 0 {
            log.counts.blank += 1
            return true
        }
        guard detectsFooters, let footer = Self.footer(row) else { return false }
        log.counts.footers += 1
        log.warn(
            "footer", "'\(footer)' is a footer of the export, not data; it was skipped",
            at: row.location, category: .input)
        return true
    }

    /// Checks a row that is not blank and hands it on: false when the row is not for the
    /// consumer (a repeated header, a footer, unreadable), counted and reported here.
    func admit(_ row: Row, log: inout RowLog) -> Bool {
        if row.equals(keyColumn, keyHeaderBytes) {
            log.counts.repeatedHeaders += 1
            return false
        }

        if row.isBlank(keyColumn) {
            let at = keyColumn < row.count ? row.location(ofCell: keyColumn) : row.location
            log.unreadable("row has no \(keyHeader) (\(keyDescription))", at: at, counted: false)
            return false
        }
        log.counts.rows += 1
        if let bad = row.firstInvalidText(in: textColumns) {
            row.reportBadText(at: bad, log: &log)
            return false
        }
        return true
    }
}

/// Hands rows given as strings to a consumer, through the same checks as every source:
/// for a source that reads its cells itself (YAML, or a table read by another library).
/// Rows are consumed on the calling thread, in one batch.
public struct RowFeeder<Consumer: RowConsumer> {
    public let file: String
    let consumer: Consumer
    let origin: RowOrigin
    private var read: RowRead<Consumer.Batch>
    private var layout: Consumer.Layout?
    private var gate: RowGate?
    private var batch: Consumer.Batch?
    private var log = RowLog()
    private let began = ContinuousClock.now
    /// Whether a one-cell row may be an export's footer (``RowGate/footer(_:)``): true
    /// for tables cut from exports, false for rows written one by one (YAML).
    public var detectsFooters = true

    /// A feeder for one file of a format (CSV, YAML, XLSX …), or one sheet of a workbook.
    public init(file: String, format: String, consumer: Consumer, sheet: String? = nil) {
        self.file = file
        self.consumer = consumer
        origin = RowOrigin(file: file, encoding: .utf8, sheet: sheet)
        read = RowRead(summary: RowSourceSummary(file: file, format: format))
    }

    /// Takes the header row; false (and a failed read) when the consumer does not
    /// recognise it.
    public mutating func header(_ cells: [String], at location: FileLocation? = nil) -> Bool {
        guard let layout = consumer.layout(forHeader: cells) else {
            read.diagnostics.append(.error(
                .input, consumer.missingHeader(firstRow: cells), at: location ?? FileLocation(file: file, line: 1, column: 1)))
            read.failed = true
            return false
        }
        let header = cells.map(LeadColumns.trimmed)
        self.layout = layout
        var gate = RowGate(consumer, layout: layout, header: header)
        gate.detectsFooters = detectsFooters
        self.gate = gate
        batch = consumer.makeBatch(layout)
        read.summary.header = header
        read.summary.headerLocation = location ?? FileLocation(file: file, line: 1, column: 1)
        return true
    }

    /// Takes one data row on `line`; `cellLocations` gives each cell's place when the
    /// source knows it (else cells are placed at column 1 of the line).
    public mutating func row(_ cells: [String], line: Int, cellLocations: [FileLocation]? = nil) {
        guard let layout, let gate, batch != nil else { return }
        var buffer: [UInt8] = []
        var fields: [CSVScanner.Field] = []
        fields.reserveCapacity(cells.count)
        for cell in cells {
            let start = buffer.count
            buffer += cell.utf8
            fields.append(CSVScanner.Field(start: start, end: buffer.count, quoted: false))
        }
        buffer.append(0)  // a base address for a row of empty cells
        let places = cellLocations ?? Array(repeating: FileLocation(file: file, line: line, column: 1, sheet: origin.sheet), count: cells.count)
        let consumer = self.consumer
        let origin = self.origin
        buffer.withUnsafeBufferPointer { base in
            fields.withUnsafeBufferPointer { cellsBuffer in
                places.withUnsafeBufferPointer { placesBuffer in
                    let row = Row(
                        base: base.baseAddress!, fields: cellsBuffer, recordStart: 0, line: line, origin: origin,
                        cellLocations: placesBuffer, unconvertible: UnsafeBufferPointer(start: nil, count: 0))
                    if gate.skipsBlank(row, log: &log) { return }
                    guard gate.admit(row, log: &log) else { return }
                    consumer.consume(row, layout: layout, into: &batch!, log: &log)
                }
            }
        }
    }

    /// Adds a problem the source found itself (a row it could not read, say).
    public mutating func report(_ diagnostic: Diagnostic) {
        read.diagnostics.append(diagnostic)
        if diagnostic.isError { read.failed = true }
    }

    /// The outcome: the batch, the counts, the problems.
    public consuming func finish(bytes: Int = 0) -> RowRead<Consumer.Batch> {
        if let batch { read.batches = [batch] }
        read.summary.counts = log.counts
        read.summary.bytes = bytes
        read.diagnostics += log.diagnostics
        read.summary.seconds = Double.seconds(ContinuousClock.now - began)
        return read
    }
}
