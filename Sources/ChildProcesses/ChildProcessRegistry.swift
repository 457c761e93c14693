import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every child process group of this program still alive, so that however it ends (a plain
/// `exit`, an error, SIGTERM or SIGHUP handled) none is left behind. In agent: agent-mcp's group
/// and every MCP server group it reported (should agent be killed with SIGKILL, agent-mcp sees
/// its input end and ends them); in agent-mcp: each server's group.
///
/// The orderly paths are `MCPHub.shutdown()` and `HostSession.shutdown()`; `killAll()` is the
/// backstop, registered with `atexit` when the first group is added, and safe from any thread.
public final class ChildProcessRegistry: Sendable {
    public static let shared = ChildProcessRegistry()

    private struct State {
        var groups: Set<pid_t> = []
        var hookInstalled = false
    }
    private let state = Mutex(State())

    public func add(_ group: pid_t) {
        let installHook = state.withLock { state -> Bool in
            state.groups.insert(group)
            defer { state.hookInstalled = true }
            return !state.hookInstalled
        }
        if installHook { atexit { ChildProcessRegistry.shared.killAll() } }
    }

    public func remove(_ group: pid_t) {
        _ = state.withLock { $0.groups.remove(group) }
    }

    /// Process groups still registered (tests use it).
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
