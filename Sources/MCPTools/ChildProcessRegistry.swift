import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// agent-mcp's process group and every MCP server group it reported still alive, so that
/// however agent ends (`/exit`, Ctrl-D, SIGTERM, SIGHUP, an error, a plain `exit`) none is left
/// behind. (Should agent be killed with SIGKILL, agent-mcp sees its input end and ends them.)
///
/// The orderly path is `MCPHub.shutdown()`; `killAll()` is the backstop, registered with
/// `atexit` when agent-mcp starts, and safe to call from any thread.
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

    /// Process groups still registered (tests and `/mcp` use it).
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
