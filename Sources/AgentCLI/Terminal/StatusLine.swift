import Synchronization

/// A line on stderr that says what agent is waiting for. On a terminal it is rewritten in place
/// and erased when done; elsewhere it is written once, as a plain line.
final class StatusLine: Sendable {
    private let enabled: Bool
    private let shown = Mutex(false)

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ text: String) {
        let first = shown.withLock { shown in
            defer { shown = true }
            return !shown
        }
        if enabled {
            Output.err("\r" + text + "\u{1B}[K")
        } else if first {
            Output.err(text + "\n")
        }
    }

    func clear() {
        let wasShown = shown.withLock { shown in
            defer { shown = false }
            return shown
        }
        if enabled, wasShown { Output.err("\r\u{1B}[K") }
    }
}
