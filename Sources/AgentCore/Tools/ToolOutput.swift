/// The size cap every tool's result shares, for tools that live outside AgentCore (MCP tools):
/// the same 30,000 bytes `run_shell` keeps, its first and last halves, with a note of the cut.
public enum ToolOutput {
    public static let limit = RunShellTool.outputLimit

    /// `text` itself when it fits in `limit` bytes of UTF-8, else its head and tail around a
    /// note saying how many bytes were cut (never splitting a character).
    public static func capped(_ text: String, limit: Int = limit) -> String {
        guard text.utf8.count > limit else { return text }
        var buffer = HeadTailBuffer(limit: max(0, limit))
        buffer.append(text.utf8)
        return buffer.text
    }
}
