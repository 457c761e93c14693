import AgentTestSupport
import AgentConfig
import AgentCore
import AgentProtocol
import ChildProcesses
import Foundation
import Testing

@testable import MCPTools

@Suite(.timeLimit(.minutes(2))) struct MCPHubTests {
    let context = ToolContext(workspace: URL(fileURLWithPath: "/tmp"))

    @Test func toolsAreOfferedUnderQualifiedNamesWithTheirApproval() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let hub = sandbox.hub([try sandbox.server()])
        let tools = await hub.started()
        defer { Task { await hub.shutdown() } }
        #expect(hub.takeNotices().isEmpty)
        #expect(Set(tools.keys)
            == ["fx__echo", "fx__slow", "fx__image", "fx__env", "fx__big", "fx__fail", "fx__touch", "fx__post"])
        #expect(tools["fx__echo"]?.isMutating == false)
        #expect(tools["fx__touch"]?.isMutating == true)
        // Only a changing tool that does not declare itself local (openWorldHint: false) may act outside.
        #expect(tools["fx__echo"]?.mayActOutsideWorkspace == false)
        #expect(tools["fx__touch"]?.mayActOutsideWorkspace == false)
        #expect(tools["fx__post"]?.mayActOutsideWorkspace == true)
        #expect(tools["fx__echo"]?.spec.parameters.objectValue?["type"] == "object")
        let echo = try #require(tools["fx__echo"])
        #expect(try await echo.run(ToolArguments(["message": "hi"]), context: context) == "echo: hi")
        let statuses = await hub.statuses()
        #expect(statuses.map(\.state) == [.ready])
        #expect(statuses.first?.tools.count == 8)
        #expect(statuses.first?.tools.filter(\.mayActOutsideWorkspace).map(\.name) == ["fx__post"])
        await hub.shutdown()
    }

    @Test func imagesBecomeANoteErrorsAreErrorsAndBigResultsAreCapped() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let hub = sandbox.hub([try sandbox.server()])
        let tools = await hub.started()
        let image = try await #require(tools["fx__image"]).run(ToolArguments([:]), context: context)
        #expect(image == "a red dot:\n[image image/png, 2 KB; images are not shown to the model]")
        await #expect(throws: ToolError("it broke")) {
            try await #require(tools["fx__fail"]).run(ToolArguments([:]), context: context)
        }
        let big = try await #require(tools["fx__big"]).run(ToolArguments([:]), context: context)
        #expect(big.utf8.count < 30_100)
        #expect(big.contains("bytes cut"))
        await hub.shutdown()
    }

    @Test func aCallPastItsTimeoutIsCancelledAndTheServerIsTold() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let log = sandbox.path("cancelled.log")
        let hub = sandbox.hub([try sandbox.server("fx", ["--cancel-log", log]) { $0.toolTimeout = 0.5 }])
        let slow = try #require(await hub.started()["fx__slow"])
        let clock = ContinuousClock()
        let began = clock.now
        await #expect {
            try await slow.run(ToolArguments(["seconds": 30]), context: context)
        } throws: { error in
            "\(error)".contains("gave no answer within 0.5 s (tool_timeout_sec)")
        }
        #expect(clock.now - began < .seconds(5))
        // The server heard about it.
        #expect(await fileContains(log, "timed out"))
        await hub.shutdown()
    }

    @Test func cancellingTheCallingTaskCancelsTheRequest() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let log = sandbox.path("cancelled.log")
        let hub = sandbox.hub([try sandbox.server("fx", ["--cancel-log", log])])
        let slow = try #require(await hub.started()["fx__slow"])
        let context = self.context
        let call = Task { try await slow.run(ToolArguments(["seconds": 60]), context: context) }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let result = await call.result
        #expect(throws: ToolError("fx__slow was cancelled")) { try result.get() }
        #expect(await fileContains(log, "cancelled by the user"))
        await hub.shutdown()
    }

    @Test func serversThatCannotStartAreNamedAndGivenUpInParallel() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("hang.pid")
        let hub = sandbox.hub([
            MCPServerSettings(name: "missing", command: "no-such-mcp-server-xyz"),
            try sandbox.server("hang", ["--hang", "--pid-file", pidFile]) { $0.startupTimeout = 1 },
            try sandbox.server("dies", ["--exit-at-start", "3"]),
            try sandbox.server("off") { $0.enabled = false },
        ])
        let clock = ContinuousClock()
        let began = clock.now
        let tools = await hub.started()
        let waited = clock.now - began
        #expect(tools.isEmpty)
        // The 1 s start-up timeout bounds the wait. Only loosely here: in the full suite the two
        // pool threads are shared by hundreds of tests, and wake-ups came seconds late. The tight
        // bound is checked end to end, in a process of its own (MCPLifecycleTests).
        #expect(waited < .seconds(10), "waited \(waited)")
        let notices = hub.takeNotices().sorted()
        #expect(notices == [
            "MCP server 'dies' did not start: exited with status 3: fixture: exiting at start as asked",
            "MCP server 'hang' did not start: no answer within 1 s (startup_timeout_sec)",
            "MCP server 'missing' did not start: command not found: no-such-mcp-server-xyz (not in PATH)",
        ])
        #expect(await waitUntilGone(try await readPID(pidFile)))
        let states = await hub.statuses().map { "\($0.name): \($0.state)" }
        #expect(states.contains("off: disabled"))
        await hub.shutdown()
    }

    @Test func serversGetAMinimalEnvironmentWithoutTheAPIKey() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let parent = ["PATH": "/usr/bin:/bin", "HOME": "/home/x", "OPENAI_API_KEY": "sk-secret-123456",
                      "AGENT_API_KEY": "sk-secret-123456", "UNRELATED": "1"]
        let hub = sandbox.hub([try sandbox.server { $0.env = ["GIT_AUTHOR_NAME": "agent", "LEAK": "sk-secret-123456"] }],
                              environment: parent, secrets: ["sk-secret-123456"])
        let env = try await #require(await hub.started()["fx__env"]).run(ToolArguments([:]), context: context)
        #expect(env.split(separator: "\n").sorted() == ["GIT_AUTHOR_NAME=agent", "HOME=/home/x", "PATH=/usr/bin:/bin"])
        await hub.shutdown()
    }

    @Test func shutdownEndsTheServerAndWhatItStarted() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid"), childFile = sandbox.path("child.pid")
        let hub = sandbox.hub([try sandbox.server("fx", ["--pid-file", pidFile, "--child-pid-file", childFile])])
        _ = await hub.started()
        let server = try await readPID(pidFile), child = try await readPID(childFile)
        #expect(isAlive(server) && isAlive(child))
        await hub.shutdown()
        #expect(await waitUntilGone(server))
        #expect(await waitUntilGone(child))
        #expect(!ChildProcessRegistry.shared.liveGroups.contains(server))
    }

    @Test func aServerThatDiesFailsItsCallsAtOnce() async throws {
        let sandbox = try FixtureSandbox()
        defer { sandbox.remove() }
        let pidFile = sandbox.path("server.pid")
        let hub = sandbox.hub([try sandbox.server("fx", ["--pid-file", pidFile])])
        let slow = try #require(await hub.started()["fx__slow"])
        let context = self.context
        let call = Task { try await slow.run(ToolArguments(["seconds": 60]), context: context) }
        try await Task.sleep(for: .milliseconds(200))
        kill(try await readPID(pidFile), SIGKILL)
        let result = await call.result
        #expect(throws: ToolError.self) { try result.get() }
        let state = await hub.statuses().first?.state
        #expect(state == .exited("was killed by signal 9"))
        await hub.shutdown()
    }
}
