import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

/// Ollama's native `/api/chat` (NDJSON): every guarantee of the SSE path, tested the same way.
@Suite(.timeLimit(.minutes(1))) struct OllamaStreamingTests {
    static let ollama = FakeModelServer.Flavor.ollamaNative(FakeOllama())

    func server(_ script: [FakeReply]) -> FakeModelServer { FakeModelServer(flavor: Self.ollama, script: script) }

    @Test func answersThroughTheNativeAPIWithNumCtxAndCounts() async throws {
        let server = server([.ndjson(NDJSON.answer(["Hel", "lo"], prompt: 42, eval: 7))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.system("s"), .user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "Hello")
        #expect(result.events.contains(.usage(Usage(promptTokens: 42, completionTokens: 7))))
        #expect(result.events.contains(.finish(reason: "stop")))
        let request = try #require(server.chatRequests.first)
        #expect(request.path == "/api/chat")
        let body = try #require(request.json?.objectValue)
        // The trained window (32,768) is more than agent's laptop default, which it asks for.
        #expect(body["options"]?.objectValue?["num_ctx"] == .number(Double(LLMConfig.ollamaDefaultNumCtx)))
        #expect(body["stream"] == true)
        #expect(server.droppedMessages == 0)
    }

    @Test func maxTokensAndTemperatureGoInTheOptions() async throws {
        let server = server([.ndjson(NDJSON.answer(["x"]))])
        try await server.start()
        var cfg = config(server)
        cfg.maxTokens = 99
        cfg.temperature = 0.2
        cfg.contextWindow = 8192
        let client = LLMClient(config: cfg)
        _ = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        await client.shutdown()
        await server.stop()
        let options = try #require(server.chatRequests.first?.json?.objectValue?["options"]?.objectValue)
        #expect(options == ["num_ctx": 8192, "num_predict": 99, "temperature": .number(0.2)])
    }

    @Test func thinkingIsReasoningAndToolCallsArriveWhole() async throws {
        let server = server([.ndjson([
            NDJSON.thinking("let me see"), NDJSON.toolCall(name: "read_file", arguments: ["path": "a.txt"]),
            NDJSON.toolCall(name: "read_file", arguments: ["path": "b.txt"]), NDJSON.done(reason: "stop"),
        ])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("read both")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.events.contains(.reasoning("let me see")))
        let calls = result.events.compactMap { if case .toolCall(let d) = $0 { d } else { nil } }
        #expect(calls == [
            ToolCallDelta(index: 0, name: "read_file", arguments: #"{"path":"a.txt"}"#),
            ToolCallDelta(index: 1, name: "read_file", arguments: #"{"path":"b.txt"}"#),
        ])
    }

    @Test func historySentBackInOllamasShape() async throws {
        let server = server([.ndjson(NDJSON.answer(["done"]))])
        let call = ToolCall(id: "call_1", name: "read_file", arguments: #"{"path":"a.txt"}"#)
        _ = try await withServer(server) { client in
            await collect(client.streamChat(messages: [
                .user("read"), .assistant("", toolCalls: [call]), .toolResult(id: "call_1", name: "read_file", content: "A"),
            ], tools: [ToolSpec(name: "read_file", description: "Read", parameters: ["type": "object"])]))
        }
        let body = try #require(server.chatRequests.first?.json?.objectValue)
        guard case .array(let messages)? = body["messages"] else {
            Issue.record("no messages")
            return
        }
        #expect(messages[1] == ["role": "assistant", "content": "", "tool_calls": [["function": [
            "name": "read_file", "arguments": ["path": "a.txt"]]]]])
        #expect(messages[2] == ["role": "tool", "content": "A", "tool_name": "read_file"])
        #expect(body["tools"] != nil)
    }

    @Test func serviceUnavailableIsRetried() async throws {
        let server = server([.status(503, body: #"{"error":"busy"}"#), .ndjson(NDJSON.answer(["ok"]))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "ok")
        #expect(result.retries.count == 1)
    }

    @Test func droppedStreamIsRetriedWithoutDuplicatingText() async throws {
        let tokens = (1...12).map { "t\($0) " }
        let dropped = tokens.prefix(10).map { StreamStep.raw(NDJSON.content($0)) } + [.drop]
        let server = server([.ndjsonStream(dropped), .ndjson(NDJSON.answer(tokens))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("count")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == tokens.joined())
        let voidAt = try #require(result.events.firstIndex(of: .attemptVoided))
        let after = result.events[voidAt...].compactMap { if case .content(let t) = $0 { t } else { nil } }
        #expect(after.joined() == tokens.joined())
    }

    @Test func aStreamWithoutItsDoneLineEndedEarly() async throws {
        let server = server([.ndjson([NDJSON.content("half")]), .ndjson(NDJSON.answer(["whole"]))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "whole")
        #expect(result.retries.first?.reason.contains("closed before") == true)
    }

    @Test func stalledStreamIsRetriedAfterTheIdleTimeout() async throws {
        let server = server([.ndjsonStream([.raw(NDJSON.content("par")), .stall]), .ndjson(NDJSON.answer(["full"]))])
        let result = try await withServer(server, idle: 1) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "full")
        #expect(result.retries.first?.reason.contains("stalled") == true)
    }

    @Test func blankKeepAliveLinesDoNotHoldOffTheStallTimer() async throws {
        let blanks = (0..<40).flatMap { _ in [StreamStep.raw("\n"), .delay(.milliseconds(100))] }
        let server = server([.ndjsonStream([.raw(NDJSON.content("par"))] + blanks), .ndjson(NDJSON.answer(["full"]))])
        let result = try await withServer(server, idle: 1) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "full")
        #expect(result.retries.first?.reason.contains("stalled") == true)
    }

    @Test func retriesExhaustedKeepThePartialText() async throws {
        let server = server([.ndjsonStream([.raw(NDJSON.content("half")), .drop])])
        let result = try await withServer(server, retries: 0) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "half")
        #expect(result.error as? ModelClientError == .streamEndedEarly)
    }

    @Test func malformedLinesAreSkipped() async throws {
        let server = server([.ndjson([
            NDJSON.content("a"), "{not json\n", "\u{1}\u{2}garbage\n", "[1,2]\n", NDJSON.content("b"), NDJSON.done(),
        ])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "ab")
        #expect(result.events.last == .skippedLines(3))
    }

    @Test func nothingButGarbageIsAMalformedStream() async throws {
        let server = server([.ndjson(["nope\n", "still nope\n"])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(server.chatRequests.count == 1)
        guard case .malformedStream? = result.error as? ModelClientError else {
            Issue.record("expected malformedStream, got \(String(describing: result.error))")
            return
        }
    }

    @Test func aWrongTypedFieldIsAStreamError() async throws {
        let server = server([.ndjson([#"{"message":{"role":"assistant","content":17},"done":false}"# + "\n", NDJSON.done()])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error as? ModelClientError == .malformedStream("a chunk's field message.content has the wrong type"))
    }

    @Test func anErrorLineMidStreamIsAServerError() async throws {
        let server = server([.ndjson([NDJSON.content("a"), NDJSON.error("model runner crashed")]), .ndjson(NDJSON.answer(["b"]))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "b")
        #expect(result.retries.first?.reason.contains("model runner crashed") == true)
    }

    @Test func aLineWithoutANewlineIsCutOff() async throws {
        let endless = #"{"message":{"content":""# + String(repeating: "z", count: (64 << 10) + 10)
        let server = server([.ndjsonStream([.raw(NDJSON.content("start ")), .raw(endless), .stall])])
        let result = try await withServer(server, configure: { $0.maxStreamLineBytes = 64 << 10 }) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error as? ModelClientError == .malformedStream("a line longer than 64 KiB"))
        #expect(result.text == "start ")
    }

    @Test func cancellingStopsTheRequest() async throws {
        let gate = Gate()
        let server = server([.ndjsonStream([.raw(NDJSON.content("first ")), .wait(gate), .raw(NDJSON.content("never"))])])
        let texts = try await textsSeenBeforeCancelling(server, gate: gate)
        #expect(server.chatRequests.count == 1)
        #expect(texts?.contains("never") != true)
    }

    @Test func everySplitOfALineStreamReadsTheSame() {
        let body = NDJSON.thinking("hm") + NDJSON.content("é👋 ") + NDJSON.content("\"q\"\r") + "\n\n"
            + NDJSON.toolCall(name: "t", arguments: ["a": 1]) + NDJSON.done(prompt: 3, eval: 4)
        let bytes = Array(body.utf8)
        func read(_ pieces: [ArraySlice<UInt8>]) -> [ModelEvent] {
            var reader = NDJSONStreamReader()
            var events: [ModelEvent] = []
            for piece in pieces { events += Array(piece).withUnsafeBytes { reader.feed($0) } }
            return events + reader.finish()
        }
        let whole = read([bytes[...]])
        #expect(whole.contains(.usage(Usage(promptTokens: 3, completionTokens: 4))))
        let text = whole.compactMap { if case .content(let t) = $0 { t } else { nil } }.joined()
        for cut in 0...bytes.count {
            let events = read([bytes[..<cut], bytes[cut...]])
            #expect(events.compactMap { if case .content(let t) = $0 { t } else { nil } }.joined() == text, "cut at \(cut)")
            #expect(events.filter { if case .content = $0 { false } else { true } }
                == whole.filter { if case .content = $0 { false } else { true } }, "cut at \(cut)")
        }
    }
}
