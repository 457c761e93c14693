import AgentCore
import AgentProtocol
import Foundation
import MCPTools

/// `/context`, `/mcp` and the custom commands' part of `/help`.
extension ChatREPL {
    func customCommandHelp() -> [String] {
        let commands = runtime.project.commands.commands
        guard !commands.isEmpty else { return [] }
        let rows = commands.map { command in
            ("/" + command.name + (command.argumentHint.map { " " + $0 } ?? ""),
             command.description + " (\(command.origin.rawValue))")
        }
        let width = rows.map(\.0.count).max() ?? 10
        return ["Custom commands:"] + rows.map { name, text in
            "  " + name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + style.dim(text)
        }
    }

    /// What the model is given with each request, part by part, with estimated tokens.
    func showContext() async {
        guard let loop else { return }
        let estimator = TokenEstimator()
        var rows: [(String, Int)] = [("system prompt", estimator.tokens(in: runtime.baseSystemPrompt))]
        let instructions = runtime.project.instructions
        for file in instructions.files {
            rows.append(("AGENTS.md " + file.path + (file.isCut ? " (cut)" : ""),
                         estimator.tokens(in: instructions.section(for: file))))
        }
        let builtIn = Set(ToolRegistry.standard().names)
        let specs = await loop.toolSpecs
        let builtInSpecs = specs.filter { builtIn.contains($0.name) }
        rows.append(("tool schemas: \(builtInSpecs.count) built-in", builtInSpecs.reduce(0) { $0 + tokens($1) }))
        for server in await mcp?.statuses() ?? [] where !server.tools.isEmpty {
            let names = Set(server.tools.map(\.name))
            let serverSpecs = specs.filter { names.contains($0.name) }
            let note = serverSpecs.isEmpty ? " (offered from the next turn)" : ""
            rows.append(("MCP tools: \(server.name) (\(server.tools.count))\(note)", serverSpecs.reduce(0) { $0 + tokens($1) }))
        }
        let conversation = await loop.messages.filter { $0.role != .system }
        rows.append(("conversation: \(conversation.count) messages", estimator.tokens(in: conversation)))
        let total = rows.reduce(0) { $0 + $1.1 }
        let width = max(rows.map(\.0.count).max() ?? 0, 5)
        var lines = ["Context (estimated tokens, about 4 bytes each):"]
        for (label, count) in rows + [("total", total)] {
            let number = String(count)
            lines.append("  " + label.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + String(repeating: " ", count: max(0, 7 - number.count)) + number)
        }
        renderer.note(lines.joined(separator: "\n"))
    }

    private func tokens(_ spec: ToolSpec) -> Int {
        TokenEstimator().tokens(in: spec.name + spec.description + spec.parameters.jsonText)
    }

    /// Each configured server: its state, command, log file and tools.
    func showMCP() async {
        guard let mcp else {
            renderer.note("No MCP servers are configured. Add [mcp_servers.NAME] to "
                + runtime.resolved.paths.configFile + " (see docs/mcp.md).")
            return
        }
        var lines = ["MCP servers:"]
        for server in await mcp.statuses() {
            let state: String = switch server.state {
            case .ready: style.green("ready") + " · \(server.tools.count) tools"
            case .starting, .disabled, .stopped: String(describing: server.state)
            case .failed, .exited: style.red(String(describing: server.state))
            }
            lines.append("  " + style.bold(server.name) + "  " + state)
            lines.append("    " + style.dim("command: " + server.commandLine))
            if let log = server.logFile { lines.append("    " + style.dim("stderr: " + log)) }
            let width = server.tools.map(\.name.count).max() ?? 0
            for tool in server.tools {
                let mark = tool.isReadOnly ? "read-only"
                    : tool.mayActOutsideWorkspace ? "asks in ask and auto modes" : "asks in ask mode"
                lines.append("    " + tool.name.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                    + style.dim("[\(mark)] " + tool.description.prefix(70)))
            }
        }
        renderer.note(lines.joined(separator: "\n"))
    }
}
