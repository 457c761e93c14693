import AgentCore
import MCPTools

extension OneShot {
    /// Gives the loop the MCP servers' tools (waiting for those still starting, each within its
    /// start-up timeout) and attaches the prompt's `@` files. Fails with the exit status when
    /// the wait was interrupted (130, 143) or a file cannot be attached (2: nothing is sent).
    func prepare(_ prompt: String, loop: AgentLoop, mcp: MCPHub?, runner: TurnRunner) async -> Result<String, ExitStatus> {
        if let mcp {
            // In the runner, so Ctrl-C or SIGTERM ends the wait as it would end a turn.
            let waited = await runner.run {
                await mcp.waitUntilStarted()
                return Task.isCancelled ? .cancelled : .answered("")
            }
            if let sig = runner.terminatingSignal { return .failure(.signal(sig)) }
            if case .cancelled = waited { return .failure(.interrupted) }
            for line in mcp.takeNotices() { Output.err("agent: warning: \(line)\n") }
            await loop.addTools(await mcp.tools())
        }
        do {
            return .success(try await loop.attach(prompt).text)
        } catch {
            Output.err("agent: cannot attach \(error); nothing was sent\n")
            return .failure(.usage)
        }
    }
}
