#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A failed low-level file operation, with the `errno` it failed with.
public struct SessionIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was being done, e.g. "write" or "rename".
    public var operation: String
    public var path: String
    public var code: Int32

    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// The system's text for `code`, e.g. "No space left on device".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String { "\(operation) \(path): \(reason)" }
}

/// The low-level file operations the session store and its journals perform.
///
/// It exists so tests can make writes fail the way a full disk or a read-only folder does
/// (ENOSPC, EROFS, a short write) without needing one. Reading is not part of the seam: a
/// failed read is reported like any unreadable file.
public protocol SessionFileIO: Sendable {
    /// Creates `path` (it must not exist) for writing and appending, with exactly `mode`.
    func createExclusive(_ path: String, mode: mode_t) throws(SessionIOError) -> Int32
    /// Opens an existing file for appending.
    func openForAppending(_ path: String) throws(SessionIOError) -> Int32
    /// Writes some prefix of `bytes` and returns how many were written (at least one).
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SessionIOError) -> Int
    /// Makes everything written to `fd` durable (file data and the size needed to read it).
    func sync(_ fd: Int32, path: String) throws(SessionIOError)
    /// Cuts the file back to `length` bytes.
    func truncate(_ fd: Int32, to length: Int64, path: String) throws(SessionIOError)
    func close(_ fd: Int32)
    /// Renames `from` to `to`, replacing `to` if it exists.
    func rename(_ from: String, to: String) throws(SessionIOError)
    /// Makes the folder's entries (a created, renamed or removed file) durable.
    func syncDirectory(_ path: String) throws(SessionIOError)
    /// Creates one folder with exactly `mode`; an existing folder is not an error.
    func makeDirectory(_ path: String, mode: mode_t) throws(SessionIOError)
    func removeFile(_ path: String) throws(SessionIOError)
}

extension SessionFileIO {
    /// Writes all of `data`, continuing after short writes.
    func writeAll(_ fd: Int32, _ data: Data, path: String) throws(SessionIOError) {
        var offset = 0
        while offset < data.count {
            let result: Result<Int, SessionIOError> = data.withUnsafeBytes { buffer in
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                return Result { () throws(SessionIOError) in try write(fd, rest, path: path) }
            }
            offset += try result.get()
        }
    }
}

/// The real file system through POSIX calls.
public struct POSIXFileIO: SessionFileIO {
    public init() {}

    public func createExclusive(_ path: String, mode: mode_t) throws(SessionIOError) -> Int32 {
        let fd = retryingEINTR { systemOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw SessionIOError(operation: "create", path: path, code: errno) }
        // The umask may have removed bits, never added any; fchmod makes the mode exact.
        if fchmod(fd, mode) != 0 {
            let code = errno
            _ = systemClose(fd)
            throw SessionIOError(operation: "chmod", path: path, code: code)
        }
        return fd
    }

    public func openForAppending(_ path: String) throws(SessionIOError) -> Int32 {
        // O_NOFOLLOW: a symlink planted at a session path must not redirect appends elsewhere.
        let fd = retryingEINTR { systemOpen(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0) }
        guard fd >= 0 else { throw SessionIOError(operation: "open", path: path, code: errno) }
        return fd
    }

    public func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SessionIOError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        let written = retryingEINTR { systemWrite(fd, base, bytes.count) }
        guard written > 0 else { throw SessionIOError(operation: "write", path: path, code: written == 0 ? EIO : errno) }
        return written
    }

    public func sync(_ fd: Int32, path: String) throws(SessionIOError) {
        #if canImport(Darwin)
        // fsync on Darwin leaves data in the drive's cache; F_FULLFSYNC survives power loss.
        if fcntl(fd, F_FULLFSYNC) == 0 { return }
        #endif
        #if os(Linux)
        // fdatasync also flushes the file size, which is all an append changes besides data.
        let result = retryingEINTR { fdatasync(fd) }
        #else
        let result = retryingEINTR { fsync(fd) }
        #endif
        guard result == 0 else { throw SessionIOError(operation: "fsync", path: path, code: errno) }
    }

    public func truncate(_ fd: Int32, to length: Int64, path: String) throws(SessionIOError) {
        guard retryingEINTR({ ftruncate(fd, off_t(length)) }) == 0 else {
            throw SessionIOError(operation: "truncate", path: path, code: errno)
        }
    }

    public func close(_ fd: Int32) {
        _ = systemClose(fd)
    }

    public func rename(_ from: String, to: String) throws(SessionIOError) {
        guard systemRename(from, to) == 0 else { throw SessionIOError(operation: "rename", path: from, code: errno) }
    }

    public func syncDirectory(_ path: String) throws(SessionIOError) {
        let fd = retryingEINTR { systemOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) }
        guard fd >= 0 else { throw SessionIOError(operation: "open", path: path, code: errno) }
        defer { _ = systemClose(fd) }
        guard retryingEINTR({ fsync(fd) }) == 0 else {
            throw SessionIOError(operation: "fsync", path: path, code: errno)
        }
    }

    public func makeDirectory(_ path: String, mode: mode_t) throws(SessionIOError) {
        if mkdir(path, mode) == 0 {
            _ = chmod(path, mode)
            return
        }
        let code = errno
        var info = stat()
        if code == EEXIST, stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
        throw SessionIOError(operation: "mkdir", path: path, code: code)
    }

    public func removeFile(_ path: String) throws(SessionIOError) {
        guard unlink(path) == 0 else { throw SessionIOError(operation: "remove", path: path, code: errno) }
    }
}

private func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
    while true {
        let result = call()
        if result >= 0 || errno != EINTR { return result }
    }
}

// The protocol's method names shadow the C functions inside the conforming type.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemWrite(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int { write(fd, base, count) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
