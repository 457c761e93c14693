import Foundation
import Testing

@testable import AgentConfig

/// Every kind of bad input yields one exact line.
@Suite struct BadInputTests {
    @Test func unknownKeysWarnWithFileAndLine() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(
            """
            # my config
            modle = "qwen3"

            [retry]
            max_retries = 2
            max_retires = 4

            [colour]
            enabled = false

            [profiles.fast]
            timeout = 30
            "temprature" = 0.1
            """)
        let config = try sandbox.load()
        #expect(config.settings.retry.maxRetries == 2)
        #expect(
            config.warnings.map(\.description) == [
                "config warning: unknown key \"modle\" in \(path):2 (did you mean \"model\"?)",
                "config warning: unknown key \"retry.max_retires\" in \(path):6 (did you mean \"retry.max_retries\"?)",
                "config warning: unknown key \"colour\" in \(path):8 (did you mean \"color\"?)",
                "config warning: unknown key \"profiles.fast.temprature\" in \(path):13 "
                    + "(did you mean \"profiles.fast.temperature\"?)",
            ])
    }

    @Test func unknownKeyInDottedAndInlineForms() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(
            """
            retry.bogus = 1
            sessions = { autosave = true, nothing = 2 }
            """)
        let config = try sandbox.load()
        #expect(
            config.warnings == [
                .unknownKey(key: "retry.bogus", path: path, line: 1, suggestion: nil),
                .unknownKey(key: "sessions.nothing", path: path, line: 2, suggestion: nil),
            ])
    }

    @Test func wrongType() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("[retry]\nmax_retries = \"lots\"\n")
        #expect(
            sandbox.loadError()
                == "config error: retry.max_retries in \(path): expected an integer from 0 to 100, got \"lots\"")
    }

    @Test func negativeTimeout() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("timeout = -5\n")
        #expect(
            sandbox.loadError() == "config error: timeout in \(path): expected a positive number of seconds, at most 1000000, got -5")
    }

    @Test func badEndpoint() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("endpoint = \"localhost:11434\"\n")
        #expect(
            sandbox.loadError()
                == "config error: endpoint in \(path): expected an http(s) URL such as http://127.0.0.1:11434, "
                + "got \"localhost:11434\"")
        try sandbox.writeConfig("endpoint = \"ftp://example.com\"\n")
        #expect(sandbox.loadError()?.hasSuffix("got \"ftp://example.com\"") == true)
    }

    @Test func badApproval() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("[tools]\napproval = \"sometimes\"\n")
        #expect(
            sandbox.loadError()
                == "config error: tools.approval in \(path): expected one of \"ask\", \"auto\", \"full\", \"read-only\", "
                + "got \"sometimes\"")
        #expect(
            try Sandbox().loadError(flags: ConfigFlags(approval: "yes"))
                == "config error: tools.approval in --approval: expected one of \"ask\", \"auto\", \"full\", \"read-only\", "
                + "got \"yes\"")
    }

    @Test(arguments: [
        ("temperature = 2.5", "temperature", "a number from 0 to 2", "2.5"),
        ("max_tokens = 0", "max_tokens", "an integer from 1 to 10000000", "0"),
        ("connect_timeout = 0", "connect_timeout", "a positive number of seconds, at most 1000000", "0"),
        ("api_path = \"v1/chat\"", "api_path", "a path starting with /", "\"v1/chat\""),
        ("api_key_env = \"MY KEY\"", "api_key_env", "an environment variable name such as OPENAI_API_KEY", "\"MY KEY\""),
        ("show_reasoning = 1", "show_reasoning", "true or false", "1"),
        ("model = [\"a\"]", "model", "a non-empty string", "an array"),
        ("timeout = { s = 1 }", "timeout", "a positive number of seconds, at most 1000000", "a table"),
        ("timeout = inf", "timeout", "a positive number of seconds, at most 1000000", "inf"),
        ("retry = 3", "retry", "a table", "3"),
        ("[retry]\nbackoff_base = -1", "retry.backoff_base", "a non-negative number of seconds, at most 1000000", "-1"),
        ("[retry]\nstream_idle_timeout = 0", "retry.stream_idle_timeout", "a positive number of seconds, at most 1000000", "0"),
        ("[truncation]\nkeep_recent = 0", "truncation.keep_recent", "an integer from 1 to 1000000", "0"),
        ("[truncation]\nthreshold_tokens = 1.5", "truncation.threshold_tokens", "an integer from 1 to 100000000", "1.5"),
        ("[compaction]\nauto_at = 0", "compaction.auto_at", "a number from 0.1 to 1", "0"),
        ("[compaction]\nauto_at = 1.5", "compaction.auto_at", "a number from 0.1 to 1", "1.5"),
        ("[compaction]\nauto_at = nan", "compaction.auto_at", "a number from 0.1 to 1", "nan"),
        ("[compaction]\nauto = \"yes\"", "compaction.auto", "true or false", "\"yes\""),
        ("[sessions]\nkeep = -1", "sessions.keep", "an integer from 0 to 1000000", "-1"),
        ("[sessions]\nmax_age_days = -3", "sessions.max_age_days", "an integer from 0 to 1000000", "-3"),
        ("api = \"ollama-native\"", "api", "one of \"auto\", \"openai\", \"ollama\"", "\"ollama-native\""),
        ("context_window = 100", "context_window", "an integer from 256 to 100000000 (tokens)", "100"),
        ("[sessions]\ndir = \"\"", "sessions.dir", "a directory path", "\"\""),
        ("[tools]\nshell_timeout = -1", "tools.shell_timeout", "a positive number of seconds, at most 1000000", "-1"),
        ("profile = 3", "profile", "a profile name", "3"),
        ("[sessions]\nautosave = 1979-05-27", "sessions.autosave", "true or false", "1979-05-27"),
    ])
    func outOfRangeValues(text: String, key: String, expected: String, got: String) throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(text + "\n")
        #expect(sandbox.loadError() == "config error: \(key) in \(path): expected \(expected), got \(got)")
    }

    @Test func backoffMaxBelowBaseBlamesTheLaterLayer() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("[retry]\nbackoff_base = 60\n")
        #expect(
            sandbox.loadError()
                == "config error: retry.backoff_base in \(path): expected a number of seconds <= retry.backoff_max (30), "
                + "got 60")
        #expect(
            sandbox.loadError(overrides: ["retry.backoff_max=10"])
                == "config error: retry.backoff_max in -c override: expected a number of seconds >= retry.backoff_base "
                + "(60), got 10")
        #expect(try sandbox.load(overrides: ["retry.backoff_max=60"]).settings.retry.backoffMax == 60)
    }

    @Test func tomlSyntaxError() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("model = \"a\"\n\n[retry\nmax_retries = 3\n")
        let message = try #require(sandbox.loadError())
        #expect(message.hasPrefix("config error: invalid TOML in \(path) at line 3, column "))
        #expect(!message.contains("\n"))
    }

    @Test func duplicateKeyIsASyntaxError() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig("model = \"a\"\nmodel = \"b\"\n")
        let message = try #require(sandbox.loadError())
        #expect(message.hasPrefix("config error: invalid TOML in \(path) at line 2, column "))
    }

    @Test func missingExplicitConfigFile() throws {
        let sandbox = try Sandbox()
        let path = sandbox.root + "/nowhere.toml"
        #expect(
            sandbox.loadError(flags: ConfigFlags(configFile: path))
                == "config error: config file \(path) does not exist")
    }

    @Test func missingDefaultConfigFileIsFine() throws {
        let config = try Sandbox().load()
        #expect(config.configFile == nil)
    }

    @Test func configFileThatIsADirectory() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.loadError(flags: ConfigFlags(configFile: sandbox.root))
                == "config error: cannot read config file \(sandbox.root): it is a directory")
    }

    @Test func configFileThatIsNotUTF8() throws {
        let sandbox = try Sandbox()
        try sandbox.writeConfig("")
        try Data([0x6D, 0x3D, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: sandbox.defaultConfigPath))
        #expect(
            sandbox.loadError()
                == "config error: cannot read config file \(sandbox.defaultConfigPath): it is not UTF-8 text")
    }

    @Test func flagValuesAreCheckedLikeFileValues() throws {
        let sandbox = try Sandbox()
        #expect(
            sandbox.loadError(flags: ConfigFlags(temperature: 3))
                == "config error: temperature in --temperature: expected a number from 0 to 2, got 3")
        #expect(
            sandbox.loadError(flags: ConfigFlags(endpoint: "example.com"))
                == "config error: endpoint in --endpoint: expected an http(s) URL such as http://127.0.0.1:11434, "
                + "got \"example.com\"")
    }
}
