import AgentConfig
import AgentCore
import AgentProtocol
import MCPHostWire

/// A tool of an MCP server, offered to the model under its qualified name (`git__git_log`) and
/// run by agent-mcp.
///
/// Approval: a tool whose annotations say `readOnlyHint: true` is not mutating and runs like
/// `read_file`; any other is mutating, so it asks in `ask` mode and is denied in `read-only`
/// mode and under `-p` without a terminal. agent cannot see what a server touches: a changing
/// tool stays local only if it says so (`openWorldHint: false`, as mcp-server-git's do); any
/// other may act outside the workspace, so `auto` asks before it runs (the MCP default is open).
struct MCPTool: AgentCore.Tool {
    let spec: ToolSpec
    let isMutating: Bool
    /// The server's `openWorldHint` for this tool: false when it says the tool's world is closed,
    /// nil when it did not say.
    let openWorldHint: Bool?
    var mayActOutsideWorkspace: Bool { isMutating && openWorldHint != false }
    let remoteName: String
    let server: MCPServerSettings
    let session: HelperSession

    /// Descriptions longer than this are cut: every token of a schema is sent with every request.
    static let maxDescription = 1_000

    init(remote: HostedTool, qualifiedName: String, server: MCPServerSettings, session: HelperSession) {
        var description = remote.description
        if description.count > Self.maxDescription {
            description = String(description.prefix(Self.maxDescription - 1)) + "…"
        }
        spec = ToolSpec(name: qualifiedName, description: description, parameters: remote.inputSchema)
        isMutating = !remote.readOnly
        openWorldHint = remote.openWorld
        remoteName = remote.name
        self.server = server
        self.session = session
    }

    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let json = JSONValue.object(arguments.values).jsonText
        let shown = json.count > 100 ? String(json.prefix(99)) + "…" : json
        return ToolPlan(summary: "\(spec.name) \(shown)", preview: isMutating ? json : nil)
    }

    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        try await session.call(server: server.name, tool: remoteName, arguments: arguments.values,
                               timeout: server.toolTimeout, shownAs: spec.name)
    }
}
