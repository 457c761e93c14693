/// One `[mcp_servers.NAME]` table: an MCP server agent starts over stdio and takes tools from.
/// The keys are Codex's, so a Codex `config.toml` section can be copied as it is.
///
/// Invariant (for values the loader made): `name` and `command` are non-empty, the timeouts are
/// finite and within `timeoutRange`, so converting them to a `Duration` is safe.
public struct MCPServerSettings: Sendable, Hashable {
    /// The table's name; tools appear to the model as `NAME__tool`.
    public var name: String
    /// The program to run: a path, or a name looked up in the server's `PATH`. The loader
    /// expands a leading `~`.
    public var command: String
    public var args: [String] = []
    /// Variables set for the server on top of a minimal base (never agent's API key).
    public var env: [String: String] = [:]
    /// The server's working directory (`~` expanded by the loader; relative to agent's), or nil
    /// for agent's.
    public var cwd: String?
    /// Seconds to start, initialize and list tools before the server is given up (default 10).
    public var startupTimeout: Double = 10
    /// Seconds one tool call may take before it is cancelled (default 60).
    public var toolTimeout: Double = 60
    /// A disabled server is listed by `/mcp` but never started.
    public var enabled = true

    /// Every timeout lies here: long enough for anything real, short enough to be a `Duration`.
    public static let timeoutRange: ClosedRange<Double> = 0.001...86_400

    public init(name: String, command: String) {
        self.name = name
        self.command = command
    }

    /// The keys a server table may hold.
    static let keys = ["command", "args", "env", "cwd", "startup_timeout_sec", "tool_timeout_sec", "enabled"]
}

/// Reads the `[mcp_servers]` table of a config file.
enum MCPServerTable {
    /// The servers in `value` (sorted by name) and warnings for keys nothing reads.
    /// - Throws: `ConfigError.invalidValue` naming `mcp_servers.NAME.key` for a bad value.
    static func parse(
        _ value: ConfigValue, path: String, locator: KeyLineLocator
    ) throws(ConfigError) -> (servers: [MCPServerSettings], warnings: [ConfigWarning]) {
        guard case .table(let entries) = value else {
            throw .invalidValue(key: "mcp_servers", location: path, expected: "a table of servers", got: value.shown)
        }
        var servers: [MCPServerSettings] = []
        var warnings: [ConfigWarning] = []
        for (name, body) in entries {
            guard case .table(let fields) = body else {
                throw .invalidValue(key: "mcp_servers.\(name)", location: path, expected: "a table", got: body.shown)
            }
            guard !name.isEmpty else {
                throw .invalidValue(key: "mcp_servers", location: path, expected: "a non-empty server name", got: "\"\"")
            }
            let (server, unknown) = try server(name, fields: fields, path: path, locator: locator)
            warnings += unknown
            servers.append(server)
        }
        return (servers.sorted { $0.name < $1.name }, warnings)
    }

    /// One `[mcp_servers.NAME]` table: its settings, and a warning for each key nothing reads.
    private static func server(
        _ name: String, fields: [(key: String, value: ConfigValue)], path: String, locator: KeyLineLocator
    ) throws(ConfigError) -> (MCPServerSettings, [ConfigWarning]) {
        var server = MCPServerSettings(name: name, command: "")
        var warnings: [ConfigWarning] = []
        for (key, field) in fields {
            let written = "mcp_servers.\(name).\(key)"
            do {
                switch key {
                case "command": server.command = try field.text(nonEmpty: true, expected: "a program to run")
                case "args": server.args = try strings(field)
                case "env": server.env = try variables(field)
                case "cwd": server.cwd = try field.text(nonEmpty: true, expected: "a directory")
                case "startup_timeout_sec": server.startupTimeout = try seconds(field)
                case "tool_timeout_sec": server.toolTimeout = try seconds(field)
                case "enabled": server.enabled = try field.flag()
                default:
                    let suggestion = MCPServerSettings.keys.first { closeEnough($0, key) }
                        .map { "mcp_servers.\(name).\($0)" }
                    warnings.append(.unknownKey(key: written, path: path,
                                                line: locator.line(of: ["mcp_servers", name, key]),
                                                suggestion: suggestion))
                }
            } catch {
                throw .invalidValue(key: written, location: path, expected: error.expected, got: field.shown)
            }
        }
        guard !server.command.isEmpty else {
            throw .invalidValue(key: "mcp_servers.\(name).command", location: path,
                                expected: "a program to run", got: "nothing")
        }
        return (server, warnings)
    }

    private static func strings(_ value: ConfigValue) throws(ValueMismatch) -> [String] {
        let expected = "an array of strings"
        guard case .array(let items) = value else { throw ValueMismatch(expected: expected) }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { throw ValueMismatch(expected: expected) }
            result.append(text)
        }
        return result
    }

    private static func variables(_ value: ConfigValue) throws(ValueMismatch) -> [String: String] {
        let expected = "a table of strings, e.g. { GIT_AUTHOR_NAME = \"agent\" }"
        guard case .table(let entries) = value else { throw ValueMismatch(expected: expected) }
        var result: [String: String] = [:]
        for (key, item) in entries {
            guard case .string(let text) = item, !key.isEmpty, !key.contains("=") else {
                throw ValueMismatch(expected: expected)
            }
            result[key] = text
        }
        return result
    }

    private static func seconds(_ value: ConfigValue) throws(ValueMismatch) -> Double {
        let range = MCPServerSettings.timeoutRange
        return try value.number(expected: "a positive number of seconds up to \(Int(range.upperBound))") {
            range.contains($0)
        }
    }

    /// A misspelt key within two edits of a known one.
    private static func closeEnough(_ known: String, _ written: String) -> Bool {
        let a = Array(known), b = Array(written)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count] <= 2
    }
}

extension MCPServerSettings {
    /// The same server with a leading `~` in `command` and `cwd` expanded.
    func expandingTilde(with paths: Paths) -> MCPServerSettings {
        var copy = self
        copy.command = paths.expandingTilde(command)
        copy.cwd = cwd.map(paths.expandingTilde)
        return copy
    }
}
