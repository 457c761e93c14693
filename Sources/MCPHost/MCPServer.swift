import AgentCore
import AgentProtocol
import ChildProcesses
import Foundation
import MCP
import MCPHostWire

/// Where a server stands: the state the `server` event carries.
typealias MCPServerState = HostedServerState

/// One MCP server: its process, the SDK client over its pipes, its tools, and the calls made
/// to it, each bounded by its timeout. Every change of state is reported at once (`report`),
/// in the order it happened.
actor MCPServer {
    nonisolated let settings: HostedServerConfig
    private(set) var state: MCPServerState {
        didSet { if state != oldValue { reportState() } }
    }
    private(set) var remoteTools: [MCP.Tool] = []
    private var process: ChildProcess?
    private var transport: PipeTransport?
    private var client: Client?
    private var logFile: String?
    /// `stop` has begun: the server is being ended, and `.stopped` is said once it has.
    private var stopping = false
    private let report: @Sendable (HostEvent) -> Void

    /// Pages of `tools/list` read at most: a server that keeps handing out cursors is cut off.
    static let maxToolPages = 20

    init(settings: HostedServerConfig, report: @escaping @Sendable (HostEvent) -> Void) {
        self.settings = settings
        self.report = report
        state = settings.enabled ? .starting : .disabled
    }

    nonisolated var name: String { settings.name }

    /// Spawns the server, initialises it and lists its tools, all within `startup_timeout_sec`;
    /// a server that fails or runs out of time is ended. Returns the state reached.
    func start(_ launch: ServerLaunch, clientVersion: String) async -> MCPServerState {
        guard state == .starting else { return state }
        logFile = settings.logFile.flatMap(ChildLog.prepare)
        let process: ChildProcess
        do {
            process = try ChildProcess(executable: launch.executable, arguments: launch.arguments,
                                       environment: launch.environment, directory: launch.directory,
                                       stderrPath: logFile)
        } catch {
            state = .failed(error.description)
            return state
        }
        ChildProcessRegistry.shared.add(process.pid)
        let transport = PipeTransport(input: process.input, output: process.output)
        let client = Client(name: "agent", version: clientVersion)
        (self.process, self.transport, self.client) = (process, transport, client)
        reportState()
        Task { [weak self] in
            await process.waitForExit()
            await self?.processExited(process)
        }
        let outcome = await race(timeout: Self.duration(settings.startupTimeout)) {
            try await Self.handshake(client, transport: transport)
        }
        switch outcome {
        case .value(let tools):
            guard state == .starting, !stopping else { return state }
            remoteTools = tools
            state = .ready
        case .failed(let error):
            // A server that dies at start often shows first as a broken pipe: give its exit a
            // moment to be reaped, so the reason names the exit and its last stderr line.
            if process.exitStatus == nil { _ = await process.waitForExit(timeout: .milliseconds(500)) }
            await fail(because: exitReason(process) ?? "the MCP handshake failed: \(Self.describe(error))")
        case .timedOut:
            await fail(because: "no answer within \(ConfigDuration.text(settings.startupTimeout)) s (startup_timeout_sec)")
        case .cancelled:
            await fail(because: "start-up was cancelled")
        }
        return state
    }

    private static func handshake(_ client: Client, transport: PipeTransport) async throws -> [MCP.Tool] {
        try await client.connect(transport: transport)
        var tools: [MCP.Tool] = []
        var cursor: String?
        for _ in 0..<maxToolPages {
            let page = try await client.listTools(cursor: cursor)
            tools += page.tools
            cursor = page.nextCursor
            if cursor == nil { break }
        }
        return tools
    }

    /// Sends the state as it is now, with the process, log file and (once ready) the tools.
    private func reportState() {
        let tools = state == .ready ? hostedTools() : []
        report(.server(ServerUpdate(name: name, state: state, pid: process?.pid, logFile: logFile, tools: tools)))
    }

    /// The tools as agent is given them; one whose schema cannot be read is left out, saying so.
    private func hostedTools() -> [HostedTool] {
        remoteTools.compactMap { remote in
            do {
                return HostedTool(
                    name: remote.name, description: remote.description ?? remote.title ?? remote.annotations.title ?? "",
                    inputSchema: try MCPValues.parameters(remote.inputSchema),
                    readOnly: remote.annotations.readOnlyHint == true, openWorld: remote.annotations.openWorldHint)
            } catch {
                report(.notice("MCP server '\(name)': tool \(remote.name) is left out: its schema cannot be read (\(error))"))
                return nil
            }
        }
    }

    /// Records why a server that never got to run cannot start.
    func markFailed(_ reason: String) {
        if state == .starting { state = .failed(reason) }
    }

    private func fail(because reason: String) async {
        if state == .starting { state = .failed(reason) }
        await end(grace: .milliseconds(200))
    }

    private func processExited(_ ended: ChildProcess) async {
        // A server being stopped ends as it was asked to: `stop` says so when it is done.
        guard ended === process, !stopping else { return }
        let reason = exitReason(ended) ?? "its process ended"
        switch state {
        case .ready: state = .exited(reason)
        case .starting: state = .failed(reason)
        case .disabled, .failed, .exited, .stopped: break
        }
        // Fails the requests still waiting, at once rather than at their timeouts.
        await client?.disconnect()
    }

    /// "exited with status 1: <the last line it wrote to stderr>", once the process has ended.
    private func exitReason(_ process: ChildProcess) -> String? {
        guard let status = process.exitStatus else { return nil }
        let last = logFile.flatMap(ChildLog.lastLine).map { ": \($0)" } ?? ""
        return status.description + last
    }

    /// Calls `tool` with `arguments`, within `timeout` seconds; cancelling the calling task
    /// cancels the request (the server is told, as the spec asks).
    func call(_ tool: String, arguments: [String: JSONValue], timeout: Double, shownAs displayName: String)
        async throws(ToolError) -> String
    {
        guard state == .ready, !stopping, let client else {
            throw ToolError("the MCP server '\(name)' is not available (\(state))")
        }
        let values: [String: Value]
        do {
            values = try MCPValues.arguments(arguments)
        } catch {
            throw ToolError("the arguments could not be encoded for MCP: \(error)")
        }
        let request: RequestContext<CallTool.Result>
        do {
            request = try await client.callTool(name: tool, arguments: values)
        } catch {
            // Cancelled before it was sent: the server never saw it.
            if Task.isCancelled { throw ToolError("\(displayName) was cancelled") }
            throw ToolError("\(displayName) could not be sent: \(Self.describe(error))")
        }
        let outcome = await race(timeout: Self.duration(timeout)) { try await request.value }
        switch outcome {
        case .value(let result):
            let text = MCPResultText.text(content: result.content, structured: result.structuredContent)
            if result.isError == true { throw ToolError(text) }
            return text
        case .failed(let error):
            throw ToolError("\(displayName) failed: \(Self.describe(error))")
        case .timedOut:
            await cancel(request.requestID, client: client, reason: "timed out")
            throw ToolError("\(displayName) gave no answer within \(ConfigDuration.text(timeout)) s "
                + "(tool_timeout_sec) and was cancelled")
        case .cancelled:
            await cancel(request.requestID, client: client, reason: "cancelled by the user")
            throw ToolError("\(displayName) was cancelled")
        }
    }

    private func cancel(_ id: ID, client: Client, reason: String) async {
        do {
            try await client.cancelRequest(id, reason: reason)
        } catch {
            // The server is gone or its input is closed: there is no one left to tell.
        }
    }

    /// Ends the server: stdin closed, SIGTERM, SIGKILL to its group after `grace`. `.stopped` is
    /// said only once that is done, so agent never hears "stopped" of a server whose group still
    /// runs.
    func stop(grace: Duration) async {
        guard !stopping else { return }
        stopping = true
        let wasLive = state == .starting || state == .ready
        await end(grace: grace)
        if wasLive { state = .stopped }
    }

    private func end(grace: Duration) async {
        guard let process else { return }
        await transport?.closeInput()
        await process.terminate(grace: grace)
        ChildProcessRegistry.shared.remove(process.pid)
        await client?.disconnect()
    }

    /// Clamped to `HostWire.timeoutRange`, so the conversion cannot trap.
    static func duration(_ seconds: Double) -> Duration {
        let range = HostWire.timeoutRange
        let clamped = seconds.isNaN ? range.lowerBound : min(max(seconds, range.lowerBound), range.upperBound)
        return .milliseconds(Int64((clamped * 1000).rounded()))
    }

    static func describe(_ error: any Error) -> String {
        if let mcp = error as? MCPError { return mcp.errorDescription ?? "\(mcp)" }
        return "\(error)"
    }
}

/// Seconds as a person writes them: `2`, `0.5`.
enum ConfigDuration {
    static func text(_ seconds: Double) -> String {
        seconds == seconds.rounded() && seconds < 1e9 ? String(Int(seconds)) : String(seconds)
    }
}
