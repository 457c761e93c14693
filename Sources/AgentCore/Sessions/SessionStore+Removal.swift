#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

extension SessionStore {
    enum Removal: Equatable {
        case removed
        /// Another process holds the journal's lock: it is open in a running agent.
        case inUse
        /// The file changed since it was chosen (another process wrote it or put a new file
        /// at its path), so the reason to remove it may no longer hold.
        case changed
        case failed(SessionIOError)
    }

    /// Removes the journal at `url` only while holding its lock, so a running agent can neither
    /// hold it nor open it in the meantime (its open waits for the lock, then finds the path
    /// gone). With `expected`, the file is removed only if its modification time is still that.
    func removeLocked(_ url: URL, ifUnchangedSince expected: Date?) -> Removal {
        let descriptor = openReadOnly(url.path)
        guard descriptor >= 0 else {
            return errno == ENOENT ? .changed : .failed(SessionIOError(operation: "open", path: url.path, code: errno))
        }
        defer { _ = close(descriptor) }
        guard JournalLock.tryLockWaitingOutForks(descriptor) else { return .inUse }
        var info = stat()
        guard JournalLock.isCurrent(descriptor, path: url.path), fstat(descriptor, &info) == 0 else { return .changed }
        if let expected, JournalPeek.modificationDate(info) != expected { return .changed }
        do throws(SessionIOError) {
            try io.removeFile(url.path)
            return .removed
        } catch {
            return .failed(error)
        }
    }

    /// The ids of every session file, from one directory listing (no file is read).
    public func sessionIDs() throws(SessionError) -> Set<String> {
        let names = try folderNames()
        let suffix = ".\(Self.fileExtension)"
        return Set(names.compactMap { name in
            guard name.hasSuffix(suffix) else { return nil }
            let id = String(name.dropLast(suffix.count))
            return SessionID.isValid(id) ? id : nil
        })
    }
}

// `open` inside the extension would name `SessionStore.open(id:)`.
private func openReadOnly(_ path: String) -> Int32 { open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
