import AgentProtocol

/// What agent asks of agent-mcp, one line each.
public enum HostRequest: Sendable, Equatable {
    /// The first line, exactly once: the servers to host (all started at once, in parallel).
    case start(HostStart)
    /// Call `tool` of `server`; answered by exactly one `result` with the same id.
    case call(HostCall)
    /// Stop waiting for call `id` and tell its server (`notifications/cancelled`); its `result`
    /// still comes, saying it was cancelled.
    case cancel(id: Int)
    /// End every server (stdin closed, SIGTERM, SIGKILL to its group after a short grace), then
    /// exit. The end of agent-mcp's input means the same.
    case shutdown
}

public struct HostStart: Sendable, Equatable {
    /// agent's version, sent to each server in `initialize`.
    public var clientVersion: String
    /// agent's folder: a server's relative `cwd` is taken from here, and it is a server's
    /// folder when it has no `cwd`.
    public var workspace: String
    public var servers: [HostedServerConfig]

    public init(clientVersion: String, workspace: String, servers: [HostedServerConfig]) {
        self.clientVersion = clientVersion
        self.workspace = workspace
        self.servers = servers
    }
}

public struct HostCall: Sendable, Equatable {
    /// Chosen by agent, unique in the session.
    public var id: Int
    public var server: String
    /// The server's own name for the tool.
    public var tool: String
    public var arguments: [String: JSONValue]
    /// Seconds the call may take before it is cancelled (the server's `tool_timeout_sec`).
    public var timeout: Double
    /// The name the model knows the tool by, for the messages the model reads (`git__git_log
    /// gave no answer within 60 s`).
    public var displayName: String

    public init(id: Int, server: String, tool: String, arguments: [String: JSONValue], timeout: Double,
                displayName: String) {
        self.id = id
        self.server = server
        self.tool = tool
        self.arguments = arguments
        self.timeout = timeout
        self.displayName = displayName
    }
}
