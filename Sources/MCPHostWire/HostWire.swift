import AgentProtocol
import Foundation

/// The line protocol between agent and agent-mcp, the helper that hosts the MCP servers: one
/// JSON object a line, each with the protocol version `v` and a `type`. README.md has every
/// message with an example.
///
/// Hand-written, not an MCP client: this is our own process boundary. agent-mcp is the only
/// program that speaks MCP (through the official Swift SDK, whose module links
/// FoundationNetworking and libcurl); the boundary keeps all of that out of `agent`, which
/// starts the helper only when servers are configured. What crosses it is the handful of things
/// agent needs to drive its servers, so a few messages over a pipe are all it takes.
public enum HostWire {
    /// Both sides speak exactly this version; a line with another is `WireError.unsupportedVersion`.
    public static let version = 1

    /// Neither side reads a longer line (a tool list with large schemas fits many times over;
    /// a result is capped at 30,000 bytes before it is sent).
    public static let maxLineBytes = 16 << 20

    /// Every timeout the protocol carries lies here (the config's own range).
    public static let timeoutRange: ClosedRange<Double> = 0.001...86_400

    /// The only variables agent-mcp gets from agent's environment, and so the base every server
    /// starts from (Codex's list: enough to find programs, home and locale; no credentials).
    public static let baseEnvironment = ["HOME", "LOGNAME", "PATH", "SHELL", "USER", "LANG", "LC_ALL", "LC_CTYPE",
                                         "TERM", "TMPDIR", "TZ"]

    // MARK: - encoding

    /// The line for `request`, newline included.
    public static func encode(_ request: HostRequest) -> Data {
        switch request {
        case .start(let start):
            line("start", [
                "client_version": .string(start.clientVersion), "workspace": .string(start.workspace),
                "servers": .array(start.servers.map(json)),
            ])
        case .call(let call):
            line("call", [
                "id": number(call.id), "server": .string(call.server), "tool": .string(call.tool),
                "arguments": .object(call.arguments), "timeout_sec": .number(call.timeout),
                "display_name": .string(call.displayName),
            ])
        case .cancel(let id): line("cancel", ["id": number(id)])
        case .shutdown: line("shutdown", [:])
        }
    }

    /// The line for `event`, newline included.
    public static func encode(_ event: HostEvent) -> Data {
        switch event {
        case .server(let update):
            var fields: [String: JSONValue] = ["name": .string(update.name), "state": .string(update.state.wireName)]
            if let reason = update.state.reason { fields["reason"] = .string(reason) }
            if let pid = update.pid { fields["pid"] = number(Int(pid)) }
            if let logFile = update.logFile { fields["log_file"] = .string(logFile) }
            if !update.tools.isEmpty { fields["tools"] = .array(update.tools.map(json)) }
            return line("server", fields)
        case .notice(let text): return line("notice", ["text": .string(text)])
        case .result(let result):
            return line("result", ["id": number(result.id), "text": .string(result.text), "is_error": .bool(result.isError)])
        case .error(let message): return line("error", ["message": .string(message)])
        }
    }

    private static func line(_ type: String, _ fields: [String: JSONValue]) -> Data {
        var object = fields
        object["v"] = number(version)
        object["type"] = .string(type)
        return Data((JSONValue.object(object).jsonText + "\n").utf8)
    }

    private static func number(_ value: Int) -> JSONValue { .number(Double(value)) }

    private static func json(_ server: HostedServerConfig) -> JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(server.name), "command": .string(server.command),
            "args": .array(server.args.map(JSONValue.string)), "env": .object(server.env.mapValues(JSONValue.string)),
            "startup_timeout_sec": .number(server.startupTimeout), "tool_timeout_sec": .number(server.toolTimeout),
            "enabled": .bool(server.enabled),
        ]
        if let cwd = server.cwd { fields["cwd"] = .string(cwd) }
        if let logFile = server.logFile { fields["log_file"] = .string(logFile) }
        return .object(fields)
    }

    private static func json(_ tool: HostedTool) -> JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(tool.name), "description": .string(tool.description), "input_schema": tool.inputSchema,
            "read_only": .bool(tool.readOnly),
        ]
        if let openWorld = tool.openWorld { fields["open_world"] = .bool(openWorld) }
        return .object(fields)
    }
}
