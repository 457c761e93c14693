import Foundation

/// Everything the session store can fail with. Each `description` is one line a user can read.
public enum SessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No session has this id or id prefix.
    case notFound(String)
    /// The prefix matches several sessions; `matches` holds their ids, newest first.
    case ambiguous(String, matches: [String])
    /// The file has no readable header. It was renamed to `movedTo` and never overwritten.
    case unreadable(file: URL, movedTo: URL)
    /// The file has no readable header and could not be moved aside either; it is left as it was.
    case unreadableLeftInPlace(file: URL, reason: String)
    /// The file has no readable header; a command that only reads (show, list) left it as it is.
    case damaged(file: URL, reason: String)
    /// The session file is a symbolic link, which agent does not follow (it could point anywhere).
    case symlink(file: URL)
    /// Written by a newer version of agent; left untouched.
    case unsupportedFormat(file: URL, version: Int)
    /// Another agent process has this session open for writing.
    case inUse(String)
    /// The store's folder could not be created or written: sessions cannot be saved at all.
    case storeUnavailable(directory: URL, reason: String)
    /// Saving failed (full disk, read-only folder). The journal keeps the `unsavedMessages`
    /// in memory and writes them with the next save that succeeds; the file on disk still
    /// holds everything saved before and loads normally.
    case saveFailed(file: URL, reason: String, unsavedMessages: Int)
    /// The journal was closed; nothing more can be written to it.
    case closed(String)
    /// Removing or reading a session failed.
    case io(SessionIOError)

    /// True when the conversation can go on in memory and saving will be retried: the caller
    /// shows a one-line warning and continues.
    public var isRecoverable: Bool {
        switch self {
        case .saveFailed, .storeUnavailable: true
        case .notFound, .ambiguous, .unreadable, .unreadableLeftInPlace, .damaged, .symlink, .unsupportedFormat, .inUse,
            .closed, .io:
            false
        }
    }

    public var description: String {
        switch self {
        case .notFound(let id):
            "no session matches '\(id)'"
        case .ambiguous(let prefix, let matches):
            "'\(prefix)' matches \(matches.count) sessions (\(matches.prefix(5).joined(separator: ", "))\(matches.count > 5 ? ", …" : "")); type more of the id"
        case .unreadable(let file, let movedTo):
            "session file \(file.lastPathComponent) is unreadable; moved it to \(movedTo.path)"
        case .unreadableLeftInPlace(let file, let reason):
            "session file \(file.path) is unreadable and could not be moved aside (\(reason)); left it untouched"
        case .damaged(let file, let reason):
            "session file \(file.path) is unreadable (\(reason)); left it as it is (delete it, or resume it to move it aside)"
        case .symlink(let file):
            "session file \(file.path) is a symbolic link; agent does not follow links to session files"
        case .unsupportedFormat(let file, let version):
            "session file \(file.lastPathComponent) uses format \(version), written by a newer agent; left it untouched"
        case .inUse(let id):
            "session \(id) is open in another agent process"
        case .storeUnavailable(let directory, let reason):
            "cannot save sessions in \(directory.path): \(reason); this conversation is not being saved"
        case .saveFailed(let file, let reason, let unsaved):
            "could not save session to \(file.path): \(reason) (\(unsaved) unsaved message\(unsaved == 1 ? "" : "s") kept in memory; will retry)"
        case .closed(let id):
            "session \(id) is closed"
        case .io(let error):
            error.description
        }
    }
}
