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
    public func delay(after error: ModelClientError, retry: Int) -> Double? {
        guard error.isRetryable, retry < maxRetries else { return nil }
        if let after = error.retryAfter {
            return Swift.min(Swift.max(after, 0), maxRetryAfter)
        }
        let exponential = base * pow(2, Double(retry)) + jitter() * base
        return Swift.min(exponential, max)
    }

    /// Parses a `Retry-After` header: delta-seconds or an HTTP date.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed) { return Swift.max(seconds, 0) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                return Swift.max(date.timeIntervalSince(now), 0)
            }
        }
        return nil
    }
}

/// Waits between attempts; tests inject one that records instead of sleeping.
public protocol Sleeper: Sendable {
    func sleep(seconds: Double) async throws
}

public struct TaskSleeper: Sleeper {
    public init() {}
    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int((seconds * 1000).rounded())))
    }
}
