import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every MCP server process group still alive, so that however agent-mcp ends (the end of its
/// input, `shutdown`, SIGTERM, SIGHUP, an error, a plain `exit`) none is left behind.
///
/// The orderly path is `HostSession.shutdown()`; `killAll()` is the backstop, registered with
/// `atexit` when the first server starts, and safe to call from any thread.
public final class ChildProcessRegistry: Sendable {
    public static let shared = ChildProcessRegistry()

    private struct State {
        var groups: Set<pid_t> = []
        var hookInstalled = false
    }
    private let state = Mutex(State())

    func add(_ group: pid_t) {
        let installHook = state.withLock { state -> Bool in
            state.groups.insert(group)
            defer { state.hookInstalled = true }
            return !state.hookInstalled
        }
        if installHook { atexit { ChildProcessRegistry.shared.killAll() } }
    }

    func remove(_ group: pid_t) {
        _ = state.withLock { $0.groups.remove(group) }
    }

    /// Process groups still registered.
    public var liveGroups: Set<pid_t> { state.withLock { $0.groups } }

    /// Sends SIGKILL to every registered group at once, without waiting.
    public func killAll() {
        let groups = state.withLock { state in
            defer { state.groups = [] }
            return state.groups
        }
        for group in groups { _ = kill(-group, SIGKILL) }
    }
}
