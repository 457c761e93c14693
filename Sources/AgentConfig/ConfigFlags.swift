/// Command-line flags that set configuration, already parsed by the CLI; nil or false means
/// the flag was not given. Flags beat every other layer.
public struct ConfigFlags: Sendable, Equatable {
    /// `--config PATH`: a file that must exist, read instead of the default one.
    public var configFile: String?
    /// `--profile NAME`: the profile to apply; beats `profile = "…"` in the file.
    public var profile: String?
    /// `--model NAME`.
    public var model: String?
    /// `--endpoint URL`.
    public var endpoint: String?
    /// `--api-key-env VAR`.
    public var apiKeyEnv: String?
    /// `--approval ask|auto|read-only`; checked here so the message matches the file's.
    public var approval: String?
    /// `--temperature T`.
    public var temperature: Double?
    /// `--max-tokens N`.
    public var maxTokens: Int?
    /// `--timeout SECONDS`.
    public var timeout: Double?
    /// `--system-prompt TEXT`.
    public var systemPrompt: String?
    /// `--show-reasoning` (true) or `--no-show-reasoning` (false).
    public var showReasoning: Bool?
    /// `--no-save`: turns `sessions.autosave` off.
    public var noSave: Bool
    /// `--no-color`: turns `color` off.
    public var noColor: Bool
    /// `--allow-insecure-http`: turns `allow_insecure_http` on.
    public var allowInsecureHTTP: Bool

    public init(
        configFile: String? = nil, profile: String? = nil, model: String? = nil, endpoint: String? = nil,
        apiKeyEnv: String? = nil, approval: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil,
        timeout: Double? = nil, systemPrompt: String? = nil, showReasoning: Bool? = nil,
        noSave: Bool = false, noColor: Bool = false, allowInsecureHTTP: Bool = false
    ) {
        self.configFile = configFile
        self.profile = profile
        self.model = model
        self.endpoint = endpoint
        self.apiKeyEnv = apiKeyEnv
        self.approval = approval
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.timeout = timeout
        self.systemPrompt = systemPrompt
        self.showReasoning = showReasoning
        self.noSave = noSave
        self.noColor = noColor
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    /// The settings these flags set, each attributed to its flag's spelling.
    var assignments: [Assignment] {
        var result: [Assignment] = []
        func add(_ key: SettingKey, _ value: ConfigValue?, _ flag: String) {
            guard let value else { return }
            result.append(Assignment(key: key, value: value, source: .flag(name: flag), writtenKey: key.rawValue))
        }
        add(.model, model.map(ConfigValue.string), "--model")
        add(.endpoint, endpoint.map(ConfigValue.string), "--endpoint")
        add(.apiKeyEnv, apiKeyEnv.map(ConfigValue.string), "--api-key-env")
        add(.toolsApproval, approval.map(ConfigValue.string), "--approval")
        add(.temperature, temperature.map(ConfigValue.float), "--temperature")
        add(.maxTokens, maxTokens.map(ConfigValue.integer), "--max-tokens")
        add(.timeout, timeout.map(ConfigValue.float), "--timeout")
        add(.systemPrompt, systemPrompt.map(ConfigValue.string), "--system-prompt")
        if let showReasoning {
            add(.showReasoning, .boolean(showReasoning), showReasoning ? "--show-reasoning" : "--no-show-reasoning")
        }
        if noSave { add(.sessionsAutosave, .boolean(false), "--no-save") }
        if noColor { add(.color, .boolean(false), "--no-color") }
        if allowInsecureHTTP { add(.allowInsecureHTTP, .boolean(true), "--allow-insecure-http") }
        return result
    }
}
