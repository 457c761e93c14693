import Foundation

/// Which wire format chat requests use.
public enum WireAPI: String, Sendable, Equatable, CaseIterable {
    /// Ollama's native API when `GET /api/version` answers like Ollama, else OpenAI's.
    case auto
    /// `POST api_path` (default `/v1/chat/completions`) with SSE.
    case openAI = "openai"
    /// Ollama's `POST /api/chat` with NDJSON, which can set the context window (`num_ctx`).
    case ollama
}

/// Everything the client needs to reach one model. Durations are in seconds to match the config file.
public struct LLMConfig: Sendable, Equatable {
    public var model: String
    /// Origin of the server, e.g. `http://127.0.0.1:11434`; a path prefix is kept (`https://host/openai`).
    public var endpoint: String
    public var apiPath: String
    /// Never written to disk or logs.
    public var apiKey: String?
    public var requestTimeout: Double
    public var connectTimeout: Double
    public var temperature: Double?
    public var maxTokens: Int?
    public var maxRetries: Int
    public var backoffBase: Double
    public var backoffMax: Double
    /// Longest silence allowed while waiting for the next bytes of an answer before it counts as stalled.
    public var streamIdleTimeout: Double
    public var api: WireAPI
    /// The window to assume and, on Ollama, to ask for (`num_ctx`); nil to discover it.
    public var contextWindow: Int?
    /// Longest SSE event or NDJSON line read before the stream counts as malformed (tests lower it).
    var maxStreamLineBytes = SSEParser.defaultMaxBytes

    /// The `num_ctx` agent asks Ollama for when the model was trained for more and nothing else
    /// says: Ollama allocates the KV cache for the whole window when it loads the model, so a
    /// 128k window costs a 7–8B model some 16 GiB beyond its weights, more than a laptop has;
    /// 16,384 tokens costs about 2 GiB and holds a working session.
    public static let ollamaDefaultNumCtx = 16_384

    public init(
        model: String,
        endpoint: String = "http://127.0.0.1:11434",
        apiPath: String = "/v1/chat/completions",
        apiKey: String? = nil,
        requestTimeout: Double = 600,
        connectTimeout: Double = 10,
        temperature: Double? = nil,
        maxTokens: Int? = nil,
        maxRetries: Int = 3,
        backoffBase: Double = 1,
        backoffMax: Double = 30,
        streamIdleTimeout: Double = 60,
        api: WireAPI = .auto,
        contextWindow: Int? = nil
    ) {
        self.model = model
        self.endpoint = endpoint
        self.apiPath = apiPath
        self.apiKey = apiKey
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.maxRetries = maxRetries
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.streamIdleTimeout = streamIdleTimeout
        self.api = api
        self.contextWindow = contextWindow
    }

    /// The endpoint without a trailing slash, so paths join cleanly.
    var origin: String {
        var e = endpoint
        while e.hasSuffix("/") { e.removeLast() }
        return e
    }

    func url(_ path: String) -> String {
        origin + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// Ollama's default port: errors then name Ollama, which is what most local users run.
    var looksLikeOllama: Bool { origin.hasSuffix(":11434") }
}
