import CSpawn
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program agent talks to over pipes (agent-mcp, or an MCP server agent-mcp hosts): spawned
/// at the head of its own process group, its stdin and stdout on pipes, its stderr in a log file
/// (a child's chatter must not scribble over the REPL).
///
/// Spawned with posix_spawn rather than Foundation's `Process`, which cannot start a new process
/// group, reset signal dispositions or set the signal mask: agent ignores SIGPIPE, SIGTERM and
/// SIGHUP and blocks some signals, and a child inherits both across exec, so without the reset
/// a child would shrug off the SIGTERM meant to end it. Its own group keeps Ctrl-C at the
/// terminal from reaching it.
///
/// Both pipe ends are made close-on-exec, so no other program agent starts holds them open: the
/// child sees the end of its input as soon as its parent closes it or dies. The pipes belong to
/// whoever reads and writes them, who closes them; `terminate` signals the whole group (the
/// child and whatever it started).
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// The child's stdin: the parent writes here.
    public let input: Int32
    /// The child's stdout: the parent reads here.
    public let output: Int32
    private let exit = ExitBox()

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Starts `executable` (an absolute path) with exactly `environment`, in `directory`, its
    /// stderr written to `stderrPath` (truncated first), or to /dev/null when that is nil.
    public init(executable: String, arguments: [String], environment: [String: String], directory: String,
                stderrPath: String?) throws(SpawnError) {
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        guard cspawn_pipe_cloexec(&stdinPipe) == 0 else { throw SpawnError(description: "pipe: \(Self.errnoText())") }
        guard cspawn_pipe_cloexec(&stdoutPipe) == 0 else {
            close(stdinPipe[0]); close(stdinPipe[1])
            throw SpawnError(description: "pipe: \(Self.errnoText())")
        }
        let stderrFD = stderrPath.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) } ?? -1
        defer {
            close(stdinPipe[0])
            close(stdoutPipe[1])
            if stderrFD >= 0 { close(stderrFD) }
        }
        let spawned = Self.spawn(
            executable: executable, arguments: arguments, environment: environment, directory: directory,
            stdin: stdinPipe[0], stdout: stdoutPipe[1], stderr: stderrFD)
        guard case .success(let pid) = spawned else {
            close(stdinPipe[1]); close(stdoutPipe[0])
            if case .failure(let failure) = spawned {
                throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(failure.code)))")
            }
            throw SpawnError(description: "cannot start \(executable)")
        }
        self.pid = pid
        input = stdinPipe[1]
        output = stdoutPipe[0]
        let exit = self.exit
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            exit.set(ProcessExit(raw: status))
        }
    }

    /// How the process ended, once it has; nil while it runs.
    public var exitStatus: ProcessExit? { exit.get() }

    /// Waits for the process to end, however long that takes.
    public func waitForExit() async {
        await exit.wait()
    }

    /// Waits for the process to end, for at most `timeout`; true when it ended.
    public func waitForExit(timeout: Duration) async -> Bool {
        await exit.wait(timeout: timeout)
    }

    /// Ends the child (SIGTERM, as the MCP spec's stdio shutdown does after closing its input),
    /// and the whole group with SIGKILL after `grace`: nothing it started outlives it.
    public func terminate(grace: Duration) async {
        if exitStatus == nil { _ = kill(-pid, SIGTERM) }
        _ = await waitForExit(timeout: grace)
        _ = kill(-pid, SIGKILL)
        // SIGKILL is delivered, not done, when kill returns: wait (briefly, for a process stuck in
        // the kernel) until the leader is reaped, so "ended" means ended.
        if exitStatus == nil { _ = await waitForExit(timeout: .seconds(2)) }
    }

    /// Sends `signal` to the whole group at once, without waiting.
    public func signalGroup(_ signal: Int32) {
        _ = kill(-pid, signal)
    }

    private static func spawn(
        executable: String, arguments: [String], environment: [String: String], directory: String,
        stdin: Int32, stdout: Int32, stderr: Int32
    ) -> Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        if stderr >= 0 {
            posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        guard cspawn_addchdir(&actions, directory) == 0 else { return .failure(SpawnFailure(code: ENOSYS)) }
        // Descriptors agent opened without O_CLOEXEC (sockets, journals) stay agent's.
        _ = cspawn_addclosefrom(&actions, 3)

        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return code == 0 ? .success(pid) : .failure(SpawnFailure(code: code))
    }

    public static func errnoText() -> String { String(cString: strerror(errno)) }

    struct SpawnFailure: Error {
        var code: Int32
    }
}

/// How a child process ended.
public struct ProcessExit: Sendable, Equatable, CustomStringConvertible {
    public var raw: Int32

    public var description: String {
        let signal = raw & 0x7f
        if signal == 0 { return "exited with status \((raw >> 8) & 0xff)" }
        return "was killed by signal \(signal)"
    }
}

/// The exit status, set once by the thread that reaps the process, awaited by anyone.
private final class ExitBox: Sendable {
    private struct State {
        var status: ProcessExit?
        var waiters: [UUID: CheckedContinuation<Bool, Never>] = [:]
        /// Waits that timed out before their continuation was registered.
        var abandoned: Set<UUID> = []
    }
    private let state = Mutex(State())

    func get() -> ProcessExit? { state.withLock { $0.status } }

    func set(_ status: ProcessExit) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    func wait() async {
        let id = UUID()
        _ = await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.status != nil { return true }
                state.waiters[id] = continuation
                return false
            }
            if done { continuation.resume(returning: true) }
        }
    }

    func wait(timeout: Duration) async -> Bool {
        let id = UUID()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let answer = self.state.withLock { state -> Bool? in
                        if state.status != nil { return true }
                        if state.abandoned.remove(id) != nil { return false }
                        state.waiters[id] = continuation
                        return nil
                    }
                    if let answer { continuation.resume(returning: answer) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            // Releases the waiter if the timeout came first (or makes sure it never waits).
            let waiter = self.state.withLock { state -> CheckedContinuation<Bool, Never>? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                if state.status == nil { state.abandoned.insert(id) }
                return nil
            }
            waiter?.resume(returning: false)
            group.cancelAll()
            return first
        }
    }
}
