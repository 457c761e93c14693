import ChildProcesses
import Foundation
import MCPHostWire

/// A running agent-mcp: its process (at the head of its own group, so Ctrl-C at the terminal
/// is agent's alone), the writer of its requests, and the reader of its events.
///
/// agent-mcp gets only `HostWire.baseEnvironment` of agent's environment, with any variable
/// holding a secret left out, so agent's API key never reaches it nor the servers it starts.
final class HelperLink: Sendable {
    let process: ChildProcess
    private let writer: LineWriter
    /// agent-mcp's stderr, quoted when it dies.
    let logFile: String?

    /// Starts agent-mcp; each line it writes goes to `onPiece` on the reader's thread, in order,
    /// and once its output has ended and it has exited, `onExit` gets how it ended.
    init(
        executable: String, environment: [String: String], secrets: Set<String>, directory: String, logFile: String?,
        onPiece: @escaping @Sendable (LineFramer.Piece) -> Void, onExit: @escaping @Sendable (String) -> Void
    ) throws(ChildProcess.SpawnError) {
        var base: [String: String] = [:]
        for name in HostWire.baseEnvironment {
            if let value = environment[name], !secrets.contains(value) { base[name] = value }
        }
        let log = logFile.flatMap(ChildLog.prepare)
        let process = try ChildProcess(executable: executable, arguments: [], environment: base, directory: directory,
                                       stderrPath: log)
        self.process = process
        self.logFile = log
        writer = LineWriter(fd: process.input, label: "agent.mcp.helper")
        LineReader.start(fd: process.output, onPiece: onPiece, onEnd: { _ in
            Task {
                // The output ends first; give the exit a moment to be reaped, and make sure of it.
                if await !process.waitForExit(timeout: .seconds(2)) {
                    process.signalGroup(SIGKILL)
                    await process.waitForExit()
                }
                let status = process.exitStatus.map(\.description) ?? "its output ended"
                onExit(status + (log.flatMap(ChildLog.lastLine).map { ": \($0)" } ?? ""))
            }
        })
    }

    var pid: Int32 { process.pid }

    func send(_ request: HostRequest) {
        writer.send(HostWire.encode(request))
    }

    /// Asks agent-mcp to end its servers and itself, and closes its input (which means the same
    /// to it); after `grace` (plus the time its servers get) it is killed with its whole group.
    func end(grace: Duration) async {
        send(.shutdown)
        writer.close()
        if await !process.waitForExit(timeout: grace + .seconds(1)) {
            process.signalGroup(SIGKILL)
            await process.waitForExit()
        }
    }

    /// Kills agent-mcp's group at once (it speaks another protocol, or agent is leaving).
    func kill() {
        writer.close()
        process.signalGroup(SIGKILL)
    }
}
