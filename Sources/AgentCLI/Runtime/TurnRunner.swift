import AgentCore
import Foundation
import Synchronization

/// Runs one turn at a time and lets a signal cancel it. Ctrl-C cancels the turn in flight;
/// SIGTERM/SIGHUP cancel it, wait for the partial answer to be saved, and then exit.
final class TurnRunner: Sendable {
    private struct State {
        var current: Task<TurnOutcome, Never>?
        var terminating: Int32?
    }
    private let state = Mutex(State())

    /// Set when SIGTERM or SIGHUP arrived; the front end exits with 128 + this signal.
    var terminatingSignal: Int32? { state.withLock { $0.terminating } }

    func run(_ body: @escaping @Sendable () async -> TurnOutcome) async -> TurnOutcome {
        let task = Task { await body() }
        let cancelNow = state.withLock { state -> Bool in
            state.current = task
            return state.terminating != nil
        }
        if cancelNow { task.cancel() }
        let outcome = await task.value
        state.withLock { $0.current = nil }
        return outcome
    }

    /// Ctrl-C: cancels the running turn; returns false when none was running.
    @discardableResult
    func interrupt() -> Bool {
        let task = state.withLock { $0.current }
        task?.cancel()
        return task != nil
    }

    /// SIGTERM/SIGHUP: cancel the turn and wait (briefly) until it has recorded what it had.
    func terminate(signal: Int32) async {
        let task = state.withLock { state -> Task<TurnOutcome, Never>? in
            state.terminating = signal
            return state.current
        }
        guard let task else { return }
        task.cancel()
        // The loop saves the partial answer as it unwinds; do not wait forever on a stuck tool.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await task.value }
            group.addTask { try? await Task.sleep(for: .milliseconds(800)) }
            await group.next()
            group.cancelAll()
        }
    }
}
