import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// SIGTERM and SIGHUP in every phase: each ends agent with 128 + the signal, promptly, with the
/// session saved. Before, a signal during the preflight was dropped, one while `-p` read stdin
/// was ignored, and one during a runaway search waited for the search (54 minutes).
@Suite(.timeLimit(.minutes(2))) struct SignalPhaseTests {
    static let prompt = "test-model> "

    func journal(_ home: TestHome) throws -> String {
        let file = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        return try String(contentsOf: file, encoding: .utf8)
    }

    func launch(_ home: TestHome, _ server: FakeModelServer, _ arguments: [String] = []) throws -> PTYProcess {
        try AgentBinary.repl(home, server, arguments)
    }

    @Test func sighupDuringAStreamSavesThePartialAndExits129() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("said before the hangup")), .wait(gate)])])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("talk")
        try await agent.waitFor("said before the hangup")
        agent.signal(SIGHUP)
        #expect(try await agent.waitForExit() == 129)
        gate.open()
        await server.stop()
        #expect(try journal(home).contains("said before the hangup"))
    }

    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalAtAnApprovalPromptExitsAtOnce(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "w", name: "write_file", arguments: #"{"path":"x.txt","content":"x"}"#),
                  SSE.finish("tool_calls"), SSE.done]),
        ])
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        agent.sendLine("write it")
        try await agent.waitFor("Allow write_file?")
        let sent = ContinuousClock.now
        agent.signal(signal)
        #expect(try await agent.waitForExit() == 128 + signal)
        #expect(ContinuousClock.now - sent < .seconds(1))
        await server.stop()
        #expect(try journal(home).contains("write_file"))
        #expect(!FileManager.default.fileExists(atPath: home.workspace.appendingPathComponent("x.txt").path))
    }

    @Test func sigtermDuringARunawaySearchExitsWithinASecond() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try (String(repeating: "a", count: 40_000) + "b\n")
            .write(to: home.workspace.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "s", name: "search_files", arguments: #"{"pattern":"(a|aa)+$"}"#),
                  SSE.finish("tool_calls"), SSE.done]),
        ])
        try await server.start()
        let agent = try launch(home, server, ["--approval", "auto"])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("search")
        try await agent.waitFor("search_files /(a|aa)+$/")
        let sent = ContinuousClock.now
        agent.signal(SIGTERM)
        #expect(try await agent.waitForExit() == 143)
        #expect(ContinuousClock.now - sent < .seconds(1))
        await server.stop()
        let saved = try journal(home)
        #expect(saved.contains("search_files") && saved.contains("\"role\":\"tool\""))
    }

    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalDuringThePreflightIsNotDropped(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = FakeModelServer(holdingPreflight: gate, script: [.sse(SSE.answer(["must never be asked"]))])
        try await server.start()
        let pid = PIDBox()
        let run = Task {
            try await AgentBinary.run(["-p", "hello", "--approval", "auto"], home: home,
                                      environment: home.environment(endpoint: server.endpoint), onStart: { pid.set($0) })
        }
        await server.requestCounter.wait(atLeast: 1)
        kill(pid.get(), signal)
        let result = try await run.value
        gate.open()
        await server.stop()
        #expect(result.status == 128 + signal, "stderr: \(result.stderr)")
        #expect(server.chatRequests.isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalWhileReadingThePromptFromStdin(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try AgentBinary.path())
        process.arguments = ["-p"]
        process.environment = home.environment(endpoint: "http://127.0.0.1:9")
        process.currentDirectoryURL = home.workspace
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait (with a deadline) until one of its threads is blocked reading fd 0.
        let deadline = ContinuousClock.now + .seconds(20)
        while !Self.isReadingStdin(process.processIdentifier), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(process.processIdentifier, signal)
        let status = await blocking {
            process.waitUntilExit()
            return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        }
        try input.fileHandleForWriting.close()
        #expect(status == 128 + signal)
    }

    /// A command that would run for a minute: the signal ends agent within a second, the
    /// command's whole process group is killed, and the saved session pairs the call with a result.
    @Test(arguments: [SIGTERM, SIGHUP]) func aSignalDuringARunningCommand(_ signal: Int32) async throws {
        let home = try TestHome()
        defer { home.remove() }
        let pidFile = home.root.appendingPathComponent("sleep.pid").path
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "r", name: "run_shell",
                               arguments: JSONValue.object(["command": .string("sleep 60 & echo $! > \(pidFile); wait")]).jsonText),
                  SSE.finish("tool_calls"), SSE.done]),
        ])
        try await server.start()
        let agent = try launch(home, server, ["--approval", "auto"])
        try await agent.waitFor(Self.prompt)
        agent.sendLine("sleep")
        let sleeper = try await readPID(pidFile, within: .seconds(20))
        let sent = ContinuousClock.now
        agent.signal(signal)
        #expect(try await agent.waitForExit() == 128 + signal)
        #expect(ContinuousClock.now - sent < .seconds(1))
        await server.stop()
        #expect(await waitUntilGone(sleeper))
        let saved = try journal(home)
        #expect(saved.contains("run_shell") && saved.contains("\"role\":\"tool\""))
    }


    /// A thread of `pid` is in read(2) (syscall 0 on x86_64) on file descriptor 0.
    static func isReadingStdin(_ pid: Int32) -> Bool {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.contains { task in
            let line = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/syscall", encoding: .utf8)) ?? ""
            return line.hasPrefix("0 0x0 ")
        }
    }
}
