/// The effective configuration: the settings, where each value came from, the API key, and
/// the warnings the CLI should print.
public struct ResolvedConfig: Sendable, Equatable {
    /// Every effective value; all of them passed validation.
    public let settings: Settings
    /// The source of every key that some layer set; keys absent here are built-in defaults.
    public let sources: [SettingKey: ConfigSource]
    /// The API key to send as a bearer token, or nil to send none.
    public let apiKey: String?
    /// The environment variable the API key came from; nil when there is no key.
    public let apiKeySource: ConfigSource?
    /// The applied profile, if any.
    public let profile: String?
    /// What selected the profile: `.flag("--profile")`, `.override` or `.file(path)`.
    public let profileSource: ConfigSource?
    /// The config file that was read; nil when the default file does not exist.
    public let configFile: String?
    /// The XDG locations derived from the environment.
    public let paths: Paths
    /// Problems that do not stop the program (unknown keys, an unset `api_key_env` variable),
    /// in the order of the file's lines.
    public let warnings: [ConfigWarning]
    /// The `[mcp_servers.NAME]` tables of the config file, sorted by name, `~` expanded.
    public internal(set) var mcpServers: [MCPServerSettings] = []

    /// Where each value came from; `.builtIn` for defaults.
    public func source(of key: SettingKey) -> ConfigSource {
        sources[key] ?? .builtIn
    }

    /// The directory sessions are saved in: `sessions.dir` with `~` expanded, else
    /// `$XDG_STATE_HOME/agent/sessions`.
    public var sessionsDirectory: String {
        settings.sessions.dir.map(paths.expandingTilde) ?? paths.sessionsDirectory
    }

    /// The line-editor history file, `$XDG_STATE_HOME/agent/history`.
    public var historyFile: String { paths.historyFile }

    /// Throws `.insecureKeyTransport` when there is an API key and the endpoint is plain http
    /// to a host other than this machine, unless `allow_insecure_http` is on. Commands that
    /// talk to the server call it; `agent config` does not, so it can still show the settings.
    public func checkKeyTransport() throws(ConfigError) {
        guard apiKey != nil, !settings.allowInsecureHTTP, Endpoint.isPlainHTTPToAnotherHost(settings.endpoint) else {
            return
        }
        let variable: String
        switch apiKeySource {
        case .environment(let name)?: variable = name
        case .builtIn?, .file?, .profile?, .override?, .flag?, nil: variable = "the environment"
        }
        throw .insecureKeyTransport(endpoint: settings.endpoint, variable: variable)
    }

    /// The names of the environment variables that may hold a secret for this configuration:
    /// `api_key_env` when set, and the variables the key is read from by default.
    public var apiKeyVariables: [String] {
        [settings.apiKeyEnv, "AGENT_API_KEY", "OPENAI_API_KEY"].compactMap { $0 }
    }
}
