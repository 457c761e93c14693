import AgentCore
import Foundation
import MCPTools

extension Runtime {
    /// Starts the configured MCP servers in the background and returns at once; nil when none
    /// is configured. Servers get a minimal environment and never agent's API key.
    func startMCP() -> MCPHub? {
        guard !resolved.mcpServers.isEmpty else { return nil }
        let hub = MCPHub(servers: resolved.mcpServers, options: MCPHub.Options(
            workspace: workspace, environment: ProcessInfo.processInfo.environment,
            secrets: [resolved.apiKey].compactMap { $0 },
            logDirectory: resolved.paths.stateDirectory + "/mcp",
            reservedNames: Set(ToolRegistry.standard().names), clientVersion: AgentVersion.current))
        hub.start()
        return hub
    }
}
