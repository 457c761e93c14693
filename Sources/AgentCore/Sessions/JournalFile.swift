#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The open journal file of one session and how much of it is known to be durable.
///
/// Invariant: the first `committedLength` bytes are complete lines that were fsync'd. A write
/// that failed part-way leaves bytes past that point; they are cut off before anything else is
/// written, so a later line is never glued to a torn one. The file is locked (`flock`) for as
/// long as it is open, which keeps a second writer from appending to, or cutting, the same file.
struct JournalFile: Sendable {
    let io: any SessionFileIO
    let path: String
    let directoryPath: String
    private(set) var descriptor: Int32
    private(set) var committedLength: Int64
    private var needsTruncate: Bool
    private var needsDirectorySync: Bool

    init(
        io: any SessionFileIO, path: String, descriptor: Int32, committedLength: Int64, needsTruncate: Bool = false,
        needsDirectorySync: Bool = false
    ) {
        self.io = io
        self.path = path
        self.directoryPath = URL(fileURLWithPath: path).deletingLastPathComponent().path
        self.descriptor = descriptor
        self.committedLength = committedLength
        self.needsTruncate = needsTruncate
        self.needsDirectorySync = needsDirectorySync
    }

    /// Appends `data` (whole lines) and makes it durable before returning, together with the
    /// folder entry if that was not yet durable. On failure the file is cut back to its last
    /// durable length, or will be before the next write.
    mutating func commit(_ data: Data) throws(SessionIOError) {
        if needsDirectorySync {
            try io.syncDirectory(directoryPath)
            needsDirectorySync = false
        }
        if needsTruncate {
            try io.truncate(descriptor, to: committedLength, path: path)
            needsTruncate = false
        }
        guard !data.isEmpty else { return }
        do throws(SessionIOError) {
            try io.writeAll(descriptor, data, path: path)
            try io.sync(descriptor, path: path)
        } catch {
            // Whatever reached the file (a short write, or data whose fsync failed) is not
            // known to be durable; remove it now, and retry the cut before the next write.
            needsTruncate = (try? io.truncate(descriptor, to: committedLength, path: path)) == nil
            throw error
        }
        committedLength += Int64(data.count)
    }

    /// Switches to a file that replaced this one (a compaction renamed it over our path).
    /// `directorySynced` is false when the rename is not yet durable: the next commit retries.
    mutating func replace(descriptor newDescriptor: Int32, length: Int64, directorySynced: Bool) {
        io.close(descriptor)
        descriptor = newDescriptor
        committedLength = length
        needsTruncate = false
        needsDirectorySync = !directorySynced
    }

    func close() {
        io.close(descriptor)
    }
}

/// Advisory whole-file locks that mark a journal as open for writing.
///
/// A flock belongs to the open file, and a child forked by any thread of the holding process
/// shares it until it execs (where the close-on-exec descriptor goes). So a lock that has just
/// been released can look held for an instant; `tryLockWaitingOutForks` waits that instant out
/// instead of reporting a session in use that nobody is using.
enum JournalLock {
    /// Takes the exclusive lock without waiting; false when another open file holds it.
    static func tryLock(_ descriptor: Int32) -> Bool {
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    /// Like `tryLock`, but retries for about 60 ms before deciding the lock is really held.
    static func tryLockWaitingOutForks(_ descriptor: Int32) -> Bool {
        if tryLock(descriptor) { return true }
        for pause: UInt32 in [1_000, 2_000, 4_000, 8_000, 16_000, 32_000] {
            usleep(pause)
            if tryLock(descriptor) { return true }
        }
        return false
    }

    /// Whether `descriptor` is still the file at `path`. A compaction in another process may have
    /// renamed a new file over the path between our open and our lock.
    static func isCurrent(_ descriptor: Int32, path: String) -> Bool {
        var opened = stat()
        var named = stat()
        guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0 else { return false }
        return opened.st_ino == named.st_ino && opened.st_dev == named.st_dev
    }

    /// Whether some process holds the lock on the file at `path` right now.
    static func isHeld(path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { _ = close(descriptor) }
        guard tryLockWaitingOutForks(descriptor) else { return true }
        _ = flock(descriptor, LOCK_UN)
        return false
    }
}
