import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct SubcommandTests {
    @Test func configShowsValuesWithTheirSourcesAndMasksTheKey() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try home.writeConfig("temperature = 0.2\n")
        let env = home.environment(endpoint: "http://127.0.0.1:8080", extra: ["AGENT_API_KEY": "sk-secret-abcd1234"])
        let result = try await AgentBinary.run(["config", "-c", "retry.max_retries=7"], home: home, environment: env)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("AGENT_ENDPOINT"))
        #expect(result.stdout.contains("max_retries = 7"))
        #expect(result.stdout.contains("config.toml"))
        #expect(!result.stdout.contains("sk-secret-abcd1234"))
        #expect(result.stdout.contains("1234"))
    }

    @Test func sessionsListShowAndPrune() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [.sse(SSE.answer(["one"])), .sse(SSE.answer(["two"])), .sse(SSE.answer(["three"]))])
        try await server.start()
        let env = home.environment(endpoint: server.endpoint)
        _ = try await AgentBinary.run(["-p", "first question"], home: home, environment: env)
        _ = try await AgentBinary.run(["-p", "second question"], home: home, environment: env)

        let list = try await AgentBinary.run(["sessions", "list"], home: home, environment: env)
        #expect(list.status == 0)
        let ids = list.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(ids.count == 2)

        let show = try await AgentBinary.run(["sessions", "show", String(ids[1].prefix(20))], home: home, environment: env)
        #expect(show.status == 0, "stderr: \(show.stderr)")
        #expect(show.stdout.contains("first question"))

        let dryRun = try await AgentBinary.run(["sessions", "prune", "--dry-run", "-c", "sessions.keep=1"], home: home, environment: env)
        #expect(dryRun.stdout.contains("Would remove 1 session"))
        #expect(home.sessionFiles().filter { $0.pathExtension == "jsonl" }.count == 2)

        // Cleanup at start is never silent: the first line says what went and which setting to change.
        let third = try await AgentBinary.run(["-p", "third", "-c", "sessions.keep=1"], home: home, environment: env)
        await server.stop()
        #expect(third.status == 0, "stderr: \(third.stderr)")
        #expect(third.stderr.split(separator: "\n").first?.contains("Removed 1 old session") == true, "stderr: \(third.stderr)")
        #expect(third.stderr.contains("sessions.keep"))
    }

    @Test func resumingAnUnknownSessionIsAUsageError() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(script: [])
        try await server.start()
        let result = try await AgentBinary.run(["-p", "--resume", "nope", "hi"], home: home,
                                               environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        #expect(result.status == 2)
        #expect(result.stderr == "agent: no session matches 'nope'\n")
        #expect(server.chatRequests.isEmpty)
    }

    @Test func corruptSessionIsKeptAsideAndAFreshOneStarts() async throws {
        let home = try TestHome()
        defer { home.remove() }
        try FileManager.default.createDirectory(at: home.sessionsDir, withIntermediateDirectories: true)
        let broken = home.sessionsDir.appendingPathComponent("20200101-000000-abcdef.jsonl")
        try "this is not a session\n".write(to: broken, atomically: true, encoding: .utf8)
        let server = FakeModelServer(script: [.sse(SSE.answer(["fresh"]))])
        try await server.start()
        let result = try await AgentBinary.run(["-p", "--resume", "20200101-000000-abcdef", "hi"], home: home,
                                               environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("moved it to"))
        #expect(result.stdout == "fresh\n")
        let names = home.sessionFiles().map(\.lastPathComponent)
        #expect(names.contains { $0.hasPrefix("20200101-000000-abcdef.jsonl.corrupt-") })
        let aside = try #require(home.sessionFiles().first { $0.lastPathComponent.contains(".corrupt-") })
        #expect(try String(contentsOf: aside, encoding: .utf8) == "this is not a session\n")
    }
}
