import Foundation

/// A depth-first walk of a folder in sorted order that skips version-control and build folders,
/// shared by `list_dir` and `search_files` so both see the same tree.
///
/// Invariant: symlinks are reported but never followed, so a walk cannot loop or leave the
/// folder it started in; /proc, /sys and /dev are never entered.
enum DirectoryWalker {
    /// Folders that hold generated or vendored files: huge, and never what the model is after.
    static func isSkipped(_ name: String) -> Bool {
        switch name {
        case ".git", "node_modules", "target", "__pycache__", ".venv": true
        default: name.hasPrefix(".build")
        }
    }

    /// File systems the kernel makes up: listed, never entered by a walk (their files may
    /// never end and /proc holds a copy of every process).
    static let virtualFileSystems = ["/proc", "/sys", "/dev"]

    /// The virtual file system `path` is in (or is), if any.
    static func virtualFileSystem(containing path: String) -> String? {
        virtualFileSystems.first { path == $0 || path.hasPrefix($0 + "/") }
    }

    struct Entry {
        /// Relative to the walk's root, "/"-separated.
        var relativePath: String
        var absolutePath: String
        /// A folder, or a symlink to one.
        var isDirectory: Bool
        var isSymlink: Bool
        /// A regular file itself, not a symlink, pipe, socket or device.
        var isRegularFile: Bool
        /// 1 for the root's own children.
        var depth: Int
    }

    /// Calls `visit` for every entry down to `maxDepth` levels, a folder before its contents;
    /// stops early when `visit` returns false. Folders that cannot be read are passed over.
    static func walk(_ root: String, maxDepth: Int, visit: (Entry) -> Bool) {
        _ = walk(root, relative: "", depth: 1, maxDepth: maxDepth, visit: visit)
    }

    private static func walk(
        _ folder: String, relative: String, depth: Int, maxDepth: Int, visit: (Entry) -> Bool
    ) -> Bool {
        guard depth <= maxDepth, !Task.isCancelled,
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else { return true }
        for name in names.sorted() where !isSkipped(name) {
            let absolute = folder == "/" ? "/" + name : folder + "/" + name
            let entry = makeEntry(absolute, relativePath: relative.isEmpty ? name : relative + "/" + name, depth: depth)
            guard visit(entry) else { return false }
            if entry.isDirectory, !entry.isSymlink, virtualFileSystem(containing: absolute) == nil {
                guard walk(absolute, relative: entry.relativePath, depth: depth + 1, maxDepth: maxDepth, visit: visit)
                else { return false }
            }
        }
        return true
    }

    private static func makeEntry(_ absolute: String, relativePath: String, depth: Int) -> Entry {
        var status = stat()
        let exists = lstat(absolute, &status) == 0
        let isSymlink = exists && (status.st_mode & S_IFMT) == S_IFLNK
        let isRegularFile = exists && (status.st_mode & S_IFMT) == S_IFREG
        var target = stat()
        let isDirectory = stat(absolute, &target) == 0 && (target.st_mode & S_IFMT) == S_IFDIR
        return Entry(
            relativePath: relativePath, absolutePath: absolute, isDirectory: isDirectory, isSymlink: isSymlink,
            isRegularFile: isRegularFile, depth: depth
        )
    }
}
