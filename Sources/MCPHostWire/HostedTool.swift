import AgentProtocol

/// A tool of a hosted server, as its `tools/list` gave it: agent names it for the model
/// (`SERVER__TOOL`) and decides its approval from `readOnly` (and, for a mutating tool, whether
/// it may act outside the workspace from `openWorld`).
public struct HostedTool: Sendable, Equatable {
    /// The server's own name for it, used in `call`.
    public var name: String
    public var description: String
    /// An object schema with `type` and `properties`, as the model is given it.
    public var inputSchema: JSONValue
    /// The server marked it `readOnlyHint: true`.
    public var readOnly: Bool
    /// The server's `openWorldHint`: true when the tool reaches an open world (the web, other
    /// systems), false when its world is closed; nil when the server did not say.
    public var openWorld: Bool?

    public init(name: String, description: String, inputSchema: JSONValue, readOnly: Bool, openWorld: Bool? = nil) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
        self.readOnly = readOnly
        self.openWorld = openWorld
    }
}
