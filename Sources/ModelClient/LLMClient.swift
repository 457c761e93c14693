import AgentProtocol
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Streams chat completions from an OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio,
/// OpenAI), retrying transient failures under one `RetryPolicy`.
///
/// Owns an `HTTPClient`; call `shutdown()` before dropping the last copy.
public struct LLMClient: ChatModel {
    public let config: LLMConfig
    let http: HTTPClient
    let policy: RetryPolicy
    let sleeper: any Sleeper

    public var modelName: String { config.model }

    public init(config: LLMConfig, sleeper: any Sleeper = TaskSleeper(), jitter: (@Sendable () -> Double)? = nil) {
        self.config = config
        var policy = RetryPolicy(maxRetries: config.maxRetries, base: config.backoffBase, max: config.backoffMax)
        if let jitter { policy.jitter = jitter }
        self.policy = policy
        self.sleeper = sleeper
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.httpConfiguration(config))
    }

    private init(config: LLMConfig, sharing other: LLMClient) {
        self.config = config
        self.http = other.http
        self.policy = other.policy
        self.sleeper = other.sleeper
    }

    /// The same connection pool, another model (for `/model NAME`).
    public func withModel(_ model: String) -> LLMClient {
        var config = self.config
        config.model = model
        return LLMClient(config: config, sharing: self)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    static func httpConfiguration(_ config: LLMConfig) -> HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        // A read timeout doubles as the stream idle watchdog: it fires when no byte arrives for that long.
        c.timeout = .init(
            connect: .milliseconds(Int64(config.connectTimeout * 1000)),
            read: .milliseconds(Int64(config.streamIdleTimeout * 1000)))
        // Our RetryPolicy decides about retries; the pool's own reconnect loop would turn a refused
        // port into a hang until the request deadline.
        c.connectionPool.retryConnectionEstablishment = false
        c.decompression = .disabled
        return c
    }

    public func streamChat(messages: [Message], tools: [ToolSpec]) -> AsyncThrowingStream<ModelEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ModelEvent, any Error>.makeStream()
        let body: Data
        do {
            // Sorted keys: the same conversation always gives the same bytes, so a server's prompt
            // cache (which matches tokens) is not defeated by dictionary order between runs.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            body = try encoder.encode(ChatRequest(config: config, messages: messages, tools: tools))
        } catch {
            continuation.finish(throwing: ModelClientError.malformedStream("could not encode the request: \(error)"))
            return stream
        }
        let task = Task {
            do {
                try await self.runWithRetries(body: body, continuation: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func runWithRetries(body: Data, continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation)
        async throws
    {
        var retry = 0
        while true {
            try Task.checkCancellation()
            var yielded = false
            do {
                try await attempt(body: body, continuation: continuation, yielded: &yielded)
                return
            } catch let error as ModelClientError {
                try Task.checkCancellation()
                // Giving up keeps what arrived (it becomes an interrupted partial answer);
                // only a retry voids it, so the next attempt's text is not appended to it.
                guard let delay = policy.delay(after: error, retry: retry) else { throw error }
                if yielded { continuation.yield(.attemptVoided) }
                retry += 1
                continuation.yield(.retrying(RetryNotice(
                    attempt: retry, maxRetries: policy.maxRetries,
                    delay: .milliseconds(Int((delay * 1000).rounded())), reason: error.description)))
                try await sleeper.sleep(seconds: delay)
            }
        }
    }

    private func attempt(
        body: Data, continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation, yielded: inout Bool
    ) async throws {
        var request = HTTPClientRequest(url: config.url(config.apiPath))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let key = config.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: body))

        let response = try await execute(request)
        guard response.status == .ok else { throw await statusError(response) }

        var reader = StreamReader()
        do {
            if response.headers.first(name: "Content-Type")?.contains("application/json") == true {
                // A server that ignored `stream: true` answers with one JSON object.
                let whole = try await response.body.collect(upTo: 64 << 20)
                for event in reader.whole(String(buffer: whole)) { yielded = true; continuation.yield(event) }
            } else {
                for try await buffer in response.body {
                    for event in buffer.withUnsafeReadableBytes({ reader.feed($0) }) {
                        yielded = true
                        continuation.yield(event)
                    }
                    if reader.isDone { break }
                }
                for event in reader.finish() { yielded = true; continuation.yield(event) }
            }
        } catch {
            throw mapError(error)
        }
        try reader.validateEnd()
    }

    func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: .milliseconds(Int64(config.requestTimeout * 1000)))
        } catch {
            throw mapError(error)
        }
    }

    func statusError(_ response: HTTPClientResponse) async -> ModelClientError {
        let code = Int(response.status.code)
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        var retryAfter: Double?
        if code == 429 || code == 503, let header = response.headers.first(name: "Retry-After") {
            retryAfter = RetryPolicy.parseRetryAfter(header)
        }
        return .httpStatus(code: code, message: ServerErrorText.extract(body), retryAfter: retryAfter)
    }

    /// Maps transport errors onto our hierarchy; cancellation passes through untouched.
    func mapError(_ error: any Error) -> any Error {
        if error is ModelClientError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        let mapped = TransportErrorMapper.map(error, endpoint: config.origin, ollama: config.looksLikeOllama)
        if case .streamStalled = mapped { return ModelClientError.streamStalled(seconds: config.streamIdleTimeout) }
        return mapped
    }
}
