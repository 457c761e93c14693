import AgentConfig
import ArgumentParser
import Foundation

/// Options every command shares: where configuration comes from.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("Read configuration from FILE.", valueName: "FILE"))
    var configFile: String?

    @Option(help: "Use the named profile from the config file.")
    var profile: String?

    @Option(name: .customShort("c"), help: ArgumentHelp(
        "Override a config key, e.g. -c retry.max_retries=5 (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Option(name: [.customShort("m"), .long], help: "Model to use.")
    var model: String?

    @Option(help: "Server URL, e.g. http://127.0.0.1:11434.")
    var endpoint: String?

    @Option(name: .customLong("api-key-env"), help: ArgumentHelp("Read the API key from this environment variable.", valueName: "VAR"))
    var apiKeyEnv: String?

    @Option(help: ArgumentHelp(
        "When tools need your consent: ask, auto (no questions inside the workspace), read-only, or full (never asks).",
        valueName: "mode"))
    var approval: String?

    @Option(help: "Sampling temperature (0 to 2).")
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: "Most tokens an answer may have.")
    var maxTokens: Int?

    @Option(help: ArgumentHelp("Request timeout in seconds.", valueName: "seconds"))
    var timeout: Double?

    @Option(name: .customLong("system-prompt"), help: "Replace the built-in system prompt.")
    var systemPrompt: String?

    @Flag(inversion: .prefixedNo, help: "Show the model's reasoning text (dimmed).")
    var showReasoning: Bool?

    @Flag(name: .customLong("no-color"), help: "Do not use colours.")
    var noColor = false

    @Flag(name: .customLong("allow-insecure-http"),
          help: "Send the API key even over plain http to another machine (anyone on the network can read it).")
    var allowInsecureHTTP = false

    func flags(noSave: Bool = false) -> ConfigFlags {
        ConfigFlags(configFile: configFile, profile: profile, model: model, endpoint: endpoint, apiKeyEnv: apiKeyEnv,
                    approval: approval, temperature: temperature, maxTokens: maxTokens, timeout: timeout,
                    systemPrompt: systemPrompt, showReasoning: showReasoning, noSave: noSave, noColor: noColor,
                    allowInsecureHTTP: allowInsecureHTTP)
    }

    func load(noSave: Bool = false) throws -> ResolvedConfig {
        let resolved = try ConfigLoader(environment: ProcessInfo.processInfo.environment)
            .load(flags: flags(noSave: noSave), overrides: overrides)
        // Each warning's text says what it is ("config warning: …").
        for warning in resolved.warnings { Output.err("agent: \(warning)\n") }
        return resolved
    }
}
