import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// MCP tools and the safety of issue #15, through the built binary with the fixture server:
/// approval scopes, the API key, `/undo`, and signals while agent waits for a server to start.
@Suite(.timeLimit(.minutes(2))) struct MCPSafetyTests {
    static let prompt = "test-model> "

    func fixture() throws -> String {
        try #require(BuiltBinary.path(named: "mcp-fixture-server"), "build mcp-fixture-server first")
    }

    func configure(_ home: TestHome, _ extra: String = "") throws {
        try home.writeConfig("""
            [mcp_servers.fx]
            command = "\(try fixture())"
            \(extra)
            """)
    }

    static func calls(_ calls: [(name: String, arguments: JSONValue)]) -> FakeReply {
        .sse(calls.enumerated().map { i, call in
            SSE.toolCall(index: i, id: "m\(i)", name: call.name, arguments: call.arguments.jsonText)
        } + [SSE.finish("tool_calls"), SSE.done])
    }

    static func result(_ server: FakeModelServer, _ id: String) -> String {
        let messages = server.chatRequests.last?.messages ?? []
        let message = messages.first { $0.objectValue?["tool_call_id"]?.stringValue == id }
        return message?.objectValue?["content"]?.stringValue ?? ""
    }

    /// `-p --approval auto`: a changing tool its server declares local (`openWorldHint: false`)
    /// runs; one that may act outside the workspace is denied, and the model is told how to allow
    /// it. `full` runs both.
    @Test func autoRunsALocalToolButNotOneThatMayActOutside() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try configure(home)
        let script: [FakeReply] = [
            Self.calls([("fx__touch", ["path": "local.txt"]), ("fx__post", ["path": "posted.txt"])]),
            .sse(SSE.answer(["done"])),
        ]
        let (auto, server) = try await AgentBinary.run(["-p", "go", "--approval", "auto"], home: home, script: script)
        #expect(auto.status == 0, "stderr: \(auto.stderr)")
        #expect(Self.result(server, "m0") == "created local.txt")
        #expect(Self.result(server, "m1").hasPrefix("denied: fx__post needs the user's approval"))
        #expect(Self.result(server, "m1").contains("only --approval full runs it without asking"))
        #expect(FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("local.txt").path))
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("posted.txt").path))
        #expect(server.invariantViolations.isEmpty)

        let (full, _) = try await AgentBinary.run(["-p", "go", "--approval", "full"], home: home, script: script)
        #expect(full.status == 0, "stderr: \(full.stderr)")
        #expect(FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("posted.txt").path))
    }

    /// In the REPL under `auto`, the open tool asks (saying why), and "always" covers it after.
    @Test func autoInTheREPLAsksOnceThenAlways() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try configure(home)
        let server = FakeModelServer(script: [
            Self.calls([("fx__post", ["path": "one.txt"])]), .sse(SSE.answer(["first posted"])),
            Self.calls([("fx__post", ["path": "two.txt"])]), .sse(SSE.answer(["second posted"])),
        ])
        try await server.start()
        let agent = try AgentBinary.repl(home, server, ["--approval", "auto"])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("post one")
        try await agent.waitFor("[a]lways this session")
        #expect(agent.plainOutput.contains("may act outside the workspace: its MCP server does not declare it local"))
        agent.sendLine("a")
        try await agent.waitFor("first posted")
        let mark = agent.mark()
        agent.sendLine("post two")
        try await agent.waitFor("second posted", after: mark)
        #expect(!agent.plainOutput(after: mark).contains("Allow fx__post"))
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        for name in ["one.txt", "two.txt"] {
            #expect(FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent(name).path))
        }
    }

    /// The key is in agent's environment and in the server's configured `env`: the server gets
    /// neither, nor any other credential of agent's environment.
    @Test func theAPIKeyNeverReachesAServer() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let key = "sk-mcp-\(UUID().uuidString)"
        try configure(home, "env = { FIXTURE_MODE = \"plain\", LEAK = \"\(key)\" }")
        let server = FakeModelServer(script: [Self.calls([("fx__env", [:])]), .sse(SSE.answer(["seen"]))])
        try await server.start()
        let result = try await AgentBinary.run(
            ["-p", "show the server's environment"], home: home,
            environment: home.environment(endpoint: server.endpoint, extra: ["OPENAI_API_KEY": key, "GITHUB_TOKEN": "ghp-" + key]))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let env = Self.result(server, "m0")
        #expect(env.contains("FIXTURE_MODE=plain") && env.contains("PATH="), "\(env)")
        #expect(!env.contains("LEAK") && !env.contains("OPENAI_API_KEY") && !env.contains("GITHUB_TOKEN"), "\(env)")
        for request in server.chatRequests { #expect(!request.body.contains(key)) }
    }

    /// A turn whose only change came from an MCP tool is checkpointed like a shell command's.
    @Test func undoRemovesWhatAnMCPToolCreated() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try configure(home)
        let server = FakeModelServer(script: [
            Self.calls([("fx__touch", ["path": "made-by-mcp.txt"])]), .sse(SSE.answer(["touched it"])),
        ])
        try await server.start()
        let agent = try AgentBinary.repl(home, server, ["--approval", "auto"])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("touch it")
        try await agent.waitFor("touched it")
        #expect(FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("made-by-mcp.txt").path))
        let mark = agent.mark()
        agent.sendLine("/undo")
        try await agent.waitFor("Removed 1 file the turn created: made-by-mcp.txt", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("made-by-mcp.txt").path))
    }

    /// SIGTERM or SIGHUP while the REPL waits for a server that never answers (its start-up
    /// timeout is a minute): agent exits at once with 128 + the signal, and the server goes too.
    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalDuringTheStartUpWaitEndsAgentAtOnce(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let pidFile = home.root.appendingPathComponent("hang.pid").path
        try configure(home, """
            args = ["--hang", "--pid-file", "\(pidFile)"]
            startup_timeout_sec = 60
            """)
        let server = FakeModelServer(script: [.sse(SSE.answer(["never asked"]))])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("hello")
        try await agent.waitFor("Waiting for MCP servers to start")
        let hanging = try await readPID(pidFile)
        let sent = ContinuousClock.now
        agent.signal(signal)
        #expect(try await agent.waitForExit() == 128 + signal)
        #expect(ContinuousClock.now - sent < .seconds(1))
        await server.stop()
        #expect(server.chatRequests.isEmpty)
        #expect(await waitUntilGone(hanging))
    }

    /// The same in `-p`, where the wait comes after the preflight.
    @Test func sigtermDuringThePrintModeStartUpWait() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let pidFile = home.root.appendingPathComponent("hang.pid").path
        try configure(home, """
            args = ["--hang", "--pid-file", "\(pidFile)"]
            startup_timeout_sec = 60
            """)
        let server = FakeModelServer(script: [.sse(SSE.answer(["never asked"]))])
        try await server.start()
        let pid = PIDBox()
        let started = ContinuousClock.now
        let run = Task {
            try await AgentBinary.run(["-p", "hello"], home: home, environment: home.environment(endpoint: server.endpoint),
                                      onStart: { pid.set($0) })
        }
        let hanging = try await readPID(pidFile)
        await server.requestCounter.wait(atLeast: 1)
        kill(pid.get(), SIGTERM)
        let result = try await run.value
        await server.stop()
        #expect(result.status == 143, "stderr: \(result.stderr)")
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(server.chatRequests.isEmpty)
        #expect(await waitUntilGone(hanging))
    }

}
