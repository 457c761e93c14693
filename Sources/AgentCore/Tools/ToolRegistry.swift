import AgentProtocol

/// The tools the model may call, by name, in a fixed order.
///
/// Invariant: names are unique, and `specs` lists the tools in registration order, so the
/// request sent to the model is byte-for-byte the same from one turn to the next (which keeps a
/// server's prompt cache warm).
public struct ToolRegistry: Sendable {
    public private(set) var tools: [any Tool]

    /// Registers `tools` in order; a later tool with an earlier one's name replaces it in place.
    public init(_ tools: [any Tool] = []) {
        self.tools = []
        for tool in tools { register(tool) }
    }

    /// The six built-in tools: read_file, list_dir, search_files, write_file, edit_file, run_shell.
    public static func standard() -> ToolRegistry {
        ToolRegistry([
            ReadFileTool(), ListDirTool(), SearchFilesTool(), WriteFileTool(), EditFileTool(), RunShellTool(),
        ])
    }

    /// Adds `tool`, or replaces the registered tool of the same name where it stands.
    public mutating func register(_ tool: any Tool) {
        if let index = tools.firstIndex(where: { $0.spec.name == tool.spec.name }) {
            tools[index] = tool
        } else {
            tools.append(tool)
        }
    }

    public var specs: [ToolSpec] { tools.map(\.spec) }

    public var names: [String] { tools.map(\.spec.name) }

    public func tool(named name: String) -> (any Tool)? {
        tools.first { $0.spec.name == name }
    }
}
