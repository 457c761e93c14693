import AgentProtocol
import AgentTestSupport
import Foundation
import ModelClient
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct AgentLoopTruncationTests {
    @Test func truncationChangesWhatIsSentNeverWhatIsStoredAndIsAnnouncedOnce() async throws {
        let server = FakeModelServer { _, _ in .sse(SSE.answer(["ok"])) }
        try await server.start()
        let client = LLMClient(config: LLMConfig(model: "test-model", endpoint: server.endpoint, maxRetries: 0))
        let truncator = ConversationTruncator(thresholdTokens: 60, keepRecent: 2)
        let loop = AgentLoop(
            model: client, tools: [],
            options: .init(toolContext: ToolContext(workspace: FileManager.default.temporaryDirectory),
                           truncate: { let r = truncator.apply($0); return (r.messages, r.omittedCount) }),
            approver: nil, recorder: nil, messages: [.system("sys")])
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
        #expect(Set(notices).count == notices.count, "each omitted count is announced once: \(notices)")
        #expect(server.invariantViolations.isEmpty)
    }
}
