import AgentProtocol
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Snapshots, commits, refs, diffs and restores: each a few git plumbing commands. Callers
/// hold `withLock`.
extension ShadowRepository {
    /// Records the workspace in the shadow index and returns the tree of that state. Only what
    /// changed since the last snapshot is read (git compares each file's stat data first).
    /// With `only`, just those paths (relative) are brought up to date, which costs nothing like
    /// a walk of the workspace; the tree then holds the others as the index last saw them.
    func snapshot(only paths: [String]? = nil, timeout: Duration) async throws(CheckpointError) -> String {
        var (update, tooLarge) = try await changedPaths(only: paths, timeout: timeout)
        if update.count > Self.bulkThreshold {
            update = try await bulkAdd(update, timeout: timeout)
        }
        if !update.isEmpty {
            _ = try await git.run(["update-index", "-z", "--add", "--remove", "--stdin"],
                                  input: Self.nulJoined(update), timeout: timeout)
        }
        if !tooLarge.isEmpty {
            // A file that grew past the limit leaves the index: a later /undo then restores the
            // version from before it grew.
            _ = try await git.run(["update-index", "-z", "--force-remove", "--stdin"],
                                  input: Self.nulJoined(tooLarge), timeout: timeout)
        }
        return try await text(["write-tree"], timeout: timeout)
    }

    /// The paths to bring up to date, and those to drop from the index as too large.
    private func changedPaths(only paths: [String]?, timeout: Duration)
        async throws(CheckpointError) -> (update: [String], tooLarge: [String])
    {
        var update: [String] = []
        var tooLarge: [String] = []
        if let paths {
            for path in Set(paths).sorted() where Self.isTrackable(path) {
                if isLarge(path) || isFolder(path) { tooLarge.append(path) } else { update.append(path) }
            }
            return (update, tooLarge)
        }
        // `-t` tags each path: "? " untracked, "C " changed, "R " removed (a path may come twice).
        let listing = try await git.run(
            ["ls-files", "-z", "-t", "--others", "--modified", "--deleted", "--exclude-standard"], timeout: timeout)
        var seen = Set<String>()
        var untracked = 0
        for entry in listing.split(separator: 0) where entry.count > 2 {
            let tag = entry[entry.startIndex]
            let path = String(decoding: entry.dropFirst(2), as: UTF8.self)
            // A folder with a .git of its own shows as "dir/": it is not ours to copy.
            guard !path.hasSuffix("/"), seen.insert(path).inserted else { continue }
            if tag == UInt8(ascii: "?") { untracked += 1 }
            if isLarge(path) { tooLarge.append(path) } else { update.append(path) }
        }
        guard untracked <= Self.maxFiles else { throw .tooManyFiles(count: untracked, limit: Self.maxFiles) }
        return (update, tooLarge)
    }

    /// Git refuses a path with a `.git` component (the user's repository is never ours), and
    /// one that leaves the workspace.
    static func isTrackable(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && !path.split(separator: "/").contains { $0 == ".git" || $0 == ".." || $0 == "." }
    }

    private func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(workspace + "/" + path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Sets the index entries of `paths` to what they are in `tree` (removing those it lacks),
    /// so the next `write-tree` has them as they were then.
    func resetIndex(_ paths: [String], to tree: String) async throws(CheckpointError) {
        guard !paths.isEmpty else { return }
        let listing = try await git.run(["ls-tree", "-r", "-z", "--full-tree", tree, "--"] + paths)
        var entries: [UInt8] = []
        var present = Set<String>()
        for entry in listing.split(separator: 0) {
            entries.append(contentsOf: entry)
            entries.append(0)
            if let tab = entry.firstIndex(of: UInt8(ascii: "\t")) {
                present.insert(String(decoding: entry[(tab + 1)...], as: UTF8.self))
            }
        }
        let absent = paths.filter { !present.contains($0) }
        if !absent.isEmpty {
            _ = try await git.run(["update-index", "-z", "--force-remove", "--stdin"], input: Self.nulJoined(absent))
        }
        if !entries.isEmpty { _ = try await git.run(["update-index", "-z", "--index-info"], input: entries) }
    }

    private func isLarge(_ path: String) -> Bool {
        var info = stat()
        guard lstat(workspace + "/" + path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return Int64(info.st_size) > Int64(Self.maxFileSize)
    }

    /// A commit of `tree` (with `parent`), for a ref to hold.
    func commit(tree: String, parent: String?, message: String) async throws(CheckpointError) -> String {
        var arguments = ["commit-tree", tree, "-m", message]
        if let parent { arguments += ["-p", parent] }
        return try await text(arguments)
    }

    func updateRef(_ name: String, to commit: String) async throws(CheckpointError) {
        _ = try await git.run(["update-ref", "--no-deref", name, commit])
    }

    func deleteRef(_ name: String) async throws(CheckpointError) {
        _ = try await git.run(["update-ref", "--no-deref", "-d", name])
    }

    /// The refs below `prefix` with the commit each names, sorted by name.
    func refs(under prefix: String) async throws(CheckpointError) -> [(name: String, commit: String)] {
        let output = try await text(["for-each-ref", "--format=%(refname) %(objectname)", "--sort=refname", prefix])
        return output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    /// The tree of `commit` and the tree of its parent, if it has one.
    func trees(of commit: String) async throws(CheckpointError) -> (tree: String, parentTree: String?) {
        let body = try await text(["cat-file", "commit", commit])
        var tree: String?
        var parent: String?
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }
            if line.hasPrefix("tree ") { tree = String(line.dropFirst(5)) }
            if line.hasPrefix("parent "), parent == nil { parent = String(line.dropFirst(7)) }
        }
        guard let tree else { throw .gitFailed(command: "cat-file", status: "bad commit", detail: commit) }
        guard let parent else { return (tree, nil) }
        return (tree, try await text(["rev-parse", parent + "^{tree}"]))
    }

    /// The paths that differ between two trees.
    func changes(from old: String, to new: String) async throws(CheckpointError) -> [WorkspaceChange] {
        let output = try await git.run(["diff-tree", "-r", "-z", "--no-renames", "--name-status", old, new])
        return WorkspaceChange.parse(nameStatus: output)
    }

    /// A unified diff between two trees, for `/diff`.
    func patch(from old: String, to new: String) async throws(CheckpointError) -> String {
        let output = try await git.run(
            ["diff-tree", "-r", "-p", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv", old, new],
            outputLimit: 16 << 20)
        return String(decoding: output, as: UTF8.self)
    }

    /// Puts `paths` back as they are in `tree`: files and symlinks with their content and mode.
    func checkout(_ paths: [String], from tree: String) async throws(CheckpointError) {
        guard !paths.isEmpty else { return }
        _ = try await git.run(["checkout", "-q", tree, "--pathspec-from-file=-", "--pathspec-file-nul"],
                              input: Self.nulJoined(paths))
    }

    /// Deletes `paths` from the workspace and the index, then the folders that held them if
    /// they are empty now and are not folders of `keptTree`.
    func remove(_ paths: [String], keeping keptTree: String) async throws(CheckpointError) {
        guard !paths.isEmpty else { return }
        var folders = Set<String>()
        for path in paths {
            if unlink(workspace + "/" + path) != 0, errno != ENOENT {
                throw .storage("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            var parent = Substring(path)
            while let slash = parent.lastIndex(of: "/") {
                parent = parent[..<slash]
                folders.insert(String(parent))
            }
        }
        _ = try await git.run(["update-index", "-z", "--force-remove", "--stdin"], input: Self.nulJoined(paths))
        let existing = try await git.run(["ls-tree", "-d", "-r", "-z", "--name-only", keptTree])
        let kept = Set(existing.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        // Deepest first, so a parent is tried after its children.
        for folder in folders.sorted(by: { $0.count > $1.count }) where !kept.contains(folder) {
            _ = rmdir(workspace + "/" + folder)
        }
    }

    private func text(_ arguments: [String], timeout: Duration = .seconds(30)) async throws(CheckpointError) -> String {
        let output = try await git.run(arguments, timeout: timeout)
        return String(decoding: output, as: UTF8.self).trimmedWhitespace()
    }

    static func nulJoined(_ paths: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for path in paths {
            bytes.append(contentsOf: path.utf8)
            bytes.append(0)
        }
        return bytes
    }
}
