import AgentProtocol
import Foundation
import Synchronization
import Testing

@testable import AgentCore

/// A workspace, a state folder beside it, and a checkpointer for session `session`.
struct CheckpointHarness {
    let ws: TemporaryWorkspace
    let checkpoints: String
    let notes = NoteLog()
    let checkpointer: Checkpointer

    init(session: String? = "20260101-000000-abcdef", git: String? = Checkpointer.findGit(),
         ws: TemporaryWorkspace? = nil, checkpoints: String? = nil) throws {
        let ws = try ws ?? TemporaryWorkspace()
        self.ws = ws
        self.checkpoints = checkpoints ?? ws.base.path + "/state/checkpoints"
        let notes = self.notes
        checkpointer = Checkpointer(
            workspace: URL(fileURLWithPath: ws.root), checkpointsDirectory: self.checkpoints, gitExecutable: git,
            owner: { session }, note: { text in notes.add(text) })
    }

    /// One turn: the checkpointer is told before `change` runs, and when it ends. With `naming`
    /// the call names the files it changes (as the file tools do); without, it may change
    /// anything (as run_shell).
    func turn(outside: [String] = [], naming: [String]? = nil, _ change: () throws -> Void) async throws {
        await willChange(outside: outside, naming: naming)
        try change()
        await checkpointer.turnEnded()
    }

    func willChange(outside: [String] = [], naming: [String]? = nil) async {
        await checkpointer.willChange(
            ToolCall(id: "c", name: naming == nil ? "run_shell" : "write_file", arguments: "{}"),
            plan: ToolPlan(summary: "x", outsidePaths: outside, changedPaths: naming.map { $0.map(ws.path) }))
    }
}

@Suite(.timeLimit(.minutes(2))) struct CheckpointerTests {
    @Test func undoRestoresChangedFilesRemovesCreatedOnesAndBringsBackDeletedOnes() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("keep.txt", "original\n")
        try h.ws.write("gone.txt", "deleted by the turn\n")
        try h.ws.write("untouched.txt", "same\n")
        try await h.turn {
            try h.ws.write("keep.txt", "changed\n")
            try h.ws.write("new/deep/created.txt", "created\n")
            try FileManager.default.removeItem(atPath: h.ws.path("gone.txt"))
        }
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored.sorted() == ["gone.txt", "keep.txt"])
        #expect(report.removed == ["new/deep/created.txt"])
        #expect(report.leftAlone.isEmpty)
        #expect(try h.ws.read("keep.txt") == "original\n")
        #expect(try h.ws.read("gone.txt") == "deleted by the turn\n")
        #expect(!h.ws.exists("new"))
        #expect(try h.ws.read("untouched.txt") == "same\n")
        #expect(h.notes.all.isEmpty)
        guard case .nothing = await h.checkpointer.undo() else { Issue.record("a second undo found something"); return }
    }

    @Test func undoGoesBackOneTurnAtATimeAndKeepsModes() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.sh", "v1\n")
        #expect(chmod(h.ws.path("a.sh"), 0o755) == 0)
        try await h.turn { try h.ws.write("a.sh", "v2\n") }
        try await h.turn { try h.ws.write("a.sh", "v3\n") }
        try await h.turn {}  // changed nothing: no checkpoint
        _ = await h.checkpointer.undo()
        #expect(try h.ws.read("a.sh") == "v2\n")
        _ = await h.checkpointer.undo()
        #expect(try h.ws.read("a.sh") == "v1\n")
        let mode = try FileManager.default.attributesOfItem(atPath: h.ws.path("a.sh"))[.posixPermissions] as? Int
        #expect(mode == 0o755)
    }

    @Test func aTurnOfFileToolsRecordsOnlyTheirFilesAndStillUndoes() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.txt", "a1\n")
        try h.ws.write("other.txt", "o1\n")
        try await h.turn(naming: ["a.txt", "new/b.txt"]) {
            try h.ws.write("a.txt", "a2\n")
            try h.ws.write("new/b.txt", "b\n")
            try h.ws.write("other.txt", "changed by the user meanwhile\n")
        }
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored == ["a.txt"])
        #expect(report.removed == ["new/b.txt"])
        #expect(try h.ws.read("other.txt") == "changed by the user meanwhile\n")
        #expect(try h.ws.read("a.txt") == "a1\n")
    }

    /// A turn that edits a file, then runs a command: the record widens to everything, and the
    /// file keeps its version from before the turn.
    @Test func aTurnThatWidensFromAFileToEverything() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.txt", "a1\n")
        try h.ws.write("b.txt", "b1\n")
        await h.willChange(naming: ["a.txt"])
        try h.ws.write("a.txt", "a2\n")
        await h.willChange()
        try h.ws.write("b.txt", "b2\n")
        try h.ws.write("c.txt", "c\n")
        await h.checkpointer.turnEnded()
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored.sorted() == ["a.txt", "b.txt"])
        #expect(report.removed == ["c.txt"])
        #expect(try h.ws.read("a.txt") == "a1\n")
        #expect(try h.ws.read("b.txt") == "b1\n")
    }

    /// The first snapshot of many files goes through one pack (fast-import); undo still works,
    /// modes and symlinks included, and the next snapshot sees nothing changed.
    @Test func manyFilesAtOnceGoThroughAPack() async throws {
        let h = try CheckpointHarness()
        for i in 0..<(ShadowRepository.bulkThreshold + 50) { try h.ws.write("many/f\(i).txt", "file \(i)\n") }
        try h.ws.write("run.sh", "#!/bin/sh\n")
        #expect(chmod(h.ws.path("run.sh"), 0o755) == 0)
        try h.ws.symlink("link", to: "run.sh")
        try await h.turn {
            try h.ws.write("many/f7.txt", "changed\n")
            try h.ws.write("run.sh", "#!/bin/sh\necho\n")
            try FileManager.default.removeItem(atPath: h.ws.path("link"))
        }
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored.sorted() == ["link", "many/f7.txt", "run.sh"])
        #expect(try h.ws.read("many/f7.txt") == "file 7\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: h.ws.path("link")) == "run.sh")
        let mode = try FileManager.default.attributesOfItem(atPath: h.ws.path("run.sh"))[.posixPermissions] as? Int
        #expect(mode == 0o755)
        let packs = try FileManager.default.subpathsOfDirectory(atPath: h.checkpoints).filter { $0.hasSuffix(".pack") }
        #expect(packs.count == 1)
    }

    @Test func aFileChangedAgainAfterTheTurnIsLeftAlone() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.txt", "before\n")
        try h.ws.write("b.txt", "before\n")
        try await h.turn {
            try h.ws.write("a.txt", "by the turn\n")
            try h.ws.write("b.txt", "by the turn\n")
        }
        try h.ws.write("b.txt", "by the user afterwards\n")
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored == ["a.txt"])
        #expect(report.leftAlone == ["b.txt"])
        #expect(try h.ws.read("b.txt") == "by the user afterwards\n")
    }

    @Test func diffShowsWhatTheLastTurnChanged() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.txt", "one\ntwo\n")
        try await h.turn { try h.ws.write("a.txt", "one\nTWO\n") }
        guard case .done(let diff) = await h.checkpointer.lastTurnDiff() else { Issue.record("no diff"); return }
        #expect(diff.changes == [WorkspaceChange(path: "a.txt", kind: .modified)])
        #expect(diff.patch.contains("-two\n+TWO\n"))
    }

    @Test func theUsersGitRepositoryAndIgnoredFilesAreNeverTouched() async throws {
        let h = try CheckpointHarness()
        try h.ws.write(".git/HEAD", "ref: refs/heads/main\n")
        try h.ws.write(".gitignore", "secret.env\n")
        try h.ws.write("secret.env", "A=1\n")
        try h.ws.write("code.txt", "v1\n")
        try await h.turn {
            try h.ws.write("code.txt", "v2\n")
            try h.ws.write(".git/HEAD", "changed by the turn\n")
            try h.ws.write("secret.env", "A=2\n")
        }
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored == ["code.txt"])
        #expect(try h.ws.read(".git/HEAD") == "changed by the turn\n")
        #expect(try h.ws.read("secret.env") == "A=2\n")
        // Nothing of agent's went into the workspace.
        #expect(try h.ws.contents().sorted() == [".git", ".gitignore", "code.txt", "secret.env"])
    }

    @Test func largeFilesAreNotCheckpointed() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("small.txt", "v1\n")
        try await h.turn {
            try h.ws.write("small.txt", "v2\n")
            try h.ws.write("big.bin", Data(count: ShadowRepository.maxFileSize + 1))
        }
        guard case .done(let report) = await h.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.restored == ["small.txt"])
        #expect(report.removed.isEmpty)
        #expect(h.ws.exists("big.bin"))
    }

    @Test func checkpointsSurviveANewProcessOfTheSameSession() async throws {
        let first = try CheckpointHarness()
        try first.ws.write("a.txt", "v1\n")
        try await first.turn { try first.ws.write("a.txt", "v2\n") }
        let second = try CheckpointHarness(ws: first.ws, checkpoints: first.checkpoints)
        guard case .done = await second.checkpointer.undo() else { Issue.record("no undo: \(second.notes.all)"); return }
        #expect(try first.ws.read("a.txt") == "v1\n")
        let other = try CheckpointHarness(session: "20260101-000000-bbbbbb", ws: first.ws, checkpoints: first.checkpoints)
        guard case .nothing = await other.checkpointer.undo() else { Issue.record("another session undid"); return }
    }

    @Test func withoutGitItSaysSoOnceAndTheTurnGoesOn() async throws {
        let h = try CheckpointHarness(git: nil)
        try await h.turn { try h.ws.write("a.txt", "x\n") }
        try await h.turn { try h.ws.write("a.txt", "y\n") }
        #expect(h.notes.all.count == 1)
        #expect(h.notes.all.first?.contains("git was not found") == true)
        guard case .nothing(let reason) = await h.checkpointer.undo() else { Issue.record("undo without git"); return }
        #expect(reason.contains("off"))
    }

    @Test func outsidePathsAreNamedAsNotCheckpointed() async throws {
        let h = try CheckpointHarness()
        try await h.turn(outside: ["/etc/hosts"]) {}
        #expect(h.notes.all.contains { $0.contains("/etc/hosts") && $0.contains("not checkpointed") })
    }

    @Test func aTurnWhoseEndWasNotRecordedIsUndoneToItsStart() async throws {
        let h = try CheckpointHarness()
        try h.ws.write("a.txt", "v1\n")
        await h.checkpointer.willChange(ToolCall(id: "c", name: "run_shell", arguments: "{}"), plan: ToolPlan(summary: "x"))
        try h.ws.write("a.txt", "v2\n")
        // A new process (the old one was killed before the turn ended).
        let next = try CheckpointHarness(ws: h.ws, checkpoints: h.checkpoints)
        guard case .done(let report) = await next.checkpointer.undo() else { Issue.record("no undo: \(h.notes.all)"); return }
        #expect(report.endUnknown)
        #expect(try h.ws.read("a.txt") == "v1\n")
    }

    @Test func prunedWithTheirSession() async throws {
        let h = try CheckpointHarness()
        try await h.turn { try h.ws.write("a.txt", "x\n") }
        let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: h.checkpoints).first)
        let refs = h.checkpoints + "/" + folder + "/git/refs/checkpoints"
        #expect(try FileManager.default.contentsOfDirectory(atPath: refs) == ["20260101-000000-abcdef"])
        #expect(CheckpointPruner.prune(checkpointsDirectory: h.checkpoints, existingSessions: ["20260101-000000-abcdef"]) == 0)
        #expect(CheckpointPruner.prune(checkpointsDirectory: h.checkpoints, existingSessions: []) == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: refs).isEmpty)
        #expect(FileManager.default.fileExists(atPath: h.checkpoints + "/" + folder + "/git/HEAD"))
    }

    @Test func aShadowFolderWithNoCheckpointsLeftGoesAfterADay() async throws {
        let h = try CheckpointHarness()
        try await h.turn { try h.ws.write("a.txt", "x\n") }
        CheckpointPruner.prune(checkpointsDirectory: h.checkpoints, existingSessions: [], now: Date() + 2 * 86_400)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.checkpoints).isEmpty)
    }
}

final class NoteLog: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
