import Foundation
import Testing
@testable import ModelClient

@Suite struct RetryPolicyTests {
    let server503 = ModelClientError.httpStatus(code: 503, message: "busy", retryAfter: nil)

    @Test func exponentialBackoffWithJitterScaledToBase() {
        let policy = RetryPolicy(maxRetries: 5, base: 1, max: 30, jitter: { 0.5 })
        #expect(policy.delay(after: server503, retry: 0) == 1.5)
        #expect(policy.delay(after: server503, retry: 1) == 2.5)
        #expect(policy.delay(after: server503, retry: 2) == 4.5)
        let scaled = RetryPolicy(maxRetries: 5, base: 0.1, max: 30, jitter: { 0.5 })
        #expect(abs((scaled.delay(after: server503, retry: 0) ?? 0) - 0.15) < 1e-9)
    }

    @Test func delayIsCappedAtMax() {
        let policy = RetryPolicy(maxRetries: 10, base: 1, max: 30, jitter: { 0.99 })
        #expect(policy.delay(after: server503, retry: 8) == 30)
    }

    @Test func givesUpAfterMaxRetries() {
        let policy = RetryPolicy(maxRetries: 2, base: 1, max: 30, jitter: { 0 })
        #expect(policy.delay(after: server503, retry: 1) != nil)
        #expect(policy.delay(after: server503, retry: 2) == nil)
        #expect(RetryPolicy(maxRetries: 0, base: 1, max: 30).delay(after: server503, retry: 0) == nil)
    }

    @Test(arguments: [500, 502, 503, 504, 408, 429])
    func retriesTransientStatuses(code: Int) {
        let policy = RetryPolicy(maxRetries: 3, base: 1, max: 30, jitter: { 0 })
        #expect(policy.delay(after: .httpStatus(code: code, message: "", retryAfter: nil), retry: 0) == 1)
    }

    @Test(arguments: [400, 401, 403, 404, 422])
    func neverRetriesOtherClientErrors(code: Int) {
        let policy = RetryPolicy(maxRetries: 3, base: 1, max: 30, jitter: { 0 })
        #expect(policy.delay(after: .httpStatus(code: code, message: "", retryAfter: nil), retry: 0) == nil)
    }

    @Test func retriesConnectionDropsAndStalls() {
        let policy = RetryPolicy(maxRetries: 3, base: 1, max: 30, jitter: { 0 })
        #expect(policy.delay(after: .streamEndedEarly, retry: 0) == 1)
        #expect(policy.delay(after: .streamStalled(seconds: 1), retry: 0) == 1)
        #expect(policy.delay(after: .connection(endpoint: "e", failure: .refused, ollama: false), retry: 0) == 1)
        #expect(policy.delay(after: .connection(endpoint: "e", failure: .tls("bad cert"), ollama: false), retry: 0) == nil)
        #expect(policy.delay(after: .modelNotFound(model: "m", available: []), retry: 0) == nil)
    }

    @Test func retryAfterIsHonoured() {
        let policy = RetryPolicy(maxRetries: 3, base: 1, max: 5, jitter: { 0 })
        #expect(policy.delay(after: .httpStatus(code: 429, message: "", retryAfter: 7), retry: 0) == 7)
    }

    @Test func parsesRetryAfterSecondsAndHTTPDate() {
        #expect(RetryPolicy.parseRetryAfter("3") == 3)
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == 0)
        let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == 10)
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:00 GMT", now: now) == 0)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
    }
}
