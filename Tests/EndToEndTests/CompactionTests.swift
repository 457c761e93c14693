import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

/// Issue #12's acceptance through the built binary: `/compact` in the REPL (a pseudo-terminal),
/// the compacted history sent by `--continue`, a failed and a cancelled compaction, and
/// automatic compaction against a llama.cpp-like server with a 4,096-token window.
@Suite(.timeLimit(.minutes(4))) struct CompactionTests {
    static let prompt = "test-model> "
    static let summary = "## Task and constraints\n- SUMMARY-TEXT: answer questions one by one"

    /// Answers summary requests with `summary` (or `summaryReply`) and turns with "answer-N".
    static func server(_ flavor: FakeModelServer.Flavor = .ollama(models: ["test-model:latest"]),
                       summaryReply: FakeReply? = nil) -> FakeModelServer {
        FakeModelServer(flavor: flavor) { request, index in
            if request.isSummaryRequest { return summaryReply ?? .sse(SSE.answer([summary])) }
            let prompt = FakePromptCount.tokens(request.messages, charactersPerToken: 3)
            return .sse(SSE.answer(["answer-\(index)"], usage: (prompt, 3)))
        }
    }

    func launch(_ home: TestHome, _ server: FakeModelServer) throws -> PTYProcess {
        try AgentBinary.repl(home, server)
    }

    func turn(_ agent: PTYProcess, _ text: String) async throws {
        let mark = agent.mark()
        agent.sendLine(text)
        try await agent.waitFor("answer-", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
    }

    func sessionText(_ home: TestHome) throws -> String {
        let file = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test func compactInTheREPLThenContinueSendsTheCompactedHistoryAndTheFileKeepsEverything() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server()
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        for n in 1...6 { try await turn(agent, "question \(n)") }
        var mark = agent.mark()
        agent.sendLine("/compact keep the numbering")
        try await agent.waitFor(regex: #"Compacted the conversation: 13 messages, ~[\d,]+ tokens → 5 messages, ~[\d,]+ tokens"#,
                                after: mark)
        try await agent.waitFor("a summary stands for 9 of them", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        try await turn(agent, "question 7")
        mark = agent.mark()
        agent.sendLine("/session")
        try await agent.waitFor("compacted: a summary stands for 9 earlier messages", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)

        let summaries = server.chatRequests.filter(\.isSummaryRequest)
        #expect(summaries.count == 1)
        #expect(summaries.first?.contents.joined().contains("focus on: keep the numbering") == true)
        let beforeCompact = server.chatRequests[5]
        let afterCompact = try #require(server.chatRequests.last)
        #expect(afterCompact.messages.count < beforeCompact.messages.count)
        #expect(afterCompact.contents[1] == "question 1")
        #expect(afterCompact.contents[2].contains("SUMMARY-TEXT"))
        for old in ["question 2", "question 5", "answer-1", "answer-4"] { #expect(!afterCompact.contents.contains(old), "\(old)") }
        #expect(afterCompact.contents.suffix(3) == ["question 6", "answer-5", "question 7"])

        let continued = try await AgentBinary.run(["--continue", "-p", "question 8"], home: home,
                                                  environment: home.environment(endpoint: server.endpoint))
        await server.stop()
        #expect(continued.status == 0, "\(continued.stderr)")
        let resumed = try #require(server.chatRequests.last)
        #expect(resumed.contents[1] == "question 1")
        #expect(resumed.contents[2].contains("SUMMARY-TEXT"))
        #expect(!resumed.contents.contains("question 2") && !resumed.contents.contains("answer-1"))
        #expect(resumed.contents.suffix(5) == ["question 6", "answer-5", "question 7", "answer-7", "question 8"])
        #expect(server.invariantViolations.isEmpty)

        let file = try sessionText(home)
        for old in ["question 2", "question 5", "answer-1", "answer-4"] { #expect(file.contains(old), "\(old)") }
        #expect(file.contains(#""type":"compaction""#))
        let shown = try await AgentBinary.run(["sessions", "show", "2"], home: home,
                                              environment: home.environment(endpoint: nil))
        #expect(shown.stdout.contains("question 2") && shown.stdout.contains("answer-4"))
        #expect(shown.stdout.contains("── compacted here (/compact keep the numbering)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("messages 2–10 are sent as this summary from here on"))
        #expect(shown.stdout.contains("SUMMARY-TEXT"))
    }

    /// `--resume ID` and `/session load ID` start from the compacted history too.
    @Test func resumeAndSessionLoadSendTheCompactedHistory() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server()
        try await server.start()
        var agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        for n in 1...3 { try await turn(agent, "question \(n)") }
        var mark = agent.mark()
        agent.sendLine("/compact")
        try await agent.waitFor("Compacted the conversation", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        let file = try #require(home.sessionFiles().first { $0.pathExtension == "jsonl" })
        let id = file.deletingPathExtension().lastPathComponent

        agent = try AgentBinary.repl(home, server, ["--resume", id])
        try await agent.waitFor("compacted: the older ones are sent as a summary")
        try await agent.waitFor(Self.prompt)
        try await turn(agent, "question 4")
        let resumed = try #require(server.chatRequests.last)
        mark = agent.mark()
        agent.sendLine("/session new")
        try await agent.waitFor(Self.prompt, after: mark)
        mark = agent.mark()
        agent.sendLine("/session load \(id)")
        try await agent.waitFor("Loaded session", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        try await turn(agent, "question 5")
        let loaded = try #require(server.chatRequests.last)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        for request in [resumed, loaded] {
            #expect(request.contents[1] == "question 1")
            #expect(request.contents[2].contains("SUMMARY-TEXT"))
            #expect(!request.contents.contains("question 2") && !request.contents.contains("answer-0"))
            #expect(request.contents.contains("question 3"))
        }
        #expect(loaded.contents.suffix(3) == ["question 4", "answer-\(server.chatRequests.count - 2)", "question 5"])
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func aSummaryRequestAnswered400LeavesTheConversationAsItWasAndSaysWhy() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server(summaryReply: .status(400, body: #"{"error":{"message":"summaries are not allowed"}}"#))
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        for n in 1...3 { try await turn(agent, "question \(n)") }
        let mark = agent.mark()
        agent.sendLine("/compact")
        try await agent.waitFor(
            "Compaction failed: The server answered 400: summaries are not allowed. The conversation is unchanged.",
            after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        try await turn(agent, "question 4")
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        let last = try #require(server.chatRequests.last)
        #expect(last.contents.dropFirst() == ["question 1", "answer-0", "question 2", "answer-1", "question 3", "answer-2",
                                              "question 4"])
        #expect(try !sessionText(home).contains(#""type":"compaction""#))
    }

    @Test func ctrlCCancelsACompactionAndChangesNothing() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let gate = Gate()
        let server = Self.server(summaryReply: .stream([.raw(SSE.content("## Task")), .wait(gate)]))
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        for n in 1...3 { try await turn(agent, "question \(n)") }
        let mark = agent.mark()
        agent.sendLine("/compact")
        try await agent.waitFor("(Ctrl-C cancels)", after: mark)
        await server.chatRequestCounter.wait(atLeast: 4)
        agent.sendControl("c")
        try await agent.waitFor("Compaction cancelled; the conversation is unchanged.", after: mark)
        try await agent.waitFor(Self.prompt, after: mark)
        gate.open()
        try await turn(agent, "question 4")
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(try #require(server.chatRequests.last).contents.count == 8)
    }

    @Test func compactIsInHelpAndTabCompletesIt() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server()
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        var mark = agent.mark()
        agent.sendLine("/help")
        try await agent.waitFor("/compact [focus]", after: mark)
        mark = agent.mark()
        agent.send("/comp\t")
        try await agent.waitFor("/compact ", after: mark)
        agent.sendLine("")
        try await agent.waitFor("Nothing to compact", after: mark)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        #expect(server.chatRequests.isEmpty)
    }

    /// In the REPL the automatic compaction is one line before the answer, and the turn answers.
    @Test func theREPLSaysWhenItCompactsByItself() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server(.llamaCpp(FakeLlamaCpp(model: "test-model", window: 4096)))
        try await server.start()
        let agent = try launch(home, server)
        try await agent.waitFor(Self.prompt)
        let start = agent.mark()
        for n in 1...8 where !agent.output.contains("Compacted the conversation to fit the context window") {
            try await turn(agent, "TURN-\(n) " + String(repeating: "The build failed again on the second core. ", count: 45))
        }
        try await agent.waitFor("Compacted the conversation to fit the context window", after: start)
        agent.sendControl("d")
        #expect(try await agent.waitForExit() == 0)
        await server.stop()
        let last = try #require(server.chatRequests.last)
        #expect(!last.isSummaryRequest && last.contents[2].contains("SUMMARY-TEXT"))
        #expect(server.overflowRefusals == 0)
    }

    /// ~2,000-character turns against n_ctx 4,096 (counted at 3 characters a token): every turn
    /// answers, agent compacts by itself, later requests carry the summary, and no request is
    /// over the window, summary requests included.
    @Test func eightContinuedTurnsAgainstA4096TokenLlamaCppCompactAutomatically() async throws {
        let home = try TestHome()
        defer { home.remove() }
        let server = Self.server(.llamaCpp(FakeLlamaCpp(model: "test-model", window: 4096)))
        try await server.start()
        var results: [RunResult] = []
        for n in 1...8 {
            let text = "TURN-\(n) " + String(repeating: "The build failed again on the second core, so we retry. ", count: 35)
            results.append(try await AgentBinary.run(["-p"] + (n > 1 ? ["--continue"] : []), home: home,
                                                     environment: home.environment(endpoint: server.endpoint), stdin: text))
        }
        await server.stop()
        for (index, result) in results.enumerated() {
            #expect(result.status == 0, "turn \(index + 1): \(result.stderr)")
            #expect(result.stdout.hasPrefix("answer-"), "turn \(index + 1)")
        }
        let compactions = results.filter { $0.stderr.contains("Compacted the conversation to fit the context window") }
        #expect(!compactions.isEmpty, "\(results.map(\.stderr))")
        #expect(server.overflowRefusals == 0)
        for request in server.chatRequests { #expect(server.promptTokens(request) <= 4096) }
        let summaries = server.chatRequests.filter(\.isSummaryRequest)
        #expect(!summaries.isEmpty)
        let firstSummary = try #require(server.chatRequests.firstIndex { $0.isSummaryRequest })
        let later = server.chatRequests[(firstSummary + 1)...].filter { !$0.isSummaryRequest }
        #expect(!later.isEmpty)
        for request in later {
            #expect(request.contents[1].hasPrefix("TURN-1 "))
            #expect(request.contents[2].contains("SUMMARY-TEXT"))
        }
        #expect(server.invariantViolations.isEmpty)
        let file = try sessionText(home)
        for n in 1...8 { #expect(file.contains("TURN-\(n) ")) }
    }
}
