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
    func snapshot(timeout: Duration) async throws(CheckpointError) -> String {
        // `-t` tags each path: "? " untracked, "C " changed, "R " removed (a path may come twice).
        let listing = try await git.run(
            ["ls-files", "-z", "-t", "--others", "--modified", "--deleted", "--exclude-standard"], timeout: timeout)
        var update: [String] = []
        var tooLarge: [String] = []
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
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
