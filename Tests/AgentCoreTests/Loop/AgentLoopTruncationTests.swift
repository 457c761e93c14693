import AgentProtocol
import AgentTestSupport
import Foundation
import ModelClient
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct AgentLoopTruncationTests {
    func loop(_ client: LLMClient, tools: [any Tool] = [], context: ContextOptions = ContextOptions()) -> AgentLoop {
        AgentLoop(
            model: client, tools: tools,
            options: .init(toolContext: ToolContext(workspace: FileManager.default.temporaryDirectory), context: context),
            approver: nil, recorder: nil, messages: [.system("sys")])
    }

    @Test func trimmingChangesWhatIsSentNeverWhatIsStoredAndIsAnnouncedOnce() async throws {
        let server = FakeModelServer { _, _ in .sse(SSE.answer(["ok"])) }
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "test-model", endpoint: server.endpoint, maxRetries: 0))
        let loop = loop(client, context: ContextOptions(thresholdTokens: 200, keepRecent: 2))
        let log = EventLog()
        let long = String(repeating: "word ", count: 40)
        for i in 0..<4 { _ = await loop.runTurn("question \(i) \(long)", emit: log.emit) }
        await client.shutdown()
        await server.stop()

        #expect(await loop.messages.count == 9)
        let last = try #require(server.chatRequests.last)
        #expect(last.messages.count < 9)
        #expect(last.messages.first?.objectValue?["role"] == "system")
        #expect(last.messages[1].objectValue?["content"]?.stringValue?.hasPrefix("question 0") == true)
        #expect(last.messages.last?.objectValue?["content"]?.stringValue?.hasPrefix("question 3") == true)
        let notices = log.all.compactMap { if case .truncated(let n) = $0 { n } else { nil } }
        #expect(!notices.isEmpty)
        #expect(server.invariantViolations.isEmpty)
    }

    /// A conversation continued by another run (`-p --continue`) trims from where the first run
    /// did, so the prefix the server cached is the prefix it is sent.
    @Test func aResumedConversationKeepsTheSameKeptStretch() async throws {
        let server = FakeModelServer { _, _ in .sse(SSE.answer(["ok"])) }
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "test-model", endpoint: server.endpoint, maxRetries: 0))
        let options = ContextOptions(thresholdTokens: 400, keepRecent: 2)
        let first = loop(client, context: options)
        let long = String(repeating: "word ", count: 40)
        var saved: [Message] = []
        for i in 0..<8 {
            if i == 7 { saved = await first.messages }
            _ = await first.runTurn("question \(i) \(long)", emit: { _ in })
        }
        let second = AgentLoop(
            model: client, tools: [],
            options: .init(toolContext: ToolContext(workspace: FileManager.default.temporaryDirectory), context: options),
            approver: nil, recorder: nil, messages: saved)
        _ = await second.runTurn("question 7 \(long)", emit: { _ in })
        await client.shutdown()
        await server.stop()
        let requests = server.chatRequests
        #expect(requests.count == 9)
        #expect(requests[7].messages.count < 16, "the first run trimmed")
        #expect(requests[8].messages == requests[7].messages)
        #expect(saved.last?.metadata.trimmedFrom != nil)
    }

    /// A server that publishes no window: the 400 that names it teaches agent, which trims and
    /// sends that request again, once.
    @Test func anOverflowTeachesTheWindowAndTheRequestIsRetriedOnceTrimmed() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 1500, servesProps: false))) { request, _ in
            .sse(SSE.answer(["ok"], usage: (0, 1)))
        }
        try await server.start()
        var config = LLMConfig(model: "smollm2", endpoint: server.endpoint, maxRetries: 0)
        config.api = .openAI
        // The models list names no window in this test: hide it behind a configured fallback.
        let client = LLMClient(config: config)
        let loop = AgentLoop(
            model: UnknownWindow(base: client), tools: [],
            options: .init(toolContext: ToolContext(workspace: FileManager.default.temporaryDirectory)),
            approver: nil, recorder: nil, messages: [.system("sys")])
        let log = EventLog()
        var outcomes: [TurnOutcome] = []
        for i in 0..<5 {
            outcomes.append(await loop.runTurn("turn \(i) " + String(repeating: "lorem ipsum ", count: 150), emit: log.emit))
        }
        await client.shutdown()
        await server.stop()
        #expect(outcomes.allSatisfy { $0.answer == "ok" }, "\(outcomes)")
        #expect(server.overflowRefusals == 1, "learned once, then every request fits")
        let learned = log.all.compactMap { if case .context(.windowLearned(let w)) = $0 { w } else { nil } }
        #expect(learned == [ContextWindow(tokens: 1500, source: .serverError)])
        let status = await loop.contextStatus()
        #expect(status.window == ContextWindow(tokens: 1500, source: .serverError))
    }

    @Test func aMessageTooLargeForTheWindowIsNotSentOrRecorded() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 4096)), script: [.sse(SSE.answer(["never"]))])
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "smollm2", endpoint: server.endpoint, maxRetries: 0))
        let loop = loop(client)
        let outcome = await loop.runTurn(String(repeating: "token ", count: 19_000), emit: { _ in })
        await client.shutdown()
        await server.stop()
        guard case .tooLarge(let oversized) = outcome else {
            Issue.record("expected tooLarge, got \(outcome)")
            return
        }
        #expect(oversized.window == ContextWindow(tokens: 4096, source: .llamaCppProps))
        #expect(oversized.tokens > 19_000)
        #expect(server.chatRequests.isEmpty)
        #expect(await loop.messages.count == 1)
    }

    @Test func aModelWithoutToolsGetsNoSchemasAndOneNotice() async throws {
        let ollama = FakeOllama(capabilities: ["completion"])
        let server = FakeModelServer(flavor: .ollamaNative(ollama)) { _, _ in .ndjson(NDJSON.answer(["hi"], prompt: 50, eval: 2)) }
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "test-model", endpoint: server.endpoint, maxRetries: 0))
        let loop = loop(client, tools: [EchoTool()])
        let log = EventLog()
        _ = await loop.runTurn("one", emit: log.emit)
        _ = await loop.runTurn("two", emit: log.emit)
        await client.shutdown()
        await server.stop()
        #expect(server.chatRequests.count == 2)
        #expect(server.chatRequests.allSatisfy { $0.json?.objectValue?["tools"] == nil })
        let notices = log.all.filter { if case .context(.toolsUnsupported) = $0 { true } else { false } }
        #expect(notices.count == 1)
        let uses = log.all.compactMap { if case .usage(_, _, let use) = $0 { use } else { nil } }
        #expect(uses.first == ContextUse(usedTokens: 52, window: ContextWindow(tokens: 16_384, source: .ollamaDefault)))
        #expect(await loop.messages.last?.metadata.window?.tokens == 16_384)
    }
}

/// Hides what the server publishes, as a server that says nothing about its window would.
struct UnknownWindow: ChatModel {
    let base: LLMClient
    var modelName: String { base.modelName }
    func streamChat(messages: [Message], tools: [ToolSpec]) -> AsyncThrowingStream<ModelEvent, any Error> {
        base.streamChat(messages: messages, tools: tools)
    }
}
