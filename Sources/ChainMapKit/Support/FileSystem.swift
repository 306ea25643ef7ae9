import Foundation

/// File input and output with located errors and atomic writes.
public enum FileSystem {
    /// The bytes of a file; `-` reads standard input.
    public static func readBytes(_ path: String) throws(DiagnosticError) -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DiagnosticError(.error(.input, "no such file: \(path)"))
        }
        if isDirectory.boolValue {
            throw DiagnosticError(.error(.input, "\(path) is a directory; name a chain file (.yaml)"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(.error(.input, "cannot read \(path): permission denied or unreadable"))
        }
        return Array(data)
    }

    /// The first `count` bytes of a file (fewer when it is shorter; none when it cannot be
    /// read), for telling its format.
    public static func head(of path: String, count: Int) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: count)) ?? Data())
    }

    /// The chain files a command line names: files as given, and for a directory its
    /// `.yaml`/`.yml` files (not recursive), sorted by name so that output is stable.
    public static func chainFiles(_ arguments: [String]) throws(DiagnosticError) -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: argument)
                } catch {
                    throw DiagnosticError(.error(.input, "cannot list \(argument): \(error.localizedDescription)"))
                }
                let chains = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .filter { !$0.hasPrefix(".") }.sorted()
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

        /// Opens a temporary file in the target's directory, creating the directory.
        public init(path: String) throws(DiagnosticError) {
            self.path = path
            let url = URL(fileURLWithPath: path)
            let directory = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw DiagnosticError(.error(.output, "cannot create directory \(directory.path): \(error.localizedDescription)"))
            }
            temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                throw DiagnosticError(.error(.output, "cannot write \(path): \(String(cString: strerror(errno)))"))
            }
        }

        /// Appends bytes; a failure is kept and reported by ``commit()``.
        public mutating func write(_ bytes: UnsafeRawBufferPointer) {
            guard failure == nil else { return }
            failure = FileSystem.writeAll(bytes, to: descriptor)
        }

        public mutating func write(_ text: String) {
            var text = text
            text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
        }

        /// Closes the file and renames it over the target; on any failure removes it.
        public func commit() throws(DiagnosticError) {
            close(descriptor)
            if let failure {
                unlink(temporary)
                throw DiagnosticError(.error(.output, "cannot write \(path): \(failure)"))
            }
            if rename(temporary, path) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw DiagnosticError(.error(.output, "cannot write \(path): \(reason)"))
            }
        }
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
