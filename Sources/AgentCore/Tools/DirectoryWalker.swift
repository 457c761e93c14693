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

    /// A folder the walk could not list (its relative path, "." for the root) and why.
    struct Unreadable: Equatable {
        var relativePath: String
        var reason: String
    }

    /// How a walk lists a folder; tests stand in for the file system with it.
    typealias Lister = (String) -> Result<[String], FolderListing.Failure>

    /// Calls `visit` for every entry down to `maxDepth` levels, a folder before its contents;
    /// stops early when `visit` returns false. Folders that cannot be read are passed over and
    /// returned, so that a tool says so rather than letting "no matches" stand for "not read".
    @discardableResult
    static func walk(
        _ root: String, maxDepth: Int, list: Lister = FolderListing.names, visit: (Entry) -> Bool
    ) -> [Unreadable] {
        var unreadable: [Unreadable] = []
        _ = walk(root, relative: "", depth: 1, maxDepth: maxDepth, list: list, visit: visit, unreadable: &unreadable)
        return unreadable
    }

    /// False when `visit` asked to stop.
    private static func walk(
        _ folder: String, relative: String, depth: Int, maxDepth: Int, list: Lister, visit: (Entry) -> Bool,
        unreadable: inout [Unreadable]
    ) -> Bool {
        guard depth <= maxDepth, !Task.isCancelled else { return true }
        let names: [String]
        switch list(folder) {
        case .success(let found): names = found
        case .failure(let failure):
            unreadable.append(Unreadable(relativePath: relative.isEmpty ? "." : relative, reason: failure.description))
            return true
        }
        for name in names.sorted() where !isSkipped(name) {
            let absolute = folder == "/" ? "/" + name : folder + "/" + name
            let entry = makeEntry(absolute, relativePath: relative.isEmpty ? name : relative + "/" + name, depth: depth)
            guard visit(entry) else { return false }
            if entry.isDirectory, !entry.isSymlink, virtualFileSystem(containing: absolute) == nil {
                guard walk(absolute, relative: entry.relativePath, depth: depth + 1, maxDepth: maxDepth, list: list,
                           visit: visit, unreadable: &unreadable)
                else { return false }
            }
        }
        return true
    }

    /// The line a tool adds when folders could not be read: how many, and the first few.
    static func note(_ unreadable: [Unreadable], under prefix: String) -> String? {
        guard !unreadable.isEmpty else { return nil }
        let shown = unreadable.prefix(3).map { "\(prefix)\($0.relativePath) (\($0.reason))" }.joined(separator: ", ")
        let more = unreadable.count > 3 ? ", …" : ""
        let count = unreadable.count == 1 ? "1 folder" : "\(unreadable.count) folders"
        return "[\(count) could not be read: \(shown)\(more)]"
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
