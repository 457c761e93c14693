import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The shadow git repository that holds one workspace's checkpoints, in agent's state folder
/// (`<state>/checkpoints/<name>-<hash>/`), never inside the project.
///
/// What a snapshot holds (the documented rule): every file git would see in the workspace,
/// minus what the workspace's `.gitignore` files ignore, minus the folders in `skippedFolders`,
/// minus files over `maxFileSize`, minus folders that are git repositories of their own. The
/// user's `.git` is never read or written. Line-ending, filter and encoding attributes are
/// switched off, so a restored file has exactly the bytes it had.
///
/// Invariant: every operation that reads or changes the shadow index runs under `lock`, an
/// exclusive `flock` on a file in the shadow folder, so two agents in one workspace take turns.
struct ShadowRepository: Sendable {
    static let maxFileSize = 10 * 1024 * 1024
    static let maxFiles = 50_000
    static let skippedFolders = [".build*/", "node_modules/", "target/", "__pycache__/", ".venv/"]

    let folder: String
    let workspace: String
    fileprivate(set) var git: GitRunner

    var gitDirectory: String { folder + "/git" }

    /// The shadow folder for `workspace` below `checkpointsDirectory`: the workspace's last
    /// component (for people looking) and a hash of its whole path (for uniqueness).
    static func folder(checkpointsDirectory: String, workspace: String) -> String {
        let name = workspace.split(separator: "/").last.map(String.init) ?? "root"
        let safe = String(name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || "0123456789-_.".unicodeScalars.contains($0)) }
            .map(Character.init).prefix(40))
        return checkpointsDirectory + "/" + (safe.isEmpty ? "workspace" : safe) + "-" + Self.hash(workspace)
    }

    /// FNV-1a, 64 bits, in hex: stable across runs and platforms (Swift's `Hasher` is not).
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x100_0000_01b3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    init(folder: String, workspace: String, gitExecutable: String) {
        self.folder = folder
        self.workspace = workspace
        self.git = GitRunner(
            executable: gitExecutable, gitDirectory: folder + "/git", workTree: workspace, home: folder)
    }

    /// This repository with a scratch index holding `tree`: what is snapshotted there changes
    /// only the paths it names, whatever another agent did to the shared index meanwhile.
    func scratch(from tree: String) async throws(CheckpointError) -> ShadowRepository {
        var copy = self
        copy.git.indexFile = gitDirectory + "/index.scratch"
        _ = try await copy.git.run(["read-tree", tree])
        return copy
    }

    // MARK: - Setup

    /// Creates the shadow repository if it is not there yet. `excluded` are folders inside the
    /// workspace that must never be snapshotted (agent's own state folder, when it lies there).
    func prepare(excluding excluded: [String]) async throws(CheckpointError) {
        if access(gitDirectory + "/HEAD", F_OK) != 0 {
            _ = try await git.run(["init", "-q", "--template="])
        }
        try write(Self.config, to: gitDirectory + "/config")
        try Self.makeFolder(gitDirectory + "/info")
        try write("* -text -eol -filter -ident -working-tree-encoding\n", to: gitDirectory + "/info/attributes")
        let exclusions = Self.skippedFolders + excluded.map { "/" + Self.escapedPattern($0) + "/" }
        try write("# written by agent: never checkpointed\n" + exclusions.joined(separator: "\n") + "\n",
                  to: gitDirectory + "/info/exclude")
        try write(workspace + "\n", to: folder + "/workspace")
    }

    static let config = """
        [core]
        \trepositoryformatversion = 0
        \tbare = false
        \tfilemode = true
        \tsymlinks = true
        \tlogallrefupdates = false
        \tautocrlf = false
        \tsafecrlf = false
        \tquotepath = false
        \tuntrackedCache = true
        \tfsmonitor = false
        \thooksPath = /dev/null
        [gc]
        \tauto = 0
        [advice]
        \taddEmbeddedRepo = false

        """

    private func write(_ text: String, to path: String) throws(CheckpointError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .storage("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func makeFolder(_ path: String) throws(CheckpointError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .storage("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// `path` as a gitignore pattern that matches only itself.
    static func escapedPattern(_ path: String) -> String {
        var out = ""
        for character in path {
            if "\\*?[!# ".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    // MARK: - Locking

    /// Runs `body` holding the shadow folder's lock; waits up to `wait` for another agent.
    /// Runs on the caller's executor, so `body` may touch the caller's state (an actor's).
    nonisolated(nonsending) func withLock<T>(
        wait: Duration = .seconds(30), _ body: () async throws(CheckpointError) -> T
    ) async throws(CheckpointError) -> T {
        try Self.makeFolder(folder)
        let descriptor = open(folder + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .storage("cannot open \(folder)/lock: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let deadline = ContinuousClock.now + wait
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw .busy }
            guard ContinuousClock.now < deadline else { throw .busy }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                throw .cancelled
            }
        }
        return try await body()
    }
}
