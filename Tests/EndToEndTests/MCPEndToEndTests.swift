import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// The reference git MCP server (`mcp-server-git` from PyPI), installed by scripts/mcp-git-server
/// (scripts/test runs it and names the executable in AGENT_MCP_GIT_SERVER; without that, the
/// tests run the script themselves). They skip, saying why, only when PyPI is out of reach.
enum MCPGitServer {
    enum Availability {
        case ready(String)
        case unavailable(String)
        case broken(String)
    }

    /// Asked once; the script runs on a thread of its own (an install takes minutes, and the
    /// cooperative pool has two threads that the rest of the suite needs).
    static func availability() async -> Availability {
        await cache.value
    }

    private static let cache = Task { await blocking(find) }

    private static func find() -> Availability {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["AGENT_MCP_GIT_SERVER"], !path.isEmpty { return .ready(path) }
        if let reason = environment["AGENT_MCP_GIT_UNAVAILABLE"] { return .unavailable(reason) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/mcp-git-server")
        let process = Process()
        process.executableURL = script
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch { return .broken("cannot run \(script.path): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch process.terminationStatus {
        case 0: return .ready(path)
        case 75: return .unavailable("PyPI cannot be reached, so mcp-server-git could not be installed")
        default: return .broken("scripts/mcp-git-server exited \(process.terminationStatus)")
        }
    }

    static func enabled() async -> Bool {
        if case .unavailable = await availability() { return false }
        return true
    }

    static let skipReason: Comment =
        "MCP git tests skipped: mcp-server-git could not be installed (PyPI unreachable; see AGENT_MCP_GIT_UNAVAILABLE)"

    static func path() async throws -> String {
        switch await availability() {
        case .ready(let path): return path
        case .unavailable(let reason), .broken(let reason):
            Issue.record("mcp-server-git is not available: \(reason)")
            throw CancellationError()
        }
    }
}

/// Runs a command on a thread of its own and fails the test when it fails.
func shell(_ arguments: [String], in directory: URL) async throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "GIT_CONFIG_NOSYSTEM": "1"]
    try process.run()
    await blocking { process.waitUntilExit() }
    #expect(process.terminationStatus == 0, "\(arguments) failed")
}

@Suite(.serialized, .enabled(MCPGitServer.skipReason) { await MCPGitServer.enabled() }, .timeLimit(.minutes(5)))
struct MCPGitServerTests {
    /// A workspace that is a git repository with one commit, and config naming the server.
    func repository(_ home: TestHome) async throws -> String {
        let repo = home.workspace
        try await shell(["git", "init", "-q"], in: repo)
        try "hello\n".write(to: repo.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try await shell(["git", "add", "a.txt"], in: repo)
        try await shell(["git", "-c", "user.name=Tester", "-c", "user.email=t@example.com", "commit", "-q", "-m",
                   "the very first commit"], in: repo)
        try home.writeConfig("""
            [mcp_servers.git]
            command = "\(try await MCPGitServer.path())"
            args = ["--repository", "\(repo.path)"]
            startup_timeout_sec = 60
            """)
        return repo.path
    }

    func call(_ id: String, _ name: String, _ arguments: JSONValue) -> FakeReply {
        .sse([SSE.toolCall(index: 0, id: id, name: name, arguments: arguments.jsonText), SSE.finish("tool_calls"), SSE.done])
    }

    @Test func readOnlyGitLogRunsWithoutApprovalAndItsResultReachesTheModel() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let repo = try await repository(home)
        let (result, server) = try await AgentBinary.run(["-p", "what changed?"], home: home, script: [
            call("c1", "git__git_log", ["repo_path": .string(repo)]),
            .sse(SSE.answer(["One commit."])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "One commit.\n")
        var tools: [JSONValue] = []
        if case .array(let list)? = server.chatRequests.first?.json?.objectValue?["tools"] { tools = list }
        let offered = tools.compactMap { $0.objectValue?["function"]?.objectValue?["name"]?.stringValue }
        #expect(offered.contains("git__git_log") && offered.contains("git__git_commit") && offered.contains("read_file"))
        let answer = try #require(server.chatRequests.last?.messages.last?.objectValue)
        #expect(answer["role"] == "tool")
        #expect(answer["tool_call_id"] == "c1")
        #expect(answer["content"]?.stringValue?.contains("the very first commit") == true, "\(answer)")
        #expect(server.invariantViolations.isEmpty)

        // The call and its result are paired in the saved session.
        let journal = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        let lines = try String(contentsOf: journal, encoding: .utf8).split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
        let text = lines.map(\.jsonText).joined(separator: "\n")
        #expect(text.contains("\"tool_call_id\":\"c1\""))
        #expect(text.contains("\"name\":\"git__git_log\""))
    }

    @Test func gitCommitDoesNotRunInPrintModeUnderAsk() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let repo = try await repository(home)
        try "changed\n".write(to: home.workspace.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try await shell(["git", "add", "a.txt"], in: home.workspace)
        let (result, server) = try await AgentBinary.run(["-p", "commit it"], home: home, script: [
            call("c2", "git__git_commit", ["repo_path": .string(repo), "message": "sneaky"]),
            .sse(SSE.answer(["I could not."])),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let answer = try #require(server.chatRequests.last?.messages.last?.objectValue)
        #expect(answer["tool_call_id"] == "c2")
        #expect(answer["content"]?.stringValue?.hasPrefix("denied: git__git_commit needs the user's approval") == true,
                "\(answer)")
        let log = try String(contentsOf: home.workspace.appendingPathComponent(".git/logs/HEAD"), encoding: .utf8)
        #expect(!log.contains("sneaky"))
        #expect(server.invariantViolations.isEmpty)
    }
}

/// MCP servers that fail, and process clean-up, with the fixture server.
@Suite(.timeLimit(.minutes(2))) struct MCPLifecycleTests {
    func fixture() throws -> String {
        try #require(BuiltBinary.path(named: "mcp-fixture-server"), "build mcp-fixture-server first")
    }

    @Test func serversThatCannotStartDelayTheAnswerByTheirTimeoutAtMost() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let hangPID = home.root.appendingPathComponent("hang.pid").path
        // The same run without servers, just before, on the same (possibly busy) machine.
        let clock = ContinuousClock()
        let plainStart = clock.now
        let (plain, _) = try await AgentBinary.run(["-p", "q"], home: home, script: [.sse(SSE.answer(["answered"]))])
        let baseline = clock.now - plainStart
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        try home.writeConfig("""
            [mcp_servers.missing]
            command = "no-such-mcp-server-anywhere"

            [mcp_servers.silent]
            command = "\(try fixture())"
            args = ["--hang", "--pid-file", "\(hangPID)"]
            startup_timeout_sec = 2
            """)
        let began = clock.now
        let (result, _) = try await AgentBinary.run(["-p", "q"], home: home, script: [.sse(SSE.answer(["answered"]))])
        let took = clock.now - began
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "answered\n")
        // At most the 2 s timeout more than without the servers, plus slack for a busy machine.
        #expect(took - baseline < .seconds(2) + .seconds(2), "took \(took), \(baseline) without the servers")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("MCP server") }
        #expect(warnings == [
            "agent: warning: MCP server 'missing' did not start: command not found: no-such-mcp-server-anywhere (not in PATH)",
            "agent: warning: MCP server 'silent' did not start: no answer within 2 s (startup_timeout_sec)",
        ])
        #expect(await waitUntilGone(try await readPID(hangPID)))
    }

    @Test func noServerProcessSurvivesExit() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (serverPID, childPID) = try configureFixture(home)
        let (result, _) = try await AgentBinary.run(["-p", "q"], home: home, script: [.sse(SSE.answer(["a"]))])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(await waitUntilGone(try await readPID(serverPID)))
        #expect(await waitUntilGone(try await readPID(childPID)))
    }

    @Test func ctrlDInTheREPLEndsTheServersAndMCPListsThem() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let (serverPID, childPID) = try configureFixture(home)
        let server = FakeModelServer(script: [])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor("test-model> ")
        let serverProcess = try await readPID(serverPID)
        let child = try await readPID(childPID)
        // The prompt does not wait for the servers: ask again until the fixture has started.
        var listing = ""
        for _ in 0..<100 where !listing.contains("fx__echo") {
            let mark = agent.mark()
            agent.sendLine("/mcp")
            try await agent.waitFor("MCP servers:", after: mark)
            try await agent.waitFor("test-model> ", after: mark)
            listing = agent.output(after: mark)
            if !listing.contains("fx__echo") { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(listing.contains("fx__echo"), "\(listing)")
        #expect(listing.contains("[asks in ask mode]"), "\(listing)")
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(await waitUntilGone(serverProcess))
        #expect(await waitUntilGone(child))
    }

    /// Configures the fixture as `[mcp_servers.fx]`, writing its pid and its child's.
    func configureFixture(_ home: TestHome) throws -> (server: String, child: String) {
        let serverPID = home.root.appendingPathComponent("server.pid").path
        let childPID = home.root.appendingPathComponent("child.pid").path
        try home.writeConfig("""
            [mcp_servers.fx]
            command = "\(try fixture())"
            args = ["--pid-file", "\(serverPID)", "--child-pid-file", "\(childPID)"]
            """)
        return (serverPID, childPID)
    }

}

