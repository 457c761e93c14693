import Testing

@testable import AgentConfig

/// Which variable the API key is read from, and that it is never shown in full.
@Suite struct APIKeyTests {
    @Test func agentKeyBeatsOpenAIKey() throws {
        let sandbox = try Sandbox()
        let both = try sandbox.load(environment: ["AGENT_API_KEY": "agent-key", "OPENAI_API_KEY": "openai-key"])
        #expect(both.apiKey == "agent-key")
        #expect(both.apiKeySource == .environment(variable: "AGENT_API_KEY"))

        let openAI = try sandbox.load(environment: ["OPENAI_API_KEY": "openai-key"])
        #expect(openAI.apiKey == "openai-key")
        #expect(openAI.apiKeySource == .environment(variable: "OPENAI_API_KEY"))

        let none = try sandbox.load(environment: ["AGENT_API_KEY": ""])
        #expect(none.apiKey == nil)
        #expect(none.apiKeySource == nil)
        #expect(none.warnings.isEmpty)
    }

    @Test func apiKeyEnvNamesTheOnlyVariableRead() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("api_key_env = \"GROQ_API_KEY\"\n")
        let environment = ["GROQ_API_KEY": "gsk_groq", "AGENT_API_KEY": "agent-key", "OPENAI_API_KEY": "openai-key"]
        let config = try sandbox.load(environment: environment)
        #expect(config.apiKey == "gsk_groq")
        #expect(config.apiKeySource == .environment(variable: "GROQ_API_KEY"))
    }

    @Test func unsetApiKeyEnvVariableWarnsAndSendsNoKey() throws {
        let sandbox = try Sandbox()
        let config = try sandbox.load(
            environment: ["OPENAI_API_KEY": "openai-key"], flags: ConfigFlags(apiKeyEnv: "GROQ_API_KEY"))
        #expect(config.apiKey == nil)
        #expect(config.warnings == [.apiKeyVariableUnset(variable: "GROQ_API_KEY")])
        #expect(
            config.warnings.map(\.description) == [
                "config warning: api_key_env names GROQ_API_KEY, which is not set; no API key will be sent"
            ])
    }

    @Test(arguments: [
        ("sk-proj-abcdefghijklmnop1234", "sk-…1234"),
        ("gsk_0123456789abcdefWXYZ", "gsk_…WXYZ"),
        ("0123456789abcdef", "…cdef"),
        ("verylongprefix-0123456789", "…6789"),
        ("short-key", "(set, hidden)"),
    ])
    func maskShowsOnlyTheLastFourCharacters(key: String, masked: String) throws {
        let config = try Sandbox().load(environment: ["AGENT_API_KEY": key])
        #expect(config.maskedAPIKey == masked)
        let text = config.describe()
        #expect(!text.contains(key))
        #expect(text.contains("api_key = \(masked)"))
    }

    @Test func maskWithoutKey() throws {
        let config = try Sandbox().load()
        #expect(config.maskedAPIKey == "(not set)")
        #expect(config.describe().contains("api_key = (not set)"))
    }
}
