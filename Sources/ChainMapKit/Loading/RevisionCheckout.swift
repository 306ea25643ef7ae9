import Foundation

/// A chain file as it was at a git revision (`chainmap diff FILE --since REV`): the
/// file's directory at that revision, written by `git archive` into a temporary directory,
/// so that the files it names (`roster:`, `projects:`, `targets:`) are read as they were
/// then too. Remove it with ``remove()`` when done.
///
/// Problems found in the old version name it as `REV:DIR/FILE`, not the temporary path.
public struct RevisionCheckout: Sendable {
    /// The chain file's path in the temporary directory.
    public let path: String
    /// How the old version is named in messages: `HEAD~1:chains/x.yaml`.
    public let label: String
    /// The temporary directory.
    let root: URL
    /// The directory the files were written to.
    let tree: String
    /// How that directory is named in messages: `HEAD~1:chains/`.
    let shownTree: String

    /// The most a revision's directory may hold, unpacked (256 MB): the archive is
    /// checked before it is unpacked.
    public static let maxBytes = 256 << 20

    /// Writes the directory of `file` at `revision` into a temporary directory.
    public static func checkout(_ file: String, at revision: String) throws(DiagnosticError) -> RevisionCheckout {
        guard let git = Executable.find("git") else {
            throw DiagnosticError(.error(.input, "--since needs git, which is not installed (Debian/Ubuntu: apt-get install git)"))
        }
        guard let tar = Executable.find("tar") else {
            throw DiagnosticError(.error(.input, "--since needs tar, which is not installed"))
        }
        guard !revision.hasPrefix("-"), !revision.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw DiagnosticError(.error(.option, "--since '\(Diagnostic.quoted(revision))' is not a git revision"))
        }
        let directory = (file as NSString).deletingLastPathComponent
        let name = (file as NSString).lastPathComponent
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chainmap-since-\(UUID().uuidString)")
        let tree = root.appendingPathComponent("tree")
        do {
            try FileManager.default.createDirectory(at: tree, withIntermediateDirectories: true)
        } catch {
            throw DiagnosticError(.error(.output, "cannot make a temporary directory for --since: \(error.localizedDescription)"))
        }
        let archive = root.appendingPathComponent("revision.tar").path
        let label = revision + ":" + (directory.isEmpty ? name : directory + "/" + name)
        func fail(_ message: String) -> DiagnosticError {
            try? FileManager.default.removeItem(at: root)
            return DiagnosticError(.error(.input, message))
        }
        let archived = Executable.run(git, ["archive", "--format=tar", "--output=\(archive)", revision, "--", "."], in: directory.isEmpty ? "." : directory)
        guard archived.status == 0 else {
            throw fail("cannot read \(label) from git: \(archived.messages.isEmpty ? "git archive failed" : archived.messages)")
        }
        let size = FileSystem.size(of: archive) ?? 0
        guard size <= maxBytes else {
            throw fail("the directory of \(label) is \(NumberText.grouped(size)) bytes at \(revision); --since reads at most \(NumberText.grouped(maxBytes))")
        }
        let unpacked = Executable.run(tar, ["-xf", archive, "-C", tree.path, "--no-same-owner", "--no-same-permissions"])
        guard unpacked.status == 0 else { throw fail("cannot unpack \(label): \(unpacked.messages)") }
        let path = tree.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw fail("\(label) does not exist: the file is not in git at \(revision)") }
        return RevisionCheckout(
            path: path, label: label, root: root, tree: tree.path, shownTree: revision + ":" + (directory.isEmpty ? "" : directory + "/"))
    }

    /// A diagnostic of the old version, naming it as `REV:DIR/FILE` instead of the
    /// temporary path.
    public func relabel(_ diagnostic: Diagnostic) -> Diagnostic {
        var d = diagnostic
        let prefix = tree + "/"
        func rename(_ location: FileLocation?) -> FileLocation? {
            guard var location, location.file.hasPrefix(prefix) else { return location }
            location.file = shownTree + location.file.dropFirst(prefix.count)
            return location
        }
        d.location = rename(d.location)
        d.notes = d.notes.map { note in
            var note = note
            note.location = rename(note.location)
            return note
        }
        return d
    }

    /// Removes the temporary directory.
    public func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
