import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct ApprovalScopeE2ETests {
    static let prompt = "test-model> "

    static func write(_ path: String, id: String) -> FakeReply {
        .sse([SSE.toolCall(index: 0, id: id, name: "write_file",
                           arguments: JSONValue.object(["path": .string(path), "content": "x\n"]).jsonText),
              SSE.finish("tool_calls"), SSE.done])
    }

    /// "Always" for a write inside the workspace; then a write outside asks again, and "no"
    /// leaves it undone; a second write inside is not asked about.
    @Test func alwaysInsideNeverCoversOutside() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let outside = home.root.appendingPathComponent("outside.txt").path
        let server = FakeModelServer(script: [
            Self.write("in1.txt", id: "w1"), .sse(SSE.answer(["first done"])),
            Self.write(outside, id: "w2"), .sse(SSE.answer(["second done"])),
            Self.write("in2.txt", id: "w3"), .sse(SSE.answer(["third done"])),
        ])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("write one")
        try await agent.waitFor("[a]lways this session")
        agent.sendLine("a")
        try await agent.waitFor("first done")

        let mark = agent.mark()
        agent.sendLine("write outside")
        try await agent.waitFor("(asked every time)", after: mark)
        #expect(agent.plainOutput(after: mark).contains("outside the workspace: \(outside)"))
        agent.sendLine("a")  // not an answer here
        try await agent.waitFor("Please answer y or n.", after: mark)
        agent.sendLine("n")
        try await agent.waitFor("second done", after: mark)

        let mark3 = agent.mark()
        agent.sendLine("write two")
        try await agent.waitFor("third done", after: mark3)
        #expect(!agent.plainOutput(after: mark3).contains("Allow write_file"))
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("in2.txt").path))
        #expect(server.invariantViolations.isEmpty)
    }

    /// Escape sequences in a diff the model proposes are shown, not obeyed.
    @Test func thePreviewEscapesControlCharacters() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "w", name: "write_file",
                               arguments: JSONValue.object(["path": "t.txt", "content": "\u{1B}]0;pwned\u{07}hi\n"]).jsonText),
                  SSE.finish("tool_calls"), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        try await server.start()
        try "old\n".write(to: home.workspace.appendingPathComponent("t.txt"), atomically: true, encoding: .utf8)
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor(Self.prompt)
        let mark = agent.mark()
        agent.sendLine("write")
        try await agent.waitFor("Allow write_file?", after: mark)
        #expect(agent.output(after: mark).contains("+^[]0;pwned^Ghi"))
        #expect(!agent.output(after: mark).contains("\u{1B}]0;pwned"))
        agent.sendLine("n")
        try await agent.waitFor("ok", after: mark)
        agent.sendControl("d")
        _ = try await agent.waitForExit()
        await server.stop()
    }
}
