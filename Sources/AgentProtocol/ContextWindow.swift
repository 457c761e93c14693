/// How many tokens a model holds at once (prompt and answer together), and how agent knows it.
public struct ContextWindow: Sendable, Equatable, Hashable, Codable {
    public var tokens: Int
    public var source: Source

    public init(tokens: Int, source: Source) {
        self.tokens = tokens
        self.source = source
    }

    /// Where a window figure came from, best first. Stored in session files by its raw value.
    public enum Source: String, Sendable, Equatable, Hashable, Codable {
        /// `context_window` in the configuration.
        case configured = "config"
        /// Ollama's `/api/ps`: the window the model is loaded with now (agent asks for the same).
        case ollamaLoaded = "ollama-ps"
        /// Ollama's `/api/show`: the model's trained window, small enough to ask for whole.
        case ollamaTrained = "ollama-show"
        /// Agent's default `num_ctx` for Ollama, below the model's trained window.
        case ollamaDefault = "ollama-default"
        /// llama.cpp's `/props` (`default_generation_settings.n_ctx`, per slot).
        case llamaCppProps = "props"
        /// `/v1/models` → `data[].meta.n_ctx` (llama.cpp).
        case modelsMeta = "models-meta"
        /// `/v1/models` → `data[].max_model_len` (vLLM).
        case vllm = "vllm"
        /// LM Studio's `/api/v0/models` (`loaded_context_length` or `max_context_length`).
        case lmStudio = "lmstudio"
        /// A request the server refused as too large named the window.
        case serverError = "server-error"
        /// The server does not say; agent assumes `ContextWindow.fallbackTokens`.
        case fallback = "fallback"
    }

    /// What agent assumes when nothing says otherwise. Servers that publish no window are mostly
    /// hosted APIs with far larger ones; a smaller server's "context exceeded" answer names its
    /// window, which agent then learns (trimming and retrying that request once).
    public static let fallbackTokens = 32_768

    public static let fallback = ContextWindow(tokens: fallbackTokens, source: .fallback)
}

extension ContextWindow.Source {
    /// A source a later version wrote and this one does not know reads as `.fallback`, so the
    /// message that carries it is never lost.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = Self(rawValue: raw) ?? .fallback
    }
}

extension ContextWindow.Source: CustomStringConvertible {
    /// The phrase a front end puts in parentheses after the figure.
    public var description: String {
        switch self {
        case .configured: "from context_window in the config"
        case .ollamaLoaded: "from Ollama's /api/ps"
        case .ollamaTrained: "from Ollama's /api/show"
        case .ollamaDefault: "agent's num_ctx for Ollama, below the model's trained window"
        case .llamaCppProps: "from the server's /props"
        case .modelsMeta: "from the server's /v1/models"
        case .vllm: "from vLLM's max_model_len"
        case .lmStudio: "from LM Studio's /api/v0/models"
        case .serverError: "from the server's context-size error"
        case .fallback: "assumed: the server does not say"
        }
    }
}

/// What a model's server says about it, beyond its name.
public struct ModelInfo: Sendable, Equatable {
    /// Nil when nothing is known; the engine then assumes `ContextWindow.fallback`.
    public var window: ContextWindow?
    /// False when the server says the model cannot call tools (Ollama's `capabilities`).
    public var supportsTools: Bool

    public init(window: ContextWindow? = nil, supportsTools: Bool = true) {
        self.window = window
        self.supportsTools = supportsTools
    }
}

/// The server refused a request because it does not fit the model's context window. The figures
/// are those the server named, when it named them.
public struct ContextOverflow: Error, Sendable, Equatable {
    public var window: Int?
    public var promptTokens: Int?
    public var message: String

    public init(window: Int?, promptTokens: Int?, message: String) {
        self.window = window
        self.promptTokens = promptTokens
        self.message = message
    }
}

/// An error that may say the request was too large for the context window; the engine trims
/// and retries such a request once.
public protocol ContextOverflowReporting: Error {
    var contextOverflow: ContextOverflow? { get }
}
