import AgentProtocol
import Foundation

/// Checkpoints of the workspace, one per turn that changed it, so `/undo` can put the files
/// back and `/diff` can show what a turn did.
///
/// Before the first change of a turn (the first approved call of a mutating tool) it snapshots
/// the whole workspace into the shadow repository and keeps the commit under
/// `refs/checkpoints/<session>/<n>`; when the turn ends it snapshots again and records that
/// state as the commit's child. A turn that changed nothing leaves no checkpoint. Checkpoints
/// belong to a session (they survive `--continue` and `--resume`) and go when it is pruned.
///
/// Failures never stop a turn: the first one is reported through `note` and checkpoints stay
/// off for the rest of the session (a missing `git` is said once, at the first change).
public actor Checkpointer: ChangeTracker {
    /// The undo stack of this session, newest last; for `/undo` and `/diff`.
    struct Entry: Sendable {
        var ref: String
        var commit: String
    }

    private enum Status {
        case unprepared
        case ready(ShadowRepository)
        case off
    }

    private struct OpenTurn {
        var ref: String
        var commit: String
        var tree: String
        /// The paths (relative) the turn's calls named, while they all named theirs; nil once a
        /// call that may change anything ran, from when `tree` holds the whole workspace.
        var paths: Set<String>?
    }

    let workspace: String
    let checkpointsDirectory: String
    private let excluded: [String]
    private let gitExecutable: String?
    private let owner: @Sendable () async -> String?
    private let note: @Sendable (String) -> Void
    private let timeout: Duration
    private let unsavedOwner = "unsaved-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
    private var status = Status.unprepared
    private var turn: OpenTurn?

    /// - Parameters:
    ///   - checkpointsDirectory: `<state>/checkpoints`; each workspace gets a folder in it.
    ///   - excluding: folders (absolute) never to snapshot, such as agent's own state folder.
    ///   - owner: the id of the session the checkpoints belong to, nil while it is not saved.
    ///   - note: shows a one-line message to the user.
    public init(
        workspace: URL, checkpointsDirectory: String, excluding: [String] = [],
        gitExecutable: String? = Checkpointer.findGit(), snapshotTimeout: Duration = .seconds(60),
        owner: @escaping @Sendable () async -> String?, note: @escaping @Sendable (String) -> Void
    ) {
        let root = WorkspacePaths(workspace: workspace).root
        self.workspace = root
        self.checkpointsDirectory = checkpointsDirectory
        self.excluded = excluding.map { WorkspacePaths.canonicalize($0) }.compactMap { path in
            WorkspacePaths.isPath(path, inside: root) && path != root ? String(path.dropFirst(root.count + 1)) : nil
        }
        self.gitExecutable = gitExecutable
        self.timeout = snapshotTimeout
        self.owner = owner
        self.note = note
    }

    // MARK: - ChangeTracker

    /// The first change of a turn records the state before it: the files the call names (the
    /// file tools), or the whole workspace (a shell command, any tool that names no paths). A
    /// later call that reaches further widens that record to what it may change, keeping the
    /// versions from before the turn of whatever the turn already changed.
    public func willChange(_ call: ToolCall, plan: ToolPlan) async {
        if !plan.outsidePaths.isEmpty {
            note("not checkpointed (outside the workspace, /undo cannot restore it): "
                + plan.outsidePaths.joined(separator: ", "))
        }
        let paths = plan.changedPaths.map { Set($0.compactMap(relative)) }
        if let open = turn, let covered = open.paths, let paths, paths.isSubset(of: covered) { return }
        if let open = turn, open.paths == nil { return }
        guard let repository = await ready() else { return }
        let ownerID = await currentOwner()
        let previous = turn
        do {
            turn = try await repository.withLock { () throws(CheckpointError) -> OpenTurn in
                try await record(before: paths, extending: previous, owner: ownerID, in: repository)
            }
        } catch {
            fail(error)
        }
    }

    /// Snapshots the state before the turn's changes: the named `paths` (nil: everything),
    /// added to what `previous` (this turn's record so far) holds, and points the turn's ref at it.
    private func record(
        before paths: Set<String>?, extending previous: OpenTurn?, owner ownerID: String, in repository: ShadowRepository
    ) async throws(CheckpointError) -> OpenTurn {
        let done = previous?.paths ?? []
        let tree: String
        if let previous, let paths {
            // More named paths: the record so far plus their state now.
            let scratch = try await repository.scratch(from: previous.tree)
            tree = try await scratch.snapshot(only: paths.subtracting(done).sorted(), timeout: timeout)
        } else if let previous {
            // Now anything may change: all of the workspace, but what the turn already changed
            // as it was before the turn.
            let everything = try await repository.snapshot(timeout: timeout)
            let scratch = try await repository.scratch(from: everything)
            try await scratch.resetIndex(done.sorted(), to: previous.tree)
            tree = try await scratch.snapshot(only: [], timeout: timeout)
        } else {
            tree = try await repository.snapshot(only: paths.map { $0.sorted() }, timeout: timeout)
        }
        let commit = try await repository.commit(tree: tree, parent: nil, message: "agent: before a turn")
        let ref: String
        if let previous {
            ref = previous.ref
        } else {
            let existing = try await repository.refs(under: Self.prefix(ownerID))
            ref = Self.prefix(ownerID) + Self.sequenceName(after: existing.last?.name)
        }
        try await repository.updateRef(ref, to: commit)
        return OpenTurn(ref: ref, commit: commit, tree: tree, paths: paths.map { $0.union(done) })
    }

    public func turnEnded() async {
        guard let open = turn, case .ready(let repository) = status else { return }
        turn = nil
        let timeout = self.timeout
        // Not cancelled with the turn: Ctrl-C is exactly when the user may want /undo next.
        let result = await Task { () -> Result<Void, CheckpointError> in
            do throws(CheckpointError) {
                try await repository.withLock { () throws(CheckpointError) in
                    let tree: String
                    if let paths = open.paths {
                        let scratch = try await repository.scratch(from: open.tree)
                        tree = try await scratch.snapshot(only: paths.sorted(), timeout: timeout)
                        // The shared index learns the new versions too, so the next full
                        // snapshot does not hash them again.
                        _ = try await repository.snapshot(only: paths.sorted(), timeout: timeout)
                    } else {
                        tree = try await repository.snapshot(timeout: timeout)
                    }
                    if tree == open.tree {
                        try await repository.deleteRef(open.ref)
                        return
                    }
                    let commit = try await repository.commit(tree: tree, parent: open.commit, message: "agent: after a turn")
                    try await repository.updateRef(open.ref, to: commit)
                }
                return .success(())
            } catch {
                return .failure(error)
            }
        }.value
        if case .failure(let error) = result { fail(error) }
    }

    /// `path` (canonical) relative to the workspace, or nil outside it.
    private func relative(_ path: String) -> String? {
        guard WorkspacePaths.isPath(path, inside: workspace), path != workspace else { return nil }
        return String(path.dropFirst(workspace == "/" ? 1 : workspace.count + 1))
    }

    // MARK: - Helpers

    /// The `git` executable on PATH, or nil (checkpoints are then off).
    public static func findGit() -> String? { GitRunner.find() }

    static func prefix(_ owner: String) -> String { "refs/checkpoints/\(owner)/" }

    /// Eight digits, one more than the last ref's, so refs sort in the order they were made.
    static func sequenceName(after last: String?) -> String {
        let previous = last.flatMap { Int($0.split(separator: "/").last ?? "") } ?? 0
        let next = String(previous + 1)
        return String(repeating: "0", count: max(0, 8 - next.count)) + next
    }

    func currentOwner() async -> String {
        guard let id = await owner(), SessionID.isValid(id) else { return unsavedOwner }
        return id
    }

    /// The repository, prepared on first use; nil when checkpoints are off.
    func ready() async -> ShadowRepository? {
        switch status {
        case .ready(let repository): return repository
        case .off: return nil
        case .unprepared: break
        }
        guard let gitExecutable else {
            status = .off
            note("checkpoints are off: git was not found on PATH, so /undo and /diff are not available")
            return nil
        }
        let folder = ShadowRepository.folder(checkpointsDirectory: checkpointsDirectory, workspace: workspace)
        let repository = ShadowRepository(folder: folder, workspace: workspace, gitExecutable: gitExecutable)
        do {
            try await repository.withLock { () throws(CheckpointError) in
                try await repository.prepare(excluding: excluded)
            }
        } catch {
            fail(error)
            return nil
        }
        status = .ready(repository)
        return repository
    }

    /// Reports `error` and turns checkpoints off, except for a cancellation (the turn stops;
    /// the next one tries again).
    func fail(_ error: CheckpointError) {
        if case .cancelled = error { return }
        status = .off
        turn = nil
        note("checkpoints are off for this session: \(error)")
    }

    /// The newest checkpoint of this session, if any.
    func lastEntry() async throws(CheckpointError) -> (ShadowRepository, Entry)? {
        guard let repository = await ready() else { return nil }
        let ownerID = await currentOwner()
        let refs = try await repository.refs(under: Self.prefix(ownerID))
        guard let last = refs.last else { return nil }
        return (repository, Entry(ref: last.name, commit: last.commit))
    }

    /// Forgets checkpoints that belong to no saved session (at exit, for `--no-save`).
    public func discardUnsaved() async {
        guard case .ready(let repository) = status else { return }
        let prefix = Self.prefix(unsavedOwner)
        do {
            try await repository.withLock { () throws(CheckpointError) in
                for ref in try await repository.refs(under: prefix) { try await repository.deleteRef(ref.name) }
            }
        } catch {
            note("could not remove the checkpoints of this unsaved session: \(error)")
        }
    }

    /// Whether checkpoints could work at all (for `/undo` to explain itself).
    public var isOff: Bool {
        if case .off = status { return true }
        return false
    }
}
