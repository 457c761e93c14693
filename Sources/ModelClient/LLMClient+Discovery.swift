import AgentProtocol
import AsyncHTTPClient
import Foundation
import NIOCore

/// Learning what the server is and what the model holds, off the start-up path: the preflight
/// starts it and the first request (or `/session`) awaits it.
extension LLMClient {
    /// What the server says about the model; see `ChatModel.modelInfo()`.
    public func modelInfo() async -> ModelInfo {
        await modelFacts().info
    }

    /// llama.cpp's `/tokenize` count of `text` (the only server that offers one); nil elsewhere or
    /// when it fails.
    public func countTokens(_ text: String) async -> Int? {
        guard await modelFacts().window?.source == .llamaCppProps else { return nil }
        let body = JSONValue.object(["content": .string(text)]).jsonText
        guard let (status, answer) = try? await post("/tokenize", body: body, timeout: discoveryTimeout), status == 200,
            let tokens = WindowFigures.jsonObject(answer)?["tokens"] as? [Any]
        else { return nil }
        return tokens.count
    }

    /// Starts discovery in the background; idempotent.
    public func beginDiscovery() {
        let client = self
        facts.start { await client.discover() }
    }

    func modelFacts() async -> ModelFacts {
        let client = self
        return await facts.value { await client.discover() }
    }

    /// The wire format to use: the configured one, else what the preflight found, else (a client
    /// used without a preflight) what `GET /api/version` says.
    func serverKind() async -> PreflightResult.Server {
        switch config.api {
        case .ollama: return .ollama
        case .openAI: return .openAICompatible
        case .auto:
            let client = self
            return await wire.value { await client.probeOllama() ? .ollama : .openAICompatible }
        }
    }

    /// True when `GET /api/version` answers with Ollama's `{"version": "…"}`.
    func probeOllama() async -> Bool {
        guard let (status, body) = try? await get("/api/version", timeout: discoveryTimeout), status == 200 else {
            return false
        }
        return WindowFigures.jsonObject(body)?["version"] is String
    }

    /// Discovery requests wait no longer than this for the server's answer.
    var discoveryTimeout: Double { Swift.min(Seconds.clamped(config.connectTimeout, fallback: 10) + 5, 30) }

    func discover() async -> ModelFacts {
        switch await serverKind() {
        case .ollama: return await discoverOllama()
        case .openAICompatible: return await discoverOpenAICompatible()
        }
    }

    /// `/api/show` (trained window, capabilities) and `/api/ps` (what is loaded now), together.
    private func discoverOllama() async -> ModelFacts {
        let name = config.model
        let body = JSONValue.object(["model": .string(name)]).jsonText
        async let show = try? post("/api/show", body: body, timeout: discoveryTimeout)
        async let ps = try? get("/api/ps", timeout: discoveryTimeout)
        let shown = await show.flatMap { $0.0 == 200 ? WindowFigures.ollamaShow($0.1) : nil }
        let loaded = await ps.flatMap { $0.0 == 200 ? WindowFigures.ollamaLoaded($0.1, model: name) : nil }
        let window = Self.ollamaWindow(configured: config.contextWindow, trained: shown?.trained, loaded: loaded)
        return ModelFacts(window: window, numCtx: window.tokens, capabilities: shown?.capabilities ?? nil)
    }

    /// The `num_ctx` to ask for: the configured window; else what the model is loaded with when
    /// that is more than agent's default (asking for less would reload it smaller); else the
    /// trained window up to `LLMConfig.ollamaDefaultNumCtx`.
    static func ollamaWindow(configured: Int?, trained: Int?, loaded: Int?) -> ContextWindow {
        if let configured { return ContextWindow(tokens: configured, source: .configured) }
        let ceiling = trained ?? Int.max
        let preferred = Swift.min(ceiling, LLMConfig.ollamaDefaultNumCtx)
        if let loaded, loaded > preferred, loaded <= ceiling {
            return ContextWindow(tokens: loaded, source: .ollamaLoaded)
        }
        if let trained, trained <= LLMConfig.ollamaDefaultNumCtx {
            return ContextWindow(tokens: trained, source: .ollamaTrained)
        }
        return ContextWindow(tokens: preferred, source: .ollamaDefault)
    }

    /// llama.cpp's `/props`, then the `/v1/models` list (llama.cpp's meta, vLLM), then LM Studio's
    /// `/api/v0/models`; else nothing is known and the engine assumes its fallback.
    private func discoverOpenAICompatible() async -> ModelFacts {
        if let configured = config.contextWindow {
            return ModelFacts(window: ContextWindow(tokens: configured, source: .configured))
        }
        let name = config.model
        if let (status, body) = try? await get("/props", timeout: discoveryTimeout), status == 200,
            let n = WindowFigures.llamaCppProps(body)
        {
            return ModelFacts(window: ContextWindow(tokens: n, source: .llamaCppProps))
        }
        let client = self
        let list = await modelsBody.value {
            guard let (status, body) = try? await client.get("/v1/models", timeout: client.discoveryTimeout),
                status == 200
            else { return nil }
            return body
        }
        if let list, let window = WindowFigures.modelsList(list, model: name) {
            return ModelFacts(window: window)
        }
        if let (status, body) = try? await get("/api/v0/models", timeout: discoveryTimeout), status == 200,
            let n = WindowFigures.lmStudio(body, model: name)
        {
            return ModelFacts(window: ContextWindow(tokens: n, source: .lmStudio))
        }
        return ModelFacts(window: nil)
    }
}
