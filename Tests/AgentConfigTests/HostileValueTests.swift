import AgentProtocol
import Testing

@testable import AgentConfig

/// Values a hostile or careless user can pass: each is a one-line error (exit 2), never a trap
/// in a conversion further down (these crashed with SIGILL before the ranges existed).
@Suite struct HostileValueTests {
    @Test(arguments: [
        "tools.shell_timeout=1e17", "retry.backoff_max=1e308", "retry.stream_idle_timeout=9e18", "timeout=1e16",
        "connect_timeout=inf", "retry.backoff_base=nan", "retry.max_retries=1000000", "max_tokens=9223372036854775807",
        "truncation.keep_recent=9223372036854775807", "sessions.max_age_days=9223372036854775807",
        "compaction.auto_at=1e308", "compaction.auto_at=-inf",
    ])
    func hugeValuesAreErrors(_ override: String) throws {
        let message = try #require(try Sandbox().loadError(overrides: [override]))
        #expect(message.hasPrefix("config error: "))
        #expect(message.contains("expected"))
    }

    @Test func theLargestDurationIsAccepted() throws {
        let config = try Sandbox().load(overrides: ["tools.shell_timeout=1000000", "retry.backoff_max=1000000"])
        #expect(config.settings.tools.shellTimeout == 1_000_000)
    }

    @Test(arguments: [Double.nan, .infinity, 1e17, -1, 0])
    func timeoutFlagIsChecked(_ value: Double) throws {
        #expect(try Sandbox().loadError(flags: ConfigFlags(timeout: value))?.contains("--timeout") == true)
    }

    @Test(arguments: [
        "http://127.0.0.1:65536", "http://127.0.0.1:0", "http://127.0.0.1:99999999999999999999", "http://[::1]:70000",
        "http://h:", "http://h:-1", "http://user@h:65536/v1", "http://h:8o80",
    ])
    func badPortsAreRejected(_ url: String) throws {
        let message = try #require(try Sandbox().loadError(flags: ConfigFlags(endpoint: url)))
        #expect(message.contains("endpoint in --endpoint"))
    }

    @Test(arguments: ["http://127.0.0.1:65535", "http://[::1]:8080/v1", "https://api.openai.com", "http://user@h:80"])
    func goodPortsAreAccepted(_ url: String) throws {
        #expect(try Sandbox().loadError(flags: ConfigFlags(endpoint: url)) == nil)
    }

    @Test func theKeyIsNotSentOverPlainHTTPToAnotherHost() throws {
        let sandbox = try Sandbox()
        let key = ["OPENAI_API_KEY": "sk-test-1234567890"]
        let remote = try sandbox.load(environment: key, flags: ConfigFlags(endpoint: "http://10.1.2.3:11434"))
        #expect(throws: ConfigError.insecureKeyTransport(endpoint: "http://10.1.2.3:11434", variable: "OPENAI_API_KEY")) {
            try remote.checkKeyTransport()
        }
        #expect(ConfigError.insecureKeyTransport(endpoint: "http://x", variable: "V").description
            .contains("--allow-insecure-http"))
        for fine in ["https://10.1.2.3", "http://127.0.0.1:8080", "http://localhost:11434", "http://[::1]:1"] {
            try sandbox.load(environment: key, flags: ConfigFlags(endpoint: fine)).checkKeyTransport()
        }
        // No key: nothing to protect. The flag: the user's decision.
        try sandbox.load(flags: ConfigFlags(endpoint: "http://10.1.2.3")).checkKeyTransport()
        try sandbox.load(environment: key, flags: ConfigFlags(endpoint: "http://10.1.2.3", allowInsecureHTTP: true))
            .checkKeyTransport()
    }

    @Test func fullMustBeSpeltOut() throws {
        #expect(try Sandbox().load(flags: ConfigFlags(approval: "full")).settings.tools.approval == .full)
        #expect(try Sandbox().loadError(flags: ConfigFlags(approval: "Full")) != nil)
        #expect(Settings().tools.approval == .ask)
    }

    /// Each of these aborted agent inside toml++ (found by scripts/fuzz FuzzConfig).
    @Test(arguments: ["[:1]\n", "[", "[\n", "[ [x]]\n", "[[ :x]]\n", "a = 1\n  [\u{1}\n", "[\r\n"])
    func tableHeadersThatCrashedTheParserAreSyntaxErrors(_ text: String) throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig(text)
        #expect(sandbox.loadError()?.contains("invalid TOML") == true)
        #expect(try Sandbox().loadError(overrides: ["timeout=1\n" + text]) != nil)
    }

    @Test func bracketsInsideMultiLineStringsAreFine() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("system_prompt = \"\"\"\n[!NOTE] be brief\n[:1]\n\"\"\"\n[tools]\napproval = \"auto\"\n")
        let config = try sandbox.load()
        #expect(config.settings.systemPrompt == "[!NOTE] be brief\n[:1]\n")
        #expect(config.settings.tools.approval == .auto)
    }
}
