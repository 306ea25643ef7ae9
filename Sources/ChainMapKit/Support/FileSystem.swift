import Foundation

/// File input and output with located errors and atomic writes.
public enum FileSystem {
    /// A failure to read or write a file.
    public struct Failure: Error, Sendable {
        public var diagnostic: Diagnostic
    }

    /// The bytes of a file; `-` reads standard input.
    public static func readBytes(_ path: String) throws(Failure) -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(diagnostic: .error("no such file: \(path)"))
        }
        if isDirectory.boolValue {
            throw Failure(diagnostic: .error("\(path) is a directory; name a chain file (.yaml)"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(diagnostic: .error("cannot read \(path): permission denied or unreadable"))
        }
        return Array(data)
    }

    /// The chain files a command line names: files as given, and for a directory its
    /// `.yaml`/`.yml` files (not recursive), sorted by name so that output is stable.
    public static func chainFiles(_ arguments: [String]) throws(Failure) -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isDirectory: ObjCBool = false
            if argument != "-", FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
                let names: [String]
                do {
                    names = try FileManager.default.contentsOfDirectory(atPath: argument)
                } catch {
                    throw Failure(diagnostic: .error("cannot list \(argument): \(error.localizedDescription)"))
                }
                let chains = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                    .filter { !$0.hasPrefix(".") }.sorted()
                if chains.isEmpty {
                    throw Failure(diagnostic: .error("\(argument) holds no chain files (.yaml or .yml)"))
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
    public static func writeAtomically(_ bytes: some Collection<UInt8>, to path: String) throws(Failure) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(diagnostic: .error("cannot create directory \(directory.path): \(error.localizedDescription)"))
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw Failure(diagnostic: .error("cannot write \(path): the directory is not writable or the disk is full"))
        }
        if rename(temporary.path, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw Failure(diagnostic: .error("cannot write \(path): \(reason)"))
        }
    }
}
