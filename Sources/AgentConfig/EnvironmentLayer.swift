/// Reads the environment variables agent understands into assignments.
///
/// Among variables that set the same key, `AGENT_*` beats `OPENAI_*` beats `OLLAMA_HOST`;
/// only the winner is read, so a stale `OLLAMA_HOST` kept for the Ollama server does not
/// matter once `AGENT_ENDPOINT` is set. Empty variables count as unset.
enum EnvironmentLayer {
    /// Assignments from `environment`, skipping keys in `keysSetAbove` (set by `-c` or a flag),
    /// so an environment variable the command line overrides is never even checked.
    /// - Throws: `ConfigError.invalidValue` naming the variable when an address cannot be parsed.
    static func assignments(
        from environment: [String: String], keysSetAbove: Set<SettingKey>
    ) throws(ConfigError) -> [Assignment] {
        func value(_ name: String) -> String? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            return text
        }
        func assignment(_ key: SettingKey, _ value: ConfigValue, from variable: String) -> Assignment {
            Assignment(key: key, value: value, source: .environment(variable: variable), writtenKey: key.rawValue)
        }

        var result: [Assignment] = []
        if !keysSetAbove.contains(.model), let model = value("AGENT_MODEL") {
            result.append(assignment(.model, .string(model), from: "AGENT_MODEL"))
        }
        if !keysSetAbove.contains(.endpoint) {
            if let endpoint = value("AGENT_ENDPOINT") {
                result.append(assignment(.endpoint, .string(endpoint), from: "AGENT_ENDPOINT"))
            } else if let base = value("OPENAI_BASE_URL") {
                guard let (endpoint, apiPath) = Endpoint.fromOpenAIBase(base) else {
                    throw .invalidValue(
                        key: "endpoint", location: "OPENAI_BASE_URL",
                        expected: Endpoint.openAIBaseExpectation, got: ConfigValue.quoted(base))
                }
                result.append(assignment(.endpoint, .string(endpoint), from: "OPENAI_BASE_URL"))
                if !keysSetAbove.contains(.apiPath) {
                    result.append(assignment(.apiPath, .string(apiPath), from: "OPENAI_BASE_URL"))
                }
            } else if let host = value("OLLAMA_HOST") {
                guard let endpoint = Endpoint.fromOllamaHost(host) else {
                    throw .invalidValue(
                        key: "endpoint", location: "OLLAMA_HOST",
                        expected: Endpoint.ollamaHostExpectation, got: ConfigValue.quoted(host))
                }
                result.append(assignment(.endpoint, .string(endpoint), from: "OLLAMA_HOST"))
            }
        }
        if !keysSetAbove.contains(.color), value("NO_COLOR") != nil {
            result.append(assignment(.color, .boolean(false), from: "NO_COLOR"))
        }
        return result
    }

    /// The API key and the variable it came from.
    ///
    /// When `api_key_env` is set only that variable is read: sending another provider's key
    /// to this endpoint would leak it. Otherwise `AGENT_API_KEY`, then `OPENAI_API_KEY`.
    static func apiKey(
        from environment: [String: String], apiKeyEnv: String?
    ) -> (key: String, variable: String)? {
        let candidates = apiKeyEnv.map { [$0] } ?? ["AGENT_API_KEY", "OPENAI_API_KEY"]
        for variable in candidates {
            if let key = environment[variable], !key.isEmpty { return (key, variable) }
        }
        return nil
    }
}
