import AgentProtocol
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One step of a scripted SSE response.
public enum StreamStep: Sendable {
    /// Raw bytes, sent as one network write.
    case raw(String)
    case delay(Duration)
    /// Holds the stream until the test opens the gate.
    case wait(Gate)
    /// Closes the connection mid-stream, as a crashing server or a lost network does.
    case drop
    /// Sends nothing more and keeps the connection open until the client gives up.
    case stall
}

/// What the fake server does with one request.
public enum FakeReply: Sendable {
    case status(Int, body: String = "", headers: [String: String] = [:])
    case stream([StreamStep])
    /// A streamed `application/x-ndjson` answer (Ollama's `/api/chat`).
    case ndjsonStream([StreamStep])
    /// A 200 with a JSON body.
    case json(String)
    /// Closes the connection without answering.
    case closeConnection

    /// A streamed answer made of `chunks` (see `SSE`).
    public static func sse(_ chunks: [String]) -> FakeReply { .stream(chunks.map { .raw($0) }) }

    /// A streamed NDJSON answer made of `lines` (see `NDJSON`).
    public static func ndjson(_ lines: [String]) -> FakeReply { .ndjsonStream(lines.map { .raw($0) }) }
}

/// A request the server received.
public struct RecordedRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: String

    public var json: JSONValue? { JSONValue.parse(body) }
    /// Whether this is a chat request, on either API.
    public var isChat: Bool { path.hasSuffix("/chat/completions") || path == "/api/chat" }
    public var messages: [JSONValue] {
        if case .array(let m)? = json?.objectValue?["messages"] { return m }
        return []
    }
}

/// An in-process OpenAI/Ollama-compatible HTTP server on 127.0.0.1 that plays a script per
/// chat request, records every request, and checks the tool-call history invariant on each.
public final class FakeModelServer: Sendable {
    public enum Flavor: Sendable {
        /// Answers `/api/tags` like Ollama.
        case ollama(models: [String])
        /// `/api/tags` is 404; `/v1/models` lists these ids.
        case openAI(models: [String], ownedBy: String = "openai")
        /// Ollama's native API (see `FakeOllama`).
        case ollamaNative(FakeOllama)
        /// A llama.cpp server with a fixed window (see `FakeLlamaCpp`).
        case llamaCpp(FakeLlamaCpp)
    }

    struct State {
        var chatIndex = 0
        var requests: [RecordedRequest] = []
        var violations: [String] = []
        var channel: (any Channel)?
        /// Messages the fake Ollama dropped silently because a prompt exceeded its window.
        var droppedMessages = 0
        /// Chat requests the fake llama.cpp refused with 400 as over its window.
        var overflowRefusals = 0
        /// The window the fake Ollama has the model loaded with.
        var loadedWindow: Int?
        /// Requests answered so far, for the fake llama.cpp's "Loading model" phase.
        var requestCount = 0
    }

    let state = Mutex(State())
    let flavor: Flavor
    private let handler: @Sendable (RecordedRequest, Int) -> FakeReply
    /// Counts chat requests as they arrive, so a test can wait for the Nth.
    public let chatRequestCounter = Counter()
    /// Counts every request (preflight included) as it arrives.
    public let requestCounter = Counter()
    /// When set, answers to requests other than chat (the preflight) wait until it opens.
    private let preflightGate: Gate?

    /// Serves chat requests with `handler(request, index)`, index counting from 0.
    public init(flavor: Flavor = .ollama(models: ["test-model:latest"]), holdingPreflight preflightGate: Gate? = nil,
                handler: @escaping @Sendable (RecordedRequest, Int) -> FakeReply) {
        self.flavor = flavor
        self.handler = handler
        self.preflightGate = preflightGate
    }

    /// Serves chat requests from `script` in order; past its end, answers 500.
    public convenience init(flavor: Flavor = .ollama(models: ["test-model:latest"]), holdingPreflight gate: Gate? = nil,
                            script: [FakeReply]) {
        self.init(flavor: flavor, holdingPreflight: gate) { _, index in
            index < script.count ? script[index] : .status(500, body: #"{"error":"fake server script exhausted"}"#)
        }
    }

    public var port: Int { state.withLock { $0.channel?.localAddress?.port ?? 0 } }

    public var endpoint: String { "http://127.0.0.1:\(port)" }
    public var requests: [RecordedRequest] { state.withLock { $0.requests } }
    public var chatRequests: [RecordedRequest] { requests.filter(\.isChat) }
    /// History-invariant violations seen in any chat request; a test asserts this is empty.
    public var invariantViolations: [String] { state.withLock { $0.violations } }
    /// Messages the fake Ollama dropped silently (it does what Ollama does with a prompt over the
    /// window its model is loaded with); a test asserts this is zero.
    public var droppedMessages: Int { state.withLock { $0.droppedMessages } }
    /// Chat requests the fake llama.cpp answered 400 "exceeds the available context size".
    public var overflowRefusals: Int { state.withLock { $0.overflowRefusals } }

    public func start() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        state.withLock { $0.channel = channel }
    }

    public func stop() async {
        let channel = state.withLock { $0.channel }
        try? await channel?.close()
    }

    func received(_ request: RecordedRequest, on channel: any Channel) {
        let isChat = request.isChat
        if let early = intercept(request) {
            state.withLock { $0.requests.append(request) }
            Task { await Self.play(early, on: channel) }
            return
        }
        let index = state.withLock { state -> Int in
            state.requests.append(request)
            guard isChat else { return -1 }
            for problem in HistoryInvariant.violations(in: request.messages) {
                state.violations.append("request \(state.chatIndex): \(problem)")
            }
            defer { state.chatIndex += 1 }
            return state.chatIndex
        }
        let reply: FakeReply
        var gate: Gate?
        if isChat {
            reply = handler(request, index)
            chatRequestCounter.increment()
        } else {
            reply = route(request)
            gate = preflightGate
        }
        requestCounter.increment()
        Task {
            await gate?.wait()
            await Self.play(reply, on: channel)
        }
    }

    private func route(_ request: RecordedRequest) -> FakeReply {
        if let reply = routeMode(request) { return reply }
        switch (flavor, request.path) {
        case (.ollama(let models), "/api/tags"):
            let list = models.map { JSONValue.object(["name": .string($0), "model": .string($0)]) }
            return .json(JSONValue.object(["models": .array(list)]).jsonText)
        case (.ollama(let models), "/v1/models"), (.openAI(let models, _), "/v1/models"):
            var ownedBy = "library"
            if case .openAI(_, let owner) = flavor { ownedBy = owner }
            let list = models.map { JSONValue.object(["id": .string($0), "object": "model", "owned_by": .string(ownedBy)]) }
            return .json(JSONValue.object(["object": "list", "data": .array(list)]).jsonText)
        default:
            return .status(404, body: "404 page not found")
        }
    }

    private static func play(_ reply: FakeReply, on channel: any Channel) async {
        func head(_ code: Int, _ headers: [String: String]) -> HTTPServerResponsePart {
            var h = HTTPHeaders(headers.map { ($0.key, $0.value) })
            h.replaceOrAdd(name: "Connection", value: "close")
            return .head(HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: code), headers: h))
        }
        func body(_ text: String) -> HTTPServerResponsePart { .body(.byteBuffer(ByteBuffer(string: text))) }
        do {
            switch reply {
            case .closeConnection:
                try await channel.close()
                return
            case .status(let code, let text, let headers):
                var h = headers
                h["Content-Length"] = String(text.utf8.count)
                try await channel.writeAndFlush(head(code, h))
                try await channel.writeAndFlush(body(text))
            case .json(let text):
                try await channel.writeAndFlush(head(200, ["Content-Type": "application/json",
                                                           "Content-Length": String(text.utf8.count)]))
                try await channel.writeAndFlush(body(text))
            case .stream(let steps), .ndjsonStream(let steps):
                let type = if case .ndjsonStream = reply { "application/x-ndjson" } else { "text/event-stream" }
                try await channel.writeAndFlush(head(200, ["Content-Type": type]))
                for step in steps {
                    switch step {
                    case .raw(let text): try await channel.writeAndFlush(body(text))
                    case .delay(let duration): try await Task.sleep(for: duration)
                    case .wait(let gate): await gate.wait()
                    case .drop:
                        try await channel.close()
                        return
                    case .stall:
                        try await channel.closeFuture.get()
                        return
                    }
                }
            }
            try await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
            try await channel.close()
        } catch {
            // The client went away first; nothing to answer.
        }
    }
}

/// Collects one request and hands it to the server; runs on the channel's event loop.
private final class RequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart

    private let server: FakeModelServer
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(server: FakeModelServer) { self.server = server }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.clear()
        case .body(var chunk):
            body.writeBuffer(&chunk)
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = RecordedRequest(
                method: head.method.rawValue, path: head.uri, headers: headers, body: String(buffer: body))
            server.received(request, on: context.channel)
        }
    }
}
