import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file's content so that a reader, or a crash, sees either the old file or the new
/// one, never a half-written mix.
///
/// Invariant: on return, or on a thrown error, no temporary file is left in the folder.
enum AtomicFileWriter {
    /// Writes `text` to `file.path`, creating missing parent folders. An existing file keeps its
    /// permission bits; a new one gets 0666 minus the umask, like any editor's.
    static func replaceContents(of file: ResolvedPath, with text: String) throws(ToolError) {
        let url = URL(fileURLWithPath: file.path)
        let folder = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ToolError("cannot create folder for \(file.display): \(TextFiles.reason(error))")
        }
        switch TextFiles.kind(atPath: file.path) {
        case .directory: throw ToolError("\(file.display) is a directory, not a file")
        case .special: throw TextFiles.notRegular(file)
        case .file, .missing: break
        }

        // Same folder as the target, so the rename never crosses a file system.
        let temporary = folder + "/." + url.lastPathComponent + ".agent-" + randomSuffix()
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw ToolError("cannot write \(file.display): \(String(cString: strerror(errno)))")
        }
        do {
            try fill(descriptor, with: text, keepingModeOf: file.path)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw ToolError("cannot write \(file.display): \(error.message)")
        }
        close(descriptor)
        guard rename(temporary, file.path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw ToolError("cannot write \(file.display): \(message)")
        }
        syncFolder(folder)
    }

    private static func fill(_ descriptor: Int32, with text: String, keepingModeOf path: String) throws(ToolError) {
        var status = stat()
        if stat(path, &status) == 0, fchmod(descriptor, status.st_mode & 0o7777) != 0 {
            throw ToolError(String(cString: strerror(errno)))
        }
        let bytes = Array(text.utf8)
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return nil
        }
        if let failure { throw ToolError(String(cString: strerror(failure))) }
        // The data must be on disk before the rename makes it visible, or a crash could leave an
        // empty file under the real name.
        if fsync(descriptor) != 0 { throw ToolError(String(cString: strerror(errno))) }
    }

    /// Makes the rename itself durable; failing here loses nothing already promised.
    private static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func randomSuffix() -> String {
        String(UInt64.random(in: 0...UInt64.max), radix: 36)
    }
}
