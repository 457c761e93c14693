import AgentCore
import AgentProtocol
import MCP

/// A tool of an MCP server, offered to the model under its qualified name (`git__git_log`).
///
/// Approval: a tool whose annotations say `readOnlyHint: true` is not mutating and runs like
/// `read_file`; any other is mutating, so it asks in `ask` mode and is denied in `read-only`
/// mode and under `-p` without a terminal. agent cannot see what a server touches: a changing
/// tool stays local only if it says so (`openWorldHint: false`, as mcp-server-git's do); any
/// other may act outside the workspace, so `auto` asks before it runs (the MCP default is open).
struct MCPTool: AgentCore.Tool {
    let spec: ToolSpec
    let isMutating: Bool
    let mayActOutsideWorkspace: Bool
    let remoteName: String
    let server: MCPServer

    /// Descriptions longer than this are cut: every token of a schema is sent with every request.
    static let maxDescription = 1_000

    init(remote: MCP.Tool, qualifiedName: String, server: MCPServer) throws {
        var description = remote.description ?? remote.title ?? remote.annotations.title ?? ""
        if description.count > Self.maxDescription {
            description = String(description.prefix(Self.maxDescription - 1)) + "…"
        }
        spec = ToolSpec(name: qualifiedName, description: description,
                        parameters: try MCPValues.parameters(remote.inputSchema))
        isMutating = remote.annotations.readOnlyHint != true
        mayActOutsideWorkspace = isMutating && remote.annotations.openWorldHint != false
        remoteName = remote.name
        self.server = server
    }

    func plan(_ arguments: ToolArguments, context: ToolContext) throws(ToolError) -> ToolPlan {
        let json = JSONValue.object(arguments.values).jsonText
        let shown = json.count > 100 ? String(json.prefix(99)) + "…" : json
        return ToolPlan(summary: "\(spec.name) \(shown)", preview: isMutating ? json : nil)
    }

    func run(_ arguments: ToolArguments, context: ToolContext) async throws(ToolError) -> String {
        try await server.call(remoteName, arguments: arguments.values, shownAs: spec.name)
    }
}
