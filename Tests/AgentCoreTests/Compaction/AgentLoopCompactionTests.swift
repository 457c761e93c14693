import AgentProtocol
import AgentTestSupport
import Foundation
import ModelClient
import Synchronization
import Testing
@testable import AgentCore

/// `/compact` and automatic compaction in the loop, against the fake server (which checks the
/// tool-call history invariant on every request).
@Suite(.timeLimit(.minutes(2))) struct AgentLoopCompactionTests {
    static let summary = "## Task and constraints\n- SUMMARY-TEXT: keep the API stable"

    /// Answers a summary request with `summary` (or `summaryReply`), anything else with "ok N".
    static func server(flavor: FakeModelServer.Flavor = .ollama(models: ["test-model:latest"]),
                       summaryReply: FakeReply? = nil) -> FakeModelServer {
        FakeModelServer(flavor: flavor) { request, index in
            if request.isSummaryRequest {
                return summaryReply ?? .sse(SSE.answer([summary], usage: (0, 10)))
            }
            return .sse(SSE.answer(["ok \(index)"], usage: (0, 2)))
        }
    }

    func loop(_ client: LLMClient, messages: [Message] = [.system("sys")], recorder: MemoryRecorder? = nil,
              compaction: CompactionOptions = CompactionOptions(auto: false)) -> AgentLoop {
        AgentLoop(
            model: client, tools: [EchoTool()],
            options: .init(toolContext: ToolContext(workspace: FileManager.default.temporaryDirectory), compaction: compaction),
            approver: nil, recorder: recorder, messages: messages)
    }

    func client(_ server: FakeModelServer, model: String = "test-model") -> LLMClient {
        LLMClient(config: LLMConfig(model: model, endpoint: server.endpoint, maxRetries: 0))
    }

    @Test func compactAfterSixTurnsSendsOneSummaryRequestAndTheNextRequestCarriesIt() async throws {
        let server = Self.server()
        try await server.start()
        let client = client(server)
        let recorder = MemoryRecorder()
        let loop = loop(client, recorder: recorder)
        for turn in 1...6 { _ = await loop.runTurn("question \(turn)", emit: { _ in }) }
        let progress = Mutex<[CompactionProgress]>([])
        let result = await loop.compact(focus: "the API") { step in progress.withLock { $0.append(step) } }
        _ = await loop.runTurn("question 7", emit: { _ in })
        await client.shutdown()
        await server.stop()

        let report = try result.get()
        #expect(report.messagesBefore == 13 && report.messagesAfter == 5 && report.replaced == 9 && report.requests == 1)
        // Six one-line turns are smaller than the summary's heading: only the counts are checked here.
        #expect(report.tokensBefore > 0 && report.tokensAfter > 0)
        let summaries = server.chatRequests.filter(\.isSummaryRequest)
        #expect(summaries.count == 1)
        let asked = try #require(summaries.first)
        #expect(asked.json?.objectValue?["tools"] == nil)
        let transcript = asked.contents.joined(separator: "\n")
        #expect(transcript.contains("question 2") && transcript.contains("question 5") && !transcript.contains("question 6"))
        #expect(transcript.contains("focus on: the API"))
        let next = try #require(server.chatRequests.last)
        #expect(next.contents.count == 6)
        #expect(next.contents[1] == "question 1")
        #expect(next.contents[2].contains("SUMMARY-TEXT"))
        #expect(!next.contents.contains("question 2") && !next.contents.contains("ok 1"))
        #expect(Array(next.contents.suffix(3)) == ["question 6", "ok 5", "question 7"])
        if case .started(let messages, _, let pieces)? = progress.withLock({ $0 }).first {
            #expect(messages == 9 && pieces == 1)
        } else {
            Issue.record("no progress reported")
        }
        // The recorder keeps every message and notes the compaction after the twelve before it.
        #expect(recorder.messages.count == 14)
        let recorded = recorder.compactions.withLock { $0 }
        #expect(recorded.count == 1)
        #expect(recorded.first?.entry.keptMessages == 2 && recorded.first?.afterMessages == 12)
        #expect(recorded.first?.entry.summary == Self.summary && recorded.first?.entry.focus == "the API")
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func aSummaryRequestAnswered400LeavesTheConversationUnchanged() async throws {
        let refusal = FakeReply.status(400, body: #"{"error":{"message":"bad summary request"}}"#)
        let server = Self.server(summaryReply: refusal)
        try await server.start()
        let client = client(server)
        let recorder = MemoryRecorder()
        let loop = loop(client, recorder: recorder)
        for turn in 1...4 { _ = await loop.runTurn("question \(turn)", emit: { _ in }) }
        let before = await loop.messages
        let result = await loop.compact(focus: nil) { _ in }
        #expect(await loop.messages == before)
        _ = await loop.runTurn("question 5", emit: { _ in })
        await client.shutdown()
        await server.stop()

        guard case .failure(.request(let reason, _)) = result else {
            Issue.record("expected a failed request, got \(result)")
            return
        }
        #expect(reason.contains("400") && reason.contains("bad summary request"))
        let next = try #require(server.chatRequests.last)
        #expect(next.contents.count == 10)
        #expect(next.contents.contains("question 2") && next.contents.contains("ok 2"))
        #expect(recorder.compactions.withLock { $0 }.isEmpty)
    }

    @Test func cancellingTheTaskLeavesTheConversationUnchanged() async throws {
        let gate = Gate()
        let server = Self.server(summaryReply: .stream([.raw(SSE.content("## Task")), .wait(gate)]))
        try await server.start()
        let client = client(server)
        let loop = loop(client)
        for turn in 1...3 { _ = await loop.runTurn("question \(turn)", emit: { _ in }) }
        let before = await loop.messages
        let task = Task { await loop.compact(focus: nil) { _ in } }
        await server.chatRequestCounter.wait(atLeast: 4)
        task.cancel()
        let result = await task.value
        gate.open()
        await client.shutdown()
        await server.stop()
        #expect(result == .failure(.cancelled))
        #expect(await loop.messages == before)
    }

    @Test func nothingToCompactIsSaidAndNoRequestGoesOut() async throws {
        let server = Self.server()
        try await server.start()
        let client = client(server)
        let loop = loop(client)
        _ = await loop.runTurn("only question", emit: { _ in })
        let result = await loop.compact(focus: nil) { _ in }
        await client.shutdown()
        await server.stop()
        #expect(result == .failure(.nothingToCompact))
        #expect(server.chatRequests.filter(\.isSummaryRequest).isEmpty)
    }

    /// A history far larger than a 2,048-token window: summarised in pieces, then the pieces'
    /// summaries merged, and no request is over the window (the fake llama.cpp counts 3
    /// characters a token and refuses anything larger with a 400).
    @Test func aHistoryLargerThanTheWindowIsSummarisedInPiecesThatEachFit() async throws {
        let server = Self.server(flavor: .llamaCpp(FakeLlamaCpp(model: "test-model", window: 2048)))
        try await server.start()
        let client = client(server)
        let history = conversation(turns: 61, words: 60)
        let loop = loop(client, messages: history)
        let progress = Mutex<[CompactionProgress]>([])
        let result = await loop.compact(focus: nil) { step in progress.withLock { $0.append(step) } }
        await client.shutdown()
        await server.stop()

        let report = try result.get()
        let summaries = server.chatRequests.filter(\.isSummaryRequest)
        #expect(summaries.count == report.requests)
        #expect(report.requests > 5)
        #expect(report.tokensAfter * 10 < report.tokensBefore)
        #expect(summaries.contains { $0.contents.joined().contains("<part 2>") })
        #expect(server.overflowRefusals == 0)
        for request in summaries { #expect(server.promptTokens(request) <= 2048) }
        #expect(progress.withLock { $0 }.contains { if case .merging = $0 { true } else { false } })
        #expect(await loop.messages.count == 5)
    }

    /// Turns of ~1,000 characters in a 2,048-token window: the loop compacts by itself before
    /// a request, says so, and every request (summary requests too) fits.
    @Test func automaticCompactionKeepsEveryRequestInsideTheWindow() async throws {
        let server = Self.server(flavor: .llamaCpp(FakeLlamaCpp(model: "test-model", window: 2048)))
        try await server.start()
        let client = client(server)
        let loop = loop(client, compaction: CompactionOptions())
        let log = EventLog()
        for turn in 1...8 {
            let outcome = await loop.runTurn("TURN-\(turn) " + String(repeating: "some words here ", count: 60), emit: log.emit)
            #expect(outcome.answer != nil, "turn \(turn)")
        }
        await client.shutdown()
        await server.stop()
        let compacted = log.all.compactMap { if case .compaction(.compacted(let report)) = $0 { report } else { nil } }
        #expect(!compacted.isEmpty)
        #expect(compacted.allSatisfy { $0.automatic })
        #expect(server.overflowRefusals == 0)
        for request in server.chatRequests { #expect(server.promptTokens(request) <= 2048) }
        let last = try #require(server.chatRequests.last)
        #expect(last.contents[1].hasPrefix("TURN-1 "))
        #expect(last.contents[2].contains("SUMMARY-TEXT"))
        #expect(server.invariantViolations.isEmpty)
    }

    /// A server that cannot summarise: the turn is trimmed and answered, the failure said, and
    /// the next try waits a turn, then two.
    @Test func aFailingAutomaticCompactionFallsBackToTrimmingAndBacksOff() async throws {
        let server = Self.server(flavor: .llamaCpp(FakeLlamaCpp(model: "test-model", window: 2048)),
                                 summaryReply: .status(500, body: #"{"error":"no summaries today"}"#))
        try await server.start()
        let client = client(server)
        let loop = loop(client, compaction: CompactionOptions())
        let log = EventLog()
        var summaryRequestsPerTurn: [Int] = []
        for turn in 1...9 {
            let before = server.chatRequests.filter(\.isSummaryRequest).count
            let outcome = await loop.runTurn("TURN-\(turn) " + String(repeating: "some words here ", count: 60), emit: log.emit)
            #expect(outcome.answer != nil, "turn \(turn)")
            summaryRequestsPerTurn.append(server.chatRequests.filter(\.isSummaryRequest).count - before)
        }
        await client.shutdown()
        await server.stop()
        let failures = log.all.compactMap { if case .compaction(.failed(_, let wait)) = $0 { wait } else { nil } }
        #expect(failures.prefix(3) == [1, 2, 4])
        // Never more than one try a turn, and after a failure the next turn(s) do not try.
        #expect(summaryRequestsPerTurn.allSatisfy { $0 <= 1 })
        let tries = summaryRequestsPerTurn.enumerated().filter { $0.element == 1 }.map(\.offset)
        #expect(tries.count >= 3)
        #expect(zip(tries, tries.dropFirst()).map { $1 - $0 }.prefix(2) == [1, 2])
        #expect(server.overflowRefusals == 0)
        #expect(log.all.contains { if case .truncated = $0 { true } else { false } })
    }
}
