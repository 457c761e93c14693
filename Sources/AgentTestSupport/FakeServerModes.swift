import AgentProtocol
import Foundation

/// How a fake Ollama behaves: what `/api/version`, `/api/show` and `/api/ps` say, and how its
/// `/api/chat` treats a prompt larger than the window the model is loaded with.
public struct FakeOllama: Sendable {
    public var models: [String]
    /// `model_info["llama.context_length"]` in `/api/show`.
    public var trainedWindow: Int
    /// The window a request without `options.num_ctx` gets (Ollama's own default).
    public var defaultWindow: Int
    /// What `/api/ps` reports before any request; nil when nothing is loaded.
    public var loadedWindow: Int?
    public var capabilities: [String]
    /// Characters a token when the fake counts a prompt.
    public var charactersPerToken: Int

    public init(
        models: [String] = ["test-model:latest"], trainedWindow: Int = 32_768, defaultWindow: Int = 4_096,
        loadedWindow: Int? = nil, capabilities: [String] = ["completion", "tools"], charactersPerToken: Int = 4
    ) {
        self.models = models
        self.trainedWindow = trainedWindow
        self.defaultWindow = defaultWindow
        self.loadedWindow = loadedWindow
        self.capabilities = capabilities
        self.charactersPerToken = charactersPerToken
    }
}

/// How a fake llama.cpp server behaves: one model, a fixed window per slot, a 400 for a prompt
/// over it, and 503 "Loading model" for its first `loadingRequests` requests.
public struct FakeLlamaCpp: Sendable {
    public var model: String
    public var window: Int
    public var charactersPerToken: Int
    public var loadingRequests: Int
    /// Whether `/props` answers (older servers and other backends answer 404).
    public var servesProps: Bool

    public init(model: String = "smollm2", window: Int = 4_096, charactersPerToken: Int = 3, loadingRequests: Int = 0,
                servesProps: Bool = true) {
        self.model = model
        self.window = window
        self.charactersPerToken = charactersPerToken
        self.loadingRequests = loadingRequests
        self.servesProps = servesProps
    }
}

/// How a fake server counts a prompt: every message's text and tool-call arguments, plus 12
/// characters a message for the chat template, at `charactersPerToken`. Tool schemas are not
/// counted (SmolLM2's template leaves them out).
public enum FakePromptCount {
    public static func tokens(_ messages: [JSONValue], charactersPerToken: Int) -> Int {
        let characters = messages.reduce(0) { total, message in
            let object = message.objectValue ?? [:]
            var count = 12 + (object["content"]?.stringValue?.count ?? 0)
            if case .array(let calls)? = object["tool_calls"] {
                for call in calls { count += call.objectValue?["function"]?.jsonText.count ?? 0 }
            }
            return total + count
        }
        let per = max(1, charactersPerToken)
        return (characters + per - 1) / per
    }
}

/// Lines of Ollama's `/api/chat` stream, for fake-server scripts.
public enum NDJSON {
    static func line(_ json: JSONValue) -> String { json.jsonText + "\n" }

    static func message(_ fields: [String: JSONValue]) -> String {
        var message = fields
        message["role"] = "assistant"
        if message["content"] == nil { message["content"] = "" }
        return line(["model": "test-model", "created_at": "2026-11-27T10:00:00Z", "message": .object(message), "done": false])
    }

    public static func content(_ text: String) -> String { message(["content": .string(text)]) }

    public static func thinking(_ text: String) -> String { message(["thinking": .string(text)]) }

    /// One whole tool call, arguments as a JSON object, no id (as Ollama sends them).
    public static func toolCall(name: String, arguments: JSONValue) -> String {
        message(["tool_calls": [["function": ["name": .string(name), "arguments": arguments]]]])
    }

    public static func done(reason: String = "stop", prompt: Int = 10, eval: Int = 5) -> String {
        line([
            "model": "test-model", "created_at": "2026-11-27T10:00:01Z", "message": ["role": "assistant", "content": ""],
            "done": true, "done_reason": .string(reason), "prompt_eval_count": .number(Double(prompt)),
            "eval_count": .number(Double(eval)), "total_duration": 123_456_789, "eval_duration": 100_000_000,
        ])
    }

    public static func error(_ text: String) -> String { line(["error": .string(text)]) }

    /// A complete answer: each text as one line, then the `done` line.
    public static func answer(_ pieces: [String], prompt: Int = 10, eval: Int = 5) -> [String] {
        pieces.map(content) + [done(prompt: prompt, eval: eval)]
    }
}
