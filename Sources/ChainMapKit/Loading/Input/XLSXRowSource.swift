import Foundation
import Synchronization
import ZIPFoundation
import CZlibChecksum

/// An Excel workbook (.xlsx) read as a table: 企查查 and 天眼查 export these by default.
///
/// The archive is read with ZIPFoundation and each part is parsed by ``XMLStream`` while
/// it is unzipped, so a sheet of any length is read in constant memory; the shared-string
/// table is the only part held whole. The rows then go through the same checks as a CSV
/// file's (``RowFeeder``): title rows above the header, footer rows, repeated headers,
/// rows without a name, every unreadable row located as `FILE:SHEET!D7`.
///
/// The sheet read is the one `--sheet` names, else the first whose first 20 non-blank
/// rows hold a header the consumer recognises; a later sheet that has one too is warned
/// of, not read. ``readEverySheet(into:progress:)`` reads every sheet with a header (a
/// ledger or a roster kept a sheet per year, per chain or per park).
public struct XLSXRowSource: RowSource {
    public let file: String
    /// The sheet to read (`--sheet`); nil takes the first with a header.
    public let sheet: String?

    public init(path: String, sheet: String? = nil) {
        self.file = path
        self.sheet = sheet
    }

    /// The most bytes the shared-string table may unzip to: it is held whole.
    public static let maxSharedStringBytes: UInt64 = 512 << 20
    /// The most bytes a sheet may unzip to (it is streamed, so this bounds time only).
    public static let maxSheetBytes: UInt64 = 4 << 30
    /// The most strings the shared-string table may hold (4 bytes each are held besides
    /// their text): a table of empty strings (`<si/>`, 5 bytes each) would otherwise hold
    /// far more than its bytes.
    public static let maxSharedStrings = 1 << 25
    /// Rows searched for the header, as in a CSV file.
    static let headerRows = 20
    /// The most bytes of text one row may hold, as for a line of a CSV file (one 300 MB
    /// inline cell took 970 MB).
    public static let maxRowBytes = 64 << 20
    /// The most bytes of one shared string: Excel's characters a cell
    /// (``XLSXWriter/maxCellCharacters``), 3 bytes each at most. A longer one is copied
    /// into every cell that refers to it (a 12 KB workbook of one 10 MB string in 100
    /// rows took 2.4 GB).
    public static let maxSharedStringLength = XLSXWriter.maxCellCharacters * 3
    /// Rows at most, blank ones included, before the header is given up: a sheet of
    /// blank rows (`<row/>` after `<row/>`) is not read to its end for each sheet.
    static let headerSearchRows = 1_000
    /// Headers whose column holds codes that must stay text (18 characters): Excel shows
    /// a number stored there as 9.15E+17, its last digits lost.
    static let codeHeaders = ["统一社会信用代码", "社会信用代码", "信用代码", "统一信用代码", "注册号", "纳税人识别号"]

    /// The sheet `--sheet` names, else the first with a header. Each later sheet whose
    /// first rows hold a header too is warned of at that header: its rows are not read.
    public func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        read(into: consumer, everySheet: false, progress: progress)[0]
    }

    /// Every sheet with a header, one read each in workbook order (`--sheet` is not
    /// consulted); a single failed read when the workbook cannot be read, a sheet is
    /// damaged, or no sheet has a header.
    public func readEverySheet<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> [RowRead<Consumer.Batch>] {
        XLSXRowSource(path: file).read(into: consumer, everySheet: true, progress: progress)
    }

    private func read<Consumer: RowConsumer>(
        into consumer: Consumer, everySheet: Bool, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> [RowRead<Consumer.Batch>] {
        let began = ContinuousClock.now
        var failed = RowRead<Consumer.Batch>(summary: RowSourceSummary(file: file, format: "XLSX"))
        func fail(_ message: String, at location: FileLocation? = nil) -> [RowRead<Consumer.Batch>] {
            failed.diagnostics.append(.error(.input, message, at: location ?? FileLocation(file: file, line: 1, column: 1)))
            failed.failed = true
            return [failed]
        }
        let workbook: Workbook
        do {
            workbook = try Workbook(path: file)
        } catch {
            return fail(error.message)
        }
        var candidates = workbook.sheets
        if let sheet {
            guard let named = workbook.sheets.first(where: { $0.name == sheet }) else {
                return fail("the workbook has no sheet named '\(Diagnostic.quoted(sheet))'; its sheets are \(workbook.sheets.map(\.name).joined(separator: ", "))")
            }
            candidates = [named]
        }
        var firstRow: [String]?
        var reads: [RowRead<Consumer.Batch>] = []
        var firstFields: Set<String>?
        // Each part once: sheets that name the same part (a hostile workbook's) would
        // read it again for each.
        var searchedParts: Set<String> = []
        for candidate in candidates where searchedParts.insert(candidate.part).inserted {
            // Past the sheet read, only whether a sheet has a header: its first rows.
            let probing = !reads.isEmpty && !everySheet
            // Past the first sheet read, a sheet is read only with a header like the
            // first's (as many of its fields: 项目 is 项目名称, 投资额（万元） 协议投资额):
            // a 填表说明 sheet that lists the fields (项目名称 | 必填) has a cell a header
            // has, and its rows are no data.
            let like = everySheet ? firstFields : nil
            let reader = SheetReader(consumer: consumer, file: file, sheet: candidate.name, headerOnly: probing, like: like)
            do {
                try workbook.rows(of: candidate, progress: probing ? nil : progress, into: reader)
            } catch {
                if case .stop = error {} else {
                    reader.finish()
                    // A sheet not read is not checked further. A damaged sheet that is
                    // read, or searched for a header (its header may lie below the damage),
                    // fails the workbook, with the warnings of the sheets read before it.
                    if probing { continue }
                    let at = FileLocation(file: file, line: error.place?.row ?? 1, column: error.place?.column ?? 1, sheet: candidate.name)
                    failed.diagnostics = reads.flatMap(\.diagnostics)
                    return fail(error.message, at: at)
                }
            }
            reader.finish()
            if let unlike = reader.unlikeHeader, let first = reads.first {
                reads[0].diagnostics.append(.warning(
                    .input,
                    "sheet '\(Diagnostic.quoted(candidate.name))' is not read: its row \(unlike.line) has \(unlike.shared) of the columns of sheet '\(Diagnostic.quoted(first.summary.headerLocation?.sheet ?? ""))', and a sheet of the same table has at least \(unlike.needed)",
                    at: FileLocation(file: file, line: unlike.line, column: 1, sheet: candidate.name)))
                continue
            }
            if let read = reader.outcome(bytes: workbook.size) {
                if probing {
                    reads[0].diagnostics.append(.warning(
                        .input,
                        "sheet '\(Diagnostic.quoted(candidate.name))' has a header row too and is not read: a lead file is read from one sheet, here '\(Diagnostic.quoted(reads[0].summary.headerLocation?.sheet ?? ""))'; name another with --sheet",
                        at: read.summary.headerLocation ?? FileLocation(file: file, line: 1, column: 1, sheet: candidate.name)))
                    continue
                }
                var read = read
                read.summary.seconds = Double.seconds(ContinuousClock.now - began)
                reads.append(read)
                if firstFields == nil { firstFields = reader.fields }
                continue
            }
            if firstRow == nil { firstRow = reader.firstRows.first }
        }
        guard reads.isEmpty else { return reads }
        let names = candidates.map(\.name).joined(separator: ", ")
        return fail(consumer.missingHeader(firstRow: firstRow ?? []) + " (sheets searched: \(names))")
    }
}

/// The rows of one sheet, from the parser: the header searched for in the first 20
/// non-blank rows; then rows gathered into blocks, each block checked and consumed on a
/// worker thread (as a CSV file's blocks are) and folded back in sheet order.
final class SheetReader<Consumer: RowConsumer>: SheetRowSink {
    let consumer: Consumer
    let file: String
    let sheet: String
    let origin: RowOrigin
    private(set) var firstRows: [[String]] = []
    /// Rows looked at for the header, blank ones included.
    private var searched = 0
    private var headerRow: Int?
    private var context: (layout: Consumer.Layout, gate: RowGate)?
    private var header: [String] = []
    private var warnings: [Diagnostic] = []
    /// The columns whose numbers are damaged codes (a credit code stored as a number).
    private var codeColumns: [Int] = []
    private var damagedCodes = 0
    private var firstDamaged: FileLocation?
    // The block being gathered.
    private var block = SheetBlock()
    private var blocks = 0
    private let fold = DelimitedReading.OrderedFold<Consumer.Batch>(firstLine: 0)
    private let group = DispatchGroup()
    private let slots = DispatchSemaphore(value: max(2, ProcessInfo.processInfo.activeProcessorCount * 2))

    /// Only whether the sheet has a header: the reading stops there.
    private let headerOnly: Bool
    /// The fields of the workbook's first sheet read (``RowConsumer/fields(of:)``), when
    /// this sheet's header must be like it: sharing at least three of them (all, when it
    /// has fewer).
    private let like: Set<String>?
    /// The fields of this sheet's header, once found.
    private(set) var fields: Set<String> = []
    /// The row taken for a header that was not like ``like``'s, with the cells it shared
    /// and needed: the sheet is not read.
    private(set) var unlikeHeader: (line: Int, shared: Int, needed: Int)?

    init(consumer: Consumer, file: String, sheet: String, headerOnly: Bool = false, like: Set<String>? = nil) {
        self.consumer = consumer
        self.file = file
        self.sheet = sheet
        self.headerOnly = headerOnly
        self.like = like
        origin = RowOrigin(file: file, encoding: .utf8, sheet: sheet)
    }

    /// Rows in a block: enough to keep a worker busy, few enough to spread the work.
    static var blockRows: Int { 2_048 }

    func row(number: Int, bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<CSVScanner.Field>, numeric: UnsafeBufferPointer<Bool>) throws(WorkbookProblem) {
        guard context != nil else {
            searched += 1
            if searched > XLSXRowSource.headerSearchRows { throw .stop }
            return try findHeader(number, bytes, fields)
        }
        for column in codeColumns where column < numeric.count && numeric[column] {
            damagedCodes += 1
            if firstDamaged == nil { firstDamaged = FileLocation(file: file, line: number, column: column + 1, sheet: sheet) }
        }
        block.append(number: number, bytes: bytes, fields: fields)
        // A block of long rows is handed on by its bytes (at most one row past 8 MB).
        if block.rows.count >= Self.blockRows || block.bytes.count >= 8 << 20 { dispatch() }
    }

    private func findHeader(
        _ number: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ fields: UnsafeBufferPointer<CSVScanner.Field>
    ) throws(WorkbookProblem) {
        let cells = fields.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0.start..<$0.end]), as: UTF8.self) }
        guard cells.contains(where: { !LeadColumns.trimmed($0).isEmpty }) else { return }
        firstRows.append(cells)
        if let layout = consumer.layout(forHeader: cells) {
            self.fields = consumer.fields(of: layout)
            if let like {
                let shared = self.fields.intersection(like).count
                let needed = min(3, like.count)
                if shared < needed {
                    unlikeHeader = (number, shared, needed)
                    throw .stop
                }
            }
            header = cells.map(LeadColumns.trimmed)
            context = (layout, RowGate(consumer, layout: layout, header: header))
            headerRow = number
            if firstRows.count > 1 || number > 1 {
                warnings.append(.warning(
                    .input, "the header row is row \(number); the rows above it are not data and were skipped",
                    at: FileLocation(file: file, line: number, column: 1, sheet: sheet)))
            }
            codeColumns = header.indices.filter { XLSXRowSource.codeHeaders.contains(LeadColumns.canonical(header[$0])) }
            if headerOnly { throw .stop }
            return
        }
        if firstRows.count >= XLSXRowSource.headerRows { throw .stop }
    }

    /// Hands the gathered block to a worker.
    private func dispatch() {
        guard let context, !block.rows.isEmpty else { return }
        let work = block
        block = SheetBlock()
        let index = blocks
        blocks += 1
        let consumer = self.consumer, origin = self.origin, fold = self.fold
        slots.wait()
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [slots] in
            ThreadHeap.reserve(forBlock: index, ofInput: nil)
            fold.add(work.consume(consumer, layout: context.layout, gate: context.gate, origin: origin), index: index)
            slots.signal()
        }
    }

    /// Sends the last block and waits for every worker.
    func finish() {
        dispatch()
        group.wait()
    }

    /// What the sheet gave, or nil when it has no header.
    func outcome(bytes: Int) -> RowRead<Consumer.Batch>? {
        guard let context else { return nil }
        var read = RowRead<Consumer.Batch>(summary: RowSourceSummary(file: file, format: "XLSX，工作表 \(sheet)"))
        read.summary.header = header
        read.summary.headerLocation = headerRow.map { FileLocation(file: file, line: $0, column: 1, sheet: sheet) }
        read.summary.bytes = bytes
        let folded = fold.take()
        read.batches = [folded.batch ?? consumer.makeBatch(context.layout)]
        read.summary.counts = folded.log.counts
        read.diagnostics = warnings + folded.log.diagnostics
        if let firstDamaged {
            read.diagnostics.append(.warning(
                .rowValue,
                "a code stored as a number (Excel shows it as 9.15E+17 and has lost its last digits): the code is damaged; export the column as text (\(damagedCodes) cell(s) like this; the first is here)",
                at: firstDamaged))
        }
        return read
    }
}

/// Rows of a sheet gathered for a worker: their cells' bytes in one buffer.
struct SheetBlock: Sendable {
    var bytes: [UInt8] = []
    var fields: [CSVScanner.Field] = []
    var rows: [(number: Int, first: Int, count: Int)] = []

    init() {
        bytes.reserveCapacity(1 << 20)
        fields.reserveCapacity(SheetReader<LeadRowScreen>.blockRows * 20)
        rows.reserveCapacity(SheetReader<LeadRowScreen>.blockRows)
    }

    mutating func append(number: Int, bytes more: UnsafeBufferPointer<UInt8>, fields cells: UnsafeBufferPointer<CSVScanner.Field>) {
        let base = bytes.count
        bytes.append(contentsOf: more)
        rows.append((number, fields.count, cells.count))
        for cell in cells {
            fields.append(CSVScanner.Field(start: base + cell.start, end: base + cell.end, quoted: false))
        }
    }

    /// Checks and consumes every row, as ``RowFeeder`` does one by one.
    func consume<Consumer: RowConsumer>(
        _ consumer: Consumer, layout: Consumer.Layout, gate: RowGate, origin: RowOrigin
    ) -> DelimitedReading.ChunkOutcome<Consumer.Batch> {
        var outcome = DelimitedReading.ChunkOutcome<Consumer.Batch>(batch: consumer.makeBatch(layout))
        var storage = bytes
        storage.append(0)  // a base address for rows of empty cells
        storage.withUnsafeBufferPointer { base in
            fields.withUnsafeBufferPointer { all in
                for row in rows {
                    let cells = UnsafeBufferPointer(rebasing: all[row.first..<(row.first + row.count)])
                    let view = Row(
                        base: base.baseAddress!, fields: cells, recordStart: 0, line: row.number, origin: origin,
                        cellLocations: nil, unconvertible: UnsafeBufferPointer(start: nil, count: 0))
                    if gate.skipsBlank(view, log: &outcome.log) { continue }
                    guard gate.admit(view, log: &outcome.log) else { continue }
                    consumer.consume(view, layout: layout, into: &outcome.batch, log: &outcome.log)
                }
            }
        }
        return outcome
    }
}

/// Where a sheet's rows go as the parser finishes them.
protocol SheetRowSink: AnyObject {
    /// One row: its number, its cells (each field a column, blank ones empty) and which
    /// cells the workbook stored as numbers. Throws ``WorkbookProblem/stop`` to end early.
    func row(number: Int, bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<CSVScanner.Field>, numeric: UnsafeBufferPointer<Bool>) throws(WorkbookProblem)
}

/// Why a workbook cannot be read.
enum WorkbookProblem: Error {
    case notZip(String)
    case notWorkbook
    case missingPart(String)
    case tooLarge(String, UInt64)
    case tooManyStrings(Int)
    case stringTooLong(index: Int)
    case rowTooLarge(row: Int)
    /// A cell that no valid workbook holds: its row and column (1-based; the column of
    /// the cell before it when its reference is what is wrong), its reference as
    /// written, what is wrong.
    case badCell(row: Int, column: Int, reference: String, problem: String)
    case xml(String, String)
    case zip(String, String)
    /// libxml2, which reads the workbook's XML, cannot be loaded (what is missing, and
    /// what to install).
    case noXMLReader(String)
    /// Not a problem: the reader was told to stop (the sheet has no header).
    case stop

    var message: String {
        switch self {
        case .notZip(let reason): "cannot open the workbook: the zip archive is damaged or not a zip file (\(reason))"
        case .notWorkbook: "the file is a zip archive but not an Excel workbook (it has no xl/workbook.xml)"
        case .missingPart(let part): "the workbook is damaged: it names \(part), which is not in the archive"
        case .tooLarge(let part, let bytes): "\(part) unzips to \(bytes >> 20) MB, \(Self.beyondLimits)"
        case .tooManyStrings(let count):
            "xl/sharedStrings.xml holds more than \(NumberText.grouped(count)) strings, \(Self.beyondLimits)"
        case .badCell(_, _, let reference, let problem): "the workbook is damaged: cell \(reference) \(problem)"
        case .stringTooLong(let index):
            "xl/sharedStrings.xml: string \(index) is longer than a cell may be (Excel's \(NumberText.grouped(XLSXWriter.maxCellCharacters)) characters), \(Self.beyondLimits)"
        case .rowTooLarge(let row):
            "row \(row) holds more than \(XLSXRowSource.maxRowBytes >> 20) MB of text, \(Self.beyondLimits)"
        case .xml(let part, let message): "the workbook is damaged: \(part) is not well-formed XML: \(message)"
        case .zip(let part, let message): "the workbook is damaged: \(part) cannot be unzipped (\(message))"
        case .noXMLReader(let problem): "cannot read workbooks: \(problem)"
        case .stop: "stopped"
        }
    }

    /// Where in the sheet the problem is (row and column, 1-based), when it is at a cell
    /// or row; the others are the file's.
    var place: (row: Int, column: Int)? {
        switch self {
        case .badCell(let row, let column, _, _): (row, column)
        case .rowTooLarge(let row): (row, 1)
        default: nil
        }
    }

    /// How a message about a limit ends.
    private static let beyondLimits = "more than chainmap reads (docs/chain-format.md, 限制)"
}

/// The parts of an .xlsx workbook that chainmap reads: its sheets (name and part), the
/// shared strings, which cell styles are dates, and the date system.
final class Workbook {
    struct Sheet {
        var name: String
        var part: String
    }

    let archive: Archive
    let path: String
    let size: Int
    private(set) var sheets: [Sheet] = []
    private(set) var sharedStrings = SharedStrings()
    /// For each cell style (`s="3"`), whether its number format shows a date.
    private(set) var dateStyles: [Bool] = []
    /// Dates count from 1904 (old Mac workbooks), not 1900.
    private(set) var date1904 = false

    init(path: String) throws(WorkbookProblem) {
        self.path = path
        // libxml2 is loaded when the first workbook is read (Sources/CDeferred); without
        // it no workbook can be, whatever its state.
        if let problem = DeferredLibrary.xml2.load() { throw .noXMLReader(problem) }
        let url = URL(fileURLWithPath: path)
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw .notZip("\(error)")
        }
        size = FileSystem.size(of: path) ?? 0
        guard archive["xl/workbook.xml"] != nil else { throw .notWorkbook }
        try readWorkbook()
        try readSharedStrings()
        try readStyles()
    }

    /// Streams a part of the archive through an XML reader. The CRC-32 is checked with
    /// zlib's, not ZIPFoundation's, which is a byte-at-a-time loop on Linux.
    func parse(_ part: String, limit: UInt64, progress: ((Int, Int) -> Void)? = nil, _ handler: some XMLStreamHandler) throws(WorkbookProblem) {
        guard let entry = archive[part] else { throw .missingPart(part) }
        guard entry.uncompressedSize <= limit else { throw .tooLarge(part, entry.uncompressedSize) }
        let stream = XMLStream(handler)
        var done = 0
        var checksum = CZlibChecksum.crc32(0, nil, 0)
        let total = Int(entry.uncompressedSize)
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 18, skipCRC32: true) { data in
                let fed = data.withUnsafeBytes { bytes in
                    checksum = CZlibChecksum.crc32(checksum, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count))
                    return stream.feed(bytes)
                }
                if !fed { throw XMLFailure() }
                // A handler done with the part (a sheet without a header, a damaged
                // cell) stops the unzipping: the rest of a 4 GB sheet is not read.
                if handler.isDone { throw Done() }
                done += data.count
                // The directory's size is what the limit was checked against: a part that
                // unzips to more (a zip bomb's lie) is stopped there.
                if done > total { throw WorkbookProblem.zip(part, "it unzips to more than the \(total) bytes the archive's directory gives") }
                progress?(done, total)
            }
        } catch is Done {
            return
        } catch is XMLFailure {
            throw .xml(part, stream.failure ?? "not well-formed")
        } catch let problem as WorkbookProblem {
            throw problem
        } catch {
            throw .zip(part, "\(error)")
        }
        if done != total { throw .zip(part, "it unzips to \(done) bytes, not the \(total) the archive's directory gives") }
        if !stream.finish() { throw .xml(part, stream.failure ?? "not well-formed") }
        if UInt32(truncatingIfNeeded: checksum) != entry.checksum {
            throw .zip(part, "its CRC-32 does not match: the archive is corrupt")
        }
    }

    private struct XMLFailure: Error {}
    private struct Done: Error {}

    /// The sheets in workbook order, each with its part (through the relationships).
    private func readWorkbook() throws(WorkbookProblem) {
        var named: [(name: String, id: String)] = []
        var date1904 = false
        try parse("xl/workbook.xml", limit: 64 << 20, XMLStream.Callbacks(start: { name, attributes in
            if XMLStream.equals(name, "sheet"), let sheet = attributes.string("name"), let id = attributes.string("id") {
                named.append((sheet, id))
            } else if XMLStream.equals(name, "workbookPr"), let value = attributes.string("date1904") {
                date1904 = value == "1" || value == "true"
            }
        }))
        self.date1904 = date1904
        var targets: [String: String] = [:]
        if archive["xl/_rels/workbook.xml.rels"] != nil {
            try parse("xl/_rels/workbook.xml.rels", limit: 64 << 20, XMLStream.Callbacks(start: { name, attributes in
                if XMLStream.equals(name, "Relationship"), let id = attributes.string("Id"), let target = attributes.string("Target") {
                    targets[id] = target
                }
            }))
        }
        sheets = named.enumerated().map { index, sheet in
            let target = targets[sheet.id] ?? "worksheets/sheet\(index + 1).xml"
            let part = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            return Sheet(name: sheet.name, part: part)
        }
        if sheets.isEmpty { throw .missingPart("a worksheet") }
    }

    /// The shared strings, each the text of its runs (phonetic runs left out).
    private func readSharedStrings() throws(WorkbookProblem) {
        guard archive["xl/sharedStrings.xml"] != nil else { return }
        let reader = SharedStrings.Reader()
        try parse("xl/sharedStrings.xml", limit: XLSXRowSource.maxSharedStringBytes, reader)
        if reader.tooMany { throw .tooManyStrings(XLSXRowSource.maxSharedStrings) }
        if let index = reader.tooLong { throw .stringTooLong(index: index) }
        sharedStrings = reader.strings
    }

    /// Which cell styles show dates: built-in formats 14–22 and 45–47, and custom ones
    /// whose code has a year, month or day outside quotes and brackets.
    private func readStyles() throws(WorkbookProblem) {
        guard archive["xl/styles.xml"] != nil else { return }
        var custom: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        try parse("xl/styles.xml", limit: 64 << 20, XMLStream.Callbacks(
            start: { name, attributes in
                if XMLStream.equals(name, "numFmt"), let id = attributes.string("numFmtId").flatMap(Int.init),
                   let code = attributes.string("formatCode") {
                    custom[id] = Workbook.isDateFormat(code)
                } else if XMLStream.equals(name, "cellXfs") {
                    inCellXfs = true
                } else if inCellXfs && XMLStream.equals(name, "xf") {
                    let id = attributes.string("numFmtId").flatMap(Int.init) ?? 0
                    styles.append(custom[id] ?? ((14...22).contains(id) || (45...47).contains(id)))
                }
            },
            end: { name in if XMLStream.equals(name, "cellXfs") { inCellXfs = false } }))
        dateStyles = styles
    }

    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false
        var bracket = false
        for character in code.lowercased() {
            switch character {
            case "\"": quoted.toggle()
            case "[": bracket = true
            case "]": bracket = false
            case "y", "m", "d", "h", "s":
                if !quoted && !bracket { return true }
            default: continue
            }
        }
        return false
    }

    /// Streams the rows of a sheet to `sink`, in order, each with its blank cells filled
    /// in. The sink may throw ``WorkbookProblem/stop`` to end early.
    func rows(of sheet: Sheet, progress: (@Sendable (ReadProgress) -> Void)?, into sink: some SheetRowSink) throws(WorkbookProblem) {
        var lastProgress = 0
        let file = path
        try sharedStrings.bytes.withUnsafeBufferPointer { (stringBytes) throws(WorkbookProblem) in
            try sharedStrings.ends.withUnsafeBufferPointer { (stringEnds) throws(WorkbookProblem) in
                let parser = SheetParser(sink: sink, stringBytes: stringBytes, stringEnds: stringEnds, dateStyles: dateStyles, date1904: date1904)
                try parse(sheet.part, limit: XLSXRowSource.maxSheetBytes, progress: { done, total in
                    if done - lastProgress > 8 << 20 || done == total {
                        lastProgress = done
                        progress?(ReadProgress(file: file, bytesRead: done, totalBytes: total))
                    }
                }, parser)
                if let stopped = parser.stopped { throw stopped }
            }
        }
    }

    enum CellType {
        case number, shared, inline, formula, boolean, error, date

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            switch String(decoding: bytes, as: UTF8.self) {
            case "s": self = .shared
            case "inlineStr": self = .inline
            case "str": self = .formula
            case "b": self = .boolean
            case "e": self = .error
            case "d": self = .date
            default: self = .number
            }
        }
    }

    /// A number cell's text as Excel shows it: whole numbers without ".0" or exponent up
    /// to 15 digits, a date style's serial as 2024-05-01.
    static func number(_ value: UnsafeBufferPointer<UInt8>, isDate: Bool, date1904: Bool) -> String? {
        let text = String(decoding: value, as: UTF8.self)
        guard let number = Double(text) else { return nil }
        // A date style's serial, if Excel could show it as a date (0 to 9999-12-31): Excel
        // shows "#####" for any other, and it is kept as a number here (a serial of 1e300
        // or NaN trapped when made an Int).
        if isDate && number >= 0 && number < (date1904 ? Self.lastDateSerial - Self.date1904Offset : Self.lastDateSerial) {
            return date(number, date1904: date1904)
        }
        if number == number.rounded() && abs(number) < 1e15 { return String(Int64(number)) }
        if text.contains("E") || text.contains("e") { return String(format: "%.15G", number) }
        return nil
    }

    /// The serial after 9999-12-31, the last day Excel shows (1900 date system).
    static let lastDateSerial = 2_958_466.0
    /// Days from the 1900 system's day 0 to the 1904 system's.
    static let date1904Offset = 1462.0

    /// A serial date as ISO text: 45413 → 2024-05-01; with a time, 2024-05-01 08:30.
    /// `serial` is in `0 ..< lastDateSerial`.
    static func date(_ serial: Double, date1904: Bool) -> String {
        var days = Int(serial.rounded(.down))
        let seconds = Int(((serial - Double(days)) * 86_400).rounded())
        // Excel's 1900 system counts a 29 February 1900 that never was.
        if date1904 {
            days += Int(date1904Offset)
        } else if days < 61 {
            days += 1
        }
        // Days since 1899-12-30; 1970-01-01 is serial 25569.
        let (year, month, day) = CalendarDay.civil(fromDays: days - 25_569)
        var text = String(format: "%04d-%02d-%02d", year, month, day)
        if seconds > 0 && seconds < 86_400 {
            text += String(format: " %02d:%02d", seconds / 3600, seconds % 3600 / 60)
        }
        return text
    }

    /// A non-negative decimal attribute (`s="12"`, `r="7"`); 0 when it is not one.
    @inline(__always)
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var result = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57, result < Int.max / 10 - 10 else { return 0 }
            result = result * 10 + Int(byte - 48)
        }
        return result
    }

    /// The 0-based column of a cell reference: "D7" → 3, "AA12" → 26.
    static func column(of reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for var byte in reference {
            if byte >= 97 && byte <= 122 { byte -= 32 }  // a lower-case reference, as some writers give
            guard byte >= 65 && byte <= 90 else { break }
            column = column * 26 + Int(byte - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : column - 1
    }
}

/// The shared-string table as one buffer: string `i` is `bytes[ends[i-1]..<ends[i]]`.
/// Held whole (it is the only part that is), so kept compact: no String per entry.
struct SharedStrings {
    var bytes: [UInt8] = []
    /// Offsets into ``bytes`` (at most 512 MB: ``XLSXRowSource/maxSharedStringBytes``).
    var ends: [UInt32] = []

    var count: Int { ends.count }

    /// Reads `xl/sharedStrings.xml`: each `<si>` the text of its `<t>` runs, phonetic
    /// runs (`<rPh>`, furigana) left out.
    final class Reader: XMLStreamHandler {
        @exclusivity(unchecked) var strings = SharedStrings()
        /// Whether the table holds more than `limit` strings (the rest are not kept).
        @exclusivity(unchecked) private(set) var tooMany = false
        /// The first string longer than ``XLSXRowSource/maxSharedStringLength`` (0-based).
        @exclusivity(unchecked) private(set) var tooLong: Int?
        let limit: Int
        var isDone: Bool { tooMany || tooLong != nil }

        init(limit: Int = XLSXRowSource.maxSharedStrings) {
            self.limit = limit
        }
        @exclusivity(unchecked) private var inText = false
        @exclusivity(unchecked) private var inPhonetic = false

        func start(_ name: UnsafeBufferPointer<UInt8>, _ attributes: XMLStream.Attributes) {
            if XMLStream.equals(name, "t") {
                inText = !inPhonetic
            } else if XMLStream.equals(name, "rPh") {
                inPhonetic = true
            } else if XMLStream.equals(name, "sst"), let count = attributes.string("uniqueCount").flatMap(Int.init) {
                strings.ends.reserveCapacity(min(count, 10_000_000, limit))
            }
        }

        func end(_ name: UnsafeBufferPointer<UInt8>) {
            if XMLStream.equals(name, "si") {
                guard strings.ends.count < limit else { tooMany = true; return }
                strings.ends.append(UInt32(strings.bytes.count))
            } else if XMLStream.equals(name, "t") {
                inText = false
            } else if XMLStream.equals(name, "rPh") {
                inPhonetic = false
            }
        }

        func text(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard inText && strings.ends.count < limit && tooLong == nil else { return }
            strings.bytes.append(contentsOf: bytes)
            if strings.bytes.count - Int(strings.ends.last ?? 0) > XLSXRowSource.maxSharedStringLength { tooLong = strings.ends.count }
        }
    }
}

/// The state machine over a sheet's SAX events: builds each row's cells, as bytes and
/// fields in column order with blanks filled in, and hands the row to the sink at `</row>`.
/// The buffers are reused from row to row, so a sheet is read without an allocation per cell.
final class SheetParser<Sink: SheetRowSink>: XMLStreamHandler {
    let sink: Sink
    /// The shared strings (``SharedStrings``), valid while the sheet is parsed.
    let stringBytes: UnsafeBufferPointer<UInt8>
    let stringEnds: UnsafeBufferPointer<UInt32>
    let dateStyles: [Bool]
    let date1904: Bool
    private(set) var stopped: WorkbookProblem?
    var isDone: Bool { stopped != nil }

    @exclusivity(unchecked) private var rowNumber = 0
    @exclusivity(unchecked) private var column = 0
    @exclusivity(unchecked) private var type = Workbook.CellType.number
    @exclusivity(unchecked) private var style = 0
    @exclusivity(unchecked) private var inValue = false
    @exclusivity(unchecked) private var inInline = false
    @exclusivity(unchecked) private var inCell = false
    /// The raw text of the current cell's `<v>` or inline `<t>`.
    @exclusivity(unchecked) private var value: [UInt8] = []
    @exclusivity(unchecked) private var bytes: [UInt8] = []
    @exclusivity(unchecked) private var fields: [CSVScanner.Field] = []
    @exclusivity(unchecked) private var numeric: [Bool] = []

    init(
        sink: Sink, stringBytes: UnsafeBufferPointer<UInt8>, stringEnds: UnsafeBufferPointer<UInt32>, dateStyles: [Bool],
        date1904: Bool
    ) {
        self.sink = sink
        self.stringBytes = stringBytes
        self.stringEnds = stringEnds
        self.dateStyles = dateStyles
        self.date1904 = date1904
        value.reserveCapacity(256)
        bytes.reserveCapacity(8_192)
        fields.reserveCapacity(64)
        numeric.reserveCapacity(64)
    }

    @inline(__always)
    private static func isName(_ name: UnsafeBufferPointer<UInt8>, _ letter: UInt8) -> Bool {
        name.count == 1 && name[0] == letter
    }

    func start(_ name: UnsafeBufferPointer<UInt8>, _ attributes: XMLStream.Attributes) {
        guard stopped == nil else { return }
        if Self.isName(name, UInt8(ascii: "c")) {
            column = fields.count
            type = .number
            style = 0
            attributes.forEachShort { name, value in
                switch name {
                case UInt8(ascii: "r"):
                    // A reference is 1 to 3 letters, up to XFD, Excel's last column: any
                    // other is no cell of a valid workbook (it was read into a wrong column,
                    // or dropped).
                    if let parsed = Workbook.column(of: value), parsed < DelimitedReading.maxHeaderColumns {
                        column = parsed
                    } else if stopped == nil {
                        stopped = .badCell(
                            row: rowNumber, column: fields.count + 1, reference: String(decoding: value.prefix(40), as: UTF8.self),
                            problem: "is not a cell reference up to XFD, Excel's last column")
                    }
                case UInt8(ascii: "t"): type = value.count == 1 && value[0] == UInt8(ascii: "s") ? .shared : Workbook.CellType(value)
                case UInt8(ascii: "s"): style = Workbook.decimal(value)
                default: break
                }
            }
            value.removeAll(keepingCapacity: true)
            inCell = true
        } else if Self.isName(name, UInt8(ascii: "v")) {
            inValue = inCell
        } else if XMLStream.equals(name, "is") {
            inInline = inCell
        } else if Self.isName(name, UInt8(ascii: "t")) {
            inValue = inInline
        } else if XMLStream.equals(name, "row") {
            rowNumber = attributes.value("r").map(Workbook.decimal).flatMap { $0 > 0 ? $0 : nil } ?? (rowNumber + 1)
            bytes.removeAll(keepingCapacity: true)
            fields.removeAll(keepingCapacity: true)
            numeric.removeAll(keepingCapacity: true)
        }
    }

    func end(_ name: UnsafeBufferPointer<UInt8>) {
        guard stopped == nil else { return }
        if Self.isName(name, UInt8(ascii: "v")) || Self.isName(name, UInt8(ascii: "t")) {
            inValue = false
        } else if Self.isName(name, UInt8(ascii: "c")) {
            finishCell()
            inCell = false
        } else if XMLStream.equals(name, "is") {
            inInline = false
        } else if XMLStream.equals(name, "row") {
            do throws(WorkbookProblem) {
                try bytes.withUnsafeBufferPointer { base throws(WorkbookProblem) in
                    try fields.withUnsafeBufferPointer { cells throws(WorkbookProblem) in
                        try numeric.withUnsafeBufferPointer { flags throws(WorkbookProblem) in
                            try sink.row(number: rowNumber, bytes: base, fields: cells, numeric: flags)
                        }
                    }
                }
            } catch {
                stopped = error
            }
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    @inline(__always)
    func text(_ piece: UnsafeBufferPointer<UInt8>) {
        guard inValue else { return }
        guard bytes.count + value.count + piece.count <= XLSXRowSource.maxRowBytes else {
            if stopped == nil { stopped = .rowTooLarge(row: rowNumber) }
            return
        }
        value.append(contentsOf: piece)
    }

    /// Appends the finished cell's text at its column, blank columns before it filled in.
    private func finishCell() {
        guard column < DelimitedReading.maxHeaderColumns else { return }
        let start = bytes.count
        var isNumber = false
        switch type {
        case .shared:
            // The index of a string of the table: anything else (not a number, past the
            // table's end) was read as the first string, or as a blank.
            // (Spaces and line breaks around the number are allowed, as XML Schema allows.)
            var (first, last) = (0, value.count)
            while first < last && Self.isSpace(value[first]) { first += 1 }
            while last > first && Self.isSpace(value[last - 1]) { last -= 1 }
            guard last > first, last - first <= 18, value[first..<last].allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  case let index = value.withUnsafeBufferPointer({ Workbook.decimal(UnsafeBufferPointer(rebasing: $0[first..<last])) }),
                  index < stringEnds.count else {
                if !value.isEmpty, stopped == nil {
                    stopped = .badCell(
                        row: rowNumber, column: column + 1, reference: "\(FileLocation.columnName(column + 1))\(rowNumber)",
                        problem: "refers to shared string '\(Diagnostic.quoted(String(decoding: value.prefix(40), as: UTF8.self)))', but the table holds \(NumberText.grouped(stringEnds.count))")
                }
                break
            }
            let start = index == 0 ? 0 : Int(stringEnds[index - 1])
            guard bytes.count + Int(stringEnds[index]) - start <= XLSXRowSource.maxRowBytes else {
                if stopped == nil { stopped = .rowTooLarge(row: rowNumber) }
                break
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: stringBytes[start..<Int(stringEnds[index])]))
        case .boolean:
            bytes.append(contentsOf: value == [0x31] ? Array("TRUE".utf8) : Array("FALSE".utf8))
        case .inline, .formula, .error, .date:
            bytes.append(contentsOf: value)
        case .number:
            isNumber = !value.isEmpty
            let isDate = style < dateStyles.count && dateStyles[style]
            if !isDate && value.count <= 15 && value.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                bytes.append(contentsOf: value)
            } else if let text = value.withUnsafeBufferPointer({ Workbook.number($0, isDate: isDate, date1904: date1904) }) {
                bytes.append(contentsOf: text.utf8)
            } else {
                bytes.append(contentsOf: value)
            }
        }
        let field = CSVScanner.Field(start: start, end: bytes.count, quoted: false)
        if column < fields.count {
            // A cell out of order takes the blank left for it. One written twice would lose
            // the first value: Excel writes no such row, so the workbook is damaged.
            if fields[column].end > fields[column].start, stopped == nil {
                stopped = .badCell(
                    row: rowNumber, column: column + 1, reference: "\(FileLocation.columnName(column + 1))\(rowNumber)",
                    problem: "is written twice in its row; the first value would be lost")
            }
            fields[column] = field
            numeric[column] = isNumber
            return
        }
        while fields.count < column {
            fields.append(CSVScanner.Field(start: start, end: start, quoted: false))
            numeric.append(false)
        }
        fields.append(field)
        numeric.append(isNumber)
    }
}
