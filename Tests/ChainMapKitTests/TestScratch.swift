import Foundation

/// Where tests write their files: one directory per test process under the system's
/// temporary directory, removed when the process exits, so that a run of the suite leaves
/// nothing behind, whichever test made the files and whether or not it passed.
enum TestScratch {
    /// The process's directory, made on first use.
    static let root: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("chainmap-tests-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestScratch.root) }
        return url
    }()

    /// A new directory of its own under ``root``, named `prefix-UUID`.
    static func directory(_ prefix: String) throws -> URL {
        let url = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
