import AgentTestSupport
import Testing
@testable import ModelClient

@Suite(.timeLimit(.minutes(1))) struct PreflightTests {
    @Test func ollamaTagsMatchWithOrWithoutTag() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama(models: ["qwen3:latest", "llama3.2:3b"])), script: [])
        let result = try await withServer(server, model: "qwen3") { try await $0.preflight() }
        #expect(result.server == .ollama)
        #expect(result.models == ["qwen3:latest", "llama3.2:3b"])
        // Asked together; Ollama's /v1/models lists the same names as /api/tags.
        #expect(Set(server.requests.map(\.path).prefix(2)) == ["/api/version", "/v1/models"])
        let tagged = try await withServer(FakeModelServer(flavor: .ollamaNative(FakeOllama(models: ["qwen3:latest"])), script: []),
                                          model: "qwen3:latest") { try await $0.preflight() }
        #expect(tagged.model == "qwen3:latest")
    }

    @Test func aServerWithTagsButNoVersionIsNotTakenForOllama() async throws {
        let server = FakeModelServer(flavor: .ollama(models: ["qwen3:latest"]), script: [])
        let result = try await withServer(server, model: "qwen3") { try await $0.preflight() }
        #expect(result.server == .openAICompatible)
        #expect(Set(server.requests.map(\.path).prefix(2)) == ["/api/version", "/v1/models"])
    }

    @Test func fallsBackToV1Models() async throws {
        let server = FakeModelServer(flavor: .openAI(models: ["gpt-4o-mini", "gpt-4o"]), script: [])
        let result = try await withServer(server, model: "gpt-4o") { try await $0.preflight() }
        #expect(result.server == .openAICompatible)
        #expect(Set(server.requests.map(\.path).prefix(2)) == ["/api/version", "/v1/models"])
    }

    @Test func missingModelListsTheAvailableOnes() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama(models: ["a:latest", "b:7b"])), script: [])
        await #expect(throws: ModelClientError.modelNotFound(model: "x", available: ["a:latest", "b:7b"])) {
            try await withServer(server, model: "x") { try await $0.preflight() }
        }
        let error = ModelClientError.modelNotFound(model: "x", available: ["a", "b"])
        #expect(error.description == "Model 'x' not found. Available models: a, b")
    }

    @Test func llamaCppSingleModelAnswersToAnyName() async throws {
        let server = FakeModelServer(flavor: .openAI(models: ["smollm2"], ownedBy: "llamacpp"), script: [])
        let result = try await withServer(server, model: "whatever") { try await $0.preflight() }
        #expect(result.model == "whatever")
    }

    @Test func unreachableOllamaSaysSo() async throws {
        let client = LLMClient(config: LLMConfig(model: "m", endpoint: "http://127.0.0.1:1", connectTimeout: 2))
        var caught: ModelClientError?
        do { _ = try await client.preflight() } catch { caught = error }
        await client.shutdown()
        #expect(caught == .connection(endpoint: "http://127.0.0.1:1", failure: .refused, ollama: false))
        #expect(ModelClientError.connection(endpoint: "http://127.0.0.1:11434", failure: .refused, ollama: true)
            .description == "Cannot reach Ollama at http://127.0.0.1:11434. Is it running?")
    }

    @Test func endpointThatIsNotAURL() async throws {
        let client = LLMClient(config: LLMConfig(model: "m", endpoint: "localhost"))
        var caught: ModelClientError?
        do { _ = try await client.preflight() } catch { caught = error }
        await client.shutdown()
        #expect(caught == .invalidEndpoint("localhost"))
    }
}

@Suite(.timeLimit(.minutes(1))) struct PreflightFallbackTests {
    /// An Ollama without /v1/models (before 0.1.24) is still listed, through /api/tags.
    @Test func ollamaWithoutV1ModelsFallsBackToTags() async throws {
        let server = FakeModelServer(flavor: .ollamaNative(FakeOllama(models: ["qwen3:latest"]))) { _, _ in .status(500) }
        // The native fake answers /v1/models; the legacy one answers /api/tags but no version,
        // so this checks the fallback through the explicit api setting instead.
        try await server.start()
        var cfg = config(server, model: "qwen3")
        cfg.api = .ollama
        let client = LLMClient(config: cfg)
        let result = try await client.preflight()
        await client.shutdown()
        await server.stop()
        #expect(result.server == .ollama)
        #expect(server.requests.first?.path == "/api/tags")
    }
}
