import AgentProtocol

/// Every configuration key with its effective value.
///
/// `Settings()` holds the built-in defaults. The loader starts from it and applies the file,
/// the profile, the environment, `-c` overrides and flags in that order; every value it stores
/// has passed the key's validation, so consumers may rely on the ranges documented here.
public struct Settings: Sendable, Hashable {
    /// The model name sent with every request.
    public var model = "llama3.2"
    /// Scheme, host, port and optional path prefix of the server, without a trailing slash;
    /// always an `http` or `https` URL.
    public var endpoint = "http://127.0.0.1:11434"
    /// Path of the chat completions route, appended to `endpoint`; starts with `/`.
    public var apiPath = "/v1/chat/completions"
    /// Which chat API to speak: Ollama's native one when the server is Ollama (`auto`), or one
    /// of them always.
    public var api = ChatAPI.auto
    /// The model's context window in tokens (256...100,000,000), or nil to learn it from the
    /// server; on Ollama it is also the `num_ctx` agent asks for.
    public var contextWindow: Int?
    /// Name of the environment variable that holds the API key, or nil to use
    /// `AGENT_API_KEY` / `OPENAI_API_KEY`.
    public var apiKeyEnv: String?
    /// Whether the API key may be sent over plain `http` to a host that is not loopback
    /// (anyone on the path can read it). Off: agent refuses to start instead.
    public var allowInsecureHTTP = false
    /// Sampling temperature in 0...2, or nil for the server's default.
    public var temperature: Double?
    /// Upper bound on generated tokens (> 0), or nil for the server's default.
    public var maxTokens: Int?
    /// Seconds allowed for a whole request (> 0).
    public var timeout: Double = 600
    /// Seconds allowed to open the connection (> 0).
    public var connectTimeout: Double = 10
    /// Replaces the built-in system prompt when set.
    public var systemPrompt: String?
    /// Whether the model's reasoning text is shown.
    public var showReasoning = true
    /// Whether output may use colour; `NO_COLOR` and `--no-color` turn it off.
    public var color = true
    public var retry = Retry()
    public var truncation = Truncation()
    public var compaction = Compaction()
    public var sessions = Sessions()
    public var tools = Tools()

    public init() {}

    /// Full URL of the chat completions route: `endpoint` followed by `apiPath`.
    public var chatURL: String { endpoint + apiPath }

    /// The `[retry]` table: how failed requests are retried.
    public struct Retry: Sendable, Hashable {
        /// Retries after the first attempt (>= 0).
        public var maxRetries = 3
        /// Seconds before the first retry; doubles on each attempt (>= 0).
        public var backoffBase: Double = 1.0
        /// Ceiling on the wait between retries in seconds (>= `backoffBase`).
        public var backoffMax: Double = 30.0
        /// Seconds without a byte on an open stream before it counts as stalled (> 0).
        public var streamIdleTimeout: Double = 60.0

        public init() {}
    }

    /// The `[truncation]` table: when old conversation turns are dropped.
    public struct Truncation: Sendable, Hashable {
        /// An optional lower cap (> 0) on the tokens the history may take; the model's window
        /// always bounds it, so nil is the default.
        public var thresholdTokens: Int?
        /// Most recent messages always kept (>= 1).
        public var keepRecent = 8

        public init() {}
    }

    /// The `[compaction]` table: when the conversation is summarised to fit the window.
    public struct Compaction: Sendable, Hashable {
        /// Whether agent compacts by itself when the history passes `autoAt`.
        public var auto = true
        /// The share (0.1...1) of what the history may take in one request past which it is
        /// compacted before the request.
        public var autoAt = 0.8

        public init() {}
    }

    /// The `[sessions]` table: where conversations are saved and how long they are kept.
    public struct Sessions: Sendable, Hashable {
        /// Directory for session files, or nil for `$XDG_STATE_HOME/agent/sessions`
        /// (see `ResolvedConfig.sessionsDirectory` for the effective path).
        public var dir: String?
        /// Whether each conversation is saved as it goes.
        public var autosave = true
        /// Most sessions kept; older ones are pruned (>= 0; 0 never prunes by count).
        public var keep = 100
        /// Sessions older than this many days are pruned (>= 0; 0 never prunes by age).
        public var maxAgeDays = 30

        public init() {}
    }

    /// The `[tools]` table: how tool calls are approved and bounded.
    public struct Tools: Sendable, Hashable {
        /// Which tool calls need the user's approval.
        public var approval = ApprovalMode.ask
        /// Seconds a shell command may run before it is killed (> 0).
        public var shellTimeout: Double = 120
        /// Whether each turn that changes files is checkpointed, so `/undo` can put them back.
        public var checkpoints = true

        public init() {}
    }
}
