import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// Drives the built binary through a pseudo-terminal, as a person at a terminal would.
@Suite(.timeLimit(.minutes(2))) struct REPLTests {
    static let prompt = "test-model> "

    func launch(_ home: TestHome, _ server: FakeModelServer, _ extra: [String] = [],
                env: [String: String] = [:]) throws -> PTYProcess {
        try AgentBinary.repl(home, server, extra, env: env)
    }

    func sessionText(_ home: TestHome) throws -> String {
        let file = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test func answerStreamsAsItArrives() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(script: [.stream(
            [.raw(SSE.content("first half")), .wait(gate), .raw(SSE.content(", second half"))]
                + SSE.answer([]).map { .raw($0) })])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("hello")
        // The first chunk is on screen while the server still holds the rest.
        try await agent.waitFor("first half")
        #expect(!agent.plainOutput.contains("second half"))
        let mark = agent.mark()
        gate.open()
        try await agent.waitFor("first half, second half")
        try await agent.waitFor(Self.prompt, after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.chatRequests.first?.messages.last?.objectValue?["content"] == "hello")
    }

    @Test func ctrlCMidAnswerReturnsToThePromptKeepingThePartial() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("Once upon a time")), .wait(gate)]),
            .sse(SSE.answer(["next answer"])),
        ])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("tell a story")
        try await agent.waitFor("Once upon a time")
        let mark = agent.mark()
        agent.sendControl("c")
        try await agent.waitFor("interrupted", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        // Still running: the next prompt goes to the model with the partial answer in history.
        agent.sendLine("go on")
        try await agent.waitFor("next answer")
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        gate.open()
        await server.stop()
        let sent = server.chatRequests[1].messages.compactMap { $0.objectValue?["content"]?.stringValue }
        #expect(sent.contains("Once upon a time"))
        let journal = try sessionText(home)
        #expect(journal.contains("Once upon a time"))
        #expect(journal.contains("\"interrupted\":true"))
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func helpListsTheCommandsAndUnknownOnesGetASuggestion() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("/help")
        for command in ["/help", "/exit", "/clear", "/model", "/tools", "/approval", "/save", "/session"] {
            try await agent.waitFor(command)
        }
        agent.sendLine("/sesion")
        try await agent.waitFor("Did you mean /session?")
        agent.sendLine("/exit")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.chatRequests.isEmpty)
    }

    @Test func aHistoryThatCannotBeSavedIsSaidOnce() async throws {
        let home = try TestHome()
        defer { home.remove() }
        // A folder where the history file should be.
        try FileManager.default.createDirectory(at: home.state.appendingPathComponent("agent/history"),
                                                withIntermediateDirectories: true)
        let server = FakeModelServer(script: [.sse(SSE.answer(["one"])), .sse(SSE.answer(["two"]))])
        try await server.start()
        let repl = try launch(home, server)
        try await repl.waitFor(Self.prompt)
        let mark = repl.mark()
        repl.sendLine("first")
        try await repl.waitFor("the input history cannot be saved to", after: mark)
        try await repl.waitFor("one", after: mark)
        try await repl.waitFor(Self.prompt, after: mark)
        let second = repl.mark()
        repl.sendLine("second")
        try await repl.waitFor("two", after: second)
        try await repl.waitFor(Self.prompt, after: second)
        repl.sendControl("d")
        #expect(try await repl.waitForExit() == 0)
        #expect(repl.output(after: mark).components(separatedBy: "cannot be saved").count == 2)
        await server.stop()
    }

    @Test func ctrlDExitsAndHistorySurvivesARestart() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["ok"]))])
        try await server.start()
        let first = try launch(home, server)
        try await first.waitFor(Self.prompt)
        let mark1 = first.mark()
        first.sendLine("remember this line")
        try await first.waitFor("ok", after: mark1)
        try await first.waitFor(Self.prompt, after: mark1)
        first.sendControl("d")
        #expect(try await first.waitForExit() == 0)

        let history = home.state.appendingPathComponent("agent/history")
        let attributes = try FileManager.default.attributesOfItem(atPath: history.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try launch(home, server)
        try await second.waitFor(Self.prompt)
        let mark = second.mark()
        second.send("\u{1B}[A")  // Up arrow recalls the last line.
        try await second.waitFor("remember this line", after: mark)
        // Ctrl-C at the prompt drops the line and prompts again; Ctrl-D on the empty line exits.
        let mark2 = second.mark()
        second.sendControl("c")
        try await second.waitFor(Self.prompt, after: mark2)
        second.sendControl("d")
        #expect(try await second.waitForExit() == 0)
        await server.stop()
    }

    @Test func multiLineInput() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["one"])), .sse(SSE.answer(["two"]))])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        let mark = agent.mark()
        agent.sendLine("first line \\")
        agent.sendLine("second line")
        try await agent.waitFor("one", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        agent.sendLine("\"\"\"block start")
        agent.sendLine("middle")
        agent.sendLine("end\"\"\"")
        try await agent.waitFor("two")
        agent.sendControl("d")
        _ = try await agent.waitForExit()
        await server.stop()
        let sent = server.chatRequests.map { $0.messages.last?.objectValue?["content"]?.stringValue }
        #expect(sent == ["first line \nsecond line", "block start\nmiddle\nend"])
    }

    /// The model asks to write note.txt; the user answers `answer` at the approval prompt.
    func answerApproval(_ answer: String, finalText: String) async throws -> (TestHome, FakeModelServer) {
        let home = try TestHome()
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "w1", name: "write_file",
                               arguments: #"{"path":"note.txt","content":"hello\n"}"#), SSE.finish("tool_calls"), SSE.done]),
            .sse(SSE.answer([finalText])),
        ])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("write a note")
        try await agent.waitFor("Allow write_file?")
        agent.sendLine(answer)
        try await agent.waitFor(finalText)
        agent.sendControl("d")
        _ = try await agent.waitForExit()
        await server.stop()
        #expect(server.invariantViolations.isEmpty)
        return (home, server)
    }

    @Test func approvalAnsweredNoLeavesTheFileUntouched() async throws {
        let (home, server) = try await answerApproval("n", finalText: "understood")
        defer { home.remove() }
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("note.txt").path))
        let result = server.chatRequests[1].messages.last?.objectValue?["content"]?.stringValue ?? ""
        #expect(result.contains("denied"))
    }

    @Test func approvalAnsweredYesWritesTheFile() async throws {
        let (home, _) = try await answerApproval("y", finalText: "written")
        defer { home.remove() }
        let text = try String(contentsOf: home.workspace.appendingPathComponent("note.txt"), encoding: .utf8)
        #expect(text == "hello\n")
    }

    @Test func sigtermDuringAStreamSavesThePartialAndExits143() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("words before the signal")), .wait(gate)])])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("talk")
        try await agent.waitFor("words before the signal")
        agent.signal(SIGTERM)
        #expect(try await agent.waitForExit() == 143)
        gate.open()
        await server.stop()
        let journal = try sessionText(home)
        #expect(journal.contains("words before the signal"))
        #expect(journal.contains("\"interrupted\":true"))
    }

    @Test func continueShowsWhereTheUserWas() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["the capital is Paris"])), .sse(SSE.answer(["yes"]))])
        try await server.start()
        let first = try launch(home, server)
        try await first.waitFor(Self.prompt)
        first.sendLine("capital of France?")
        try await first.waitFor("the capital is Paris")
        first.sendControl("d")
        _ = try await first.waitForExit()

        let second = try launch(home, server, ["--continue"])
        try await second.waitFor("Resumed session")
        try await second.waitFor("capital of France?")
        try await second.waitFor(Self.prompt)
        second.sendLine("sure?")
        try await second.waitFor("yes")
        second.sendControl("d")
        _ = try await second.waitForExit()
        await server.stop()
        let sent = server.chatRequests[1].messages.compactMap { $0.objectValue?["content"]?.stringValue }
        #expect(sent.contains("the capital is Paris"))
        #expect(server.chatRequests[1].messages.first?.objectValue?["role"] == "system")
    }

    @Test func unreachableServerExitsWithOneLine() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let agent = try PTYProcess(executable: try AgentBinary.path(), arguments: [],
                                   environment: home.environment(endpoint: "http://127.0.0.1:9"),
                                   workingDirectory: home.workspace.path)
        try await agent.waitFor("Cannot reach the model server at http://127.0.0.1:9")
        #expect(try await agent.waitForExit() == 1)
    }
}
