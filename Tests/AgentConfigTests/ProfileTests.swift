import Testing

@testable import AgentConfig

/// `[profiles.NAME]` tables, chosen by `--profile`, `-c profile=` or `profile = "…"`.
@Suite struct ProfileTests {
    let configText = """
        profile = "ollama"

        [profiles.ollama]
        model = "qwen3"

        [profiles.openai]
        endpoint = "https://api.openai.com"
        api_key_env = "OPENAI_API_KEY"
        model = "gpt-4o-mini"

        [profiles.openai.retry]
        max_retries = 5

        [profiles.llamacpp]
        endpoint = "http://127.0.0.1:8080"
        tools = { approval = "read-only" }
        """

    @Test func flagSelectsAProfileWithNestedTables() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(configText)
        let config = try sandbox.load(
            environment: ["OPENAI_API_KEY": "sk-0123456789abcd"], flags: ConfigFlags(profile: "openai"))
        #expect(config.profile == "openai")
        #expect(config.profileSource == .flag(name: "--profile"))
        #expect(config.settings.model == "gpt-4o-mini")
        #expect(config.settings.endpoint == "https://api.openai.com")
        #expect(config.settings.retry.maxRetries == 5)
        #expect(config.source(of: .retryMaxRetries) == .profile(name: "openai", path: path))
        #expect(config.apiKey == "sk-0123456789abcd")
        #expect(config.apiKeySource == .environment(variable: "OPENAI_API_KEY"))
    }

    @Test func inlineTablesInAProfile() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        let config = try sandbox.load(flags: ConfigFlags(profile: "llamacpp"))
        #expect(config.settings.tools.approval == .readOnly)
        #expect(config.settings.chatURL == "http://127.0.0.1:8080/v1/chat/completions")
    }

    @Test func profileKeyInTheFileIsTheDefault() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(configText)
        let config = try sandbox.load()
        #expect(config.profile == "ollama")
        #expect(config.profileSource == .file(path: path))
        #expect(config.settings.model == "qwen3")
    }

    @Test func overrideSelectsAProfileButTheFlagWins() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        let byOverride = try sandbox.load(overrides: ["profile=llamacpp"])
        #expect(byOverride.profile == "llamacpp")
        #expect(byOverride.profileSource == .override)
        let byFlag = try sandbox.load(flags: ConfigFlags(profile: "openai"), overrides: ["profile=llamacpp"])
        #expect(byFlag.profile == "openai")
    }

    @Test func noProfileWithoutSelection() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("[profiles.a]\nmodel = \"a\"\n")
        let config = try sandbox.load()
        #expect(config.profile == nil)
        #expect(config.settings.model == "llama3.2")
    }

    @Test func unknownProfileListsTheAvailableOnes() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(configText)
        #expect(
            sandbox.loadError(flags: ConfigFlags(profile: "azure"))
                == "config error: unknown profile \"azure\" (from --profile); available: llamacpp, ollama, openai")
    }

    @Test func unknownDefaultProfileNamesTheFile() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("profile = \"gone\"\n[profiles.here]\nmodel = \"x\"\n")
        #expect(
            sandbox.loadError() == "config error: unknown profile \"gone\" (from \(path)); available: here")
    }

    @Test func unknownProfileWithoutAnyFile() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.loadError(flags: ConfigFlags(profile: "x"))
                == "config error: unknown profile \"x\" (from --profile); no profiles are defined")
    }

    @Test func badValueInAnUnselectedProfileIsStillAnError() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("[profiles.slow]\ntimeout = -1\n")
        #expect(
            sandbox.loadError()
                == "config error: profiles.slow.timeout in \(path): expected a positive number of seconds, at most 1000000, got -1")
    }

    @Test func profileThatIsNotATable() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("profiles = { fast = 3 }\n")
        #expect(sandbox.loadError() == "config error: profiles.fast in \(path): expected a table, got 3")
    }
}
