import AgentProtocol
import AgentTestSupport
import Foundation
import Testing
@testable import ModelClient

/// Each source of the context window, and the preflight that tells the servers apart.
@Suite(.timeLimit(.minutes(1))) struct WindowDiscoveryTests {
    @Test func ollamaShowPsAndTheLaptopDefault() {
        let show = #"{"model_info":{"general.architecture":"qwen3","qwen3.context_length":40960},"capabilities":["completion","tools","thinking"]}"#
        let parsed = WindowFigures.ollamaShow(show)
        #expect(parsed?.trained == 40960)
        #expect(parsed?.capabilities == ["completion", "tools", "thinking"])
        let ps = #"{"models":[{"name":"qwen3:latest","model":"qwen3:latest","context_length":8192}]}"#
        #expect(WindowFigures.ollamaLoaded(ps, model: "qwen3") == 8192)
        #expect(WindowFigures.ollamaLoaded(ps, model: "llama3.2") == nil)

        #expect(LLMClient.ollamaWindow(configured: nil, trained: 40960, loaded: nil)
            == ContextWindow(tokens: 16_384, source: .ollamaDefault))
        #expect(LLMClient.ollamaWindow(configured: nil, trained: 8192, loaded: nil)
            == ContextWindow(tokens: 8192, source: .ollamaTrained))
        // Loaded larger than the default: keep it rather than reload the model smaller.
        #expect(LLMClient.ollamaWindow(configured: nil, trained: 40960, loaded: 32_768)
            == ContextWindow(tokens: 32_768, source: .ollamaLoaded))
        // Loaded smaller (someone else's request): agent's default wins.
        #expect(LLMClient.ollamaWindow(configured: nil, trained: 40960, loaded: 2048).tokens == 16_384)
        #expect(LLMClient.ollamaWindow(configured: 6000, trained: 40960, loaded: 2048)
            == ContextWindow(tokens: 6000, source: .configured))
    }

    @Test func llamaCppVLLMAndLMStudio() {
        #expect(WindowFigures.llamaCppProps(#"{"default_generation_settings":{"n_ctx":4096},"total_slots":1}"#) == 4096)
        let llama = #"{"data":[{"id":"smollm2","owned_by":"llamacpp","meta":{"n_ctx_train":8192,"n_ctx":4096}}]}"#
        #expect(WindowFigures.modelsList(llama, model: "anything") == ContextWindow(tokens: 4096, source: .modelsMeta))
        let vllm = #"{"data":[{"id":"Qwen/Qwen2.5-7B","max_model_len":32768},{"id":"other","max_model_len":8192}]}"#
        #expect(WindowFigures.modelsList(vllm, model: "Qwen/Qwen2.5-7B") == ContextWindow(tokens: 32768, source: .vllm))
        #expect(WindowFigures.modelsList(vllm, model: "missing") == nil)
        let lm = #"{"data":[{"id":"qwen","state":"loaded","max_context_length":32768,"loaded_context_length":8192}]}"#
        #expect(WindowFigures.lmStudio(lm, model: "qwen") == 8192)
        #expect(WindowFigures.lmStudio(#"{"data":[{"id":"q","max_context_length":32768}]}"#, model: "q") == 32768)
    }

    @Test func hostileFiguresAreIgnored() {
        for value in ["-1", "0", "true", "1e300", "4096.5", "\"4096\"", "null", "100"] {
            #expect(WindowFigures.llamaCppProps(#"{"default_generation_settings":{"n_ctx":\#(value)}}"#) == nil, "\(value)")
        }
    }

    @Test func theFakeOllamaIsFoundAndAsked() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama(capabilities: ["completion"])), script: [])
        let (result, info) = try await withServer(server) { client in
            let result = try await client.preflight()
            return (result, await client.modelInfo())
        }
        #expect(result.server == .ollama)
        #expect(info == ModelInfo(window: ContextWindow(tokens: 16_384, source: .ollamaDefault), supportsTools: false))
        let paths = server.requests.map(\.path)
        #expect(Set(paths.prefix(2)) == ["/api/version", "/v1/models"])
        #expect(Set(paths.dropFirst(2)) == ["/api/show", "/api/ps"])
    }

    @Test func theFakeLlamaCppIsFoundAndAsked() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 4096)), script: [])
        let info = try await withServer(server, model: "whatever") { client in
            _ = try await client.preflight()
            return await client.modelInfo()
        }
        #expect(info.window == ContextWindow(tokens: 4096, source: .llamaCppProps))
        let paths = server.requests.map(\.path)
        #expect(Set(paths.prefix(2)) == ["/api/version", "/v1/models"])
        #expect(paths.dropFirst(2) == ["/props"])
    }

    @Test func withoutPropsTheModelsMetaSays() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 2048, servesProps: false)), script: [])
        let info = try await withServer(server, model: "smollm2") { client in
            _ = try await client.preflight()
            return await client.modelInfo()
        }
        #expect(info.window == ContextWindow(tokens: 2048, source: .modelsMeta))
    }

    @Test func aServerThatSaysNothingLeavesTheWindowUnknown() async throws {
        let server = FakeModelServer(flavor: .openAI(models: ["gpt-4o"]), script: [])
        let info = try await withServer(server, model: "gpt-4o") { client in
            _ = try await client.preflight()
            return await client.modelInfo()
        }
        #expect(info.window == nil)
        #expect(info.supportsTools)
    }

    @Test func theConfiguredWindowWinsAndIsSentAsNumCtx() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama()), script: [.ndjson(NDJSON.answer(["x"]))])
        try await server.start()
        var cfg = config(server)
        cfg.contextWindow = 12_000
        let client = LLMClient(config: cfg)
        _ = try await client.preflight()
        let info = await client.modelInfo()
        _ = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        await client.shutdown()
        await server.stop()
        #expect(info.window == ContextWindow(tokens: 12_000, source: .configured))
        #expect(server.chatRequests.first?.json?.objectValue?["options"]?.objectValue?["num_ctx"] == 12_000)
    }

    @Test func apiOpenAIKeepsOllamaOnV1() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama()), script: [.sse(SSE.answer(["x"]))])
        try await server.start()
        var cfg = config(server)
        cfg.api = .openAI
        let client = LLMClient(config: cfg)
        let result = await collect(client.streamChat(messages: [.user("hi")], tools: []))
        await client.shutdown()
        await server.stop()
        #expect(result.text == "x")
        #expect(server.chatRequests.first?.path == "/v1/chat/completions")
    }

    @Test func preflightWaitsWhileTheModelLoads() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(loadingRequests: 3)), script: [])
        try await server.start()
        var cfg = config(server, model: "smollm2")
        cfg.connectTimeout = 30  // the wait's limit; generous, for a loaded machine
        let client = LLMClient(config: cfg)
        let notices = NoticeLog()
        let result = try await client.preflight(onWaiting: { notices.add($0) })
        await client.shutdown()
        await server.stop()
        #expect(result.model == "smollm2")
        #expect(notices.all.first?.contains("loading the model") == true)
    }

    @Test func preflightGivesUpWaitingAtTheConnectTimeout() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(loadingRequests: 1_000_000)), script: [])
        try await server.start()
        var cfg = config(server, model: "smollm2")
        cfg.connectTimeout = 0.5
        let client = LLMClient(config: cfg)
        var caught: ModelClientError?
        do { _ = try await client.preflight() } catch { caught = error }
        await client.shutdown()
        await server.stop()
        #expect(caught == .httpStatus(code: 503, message: "Loading model", retryAfter: nil))
    }

    @Test func listsModelsWithTheirWindows() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama(models: ["a:latest", "b:7b"], trainedWindow: 8192)), script: [])
        let listed = try await withServer(server, model: "a") { client in
            try await client.listModels(current: "a", currentWindow: 8192)
        }
        #expect(listed == [ModelListing(name: "a:latest", window: 8192), ModelListing(name: "b:7b", window: 8192)])
    }
}

@Suite struct ContextOverflowParserTests {
    func parse(_ status: Int, _ body: String) -> ContextOverflow? {
        ContextOverflowParser.parse(status: status, body: body, message: ServerErrorText.extract(body))
    }

    @Test func llamaCpp() {
        let body = #"{"error":{"code":400,"message":"request (10231 tokens) exceeds the available context size (8192 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":10231,"n_ctx":8192}}"#
        #expect(parse(400, body)?.window == 8192)
        #expect(parse(400, body)?.promptTokens == 10231)
        let older = #"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing the context size or enable context shift","type":"invalid_request_error"}}"#
        #expect(parse(400, older) == ContextOverflow(window: nil, promptTokens: nil, message: ServerErrorText.extract(older)))
    }

    @Test func openAIVLLMAndLMStudio() {
        let openAI = #"{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130532 tokens. Please reduce the length of the messages.","type":"invalid_request_error","code":"context_length_exceeded"}}"#
        #expect(parse(400, openAI).map { ($0.window, $0.promptTokens) } ?? (nil, nil) == (128000, 130532))
        let vllm = #"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion). Please reduce the length of the messages or completion.","type":"BadRequestError","code":400}"#
        #expect(parse(400, vllm).map { ($0.window, $0.promptTokens) } ?? (nil, nil) == (4096, 4000))
        let lm = #"{"error":"Trying to keep the first 5000 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough."}"#
        #expect(parse(400, lm)?.window == 4096)
    }

    @Test func otherErrorsAreNotOverflows() {
        #expect(parse(400, #"{"error":{"message":"bad request: messages missing"}}"#) == nil)
        #expect(parse(500, #"{"error":{"message":"maximum context length is 4096 tokens"}}"#) == nil)
        #expect(parse(400, #"{"error":{"message":"context length 99999999999999999999 tokens exceeded"}}"#)?.window == nil)
    }

    @Test func theClientReportsAnOverflowAsSuch() async throws {
        let server = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(window: 300)), script: [.sse(SSE.answer(["never"]))])
        let result = try await withServer(server, model: "smollm2") { client in
            await collect(client.streamChat(messages: [.user(String(repeating: "long ", count: 400))], tools: []))
        }
        let error = try #require(result.error as? ModelClientError)
        #expect(error.contextOverflow?.window == 300)
        #expect(server.chatRequests.count == 1, "an overflow is not retried by the client")
    }
}

import Synchronization
final class NoticeLog: Sendable {
    private let notices = Mutex<[String]>([])
    var all: [String] { notices.withLock { $0 } }
    func add(_ text: String) { notices.withLock { $0.append(text) } }
}

@Suite(.timeLimit(.minutes(1))) struct TokenCountTests {
    @Test func llamaCppCountsTokensAndOthersDoNot() async throws {
        let llama = FakeModelServer(flavor: .llamaCpp(FakeLlamaCpp(charactersPerToken: 3)), script: [])
        let counted = try await withServer(llama, model: "smollm2") { await $0.countTokens("123456789") }
        #expect(counted == 3)
        let other = FakeModelServer(flavor: .openAI(models: ["gpt-4o"]), script: [])
        let none = try await withServer(other, model: "gpt-4o") { await $0.countTokens("123456789") }
        #expect(none == nil)
    }
}
