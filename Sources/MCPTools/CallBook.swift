import MCPHostWire

/// How a call to agent-mcp ended, from agent's side.
enum CallOutcome: Sendable {
    case result(CallResult)
    /// The calling task was cancelled (the turn was interrupted).
    case cancelled
    /// agent-mcp gave no result well past the tool's own timeout.
    case timedOut
    /// agent-mcp ended; how.
    case helperGone(String)
}

/// The calls waiting for agent-mcp, by id. Each is finished exactly once, by whichever comes
/// first (its result, a cancellation, the backstop timeout, agent-mcp's end), even when that
/// comes before its waiter is registered.
struct CallBook: Sendable {
    private var nextID = 1
    /// Ids given out and not yet finished.
    private var open: Set<Int> = []
    private var waiters: [Int: CheckedContinuation<CallOutcome, Never>] = [:]
    /// Outcomes that came before their waiter.
    private var early: [Int: CallOutcome] = [:]

    mutating func newID() -> Int {
        defer { nextID += 1 }
        open.insert(nextID)
        return nextID
    }

    /// Registers the waiter of `id`, or returns its outcome when it came already.
    mutating func wait(_ id: Int, _ waiter: CheckedContinuation<CallOutcome, Never>) -> CallOutcome? {
        if let outcome = early.removeValue(forKey: id) { return outcome }
        waiters[id] = waiter
        return nil
    }

    /// Finishes `id` with `outcome`; returns the waiter to resume, if it is waiting. An outcome
    /// for a call finished already (a result after a cancellation) is dropped.
    mutating func finish(_ id: Int, _ outcome: CallOutcome) -> CheckedContinuation<CallOutcome, Never>? {
        guard open.remove(id) != nil else { return nil }
        if let waiter = waiters.removeValue(forKey: id) { return waiter }
        early[id] = outcome
        return nil
    }

    /// Every waiting call, finished (agent-mcp is gone); calls registered later are told at once.
    mutating func takeAll() -> [CheckedContinuation<CallOutcome, Never>] {
        defer {
            waiters = [:]
            open = []
        }
        return Array(waiters.values)
    }
}
