import AgentTestSupport
import Foundation
import Testing

/// agent-mcp, the helper that hosts the MCP servers, seen from outside: started only when a
/// run has servers, never outliving agent however agent ends, and its absence or crash costing
/// one warning line, never the answer.
@Suite(.timeLimit(.minutes(3))) struct MCPHelperEndToEndTests {
    let lifecycle = MCPLifecycleTests()

    /// The parent of `pid`, from /proc.
    func parent(of pid: pid_t) throws -> pid_t {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let close = try #require(stat.lastIndex(of: ")"))
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return try #require(fields.count > 1 ? pid_t(fields[1]) : nil)
    }

    /// A stand-in for agent-mcp that notes each start in `marker` and exits 1.
    func markingHelper(_ home: TestHome) throws -> (helper: String, marker: String) {
        let helper = home.root.appendingPathComponent("fake-agent-mcp").path
        let marker = home.root.appendingPathComponent("helper-started").path
        try "#!/bin/sh\necho started >> '\(marker)'\nexit 1\n".write(toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        return (helper, marker)
    }

    @Test(arguments: [SIGKILL, SIGTERM, SIGHUP]) func noHelperOrServerSurvivesAgent(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (serverPID, childPID) = try lifecycle.configureFixture(home)
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("partial")), .wait(gate)])])
        try await server.start()
        let agentPID = PIDBox()
        let run = Task {
            try await AgentBinary.run(["-p", "q"], home: home, environment: home.environment(endpoint: server.endpoint),
                                      onStart: { agentPID.set($0) })
        }
        await server.chatRequestCounter.wait(atLeast: 1)
        let serverProcess = try await readPID(serverPID)
        let child = try await readPID(childPID)
        let helper = try parent(of: serverProcess)
        #expect(try parent(of: helper) == agentPID.get(), "the server's parent is agent-mcp, agent's child")
        kill(agentPID.get(), signal)
        let result = try await run.value
        gate.open()
        await server.stop()
        #expect(result.status == 128 + signal, "stderr: \(result.stderr)")
        #expect(await waitUntilGone(helper))
        #expect(await waitUntilGone(serverProcess))
        #expect(await waitUntilGone(child))
    }

    @Test func theEndOfAOneShotRunEndsTheHelper() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (serverPID, childPID) = try lifecycle.configureFixture(home)
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("answered")), .wait(gate), .raw(SSE.finish("stop")),
                                                       .raw(SSE.done)])])
        try await server.start()
        let run = Task {
            try await AgentBinary.run(["-p", "q"], home: home, environment: home.environment(endpoint: server.endpoint))
        }
        await server.chatRequestCounter.wait(atLeast: 1)
        let serverProcess = try await readPID(serverPID)
        let child = try await readPID(childPID)
        let helper = try parent(of: serverProcess)
        gate.open()
        let result = try await run.value
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "answered\n")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
        #expect(await waitUntilGone(helper))
        #expect(await waitUntilGone(serverProcess))
        #expect(await waitUntilGone(child))
    }

    @Test func theHelperStartsOnlyForARunWithServers() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (helper, marker) = try markingHelper(home)
        let environment = home.environment(endpoint: nil, extra: ["AGENT_MCP_HELPER": helper])
        // Without servers, a run never starts it.
        let plain = FakeModelServer(script: [.sse(SSE.answer(["answered"]))])
        try await plain.start()
        let noServers = try await AgentBinary.run(
            ["-p", "q"], home: home, environment: home.environment(endpoint: plain.endpoint, extra: ["AGENT_MCP_HELPER": helper]))
        await plain.stop()
        #expect(noServers.stdout == "answered\n", "stderr: \(noServers.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))

        // With servers, neither do the commands that run no conversation.
        _ = try lifecycle.configureFixture(home)
        for arguments in [["--version"], ["--help"], ["config"], ["sessions"]] {
            let result = try await AgentBinary.run(arguments, home: home, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))

        // A conversation does; this helper crashes, which costs one warning line, not the answer.
        let server = FakeModelServer(script: [.sse(SSE.answer(["answered"]))])
        try await server.start()
        let result = try await AgentBinary.run(
            ["-p", "q"], home: home, environment: home.environment(endpoint: server.endpoint, extra: ["AGENT_MCP_HELPER": helper]))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "answered\n")
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "started\n")
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("MCP") } == [
            "agent: warning: MCP servers are not available: agent-mcp, which runs them, ended (exited with status 1)",
        ])
    }

    @Test func aMissingHelperIsOneWarningAndTheAnswerStillComes() async throws {
        let home = try TestHome()
        defer { home.remove() }
        _ = try lifecycle.configureFixture(home)
        let missing = home.root.appendingPathComponent("nowhere/agent-mcp").path
        let server = FakeModelServer(script: [.sse(SSE.answer(["answered"]))])
        try await server.start()
        let result = try await AgentBinary.run(
            ["-p", "q"], home: home, environment: home.environment(endpoint: server.endpoint, extra: ["AGENT_MCP_HELPER": missing]))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "answered\n")
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("MCP") } == [
            "agent: warning: MCP servers are not available: agent-mcp, which runs them, cannot start: \(missing) is missing; "
                + "install it next to agent (scripts/install does), or set AGENT_MCP_HELPER",
        ])
    }

    /// The point of the helper: agent itself does not link the MCP SDK's FoundationNetworking
    /// (nor, in the static build, libcurl); agent-mcp does.
    @Test func onlyTheHelperLinksFoundationNetworking() async throws {
        func needed(_ binary: String) async throws -> [String] {
            let out = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["readelf", "-d", binary]
            process.standardOutput = out
            try process.run()
            let data = await blocking { out.fileHandleForReading.readDataToEndOfFile() }
            await blocking { process.waitUntilExit() }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").filter { $0.contains("(NEEDED)") }.map(String.init)
        }
        let agent = try await needed(try AgentBinary.path())
        let helper = try await needed(try #require(BuiltBinary.path(named: "agent-mcp"), "build agent-mcp first"))
        #expect(!agent.isEmpty && !helper.isEmpty)
        #expect(!agent.contains { $0.contains("FoundationNetworking") || $0.contains("curl") }, "\(agent)")
        #expect(helper.contains { $0.contains("FoundationNetworking") || $0.contains("curl") }, "\(helper)")
    }
}
