import Foundation

/// Token counts as the server reported them.
public struct Usage: Codable, Sendable, Equatable {
    /// The whole prompt, cached part included.
    public var promptTokens: Int
    public var completionTokens: Int
    /// Prompt tokens the server served from its cache instead of reading them again (llama.cpp's
    /// `timings.cache_n`, OpenAI's `cached_tokens`, Ollama's `prompt_eval_cached_count`); nil
    /// when it does not say.
    public var cachedPromptTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// A fragment of a tool call as it streams. Servers differ: some send `index`, some only `id`,
/// some the whole call at once; `AgentCore.ToolCallAssembler` puts the pieces together.
public struct ToolCallDelta: Sendable, Equatable {
    public var index: Int?
    public var id: String?
    public var name: String?
    /// A fragment of the JSON arguments text (or the whole text when a server sends it at once).
    public var arguments: String?

    public init(index: Int? = nil, id: String? = nil, name: String? = nil, arguments: String? = nil) {
        self.index = index
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// A retry that the client is about to make, so a front end can say so.
public struct RetryNotice: Sendable, Equatable {
    /// 1 for the first retry.
    public var attempt: Int
    public var maxRetries: Int
    public var delay: Duration
    public var reason: String

    public init(attempt: Int, maxRetries: Int, delay: Duration, reason: String) {
        self.attempt = attempt
        self.maxRetries = maxRetries
        self.delay = delay
        self.reason = reason
    }
}

/// What a chat model stream yields.
public enum ModelEvent: Sendable, Equatable {
    case content(String)
    case reasoning(String)
    case toolCall(ToolCallDelta)
    case usage(Usage)
    case finish(reason: String)
    /// Everything yielded since the current attempt began is void: the attempt failed and another
    /// follows. Consumers drop what they collected from it, so a retry never duplicates text.
    case attemptVoided
    case retrying(RetryNotice)
    /// Lines of the stream that were not chat chunks (not JSON, or JSON of no shape a chat
    /// chunk has) and were skipped; yielded once, after an answer that was otherwise read whole.
    case skippedLines(Int)
}

/// A streaming chat model. AgentCore talks to models only through this protocol.
public protocol ChatModel: Sendable {
    var modelName: String { get }
    /// Streams one answer. The stream throws when the model cannot answer after its retries;
    /// cancelling the consuming task cancels the request.
    func streamChat(messages: [Message], tools: [ToolSpec]) -> AsyncThrowingStream<ModelEvent, any Error>
    /// What the server says about the model (its context window above all). Learned once, at
    /// the latest on the first call; never fails (what cannot be learned is left unknown).
    func modelInfo() async -> ModelInfo
    /// The server's own count of the tokens in `text`, when it offers one (llama.cpp's
    /// `/tokenize`); nil otherwise. The engine uses it to calibrate its estimate before the first
    /// answer has reported a prompt size.
    func countTokens(_ text: String) async -> Int?
}

extension ChatModel {
    /// Nothing known: the engine assumes the fallback window and that tools work.
    public func modelInfo() async -> ModelInfo { ModelInfo() }
    public func countTokens(_ text: String) async -> Int? { nil }
}
