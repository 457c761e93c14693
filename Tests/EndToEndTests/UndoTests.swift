import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// `/undo` and `/diff` in the REPL with `--approval auto`, through a pseudo-terminal, with a fake
/// model that makes the changes.
@Suite(.timeLimit(.minutes(2))) struct UndoTests {
    static let prompt = "test-model> "

    static func toolCall(_ name: String, _ arguments: JSONValue) -> FakeReply {
        .sse([SSE.toolCall(index: 0, id: "t1", name: name, arguments: arguments.jsonText), SSE.finish("tool_calls"), SSE.done])
    }

    /// Runs one turn in which the model makes `call`, then `/diff` and `/undo`; returns the
    /// screen after the undo.
    func changeThenUndo(_ home: TestHome, _ call: FakeReply) async throws -> String {
        let server = FakeModelServer(script: [call, .sse(SSE.answer(["done with it"]))])
        try await server.start()
        let agent = try AgentBinary.repl(home, server, ["--approval", "auto"])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("change things")
        try await agent.waitFor("done with it")
        try await agent.waitFor(Self.prompt, after: agent.mark())
        let mark = agent.mark()
        agent.sendLine("/undo")
        try await agent.waitFor(regex: "(Restored|Removed) ", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        let screen = agent.plainOutput(after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.invariantViolations.isEmpty)
        return screen
    }

    func read(_ home: TestHome, _ path: String) throws -> String {
        try String(contentsOf: home.workspace.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func undoRestoresAFileWriteFileChanged() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try "the original\n".write(to: home.workspace.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let screen = try await changeThenUndo(
            home, Self.toolCall("write_file", ["path": "note.txt", "content": "overwritten by the model\n"]))
        #expect(screen.contains("Restored 1 file: note.txt"))
        #expect(try read(home, "note.txt") == "the original\n")
    }

    @Test func undoRemovesAFileWriteFileCreatedInANewFolder() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let screen = try await changeThenUndo(
            home, Self.toolCall("write_file", ["path": "fresh/deeper/made.txt", "content": "new\n"]))
        #expect(screen.contains("Removed 1 file the turn created: fresh/deeper/made.txt"))
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("fresh").path))
    }

    @Test func undoRevertsWhatAShellCommandRewroteAndCreated() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try "kept safe\n".write(to: home.workspace.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let screen = try await changeThenUndo(
            home, Self.toolCall("run_shell", ["command": "echo clobbered > a.txt; echo spawned > b.txt"]))
        #expect(screen.contains("Restored 1 file: a.txt"))
        #expect(screen.contains("Removed 1 file the turn created: b.txt"))
        #expect(try read(home, "a.txt") == "kept safe\n")
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("b.txt").path))
    }

    /// `/diff` shows the change; checkpoints survive `--continue`; the model hears about the undo.
    @Test func diffThenUndoInALaterRunOfTheSameSession() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try "one\n".write(to: home.workspace.appendingPathComponent("f.txt"), atomically: true, encoding: .utf8)
        let server = FakeModelServer(script: [
            Self.toolCall("write_file", ["path": "f.txt", "content": "two\n"]), .sse(SSE.answer(["changed it"])),
            .sse(SSE.answer(["noted"])),
        ])
        try await server.start()
        let env = home.environment(endpoint: server.endpoint)
        let first = try PTYProcess(executable: try AgentBinary.path(), arguments: ["--approval", "auto"],
                                   environment: env, workingDirectory: home.workspace.path)
        try await first.waitFor(Self.prompt)
        first.sendLine("change f")
        try await first.waitFor("changed it")
        let mark = first.mark()
        first.sendLine("/diff")
        try await first.waitFor("+two", after: mark)
        #expect(first.plainOutput(after: mark).contains("-one"))
        first.sendControl("d")
        #expect(try await first.waitForExit() == 0)

        let second = try PTYProcess(executable: try AgentBinary.path(), arguments: ["--continue"],
                                    environment: env, workingDirectory: home.workspace.path)
        try await second.waitFor(Self.prompt)
        second.sendLine("/undo")
        try await second.waitFor("Restored 1 file: f.txt")
        second.sendLine("what now?")
        try await second.waitFor("noted")
        second.sendControl("d")
        #expect(try await second.waitForExit() == 0)
        await server.stop()
        #expect(try String(contentsOf: home.workspace.appendingPathComponent("f.txt"), encoding: .utf8) == "one\n")
        let told = server.chatRequests.last?.messages.last?.objectValue?["content"]?.stringValue ?? ""
        #expect(told.contains("/undo") && told.hasSuffix("what now?"))
    }
}
