import Testing

@testable import AgentConfig

/// `-c key=value` arguments.
@Suite struct OverrideTests {
    @Test func nestedAndTopLevelKeys() throws {
        let config = try Sandbox().load(overrides: [
            "retry.max_retries=5", "timeout=90.5", "show_reasoning=false", "temperature=0",
            "sessions.dir=~/chats", "tools.approval=auto",
        ])
        #expect(config.settings.retry.maxRetries == 5)
        #expect(config.settings.timeout == 90.5)
        #expect(config.settings.showReasoning == false)
        #expect(config.settings.temperature == 0)
        #expect(config.settings.sessions.dir == "~/chats")
        #expect(config.sessionsDirectory == config.paths.home + "/chats")
        #expect(config.settings.tools.approval == .auto)
        for key in [SettingKey.retryMaxRetries, .timeout, .showReasoning, .temperature, .sessionsDir, .toolsApproval] {
            #expect(config.source(of: key) == .override)
        }
    }

    @Test(arguments: [
        ("model=llama3.2", "llama3.2"),
        ("model=\"llama3.2\"", "llama3.2"),
        ("model='qwen3:8b'", "qwen3:8b"),
        ("model = spaced ", "spaced"),
        ("model=123", "123"),
        ("model=true", "true"),
        ("model=a=b", "a=b"),
    ])
    func stringKeysTakeBareWordsAndTOMLStrings(argument: String, model: String) throws {
        #expect(try Sandbox().load(overrides: [argument]).settings.model == model)
    }

    @Test func bareEndpointAndPath() throws {
        let config = try Sandbox().load(overrides: ["endpoint=http://127.0.0.1:8080/", "api_path=/api/chat"])
        #expect(config.settings.chatURL == "http://127.0.0.1:8080/api/chat")
    }

    @Test func laterOverrideWins() throws {
        let config = try Sandbox().load(overrides: ["model=a", "model=b"])
        #expect(config.settings.model == "b")
    }

    @Test func numbersAreParsedAsTOML() throws {
        let config = try Sandbox().load(overrides: ["truncation.threshold_tokens=32_000", "retry.backoff_max=1e2"])
        #expect(config.settings.truncation.thresholdTokens == 32_000)
        #expect(config.settings.retry.backoffMax == 100)
    }

    @Test(arguments: ["foo", "", "=5", "  =x"])
    func missingEqualsOrKey(argument: String) throws {
        #expect(
            try Sandbox().loadError(overrides: [argument])
                == "config error: -c \(ConfigValue.quoted(argument)): expected key=value, e.g. -c retry.max_retries=5")
    }

    @Test func unknownKeySuggestsTheClosest() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.loadError(overrides: ["retry.max_retires=2"])
                == "config error: unknown key \"retry.max_retires\" in -c override (did you mean \"retry.max_retries\"?)")
        #expect(
            sandbox.loadError(overrides: ["max_retries=2"])
                == "config error: unknown key \"max_retries\" in -c override (did you mean \"retry.max_retries\"?)")
        #expect(sandbox.loadError(overrides: ["zzz=1"]) == "config error: unknown key \"zzz\" in -c override")
    }

    @Test func wrongTypes() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.loadError(overrides: ["retry.max_retries=lots"])
                == "config error: retry.max_retries in -c override: expected an integer from 0 to 100, got \"lots\"")
        #expect(
            sandbox.loadError(overrides: ["retry.max_retries=\"5\""])
                == "config error: retry.max_retries in -c override: expected an integer from 0 to 100, got \"5\"")
        #expect(
            sandbox.loadError(overrides: ["show_reasoning=yes"])
                == "config error: show_reasoning in -c override: expected true or false, got \"yes\"")
        #expect(
            sandbox.loadError(overrides: ["model="])
                == "config error: model in -c override: expected a non-empty string, got \"\"")
    }
}
