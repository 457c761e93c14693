import AgentConfig
import AgentCore
import ChildProcesses
import Foundation
import MCPHostWire
import Synchronization

/// The configured MCP servers, run by agent-mcp (the helper that links the MCP SDK, so agent
/// does not): started the moment agent starts when some server is enabled, waited for (each
/// within its `startup_timeout_sec`) only when a turn needs their tools, ended on every way out.
///
/// Never prints: what went wrong is kept as one-line notices for the front end to show.
public final class MCPHub: Sendable {
    public struct Options: Sendable {
        public var workspace: URL
        /// agent's environment; agent-mcp, and so every server, gets only
        /// `HostWire.baseEnvironment` of it.
        public var environment: [String: String]
        /// Values that must never reach a server (agent's API key).
        public var secrets: [String]
        /// Where each server's stderr, and agent-mcp's, is kept; nil sends them to /dev/null.
        public var logDirectory: String?
        /// Tool names taken already (the built-in tools).
        public var reservedNames: Set<String>
        public var clientVersion: String
        /// agent-mcp's path; nil to look for it (`AGENT_MCP_HELPER`, next to agent, then `PATH`).
        public var helperPath: String?

        public init(workspace: URL, environment: [String: String], secrets: [String], logDirectory: String?,
                    reservedNames: Set<String>, clientVersion: String, helperPath: String? = nil) {
            self.workspace = workspace
            self.environment = environment
            self.secrets = secrets
            self.logDirectory = logDirectory
            self.reservedNames = reservedNames
            self.clientVersion = clientVersion
            self.helperPath = helperPath
        }
    }

    private let servers: [MCPServerSettings]
    private let options: Options
    let session: HelperSession
    /// The tools, named once for the session when no server is starting any more.
    private let named = Mutex<[MCPTool]?>(nil)

    public init(servers: [MCPServerSettings], options: Options) {
        self.servers = servers.sorted { $0.name < $1.name }
        self.options = options
        session = HelperSession(servers: servers)
    }

    public var isEmpty: Bool { servers.isEmpty }

    /// Starts agent-mcp with every server when some server is enabled; returns at once.
    public func start() {
        guard servers.contains(where: \.enabled) else { return }
        let secrets = Set(options.secrets.filter { !$0.isEmpty })
        let workspace = options.workspace.standardizedFileURL.path
        let start = HostStart(clientVersion: options.clientVersion, workspace: workspace,
                              servers: servers.map { hosted($0, secrets: secrets) })
        let helper = Result { () throws(HelperLocation.Missing) -> String in
            try HelperLocation.find(explicit: options.helperPath, environment: options.environment,
                                    executable: HelperLocation.ownExecutable())
        }
        session.launch(start, helper: helper, environment: options.environment, secrets: secrets,
                       logFile: options.logDirectory.map(ServerLog.helperPath))
    }

    /// A server's settings as agent-mcp is given them: no variable that holds a secret, even
    /// one the config sets; its log file chosen.
    private func hosted(_ settings: MCPServerSettings, secrets: Set<String>) -> HostedServerConfig {
        let range = HostWire.timeoutRange
        func clamped(_ seconds: Double) -> Double { seconds.isNaN ? range.lowerBound : min(max(seconds, range.lowerBound), range.upperBound) }
        return HostedServerConfig(
            name: settings.name, command: settings.command, args: settings.args,
            env: settings.env.filter { !secrets.contains($0.value) }, cwd: settings.cwd,
            startupTimeout: clamped(settings.startupTimeout), toolTimeout: clamped(settings.toolTimeout),
            enabled: settings.enabled, logFile: options.logDirectory.map { ServerLog.path(for: settings.name, in: $0) })
    }

    /// agent-mcp's process, while it runs.
    var helperProcessID: Int32? { session.helperProcessID }

    /// True while some server is still starting (checked without waiting).
    public var isStarting: Bool { session.ledger.isStarting && session.state.withLock { $0.launched } }

    /// Notices not yet taken: one line per server that could not start, or about agent-mcp.
    public func takeNotices() -> [String] {
        var notices: [String] = []
        session.update { notices = $0.ledger.take() }
        return notices
    }

    /// Returns once every server is ready or given up (each within its own start-up timeout),
    /// or when the calling task is cancelled.
    public func waitUntilStarted() async {
        guard session.state.withLock({ $0.launched }) else { return }
        let longest = servers.filter(\.enabled).map(\.startupTimeout).max() ?? 0
        let session = self.session
        _ = await race(timeout: HelperSession.duration(longest + HelperSession.timeoutMargin)) {
            await session.waitUntilSettled()
        }
    }

    /// The tools of the servers that are ready, in server then listing order, named once for
    /// the session when no server is starting any more (so the request the model gets stays
    /// the same from turn to turn).
    public func tools() async -> [any AgentCore.Tool] {
        mcpTools()
    }

    func mcpTools() -> [MCPTool] {
        if let tools = named.withLock({ $0 }) { return tools }
        let ledger = session.ledger
        var taken = options.reservedNames
        var tools: [MCPTool] = []
        for record in ledger.records where record.state == .ready {
            for remote in record.tools {
                let name = MCPToolNames.qualified(server: record.name, tool: remote.name, taken: &taken)
                tools.append(MCPTool(remote: remote, qualifiedName: name, server: record.settings, session: session))
            }
        }
        guard !ledger.isStarting else { return tools }
        return named.withLock { named in
            if named == nil { named = tools }
            return named ?? tools
        }
    }

    /// Ends agent-mcp, which ends every server (stdin closed, SIGTERM, SIGKILL to its group
    /// after `grace`); agent-mcp and the servers are killed if that takes longer.
    public func shutdown(grace: Duration = .milliseconds(150)) async {
        await session.shutdown(grace: grace)
    }
}
