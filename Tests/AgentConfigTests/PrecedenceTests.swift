import Testing

@testable import AgentConfig

/// Each layer beats the one below it: default < file < profile < env < -c < flag.
@Suite struct PrecedenceTests {
    let configText = """
        profile = "work"
        model = "from-file"

        [profiles.work]
        model = "from-profile"
        """

    @Test func defaultsApplyWithoutAnyLayer() throws {
        let sandbox = try Sandbox()
        let config = try sandbox.load()
        #expect(config.settings == Settings())
        #expect(config.settings.model == "llama3.2")
        #expect(config.settings.endpoint == "http://127.0.0.1:11434")
        #expect(config.settings.chatURL == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(config.sources.isEmpty)
        #expect(config.configFile == nil)
        #expect(config.profile == nil)
        #expect(config.warnings.isEmpty)
        for key in SettingKey.allCases {
            #expect(config.source(of: key) == .builtIn)
        }
    }

    @Test func fileBeatsDefault() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("model = \"from-file\"\n")
        let config = try sandbox.load()
        #expect(config.settings.model == "from-file")
        #expect(config.source(of: .model) == .file(path: path))
        #expect(config.source(of: .endpoint) == .builtIn)
        #expect(config.configFile == path)
    }

    @Test func profileBeatsFile() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(configText)
        let config = try sandbox.load()
        #expect(config.settings.model == "from-profile")
        #expect(config.source(of: .model) == .profile(name: "work", path: path))
        #expect(config.profile == "work")
        #expect(config.profileSource == .file(path: path))
    }

    @Test func environmentBeatsProfile() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        let config = try sandbox.load(environment: ["AGENT_MODEL": "from-env"])
        #expect(config.settings.model == "from-env")
        #expect(config.source(of: .model) == .environment(variable: "AGENT_MODEL"))
    }

    @Test func overrideBeatsEnvironment() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        let config = try sandbox.load(environment: ["AGENT_MODEL": "from-env"], overrides: ["model=from-c"])
        #expect(config.settings.model == "from-c")
        #expect(config.source(of: .model) == .override)
    }

    @Test func flagBeatsOverride() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        let config = try sandbox.load(
            environment: ["AGENT_MODEL": "from-env"], flags: ConfigFlags(model: "from-flag"), overrides: ["model=from-c"])
        #expect(config.settings.model == "from-flag")
        #expect(config.source(of: .model) == .flag(name: "--model"))
    }

    @Test func layersMergeKeyByKey() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(
            """
            profile = "work"
            timeout = 100
            [retry]
            max_retries = 1
            backoff_base = 2
            [profiles.work.retry]
            max_retries = 2
            """)
        let config = try sandbox.load(
            environment: ["NO_COLOR": "1"], flags: ConfigFlags(noSave: true), overrides: ["tools.shell_timeout=5"])
        var expected = Settings()
        expected.timeout = 100
        expected.retry.maxRetries = 2
        expected.retry.backoffBase = 2
        expected.color = false
        expected.sessions.autosave = false
        expected.tools.shellTimeout = 5
        #expect(config.settings == expected)
        #expect(
            config.sources == [
                .timeout: .file(path: path),
                .retryMaxRetries: .profile(name: "work", path: path),
                .retryBackoffBase: .file(path: path),
                .color: .environment(variable: "NO_COLOR"),
                .sessionsAutosave: .flag(name: "--no-save"),
                .toolsShellTimeout: .override,
            ])
    }

    @Test func everyFlagSetsItsKey() throws {
        let sandbox = try Sandbox()
        let flags = ConfigFlags(
            model: "m", endpoint: "https://example.com/", apiKeyEnv: "MY_KEY", approval: "read-only",
            temperature: 0.5, maxTokens: 256, timeout: 30, systemPrompt: "Be brief.", showReasoning: false,
            noSave: true, noColor: true)
        let config = try sandbox.load(environment: ["MY_KEY": "secret-value-1234"], flags: flags)
        var expected = Settings()
        expected.model = "m"
        expected.endpoint = "https://example.com"
        expected.apiKeyEnv = "MY_KEY"
        expected.tools.approval = .readOnly
        expected.temperature = 0.5
        expected.maxTokens = 256
        expected.timeout = 30
        expected.systemPrompt = "Be brief."
        expected.showReasoning = false
        expected.sessions.autosave = false
        expected.color = false
        #expect(config.settings == expected)
        #expect(config.source(of: .showReasoning) == .flag(name: "--no-show-reasoning"))
        #expect(config.source(of: .toolsApproval) == .flag(name: "--approval"))
        #expect(config.apiKey == "secret-value-1234")
    }

    @Test func commandLineEndpointSkipsTheEnvironmentVariables() throws {
        let sandbox = try Sandbox()
        let config = try sandbox.load(
            environment: ["OLLAMA_HOST": "not a host:99999", "OPENAI_BASE_URL": "nonsense"],
            flags: ConfigFlags(endpoint: "http://10.0.0.2:8080"))
        #expect(config.settings.endpoint == "http://10.0.0.2:8080")
        #expect(config.settings.apiPath == "/v1/chat/completions")
    }

    @Test func explicitConfigFileReplacesTheDefaultOne() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("model = \"default-file\"\n")
        let other = try sandbox.write("model = \"other-file\"\n", to: sandbox.root + "/elsewhere/agent.toml")
        let config = try sandbox.load(flags: ConfigFlags(configFile: other))
        #expect(config.settings.model == "other-file")
        #expect(config.configFile == other)
    }

    @Test func explicitConfigFileExpandsTilde() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.write("model = \"home-file\"\n", to: sandbox.root + "/home/agent.toml")
        let config = try sandbox.load(flags: ConfigFlags(configFile: "~/agent.toml"))
        #expect(config.settings.model == "home-file")
        #expect(config.configFile == path)
    }
}
