import AgentProtocol

/// Every key a config file, a profile, `-c` or a flag may set, spelled as in TOML
/// (`retry.max_retries` is `max_retries` in the `[retry]` table).
///
/// Each key knows its type and range (`assign`) and how `agent config` shows it (`rendered`).
/// The switches are exhaustive, so a new key cannot be added without both.
public enum SettingKey: String, CaseIterable, Sendable, Hashable {
    case model
    case endpoint
    case apiPath = "api_path"
    case api
    case contextWindow = "context_window"
    case apiKeyEnv = "api_key_env"
    case allowInsecureHTTP = "allow_insecure_http"
    case temperature
    case maxTokens = "max_tokens"
    case timeout
    case connectTimeout = "connect_timeout"
    case systemPrompt = "system_prompt"
    case showReasoning = "show_reasoning"
    case color
    case retryMaxRetries = "retry.max_retries"
    case retryBackoffBase = "retry.backoff_base"
    case retryBackoffMax = "retry.backoff_max"
    case retryStreamIdleTimeout = "retry.stream_idle_timeout"
    case truncationThresholdTokens = "truncation.threshold_tokens"
    case truncationKeepRecent = "truncation.keep_recent"
    case compactionAuto = "compaction.auto"
    case compactionAutoAt = "compaction.auto_at"
    case sessionsDir = "sessions.dir"
    case sessionsAutosave = "sessions.autosave"
    case sessionsKeep = "sessions.keep"
    case sessionsMaxAgeDays = "sessions.max_age_days"
    case toolsApproval = "tools.approval"
    case toolsShellTimeout = "tools.shell_timeout"
    case toolsCheckpoints = "tools.checkpoints"

    /// The tables keys may live in: `[retry]`, `[truncation]`, `[compaction]`, `[sessions]`, `[tools]`.
    static let tableNames: Set<String> = Set(allCases.compactMap(\.table))

    /// The table holding this key, or nil for a top-level key.
    var table: String? {
        let parts = rawValue.split(separator: ".", maxSplits: 1)
        return parts.count == 2 ? String(parts[0]) : nil
    }

    /// Whether a bare word after `-c key=` is taken as a string for this key.
    var takesString: Bool {
        switch self {
        case .model, .endpoint, .apiPath, .api, .apiKeyEnv, .systemPrompt, .sessionsDir, .toolsApproval: true
        case .contextWindow, .allowInsecureHTTP, .temperature, .maxTokens, .timeout, .connectTimeout, .showReasoning, .color,
            .retryMaxRetries, .retryBackoffBase, .retryBackoffMax, .retryStreamIdleTimeout,
            .truncationThresholdTokens, .truncationKeepRecent, .compactionAuto, .compactionAutoAt, .sessionsAutosave,
            .sessionsKeep, .sessionsMaxAgeDays, .toolsShellTimeout, .toolsCheckpoints: false
        }
    }

    /// Checks `value` against this key's type and range and stores it.
    /// - Throws: `ValueMismatch` naming what was expected; `settings` is then unchanged.
    func assign(_ value: ConfigValue, to settings: inout Settings) throws(ValueMismatch) {
        switch self {
        case .model: settings.model = try value.text(nonEmpty: true, expected: "a non-empty string")
        case .endpoint: settings.endpoint = try Self.endpoint(value)
        case .apiPath: settings.apiPath = try Self.apiPath(value)
        case .api: settings.api = try Self.choice(value, of: ChatAPI.self)
        case .contextWindow:
            let expected = "an integer from 256 to 100000000 (tokens)"
            settings.contextWindow = try value.integer(in: 256...100_000_000, expected: expected)
        case .apiKeyEnv: settings.apiKeyEnv = try Self.variableName(value)
        case .allowInsecureHTTP: settings.allowInsecureHTTP = try value.flag()
        case .temperature:
            settings.temperature = try value.number(expected: "a number from 0 to 2") { (0...2).contains($0) }
        case .maxTokens:
            settings.maxTokens = try value.integer(in: 1...10_000_000, expected: "an integer from 1 to 10000000")
        case .timeout: settings.timeout = try value.positiveSeconds()
        case .connectTimeout: settings.connectTimeout = try value.positiveSeconds()
        case .systemPrompt: settings.systemPrompt = try value.text(nonEmpty: false, expected: "a string")
        case .showReasoning: settings.showReasoning = try value.flag()
        case .color: settings.color = try value.flag()
        case .retryMaxRetries:
            settings.retry.maxRetries = try value.integer(in: 0...100, expected: "an integer from 0 to 100")
        case .retryBackoffBase: settings.retry.backoffBase = try value.nonNegativeSeconds()
        case .retryBackoffMax: settings.retry.backoffMax = try value.nonNegativeSeconds()
        case .retryStreamIdleTimeout: settings.retry.streamIdleTimeout = try value.positiveSeconds()
        case .truncationThresholdTokens:
            settings.truncation.thresholdTokens = try value.integer(
                in: 1...100_000_000, expected: "an integer from 1 to 100000000")
        case .truncationKeepRecent:
            settings.truncation.keepRecent = try value.integer(in: 1...1_000_000, expected: "an integer from 1 to 1000000")
        case .compactionAuto: settings.compaction.auto = try value.flag()
        case .compactionAutoAt:
            settings.compaction.autoAt = try value.number(expected: "a number from 0.1 to 1") { (0.1...1).contains($0) }
        case .sessionsDir: settings.sessions.dir = try value.text(nonEmpty: true, expected: "a directory path")
        case .sessionsAutosave: settings.sessions.autosave = try value.flag()
        case .sessionsKeep:
            settings.sessions.keep = try value.integer(in: 0...1_000_000, expected: "an integer from 0 to 1000000")
        case .sessionsMaxAgeDays:
            settings.sessions.maxAgeDays = try value.integer(in: 0...1_000_000, expected: "an integer from 0 to 1000000")
        case .toolsApproval: settings.tools.approval = try Self.choice(value, of: ApprovalMode.self)
        case .toolsShellTimeout: settings.tools.shellTimeout = try value.positiveSeconds()
        case .toolsCheckpoints: settings.tools.checkpoints = try value.flag()
        }
    }

    private static func endpoint(_ value: ConfigValue) throws(ValueMismatch) -> String {
        let text = try value.text(nonEmpty: true, expected: Endpoint.expectation)
        guard let url = Endpoint.normalized(text) else { throw ValueMismatch(expected: Endpoint.expectation) }
        return url
    }

    private static func apiPath(_ value: ConfigValue) throws(ValueMismatch) -> String {
        let expected = "a path starting with /"
        let path = try value.text(nonEmpty: true, expected: expected)
        guard path.hasPrefix("/"), !path.contains(where: \.isWhitespace) else { throw ValueMismatch(expected: expected) }
        return path
    }

    private static func variableName(_ value: ConfigValue) throws(ValueMismatch) -> String {
        let expected = "an environment variable name such as OPENAI_API_KEY"
        let name = try value.text(nonEmpty: true, expected: expected)
        guard isVariableName(name) else { throw ValueMismatch(expected: expected) }
        return name
    }

    /// One of an enumeration's raw values, written exactly.
    private static func choice<Choice: CaseIterable & RawRepresentable>(
        _ value: ConfigValue, of type: Choice.Type
    ) throws(ValueMismatch) -> Choice where Choice.RawValue == String {
        let expected = "one of " + Choice.allCases.map { ConfigValue.quoted($0.rawValue) }.joined(separator: ", ")
        let text = try value.text(nonEmpty: true, expected: expected)
        guard let choice = Choice(rawValue: text) else { throw ValueMismatch(expected: expected) }
        return choice
    }

    /// The value as `agent config` prints it, or nil when an optional key is not set.
    func rendered(in settings: Settings) -> String? {
        switch self {
        case .model: ConfigValue.quoted(settings.model)
        case .endpoint: ConfigValue.quoted(settings.endpoint)
        case .apiPath: ConfigValue.quoted(settings.apiPath)
        case .api: ConfigValue.quoted(settings.api.rawValue)
        case .contextWindow: settings.contextWindow.map { String($0) }
        case .apiKeyEnv: settings.apiKeyEnv.map(ConfigValue.quoted)
        case .allowInsecureHTTP: String(settings.allowInsecureHTTP)
        case .temperature: settings.temperature.map(ConfigValue.number)
        case .maxTokens: settings.maxTokens.map { String($0) }
        case .timeout: ConfigValue.number(settings.timeout)
        case .connectTimeout: ConfigValue.number(settings.connectTimeout)
        case .systemPrompt: settings.systemPrompt.map(Self.abbreviated)
        case .showReasoning: String(settings.showReasoning)
        case .color: String(settings.color)
        case .retryMaxRetries: String(settings.retry.maxRetries)
        case .retryBackoffBase: ConfigValue.number(settings.retry.backoffBase)
        case .retryBackoffMax: ConfigValue.number(settings.retry.backoffMax)
        case .retryStreamIdleTimeout: ConfigValue.number(settings.retry.streamIdleTimeout)
        case .truncationThresholdTokens: settings.truncation.thresholdTokens.map { String($0) }
        case .truncationKeepRecent: String(settings.truncation.keepRecent)
        case .compactionAuto: String(settings.compaction.auto)
        case .compactionAutoAt: ConfigValue.number(settings.compaction.autoAt)
        case .sessionsDir: settings.sessions.dir.map(ConfigValue.quoted)
        case .sessionsAutosave: String(settings.sessions.autosave)
        case .sessionsKeep: String(settings.sessions.keep)
        case .sessionsMaxAgeDays: String(settings.sessions.maxAgeDays)
        case .toolsApproval: ConfigValue.quoted(settings.tools.approval.rawValue)
        case .toolsShellTimeout: ConfigValue.number(settings.tools.shellTimeout)
        case .toolsCheckpoints: String(settings.tools.checkpoints)
        }
    }

    /// What an unset optional key means, for `agent config`.
    var unsetMeaning: String {
        switch self {
        case .apiKeyEnv: "(not set)"
        case .temperature, .maxTokens: "(server default)"
        case .systemPrompt: "(built-in)"
        case .sessionsDir: "(default)"
        case .contextWindow: "(learned from the server)"
        case .truncationThresholdTokens: "(none)"
        case .model, .endpoint, .apiPath, .api, .allowInsecureHTTP, .timeout, .connectTimeout, .showReasoning, .color,
            .retryMaxRetries, .retryBackoffBase, .retryBackoffMax, .retryStreamIdleTimeout,
            .truncationKeepRecent, .compactionAuto, .compactionAutoAt, .sessionsAutosave, .sessionsKeep,
            .sessionsMaxAgeDays, .toolsApproval, .toolsShellTimeout, .toolsCheckpoints: "(not set)"
        }
    }

    /// The known key closest to a misspelt one: a key with the same last part
    /// (`max_retries` → `retry.max_retries`), else one within two edits of it or of
    /// `extraNames` (names valid where the key was found, such as `profile`).
    static func suggestion(for unknown: String, extraNames: [String]) -> String? {
        let last = unknown.split(separator: ".").last.map(String.init) ?? unknown
        if let sameName = allCases.first(where: { $0.rawValue.split(separator: ".").last.map(String.init) == last }) {
            return sameName.rawValue == unknown ? nil : sameName.rawValue
        }
        let candidates = allCases.map(\.rawValue) + tableNames.sorted() + extraNames
        let scored = candidates.map { (name: $0, distance: editDistance($0, unknown)) }
            .filter { $0.distance <= 2 }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.first?.name
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, charA) in a.enumerated() {
            var current = [i + 1]
            for (j, charB) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (charA == charB ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// A POSIX-style name: ASCII letters, digits and `_`, not starting with a digit.
    private static func isVariableName(_ name: String) -> Bool {
        let isLetter: (Unicode.Scalar) -> Bool = { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Long or multi-line prompts are cut for display: the first 60 characters, quoted.
    private static func abbreviated(_ text: String) -> String {
        text.count <= 60 ? ConfigValue.quoted(text) : ConfigValue.quoted(String(text.prefix(60))) + "…"
    }
}
