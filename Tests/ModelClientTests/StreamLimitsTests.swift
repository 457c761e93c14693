import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

/// Issue #15: the time and memory bounds of one streamed answer, on both wires.
@Suite(.timeLimit(.minutes(1))) struct StreamLimitsTests {
    /// A line that never ends grew the buffer without bound. (The limit is 16 MiB; the test
    /// lowers it to 64 KiB to stay light.)
    @Test func anSSEEventWithoutANewlineIsCutOffAndReported() async throws {
        #expect(LLMConfig(model: "m").maxStreamLineBytes == 16 << 20)
        let endless = "data: {\"choices\":[{\"delta\":{\"content\":\"" + String(repeating: "x", count: (64 << 10) + 10)
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("start ")), .raw(endless), .stall])])
        let result = try await withServer(server, configure: { $0.maxStreamLineBytes = 64 << 10 }) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error as? ModelClientError == .malformedStream("an event longer than 64 KiB"))
        // Treated like any malformed stream: not retried, and the text before it is kept.
        #expect(server.chatRequests.count == 1)
        #expect(result.text == "start ")
    }

    @Test func theParsersStopAtTheirLimitWhereverTheInputIsSplit() {
        let long = Array(("data: " + String(repeating: "y", count: 100)).utf8)
        for cut in [0, 1, 7, 50, long.count] {
            var parser = SSEParser(maxBytes: 64)
            _ = parser.feed(long[..<cut])
            _ = parser.feed(long[cut...])
            #expect(parser.overflowed, "cut at \(cut)")
            #expect(parser.feed(Array("\n\ndata: later\n\n".utf8)).isEmpty)
            var lines = NDJSONLineReader(maxBytes: 64)
            _ = lines.feed(long[..<cut])
            _ = lines.feed(long[cut...])
            #expect(lines.overflowed, "cut at \(cut)")
            #expect(lines.feed(Array("\n{\"a\":1}\n".utf8)).isEmpty)
        }
        var fits = SSEParser(maxBytes: 64)
        #expect(fits.feed(Array("data: short\n\n".utf8)) == [SSEEvent(data: "short")])
        #expect(!fits.overflowed)
    }

    /// Keep-alive comments used to reset the stall timer, so a server sending only them held the
    /// turn forever.
    @Test func keepAliveCommentsDoNotHoldOffTheStallTimer() async throws {
        let keepAlives = (0..<200).flatMap { _ in [StreamStep.raw(": keep-alive\n\n"), .delay(.milliseconds(100))] }
        let server = FakeModelServer(script: [
            .stream([.raw(SSE.content("par"))] + keepAlives),
            .sse(SSE.answer(["full answer"])),
        ])
        let result = try await withServer(server, idle: 1) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "full answer")
        // Twenty seconds of keep-alives, cut as a stall (had they run out, the reason would be
        // that the connection closed early).
        #expect(result.retries.first?.reason.contains("stalled") == true)
    }

    /// `timeout` covered only the response head; a stream that kept talking ran past it.
    @Test func timeoutBoundsTheWholeStreamedRequest() async throws {
        let trickle = (0..<100).flatMap { n in [StreamStep.raw(SSE.content("w\(n) ")), .delay(.milliseconds(100))] }
        let server = FakeModelServer(script: [.stream(trickle), .sse(SSE.answer(["never"]))])
        try await server.start()
        var cfg = config(server, idle: 5)
        cfg.requestTimeout = 1
        let client = LLMClient(config: cfg, sleeper: RecordingSleeper())
        let start = ContinuousClock.now
        let result = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        let elapsed = ContinuousClock.now - start
        await client.shutdown()
        await server.stop()
        // Ten seconds of trickle cut at one (with room for a loaded machine).
        #expect(elapsed < .seconds(6))
        #expect(result.error as? ModelClientError == .requestTimedOut(seconds: 1))
        #expect(server.chatRequests.count == 1, "a time-out is not retried")
        #expect(!result.text.contains("w99"), "what arrived is kept, and no more: \(result.text)")
        let error = try #require(result.error as? ModelClientError)
        #expect(!error.description.contains("connecting"))
    }

    /// A chunk whose field had the wrong type was skipped, and the turn ended with an empty answer.
    @Test func aWrongTypedFieldIsAStreamError() async throws {
        let server = FakeModelServer(script: [.stream([
            .raw(#"data: {"choices":[{"delta":{"content":42}}]}"# + "\n\n"), .raw(SSE.finish()), .raw(SSE.done),
        ])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error as? ModelClientError == .malformedStream("a chunk's field choices[0].delta.content has the wrong type"))
    }

    @Test func garbageThenDoneIsAnErrorNotAnEmptyAnswer() async throws {
        let server = FakeModelServer(script: [.stream([.raw("data: nope\n\n"), .raw(SSE.done)])])
        let result = try await withServer(server) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        guard case .malformedStream? = result.error as? ModelClientError else {
            Issue.record("expected malformedStream, got \(String(describing: result.error))")
            return
        }
    }

    /// Issue #16: "Timed out connecting" was also said of a server that answered too slowly.
    @Test func onlyAConnectTimeOutSaysConnecting() {
        let slow = TransportErrorMapper.map(HTTPClientErrorSample.deadline, endpoint: "http://h:1", ollama: false)
        #expect(slow == .requestTimedOut(seconds: 0))
        let connect = TransportErrorMapper.map(HTTPClientErrorSample.connect, endpoint: "http://h:1", ollama: false)
        #expect(connect.description.hasPrefix("Timed out connecting"))
        #expect(!ModelClientError.requestTimedOut(seconds: 600).description.contains("connecting"))
    }
}

import AsyncHTTPClient
enum HTTPClientErrorSample {
    static let deadline: any Error = HTTPClientError.deadlineExceeded
    static let connect: any Error = HTTPClientError.connectTimeout
}
