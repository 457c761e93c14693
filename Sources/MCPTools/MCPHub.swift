import AgentConfig
import AgentCore
import Foundation
import Synchronization

/// The configured MCP servers: started in parallel the moment agent starts, waited for (each
/// within its `startup_timeout_sec`) only when a turn needs their tools, ended on every way out.
///
/// Never prints: what went wrong is kept as one-line notices for the front end to show.
public final class MCPHub: Sendable {
    public struct Options: Sendable {
        public var workspace: URL
        /// agent's environment; servers get only `ServerLaunch.inheritedVariables` of it.
        public var environment: [String: String]
        /// Values that must never reach a server (agent's API key).
        public var secrets: [String]
        /// Where each server's stderr is kept; nil sends it to /dev/null.
        public var logDirectory: String?
        /// Tool names taken already (the built-in tools).
        public var reservedNames: Set<String>
        public var clientVersion: String

        public init(workspace: URL, environment: [String: String], secrets: [String], logDirectory: String?,
                    reservedNames: Set<String>, clientVersion: String) {
            self.workspace = workspace
            self.environment = environment
            self.secrets = secrets
            self.logDirectory = logDirectory
            self.reservedNames = reservedNames
            self.clientVersion = clientVersion
        }
    }

    private struct State {
        var starts: [Task<Void, Never>] = []
        var pending = 0
        var notices: [String] = []
        var tools: [MCPTool]?
        var stopped = false
    }

    private let servers: [MCPServer]
    var serverList: [MCPServer] { servers }
    private let options: Options
    private let state = Mutex(State())

    public init(servers: [MCPServerSettings], options: Options) {
        self.servers = servers.sorted { $0.name < $1.name }.map(MCPServer.init)
        self.options = options
    }

    public var isEmpty: Bool { servers.isEmpty }

    /// Starts every enabled server, each in its own task; returns at once.
    public func start() {
        let enabled = servers.filter(\.settings.enabled)
        state.withLock { $0.pending += enabled.count }
        for server in enabled {
            let task = Task {
                await self.start(server)
                self.state.withLock { $0.pending -= 1 }
            }
            state.withLock { $0.starts.append(task) }
        }
    }

    private func start(_ server: MCPServer) async {
        let settings = server.settings
        let launch: ServerLaunch
        do {
            launch = try ServerLaunch(settings: settings, parent: options.environment, workspace: options.workspace,
                                      secrets: options.secrets)
        } catch {
            await server.markFailed(error.description)
            notice("MCP server '\(settings.name)' did not start: \(error)")
            return
        }
        let log = options.logDirectory.flatMap { ServerLog.path(for: settings.name, in: $0) }
        let reached = await server.start(launch, logFile: log, clientVersion: options.clientVersion)
        switch reached {
        case .failed(let reason): notice("MCP server '\(settings.name)' did not start: \(reason)")
        case .ready, .disabled, .starting, .exited, .stopped: break
        }
    }

    private func notice(_ line: String) {
        state.withLock { $0.notices.append(line) }
    }

    /// True while some server is still starting (checked without waiting).
    public var isStarting: Bool { state.withLock { $0.pending > 0 } }

    /// Notices not yet taken: one line per server that could not start or give its tools.
    public func takeNotices() -> [String] {
        state.withLock { state in
            defer { state.notices = [] }
            return state.notices
        }
    }

    /// Returns once every server is ready or given up (each within its own start-up timeout),
    /// or when the calling task is cancelled.
    public func waitUntilStarted() async {
        let starts = state.withLock { $0.starts }
        guard !starts.isEmpty else { return }
        let longest = servers.map(\.settings.startupTimeout).max() ?? 0
        _ = await race(timeout: MCPServer.duration(longest + 5)) {
            for start in starts { await start.value }
        }
    }

    /// The tools of the servers that are ready, in server then listing order, named once for
    /// the session when no server is starting any more (so the request the model gets stays
    /// the same from turn to turn).
    public func tools() async -> [any AgentCore.Tool] {
        await mcpTools()
    }

    func mcpTools() async -> [MCPTool] {
        if let tools = state.withLock({ $0.tools }) { return tools }
        var taken = options.reservedNames
        var tools: [MCPTool] = []
        var settled = true
        for server in servers {
            let serverState = await server.state
            if serverState == .starting { settled = false }
            guard serverState == .ready else { continue }
            for remote in await server.remoteTools {
                let name = MCPToolNames.qualified(server: server.name, tool: remote.name, taken: &taken)
                do {
                    tools.append(try MCPTool(remote: remote, qualifiedName: name, server: server))
                } catch {
                    notice("MCP server '\(server.name)': tool \(remote.name) is left out: its schema cannot be read (\(error))")
                }
            }
        }
        guard settled else { return tools }
        return state.withLock { state in
            if state.tools == nil { state.tools = tools }
            return state.tools ?? tools
        }
    }

    /// Ends every server at once, each with a short grace, then SIGKILL to its whole group.
    public func shutdown(grace: Duration = .milliseconds(150)) async {
        let first = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        await withTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { await server.stop(grace: grace) } }
        }
    }
}
