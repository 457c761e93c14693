import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

@Suite(.timeLimit(.minutes(1))) struct RetryAfterTests {
    @Test func delaySecondsAreDigitsOnly() {
        #expect(RetryAfter.seconds("3") == 3)
        #expect(RetryAfter.seconds(" 0 ") == 0)
        for value in ["nan", "NaN", "-5", "1e300", "inf", "-inf", "0x10", "1.5", "+3", "", "soon", "3 s"] {
            #expect(RetryAfter.seconds(value) == nil, "\(value)")
        }
    }

    @Test func hugeDelaysAreCappedNotConverted() {
        #expect(RetryAfter.seconds("99999999999999999999999999") == RetryAfter.maxSeconds)
        #expect(RetryAfter.seconds("1000000000") == RetryAfter.maxSeconds)
        #expect(RetryAfter.seconds("86401") == RetryAfter.maxSeconds)
    }

    @Test func httpDatesInEachFormRFC9110Allows() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryAfter.seconds("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(RetryAfter.seconds("Tuesday, 14-Nov-23 22:13:30 GMT", now: now) == 10)
        #expect(RetryAfter.seconds("Tue Nov 14 22:13:30 2023", now: now) == 10)
        #expect(RetryAfter.seconds("Tue, 14 Nov 2023 22:13:00 GMT", now: now) == 0)
        #expect(RetryAfter.seconds("Fri, 31 Dec 9999 23:59:59 GMT", now: now) == RetryAfter.maxSeconds)
    }

    @Test func thePolicyStaysSaneWhateverItIsGiven() {
        let hostile = ModelClientError.httpStatus(code: 429, message: "", retryAfter: .nan)
        let policy = RetryPolicy(maxRetries: 3, base: 1, max: 5, jitter: { 0 })
        #expect(policy.delay(after: hostile, retry: 0) == 1)
        #expect(policy.delay(after: .httpStatus(code: 429, message: "", retryAfter: .infinity), retry: 0) == 1)
        #expect(policy.delay(after: .httpStatus(code: 429, message: "", retryAfter: 1e300), retry: 0) == 300)
        let wild = RetryPolicy(maxRetries: 100, base: .nan, max: 1e308, jitter: { .nan })
        let server503 = ModelClientError.httpStatus(code: 503, message: "", retryAfter: nil)
        for retry in [0, 5, 99] {
            let delay = wild.delay(after: server503, retry: retry)
            #expect(delay.map { $0.isFinite && $0 >= 0 && $0 <= Seconds.ceiling } == true, "retry \(retry): \(String(describing: delay))")
        }
        let huge = RetryPolicy(maxRetries: 100, base: 1e300, max: 1e308, jitter: { 0.5 })
        #expect(huge.delay(after: server503, retry: 99) == Seconds.ceiling)
    }

    /// Issue #15: `Retry-After: nan` crashed agent (exit 132) converting NaN seconds to an Int.
    @Test(arguments: ["nan", "-5", "1e300", "inf"])
    func hostileRetryAfterIsRetriedWithASaneWait(header: String) async throws {
        let server = FakeModelServer(script: [
            .status(429, body: #"{"error":"slow down"}"#, headers: ["Retry-After": header]),
            .sse(SSE.answer(["ok"])),
        ])
        let sleeper = RecordingSleeper()
        let result = try await withServer(server, sleeper: sleeper) { client in
            await collect(client.streamChat(messages: [.user("hi")], tools: []))
        }
        #expect(result.error == nil)
        #expect(result.text == "ok")
        let waited = try #require(sleeper.recorded.first)
        #expect(waited.isFinite && waited >= 0 && waited <= 1, "waited \(waited)")
        #expect(result.retries.first.map { $0.delay <= .seconds(1) } == true)
    }

    /// Durations from a config file the client must not trust: 1e17 s, NaN, infinity.
    @Test func absurdDurationsNeverTrap() async throws {
        let server = FakeModelServer(script: [.stream([.raw(SSE.content("a")), .drop]), .sse(SSE.answer(["b"]))])
        try await server.start()
        let config = LLMConfig(
            model: "test-model", endpoint: server.endpoint, requestTimeout: .nan, connectTimeout: .infinity,
            maxRetries: 2, backoffBase: 1e17, backoffMax: 1e308, streamIdleTimeout: 9e18)
        let sleeper = RecordingSleeper()
        let client = LLMClient(config: config, sleeper: sleeper)
        let result = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        await client.shutdown()
        await server.stop()
        #expect(result.error == nil)
        #expect(result.text == "b")
        #expect(sleeper.recorded.allSatisfy { $0.isFinite && $0 <= Seconds.ceiling })
        #expect(ModelClientError.streamStalled(seconds: 1e19).description.contains("2592000"))
    }
}
