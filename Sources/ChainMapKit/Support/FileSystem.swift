import Foundation
import Synchronization

/// File input and output with located errors and atomic writes.
public enum FileSystem {
    /// The bytes of a file; `-` reads standard input.
    /// Reads at most `limit` bytes and one more, so that a caller can tell a file over its
    /// limit without reading all of it.
    public static func readBytes(_ path: String, limit: Int = .max) throws(DiagnosticError) -> [UInt8] {
        if path == "-" {
            guard limit < .max else { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
            return Array((try? FileHandle.standardInput.read(upToCount: limit + 1)) ?? Data())
        }
        // POSIX, not FileManager: its first use (attribute dictionaries, bridged numbers)
        // cost about 0.3 ms of a small `render`'s start (docs/performance.md, twenty-second
        // pass).
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw DiagnosticError(.error(.input, "no such file: \(path)"))
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw DiagnosticError(.error(.input, "\(path) is a directory; name a chain file (.yaml)"))
        }
        if limit < .max, Int(status.st_size) > limit {
            return head(of: path, count: limit + 1)
        }
        let unreadable = DiagnosticError(.error(.input, "cannot read \(path): permission denied or unreadable"))
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw unreadable }
        defer { close(descriptor) }
        // A regular file's size, and one byte more to see its end at once; what grows
        // meanwhile, or a file that is not regular, is read on in larger steps.
        var bytes = [UInt8](repeating: 0, count: max(Int(status.st_size) + 1, 4096))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got > 0 {
                count += got
            } else if got == 0 {
                break
            } else if errno != EINTR {
                throw unreadable
            }
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The size in bytes of the file at `path`, following links; nil when it cannot be
    /// found. POSIX, not FileManager's attribute dictionary (its bridged values are cast
    /// back at first use: about 0.15 ms of reading a small ledger).
    public static func size(of path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    /// Whether `path` names a directory.
    public static func isDirectory(_ path: String) -> Bool { fileType(path) == S_IFDIR }

    /// Whether `path` names a regular file (following links).
    public static func isRegularFile(_ path: String) -> Bool { fileType(path) == S_IFREG }

    /// The type bits of what `path` names (`S_IFDIR`, `S_IFREG` …), or nil when it cannot
    /// be looked at.
    private static func fileType(_ path: String) -> mode_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    /// The first `count` bytes of a regular file (fewer when it is shorter; none when it
    /// cannot be read), for telling its format; none for anything else: the start of a
    /// pipe (`--leads <(iconv …)`, which names `/dev/fd/63`) or a FIFO would be taken by
    /// the look, and the read after it found the stream empty or without its header.
    public static func head(of path: String, count: Int) -> [UInt8] {
        guard isRegularFile(path), let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: count)) ?? Data())
    }

    /// The chain files a command line names: files as given, and for a directory its
    /// `.yaml`/`.yml` files (not recursive), sorted by name so that output is stable.
    public static func chainFiles(_ arguments: [String]) throws(DiagnosticError) -> [String] {
        var files: [String] = []
        for argument in arguments {
            if argument != "-", isDirectory(argument) {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: argument)
                } catch {
                    throw DiagnosticError(.error(.input, "cannot list \(argument): \(error.localizedDescription)"))
                }
                // system.yaml is the directory's industrial system, not a chain.
                let chains = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .filter { !$0.hasPrefix(".") && !SystemPlanLoader.fileNames.contains($0) }.sorted()
                if chains.isEmpty {
                    throw DiagnosticError(.error(.input, "\(argument) holds no chain files (.yaml or .yml)"))
                }
                let base = argument.hasSuffix("/") ? argument : argument + "/"
                files += chains.map { base + $0 }
            } else {
                files.append(argument)
            }
        }
        return files
    }

    /// Writes `bytes` to `path` atomically: into a temporary file in the same directory,
    /// then renamed over the target, so a failure never leaves a half-written file and
    /// readers see the old file or the new one. Creates the directory when needed.
    public static func writeAtomically(_ bytes: some Collection<UInt8>, to path: String) throws(DiagnosticError) {
        var file = try AtomicFile(path: path)
        Array(bytes).withUnsafeBytes { file.write($0) }
        try file.commit()
    }

    /// A file written in pieces (a long output streamed as it is made) and put in place
    /// atomically by ``commit()``: until then it is a temporary file beside the target,
    /// which a failure removes.
    public struct AtomicFile {
        public let path: String
        let temporary: String
        let descriptor: Int32
        var failure: String?
        /// Bytes written so far, and how many of them were handed to write-back
        /// (``write(_:)``).
        var written = 0
        var flushed = 0

        /// Opens a temporary file in the target's directory, creating the directory.
        ///
        /// The file is opened first and the directory made only when it is missing, with
        /// a random name from the system's generator: Foundation's URL, directory
        /// creation and UUID took about half a millisecond of a `render`, most of it
        /// their first use (docs/performance.md, twentieth pass).
        public init(path: String) throws(DiagnosticError) {
            self.path = path
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let temporary = (directory.hasSuffix("/") ? directory : directory + "/") + ".\(name).\(FileSystem.randomName()).tmp"
            self.temporary = temporary
            FileSystem.temporaries.withLock { _ = $0.insert(temporary) }
            var descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor < 0 && (errno == ENOENT || errno == ENOTDIR) {
                let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
                do {
                    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                } catch {
                    FileSystem.temporaries.withLock { _ = $0.remove(temporary) }
                    let dangling = FileSystem.danglingLinkReason(directory.path)
                    throw DiagnosticError(.error(
                        .output, "cannot create directory \(directory.path): \(dangling ?? error.localizedDescription)"))
                }
                descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            }
            guard descriptor >= 0 else {
                let reason = FileSystem.reason(errno, writing: path)
                FileSystem.temporaries.withLock { _ = $0.remove(temporary) }
                throw DiagnosticError(.error(.output, "cannot write \(path): \(reason)"))
            }
            self.descriptor = descriptor
        }

        /// Closes and removes the temporary file: the target stays as it was.
        public func discard() {
            close(descriptor)
            unlink(temporary)
            let temporary = temporary
            FileSystem.temporaries.withLock { _ = $0.remove(temporary) }
        }

        /// Appends bytes; a failure is kept and reported by ``commit()``.
        ///
        /// A long file is handed to write-back every ``writeBehind`` bytes, while the rest
        /// is made: on Linux `POSIX_FADV_DONTNEED` starts writing the range's dirty pages
        /// (and drops only pages already clean, which chainmap does not read again). A
        /// file left dirty costs whoever replaces it: renaming a new list over the last
        /// run's 53 MB one took 18-23 ms while the old one's pages were still dirty, and
        /// 9-10 ms once they were written.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil else { return }
            failure = FileSystem.writeAll(bytes, to: descriptor)
            written += bytes.count
            #if os(Linux)
            if written - flushed >= Self.writeBehind {
                _ = posix_fadvise(descriptor, off_t(flushed), off_t(written - flushed), POSIX_FADV_DONTNEED)
                flushed = written
            }
            #endif
        }

        /// How many bytes a file gathers before they are handed to write-back.
        static let writeBehind = 8 << 20

        public mutating func write(_ text: String) {
            var text = text
            text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
        }

        /// Closes the file and renames it over the target; on any failure removes it.
        public func commit() throws(DiagnosticError) {
            close(descriptor)
            let temporary = temporary
            defer { FileSystem.temporaries.withLock { _ = $0.remove(temporary) } }
            if let failure {
                unlink(temporary)
                throw DiagnosticError(.error(.output, "cannot write \(path): \(failure)"))
            }
            if rename(temporary, path) != 0 {
                let reason = FileSystem.reason(errno, writing: path)
                unlink(temporary)
                throw DiagnosticError(.error(.output, "cannot write \(path): \(reason)"))
            }
        }
    }

    /// Files that are written together or not at all: each is staged as a temporary file
    /// beside its target, and only when every one is written are they all put in place.
    /// A failure while staging removes every temporary file and leaves the targets as
    /// they were; a failure while putting them in place removes the ones already put
    /// (the set is complete or absent).
    public struct FileSet {
        var staged: [AtomicFile] = []

        public init() {}

        /// Writes `bytes` to a temporary file for `path`. On failure everything staged so
        /// far is discarded.
        public mutating func stage(_ bytes: some Collection<UInt8>, to path: String) throws(DiagnosticError) {
            var file: AtomicFile
            do {
                file = try AtomicFile(path: path)
            } catch {
                discard()
                throw error
            }
            Array(bytes).withUnsafeBytes { file.write($0) }
            if let failure = file.failure {
                file.discard()
                discard()
                throw DiagnosticError(.error(.output, "cannot write \(path): \(failure)"))
            }
            staged.append(file)
        }

        /// The targets, in the order staged.
        public var paths: [String] { staged.map(\.path) }

        /// Puts every staged file in place; returns their paths.
        public mutating func commit() throws(DiagnosticError) -> [String] {
            var done: [String] = []
            for (n, file) in staged.enumerated() {
                do {
                    try file.commit()
                    done.append(file.path)
                } catch {
                    for later in staged[(n + 1)...] { later.discard() }
                    for path in done { unlink(path) }
                    staged = []
                    throw error
                }
            }
            staged = []
            return done
        }

        /// Removes every staged file.
        public mutating func discard() {
            for file in staged { file.discard() }
            staged = []
        }
    }

    /// The temporary files of ``AtomicFile``s not yet committed or discarded: what an
    /// interrupted run must remove (``removeTemporaries()``). Every change is published
    /// as a C array for ``removeTemporariesInSignalHandler()``.
    static let temporaries = TemporaryFiles()

    /// Removes every temporary file still open. Safe to call from any thread.
    public static func removeTemporaries() {
        temporaries.withLock { paths in
            for path in paths { unlink(path) }
            paths.removeAll()
        }
    }

    /// Removes every temporary file still open, from a signal handler: it only reads an
    /// array published beforehand and calls unlink(2), both async-signal-safe.
    public static func removeTemporariesInSignalHandler() {
        guard let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>(bitPattern: temporaries.published.load(ordering: .acquiring)) else {
            return
        }
        var i = 0
        while let path = list[i] {
            unlink(path)
            i += 1
        }
    }

    /// The set of open temporary files, behind a lock, and its last state as a
    /// NULL-terminated array of C strings that a signal handler can walk.
    final class TemporaryFiles: Sendable {
        private let paths = Mutex<Set<String>>([])
        /// The address of the published array; arrays replaced are not freed, since a
        /// handler may be walking one (a few bytes per file written).
        let published = Atomic<UInt>(0)

        func withLock<R>(_ body: (inout Set<String>) -> R) -> R {
            paths.withLock { paths in
                let result = body(&paths)
                let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: paths.count + 1)
                for (i, path) in paths.sorted().enumerated() { list[i] = strdup(path) }
                list[paths.count] = nil
                published.store(UInt(bitPattern: list), ordering: .releasing)
                return result
            }
        }
    }

    /// Why a file cannot be written, in words that name the real cause: a dangling
    /// symbolic link says its target is missing, not that "a file exists".
    static func reason(_ code: Int32, writing path: String) -> String {
        danglingLinkReason(path) ?? String(cString: strerror(code))
    }

    /// 32 hexadecimal digits from the system's random generator (`getrandom`): the
    /// unique part of a temporary file's name.
    static func randomName() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789ABCDEF".utf8)
        var name = [UInt8]()
        name.reserveCapacity(32)
        for _ in 0..<2 {
            var value = generator.next()
            for _ in 0..<16 {
                name.append(digits[Int(value & 15)])
                value >>= 4
            }
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// "it is a symbolic link to 'T', which does not exist" when `path` (or a directory
    /// above it) is a symbolic link whose target is missing; nil otherwise.
    static func danglingLinkReason(_ path: String) -> String? {
        var url = URL(fileURLWithPath: path)
        while url.path != "/" && !url.path.isEmpty {
            var info = stat()
            if lstat(url.path, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFLNK, stat(url.path, &info) != 0 else { return nil }
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                let what = url.path == path ? "it" : url.path
                return "\(what) is a symbolic link to '\(target)', which does not exist"
            }
            url.deleteLastPathComponent()
        }
        return nil
    }

    /// Writes all of `bytes` to a file descriptor, retrying after interrupts and short
    /// writes. Returns the reason when it fails, nil when all was written.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return String(cString: strerror(errno)) }
            offset += written
        }
        return nil
    }
}

extension Double {
    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
