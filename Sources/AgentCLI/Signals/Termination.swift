import Foundation
import Synchronization

/// What SIGTERM and SIGHUP do right now. Until a phase registers a handler (the REPL or
/// one-shot run, once a session may need saving), the default applies: restore the terminal
/// and exit with 128 + the signal at once. A second signal while a handler runs exits at once
/// too, so a stuck save cannot keep agent alive.
final class Termination: Sendable {
    static let shared = Termination()

    private struct State {
        var handler: (@Sendable (Int32) -> Void)?
        var handling = false
    }
    private let state = Mutex(State())

    /// `handler` must end the process (it is not expected to return to normal work).
    func setHandler(_ handler: @escaping @Sendable (Int32) -> Void) {
        state.withLock { $0.handler = handler }
    }

    func handle(_ signal: Int32) {
        let handler = state.withLock { state -> (@Sendable (Int32) -> Void)? in
            guard !state.handling else { return nil }
            state.handling = true
            return state.handler
        }
        guard let handler else {
            Terminal.restoreState()
            exit(128 + signal)
        }
        handler(signal)
    }
}
