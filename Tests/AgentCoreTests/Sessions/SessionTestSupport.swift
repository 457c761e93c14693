import AgentCore
import AgentProtocol
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The real file system with switchable failures, standing in for a full disk or a read-only
/// folder.
final class FaultyFileIO: SessionFileIO {
    struct Faults: Sendable {
        /// Every write fails with this errno once `bytesBeforeFailure` more bytes went through.
        var writeError: Int32?
        /// Bytes a failing write still writes first: the tail a disk filling up mid-line leaves.
        var bytesBeforeFailure = 0
        var syncError: Int32?
        var truncateError: Int32?
        var renameError: Int32?
        var createError: Int32?
        /// Skips fsync, to fill large sessions quickly where durability is not what is tested.
        var skipSync = false
        /// Bytes handed to `write` so far.
        var bytesWritten = 0
    }

    private let base = POSIXFileIO()
    private let state = Mutex(Faults())

    func update(_ change: (inout Faults) -> Void) {
        state.withLock { change(&$0) }
    }

    var bytesWritten: Int { state.withLock { $0.bytesWritten } }

    func createExclusive(_ path: String, mode: mode_t) throws(SessionIOError) -> Int32 {
        if let code = state.withLock({ $0.createError }) {
            throw SessionIOError(operation: "create", path: path, code: code)
        }
        return try base.createExclusive(path, mode: mode)
    }

    func openForAppending(_ path: String) throws(SessionIOError) -> Int32 {
        try base.openForAppending(path)
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(SessionIOError) -> Int {
        let allowed: Int = state.withLock { faults in
            guard faults.writeError != nil else { return bytes.count }
            let allowed = min(bytes.count, faults.bytesBeforeFailure)
            faults.bytesBeforeFailure -= allowed
            return allowed
        }
        if allowed == 0, let code = state.withLock({ $0.writeError }) {
            throw SessionIOError(operation: "write", path: path, code: code)
        }
        let written = try base.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<allowed]), path: path)
        state.withLock { $0.bytesWritten += written }
        return written
    }

    func sync(_ fd: Int32, path: String) throws(SessionIOError) {
        let (code, skip) = state.withLock { ($0.syncError, $0.skipSync) }
        if let code { throw SessionIOError(operation: "fsync", path: path, code: code) }
        if !skip { try base.sync(fd, path: path) }
    }

    func truncate(_ fd: Int32, to length: Int64, path: String) throws(SessionIOError) {
        if let code = state.withLock({ $0.truncateError }) {
            throw SessionIOError(operation: "truncate", path: path, code: code)
        }
        try base.truncate(fd, to: length, path: path)
    }

    func close(_ fd: Int32) { base.close(fd) }

    func rename(_ from: String, to: String) throws(SessionIOError) {
        if let code = state.withLock({ $0.renameError }) {
            throw SessionIOError(operation: "rename", path: from, code: code)
        }
        try base.rename(from, to: to)
    }

    func syncDirectory(_ path: String) throws(SessionIOError) {
        if state.withLock({ $0.skipSync }) { return }
        try base.syncDirectory(path)
    }

    func makeDirectory(_ path: String, mode: mode_t) throws(SessionIOError) {
        if let code = state.withLock({ $0.createError }) {
            throw SessionIOError(operation: "mkdir", path: path, code: code)
        }
        try base.makeDirectory(path, mode: mode)
    }

    func removeFile(_ path: String) throws(SessionIOError) { try base.removeFile(path) }
}

/// What a crash would leave: a copy of the session file in a fresh store, read without the
/// writer's lock or its in-memory state.
func crashImage(of fileURL: URL, in parent: URL) throws -> SessionStore {
    let folder = parent.appendingPathComponent("crash-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: fileURL, to: folder.appendingPathComponent(fileURL.lastPathComponent))
    return SessionStore(directory: folder)
}

func fileBytes(_ url: URL) throws -> Data { try Data(contentsOf: url) }

func fileLines(_ url: URL) throws -> [String] {
    String(decoding: try fileBytes(url), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init)
}

func appendRaw(_ text: String, to url: URL) throws {
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
}

func permissions(_ url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A date whose fraction is exact in binary, so it survives the journal's millisecond precision.
func exactDate(_ offset: Double = 0) -> Date {
    Date(timeIntervalSinceReferenceDate: 800_000_000.125 + offset)
}

/// Message contents in order, for comparing conversations at a glance in failures.
func contents(_ messages: [Message]) -> [String] { messages.map(\.content) }
