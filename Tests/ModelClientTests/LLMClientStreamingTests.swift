import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

@Suite(.timeLimit(.minutes(1))) struct LLMClientStreamingTests {
    @Test func twoServiceUnavailableThenOneCleanAnswer() async throws {
        let server = FakeModelServer(script: [
            .status(503, body: #"{"error":"loading model"}"#),
            .status(503, body: #"{"error":"loading model"}"#),
            .sse(SSE.answer(["Hel", "lo"])),
        ])
        let sleeper = RecordingSleeper()
        let result = try await withServer(server, sleeper: sleeper) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "Hello")
        #expect(result.retries.map(\.attempt) == [1, 2])
        #expect(result.retries.allSatisfy { $0.reason.contains("503") })
        #expect(sleeper.recorded.count == 2)
        #expect(server.chatRequests.count == 3)
        #expect(result.events.contains(.usage(Usage(promptTokens: 10, completionTokens: 5))))
    }

    @Test func tooManyRequestsWaitsForRetryAfter() async throws {
        let server = FakeModelServer(script: [
            .status(429, body: #"{"error":{"message":"slow down"}}"#, headers: ["Retry-After": "1"]),
            .sse(SSE.answer(["ok"])),
        ])
        let start = ContinuousClock.now
        let result = try await withServer(server, sleeper: TaskSleeper()) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(ContinuousClock.now - start >= .seconds(1))
        #expect(result.text == "ok")
        #expect(result.retries.first?.delay == .seconds(1))
    }

    @Test(arguments: [(400, "bad request: messages missing"), (401, "Incorrect API key provided")])
    func clientErrorsAreNotRetried(code: Int, message: String) async throws {
        let server = FakeModelServer(script: [
            .status(code, body: #"{"error":{"message":"\#(message)","type":"invalid_request_error"}}"#),
            .sse(SSE.answer(["never"])),
        ])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(server.chatRequests.count == 1)
        let error = try #require(result.error as? ModelClientError)
        #expect(error == .httpStatus(code: code, message: message, retryAfter: nil))
        #expect(error.description == "The server answered \(code): \(message)")
    }

    @Test func connectionRefusedFailsFastNamingTheEndpoint() async throws {
        let server = FakeModelServer(script: [])
        try await server.start()
        let endpoint = server.endpoint
        await server.stop()
        // A connect timeout far beyond the bound, so only taking the refusal can meet it; and the
        // clock stops before the client's shutdown, which is not part of failing fast (a loaded
        // machine once took 2.47 s with it included).
        let client = LLMClient(config: LLMConfig(model: "m", endpoint: endpoint, connectTimeout: 60, maxRetries: 0))
        let start = ContinuousClock.now
        let result = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        #expect(elapsed < .seconds(2))
        let error = try #require(result.error as? ModelClientError)
        #expect(error == .connection(endpoint: endpoint, failure: .refused, ollama: false))
        #expect(error.description == "Cannot reach the model server at \(endpoint). Is it running?")
    }

    @Test func droppedStreamIsRetriedWithoutDuplicatingText() async throws {
        let tokens = (1...12).map { "t\($0) " }
        let dropped = Array(tokens.prefix(10).map { StreamStep.raw(SSE.content($0)) }) + [.drop]
        let server = FakeModelServer(script: [.stream(dropped), .sse(SSE.answer(tokens))])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("count")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == tokens.joined())
        #expect(result.events.contains(.attemptVoided))
        #expect(result.retries.count == 1)
        // The void comes before any text of the next attempt.
        let voidAt = try #require(result.events.firstIndex(of: .attemptVoided))
        let contentAfter = result.events[voidAt...].compactMap { if case .content(let t) = $0 { t } else { nil } }
        #expect(contentAfter == tokens)
    }

    @Test func stalledStreamIsRetriedAfterTheIdleTimeout() async throws {
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("par")), .stall]),
            .sse(SSE.answer(["full answer"])),
        ])
        let result = try await withServer(server, idle: 1) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "full answer")
        #expect(result.retries.first?.reason.contains("stalled") == true)
    }

    @Test func retriesExhaustedKeepsThePartialText() async throws {
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("half")), .drop])])
        let result = try await withServer(server, retries: 0) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.text == "half")
        #expect(result.error as? ModelClientError == .streamEndedEarly)
    }

    @Test func malformedLinesAreSkipped() async throws {
        let server = FakeModelServer(script: [.stream([
            .raw(SSE.content("a")), .raw("data: {not json\n\n"), .raw("data: \u{1}\u{2}garbage\n\n"),
            .raw(": comment\n\n"), .raw(SSE.content("b")), .raw(SSE.finish()), .raw(SSE.done),
        ])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "ab")
        // Said once, last, counting the two lines (a comment is not one).
        #expect(result.events.last == .skippedLines(2))
        #expect(result.events.filter { if case .skippedLines = $0 { true } else { false } }.count == 1)
    }

    @Test func skippedLinesOfARetriedAttemptAreNotReported() async throws {
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("a")), .raw("data: {not json\n\n"), .drop]),
            .sse(SSE.answer(["b"])),
        ])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "b")
        #expect(!result.events.contains { if case .skippedLines = $0 { true } else { false } })
    }

    @Test func nothingButGarbageIsAMalformedStreamError() async throws {
        let server = FakeModelServer(script: [.stream([.raw("data: nope\n\ndata: still nope\n\n")])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(server.chatRequests.count == 1)
        guard case .malformedStream? = result.error as? ModelClientError else {
            Issue.record("expected malformedStream, got \(String(describing: result.error))")
            return
        }
    }

    @Test func requestCarriesStreamOptionsToolsAndNoLocalMetadata() async throws {
        let server = FakeModelServer(script: [.sse(SSE.answer(["x"]))])
        let spec = ToolSpec(name: "read_file", description: "Read a file", parameters: ["type": "object"])
        var interrupted = Message.assistant("partial")
        interrupted.metadata.interrupted = true
        _ = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.system("s"), .user("hi"), interrupted], tools: [spec]))
        }
        let request = try #require(server.chatRequests.first)
        let body = try #require(request.json?.objectValue)
        #expect(body["stream"] == .bool(true))
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["model"] == "test-model")
        #expect(!request.body.contains("meta"))
        #expect(!request.body.contains("interrupted"))
        #expect(body["tools"] == [["type": "function", "function": [
            "name": "read_file", "description": "Read a file", "parameters": ["type": "object"]]]])
        #expect(request.headers["authorization"] == nil)
    }

    @Test func apiKeyIsSentAsBearer() async throws {
        let server = FakeModelServer(script: [.sse(SSE.answer(["x"]))])
        try await server.start()
        var cfg = config(server)
        cfg.apiKey = "sk-test"
        let client = LLMClient(config: cfg)
        _ = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        await client.shutdown()
        await server.stop()
        #expect(server.chatRequests.first?.headers["authorization"] == "Bearer sk-test")
    }

    @Test func nonStreamingJSONAnswerIsAccepted() async throws {
        let server = FakeModelServer(script: [.json(
            #"{"choices":[{"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}]}"#)])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "whole")
    }

    @Test func cancellingTheConsumerStopsTheRequest() async throws {
        let gate = Gate()
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("first")), .wait(gate), .raw(SSE.content("never"))])])
        let texts = try await textsSeenBeforeCancelling(server, gate: gate)
        #expect(server.chatRequests.count == 1)
        #expect(texts?.contains("never") != true)
    }
}
