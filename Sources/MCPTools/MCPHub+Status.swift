import AgentConfig

/// What `/mcp` shows about one server.
public struct MCPServerStatus: Sendable {
    public struct ToolSummary: Sendable {
        /// The name the model sees (`git__git_log`).
        public var name: String
        public var description: String
        /// Marked `readOnlyHint`: runs without approval, like `read_file`.
        public var isReadOnly: Bool
        /// Changes things and is not marked `openWorldHint: false`: asks in `auto` mode too.
        public var mayActOutsideWorkspace: Bool
    }

    public var name: String
    public var state: MCPServerState
    /// The command and its arguments, as configured.
    public var commandLine: String
    /// Where the server's stderr goes.
    public var logFile: String?
    public var tools: [ToolSummary]
}

extension MCPHub {
    /// Every configured server, in name order, with its state and the tools it gives.
    public func statuses() async -> [MCPServerStatus] {
        let tools = mcpTools()
        return session.ledger.records.map { record in
            let settings = record.settings
            let own = tools.filter { $0.server.name == record.name }.map {
                MCPServerStatus.ToolSummary(name: $0.spec.name, description: $0.spec.description, isReadOnly: !$0.isMutating,
                                          mayActOutsideWorkspace: $0.mayActOutsideWorkspace)
            }
            return MCPServerStatus(
                name: settings.name, state: record.state,
                commandLine: ([settings.command] + settings.args).joined(separator: " "),
                logFile: record.logFile, tools: own)
        }
    }
}
