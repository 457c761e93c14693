import Foundation

/// Finds the project a folder belongs to without running git: start-up must stay fast, and a
/// stat per parent folder costs microseconds where spawning git costs milliseconds.
public enum ProjectRoot {
    /// The nearest folder at or above `folder` that holds a `.git` entry (a directory in a
    /// clone, a file in a worktree or a submodule), or nil outside a repository.
    public static func gitRoot(containing folder: URL) -> URL? {
        var components = folder.standardizedFileURL.path.split(separator: "/").map(String.init)
        while true {
            let path = "/" + components.joined(separator: "/")
            if exists(path == "/" ? "/.git" : path + "/.git") { return URL(fileURLWithPath: path) }
            guard !components.isEmpty else { return nil }
            components.removeLast()
        }
    }

    /// The folders from `root` down to `leaf`, both included; just `leaf` when it is not below `root`.
    public static func chain(from root: URL, to leaf: URL) -> [URL] {
        let rootParts = root.standardizedFileURL.path.split(separator: "/")
        let leafParts = leaf.standardizedFileURL.path.split(separator: "/")
        guard leafParts.starts(with: rootParts) else { return [leaf.standardizedFileURL] }
        return (rootParts.count...leafParts.count).map { count in
            URL(fileURLWithPath: "/" + leafParts.prefix(count).joined(separator: "/"))
        }
    }

    private static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}
