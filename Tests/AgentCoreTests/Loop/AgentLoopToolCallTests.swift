import AgentProtocol
import AgentTestSupport
import Testing
@testable import AgentCore

@Suite(.timeLimit(.minutes(1))) struct AgentLoopToolCallTests {
    func toolResults(_ request: RecordedRequest) -> [[String: JSONValue]] {
        request.messages.compactMap(\.objectValue).filter { $0["role"] == "tool" }
    }

    @Test func fragmentedToolCallIsAssembled() async throws {
        let server = FakeModelServer(script: [
            .sse([
                SSE.toolCall(index: 0, id: "c1", name: "echo", arguments: ""),
                SSE.toolCall(index: 0, arguments: "{\"te"),
                SSE.toolCall(index: 0, arguments: "xt\": \"hi"),
                SSE.toolCall(index: 0, arguments: "\"}"),
                SSE.finish("tool_calls"), SSE.done,
            ]),
            .sse(SSE.answer(["done"])),
        ])
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("go")
        await h.stop()
        #expect(outcome.answer == "done")
        let results = toolResults(server.chatRequests[1])
        #expect(results.count == 1)
        #expect(results.first?["tool_call_id"] == "c1")
        #expect(results.first?["content"] == "echo: hi")
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func wholeCallWithoutIdGetsOne() async throws {
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: nil, id: nil, name: "echo", arguments: #"{"text":"a"}"#), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        let h = try await LoopHarness.start(server)
        _ = await h.turn("go")
        await h.stop()
        let assistant = try #require(h.recorder.messages.first { !$0.toolCalls.isEmpty })
        #expect(!assistant.toolCalls[0].id.isEmpty)
        #expect(toolResults(server.chatRequests[1]).first?["tool_call_id"] == .string(assistant.toolCalls[0].id))
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func twoCallsInOneMessage() async throws {
        let server = FakeModelServer(script: [
            .sse([
                SSE.toolCall(index: 0, id: "a", name: "echo", arguments: #"{"text":"1"}"#),
                SSE.toolCall(index: 1, id: "b", name: "echo", arguments: #"{"text":"2"}"#),
                SSE.finish("tool_calls"), SSE.done,
            ]),
            .sse(SSE.answer(["both"])),
        ])
        let h = try await LoopHarness.start(server)
        _ = await h.turn("go")
        await h.stop()
        let results = toolResults(server.chatRequests[1])
        #expect(results.map { $0["content"] } == ["echo: 1", "echo: 2"])
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func objectArgumentsLikeOllama() async throws {
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "o", name: "echo", objectArguments: ["text": "obj"]), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["ok"])),
        ])
        let h = try await LoopHarness.start(server)
        _ = await h.turn("go")
        await h.stop()
        #expect(toolResults(server.chatRequests[1]).first?["content"] == "echo: obj")
    }

    @Test func callLeakedIntoContentIsRecovered() async throws {
        let server = FakeModelServer(script: [
            .sse(SSE.answer(["```json\n{\"name\": \"echo\", ", "\"arguments\": {\"text\": \"leak\"}}\n```"])),
            .sse(SSE.answer(["recovered"])),
        ])
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("go")
        await h.stop()
        #expect(outcome.answer == "recovered")
        #expect(toolResults(server.chatRequests[1]).first?["content"] == "echo: leak")
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func jsonNamingAnUnknownToolStaysText() async throws {
        let server = FakeModelServer(script: [.sse(SSE.answer([#"{"name": "weather", "arguments": {}}"#]))])
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("go")
        await h.stop()
        #expect(outcome.answer == #"{"name": "weather", "arguments": {}}"#)
        #expect(server.chatRequests.count == 1)
    }

    @Test func invalidJSONArgumentsAreReportedToTheModel() async throws {
        let server = FakeModelServer(script: [
            .sse([SSE.toolCall(index: 0, id: "bad", name: "echo", arguments: "{text: oops"), SSE.finish(), SSE.done]),
            .sse(SSE.answer(["sorry"])),
        ])
        let h = try await LoopHarness.start(server)
        let outcome = await h.turn("go")
        await h.stop()
        #expect(outcome.answer == "sorry")
        let content = toolResults(server.chatRequests[1]).first?["content"]?.stringValue ?? ""
        #expect(content.contains("not valid JSON"))
    }

    @Test func throwingToolAndUnknownToolBecomeResults() async throws {
        let server = FakeModelServer(script: [
            .sse([
                SSE.toolCall(index: 0, id: "f", name: "fail", arguments: "{}"),
                SSE.toolCall(index: 1, id: "u", name: "nope", arguments: "{}"),
                SSE.finish(), SSE.done,
            ]),
            .sse(SSE.answer(["handled"])),
        ])
        let h = try await LoopHarness.start(server, tools: [EchoTool(), FailingTool()])
        let outcome = await h.turn("go")
        await h.stop()
        #expect(outcome.answer == "handled")
        let contents = toolResults(server.chatRequests[1]).compactMap { $0["content"]?.stringValue }
        #expect(contents[0] == "error: disk on fire")
        #expect(contents[1].hasPrefix("error: unknown tool 'nope'"))
        #expect(server.invariantViolations.isEmpty)
    }

    @Test func roundLimitStopsAToolLoop() async throws {
        let server = FakeModelServer { _, index in
            .sse([SSE.toolCall(index: 0, id: "r\(index)", name: "echo", arguments: #"{"text":"x"}"#), SSE.finish(), SSE.done])
        }
        let h = try await LoopHarness.start(server, maxRounds: 3)
        let outcome = await h.turn("loop forever")
        await h.stop()
        guard case .roundLimitReached(3) = outcome else {
            Issue.record("expected the round limit, got \(outcome)")
            return
        }
        #expect(server.chatRequests.count == 3)
        #expect(h.recorder.messages.last?.role == .tool)
    }
}
