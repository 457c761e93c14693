import AgentCore
import Foundation
import Synchronization

/// Runs one turn (or another cancellable step, such as `/compact`) at a time and lets a signal
/// cancel it. Ctrl-C cancels the step in flight; SIGTERM/SIGHUP cancel it, wait for what it had
/// to be saved, and then exit.
final class TurnRunner: Sendable {
    /// The step in flight, whatever it returns.
    private struct Running: Sendable {
        let cancel: @Sendable () -> Void
        let finished: @Sendable () async -> Void
    }

    private struct State {
        var current: Running?
        var terminating: Int32?
    }
    private let state = Mutex(State())

    /// Set when SIGTERM or SIGHUP arrived; the front end exits with 128 + this signal.
    var terminatingSignal: Int32? { state.withLock { $0.terminating } }

    func run(_ body: @escaping @Sendable () async -> TurnOutcome) async -> TurnOutcome {
        await runCancellable(body)
    }

    /// Runs a step that is not a turn (`/compact`) the same way: Ctrl-C and signals cancel it.
    func runCancellable<Outcome: Sendable>(_ body: @escaping @Sendable () async -> Outcome) async -> Outcome {
        let task = Task { await body() }
        let running = Running(cancel: { task.cancel() }, finished: { _ = await task.value })
        let cancelNow = state.withLock { state -> Bool in
            state.current = running
            return state.terminating != nil
        }
        if cancelNow { task.cancel() }
        let outcome = await task.value
        state.withLock { $0.current = nil }
        return outcome
    }

    /// Ctrl-C: cancels the running step; returns false when none was running.
    @discardableResult
    func interrupt() -> Bool {
        let running = state.withLock { $0.current }
        running?.cancel()
        return running != nil
    }

    /// SIGTERM/SIGHUP: cancel the step and wait (briefly) until it has recorded what it had.
    func terminate(signal: Int32) async {
        let running = state.withLock { state -> Running? in
            state.terminating = signal
            return state.current
        }
        guard let running else { return }
        running.cancel()
        // The loop saves the partial answer as it unwinds; do not wait forever on a stuck tool.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await running.finished() }
            group.addTask { try? await Task.sleep(for: .milliseconds(800)) }
            await group.next()
            group.cancelAll()
        }
    }
}
