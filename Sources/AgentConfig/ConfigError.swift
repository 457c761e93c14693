import Foundation

/// Why the configuration could not be resolved. The CLI prints `description` (one line)
/// and exits with status 2.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key holds a value of the wrong type or outside its range. `key` is spelled as the
    /// user wrote it (`profiles.fast.timeout`); `location` is a file path, an environment
    /// variable, `-c override` or a flag.
    case invalidValue(key: String, location: String, expected: String, got: String)
    /// A `-c` override names no known key.
    case unknownOverrideKey(key: String, suggestion: String?)
    /// A `-c` argument is not `key=value`.
    case malformedOverride(argument: String)
    /// The config file is not valid TOML.
    case syntax(path: String, line: Int, column: Int, message: String)
    /// The file given with `--config` does not exist.
    case missingFile(path: String)
    /// The config file exists but could not be read as UTF-8 text.
    case unreadableFile(path: String, reason: String)
    /// The selected profile is not defined. `selectedBy` names where the choice came from.
    case unknownProfile(name: String, selectedBy: String, available: [String])
    /// An API key would go over plain http to another host; `variable` holds the key.
    case insecureKeyTransport(endpoint: String, variable: String)

    public var description: String {
        "config error: " + detail
    }

    private var detail: String {
        switch self {
        case let .invalidValue(key, location, expected, got):
            return "\(key) in \(location): expected \(expected), got \(got)"
        case let .unknownOverrideKey(key, suggestion):
            let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
            return "unknown key \"\(key)\" in -c override\(hint)"
        case .malformedOverride(let argument):
            return "-c \(ConfigValue.quoted(argument)): expected key=value, e.g. -c retry.max_retries=5"
        case let .syntax(path, line, column, message):
            return "invalid TOML in \(path) at line \(line), column \(column): \(Self.oneLine(message))"
        case .missingFile(let path):
            return "config file \(path) does not exist"
        case let .unreadableFile(path, reason):
            return "cannot read config file \(path): \(Self.oneLine(reason))"
        case let .unknownProfile(name, selectedBy, available):
            let known = available.isEmpty
                ? "no profiles are defined" : "available: " + available.joined(separator: ", ")
            return "unknown profile \"\(name)\" (from \(selectedBy)); \(known)"
        case let .insecureKeyTransport(endpoint, variable):
            return "refusing to send the API key from \(variable) over plain http to \(endpoint), where anyone "
                + "on the network can read it; use https, unset \(variable), or pass --allow-insecure-http "
                + "(allow_insecure_http = true)"
        }
    }

    /// Collapses line breaks so every message stays on one line.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}

/// Something odd in the configuration that does not stop the program. The CLI prints
/// `description` (one line) on stderr.
public enum ConfigWarning: Sendable, Equatable, CustomStringConvertible {
    /// The config file has a key no setting reads. `line` is nil when the key could not be
    /// found in the text (for example inside an inline table written on several lines).
    case unknownKey(key: String, path: String, line: Int?, suggestion: String?)
    /// `api_key_env` names a variable that is not set, so no key is sent.
    case apiKeyVariableUnset(variable: String)

    public var description: String {
        switch self {
        case let .unknownKey(key, path, line, suggestion):
            let place = line.map { "\(path):\($0)" } ?? path
            let hint = suggestion.map { " (did you mean \"\($0)\"?)" } ?? ""
            return "config warning: unknown key \"\(key)\" in \(place)\(hint)"
        case .apiKeyVariableUnset(let variable):
            return "config warning: api_key_env names \(variable), which is not set; no API key will be sent"
        }
    }
}
