/// Bounds one streamed answer in time.
///
/// - The whole request may take `total` seconds (the `timeout` setting), streamed answer
///   included: `run()` sleeps until then from a task beside the reader and throws.
/// - No chat chunk for `idle` seconds is a stall. A connection that sends no byte at all is caught
///   by the HTTP client's read timeout; one kept open by SSE comments or blank keep-alive lines,
///   which say nothing, is caught here: the reader calls `check(progressed:)` after every network
///   buffer, and only real chunks count as progress. Checking as bytes arrive (rather than from a
///   timer) means a reader that is merely slow to be scheduled is never taken for a stall.
struct StreamWatchdog: Sendable {
    private let started: ContinuousClock.Instant
    private let idle: Duration
    private let idleSeconds: Double
    private let total: Duration
    private let totalSeconds: Double
    private var lastProgress: ContinuousClock.Instant

    init(idleSeconds: Double, totalSeconds: Double, started: ContinuousClock.Instant = .now) {
        self.started = started
        self.idleSeconds = Seconds.clamped(idleSeconds, fallback: 60)
        self.totalSeconds = Seconds.clamped(totalSeconds, fallback: 600)
        idle = Seconds.duration(idleSeconds, fallback: 60)
        total = Seconds.duration(totalSeconds, fallback: 600)
        lastProgress = started
    }

    /// The head of the answer arrived: the idle clock starts now.
    mutating func start() { lastProgress = .now }

    /// After a network buffer: throws when it brought no chat chunk and none came for `idle`.
    mutating func check(progressed: Bool) throws(ModelClientError) {
        let now = ContinuousClock.now
        if progressed {
            lastProgress = now
        } else if now - lastProgress >= idle {
            throw .streamStalled(seconds: idleSeconds)
        }
    }

    /// Sleeps until the request's deadline and throws; returns only by being cancelled (its
    /// sibling finished the stream).
    func run() async throws {
        try await Task.sleep(until: started + total, clock: .continuous)
        throw ModelClientError.requestTimedOut(seconds: totalSeconds)
    }
}
