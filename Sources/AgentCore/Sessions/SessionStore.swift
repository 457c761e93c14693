#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import AgentProtocol
import Foundation

/// Saved conversations: one append-only JSON Lines journal per session, `<id>.jsonl`, in a
/// private folder (mode 0700, files 0600).
///
/// The store never writes API keys or configuration: only the working directory, the model name,
/// the title and the messages. It never overwrites or deletes a file it cannot read; when a
/// session is opened to continue it, such a file is renamed to `<name>.corrupt-<timestamp>`
/// (commands that only read, such as `sessions show`, leave it where it is). It never follows a
/// symbolic link to a session file.
public struct SessionStore: Sendable {
    public let directory: URL
    let io: any SessionFileIO
    let partialInterval: Duration

    static let fileMode: mode_t = 0o600
    static let directoryMode: mode_t = 0o700
    static let fileExtension = "jsonl"

    /// - Parameters:
    ///   - directory: where sessions live, e.g. `SessionStore.defaultDirectory(...)`. Created on the
    ///     first save.
    ///   - fileIO: the low-level writes; tests pass one that fails like a full disk.
    ///   - partialInterval: how often streamed text is saved at most.
    public init(directory: URL, fileIO: any SessionFileIO = POSIXFileIO(), partialInterval: Duration = .seconds(1)) {
        self.directory = directory.standardizedFileURL
        self.io = fileIO
        self.partialInterval = partialInterval
    }

    /// `$XDG_STATE_HOME/agent/sessions`, or `~/.local/state/agent/sessions` when the variable is
    /// unset, empty or relative (the XDG spec says to ignore a relative path).
    public static func defaultDirectory(environment: [String: String], home: URL) -> URL {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return URL(fileURLWithPath: state, isDirectory: true).appendingPathComponent("agent/sessions", isDirectory: true)
        }
        return home.appendingPathComponent(".local/state/agent/sessions", isDirectory: true)
    }

    /// Starts a new, empty session; its header is durable when this returns.
    /// Throws `.storeUnavailable` when the folder cannot be created or written.
    public func create(workingDirectory: URL, model: String, title: String? = nil, now: Date = Date()) throws(SessionError)
        -> SessionJournal
    {
        do throws(SessionIOError) {
            try ensureDirectory()
            let trimmed = title?.trimmedWhitespace()
            var header = JournalHeader(
                format: JournalHeader.currentFormat, id: "", created: now,
                workingDirectory: workingDirectory.standardizedFileURL.path, model: model,
                title: trimmed?.isEmpty == false ? trimmed : nil, count: 0)
            for _ in 0..<8 {
                header.id = SessionID.generate(at: now)
                let path = fileURL(for: header.id).path
                guard !FileManager.default.fileExists(atPath: path) else { continue }
                let line = try JournalCoding.line(.header(header), encoder: JournalCoding.makeEncoder())
                // Written aside and renamed into place, so a session file always has a whole header.
                let temporary = Self.temporaryPath(for: path, purpose: "new")
                let descriptor = try io.createExclusive(temporary, mode: Self.fileMode)
                _ = JournalLock.tryLock(descriptor)
                do throws(SessionIOError) {
                    try io.writeAll(descriptor, line, path: temporary)
                    try io.sync(descriptor, path: temporary)
                    try io.rename(temporary, to: path)
                } catch {
                    io.close(descriptor)
                    try? io.removeFile(temporary)
                    throw error
                }
                // If the folder cannot be synced now, the first append syncs it before saving.
                let synced = (try? io.syncDirectory(directory.path)) != nil
                let file = JournalFile(
                    io: io, path: path, descriptor: descriptor, committedLength: Int64(line.count),
                    needsDirectorySync: !synced)
                return SessionJournal(
                    file: file, header: header, title: header.title, model: model, messageCount: 0, pending: [],
                    partialInterval: partialInterval)
            }
            throw SessionIOError(operation: "create", path: directory.path, code: EEXIST)
        } catch {
            throw .storeUnavailable(directory: directory, reason: error.reason)
        }
    }

    /// Reads a session to show it. Never locks, moves or changes the file: one with no readable
    /// header is reported as `.damaged`.
    public func load(id: String) throws(SessionError) -> LoadedSession {
        try read(id: id, movingAside: false)
    }

    /// Reads a session without locking it; an unreadable file is moved aside when `movingAside`.
    func read(id: String, movingAside: Bool) throws(SessionError) -> LoadedSession {
        let url = try existingFile(id: id)
        let data = try read(url)
        let contents = try parse(data, at: url, movingAside: movingAside)
        return loadedSession(id: id, url: url, contents: contents)
    }

    /// Opens a session to continue it: returns its journal, positioned after the last complete
    /// line, and its messages.
    ///
    /// A torn last line is cut off. Streamed text that no message superseded becomes an
    /// assistant message marked interrupted, in `LoadedSession.messages` and in the file.
    /// Throws `.inUse` when another process has the session open.
    public func open(id: String) throws(SessionError) -> (SessionJournal, LoadedSession) {
        let url = try existingFile(id: id)
        let descriptor = try lockedDescriptor(for: url)
        let data: Data
        let contents: JournalContents
        do throws(SessionError) {
            data = try read(url)
            contents = try parse(data, at: url, movingAside: true)
        } catch {
            io.close(descriptor)
            throw error
        }
        let loaded = loadedSession(id: id, url: url, contents: contents)

        // A torn tail is a write that never returned: it is cut off, unless the line is whole and
        // only its newline is missing, in which case it stays and gets its newline.
        var file = JournalFile(
            io: io, path: url.path, descriptor: descriptor,
            committedLength: Int64(contents.tornTailIsReadable ? data.count : contents.terminatedLength),
            needsTruncate: contents.hasTornTail && !contents.tornTailIsReadable)
        var pending: [SessionJournal.PendingLine] = []
        if contents.tornTailIsReadable { pending.append(SessionJournal.PendingLine(data: Data([0x0A]), isMessage: false)) }
        if loaded.recoveredPartial, let message = loaded.messages.last,
            let line = try? JournalCoding.line(.message(message, count: loaded.messages.count), encoder: JournalCoding.makeEncoder())
        {
            // Saved as a real message, or the next append would supersede the partial text.
            pending.append(SessionJournal.PendingLine(data: line, isMessage: true))
        }
        var repair = Data()
        for line in pending { repair.append(line.data) }
        // On failure the lines stay pending and are written before the next message.
        if (try? file.commit(repair)) != nil { pending.removeAll() }
        var header = contents.header
        // The file name is the id everywhere else (lookup, list), even if the file was renamed.
        header.id = id
        let journal = SessionJournal(
            file: file, header: header, title: contents.title, model: contents.model,
            messageCount: loaded.messages.count, pending: pending, partialInterval: partialInterval)
        return (journal, loaded)
    }

    /// Removes a session's file. Throws `.inUse` when another process has it open (or opens it
    /// while this runs: the file is removed only while this process holds its lock).
    public func delete(id: String) throws(SessionError) {
        let url = try existingFile(id: id)
        switch removeLocked(url, ifUnchangedSince: nil) {
        case .removed: break
        case .inUse, .changed: throw .inUse(id)
        case .failed(let error): throw .io(error)
        }
        do throws(SessionIOError) {
            try io.syncDirectory(directory.path)
        } catch {
            throw .io(error)
        }
    }

    // MARK: - Helpers

    func fileURL(for id: String) -> URL {
        directory.appendingPathComponent("\(id).\(Self.fileExtension)", isDirectory: false)
    }

    /// A hidden name next to `path` that listings ignore.
    static func temporaryPath(for path: String, purpose: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(purpose)").path
    }

    private func existingFile(id: String) throws(SessionError) -> URL {
        guard SessionID.isValid(id) else { throw .notFound(id) }
        let url = fileURL(for: id)
        var info = stat()
        guard lstat(url.path, &info) == 0 else { throw .notFound(id) }
        guard (info.st_mode & S_IFMT) != S_IFLNK else { throw .symlink(file: url) }
        return url
    }

    private func read(_ url: URL) throws(SessionError) -> Data {
        do {
            return try JournalPeek.readWhole(url)
        } catch {
            throw .io(error)
        }
    }

    /// Parses a journal; a file that is not one is never rewritten: moved aside when
    /// `movingAside`, else left where it is.
    private func parse(_ data: Data, at url: URL, movingAside: Bool) throws(SessionError) -> JournalContents {
        do throws(JournalReadFailure) {
            return try JournalReader().read(data)
        } catch {
            switch error {
            case .unsupportedFormat(let version):
                throw .unsupportedFormat(file: url, version: version)
            case .noHeader(let reason):
                throw movingAside ? moveAside(url, reason: reason) : .damaged(file: url, reason: reason)
            }
        }
    }

    private func moveAside(_ url: URL, reason: String) -> SessionError {
        let stamp = SessionID.timestamp(Date())
        for attempt in 0..<100 {
            let suffix = attempt == 0 ? "" : "-\(attempt)"
            let target = url.deletingLastPathComponent()
                .appendingPathComponent("\(url.lastPathComponent).corrupt-\(stamp)\(suffix)")
            // Never replace an earlier copy: rename would overwrite it.
            guard !FileManager.default.fileExists(atPath: target.path) else { continue }
            do throws(SessionIOError) {
                try io.rename(url.path, to: target.path)
                try? io.syncDirectory(directory.path)
                return .unreadable(file: url, movedTo: target)
            } catch {
                return .unreadableLeftInPlace(file: url, reason: "\(reason); \(error.reason)")
            }
        }
        return .unreadableLeftInPlace(file: url, reason: reason)
    }

    /// Opens the journal for appending and takes its lock, making sure the lock is on the file
    /// that is at the path now.
    private func lockedDescriptor(for url: URL) throws(SessionError) -> Int32 {
        for _ in 0..<5 {
            let descriptor: Int32
            do throws(SessionIOError) {
                descriptor = try io.openForAppending(url.path)
            } catch {
                throw error.code == ENOENT ? .notFound(url.deletingPathExtension().lastPathComponent) : .io(error)
            }
            guard JournalLock.tryLockWaitingOutForks(descriptor) else {
                io.close(descriptor)
                throw .inUse(url.deletingPathExtension().lastPathComponent)
            }
            if JournalLock.isCurrent(descriptor, path: url.path) { return descriptor }
            io.close(descriptor)
        }
        throw .inUse(url.deletingPathExtension().lastPathComponent)
    }

    private func loadedSession(id: String, url: URL, contents: JournalContents) -> LoadedSession {
        var messages = contents.messages
        var recovered = false
        if let partial = contents.partial, !partial.isEmpty {
            messages.append(partial.message)
            recovered = true
        }
        let summary = SessionSummary(
            id: id, created: contents.header.created, updated: modificationDate(url) ?? contents.header.created,
            messageCount: messages.count, title: contents.title,
            workingDirectory: URL(fileURLWithPath: contents.header.workingDirectory), model: contents.model,
            fileURL: url)
        return LoadedSession(
            summary: summary, messages: messages, skippedLines: contents.skippedLines, recoveredPartial: recovered,
            droppedTornLine: contents.hasTornTail && !contents.tornTailIsReadable, compactions: contents.compactions,
            ignoredCompactions: contents.ignoredCompactions)
    }

    /// The modification time of the regular file at `url`; nil for a symlink or anything else.
    func modificationDate(_ url: URL) -> Date? {
        var info = stat()
        guard lstat(url.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return JournalPeek.modificationDate(info)
    }

    /// Creates the folder and any missing parents with mode 0700, and tightens the folder itself
    /// if it exists with wider permissions (it holds conversations).
    func ensureDirectory() throws(SessionIOError) {
        var missing: [URL] = []
        var candidate = directory
        while !FileManager.default.fileExists(atPath: candidate.path), candidate.path != "/" {
            missing.append(candidate)
            candidate = candidate.deletingLastPathComponent()
        }
        for folder in missing.reversed() {
            try io.makeDirectory(folder.path, mode: Self.directoryMode)
        }
        var info = stat()
        if stat(directory.path, &info) == 0, info.st_mode & 0o077 != 0 {
            _ = chmod(directory.path, Self.directoryMode)
        }
    }
}
