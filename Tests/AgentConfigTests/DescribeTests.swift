import Testing

@testable import AgentConfig

/// The text of `agent config`.
@Suite struct DescribeTests {
    @Test func everyKeyWithItsSource() throws {
        let sandbox = try Sandbox()
        let path = try sandbox.writeConfig(
            """
            profile = "openai"
            [retry]
            max_retries = 4
            [profiles.openai]
            endpoint = "https://api.openai.com"
            api_key_env = "OPENAI_API_KEY"
            model = "gpt-4o-mini"
            """)
        let config = try sandbox.load(
            environment: ["OPENAI_API_KEY": "sk-proj-SECRETSECRETSECRETabcd", "NO_COLOR": "1"],
            flags: ConfigFlags(approval: "auto"), overrides: ["temperature=0.2"])
        let state = sandbox.root + "/state/agent/sessions"
        let expected = """
            # config file: \(path)
            # profile: openai (selected by file \(path))
            model = "gpt-4o-mini"                        # profile openai
            endpoint = "https://api.openai.com"          # profile openai
            api_path = "/v1/chat/completions"            # default
            api = "auto"                                 # default
            context_window = (learned from the server)   # default
            api_key_env = "OPENAI_API_KEY"               # profile openai
            api_key = sk-…abcd                           # env OPENAI_API_KEY
            allow_insecure_http = false                  # default
            temperature = 0.2                            # -c override
            max_tokens = (server default)                # default
            timeout = 600                                # default
            connect_timeout = 10                         # default
            system_prompt = (built-in)                   # default
            show_reasoning = true                        # default
            color = false                                # env NO_COLOR

            [retry]
            max_retries = 4                              # file \(path)
            backoff_base = 1                             # default
            backoff_max = 30                             # default
            stream_idle_timeout = 60                     # default

            [truncation]
            threshold_tokens = (none)                    # default
            keep_recent = 8                              # default

            [compaction]
            auto = true                                  # default
            auto_at = 0.8                                # default

            [sessions]
            dir = "\(state)"                            # default
            autosave = true                              # default
            keep = 100                                   # default
            max_age_days = 30                            # default

            [tools]
            approval = "auto"                            # flag --approval
            shell_timeout = 120                          # default
            checkpoints = true                           # default

            """
        #expect(config.describe().replacingSpaceRuns() == expected.replacingSpaceRuns())
        #expect(!config.describe().contains("SECRET"))
    }

    @Test func sourceColumnIsAlignedExceptAfterLongValues() throws {
        let sandbox = try Sandbox()
        let longDir = "/" + String(repeating: "very-long-directory/", count: 4)
        let text = try sandbox.load(overrides: ["sessions.dir=" + longDir]).describe()
        let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains("  # ") }
        #expect(rows.count == SettingKey.allCases.count + 1)
        let columns = rows.filter { !$0.contains(longDir) }.compactMap { row in
            row.range(of: "  # ").map { row.distance(from: row.startIndex, to: $0.lowerBound) }
        }
        #expect(Set(columns).count == 1)
        #expect(rows.contains("dir = \"\(longDir)\"  # -c override"))
    }

    @Test func missingFileAndLongPromptAreShownPlainly() throws {
        let sandbox = try Sandbox()
        let prompt = String(repeating: "word ", count: 30) + "\nsecond line"
        let text = try sandbox.load(flags: ConfigFlags(systemPrompt: prompt)).describe()
        #expect(text.hasPrefix("# config file: \(sandbox.defaultConfigPath) (not found)\n"))
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("system_prompt = ") })
        #expect(line.hasPrefix("system_prompt = \"" + String(prompt.prefix(60)) + "\"…"))
        #expect(line.hasSuffix("# flag --system-prompt"))
    }
}

extension String {
    /// Collapses runs of spaces, so the comparison ignores the padding width.
    fileprivate func replacingSpaceRuns() -> String {
        split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .joined(separator: "\n")
    }
}
