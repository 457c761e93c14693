import AgentProtocol

extension AgentLoop {
    /// Adds tools that became available after the loop was made (MCP servers finish starting
    /// while the user types). A name already taken keeps its tool; returns the names added.
    /// New tools go after the existing ones, so the request's prefix stays as it was.
    @discardableResult
    public func addTools(_ newTools: [any Tool]) -> [String] {
        var added: [String] = []
        for tool in newTools where tools[tool.spec.name] == nil {
            tools[tool.spec.name] = tool
            toolOrder.append(tool.spec.name)
            added.append(tool.spec.name)
        }
        return added
    }
}
