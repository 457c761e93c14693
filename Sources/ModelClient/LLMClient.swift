import AgentProtocol
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Streams chat answers from Ollama (its native `/api/chat`, NDJSON) or an OpenAI-compatible
/// server (llama.cpp, vLLM, LM Studio, OpenAI; SSE), retrying transient failures under one
/// `RetryPolicy`, and learns the model's context window (see `LLMClient+Discovery`).
///
/// Owns an `HTTPClient`; call `shutdown()` before dropping the last copy.
public struct LLMClient: ChatModel {
    public let config: LLMConfig
    let http: HTTPClient
    let policy: RetryPolicy
    let sleeper: any Sleeper
    /// The server's wire format, learned once and shared by every copy (they talk to one server).
    let wire: Once<PreflightResult.Server>
    /// The `/v1/models` answer the preflight read, reused by discovery.
    let modelsBody: Once<String?>
    /// The model's facts, shared by the copies for this model.
    let facts: Once<ModelFacts>

    public var modelName: String { config.model }

    public init(config: LLMConfig, sleeper: any Sleeper = TaskSleeper(), jitter: (@Sendable () -> Double)? = nil) {
        self.config = config
        var policy = RetryPolicy(maxRetries: config.maxRetries, base: config.backoffBase, max: config.backoffMax)
        if let jitter { policy.jitter = jitter }
        self.policy = policy
        self.sleeper = sleeper
        self.http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.httpConfiguration(config))
        wire = Once()
        modelsBody = Once()
        facts = Once()
    }

    private init(config: LLMConfig, sharing other: LLMClient) {
        self.config = config
        self.http = other.http
        self.policy = other.policy
        self.sleeper = other.sleeper
        wire = other.wire
        modelsBody = other.modelsBody
        facts = Once()
    }

    /// The same connection pool and server, another model (for `/model NAME`); its facts are
    /// discovered anew.
    public func withModel(_ model: String) -> LLMClient {
        var config = self.config
        config.model = model
        return LLMClient(config: config, sharing: self)
    }

    public func shutdown() async {
        // Fails only when already shut down (a second call): nothing is left to close.
        try? await http.shutdown()
    }

    static func httpConfiguration(_ config: LLMConfig) -> HTTPClient.Configuration {
        var c = HTTPClient.Configuration()
        // The read timeout is a backstop for a connection that sends no byte at all; the stream
        // watchdog (which keep-alive comments do not fool) is the real stall detector.
        c.timeout = .init(
            connect: Seconds.timeAmount(config.connectTimeout, fallback: 10),
            read: Seconds.timeAmount(config.streamIdleTimeout, fallback: 60))
        // Our RetryPolicy decides about retries; the pool's own reconnect loop would turn a refused
        // port into a hang until the request deadline.
        c.connectionPool.retryConnectionEstablishment = false
        c.decompression = .disabled
        return c
    }

    public func streamChat(messages: [Message], tools: [ToolSpec]) -> AsyncThrowingStream<ModelEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream<ModelEvent, any Error>.makeStream()
        let task = Task {
            do {
                let request = try await self.chatRequest(messages: messages, tools: tools)
                try await self.runWithRetries(request, continuation: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func runWithRetries(_ request: ChatHTTPRequest, continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation)
        async throws
    {
        var retry = 0
        while true {
            try Task.checkCancellation()
            let marks = AttemptMarks()
            do {
                try await attempt(request, continuation: continuation, marks: marks)
                return
            } catch let error as ModelClientError {
                try Task.checkCancellation()
                // Giving up keeps what arrived (it becomes an interrupted partial answer);
                // only a retry voids it, so the next attempt's text is not appended to it.
                guard let delay = policy.delay(after: error, retry: retry) else { throw error }
                if marks.yielded { continuation.yield(.attemptVoided) }
                retry += 1
                continuation.yield(.retrying(RetryNotice(
                    attempt: retry, maxRetries: policy.maxRetries, delay: Seconds.duration(delay), reason: error.description)))
                try await sleeper.sleep(seconds: delay)
            }
        }
    }

    private func attempt(
        _ chat: ChatHTTPRequest, continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation, marks: AttemptMarks
    ) async throws {
        var request = HTTPClientRequest(url: config.url(chat.path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: chat.kind == .ollama ? "application/x-ndjson" : "text/event-stream")
        if let key = config.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: chat.body))

        var watchdog = StreamWatchdog(idleSeconds: config.streamIdleTimeout, totalSeconds: config.requestTimeout)
        let response = try await execute(request)
        guard response.status == .ok else { throw await statusError(response) }
        watchdog.start()
        let json = response.headers.first(name: "Content-Type")?.contains("application/json") == true
        let clock = watchdog
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                switch chat.kind {
                case .openAICompatible:
                    let reader = StreamReader(maxEventBytes: self.config.maxStreamLineBytes)
                    try await self.read(response, json: json, into: reader, continuation, marks, clock)
                case .ollama:
                    let reader = NDJSONStreamReader(maxLineBytes: self.config.maxStreamLineBytes)
                    try await self.read(response, json: json, into: reader, continuation, marks, clock)
                }
            }
            group.addTask { try await clock.run() }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Feeds the body to `reader`, yielding its events; the watchdog hears of every real chunk.
    private func read<Reader: ChatStreamReader>(
        _ response: HTTPClientResponse, json: Bool, into reader: Reader,
        _ continuation: AsyncThrowingStream<ModelEvent, any Error>.Continuation, _ marks: AttemptMarks,
        _ watchdog: StreamWatchdog
    ) async throws {
        var reader = reader
        var watchdog = watchdog
        func pass(_ events: [ModelEvent]) {
            guard !events.isEmpty else { return }
            marks.markYielded()
            for event in events { continuation.yield(event) }
        }
        do {
            if json {
                // A server that ignored `stream: true` answers with one JSON object.
                let whole = try await response.body.collect(upTo: 64 << 20)
                pass(reader.whole(String(buffer: whole)))
            } else {
                for try await buffer in response.body {
                    let before = reader.progress
                    pass(buffer.withUnsafeReadableBytes { reader.feed($0) })
                    if reader.isDone { break }
                    try watchdog.check(progressed: reader.progress != before)
                }
                pass(reader.finish())
            }
        } catch {
            throw mapError(error)
        }
        try reader.validateEnd()
        // Said after the answer, so that a retried attempt's skipped lines are never reported.
        if reader.malformedLines > 0 { continuation.yield(.skippedLines(reader.malformedLines)) }
    }

    func execute(_ request: HTTPClientRequest, timeout: Double? = nil) async throws -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: Seconds.timeAmount(timeout ?? config.requestTimeout, fallback: 600))
        } catch {
            throw mapError(error)
        }
    }

    func statusError(_ response: HTTPClientResponse) async -> ModelClientError {
        let code = Int(response.status.code)
        let body = (try? await response.body.collect(upTo: 1 << 20)).map { String(buffer: $0) } ?? ""
        let message = ServerErrorText.extract(body)
        if let overflow = ContextOverflowParser.parse(status: code, body: body, message: message) {
            return .contextOverflow(overflow)
        }
        var retryAfter: Double?
        if code == 429 || code == 503, let header = response.headers.first(name: "Retry-After") {
            retryAfter = RetryAfter.seconds(header)
        }
        return .httpStatus(code: code, message: message, retryAfter: retryAfter)
    }

    /// Maps transport errors onto our hierarchy; cancellation passes through untouched.
    func mapError(_ error: any Error) -> any Error {
        if error is ModelClientError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        let mapped = TransportErrorMapper.map(error, endpoint: config.origin, ollama: config.looksLikeOllama)
        switch mapped {
        case .streamStalled: return ModelClientError.streamStalled(seconds: Seconds.clamped(config.streamIdleTimeout))
        case .requestTimedOut: return ModelClientError.requestTimedOut(seconds: Seconds.clamped(config.requestTimeout))
        default: return mapped
        }
    }
}

/// One chat request, encoded for the wire the server speaks.
struct ChatHTTPRequest: Sendable {
    var path: String
    var body: Data
    var kind: PreflightResult.Server
}

extension LLMClient {
    /// Encodes the conversation for the server's wire. Sorted keys: the same conversation always
    /// gives the same bytes, so a server's prompt cache (which matches tokens) is not defeated by
    /// dictionary order between runs.
    func chatRequest(messages: [Message], tools: [ToolSpec]) async throws(ModelClientError) -> ChatHTTPRequest {
        let kind = await serverKind()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            switch kind {
            case .openAICompatible:
                let body = try encoder.encode(ChatRequest(config: config, messages: messages, tools: tools))
                return ChatHTTPRequest(path: config.apiPath, body: body, kind: kind)
            case .ollama:
                let facts = await modelFacts()
                let body = try encoder.encode(OllamaChatRequest(config: config, messages: messages, tools: tools, facts: facts))
                return ChatHTTPRequest(path: "/api/chat", body: body, kind: kind)
            }
        } catch {
            throw .malformedStream("could not encode the request: \(error)")
        }
    }
}

/// What one attempt did that the retry loop must know after it failed.
final class AttemptMarks: Sendable {
    private let didYield = Atomic<Bool>(false)
    var yielded: Bool { didYield.load(ordering: .relaxed) }
    func markYielded() { didYield.store(true, ordering: .relaxed) }
}
