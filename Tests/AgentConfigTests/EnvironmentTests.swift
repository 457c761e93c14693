import Testing

@testable import AgentConfig

/// OLLAMA_HOST, OPENAI_BASE_URL, AGENT_* and NO_COLOR.
@Suite struct EnvironmentTests {
    /// Ollama's own forms, mapped to the address a client connects to.
    @Test(arguments: [
        ("127.0.0.1:11434", "http://127.0.0.1:11434"),
        ("1.2.3.4", "http://1.2.3.4:11434"),
        ("1.2.3.4:1234", "http://1.2.3.4:1234"),
        ("example.com", "http://example.com:11434"),
        ("example.com:1234", "http://example.com:1234"),
        (":1234", "http://127.0.0.1:1234"),
        (":11434", "http://127.0.0.1:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("[::1]", "http://[::1]:11434"),
        ("[::1]:1337", "http://[::1]:1337"),
        ("::1", "http://[::1]:11434"),
        ("[::]", "http://[::1]:11434"),
        (" 1.2.3.4 ", "http://1.2.3.4:11434"),
        ("\"1.2.3.4\"", "http://1.2.3.4:11434"),
        ("'1.2.3.4'", "http://1.2.3.4:11434"),
        ("http://1.2.3.4", "http://1.2.3.4"),
        ("http://1.2.3.4:4321", "http://1.2.3.4:4321"),
        ("https://1.2.3.4", "https://1.2.3.4"),
        ("https://example.com:4321", "https://example.com:4321"),
        ("https://example.com/ollama", "https://example.com/ollama"),
        ("http://0.0.0.0:11434/", "http://127.0.0.1:11434"),
        ("HTTP://example.com", "http://example.com"),
    ])
    func ollamaHostForms(value: String, endpoint: String) throws {
        #expect(Endpoint.fromOllamaHost(value) == endpoint)
        let config = try Sandbox().load(environment: ["OLLAMA_HOST": value])
        #expect(config.settings.endpoint == endpoint)
        #expect(config.settings.apiPath == "/v1/chat/completions")
        #expect(config.source(of: .endpoint) == .environment(variable: "OLLAMA_HOST"))
    }

    @Test(arguments: ["ftp://host", "host:99999", "host:0", "host:port", "[::1", "[::1]x", "exa mple.com"])
    func badOllamaHost(value: String) throws {
        #expect(Endpoint.fromOllamaHost(value) == nil)
        let message = try Sandbox().loadError(environment: ["OLLAMA_HOST": value])
        #expect(
            message == "config error: endpoint in OLLAMA_HOST: expected host, host:port or an http(s) URL such as "
                + "http://127.0.0.1:11434, got \(ConfigValue.quoted(value))")
    }

    @Test func emptyOllamaHostIsUnset() throws {
        let config = try Sandbox().load(environment: ["OLLAMA_HOST": ""])
        #expect(config.settings.endpoint == "http://127.0.0.1:11434")
        #expect(config.source(of: .endpoint) == .builtIn)
    }

    @Test(arguments: [
        ("https://api.openai.com/v1", "https://api.openai.com", "/v1/chat/completions"),
        ("https://api.openai.com/v1/", "https://api.openai.com", "/v1/chat/completions"),
        ("https://api.openai.com", "https://api.openai.com", "/v1/chat/completions"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai", "/api/v1/chat/completions"),
        ("http://127.0.0.1:8080/v1", "http://127.0.0.1:8080", "/v1/chat/completions"),
        ("http://localhost:1234/v1/chat/completions", "http://localhost:1234", "/v1/chat/completions"),
        ("http://[::1]:8000/v1", "http://[::1]:8000", "/v1/chat/completions"),
    ])
    func openAIBaseURLForms(value: String, endpoint: String, apiPath: String) throws {
        let config = try Sandbox().load(environment: ["OPENAI_BASE_URL": value])
        #expect(config.settings.endpoint == endpoint)
        #expect(config.settings.apiPath == apiPath)
        #expect(config.source(of: .endpoint) == .environment(variable: "OPENAI_BASE_URL"))
        #expect(config.source(of: .apiPath) == .environment(variable: "OPENAI_BASE_URL"))
    }

    @Test func badOpenAIBaseURL() throws {
        let message = try Sandbox().loadError(environment: ["OPENAI_BASE_URL": "api.openai.com/v1"])
        #expect(
            message == "config error: endpoint in OPENAI_BASE_URL: expected an http(s) URL such as "
                + "https://api.openai.com/v1, got \"api.openai.com/v1\"")
    }

    @Test func agentEndpointBeatsOpenAIBeatsOllama() throws {
        let sandbox = try Sandbox()
        let all = [
            "AGENT_ENDPOINT": "http://agent:1", "OPENAI_BASE_URL": "https://openai.example/api/v1",
            "OLLAMA_HOST": "ollama:2",
        ]
        let agent = try sandbox.load(environment: all)
        #expect(agent.settings.endpoint == "http://agent:1")
        // The winner is the whole address: OPENAI_BASE_URL's path does not leak into AGENT_ENDPOINT's.
        #expect(agent.settings.apiPath == "/v1/chat/completions")
        #expect(agent.source(of: .endpoint) == .environment(variable: "AGENT_ENDPOINT"))

        let openAI = try sandbox.load(environment: all.filter { $0.key != "AGENT_ENDPOINT" })
        #expect(openAI.settings.endpoint == "https://openai.example")
        #expect(openAI.settings.apiPath == "/api/v1/chat/completions")

        let ollama = try sandbox.load(environment: ["OLLAMA_HOST": "ollama:2"])
        #expect(ollama.settings.endpoint == "http://ollama:2")
    }

    @Test func losingEnvironmentVariablesAreNotChecked() throws {
        let config = try Sandbox().load(environment: ["AGENT_ENDPOINT": "http://agent:1", "OLLAMA_HOST": "ftp://x"])
        #expect(config.settings.endpoint == "http://agent:1")
    }

    @Test func badAgentEndpoint() throws {
        let message = try Sandbox().loadError(environment: ["AGENT_ENDPOINT": "localhost:11434"])
        #expect(
            message == "config error: endpoint in AGENT_ENDPOINT: expected an http(s) URL such as "
                + "http://127.0.0.1:11434, got \"localhost:11434\"")
    }

    @Test func noColorTurnsColourOffWhenNotEmpty() throws {
        let sandbox = try Sandbox()
        #expect(try sandbox.load(environment: ["NO_COLOR": "1"]).settings.color == false)
        #expect(try sandbox.load(environment: ["NO_COLOR": "anything"]).settings.color == false)
        #expect(try sandbox.load(environment: ["NO_COLOR": ""]).settings.color == true)
        let overridden = try sandbox.load(environment: ["NO_COLOR": "1"], overrides: ["color=true"])
        #expect(overridden.settings.color == true)
        #expect(overridden.source(of: .color) == .override)
    }

    @Test func environmentBeatsAProfileEndpoint() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            """
            [profiles.local]
            endpoint = "http://127.0.0.1:8080"
            """)
        let config = try sandbox.load(environment: ["OLLAMA_HOST": "gpu-box"], flags: ConfigFlags(profile: "local"))
        #expect(config.settings.endpoint == "http://gpu-box:11434")
    }
}
