import Testing

@testable import AgentConfig

/// The files shown in docs/configuration.md load as the document says.
@Suite struct DocumentedExamplesTests {
    @Test func fileWithEveryDefaultEqualsNoFile() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(
            """
            model = "llama3.2"
            endpoint = "http://127.0.0.1:11434"
            api_path = "/v1/chat/completions"
            api = "auto"
            # context_window = 16384
            # api_key_env = "OPENAI_API_KEY"
            timeout = 600
            connect_timeout = 10
            show_reasoning = true
            color = true

            [retry]
            max_retries = 3
            backoff_base = 1.0
            backoff_max = 30.0
            stream_idle_timeout = 60.0

            [truncation]
            # threshold_tokens = 24000
            keep_recent = 8

            [compaction]
            auto = true
            auto_at = 0.8

            [sessions]
            # dir = "~/agent-sessions"
            autosave = true
            keep = 100
            max_age_days = 30

            [tools]
            approval = "ask"
            shell_timeout = 120
            """)
        let config = try sandbox.load()
        #expect(config.settings == Settings())
        #expect(config.warnings.isEmpty)
    }

    let profiles = """
        profile = "ollama"

        [profiles.ollama]
        endpoint = "http://127.0.0.1:11434"
        model = "qwen3:8b"

        [profiles.llamacpp]
        endpoint = "http://127.0.0.1:8080"
        model = "local"

        [profiles.openai]
        endpoint = "https://api.openai.com"
        api_key_env = "OPENAI_API_KEY"
        model = "gpt-4o-mini"
        temperature = 0.3

        [profiles.openai.retry]
        max_retries = 5
        backoff_max = 60.0
        """

    @Test func ollamaLlamaCppAndOpenAIProfiles() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(profiles)
        let ollama = try sandbox.load()
        #expect(ollama.settings.chatURL == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(ollama.settings.model == "qwen3:8b")

        let llamaCpp = try sandbox.load(overrides: ["profile=llamacpp"])
        #expect(llamaCpp.settings.chatURL == "http://127.0.0.1:8080/v1/chat/completions")

        let openAI = try sandbox.load(
            environment: ["OPENAI_API_KEY": "sk-test-0123456789"], flags: ConfigFlags(profile: "openai"))
        #expect(openAI.settings.chatURL == "https://api.openai.com/v1/chat/completions")
        #expect(openAI.settings.model == "gpt-4o-mini")
        #expect(openAI.settings.temperature == 0.3)
        #expect(openAI.settings.retry.maxRetries == 5)
        #expect(openAI.settings.retry.backoffMax == 60)
        #expect(openAI.apiKey == "sk-test-0123456789")
        #expect(openAI.warnings.isEmpty)
    }

    @Test func quotedSystemPromptOverride() throws {
        let config = try Sandbox().load(overrides: ["system_prompt=\"Answer in French.\"", "timeout=1200"])
        #expect(config.settings.systemPrompt == "Answer in French.")
        #expect(config.settings.timeout == 1200)
    }
}
