import Synchronization

/// How a raced operation ended.
public enum RaceOutcome<Value: Sendable>: Sendable {
    case value(Value)
    case failed(any Error)
    case timedOut
    case cancelled
}

/// Runs `operation` against a deadline and the caller's cancellation, and returns as soon as one
/// of them decides, without waiting for the loser.
///
/// A task group would wait for every child, and awaiting an MCP request does not end when the
/// awaiting task is cancelled (the SDK keeps the request in an unstructured task); so the caller
/// must be free to clean up (cancel the request, kill the server) while the operation is still
/// stuck, which is what ends it.
public func race<Value: Sendable>(
    timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value
) async -> RaceOutcome<Value> {
    let gate = RaceGate<Value>()
    let worker = Task {
        do { gate.finish(.value(try await operation())) } catch { gate.finish(.failed(error)) }
    }
    let timer = Task {
        do {
            try await Task.sleep(for: timeout)
            gate.finish(.timedOut)
        } catch {
            // Cancelled: the race is over.
        }
    }
    let outcome = await withTaskCancellationHandler {
        await withCheckedContinuation { gate.wait(with: $0) }
    } onCancel: {
        gate.finish(.cancelled)
    }
    worker.cancel()
    timer.cancel()
    return outcome
}

/// The first outcome wins; the waiter gets it whether it arrived before or after it waited.
private final class RaceGate<Value: Sendable>: Sendable {
    private struct State {
        var waiter: CheckedContinuation<RaceOutcome<Value>, Never>?
        var decided: RaceOutcome<Value>?
    }
    private let state = Mutex(State())

    func finish(_ outcome: RaceOutcome<Value>) {
        let waiter = state.withLock { state -> CheckedContinuation<RaceOutcome<Value>, Never>? in
            guard state.decided == nil else { return nil }
            state.decided = outcome
            return state.waiter.take()
        }
        waiter?.resume(returning: outcome)
    }

    func wait(with continuation: CheckedContinuation<RaceOutcome<Value>, Never>) {
        let decided = state.withLock { state -> RaceOutcome<Value>? in
            if state.decided == nil { state.waiter = continuation }
            return state.decided
        }
        if let decided { continuation.resume(returning: decided) }
    }
}
