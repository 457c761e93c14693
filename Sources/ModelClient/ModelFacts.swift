import AgentProtocol
import Foundation

/// What discovery learned about one model on one server.
struct ModelFacts: Sendable, Equatable {
    var window: ContextWindow?
    /// What to send as Ollama's `options.num_ctx`; nil on other servers.
    var numCtx: Int?
    /// Ollama's `capabilities` (`completion`, `tools`, `thinking`, `vision`…); nil when unknown.
    var capabilities: Set<String>?

    var info: ModelInfo {
        ModelInfo(window: window, supportsTools: capabilities.map { $0.contains("tools") } ?? true)
    }
}

/// Reads the window figures out of the servers' answers. Pure, so each source is tested on the
/// JSON its server sends.
enum WindowFigures {
    /// Ollama `/api/show`: the trained window `model_info["<architecture>.context_length"]` and
    /// the capabilities.
    static func ollamaShow(_ body: String) -> (trained: Int?, capabilities: Set<String>?)? {
        guard let object = jsonObject(body) else { return nil }
        let info = object["model_info"] as? [String: Any]
        var trained: Int?
        if let info, let architecture = info["general.architecture"] as? String {
            trained = tokens(info["\(architecture).context_length"])
        }
        let capabilities = (object["capabilities"] as? [Any]).map { Set($0.compactMap { $0 as? String }) }
        return (trained, capabilities)
    }

    /// Ollama `/api/ps`: the window `model` is loaded with now, if it is loaded.
    static func ollamaLoaded(_ body: String, model: String) -> Int? {
        guard let models = jsonObject(body)?["models"] as? [[String: Any]] else { return nil }
        let entry = models.first { entry in
            [entry["name"], entry["model"]].contains { ($0 as? String).map { sameOllamaName($0, model) } ?? false }
        }
        return entry.flatMap { tokens($0["context_length"]) }
    }

    /// `qwen3` and `qwen3:latest` name the same model.
    static func sameOllamaName(_ a: String, _ b: String) -> Bool {
        func full(_ name: String) -> String { name.contains(":") ? name : name + ":latest" }
        return full(a) == full(b)
    }

    /// llama.cpp `/props`: `default_generation_settings.n_ctx`, the window of one slot.
    static func llamaCppProps(_ body: String) -> Int? {
        guard let object = jsonObject(body) else { return nil }
        if let settings = object["default_generation_settings"] as? [String: Any], let n = tokens(settings["n_ctx"]) {
            return n
        }
        return tokens(object["n_ctx"])
    }

    /// `/v1/models`: llama.cpp's `meta.n_ctx`, or vLLM's `max_model_len`, for `model` (or the
    /// only model listed).
    static func modelsList(_ body: String, model: String) -> ContextWindow? {
        guard let entry = listEntry(body, model: model) else { return nil }
        if let meta = entry["meta"] as? [String: Any], let n = tokens(meta["n_ctx"]) {
            return ContextWindow(tokens: n, source: .modelsMeta)
        }
        if let n = tokens(entry["max_model_len"]) { return ContextWindow(tokens: n, source: .vllm) }
        return nil
    }

    /// LM Studio `/api/v0/models`: the loaded window, else the model's maximum.
    static func lmStudio(_ body: String, model: String) -> Int? {
        guard let entry = listEntry(body, model: model) else { return nil }
        return tokens(entry["loaded_context_length"]) ?? tokens(entry["max_context_length"])
    }

    /// Every model of a `/v1/models`-shaped list with the window it names, if any.
    static func listedWindows(_ body: String) -> [(id: String, window: Int?)] {
        guard let data = jsonObject(body)?["data"] as? [[String: Any]] else { return [] }
        return data.compactMap { entry in
            guard let id = entry["id"] as? String else { return nil }
            let meta = entry["meta"] as? [String: Any]
            let window = tokens(meta?["n_ctx"]) ?? tokens(entry["max_model_len"])
                ?? tokens(entry["loaded_context_length"]) ?? tokens(entry["max_context_length"])
            return (id, window)
        }
    }

    private static func listEntry(_ body: String, model: String) -> [String: Any]? {
        guard let data = jsonObject(body)?["data"] as? [[String: Any]] else { return nil }
        if let exact = data.first(where: { $0["id"] as? String == model }) { return exact }
        return data.count == 1 ? data.first : nil
    }

    /// A window from JSON: a whole number of at least 256 tokens (no model holds less; it also
    /// keeps a JSON `true` from reading as 1) and at most a billion, else nil.
    static func tokens(_ value: Any?) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double.rounded() == double, (256...1_000_000_000).contains(double) else { return nil }
        return Int(double)
    }

    static func jsonObject(_ body: String) -> [String: Any]? {
        guard let data = body.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
