import Foundation
import Subprocess
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// How a shell command ended.
enum ShellTermination: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    case timedOut
}

/// Runs `/bin/sh -c command` in its own process group, with stdin from /dev/null and stdout and
/// stderr merged, collecting at most `outputLimit` bytes of output (head and tail).
///
/// Invariant: when `run` returns or throws, the shell has exited; on timeout or cancellation its
/// whole process group (every child it started that did not leave the group) has been sent
/// SIGKILL.
enum ShellRunner {
    struct Outcome: Sendable {
        var output: HeadTailBuffer
        var termination: ShellTermination
    }

    private enum Event: Sendable {
        case finished(HeadTailBuffer, TerminationStatus)
        case timerFired
    }

    /// - Parameter removing: environment variables the command must not see (credentials).
    static func run(
        _ command: String, in folder: String, timeout: Duration, outputLimit: Int, removing: [String] = []
    ) async throws(ToolError) -> Outcome {
        let group = ProcessGroupKiller()
        do {
            return try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: Event.self) { tasks in
                    tasks.addTask {
                        try await execute(command, in: folder, outputLimit: outputLimit, removing: removing, group: group)
                    }
                    tasks.addTask {
                        try await Task.sleep(for: timeout)
                        return .timerFired
                    }
                    var timedOut = false
                    while let event = try await tasks.next() {
                        switch event {
                        case .timerFired:
                            timedOut = true
                            group.killGroup()
                        case .finished(let output, let status):
                            tasks.cancelAll()
                            group.finished()
                            // Killed because the call was cancelled: that is not the command's result.
                            try Task.checkCancellation()
                            return Outcome(output: output, termination: timedOut ? .timedOut : termination(status))
                        }
                    }
                    // Not reached: the process task always reports, unless the group was cancelled.
                    throw CancellationError()
                }
            } onCancel: {
                group.killGroup()
            }
        } catch {
            group.finished()
            if Task.isCancelled || error is CancellationError {
                throw ToolError("run_shell was cancelled; the command and its children were killed")
            }
            throw ToolError("could not run /bin/sh: \(error)")
        }
    }

    private static func execute(
        _ command: String, in folder: String, outputLimit: Int, removing: [String], group: ProcessGroupKiller
    ) async throws -> Event {
        var options = PlatformOptions()
        // The shell leads a new group, so one kill(-pgid) reaches everything it starts.
        options.processGroupID = 0
        let result = try await Subprocess.run(
            .path("/bin/sh"),
            arguments: ["-c", command],
            environment: .inherit.updating(environmentChanges(removing: removing)),
            workingDirectory: FilePath(folder),
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .combinedWithOutput
        ) { execution in
            group.started(execution.processIdentifier.value)
            var output = HeadTailBuffer(limit: outputLimit)
            do {
                for try await chunk in execution.standardOutput {
                    chunk.withUnsafeBytes { output.append($0) }
                }
            } catch {
                // The stream ends with an error when the process is killed or the task is
                // cancelled; what arrived until then is still worth showing.
            }
            return output
        }
        return .finished(result.closureResult, result.terminationStatus)
    }

    /// The variables to set (a pager would wait forever for a keypress that never comes) and to
    /// remove (nil).
    static func environmentChanges(removing: [String]) -> [Environment.Key: String?] {
        var changes: [Environment.Key: String?] = [:]
        for name in removing { changes[Environment.Key(stringLiteral: name)] = .some(nil) }
        changes["PAGER"] = "cat"
        changes["GIT_PAGER"] = "cat"
        return changes
    }

    private static func termination(_ status: TerminationStatus) -> ShellTermination {
        switch status {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        }
    }
}

/// Kills a child's process group on request, whichever comes first: the request or the news of
/// the child's pid. A `Mutex`, not an actor, because task-cancellation handlers are synchronous.
private final class ProcessGroupKiller: Sendable {
    private enum State {
        case starting
        case running(pid_t)
        /// Asked to kill before the pid was known: kill as soon as it is.
        case killRequested
        /// The group's leader was reaped, so its id may be reused: never signal it again.
        case finished
    }

    private let state = Mutex(State.starting)

    func started(_ pid: pid_t) {
        let killNow = state.withLock { state in
            switch state {
            case .starting:
                state = .running(pid)
                return false
            case .killRequested:
                state = .running(pid)
                return true
            case .running, .finished:
                return false
            }
        }
        if killNow { signalGroup(pid) }
    }

    func killGroup() {
        let target: pid_t? = state.withLock { state in
            switch state {
            case .starting, .killRequested:
                state = .killRequested
                return nil
            case .running(let pid):
                return pid
            case .finished:
                return nil
            }
        }
        if let target { signalGroup(target) }
    }

    func finished() {
        state.withLock { $0 = .finished }
    }

    private func signalGroup(_ pid: pid_t) {
        // The group id is the shell's pid (processGroupID = 0).
        _ = kill(-pid, SIGKILL)
    }
}
