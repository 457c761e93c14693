/// When the loop may try to compact by itself: after a failure it waits 1, 2, 4, 8 and then at
/// most 16 turns before the next try, so a server that cannot summarise does not cost an extra
/// failing request on every turn. Pure, so the backoff is tested without a model.
struct AutoCompaction: Sendable, Equatable {
    /// Turns started in this conversation.
    private(set) var turn = 0
    private(set) var failures = 0
    /// No automatic compaction before this turn.
    private(set) var blockedUntil = 0

    static let maximumWait = 16

    mutating func turnStarted() { turn += 1 }

    var mayTry: Bool { turn >= blockedUntil }

    mutating func succeeded() {
        failures = 0
        blockedUntil = 0
    }

    /// Records a failure; returns how many turns pass before the next try.
    mutating func failed() -> Int {
        failures += 1
        let wait = min(Self.maximumWait, 1 << min(failures - 1, 8))
        blockedUntil = turn + wait
        return wait
    }
}
