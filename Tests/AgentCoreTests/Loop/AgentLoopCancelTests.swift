import AgentProtocol
import AgentTestSupport
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct AgentLoopCancelTests {
    @Test func cancelDuringStreamingKeepsThePartialAnswer() async throws {
        let gate = Gate()
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("Once upon")), .wait(gate), .raw(SSE.content(" never"))]),
            .sse(SSE.answer(["next"])),
        ])
        let h = try await LoopHarness.start(server)
        let task = Task { await h.turn("tell a story") }
        // Wait until the first piece of text reached the loop.
        while !h.log.all.contains(where: { if case .text = $0 { true } else { false } }) { await Task.yield() }
        task.cancel()
        let outcome = await task.value
        gate.open()
        guard case .cancelled = outcome else {
            Issue.record("expected cancelled, got \(outcome)")
            await h.stop()
            return
        }
        let partial = try #require(h.recorder.messages.last)
        #expect(partial.role == .assistant)
        #expect(partial.content == "Once upon")
        #expect(partial.metadata.interrupted)

        // The next turn sends the partial answer back so the model knows what it said.
        _ = await h.turn("go on")
        await h.stop()
        let sent = server.chatRequests[1].messages.compactMap { $0.objectValue?["content"]?.stringValue }
        #expect(sent.contains("Once upon"))
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func cancelDuringAToolRecordsAbortedResults() async throws {
        let started = Gate()
        let server = FakeModelServer(script: [
            .sse([
                SSE.toolCall(index: 0, id: "b1", name: "block", arguments: "{}"),
                SSE.toolCall(index: 1, id: "e1", name: "echo", arguments: #"{"text":"later"}"#),
                SSE.finish(), SSE.done,
            ]),
            .sse(SSE.answer(["fresh"])),
        ])
        let h = try await LoopHarness.start(server, tools: [EchoTool(), BlockingTool(started: started)])
        let task = Task { await h.turn("run it") }
        await started.wait()
        task.cancel()
        let outcome = await task.value
        guard case .cancelled = outcome else {
            Issue.record("expected cancelled, got \(outcome)")
            await h.stop()
            return
        }
        let results = h.recorder.messages.filter { $0.role == .tool }
        #expect(results.map(\.toolCallID) == ["b1", "e1"])
        #expect(results.allSatisfy { $0.content == "aborted by the user" })

        #expect(await h.turn("again").answer == "fresh")
        await h.stop()
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func retryVoidsTheFailedAttemptsText() async throws {
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("dup ")), .raw(SSE.content("dup ")), .drop]),
            .sse(SSE.answer(["clean ", "answer"])),
        ])
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("hi")
        await h.stop()
        #expect(outcome.answer == "clean answer")
        #expect(h.recorder.messages.last?.content == "clean answer")
        #expect(h.log.all.contains { if case .attemptVoided = $0 { true } else { false } })
    }

    @Test func failureAfterRetriesKeepsPartialAsInterrupted() async throws {
        let server = FakeModelServer { _, _ in .stream([.raw(SSE.content("half")), .drop]) }
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("hi")
        await h.stop()
        guard case .failed = outcome else {
            Issue.record("expected failed, got \(outcome)")
            return
        }
        let last = try #require(h.recorder.messages.last)
        #expect(last.content == "half")
        #expect(last.metadata.interrupted)
    }

    @Test func halfReceivedToolCallIsDroppedAndNoted() async throws {
        let server = FakeModelServer { _, _ in
            .stream([.raw(SSE.content("Let me look")), .raw(SSE.toolCall(index: 0, id: "x", name: "echo", arguments: "{\"te")), .drop])
        }
        let h = try await LoopHarness.start(server)
        _ = await h.turn("hi")
        await h.stop()
        let last = try #require(h.recorder.messages.last)
        #expect(last.toolCalls.isEmpty)
        #expect(last.metadata.note?.contains("dropped 1 half-received tool call") == true)
    }

    @Test func userMessageIsRecordedBeforeTheRequestIsSent() async throws {
        let recorderBox = RecorderBox()
        let server = FakeModelServer { _, _ in
            recorderBox.countAtRequest.withLock { $0.append(recorderBox.recorder?.messages.count ?? -1) }
            return .sse(SSE.answer(["ok"]))
        }
        let h = try await LoopHarness.start(server)
        recorderBox.recorder = h.recorder
        _ = await h.turn("first")
        await h.stop()
        #expect(recorderBox.countAtRequest.withLock { $0 } == [1])
    }
}

import Synchronization
final class RecorderBox: @unchecked Sendable {
    // Set once before the server is used.
    var recorder: MemoryRecorder?
    let countAtRequest = Mutex<[Int]>([])
}
