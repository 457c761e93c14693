/// One `[mcp_servers.NAME]` table as the `start` request carries it to agent-mcp: the config's
/// values, with the environment already cleared of agent's secrets and the log file chosen.
public struct HostedServerConfig: Sendable, Equatable {
    public var name: String
    public var command: String
    public var args: [String]
    /// Set on top of the minimal base environment agent-mcp itself was given.
    public var env: [String: String]
    public var cwd: String?
    /// Seconds, within `HostWire.timeoutRange`.
    public var startupTimeout: Double
    public var toolTimeout: Double
    public var enabled: Bool
    /// Where the server's stderr goes; nil sends it to /dev/null.
    public var logFile: String?

    public init(name: String, command: String, args: [String] = [], env: [String: String] = [:], cwd: String? = nil,
                startupTimeout: Double = 10, toolTimeout: Double = 60, enabled: Bool = true, logFile: String? = nil) {
        self.name = name
        self.command = command
        self.args = args
        self.env = env
        self.cwd = cwd
        self.startupTimeout = startupTimeout
        self.toolTimeout = toolTimeout
        self.enabled = enabled
        self.logFile = logFile
    }
}
