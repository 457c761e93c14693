import AgentProtocol

extension AgentLoop {
    /// The message to send for `text`: its `@` mentions read (files through `read_file`, folders
    /// through `list_dir`, with their caps and binary refusal) and attached after the words.
    ///
    /// A path outside the workspace goes through the same approval as a `read_file` call that
    /// reaches outside it: asked in `ask` mode, denied when there is no one to ask.
    /// - Throws: the first mention that could not be attached; nothing should be sent then.
    public func attach(_ text: String) async throws(AttachmentError) -> AttachedPrompt {
        let planned = try Attachments.plan(text, workspace: options.toolContext.workspace)
        var contents: [(attachment: PlannedAttachment, text: String)] = []
        for (index, item) in planned.enumerated() {
            var context = options.toolContext
            let tool: any Tool = item.isDirectory ? ListDirTool() : ReadFileTool()
            let arguments = ToolArguments(["path": .string(item.resolved.path)])
            if !item.resolved.isInsideWorkspace {
                let call = ToolCall(id: "attach-\(index)", name: tool.spec.name,
                                    arguments: JSONValue.object(arguments.values).jsonText)
                let plan = ToolPlan(summary: "attach @\(item.mention.path)", outsidePaths: [item.resolved.path])
                switch await approve(call, tool: tool, plan: plan) {
                case .denied(let reason):
                    let why = reason.hasPrefix("denied: ") ? String(reason.dropFirst(8)) : reason
                    throw .denied(item.mention.path, reason: "outside the workspace, and " + why)
                case .approved:
                    context.allowOutsideWorkspace = true
                }
            }
            do {
                contents.append((item, try await tool.run(arguments, context: context)))
            } catch {
                throw .unreadable(item.mention.path, reason: error.message)
            }
        }
        return AttachedPrompt(text: Attachments.compose(text, contents: contents),
                              attached: planned.map(\.resolved.display))
    }
}
