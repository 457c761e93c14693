import AgentProtocol
import Foundation

/// The Ollama and llama.cpp modes of the fake server: their discovery routes, and what each does
/// with a prompt over its window (Ollama drops the oldest messages without a word; llama.cpp
/// answers 400).
extension FakeModelServer {
    /// The prompt size the fake counts for `request` (see `FakePromptCount`).
    public func promptTokens(_ request: RecordedRequest) -> Int {
        let perToken: Int = switch flavor {
        case .ollamaNative(let ollama): ollama.charactersPerToken
        case .llamaCpp(let llama): llama.charactersPerToken
        case .ollama, .openAI: 4
        }
        return FakePromptCount.tokens(request.messages, charactersPerToken: perToken)
    }

    /// Answers that come before the script: llama.cpp loading its model or refusing an oversized
    /// prompt. Ollama's silent drop is recorded here too (it then answers from the script).
    func intercept(_ request: RecordedRequest) -> FakeReply? {
        switch flavor {
        case .llamaCpp(let llama):
            let loading = state.withLock { state -> Bool in
                state.requestCount += 1
                return state.requestCount <= llama.loadingRequests
            }
            if loading {
                return .status(503, body: #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#)
            }
            guard request.isChat else { return nil }
            let tokens = promptTokens(request)
            guard tokens > llama.window else { return nil }
            state.withLock { $0.overflowRefusals += 1 }
            let message = "request (\(tokens) tokens) exceeds the available context size (\(llama.window) tokens), "
                + "try increasing it"
            let body: JSONValue = ["error": [
                "code": 400, "message": .string(message), "type": "exceed_context_size_error",
                "n_prompt_tokens": .number(Double(tokens)), "n_ctx": .number(Double(llama.window)),
            ]]
            return .status(400, body: body.jsonText)
        case .ollamaNative(let ollama):
            guard request.path == "/api/chat" else { return nil }
            let numCtx = request.json?.objectValue?["options"]?.objectValue?["num_ctx"].flatMap(Self.integer)
            let window = numCtx ?? ollama.defaultWindow
            let dropped = Self.silentlyDropped(request.messages, window: window, perToken: ollama.charactersPerToken)
            state.withLock { state in
                state.loadedWindow = window
                state.droppedMessages += dropped
            }
            return nil
        case .ollama, .openAI:
            return nil
        }
    }

    /// How many of the oldest non-system messages Ollama would drop to fit `window`.
    static func silentlyDropped(_ messages: [JSONValue], window: Int, perToken: Int) -> Int {
        var kept = messages
        var dropped = 0
        while FakePromptCount.tokens(kept, charactersPerToken: perToken) > window,
            let oldest = kept.firstIndex(where: { $0.objectValue?["role"] != "system" }), kept.count > 1
        {
            kept.remove(at: oldest)
            dropped += 1
        }
        return dropped
    }

    static func integer(_ value: JSONValue) -> Int? {
        if case .number(let n) = value, n.isFinite, n.rounded() == n, abs(n) < 1e9 { return Int(n) }
        return nil
    }

    /// The discovery routes of the Ollama and llama.cpp modes; nil for everything else.
    func routeMode(_ request: RecordedRequest) -> FakeReply? {
        switch flavor {
        case .ollamaNative(let ollama): return ollamaRoute(request, ollama)
        case .llamaCpp(let llama): return llamaCppRoute(request, llama)
        case .ollama, .openAI: return nil
        }
    }

    private func ollamaRoute(_ request: RecordedRequest, _ ollama: FakeOllama) -> FakeReply? {
        switch request.path {
        case "/api/version":
            return .json(#"{"version":"0.30.2"}"#)
        case "/api/tags":
            let list = ollama.models.map { JSONValue.object(["name": .string($0), "model": .string($0)]) }
            return .json(JSONValue.object(["models": .array(list)]).jsonText)
        case "/v1/models":
            let list = ollama.models.map { JSONValue.object(["id": .string($0), "object": "model", "owned_by": "library"]) }
            return .json(JSONValue.object(["object": "list", "data": .array(list)]).jsonText)
        case "/api/show":
            let name = request.json?.objectValue?["model"]?.stringValue ?? ""
            guard ollama.models.contains(where: { $0 == name || $0 == name + ":latest" }) else {
                return .status(404, body: #"{"error":"model '\#(name)' not found"}"#)
            }
            let show: JSONValue = [
                "model_info": [
                    "general.architecture": "llama", "llama.context_length": .number(Double(ollama.trainedWindow)),
                ],
                "capabilities": .array(ollama.capabilities.map(JSONValue.string)),
            ]
            return .json(show.jsonText)
        case "/api/ps":
            let loaded = state.withLock { $0.loadedWindow } ?? ollama.loadedWindow
            let models: [JSONValue] = loaded.map { window in
                [["name": .string(ollama.models.first ?? "m"), "model": .string(ollama.models.first ?? "m"),
                  "context_length": .number(Double(window))]]
            } ?? []
            return .json(JSONValue.object(["models": .array(models)]).jsonText)
        default:
            return nil
        }
    }

    private func llamaCppRoute(_ request: RecordedRequest, _ llama: FakeLlamaCpp) -> FakeReply? {
        switch request.path {
        case "/props":
            guard llama.servesProps else { return .status(404, body: "File Not Found") }
            let props: JSONValue = ["default_generation_settings": ["n_ctx": .number(Double(llama.window))], "total_slots": 1]
            return .json(props.jsonText)
        case "/tokenize":
            let content = request.json?.objectValue?["content"]?.stringValue ?? ""
            let count = (content.count + llama.charactersPerToken - 1) / max(1, llama.charactersPerToken)
            return .json(JSONValue.object(["tokens": .array((0..<count).map { .number(Double($0 % 1000)) })]).jsonText)
        case "/v1/models":
            let entry: JSONValue = [
                "id": .string(llama.model), "object": "model", "owned_by": "llamacpp",
                "meta": ["n_ctx_train": 8192, "n_ctx": .number(Double(llama.window))],
            ]
            return .json(JSONValue.object(["object": "list", "data": [entry]]).jsonText)
        default:
            return .status(404, body: "File Not Found")
        }
    }
}
