import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// Issue #11's acceptance against in-process fakes of Ollama and llama.cpp: every turn fits the
/// server's real window, the first user message stays, and nothing too big is ever sent.
@Suite(.timeLimit(.minutes(3))) struct ContextWindowTests {
    /// ~2,500 characters of prose, tagged so a request shows which turns it carries.
    static func turnText(_ n: Int) -> String {
        let sentence = "The quick brown fox jumps over the lazy dog while the river keeps running to the sea. "
        return "TURN-\(n) " + String(repeating: sentence, count: 29)
    }

    func runTurns(_ home: TestHome, _ server: FakeModelServer, count: Int = 5, extra: [String] = []) async throws -> [RunResult] {
        var results: [RunResult] = []
        for n in 1...count {
            let arguments = ["-p"] + (n > 1 ? ["--continue"] : []) + extra
            results.append(try await AgentBinary.run(arguments, home: home, environment: home.environment(endpoint: server.endpoint),
                                                     stdin: Self.turnText(n)))
        }
        return results
    }

    func firstUserMessage(_ request: RecordedRequest) -> String? {
        request.messages.first { $0.objectValue?["role"] == "user" }?.objectValue?["content"]?.stringValue
    }

    /// Ollama with a trained window of 32,768 and a default loaded window of 4,096 that silently
    /// drops the oldest messages of a larger request; retries, a cut stream and a stall on the way.
    @Test func fiveTurnsAgainstOllamaNeverMakeItDropAMessage() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama()), script: [
            .ndjson(NDJSON.answer(["answer 1"])),
            .status(503, body: #"{"error":"server busy"}"#),
            .ndjson(NDJSON.answer(["answer 2"])),
            .ndjsonStream([.raw(NDJSON.content("answer 3, first ")), .drop]),
            .ndjson(NDJSON.answer(["answer ", "3"])),
            .ndjsonStream([.raw(NDJSON.content("answer 4, stalled ")), .stall]),
            .ndjson(NDJSON.answer(["answer 4"])),
            .ndjson(NDJSON.answer(["answer 5"])),
        ])
        try await server.start()
        let results = try await runTurns(
            home, server, extra: ["-c", "retry.backoff_base=0.01", "-c", "retry.stream_idle_timeout=2"])
        await server.stop()
        for (index, result) in results.enumerated() {
            #expect(result.status == 0, "turn \(index + 1): \(result.stderr)")
            // Written once, at the end: a retried attempt's text never reaches stdout.
            #expect(result.stdout == "answer \(index + 1)\n", "turn \(index + 1)")
        }
        #expect(results[1].stderr.contains("retrying"))
        #expect(results[2].stderr.contains("retrying"))
        #expect(results[3].stderr.contains("stalled"))
        #expect(server.droppedMessages == 0)
        #expect(server.chatRequests.count == 8)
        for request in server.chatRequests {
            #expect(request.path == "/api/chat")
            #expect(firstUserMessage(request)?.hasPrefix("TURN-1 ") == true)
            #expect(request.json?.objectValue?["options"]?.objectValue?["num_ctx"] == 16_384)
        }
        #expect(server.invariantViolations.isEmpty)
    }

    /// llama.cpp with n_ctx 4,096, counted at 3 characters a token (harsher than the usual 4).
    /// Trimming alone: compaction is off (CompactionTests covers it on the same server).
    @Test func fiveTurnsAgainstLlamaCppStayInsideItsWindow() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 4096))) { request, index in
            let prompt = FakePromptCount.tokens(request.messages, charactersPerToken: 3)
            return .sse(SSE.answer(["answer \(index + 1)"], usage: (prompt, 3)))
        }
        try await server.start()
        let results = try await runTurns(home, server, extra: ["-c", "compaction.auto=false"])
        await server.stop()
        for (index, result) in results.enumerated() {
            #expect(result.status == 0, "turn \(index + 1): \(result.stderr)")
            #expect(result.stdout == "answer \(index + 1)\n")
        }
        #expect(server.overflowRefusals == 0)
        #expect(server.chatRequests.count == 5)
        for request in server.chatRequests {
            #expect(server.promptTokens(request) <= 4096)
            #expect(firstUserMessage(request)?.hasPrefix("TURN-1 ") == true)
            #expect(request.messages.last?.objectValue?["content"]?.stringValue?.hasPrefix("TURN-") == true)
        }
        // The later turns did not fit whole: something was left out, and said so.
        #expect(results[4].stderr.contains("left out of the request"))
    }

    @Test func aMessageTooBigForTheWindowIsNotSent() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 4096)), script: [.sse(SSE.answer(["never"]))])
        try await server.start()
        // About 19,000 tokens.
        let huge = String(repeating: "token ", count: 19_000)
        let result = try await AgentBinary.run(["-p"], home: home, environment: home.environment(endpoint: server.endpoint),
                                               stdin: huge)
        await server.stop()
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count <= 3, "\(result.stderr)")
        #expect(result.stderr.contains("4,096 tokens (from the server's /props)"), "\(result.stderr)")
        #expect(result.stderr.contains("message is ~"))
        #expect(!result.stderr.contains("Fatal") && !result.stderr.contains("0x"))
        #expect(result.stdout.isEmpty)
        #expect(server.chatRequests.isEmpty)
    }

    @Test func theREPLKeepsATooBigMessageInItsHistoryAndCarriesOn() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(model: "test-model", window: 2048)),
                                     script: [.sse(SSE.answer(["small answer"]))])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor("test-model> ")
        var mark = agent.mark()
        let big = "BIG " + String(repeating: "abcd ", count: 900)
        agent.sendLine(big)
        try await agent.waitFor("nothing was sent", after: mark, timeout: .seconds(30))
        try await agent.waitFor("test-model> ", after: mark)
        mark = agent.mark()
        agent.send("\u{1B}[A")  // Up: the line comes back from the history.
        try await agent.waitFor("abcd abcd", after: mark)
        agent.sendControl("u")
        agent.sendControl("a")
        agent.sendControl("k")
        mark = agent.mark()
        agent.sendLine("small question")
        try await agent.waitFor("small answer", after: mark)
        mark = agent.mark()
        agent.sendLine("/session")
        try await agent.waitFor("window: 2,048 tokens (from the server's /props)", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.chatRequests.count == 1)
        #expect(server.chatRequests.first?.messages.contains { $0.objectValue?["content"]?.stringValue?.hasPrefix("BIG") == true } == false)
    }

    @Test func modelListsTheServersModelsWithWindowsAndSwitchingLearnsAgain() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let ollama = FakeOllama(models: ["test-model:latest", "big:70b"], trainedWindow: 8192)
        let server = FakeModelServer(flavor: .ollamaNative(ollama), script: [.ndjson(NDJSON.answer(["hi"]))])
        try await server.start()
        let agent = try AgentBinary.repl(home, server)
        try await agent.waitFor("test-model> ")
        var mark = agent.mark()
        agent.sendLine("/model")
        try await agent.waitFor("window 8,192 tokens (from Ollama's /api/show)", after: mark)
        try await agent.waitFor(regex: #"big:70b +8,192"#, after: mark)
        mark = agent.mark()
        agent.sendLine("/model big:70b")
        try await agent.waitFor("Now using big:70b · window 8,192 tokens", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        let shows = server.requests.filter { $0.path == "/api/show" }.compactMap { $0.json?.objectValue?["model"]?.stringValue }
        #expect(shows.contains("big:70b"))
    }

    @Test func theUsageLineAndTheSessionShowTheWindow() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(model: "test-model", window: 8192)),
                                     script: [.sse(SSE.answer(["hi"], usage: (3100, 20)))])
        try await server.start()
        let result = try await AgentBinary.run(["-p", "hello", "--output-format", "stream-json"], home: home,
                                               environment: home.environment(endpoint: server.endpoint))
        let usage = result.stdout.split(separator: "\n").compactMap { JSONValue.parse(String($0))?.objectValue }
            .first { $0["type"] == "usage" }
        #expect(usage?["context_tokens"] == 3120)
        #expect(usage?["context_window"] == 8192)
        let shown = try await AgentBinary.run(["sessions", "show", "2"], home: home,
                                              environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        #expect(shown.stdout.contains("window: 8,192 tokens (from the server's /props)"), "\(shown.stdout) \(shown.stderr)")
    }
}
