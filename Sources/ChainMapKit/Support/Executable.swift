import Foundation

/// A program found on `PATH` (pandoc, git, tar), and a way to run it to the end with its
/// standard error kept.
public enum Executable {
    /// The first executable file of this name in the directories of `searchPath`.
    public static func find(_ name: String, path searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: true)
        for directory in directories {
            let candidate = (directory.hasSuffix("/") ? String(directory) : directory + "/") + name
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    /// Runs a program to its end, its standard input empty, its output discarded and its
    /// standard error collected through a file (so that no pipe can fill and block).
    /// Returns the exit status (-1 when it did not start, or was killed) and the messages.
    public static func run(_ path: String, _ arguments: [String], in directory: String? = nil) -> (status: Int32, messages: String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("chainmap-stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
              let errors = try? FileHandle(forWritingTo: errorFile)
        else { return (-1, "cannot make a temporary file") }
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            return (-1, error.localizedDescription)
        }
        process.waitUntilExit()
        try? errors.close()
        let messages = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        let status = process.terminationReason == .exit ? process.terminationStatus : -1
        return (status, messages.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
