import ChildProcesses
import Dispatch
import Foundation
import MCPHostWire
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// agent-mcp's entry point: requests from stdin, events to stdout, its own stderr to the log
/// file agent gave it. It ends, and ends every server it started, at the end of its input (agent
/// exited, however it exited, even by SIGKILL), at `shutdown`, and on SIGTERM or SIGHUP.
/// SIGINT is ignored: Ctrl-C is agent's to handle (and agent-mcp has a process group of its own,
/// so the terminal does not send it anyway).
public enum HostMain {
    public static func run() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if !arguments.isEmpty {
            let asked = arguments == ["--version"] || arguments == ["--help"]
            FileHandle(fileDescriptor: asked ? STDOUT_FILENO : STDERR_FILENO).write(Data((usage + "\n").utf8))
            exit(asked ? 0 : 2)
        }
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN)
        let writer = LineWriter(fd: STDOUT_FILENO, label: "agent-mcp.events")
        let session = HostSession(environment: ProcessInfo.processInfo.environment) { event in
            writer.send(HostWire.encode(event))
        }
        let host = Host(session: session, writer: writer)
        let signalSources = host.installSignals()
        LineReader.start(fd: STDIN_FILENO, onPiece: host.receive, onEnd: { _ in host.end(status: 0) })
        // Everything happens on the reader's thread and in tasks; this one waits to be exited.
        while true { withExtendedLifetime(signalSources) { _ = pause() } }
    }

    static let usage = """
        agent-mcp \(HostWire.version): hosts the MCP servers of agent, which starts it; it speaks a line \
        protocol (version \(HostWire.version)) on its stdin and stdout, described in Sources/MCPHostWire/README.md.
        """
}

/// The running helper: turns lines into requests and ends the process exactly once.
private final class Host: Sendable {
    let session: HostSession
    let writer: LineWriter
    private let ending = Mutex(false)

    init(session: HostSession, writer: LineWriter) {
        self.session = session
        self.writer = writer
    }

    /// One piece from stdin, on the reader thread.
    @Sendable func receive(_ piece: LineFramer.Piece) {
        switch piece {
        case .oversized(let bytes):
            writer.send(HostWire.encode(.error("a request of \(bytes) bytes was dropped: \(WireError.tooLong(bytes: bytes))")))
        case .line(let line):
            do {
                let request = try HostWire.decodeRequest(line)
                session.handle(request)
                if case .shutdown = request { end(status: 0) }
            } catch {
                writer.send(HostWire.encode(.error("a request could not be read: \(error)")))
                if error.isFatal { end(status: 2) }
            }
        }
    }

    /// SIGTERM and SIGHUP end the servers, then the process; the sources must be kept alive.
    func installSignals() -> [any DispatchSourceSignal] {
        [SIGTERM, SIGHUP].map { sig -> any DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable [self] in end(status: 128 + sig) }
            source.resume()
            return source
        }
    }

    /// Ends every server, writes what is queued, and exits; only the first call does it.
    func end(status: Int32) {
        let first = ending.withLock { ended -> Bool in
            defer { ended = true }
            return !ended
        }
        guard first else { return }
        let session = self.session, writer = self.writer
        Task.detached {
            await session.shutdown()
            writer.drain()
            exit(status)
        }
    }
}
