/// Why a checkpoint could not be taken or restored. Each `description` is one line for the user.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No `git` executable on PATH.
    case gitMissing
    /// A git command failed; `detail` is the first line of what it said.
    case gitFailed(command: String, status: String, detail: String)
    /// Taking a snapshot took longer than the budget; git was stopped.
    case timedOut(seconds: Int)
    /// The workspace has more files than checkpoints take on.
    case tooManyFiles(count: Int, limit: Int)
    /// Another agent in this workspace held the checkpoint lock for too long.
    case busy
    /// The state folder could not be written.
    case storage(String)
    /// The task was cancelled (Ctrl-C, SIGTERM) while git ran.
    case cancelled

    public var description: String {
        switch self {
        case .gitMissing:
            "git was not found on PATH"
        case let .gitFailed(command, status, detail):
            "git \(command) failed (\(status))" + (detail.isEmpty ? "" : ": \(detail)")
        case .timedOut(let seconds):
            "taking a snapshot took longer than \(seconds) s"
        case let .tooManyFiles(count, limit):
            "the workspace has \(count) files, more than the \(limit) that checkpoints take on"
        case .busy:
            "another agent in this workspace is using its checkpoints"
        case .storage(let reason):
            reason
        case .cancelled:
            "cancelled"
        }
    }
}
