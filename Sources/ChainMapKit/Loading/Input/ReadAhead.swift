import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first block of a delimited lead file, read on a thread of its own while a run
/// loads its chains and compiles their keywords (``ChainPipeline``), and taken by the
/// read of that file (``ReadingOptions/readAhead``).
///
/// A screening's start runs on one processor: the chain files, the analysis, then each
/// chain's keywords expanded into their spellings and compiled. Reading a large file's
/// first block came after it, on one processor too: a buffer of 4 MiB made (and its pages
/// faulted in), the block read into it. Now the second processor does that meanwhile
/// (docs/performance.md, thirty-sixth pass).
///
/// What is read ahead is exactly what ``DelimitedReading`` reads first, through the same
/// descriptor that then reads the rest, so that the read gives the same rows, counts and
/// diagnostics. Only a regular file is read ahead (standard input and pipes are read
/// only by their read), and nothing is kept when anything fails (the file cannot be
/// opened, is not a delimited file, a read fails): the read then opens the file itself,
/// and says what is wrong as before. A block that no read takes is released, and its
/// descriptor closed, with this object.
public final class ReadAhead: Sendable, Hashable {
    /// The file as named, as the read names it.
    public let path: String
    private let pending: Parallel.Pending<Start?>
    /// Whether the block was taken (or given up): it is handed over once.
    private let taken = Mutex(false)

    /// What was read: the open file, its `fstat`, the buffer and how much of it holds the
    /// file, as ``DelimitedReading/read(path:consumer:options:progress:)`` has them after
    /// its first reads. Handed from the reading-ahead thread to one reader, never shared.
    struct Start: @unchecked Sendable {
        var input: ByteInput
        var info: stat
        var buffer: [UInt8]
        var length: Int
        var eof: Bool
    }

    /// Starts reading the first block of `path` with `options` (its block size), on a
    /// thread of its own; nothing is read for `-` (standard input).
    public init(path: String, options: ReadingOptions) {
        self.path = path
        let blockSize = options.blockSize
        pending = Parallel.Pending { path == "-" ? nil : Self.start(path, options: options, blockSize: blockSize) }
    }

    deinit {
        // Not taken: the descriptor is closed here (its thread joined first).
        if taken.withLock({ $0 }) { return }
        if let start = pending.take() { close(start.input.fd) }
    }

    /// The block read ahead, when it is of `path` and not taken yet (once).
    func take(_ path: String) -> Start? {
        guard path == self.path, taken.withLock({ taken in defer { taken = true }; return !taken }) else { return nil }
        return pending.take()
    }

    /// Whether the block was taken by a read (for tests).
    var wasTaken: Bool { taken.withLock { $0 } }

    /// The descriptor of the file read ahead, once it is read; nil when nothing was (for
    /// tests).
    var descriptorForTests: Int32? { pending.value?.input.fd }

    /// The file's first block as the read would read it, or nil (closing what it
    /// opened) when it is no regular delimited file or a read fails.
    private static func start(_ path: String, options: ReadingOptions, blockSize: Int) -> Start? {
        // Looked at before it is opened: opening a FIFO waits for its writer, and what a
        // pipe gives up here its read would miss.
        guard FileSystem.isRegularFile(path) else { return nil }
        // A workbook or a YAML lead file is read by its own reader.
        guard InputFormats.source(for: path, options: options) is DelimitedRowSource else { return nil }
        // Non-blocking, should the name be a FIFO by now; no different for a regular file.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        var input = ByteInput(fd: fd)
        let (buffer, length, eof) = DelimitedReading.firstBlock(of: &input, total: Int(info.st_size), blockSize: blockSize)
        guard input.failure == nil else {
            close(fd)
            return nil
        }
        return Start(input: input, info: info, buffer: buffer, length: length, eof: eof)
    }

    public static func == (a: ReadAhead, b: ReadAhead) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
