#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension SessionStore {
    /// Every readable session, newest first (by last change, then by id). Reads only each file's
    /// first line and last lines. Files that are not journals are skipped here; loading one by id
    /// moves it aside.
    public func list() throws(SessionError) -> [SessionSummary] {
        let peek = JournalPeek()
        return try sessionFiles().compactMap { peek.summary(of: $0.url, id: $0.id) }
    }

    /// The names in the sessions folder; none when it does not exist yet. A folder that exists
    /// but cannot be read is an error, never an empty store: the checkpoint pruner would take
    /// every session's checkpoints for orphans, and `--continue` would start afresh unannounced.
    func folderNames() throws(SessionError) -> [String] {
        switch FolderListing.names(directory.path) {
        case .success(let names): return names
        case .failure(.missing): return []
        case .failure(.unreadable(let code)): throw .io(SessionIOError(operation: "list", path: directory.path, code: code))
        }
    }

    struct SessionFile {
        var id: String
        var url: URL
        var updated: Date
    }

    /// The session files with their modification times, newest first (by last change, then by
    /// id), from the directory and one `stat` each. Prune needs no more, and it runs at every
    /// start, where reading every journal's first and last lines cost more than the rest.
    func sessionFiles() throws(SessionError) -> [SessionFile] {
        let names = try folderNames()
        let suffix = ".\(Self.fileExtension)"
        let files = names.compactMap { name -> SessionFile? in
            guard name.hasSuffix(suffix) else { return nil }
            let id = String(name.dropLast(suffix.count))
            guard SessionID.isValid(id) else { return nil }
            let url = fileURL(for: id)
            // nil for a symlink: a listing never follows one.
            return modificationDate(url).map { SessionFile(id: id, url: url, updated: $0) }
        }
        return files.sorted { a, b in a.updated != b.updated ? a.updated > b.updated : a.id > b.id }
    }

    /// The session whose id is `idOrPrefix`, or the only one whose id starts with it.
    /// Throws `.notFound` or `.ambiguous` (which lists the candidates), `.symlink` for a linked
    /// file, and for an exact id whose file is unreadable, `.unreadable` after moving it aside
    /// when `movingUnreadableAside` (to continue it), else `.damaged` leaving it in place.
    public func resolve(idOrPrefix: String, movingUnreadableAside: Bool = false) throws(SessionError) -> SessionSummary {
        let key = idOrPrefix.trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty else { throw .notFound(idOrPrefix) }
        let sessions = try list()
        if let exact = sessions.first(where: { $0.id == key }) { return exact }
        var info = stat()
        if SessionID.isValid(key), lstat(fileURL(for: key).path, &info) == 0 {
            // Named exactly but not listed: unreadable or a link; reading it says which.
            return try read(id: key, movingAside: movingUnreadableAside).summary
        }
        let matches = sessions.filter { $0.id.hasPrefix(key) }
        switch matches.count {
        case 0: throw .notFound(key)
        case 1: return matches[0]
        default: throw .ambiguous(key, matches: matches.map(\.id))
        }
    }

    /// The most recently changed session started in `workingDirectory` (for `--continue`).
    public func latest(workingDirectory: URL) throws(SessionError) -> SessionSummary? {
        let wanted = workingDirectory.standardizedFileURL.path
        return try list().first { $0.workingDirectory.standardizedFileURL.path == wanted }
    }
}
