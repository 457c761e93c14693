import AsyncHTTPClient
import Foundation
import NIOCore

/// What the server said before the first prompt.
public struct PreflightResult: Sendable, Equatable {
    public enum Server: Sendable, Equatable {
        case ollama
        case openAICompatible
    }

    public var server: Server
    public var models: [String]
    /// The name to send: the configured one, or the single model a llama.cpp server serves.
    public var model: String
}

extension LLMClient {
    /// Checks that the endpoint answers and serves the configured model: Ollama's `/api/tags`
    /// first, then `/v1/models` (llama.cpp, vLLM, LM Studio, OpenAI). No retries: a user waiting
    /// at start-up wants the reason at once.
    public func preflight() async throws(ModelClientError) -> PreflightResult {
        guard let url = URL(string: config.origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else { throw .invalidEndpoint(config.endpoint) }

        let (tagsStatus, tagsBody) = try await get("/api/tags")
        if tagsStatus == 200, let names = Self.ollamaModels(tagsBody) {
            return try match(server: .ollama, models: names, llamaCppSingle: false)
        }
        let (status, body) = try await get("/v1/models")
        guard status == 200 else {
            throw .httpStatus(code: status, message: ServerErrorText.extract(body), retryAfter: nil)
        }
        guard let (ids, llamaCpp) = Self.openAIModels(body) else {
            throw .malformedStream("/v1/models did not return a model list")
        }
        return try match(server: .openAICompatible, models: ids, llamaCppSingle: llamaCpp && ids.count == 1)
    }

    private func match(server: PreflightResult.Server, models: [String], llamaCppSingle: Bool)
        throws(ModelClientError) -> PreflightResult
    {
        let wanted = config.model
        if let exact = models.first(where: { $0 == wanted }) {
            return PreflightResult(server: server, models: models, model: exact)
        }
        // `qwen3` matches `qwen3:latest`; `qwen3:latest` matches a server that lists `qwen3`.
        func base(_ name: String) -> Substring { name.split(separator: ":", maxSplits: 1).first ?? Substring(name) }
        if models.contains(where: { $0 == wanted + ":latest" || base($0) == wanted || $0 == base(wanted) }) {
            return PreflightResult(server: server, models: models, model: wanted)
        }
        // llama.cpp serves one model and answers to any name.
        if llamaCppSingle || models.isEmpty {
            return PreflightResult(server: server, models: models, model: wanted)
        }
        throw .modelNotFound(model: wanted, available: models)
    }

    private func get(_ path: String) async throws(ModelClientError) -> (Int, String) {
        var request = HTTPClientRequest(url: config.url(path))
        if let key = config.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        do {
            let response = try await execute(request)
            let body = try await response.body.collect(upTo: 8 << 20)
            return (Int(response.status.code), String(buffer: body))
        } catch let error as ModelClientError {
            throw error
        } catch {
            throw TransportErrorMapper.map(error, endpoint: config.origin, ollama: config.looksLikeOllama)
        }
    }

    static func ollamaModels(_ body: String) -> [String]? {
        struct Tags: Decodable {
            struct Model: Decodable { var name: String?; var model: String? }
            var models: [Model]
        }
        guard let tags = try? JSONDecoder().decode(Tags.self, from: Data(body.utf8)) else { return nil }
        return tags.models.compactMap { $0.name ?? $0.model }
    }

    static func openAIModels(_ body: String) -> ([String], llamaCpp: Bool)? {
        struct List: Decodable {
            struct Model: Decodable {
                var id: String
                var ownedBy: String?
                enum CodingKeys: String, CodingKey { case id, ownedBy = "owned_by" }
            }
            var data: [Model]
        }
        guard let list = try? JSONDecoder().decode(List.self, from: Data(body.utf8)) else { return nil }
        return (list.data.map(\.id), list.data.contains { $0.ownedBy == "llamacpp" })
    }
}
