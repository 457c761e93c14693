import AgentConfig
import MCPHostWire

/// Where a server stands, as `/mcp` shows it (the state agent-mcp reports).
public typealias MCPServerState = HostedServerState

/// What agent knows of one configured server: its settings, and what agent-mcp last said of it.
struct ServerRecord: Sendable {
    let settings: MCPServerSettings
    var state: MCPServerState
    /// Its process, which leads its own process group; nil until agent-mcp spawned it.
    var pid: Int32?
    var logFile: String?
    /// Its tools as listed, once it is ready.
    var tools: [HostedTool] = []

    init(settings: MCPServerSettings) {
        self.settings = settings
        state = settings.enabled ? .starting : .disabled
    }

    var name: String { settings.name }
}
