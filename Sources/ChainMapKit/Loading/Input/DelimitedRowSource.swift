import CTextScan
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV or TSV file, read as a stream: this thread cuts the file into blocks of whole
/// records, and worker threads transcode, split and check each block's rows and hand
/// them to the consumer. Memory holds a few blocks and what the consumer keeps, whatever
/// the file's size.
///
/// The encoding (UTF-8 with or without a BOM, GB18030/GBK, UTF-16) and the delimiter are
/// detected; the header is the first of the first 20 rows that the consumer recognises.
public struct DelimitedRowSource: RowSource {
    public let file: String
    public var options: ReadingOptions

    /// The file at `path` (`-` reads standard input).
    public init(path: String, options: ReadingOptions = ReadingOptions()) {
        self.file = path
        self.options = options
    }

    public func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        DelimitedReading.read(path: file, consumer: consumer, options: options, progress: progress)
    }
}

/// The reading of one delimited file (see ``DelimitedRowSource``).
enum DelimitedReading {
    /// One block of whole records.
    struct Chunk: Sendable {
        var index: Int
        /// Where the bytes are; records are `bytes[start ..< ends.last]`.
        var bytes: Bytes
        var start: Int
        /// The offset of each record's line end (its LF, or the end of input).
        var ends: [Int]
        /// Whether each record may hold a quote (false: it has none).
        var quoted: [Bool]
        /// When the last record is the start of a line longer than any line may be
        /// (``ReadingOptions/maxLineBytes``), cut there: that limit. The record is
        /// reported, not read, and the rest of its line is skipped by the reader.
        var overlong: Int?

        /// A block's bytes: read into a buffer, or in a mapping of the file.
        enum Bytes: Sendable {
            case buffer(ChunkBuffer)
            case window(MappedWindow)
        }
    }

    /// Everything a worker needs, shared by all blocks of a file.
    struct Context<Consumer: RowConsumer>: Sendable {
        var file: String
        var consumer: Consumer
        var layout: Consumer.Layout
        var gate: RowGate
        var headerCount: Int
        var delimiter: UInt8
        var encoding: LeadFileEncoding
        /// Whether a mapped block was found cut short (``MappedWindow``).
        var mappedCut = MappedCut()
        /// The file's size, when it is a regular file (``ThreadHeap/reserve(forBlock:ofInput:)``).
        var size: Int?
    }

    /// Whether the file was found cut short under a mapped block, by the worker that let
    /// the block go.
    final class MappedCut: Sendable {
        private let cut = Atomic(false)
        func mark() { cut.store(true, ordering: .relaxed) }
        var found: Bool { cut.load(ordering: .relaxed) }
    }

    /// What a worker found in one block. Line numbers in it count from 0 at the block's
    /// first line (the reader does not count lines, so that it never waits on them); the
    /// merge adds the block's first line.
    struct ChunkOutcome<Batch: RowBatch>: Sendable {
        /// Lines the block spans.
        var lines = 0
        var batch: Batch
        var log = RowLog()
    }

    /// The most columns a header row may have: Excel's own limit (column XFD).
    static let maxHeaderColumns = 16_384
    /// For tests: what to do once the first block of a file (by path) is mapped, before
    /// it is read (a test cuts the file short there).
    static let afterFirstWindow = Mutex<[String: @Sendable () -> Void]>([:])

    /// The smallest first block of a file whose size is known (`read`).
    static let smallestBlock = 64 << 10

    /// The blocks finished so far, folded in file order.
    struct Fold<Batch: RowBatch>: Sendable {
        var batch: Batch?
        var log = RowLog()
        /// The index of the next block to fold.
        var next = 0
        var firstLine: Int

        init(firstLine: Int) {
            self.firstLine = firstLine
        }

        /// Folds in block `next`.
        mutating func fold(_ outcome: consuming ChunkOutcome<Batch>) {
            var outcome = outcome
            outcome.batch.shiftLines(by: firstLine)
            outcome.log.shiftLines(by: firstLine)
            firstLine += outcome.lines
            log.merge(outcome.log)
            next += 1
            // The outcome consumed, so that its batch is held once when absorbed.
            if batch == nil { batch = (consume outcome).batch } else { batch!.absorb((consume outcome).batch) }
        }
    }

    /// The workers' outcomes, folded in file order as they finish: one that finishes
    /// early waits for the ones before it. The folding (a merge of two batches, which
    /// under a cap sorts and cuts) is done outside the lock, by one worker at a time, so
    /// that the others hand in their blocks and go on meanwhile.
    final class OrderedFold<Batch: RowBatch>: Sendable {
        private struct State: Sendable {
            /// nil while a worker folds.
            var fold: Fold<Batch>?
            var pending: [Int: ChunkOutcome<Batch>] = [:]
        }
        private let state: Mutex<State>

        init(firstLine: Int) {
            state = Mutex(State(fold: Fold(firstLine: firstLine)))
        }

        /// Hands in block `index`'s outcome; folds it, and any waiting after it, when the
        /// blocks before it are in and no other worker is folding. Outcomes and the fold
        /// are moved, never copied: a second reference to a batch while it is folded into
        /// would make the fold copy it whole (copy-on-write).
        func add(_ outcome: consuming ChunkOutcome<Batch>, index: Int) {
            var handed: ChunkOutcome<Batch>? = outcome
            var fold: Fold<Batch>? = state.withLock { state in
                state.pending[index] = handed.take()
                guard let next = state.fold?.next, state.pending[next] != nil else { return nil }
                return state.fold.take()
            }
            while fold != nil {
                let next = fold!.next
                var ready = state.withLock { $0.pending.removeValue(forKey: next) }
                if ready != nil {
                    fold!.fold(ready.take()!)
                    continue
                }
                // Put back, unless the next block came in meanwhile.
                var back = fold.take()
                fold = state.withLock { state in
                    if state.pending[next] != nil { return back.take() }
                    state.fold = back.take()
                    return nil
                }
            }
        }

        /// What was folded, taken out (so that its batch has one owner), once every block
        /// is in and its worker done.
        func take() -> Fold<Batch> {
            state.withLock { state in
                precondition(state.fold != nil, "taken while a worker folds")
                defer { state.fold = Fold(firstLine: 0) }
                return state.fold!
            }
        }
    }

    // MARK: Reading

    static func read<Consumer: RowConsumer>(
        path: String, consumer: Consumer, options: ReadingOptions, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        let clock = ContinuousClock()
        let began = clock.now
        var result = RowRead<Consumer.Batch>(summary: RowSourceSummary(file: path, format: "CSV"))
        func fail(_ message: String, line: Int = 1, column: Int = 1) -> RowRead<Consumer.Batch> {
            result.diagnostics.append(.error(.input, message, at: .init(file: path, line: line, column: column)))
            result.failed = true
            return result
        }

        // The first block read ahead (``ReadAhead``), when it was of this file: its
        // descriptor, `fstat` and first reads are taken as they are.
        var ahead = options.readAhead?.take(path)
        let fd: Int32 = ahead?.input.fd ?? (path == "-" ? 0 : open(path, O_RDONLY))
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            result.diagnostics.append(.error(.input, "cannot read \(path): \(reason)"))
            result.failed = true
            return result
        }
        defer { if fd != 0 { close(fd) } }
        var info = ahead?.info ?? stat()
        let total: Int? = (ahead != nil || fstat(fd, &info) == 0) && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        if (info.st_mode & S_IFMT) == S_IFDIR {
            return fail("\(path) is a directory; name a file (.csv, .tsv or .yaml)")
        }

        let pool = BufferPool(size: options.blockSize)
        var input: ByteInput
        var buffer: [UInt8]
        var length: Int
        var eof: Bool
        if var start = ahead.take() {
            (input, length, eof) = (start.input, start.length, start.eof)
            // Moved out, so that no second reference makes a later fill copy it.
            buffer = []
            swap(&buffer, &start.buffer)
        } else {
            input = ByteInput(fd: fd)
            (buffer, length, eof) = Self.firstBlock(of: &input, total: total, blockSize: options.blockSize)
        }
        if let failure = input.failure { return fail("cannot read \(path): \(failure)") }
        if length == 0 { return fail("file is empty; it needs a header row such as \(consumer.exampleHeader)") }
        if let kind = InputFormats.spreadsheetKind(Array(buffer.prefix(8))) {
            // A .xlsx that reached here came through standard input, which is read as CSV.
            let fix = kind == "XLSX" ? "name the file with --leads instead of piping it" : "save it as .xlsx or CSV (另存为 → Excel 工作簿 或 CSV UTF-8)"
            return fail("\(path) is an Excel workbook (\(kind)), not CSV; \(fix)")
        }

        // Encoding.
        var start = 0
        var encoding = options.encoding ?? detectEncoding(buffer, length: length)
        if buffer.starts(with: TextDecoding.utf8BOM) {
            start = 3
            if options.encoding == nil { encoding = LeadFileEncoding(name: "UTF-8", bom: true) }
        } else if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) {
            let little = buffer[0] == 0xFF
            start = 2
            if options.encoding == nil || options.encoding?.isUTF16 == true {
                encoding = LeadFileEncoding(name: little ? "UTF-16LE" : "UTF-16BE", bom: true)
            }
        }
        if encoding.isUTF16 {
            guard input.transcode(from: encoding.name) else { return fail("iconv cannot read \(encoding.name) on this system") }
            let raw = Array(buffer[start..<length])
            var converted = input.convert(raw[...], final: eof)
            if converted.count > buffer.count { buffer = [UInt8](repeating: 0, count: converted.count) }
            buffer.replaceSubrange(0..<converted.count, with: converted)
            length = converted.count
            converted = []
            start = 0
        } else if !encoding.isUTF8, Transcoder(from: encoding.name) == nil {
            return fail("iconv cannot read \(encoding.name) on this system")
        }
        result.summary.encoding = encoding

        if !buffer[start..<length].contains(CSVScanner.lf), buffer[start..<length].contains(CSVScanner.cr) {
            return fail("lines end in CR only (saved by an old Mac Excel); save the file again as CSV UTF-8")
        }
        let delimiter = detectDelimiter(buffer[start..<length], path: path)
        result.summary.format = delimiter == 0x09 ? "TSV" : "CSV"

        // The header row: the first of the first 20 rows that names the enterprise.
        var ends: [Int] = []
        _ = buffer.withUnsafeBufferPointer { b in
            CSVScanner.recordEnds(
                b.baseAddress!, from: start, count: length, delimiter: delimiter, atEnd: eof,
                maxRecordBytes: options.maxRecordBytes, maxRecords: 20, into: &ends)
        }
        // A header row must end within the first block and hold at most Excel's 16,384
        // columns: say so, rather than that no row names the enterprise.
        if ends.isEmpty && !eof {
            let columns = 1 + buffer[start..<length].reduce(0) { $0 + ($1 == delimiter ? 1 : 0) }
            return fail(
                "the first line is longer than \(options.blockSize >> 20) MB (more than \(NumberText.grouped(columns)) columns) and does not end there; a header row may have at most \(NumberText.grouped(Self.maxHeaderColumns)) columns (Excel's limit)")
        }
        var layout: Consumer.Layout?
        var header: [String] = []
        var headerStart = start
        var headerEnd = start
        var firstRows: [[String]] = []
        var recordStart = start
        for end in ends {
            let cells = headerCells(buffer, start: recordStart, end: end, delimiter: delimiter, encoding: encoding)
            defer { recordStart = end + 1 }
            if cells.count > Self.maxHeaderColumns {
                let line = buffer.withUnsafeBufferPointer { 1 + countLF($0.baseAddress!, from: start, to: recordStart) }
                return fail(
                    "row has \(NumberText.grouped(cells.count)) columns; a header row may have at most \(NumberText.grouped(Self.maxHeaderColumns)) (Excel's limit)",
                    line: line)
            }
            if cells.allSatisfy({ LeadColumns.trimmed($0).isEmpty }) { continue }
            firstRows.append(cells)
            if let found = consumer.layout(forHeader: cells) {
                layout = found
                header = cells.map(LeadColumns.trimmed)
                headerStart = recordStart
                headerEnd = end
                break
            }
        }
        guard let layout else {
            return fail(consumer.missingHeader(firstRow: firstRows.first ?? []))
        }
        let headerLine = buffer.withUnsafeBufferPointer { 1 + countLF($0.baseAddress!, from: start, to: headerStart) }
        let dataLine = buffer.withUnsafeBufferPointer { 1 + countLF($0.baseAddress!, from: start, to: min(headerEnd + 1, length)) }
        if headerLine > 1 {
            result.diagnostics.append(.warning(
                .input, "the header row is line \(headerLine); the \(headerLine - 1) line(s) above it are not data and were skipped",
                at: .init(file: path, line: headerLine, column: 1)))
        }
        result.summary.header = header
        result.summary.headerLocation = .init(file: path, line: headerLine, column: 1)

        let context = Context(
            file: path, consumer: consumer, layout: layout,
            gate: RowGate(consumer, layout: layout, header: header), headerCount: header.count,
            delimiter: delimiter, encoding: encoding, size: total)

        // The pipeline: this thread reads and cuts; workers check and consume; each
        // finished block is folded, in file order, into one batch as soon as the blocks
        // before it are, so that what a capped consumer holds stays bounded.
        let outcomes = OrderedFold<Consumer.Batch>(firstLine: dataLine)
        // A regular file of three blocks or more, in UTF-8 or a legacy encoding (its
        // workers convert the blocks), has its middle read through mappings
        // (``MappedWindow``), unless a line may be cut for its length within a block (a
        // test's limits): where a line is cut depends on where blocks end.
        let mapsWindows = options.mapsFiles && !encoding.isUTF16 && (total ?? 0) / 3 >= options.blockSize
            && options.maxLineBytes >= options.blockSize && chainmap_mapped_windows_supported() != 0
        // Blocks in flight: one per worker and one waiting, so that no worker idles while
        // this thread fills the next. Two per worker held 4 MiB more and went no faster.
        let slots = DispatchSemaphore(value: max(2, options.workers + 1))
        let group = DispatchGroup()
        let queue = DispatchQueue.global(qos: .userInitiated)
        var position = min(headerEnd + 1, length)
        var index = 0
        /// Hands a block to a worker, once one of the slots is free.
        func dispatch(_ chunk: Chunk) {
            slots.wait()
            queue.async(group: group) {
                outcomes.add(process(chunk, context, pool: pool), index: chunk.index)
                slots.signal()
            }
        }
        ends = []
        var quoted: [Bool] = []
        // After a line cut for its length: the rest of it, up to its LF, is dropped.
        var skippingLine = false
        while true {
            ends.removeAll(keepingCapacity: true)
            quoted.removeAll(keepingCapacity: true)
            if skippingLine {
                let lineEnd = buffer.withUnsafeBufferPointer { TextSearch.offset(of: CSVScanner.lf, in: $0.baseAddress!, from: position, to: length) }
                skippingLine = lineEnd == length
                position = min(lineEnd + 1, length)
            }
            let cut = buffer.withUnsafeBufferPointer { b in
                CSVScanner.recordEnds(
                    b.baseAddress!, from: position, count: length, delimiter: delimiter, atEnd: eof,
                    maxRecordBytes: options.maxRecordBytes, maxLineBytes: options.maxLineBytes, into: &ends, quoted: &quoted)
            }
            // Before the end of input, a record ends at the end of the data only when its
            // line outgrew any record without an LF (`recordEnds` cuts it there).
            let overlong = !eof && ends.last == length
            if overlong { skippingLine = true }
            // The incomplete record at the end starts the next buffer.
            var next: [UInt8] = []
            if !eof {
                let carry = length - cut
                next = pool.take(atLeast: carry + options.blockSize / 2)
                if carry > 0 {
                    next.withUnsafeMutableBufferPointer { target in
                        buffer.withUnsafeBufferPointer { source in
                            target.baseAddress!.update(from: source.baseAddress! + cut, count: carry)
                        }
                    }
                }
                length = carry
            }
            if ends.isEmpty {
                pool.give(buffer)
            } else {
                let chunk = Chunk(
                    index: index, bytes: .buffer(ChunkBuffer(buffer)), start: position, ends: ends, quoted: quoted,
                    overlong: overlong ? options.maxLineBytes : nil)
                index += 1
                if eof && chunk.index == 0 {
                    // The whole file in one block: checked here, without waking a worker.
                    outcomes.add(process(chunk, context, pool: pool), index: chunk.index)
                    break
                }
                dispatch(chunk)
            }
            // Moved, not copied: a second reference left in `next` would make the fill
            // below copy the whole block first (copy-on-write).
            buffer = consume next
            if eof { break }
            if mapsWindows && !skippingLine {
                // The blocks of the file's middle read through mappings of it, from where
                // the incomplete record starts; a block that is not cut as a whole window
                // (a record longer than the window, a line cut for its length) and the
                // file's last part are read as before, from where the windows stopped.
                let from = input.rawBytesRead - length
                var at = from
                while at + options.blockSize <= total ?? 0 {
                    let mapped = chainmap_map_window(fd, Int64(at), options.blockSize, 1)
                    guard let bytes = mapped.bytes else { break }
                    let window = MappedWindow(bytes: bytes, count: options.blockSize, slot: mapped.slot)
                    if at == from, let hook = Self.afterFirstWindow.withLock({ $0[path] }) { hook() }
                    ends.removeAll(keepingCapacity: true)
                    quoted.removeAll(keepingCapacity: true)
                    let cut = CSVScanner.recordEnds(
                        bytes, from: 0, count: window.count, delimiter: delimiter, atEnd: false,
                        maxRecordBytes: options.maxRecordBytes, maxLineBytes: options.maxLineBytes, into: &ends, quoted: &quoted)
                    if ends.isEmpty || ends.last == window.count {
                        if window.release() { context.mappedCut.mark() }
                        break
                    }
                    dispatch(Chunk(index: index, bytes: .window(window), start: 0, ends: ends, quoted: quoted, overlong: nil))
                    index += 1
                    at += cut
                    result.summary.mappedBytes += cut
                    progress?(ReadProgress(file: path, bytesRead: at, totalBytes: total))
                }
                if at != from {
                    guard input.seek(to: at) else {
                        group.wait()
                        return fail("cannot read \(path): \(input.failure ?? "seek failed")")
                    }
                    length = 0
                }
            }
            (length, eof) = input.fill(&buffer, from: length)
            if let failure = input.failure {
                group.wait()
                return fail("cannot read \(path): \(failure)")
            }
            position = 0
            progress?(ReadProgress(file: path, bytesRead: input.rawBytesRead, totalBytes: total))
        }
        group.wait()
        if context.mappedCut.found {
            return fail("\(path) was cut short while it was read (another program changed it), or part of it could not be read from the disk; read it again once it is written")
        }
        progress?(ReadProgress(file: path, bytesRead: input.rawBytesRead, totalBytes: total))
        result.summary.bytes = input.rawBytesRead

        // Folded in file order, so that output and diagnostics do not depend on timing.
        let fold = outcomes.take()
        let log = fold.log
        if let batch = fold.batch { result.batches = [batch] }
        result.summary.counts = log.counts
        result.diagnostics += log.diagnostics
        result.summary.seconds = Double.seconds(clock.now - began)
        return result
    }

    /// The first block of a file (`total` bytes when it is a regular file): read into a
    /// new buffer of the block's size, until it is full or the input ends. A regular file
    /// smaller than a block is read into a buffer of its size and one byte more (at least
    /// 64 KiB), where one `read` fills it and the next finds its end: a ledger or a roster
    /// of a few kilobytes does not zero (and fault in) 4 MiB first, which took 2.5 ms of
    /// each `render` of a chain that names one. A file that grew since `fstat` gets its
    /// whole first block, as any other input does. ``ReadAhead`` reads the same.
    static func firstBlock(of input: inout ByteInput, total: Int?, blockSize: Int) -> (buffer: [UInt8], length: Int, eof: Bool) {
        var buffer: [UInt8]
        if let total, total < blockSize - 1 {
            buffer = [UInt8](repeating: 0, count: min(blockSize, max(total + 1, smallestBlock)))
        } else {
            buffer = [UInt8](repeating: 0, count: blockSize)
        }
        var (length, eof) = input.fill(&buffer, from: 0)
        if !eof && buffer.count < blockSize && input.failure == nil {
            buffer.append(contentsOf: repeatElement(0, count: blockSize - buffer.count))
            (length, eof) = input.fill(&buffer, from: length)
        }
        return (buffer, length, eof)
    }

    /// The cells of a header candidate, transcoded when needed.
    static func headerCells(_ buffer: [UInt8], start: Int, end: Int, delimiter: UInt8, encoding: LeadFileEncoding) -> [String] {
        var record = Array(buffer[start..<end])
        if record.last == CSVScanner.cr { record.removeLast() }
        if !encoding.isUTF8 && !encoding.isUTF16, let transcoder = Transcoder(from: encoding.name) {
            var output: [UInt8] = []
            var bad: [(offset: Int, byte: UInt8)] = []
            record.withUnsafeBufferPointer { _ = transcoder.convert($0.baseAddress!, count: $0.count, final: true, into: &output, bad: &bad) }
            record = output
        }
        var fields: [CSVScanner.Field] = []
        return record.withUnsafeBufferPointer { b -> [String] in
            guard let base = b.baseAddress else { return [""] }
            do {
                try CSVScanner.split(base, start: 0, end: b.count, delimiter: delimiter, into: &fields)
            } catch {
                return [String(decoding: b, as: UTF8.self)]
            }
            return fields.map { CSVScanner.string(base, $0) }
        }
    }

    /// UTF-8 when the first block is (apart from a character cut off at its end), else
    /// GB18030 when that reads it, else UTF-8 (and its bad bytes are reported by row).
    static func detectEncoding(_ buffer: [UInt8], length: Int) -> LeadFileEncoding {
        let sample = buffer.prefix(min(length, 1 << 20))
        let isUTF8 = sample.withUnsafeBufferPointer { CSVScanner.isUTF8Prefix($0.baseAddress!, count: $0.count) }
        if isUTF8 { return .utf8 }
        guard let transcoder = Transcoder(from: "GB18030") else { return .utf8 }
        var output: [UInt8] = []
        var bad: [(offset: Int, byte: UInt8)] = []
        Array(sample).withUnsafeBufferPointer {
            _ = transcoder.convert($0.baseAddress!, count: $0.count, final: false, into: &output, bad: &bad, maxBad: 1)
        }
        return bad.isEmpty ? .gb18030 : .utf8
    }

    /// Tab when the first lines hold more tabs than commas, else comma.
    static func detectDelimiter(_ text: ArraySlice<UInt8>, path: String) -> UInt8 {
        if path.lowercased().hasSuffix(".tsv") { return 0x09 }
        let sample = text.prefix(64 << 10)
        var tabs = 0, commas = 0
        for byte in sample {
            if byte == 0x09 { tabs += 1 } else if byte == 0x2C { commas += 1 }
        }
        return tabs > commas ? 0x09 : 0x2C
    }

    /// The number of LF bytes in `base[from..<to]` (vectorised by the compiler).
    static func countLF(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var n = 0
        for i in from..<max(from, to) { n &+= base[i] == CSVScanner.lf ? 1 : 0 }
        return n
    }
}

/// The buffer of one block, handed from the reader to one worker and then back to the
/// pool. Only one thread uses it at a time: the reader until it dispatches the block,
/// then the worker.
final class ChunkBuffer: @unchecked Sendable {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The bytes, leaving the buffer empty.
    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}

/// A block of a file read through a mapping of it (Sources/CTextScan/mapped_window.c):
/// the middle of a large file is read so, without copying it into a buffer first. A
/// page that the file no longer reaches (another program cut it short meanwhile) reads as
/// zeros instead of ending the process, and ``release()`` says so. Only one thread uses
/// it at a time: the reader until it dispatches the block, then the worker.
final class MappedWindow: @unchecked Sendable {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    private var slot: Int32

    init(bytes: UnsafePointer<UInt8>, count: Int, slot: Int32) {
        self.bytes = bytes
        self.count = count
        self.slot = slot
    }

    /// Unmaps the window; true when a page of it was found cut short.
    func release() -> Bool {
        guard slot >= 0 else { return false }
        defer { slot = -1 }
        return chainmap_unmap_window(slot) != 0
    }

    deinit { _ = release() }
}

/// Read buffers for reuse: a buffer's pages are faulted in once, not once per block.
final class BufferPool: Sendable {
    let size: Int
    private let free = Mutex<[[UInt8]]>([])

    init(size: Int) { self.size = size }

    /// A buffer of at least `count` bytes (its contents are left over from earlier use).
    func take(atLeast count: Int) -> [UInt8] {
        if count <= size, let buffer = free.withLock({ $0.popLast() }) { return buffer }
        return [UInt8](repeating: 0, count: max(size, count))
    }

    /// Returns a buffer for reuse; larger ones made for long records are let go.
    func give(_ buffer: consuming [UInt8]) {
        guard buffer.count == size else { return }
        let returned = consume buffer
        free.withLock { $0.append(returned) }
    }
}

/// Reads a file descriptor into buffers, transcoding UTF-16 to UTF-8 on the way.
struct ByteInput {
    let fd: Int32
    private(set) var rawBytesRead = 0
    private(set) var failure: String?
    private var transcoder: Transcoder?
    private var rawCarry: [UInt8] = []

    init(fd: Int32) { self.fd = fd }

    /// From now on, converts what is read from `encoding` to UTF-8.
    mutating func transcode(from encoding: String) -> Bool {
        transcoder = Transcoder(from: encoding)
        return transcoder != nil
    }

    /// Converts raw bytes (after the BOM) already read, keeping a cut-off character for
    /// the next read.
    mutating func convert(_ raw: ArraySlice<UInt8>, final: Bool) -> [UInt8] {
        guard let transcoder else { return Array(raw) }
        var output: [UInt8] = []
        var bad: [(offset: Int, byte: UInt8)] = []
        let all = rawCarry + raw
        let used = all.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress else { return 0 }
            return transcoder.convert(base, count: b.count, final: final, into: &output, bad: &bad)
        }
        rawCarry = Array(all[used...])
        return output
    }

    /// Moves the reading on to `offset` of the file (past blocks read through mappings).
    mutating func seek(to offset: Int) -> Bool {
        guard lseek(fd, off_t(offset), SEEK_SET) == off_t(offset) else {
            failure = String(cString: strerror(errno))
            return false
        }
        rawBytesRead = offset
        return true
    }

    /// Reads into `buffer[length...]` until the buffer is full or the input ends; returns
    /// the new length and whether the input has ended.
    mutating func fill(_ buffer: inout [UInt8], from length: Int) -> (Int, Bool) {
        if transcoder != nil {
            // UTF-16 takes at most 1.5 times its size in UTF-8: read half the room.
            let room = (buffer.count - length) / 2
            var raw = [UInt8](repeating: 0, count: room)
            let (got, eof) = readRaw(&raw, from: 0)
            let converted = convert(raw[..<got], final: eof)
            buffer.replaceSubrange(length..<(length + converted.count), with: converted)
            return (length + converted.count, eof)
        }
        return readRaw(&buffer, from: length)
    }

    private mutating func readRaw(_ buffer: inout [UInt8], from length: Int) -> (Int, Bool) {
        var count = length
        let capacity = buffer.count
        var error: Int32 = 0
        buffer.withUnsafeMutableBufferPointer { b in
            while count < capacity {
                let n = readFile(fd, b.baseAddress! + count, capacity - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    error = errno
                    break
                }
                if n == 0 { break }
                count += n
            }
        }
        if error != 0 { failure = String(cString: strerror(error)) }
        rawBytesRead += count - length
        return (count, count < capacity)
    }
}

/// `read(2)`, outside any type that has a `read` of its own.
private func readFile(_ fd: Int32, _ buffer: UnsafeMutablePointer<UInt8>, _ count: Int) -> Int {
    read(fd, buffer, count)
}
