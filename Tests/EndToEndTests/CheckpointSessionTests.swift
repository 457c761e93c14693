import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// Checkpoints belong to their session, through the built binary: `--resume ID` undoes that
/// session's turn and no other's, `sessions delete` drops a session's checkpoints, and a long
/// session (its early turns trimmed from what the model is sent) undoes turn by turn to the start.
@Suite(.timeLimit(.minutes(3))) struct CheckpointSessionTests {
    static let prompt = "test-model> "

    static func call(_ name: String, _ arguments: JSONValue, id: String = "t1") -> FakeReply {
        .sse([SSE.toolCall(index: 0, id: id, name: name, arguments: arguments.jsonText), SSE.finish("tool_calls"), SSE.done])
    }

    func read(_ home: TestHome, _ path: String) throws -> String {
        try String(contentsOf: home.workspace.appendingPathComponent(path), encoding: .utf8)
    }

    /// The sessions that have checkpoints, by the folders of their refs in the shadow repositories.
    func checkpointOwners(_ home: TestHome) throws -> Set<String> {
        let root = home.state.appendingPathComponent("agent/checkpoints").path
        var owners: Set<String> = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: root) {
            let refs = root + "/" + folder + "/git/refs/checkpoints"
            for owner in (try? FileManager.default.contentsOfDirectory(atPath: refs)) ?? [] {
                let turns = (try? FileManager.default.contentsOfDirectory(atPath: refs + "/" + owner)) ?? []
                if !turns.isEmpty { owners.insert(owner) }
            }
        }
        return owners
    }

    /// Runs `-p` once with a model that writes `path`, and returns the new session's id.
    func writeInOneShot(_ home: TestHome, _ path: String, _ content: String) async throws -> String {
        let before = Set(home.sessionFiles().map(\.lastPathComponent))
        let (result, _) = try await AgentBinary.run(["-p", "write \(path)", "--approval", "auto"], home: home, script: [
            Self.call("write_file", ["path": .string(path), "content": .string(content)]), .sse(SSE.answer(["wrote it"])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let name = try #require(home.sessionFiles().map(\.lastPathComponent).first { !before.contains($0) && $0.hasSuffix(".jsonl") })
        return String(name.dropLast(".jsonl".count))
    }

    @Test func resumeUndoesThatSessionsTurnAndDeleteDropsItsCheckpoints() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try "a before\n".write(to: home.workspace.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "b before\n".write(to: home.workspace.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let first = try await writeInOneShot(home, "a.txt", "a after\n")
        let second = try await writeInOneShot(home, "b.txt", "b after\n")
        #expect(try checkpointOwners(home) == [first, second])

        let server = FakeModelServer(script: [])
        try await server.start()
        let agent = try AgentBinary.repl(home, server, ["--resume", first])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("/undo")
        try await agent.waitFor("Restored 1 file: a.txt")
        let mark = agent.mark()
        agent.sendLine("/undo")
        try await agent.waitFor("No file changes recorded in this session yet.", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(try read(home, "a.txt") == "a before\n")
        #expect(try read(home, "b.txt") == "b after\n")

        let delete = try await AgentBinary.run(["sessions", "delete", second], home: home,
                                               environment: home.environment(endpoint: nil))
        #expect(delete.status == 0, "stderr: \(delete.stderr)")
        #expect(try checkpointOwners(home).isEmpty)
    }

    /// Twelve turns, alternating `write_file` and `run_shell`, in a history capped so small that
    /// the early turns are trimmed from what the model is sent; `/undo` still walks back every
    /// turn, newest first, to the workspace as it was.
    /// Before, a sessions folder that could not be read listed as empty, and the pruner at start
    /// took every saved session's checkpoints for orphans and removed them.
    @Test func checkpointsStayWhenTheSessionsFolderCannotBeRead() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let refs = home.state.appendingPathComponent("agent/checkpoints/ws/git/refs/checkpoints")
        try FileManager.default.createDirectory(at: refs, withIntermediateDirectories: true)
        let ref = refs.appendingPathComponent("20260101-000000-abcdef")
        try Data("0123456789012345678901234567890123456789\n".utf8).write(to: ref)
        try FileManager.default.createDirectory(at: home.sessionsDir.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not a folder".utf8).write(to: home.sessionsDir)
        let (result, _) = try await AgentBinary.run(["-p", "hi"], home: home, script: [.sse(SSE.answer(["hello"]))])
        #expect(result.stdout == "hello\n", "stderr: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: ref.path), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("old sessions and checkpoints were left alone: list \(home.sessionsDir.path): Not a directory"),
                "stderr: \(result.stderr)")
        let (list, _) = try await AgentBinary.run(["sessions", "list"], home: home, script: [])
        #expect(list.status == 1)
        #expect(list.stderr == "agent: list \(home.sessionsDir.path): Not a directory\n")
    }

    @Test func aLongSessionUndoesTurnByTurnToTheStart() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try "0\n".write(to: home.workspace.appendingPathComponent("count.txt"), atomically: true, encoding: .utf8)
        let turns = 12
        let padding = String(repeating: "words to fill the window ", count: 40)
        var script: [FakeReply] = []
        for n in 1...turns {
            script.append(n % 2 == 1
                ? Self.call("write_file", ["path": "count.txt", "content": .string("\(n)\n")], id: "w\(n)")
                : Self.call("run_shell", ["command": .string("echo \(n) > count.txt; echo \(n) > made-\(n).txt")], id: "s\(n)"))
            script.append(.sse(SSE.answer(["turn \(n) done. " + padding])))
        }
        let server = FakeModelServer(script: script)
        try await server.start()
        // Trimmed, not compacted: a summary request would take one of the scripted replies.
        let agent = try AgentBinary.repl(
            home, server, ["--approval", "auto", "-c", "truncation.threshold_tokens=600", "-c", "compaction.auto=false"])
        try await agent.waitFor(Self.prompt)
        for n in 1...turns {
            let mark = agent.mark()
            agent.sendLine("turn \(n)")
            try await agent.waitFor("turn \(n) done.", after: mark)
            try await agent.waitFor(Self.prompt, after: mark)
        }
        #expect(try read(home, "count.txt") == "\(turns)\n")
        // The first turn's words were no longer sent: the history was trimmed.
        let lastSent = server.chatRequests.last?.body ?? ""
        #expect(!lastSent.contains("turn 1 done."))

        for n in stride(from: turns, through: 1, by: -1) {
            let mark = agent.mark()
            agent.sendLine("/undo")
            try await agent.waitFor(regex: "Restored 1 file: count.txt", after: mark)
            try await agent.waitFor(Self.prompt, after: mark)
            #expect(try read(home, "count.txt") == "\(n - 1)\n", "after undoing turn \(n)")
            if n % 2 == 0 {
                #expect(agent.plainOutput(after: mark).contains("Removed 1 file the turn created: made-\(n).txt"))
            }
        }
        let mark = agent.mark()
        agent.sendLine("/undo")
        try await agent.waitFor("No file changes recorded in this session yet.", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.invariantViolations.isEmpty)
        let left = try FileManager.default.contentsOfDirectory(atPath: home.workspace.path)
        #expect(left == ["count.txt"])
    }
}
