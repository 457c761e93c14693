import Glibc

/// Why driving a process through a pseudo-terminal failed.
///
/// Waiting errors carry the tail of the terminal's output (ANSI escapes removed), so a failing
/// end-to-end test shows what the program was actually printing.
public enum PTYError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call needed to set up the terminal failed.
    case systemCall(String, errno: Int32)
    /// No executable file of that name was found on the child's `PATH`.
    case executableNotFound(String)
    /// `posix_spawn` refused to start the program.
    case spawnFailed(executable: String, errno: Int32)
    /// A pattern given to `waitFor(regex:)` does not compile.
    case invalidPattern(String, reason: String)
    /// The awaited output did not appear in time.
    case timedOut(waitingFor: String, after: Duration, process: String, tail: String)
    /// The terminal closed (every holder of its slave side is gone, or it was terminated)
    /// before the awaited output appeared, so it never will.
    case outputEnded(waitingFor: String, process: String, tail: String)
    /// The process was still running when `waitForExit(timeout:)` gave up.
    case exitTimedOut(after: Duration, tail: String)
    /// Somebody else reaped the child, so its exit status is lost.
    case exitStatusUnavailable(errno: Int32)

    /// How many characters of recent output an error keeps.
    static let tailLength = 2_000

    public var description: String {
        switch self {
        case .systemCall(let call, let code):
            return "\(call) failed: \(Self.describe(errno: code))"
        case .executableNotFound(let name):
            return "no executable named \(name) on PATH"
        case .spawnFailed(let executable, let code):
            return "cannot start \(executable): \(Self.describe(errno: code))"
        case .invalidPattern(let pattern, let reason):
            return "invalid regular expression \(pattern): \(reason)"
        case .timedOut(let awaited, let timeout, let process, let tail):
            return "timed out after \(timeout) waiting for \(awaited) (\(process))"
                + Self.block(tail)
        case .outputEnded(let awaited, let process, let tail):
            return "terminal output ended while waiting for \(awaited) (\(process))" + Self.block(tail)
        case .exitTimedOut(let timeout, let tail):
            return "process still running after \(timeout)" + Self.block(tail)
        case .exitStatusUnavailable(let code):
            return "exit status unavailable: \(Self.describe(errno: code))"
        }
    }

    private static func block(_ tail: String) -> String {
        if tail.isEmpty { return "; no output" }
        return "; last \(tail.count) characters of output:\n----\n\(tail)\n----"
    }

    static func describe(errno code: Int32) -> String {
        guard let message = strerror(code) else { return "errno \(code)" }
        return String(cString: message)
    }
}
