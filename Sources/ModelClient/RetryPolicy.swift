import Foundation

/// Decides whether and when to try a request again. Pure apart from the injected jitter source,
/// so it is tested without sleeping.
public struct RetryPolicy: Sendable {
    public var maxRetries: Int
    /// Seconds; the first retry waits about this long, each next one twice as long.
    public var base: Double
    /// Seconds; no computed delay exceeds it (a server's Retry-After may).
    public var max: Double
    /// Longest Retry-After honoured, so a confused server cannot park the user for hours.
    public var maxRetryAfter: Double = 300
    /// Uniform in [0, 1); injectable so tests are deterministic.
    public var jitter: @Sendable () -> Double

    public init(
        maxRetries: Int, base: Double, max: Double,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.maxRetries = maxRetries
        self.base = base
        self.max = max
        self.jitter = jitter
    }

    /// The delay before retry number `retry` (0 for the first retry), or nil to give up.
    ///
    /// Always a finite number of seconds in 0...`Seconds.ceiling`, whatever the configuration
    /// or the server said (a NaN base, a `backoff_max` of 1e308, a Retry-After of 1e300).
    public func delay(after error: ModelClientError, retry: Int) -> Double? {
        guard error.isRetryable, retry < maxRetries else { return nil }
        let cap = Seconds.clamped(max)
        if let after = error.retryAfter, after.isFinite {
            return Swift.min(Swift.max(after, 0), Seconds.clamped(maxRetryAfter))
        }
        let base = Seconds.clamped(self.base)
        // 2^retry past 2^40 is beyond any cap; the exponent is bounded so the sum stays finite.
        let exponential = base * pow(2, Double(Swift.min(Swift.max(retry, 0), 40))) + Seconds.clamped(jitter()) * base
        return Swift.min(Seconds.clamped(exponential, fallback: cap), cap)
    }

    /// Parses a `Retry-After` header: delay-seconds or an HTTP date (see `RetryAfter`).
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        RetryAfter.seconds(value, now: now)
    }
}

/// Waits between attempts; tests inject one that records instead of sleeping.
public protocol Sleeper: Sendable {
    func sleep(seconds: Double) async throws
}

public struct TaskSleeper: Sleeper {
    public init() {}
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: Seconds.duration(seconds))
    }
}
