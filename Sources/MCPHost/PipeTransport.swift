import ChildProcesses
import Dispatch
import Foundation
import Logging
import MCP

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MCP's stdio transport over a child's pipes: one JSON-RPC message per line.
///
/// Written here rather than using the SDK's `StdioTransport`, which puts the descriptors in
/// non-blocking mode and polls them every 10 ms while idle (100 wake-ups a second per server for
/// the whole session). Here a thread sleeps in `read(2)` until the server writes, and writes go
/// through a serial queue, so a server that stops reading blocks neither the caller nor Swift's
/// small cooperative pool.
///
/// Invariant: the read end is closed by the reader thread alone (after EOF or an error), the
/// write end by the writer queue alone (after the writes queued before it), so neither is closed
/// while a read or write on it is in flight.
actor PipeTransport: Transport {
    nonisolated let logger = Logger(label: "agent.mcp.pipe", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A line longer than this ends the connection: a hostile or broken server must not grow
    /// agent's memory without bound.
    static let maxLineBytes = 64 * 1024 * 1024

    private let input: Int32
    private let output: Int32
    private let writer = DispatchQueue(label: "agent.mcp.pipe.writer")
    private let stream: AsyncThrowingStream<Data, any Error>
    private let continuation: AsyncThrowingStream<Data, any Error>.Continuation
    private var started = false
    private var inputClosed = false

    /// `input` is the server's stdin (agent writes), `output` its stdout (agent reads); the
    /// transport owns both from now on.
    init(input: Int32, output: Int32) {
        // A write to a server that has gone must fail with EPIPE, not end the process: SIGPIPE's
        // default action kills. agent ignores it already; a host that does not gets it ignored
        // here (servers are spawned with it reset to the default).
        var current = sigaction()
        if sigaction(SIGPIPE, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil {
            signal(SIGPIPE, SIG_IGN)
        }
        self.input = input
        self.output = output
        (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
    }

    func connect() async throws {
        guard !started else { return }
        started = true
        let output = self.output
        let continuation = self.continuation
        Thread.detachNewThread { Self.readLines(from: output, into: continuation) }
    }

    /// Ends the stream with an error, never plainly: the SDK's client loops on `receive()` again
    /// after a stream that merely finishes, which would spin.
    func disconnect() async {
        closeInput()
        continuation.finish(throwing: MCPError.connectionClosed)
    }

    /// Closes the server's stdin once the writes already queued are done; a well-behaved server
    /// exits when it sees the end of its input.
    func closeInput() {
        guard !inputClosed else { return }
        inputClosed = true
        let input = self.input
        writer.async { close(input) }
    }

    func send(_ data: Data) async throws {
        guard !inputClosed else { throw MCPError.transportError(POSIXError(.EPIPE)) }
        var buffer = data
        buffer.append(UInt8(ascii: "\n"))
        let line = buffer
        let input = self.input
        let failure: Int32? = await withCheckedContinuation { done in
            writer.async { done.resume(returning: LineWriter.writeAll(line, to: input)) }
        }
        if let failure {
            throw MCPError.transportError(POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO))
        }
    }

    func receive() -> AsyncThrowingStream<Data, any Error> { stream }

    /// The reader thread: blocks in read(2), yields each complete line, ends at EOF (with
    /// `connectionClosed`, for the reason `disconnect` gives).
    private static func readLines(from fd: Int32, into continuation: AsyncThrowingStream<Data, any Error>.Continuation) {
        defer { close(fd) }
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                continuation.finish(throwing: n == 0 ? MCPError.connectionClosed : MCPError.transportError(POSIXError(.EIO)))
                return
            }
            // Only the new bytes are searched, so a long line costs linear time.
            var cursor = pending.endIndex
            pending.append(contentsOf: buffer[0..<n])
            var start = pending.startIndex
            while let newline = pending[cursor...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[start..<newline]
                if !line.isEmpty { continuation.yield(Data(line)) }
                start = pending.index(after: newline)
                cursor = start
            }
            pending.removeSubrange(pending.startIndex..<start)
            if pending.count > maxLineBytes {
                continuation.finish(throwing: MCPError.transportError(POSIXError(.EMSGSIZE)))
                return
            }
        }
    }
}
