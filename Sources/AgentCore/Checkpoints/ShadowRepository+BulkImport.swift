import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Adding many files at once (the first snapshot of a workspace) through `git fast-import`,
/// which writes one pack, instead of `update-index --add`, which writes one file per object:
/// 10,000 small files took 11.5 s that way on a busy disk, where a pack is one write.
extension ShadowRepository {
    /// Past this many files to add, they go through a pack.
    static let bulkThreshold = 200

    /// Stores the content of `paths` (regular files and symlinks) and points their index
    /// entries at it, then lets git record their stat data. Paths that vanished are left to
    /// the normal update, which removes them.
    func bulkAdd(_ paths: [String], timeout: Duration) async throws(CheckpointError) -> [String] {
        let stream = folder + "/import.stream"
        let marks = folder + "/import.marks"
        defer {
            unlink(stream)
            unlink(marks)
        }
        let (modes, leftOver) = try writeStream(paths, to: stream)
        _ = try await git.run(["fast-import", "--quiet", "--done", "--export-marks=" + marks], inputFile: stream,
                              timeout: timeout)
        let entries = try indexEntries(marks: marks, paths: paths, modes: modes)
        _ = try await git.run(["update-index", "-z", "--index-info"], input: entries, timeout: timeout)
        // Entries from --index-info carry no stat data; refresh reads each file once more (from
        // the page cache) to record it, so the next snapshot does not think them all changed.
        _ = try await git.run(["update-index", "-q", "--refresh"], timeout: timeout)
        return leftOver
    }

    /// Writes the fast-import stream, one blob (mark = position + 1) per path it could read.
    /// Returns each imported path's mode ("" for one left out) and the paths left out.
    private func writeStream(_ paths: [String], to stream: String) throws(CheckpointError) -> ([String], [String]) {
        guard FileManager.default.createFile(atPath: stream, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: stream)
        else { throw .storage("cannot write \(stream)") }
        defer { try? handle.close() }
        var modes: [String] = []
        var leftOver: [String] = []
        do {
            for (index, path) in paths.enumerated() {
                guard let (mode, data) = Self.blob(workspace + "/" + path) else {
                    modes.append("")
                    leftOver.append(path)
                    continue
                }
                modes.append(mode)
                try handle.write(contentsOf: Data("blob\nmark :\(index + 1)\ndata \(data.count)\n".utf8))
                try handle.write(contentsOf: data)
                try handle.write(contentsOf: Data("\n".utf8))
            }
            try handle.write(contentsOf: Data("done\n".utf8))
            try handle.synchronize()
        } catch {
            throw .storage("cannot write \(stream): \(error.localizedDescription)")
        }
        return (modes, leftOver)
    }

    /// The git mode and content of a regular file or a symlink (its target), or nil.
    private static func blob(_ path: String) -> (String, Data)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
            return ("120000", Data(target.utf8))
        case S_IFREG:
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return (info.st_mode & 0o111 != 0 ? "100755" : "100644", data)
        default:
            return nil
        }
    }

    /// `update-index -z --index-info` lines ("MODE SHA\tPATH\0") from the exported marks.
    private func indexEntries(marks: String, paths: [String], modes: [String]) throws(CheckpointError) -> [UInt8] {
        guard let text = try? String(contentsOfFile: marks, encoding: .utf8) else {
            throw .storage("git fast-import left no marks in \(marks)")
        }
        var entries: [UInt8] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0].hasPrefix(":"), let mark = Int(parts[0].dropFirst()),
                (1...paths.count).contains(mark), !modes[mark - 1].isEmpty
            else { continue }
            entries.append(contentsOf: "\(modes[mark - 1]) \(parts[1])\t\(paths[mark - 1])".utf8)
            entries.append(0)
        }
        return entries
    }
}
