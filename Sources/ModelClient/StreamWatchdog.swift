import Synchronization

/// Bounds one streamed answer in time: no chat chunk for `idle` seconds is a stall, and the
/// whole request past `total` seconds is a time-out.
///
/// Only real chunks count as progress (`touch()`): SSE comments and blank keep-alive lines keep a
/// connection open but say nothing, so a server that sends nothing else still stalls. The reader
/// calls `touch()` from the streaming loop; `run()` races it from a sibling task.
final class StreamWatchdog: Sendable {
    private let started: ContinuousClock.Instant
    private let idle: Duration
    private let total: Duration
    private let idleSeconds: Double
    private let totalSeconds: Double
    /// Nanoseconds from `started` to the last progress.
    private let lastProgress = Atomic<Int64>(0)

    init(idleSeconds: Double, totalSeconds: Double, started: ContinuousClock.Instant = .now) {
        self.started = started
        self.idleSeconds = Seconds.clamped(idleSeconds, fallback: 60)
        self.totalSeconds = Seconds.clamped(totalSeconds, fallback: 600)
        idle = Seconds.duration(idleSeconds, fallback: 60)
        total = Seconds.duration(totalSeconds, fallback: 600)
        touch()
    }

    /// Records that a chat chunk arrived now.
    func touch() {
        lastProgress.store(Self.nanoseconds(ContinuousClock.now - started), ordering: .relaxed)
    }

    /// Sleeps until the earlier deadline and throws when it has passed; returns only by being
    /// cancelled (its sibling finished the stream).
    func run() async throws {
        while true {
            let last = started + .nanoseconds(lastProgress.load(ordering: .relaxed))
            let stallAt = last + idle
            let endAt = started + total
            try await Task.sleep(until: min(stallAt, endAt), clock: .continuous)
            let now = ContinuousClock.now
            if now >= endAt { throw ModelClientError.requestTimedOut(seconds: totalSeconds) }
            let latest = started + .nanoseconds(lastProgress.load(ordering: .relaxed))
            if now >= latest + idle { throw ModelClientError.streamStalled(seconds: idleSeconds) }
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        // Bounded by the request's own `total`, itself at most `Seconds.ceiling`.
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
