import AgentProtocol
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

/// One model the server offers, with its window where the server says.
public struct ModelListing: Sendable, Equatable {
    public var name: String
    public var window: Int?
}

extension LLMClient {
    /// Checks that the endpoint answers and serves the configured model: with `api = auto`,
    /// `GET /api/version` tells Ollama (then `/api/tags`) from the rest (`/v1/models`: llama.cpp,
    /// vLLM, LM Studio, OpenAI). No retries: a user waiting at start-up wants the reason at once;
    /// but a llama.cpp server still loading its model (503 "Loading model") is waited for, up to
    /// the connect timeout, with `onWaiting` called once a second to say so.
    public func preflight(onWaiting: (@Sendable (String) -> Void)? = nil) async throws(ModelClientError) -> PreflightResult {
        guard let url = URL(string: config.origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else { throw .invalidEndpoint(config.endpoint) }
        let waiter = LoadingWaiter(limit: config.connectTimeout, onWaiting: onWaiting)
        let (kind, listing) = try await identify(with: waiter)
        wire.set(kind)
        let result: PreflightResult
        switch kind {
        case .ollama:
            // Ollama lists the same names on /v1/models; /api/tags is asked only when that failed.
            var names = listing.flatMap { $0.0 == 200 ? Self.openAIModels($0.1)?.0 : nil }
            if names == nil {
                let (status, body) = try await waiter.get("/api/tags", with: self)
                guard status == 200, let tags = Self.ollamaModels(body) else {
                    throw .httpStatus(code: status, message: ServerErrorText.extract(body), retryAfter: nil)
                }
                names = tags
            }
            result = try match(server: .ollama, models: names ?? [], llamaCppSingle: false)
        case .openAICompatible:
            let answer: (Int, String)
            if let listing { answer = listing } else { answer = try await waiter.get("/v1/models", with: self) }
            let (status, body) = answer
            guard status == 200 else {
                throw .httpStatus(code: status, message: ServerErrorText.extract(body), retryAfter: nil)
            }
            guard let (ids, llamaCpp) = Self.openAIModels(body) else {
                throw .malformedStream("/v1/models did not return a model list")
            }
            modelsBody.set(body)
            result = try match(server: .openAICompatible, models: ids, llamaCppSingle: llamaCpp && ids.count == 1)
        }
        if result.model == config.model { beginDiscovery() }
        return result
    }

    /// Which server this is, and (with `api = auto`) its `/v1/models` answer, asked at the same
    /// time as `/api/version` so that telling the servers apart costs no extra round trip.
    private func identify(with waiter: LoadingWaiter) async throws(ModelClientError)
        -> (PreflightResult.Server, (Int, String)?)
    {
        switch config.api {
        case .ollama: return (.ollama, nil)
        case .openAI: return (.openAICompatible, nil)
        case .auto:
            async let version = waiter.result("/api/version", with: self)
            async let models = waiter.result("/v1/models", with: self)
            let (versionAnswer, listed) = await (version, models)
            let (status, body) = try versionAnswer.get()
            let isOllama = status == 200 && WindowFigures.jsonObject(body)?["version"] is String
            // A failed listing is asked again by the caller, which then reports its error.
            let listing: (Int, String)? = switch listed {
            case .success(let answer): answer
            case .failure: nil
            }
            return (isOllama ? .ollama : .openAICompatible, listing)
        }
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

    /// The server's models with their windows where known, for `/model`: on Ollama the window
    /// agent would ask for (from each model's `/api/show`), else what the `/v1/models` list or
    /// LM Studio's `/api/v0/models` names; `current` (the model in use) shows `currentWindow`.
    public func listModels(current: String, currentWindow: Int?) async throws(ModelClientError) -> [ModelListing] {
        switch await serverKind() {
        case .ollama:
            let (status, body) = try await get("/api/tags")
            guard status == 200, let names = Self.ollamaModels(body) else {
                throw .httpStatus(code: status, message: ServerErrorText.extract(body), retryAfter: nil)
            }
            return await ollamaWindows(names, current: current, currentWindow: currentWindow)
        case .openAICompatible:
            let (status, body) = try await get("/v1/models")
            guard status == 200 else { throw .httpStatus(code: status, message: ServerErrorText.extract(body), retryAfter: nil) }
            var listed = WindowFigures.listedWindows(body)
            if listed.allSatisfy({ $0.window == nil }), let (lmStatus, lmBody) = try? await get("/api/v0/models"),
                lmStatus == 200
            {
                let lm = WindowFigures.listedWindows(lmBody)
                listed = listed.map { entry in (entry.id, lm.first { $0.id == entry.id }?.window) }
            }
            return listed.map { entry in
                ModelListing(name: entry.id, window: entry.id == current ? currentWindow ?? entry.window : entry.window)
            }
        }
    }

    /// Asks `/api/show` for each model at once (at most 32 of them; the rest are listed bare).
    private func ollamaWindows(_ names: [String], current: String, currentWindow: Int?) async -> [ModelListing] {
        await withTaskGroup(of: (Int, Int?).self) { group in
            for (index, name) in names.prefix(32).enumerated() {
                group.addTask {
                    if WindowFigures.sameOllamaName(name, current) { return (index, currentWindow) }
                    let body = JSONValue.object(["model": .string(name)]).jsonText
                    guard let (status, text) = try? await post("/api/show", body: body, timeout: discoveryTimeout),
                        status == 200
                    else { return (index, nil) }
                    let trained = WindowFigures.ollamaShow(text)?.trained
                    return (index, Self.ollamaWindow(configured: config.contextWindow, trained: trained, loaded: nil).tokens)
                }
            }
            var windows = [Int?](repeating: nil, count: names.count)
            for await (index, window) in group { windows[index] = window }
            return zip(names, windows).map { ModelListing(name: $0, window: $1) }
        }
    }

    func get(_ path: String, timeout: Double? = nil) async throws(ModelClientError) -> (Int, String) {
        try await send(HTTPClientRequest(url: config.url(path)), timeout: timeout)
    }

    func post(_ path: String, body: String, timeout: Double? = nil) async throws(ModelClientError) -> (Int, String) {
        var request = HTTPClientRequest(url: config.url(path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request, timeout: timeout)
    }

    private func send(_ request: HTTPClientRequest, timeout: Double?) async throws(ModelClientError) -> (Int, String) {
        var request = request
        if let key = config.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        do {
            let response = try await execute(request, timeout: timeout)
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

/// Repeats a preflight request while a llama.cpp server answers 503 "Loading model", up to
/// `limit` seconds in all, telling the caller once a second.
struct LoadingWaiter: Sendable {
    let limit: Double
    let onWaiting: (@Sendable (String) -> Void)?
    let started = ContinuousClock.now

    func result(_ path: String, with client: LLMClient) async -> Result<(Int, String), ModelClientError> {
        do throws(ModelClientError) {
            return .success(try await get(path, with: client))
        } catch {
            return .failure(error)
        }
    }

    func get(_ path: String, with client: LLMClient) async throws(ModelClientError) -> (Int, String) {
        var lastNotice: ContinuousClock.Instant?
        while true {
            let (status, body) = try await client.get(path)
            guard status == 503, body.localizedCaseInsensitiveContains("loading model") else { return (status, body) }
            let now = ContinuousClock.now
            guard now < started + Seconds.duration(limit, fallback: 10) else { return (status, body) }
            if lastNotice.map({ now - $0 >= .seconds(1) }) ?? true {
                lastNotice = now
                let waited = Int((now - started).components.seconds)
                onWaiting?("the server is loading the model (\(waited) s)")
            }
            do {
                try await Task.sleep(for: .milliseconds(250))
            } catch {
                throw .connection(endpoint: client.config.origin, failure: .other("cancelled"), ollama: false)
            }
        }
    }
}
