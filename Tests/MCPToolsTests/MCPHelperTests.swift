import AgentTestSupport
import AgentConfig
import AgentCore
import AgentProtocol
import Foundation
import Testing

@testable import MCPTools

/// The process boundary: agent-mcp missing, crashing, talking nonsense, killed mid-call, and
/// what it is given.
@Suite(.timeLimit(.minutes(2))) struct MCPHelperTests {
    let context = ToolContext(workspace: URL(fileURLWithPath: "/tmp"))

    /// A stand-in for agent-mcp: a shell script.
    func script(_ sandbox: FixtureSandbox, _ body: String) throws -> String {
        let path = sandbox.path("fake-agent-mcp")
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func aMissingHelperIsOneWarningAndNoTools() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let missing = sandbox.path("no-such-agent-mcp")
        let hub = sandbox.hub([try sandbox.server("a"), try sandbox.server("b")], helper: missing)
        let clock = ContinuousClock()
        let began = clock.now
        let tools = await hub.started()
        #expect(clock.now - began < .seconds(2))
        #expect(tools.isEmpty)
        #expect(hub.takeNotices() == [
            "MCP servers are not available: agent-mcp, which runs them, cannot start: \(missing) is missing; "
                + "install it next to agent (scripts/install does), or set AGENT_MCP_HELPER",
        ])
        let states = await hub.statuses().map(\.state)
        #expect(states == Array(repeating: .failed("agent-mcp, which runs MCP servers, cannot start"), count: 2))
        await hub.shutdown()
    }

    @Test func aHelperThatCrashesAtStartIsOneWarningQuotingItsLastWords() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let crash = try script(sandbox, "echo 'fatal error: something broke' >&2\nexit 3")
        let hub = sandbox.hub([try sandbox.server()], helper: crash)
        #expect(await hub.started().isEmpty)
        #expect(hub.takeNotices() == [
            "MCP servers are not available: agent-mcp, which runs them, ended (exited with status 3: fatal error: something broke)",
        ])
        let state = await hub.statuses().first?.state
        #expect(state == .failed("agent-mcp ended: exited with status 3: fatal error: something broke"))
        await hub.shutdown()
    }

    @Test func aHelperThatTalksNonsenseIsReportedOnce() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let babble = try script(sandbox, "echo 'hello there'\necho 'and again'\nexit 0")
        let hub = sandbox.hub([try sandbox.server()], helper: babble)
        #expect(await hub.started().isEmpty)
        let notices = hub.takeNotices()
        #expect(notices.count == 2, "\(notices)")
        #expect(notices.first?.hasPrefix("agent-mcp: a line could not be read: not JSON") == true, "\(notices)")
        #expect(notices.last == "MCP servers are not available: agent-mcp, which runs them, ended (exited with status 0)")
        await hub.shutdown()
    }

    @Test func aHelperOfAnotherVersionIsEndedWithOneWarning() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("helper.pid")
        let future = try script(sandbox, """
            echo $$ > '\(pidFile)'
            echo '{"v":2,"type":"server","name":"fx","state":"ready"}'
            exec sleep 60
            """)
        let hub = sandbox.hub([try sandbox.server()], helper: future)
        #expect(await hub.started().isEmpty)
        #expect(hub.takeNotices() == [
            "MCP servers are not available: agent-mcp speaks protocol version 2, where this side speaks 1: "
                + "agent and agent-mcp must come from the same build",
        ])
        #expect(await waitUntilGone(try await readPID(pidFile)))
        await hub.shutdown()
    }

    @Test func aHelperKilledMidCallFailsTheCallAndItsServersAreKilled() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid"), childFile = sandbox.path("child.pid")
        let hub = sandbox.hub([try sandbox.server("fx", ["--pid-file", pidFile, "--child-pid-file", childFile])])
        let slow = try #require(await hub.started()["fx__slow"])
        let server = try await readPID(pidFile), child = try await readPID(childFile)
        let helper = try #require(hub.helperProcessID)
        let context = self.context
        let call = Task { try await slow.run(ToolArguments(["seconds": 60]), context: context) }
        try await Task.sleep(for: .milliseconds(200))
        kill(helper, SIGKILL)
        let clock = ContinuousClock()
        let began = clock.now
        let result = await call.result
        #expect(clock.now - began < .seconds(10))
        #expect(throws: ToolError("fx__slow failed: agent-mcp, which runs MCP servers, ended (was killed by signal 9)")) {
            try result.get()
        }
        #expect(await waitUntilGone(server))
        #expect(await waitUntilGone(child))
        #expect(hub.takeNotices() == ["MCP servers are not available: agent-mcp, which runs them, ended (was killed by signal 9)"])
        let state = await hub.statuses().first?.state
        #expect(state == .exited("agent-mcp ended: was killed by signal 9"))
        // Later calls fail at once, saying why.
        await #expect(throws: ToolError("the MCP server 'fx' is not available (exited: agent-mcp ended: was killed by signal 9)")) {
            try await slow.run(ToolArguments(["seconds": 1]), context: context)
        }
        await hub.shutdown()
    }

    @Test func theHelperGetsTheBaseEnvironmentOnlyAndShutdownEndsIt() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let parent = ["PATH": "/usr/bin:/bin", "HOME": "/home/x", "OPENAI_API_KEY": "sk-secret-123456",
                      "TERM": "sk-secret-123456", "UNRELATED": "1", "LANG": "C.UTF-8"]
        let hub = sandbox.hub([try sandbox.server()], environment: parent, secrets: ["sk-secret-123456"])
        _ = await hub.started()
        let helper = try #require(hub.helperProcessID)
        let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(helper)/environ"))
        let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.sorted()
        #expect(variables == ["HOME=/home/x", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"])
        await hub.shutdown()
        #expect(await waitUntilGone(helper))
    }

    @Test func withoutAnEnabledServerNoHelperStarts() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let marker = sandbox.path("started")
        let helper = try script(sandbox, "touch '\(marker)'")
        let hub = sandbox.hub([try sandbox.server("off") { $0.enabled = false }], helper: helper)
        #expect(await hub.started().isEmpty)
        #expect(hub.helperProcessID == nil)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(await hub.statuses().map(\.state) == [.disabled])
        await hub.shutdown()
    }
}
