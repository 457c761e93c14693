/// Where a server's stderr is kept, `$XDG_STATE_HOME/agent/mcp/NAME.log` (rewritten at each
/// start), and agent-mcp's own beside it: the places to look when something misbehaves, and the
/// source of the one line quoted when a process dies. agent-mcp makes the folder.
enum ServerLog {
    /// The file for `server` in `directory`.
    static func path(for server: String, in directory: String) -> String {
        directory + "/" + MCPToolNames.sanitized(server) + ".log"
    }

    /// agent-mcp's stderr (no server's name sanitises to it: `.` is not kept).
    static func helperPath(in directory: String) -> String {
        directory + "/agent-mcp.helper.log"
    }
}
