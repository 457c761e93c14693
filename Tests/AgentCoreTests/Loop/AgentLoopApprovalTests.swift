import AgentProtocol
import AgentTestSupport
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct AgentLoopApprovalTests {
    func noteCall() -> [FakeReply] {
        [
            .sse([SSE.toolCall(index: 0, id: "n1", name: "note", arguments: #"{"text":"hello"}"#), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ]
    }

    func lastToolResult(_ server: FakeModelServer) -> String? {
        server.chatRequests.last?.messages.last?.objectValue?["content"]?.stringValue
    }

    @Test func askModeAnsweredNoLeavesEverythingUntouched() async throws {
        let note = NoteTool()
        let approver = FixedApprover(answer: .no)
        let server = FakeModelServer(script: noteCall())
        let h = try await LoopHarness.start(server, tools: [note], approval: .ask, approver: approver)
        _ = await h.turn("write")
        await h.stop()
        #expect(note.written.withLock { $0 }.isEmpty)
        #expect(approver.asked.value == 1)
        #expect(lastToolResult(server)?.contains("declined") == true)
    }

    @Test func askModeWithoutATerminalDeniesAndSaysWhy() async throws {
        let note = NoteTool()
        let server = FakeModelServer(script: noteCall())
        let h = try await LoopHarness.start(server, tools: [note], approval: .ask, approver: nil)
        _ = await h.turn("write")
        await h.stop()
        #expect(note.written.withLock { $0 }.isEmpty)
        #expect(lastToolResult(server)?.contains("no terminal to ask") == true)
    }

    @Test func readOnlyDeniesMutatingTools() async throws {
        let note = NoteTool()
        let approver = FixedApprover(answer: .yes)
        let server = FakeModelServer(script: noteCall())
        let h = try await LoopHarness.start(server, tools: [note], approval: .readOnly, approver: approver)
        _ = await h.turn("write")
        await h.stop()
        #expect(note.written.withLock { $0 }.isEmpty)
        #expect(approver.asked.value == 0)
        #expect(lastToolResult(server)?.contains("read-only") == true)
    }

    @Test func alwaysIsRememberedForTheSession() async throws {
        let note = NoteTool()
        let approver = FixedApprover(answer: .always)
        let server = FakeModelServer(script: noteCall() + noteCall())
        let h = try await LoopHarness.start(server, tools: [note], approval: .ask, approver: approver)
        _ = await h.turn("write")
        _ = await h.turn("write again")
        await h.stop()
        #expect(note.written.withLock { $0 } == ["hello", "hello"])
        #expect(approver.asked.value == 1)
    }

    @Test func readToolsRunWithoutAsking() async throws {
        let approver = FixedApprover(answer: .no)
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "e", name: "echo", arguments: #"{"text":"free"}"#), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        let h = try await LoopHarness.start(server, approval: .ask, approver: approver)
        _ = await h.turn("read")
        await h.stop()
        #expect(approver.asked.value == 0)
        #expect(lastToolResult(server) == "echo: free")
    }
}
