import Foundation

/// Processes a test starts only indirectly (an MCP server, a shell command's child): their pids,
/// from the files they write, and whether they still run. Both are polled: neither a file
/// appearing nor a process that is not the test's child ending has an event to wait on.

/// True while `pid` runs (a zombie, ended but not yet reaped, counts as ended).
public func isAlive(_ pid: pid_t) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

/// Waits until `pid` has ended; false if it still runs after `limit`.
public func waitUntilGone(_ pid: pid_t, within limit: Duration = .seconds(5)) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if !isAlive(pid) { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return !isAlive(pid)
}

/// The pid written to `path`, waiting for it to be written.
public func readPID(_ path: String, within limit: Duration = .seconds(10)) async throws -> pid_t {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return pid
        }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw PIDFileMissing(path: path)
}

public struct PIDFileMissing: Error {
    public var path: String
}
