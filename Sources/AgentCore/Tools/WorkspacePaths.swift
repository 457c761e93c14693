import Foundation

/// A path argument resolved against the workspace.
public struct ResolvedPath: Sendable, Equatable {
    /// Absolute, with `.`, `..` and every symlink along the way resolved; components that do not
    /// exist yet are kept as written.
    public var path: String
    /// True when `path` is the workspace or lies below it (both canonical).
    public var isInsideWorkspace: Bool
    /// What the model is shown: relative to the workspace when inside ("." for the workspace
    /// itself), the absolute path otherwise.
    public var display: String
}

/// Resolves path arguments the way the kernel would open them, so a `../`, an absolute path or a
/// symlink cannot reach outside the workspace unnoticed.
///
/// Invariant: `root` is canonical (absolute, no `.`/`..`, no symlinks), and every
/// `ResolvedPath.path` it returns is canonical in the same sense.
public struct WorkspacePaths: Sendable {
    /// The canonical workspace directory.
    public let root: String

    public init(workspace: URL) {
        self.root = Self.canonicalize(workspace.path)
    }

    /// Resolves `argument`: `~` and `~/…` are the home directory, a relative path is relative to
    /// the workspace.
    public func resolve(_ argument: String) -> ResolvedPath {
        let expanded = Self.expandTilde(argument)
        let absolute = expanded.hasPrefix("/") ? expanded : root + "/" + expanded
        let path = Self.canonicalize(absolute)
        let inside = Self.isPath(path, inside: root)
        return ResolvedPath(path: path, isInsideWorkspace: inside, display: inside ? relative(path) : path)
    }

    /// The path relative to the workspace; "." for the workspace itself. Only meaningful for a
    /// path inside it.
    func relative(_ path: String) -> String {
        if path == root { return "." }
        let prefix = root == "/" ? "/" : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func isPath(_ path: String, inside root: String) -> Bool {
        if root == "/" { return true }
        return path == root || path.hasPrefix(root + "/")
    }

    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return NSHomeDirectory() + path.dropFirst()
    }

    /// Walks `absolute` one component at a time like realpath(3), but keeps going past components
    /// that do not exist (lexically), so a file about to be created is checked through its
    /// deepest existing parent. A dangling symlink is followed too: writing through it would
    /// create its target.
    static func canonicalize(_ absolute: String) -> String {
        var resolved: [String] = []
        // A stack, last element next, so a symlink's target can be pushed in front of the rest.
        var pending = Array(absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
        var linksFollowed = 0
        while let component = pending.popLast() {
            switch component {
            case ".":
                continue
            case "..":
                _ = resolved.popLast()
                continue
            default:
                break
            }
            let candidate = "/" + (resolved + [component]).joined(separator: "/")
            // 40 is the kernel's own limit (ELOOP); past it the path cannot be opened anyway.
            if linksFollowed < 40, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
                linksFollowed += 1
                if target.hasPrefix("/") { resolved.removeAll() }
                pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
            } else {
                resolved.append(component)
            }
        }
        return "/" + resolved.joined(separator: "/")
    }
}

extension ToolContext {
    var paths: WorkspacePaths { WorkspacePaths(workspace: workspace) }

    /// Resolves a path argument for `run`: a path outside the workspace is refused unless this
    /// call was approved.
    func checkedPath(_ argument: String) throws(ToolError) -> ResolvedPath {
        let paths = self.paths
        let resolved = paths.resolve(argument)
        if !resolved.isInsideWorkspace && !allowOutsideWorkspace {
            throw ToolError("path '\(argument)' is outside the workspace \(paths.root)")
        }
        return resolved
    }

    /// The canonical paths outside the workspace among `arguments`, for `ToolPlan.outsidePaths`.
    func outsidePaths(_ arguments: [String]) -> [String] {
        let paths = self.paths
        return arguments.map(paths.resolve).filter { !$0.isInsideWorkspace }.map(\.path)
    }
}
