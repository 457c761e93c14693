import AgentCore
import Foundation
import MCPTools

/// What the REPL adds to a turn before sending it: the MCP servers' tools (once), and the
/// files the prompt mentions with `@`.
extension ChatREPL {
    /// Waits for servers still starting (each within its start-up timeout; Ctrl-C stops the
    /// wait) and gives their tools to the loop. Runs once, before the first turn.
    func addMCPTools() async {
        guard let mcp, let loop, !mcpToolsAdded else { return }
        mcpToolsAdded = true
        if mcp.isStarting {
            renderer.note(style.dim("Waiting for MCP servers to start…"))
            // The runner makes the wait cancellable by Ctrl-C like a turn; the outcome is not one.
            _ = await runner.run {
                await mcp.waitUntilStarted()
                return .cancelled
            }
        }
        await loop.addTools(await mcp.tools())
        showMCPNotices()
    }

    /// Prints what the MCP servers reported since last time (a server that did not start).
    func showMCPNotices() {
        guard let mcp else { return }
        for line in mcp.takeNotices() { renderer.note(style.yellow("warning: " + line)) }
    }

    /// The message for `typed` with its `@` files attached, or nil (after saying why) when one
    /// cannot be: then nothing is sent.
    func attachMentions(_ typed: String) async -> String? {
        guard let loop else { return nil }
        do {
            let attached = try await loop.attach(typed)
            if !attached.attached.isEmpty {
                renderer.note(style.dim("Attached " + attached.attached.joined(separator: ", ") + "."))
            }
            return attached.text
        } catch {
            renderer.note(style.red("Cannot attach \(error).") + style.dim(" Nothing was sent."))
            return nil
        }
    }
}
