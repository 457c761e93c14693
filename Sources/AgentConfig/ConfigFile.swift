import Foundation

/// One value for one key from one layer, with the spelling and place to blame if it is bad.
struct Assignment: Sendable, Equatable {
    let key: SettingKey
    let value: ConfigValue
    let source: ConfigSource
    /// The key as the user wrote it: `retry.max_retries`, `profiles.fast.timeout`, `--model`'s key.
    let writtenKey: String
}

/// A parsed config file: the assignments at its top level, those of each profile, the
/// `profile = "…"` default, and warnings for keys nothing reads.
///
/// Invariant: every table the schema expects (`[retry]`, `[profiles.NAME]`, …) was a table, and
/// `profile` was a string; values themselves are checked later, when they are applied.
struct ConfigFile: Sendable {
    let path: String
    let topLevel: [Assignment]
    /// Profile name → its assignments.
    let profiles: [String: [Assignment]]
    /// The `profile = "NAME"` key, if present.
    let defaultProfile: String?
    /// The `[mcp_servers.NAME]` tables, sorted by name.
    let mcpServers: [MCPServerSettings]
    let warnings: [ConfigWarning]

    /// Reads and parses the file at `path`.
    /// - Returns: nil when the file does not exist and `required` is false.
    /// - Throws: `ConfigError.missingFile` when it does not exist and `required` is true;
    ///   `.unreadableFile`, `.syntax` or `.invalidValue` for a bad file.
    static func load(path: String, required: Bool) throws(ConfigError) -> ConfigFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            if required { throw .missingFile(path: path) }
            return nil
        }
        if isDirectory.boolValue { throw .unreadableFile(path: path, reason: "it is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "permission denied or I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        return try ConfigFile(path: path, text: text)
    }

    /// Parses `text` as the contents of the file at `path` (which is only used in messages).
    init(path: String, text: String) throws(ConfigError) {
        let document: [(key: String, value: ConfigValue)]
        do {
            document = try ConfigValue.parseDocument(text)
        } catch {
            throw .syntax(path: path, line: error.line, column: error.column, message: error.message)
        }
        var walker = Walker(path: path, locator: KeyLineLocator(text: text))
        var profiles: [String: [Assignment]] = [:]
        var defaultProfile: String?
        var topLevel: [Assignment] = []
        var mcpServers: [MCPServerSettings] = []
        for (key, value) in document {
            switch key {
            case "profile":
                guard case .string(let name) = value, !name.isEmpty else {
                    throw .invalidValue(key: key, location: path, expected: "a profile name", got: value.shown)
                }
                defaultProfile = name
            case "mcp_servers":
                let parsed = try MCPServerTable.parse(value, path: path, locator: walker.locator)
                mcpServers = parsed.servers
                walker.warnings += parsed.warnings
            case "profiles":
                profiles = try Self.profiles(in: value, path: path, walker: &walker)
            default:
                topLevel += try walker.settings(in: [(key, value)], prefix: [], source: .file(path: path))
            }
        }
        self.path = path
        self.topLevel = topLevel
        self.profiles = profiles
        self.defaultProfile = defaultProfile
        self.mcpServers = mcpServers
        self.warnings = walker.warnings.sorted { ($0.sortLine, $0.description) < ($1.sortLine, $1.description) }
    }
}

extension ConfigFile {
    /// `[profiles.NAME]` tables: each one's settings, checked like the top level's.
    fileprivate static func profiles(
        in value: ConfigValue, path: String, walker: inout Walker
    ) throws(ConfigError) -> [String: [Assignment]] {
        guard case .table(let entries) = value else {
            throw .invalidValue(key: "profiles", location: path, expected: "a table of profiles", got: value.shown)
        }
        var profiles: [String: [Assignment]] = [:]
        for (name, body) in entries {
            guard case .table(let profileEntries) = body else {
                throw .invalidValue(key: "profiles.\(name)", location: path, expected: "a table", got: body.shown)
            }
            profiles[name] = try walker.settings(
                in: profileEntries, prefix: ["profiles", name], source: .profile(name: name, path: path))
        }
        return profiles
    }
}

/// Turns a table of settings (the file's top level or one profile) into assignments.
private struct Walker {
    let path: String
    let locator: KeyLineLocator
    var warnings: [ConfigWarning] = []

    /// `prefix` is where the table sits in the file (`[]` or `["profiles", name]`); keys are
    /// looked up without it and reported with it.
    mutating func settings(
        in entries: [(key: String, value: ConfigValue)], prefix: [String], source: ConfigSource
    ) throws(ConfigError) -> [Assignment] {
        var assignments: [Assignment] = []
        for (key, value) in entries {
            if SettingKey.tableNames.contains(key) {
                guard case .table(let inner) = value else {
                    throw .invalidValue(
                        key: written(prefix + [key]), location: path, expected: "a table", got: value.shown)
                }
                for (innerKey, innerValue) in inner {
                    assignments += assignment(key + "." + innerKey, innerValue, prefix: prefix, source: source)
                }
            } else {
                assignments += assignment(key, value, prefix: prefix, source: source)
            }
        }
        return assignments
    }

    private mutating func assignment(
        _ name: String, _ value: ConfigValue, prefix: [String], source: ConfigSource
    ) -> [Assignment] {
        let segments = prefix + name.split(separator: ".").map(String.init)
        guard let key = SettingKey(rawValue: name) else {
            let extraNames = prefix.isEmpty ? ["profile", "profiles", "mcp_servers"] : []
            let suggestion = SettingKey.suggestion(for: name, extraNames: extraNames).map { written(prefix + [$0]) }
            let line = locator.line(of: segments)
            warnings.append(.unknownKey(key: written(segments), path: path, line: line, suggestion: suggestion))
            return []
        }
        return [Assignment(key: key, value: value, source: source, writtenKey: written(segments))]
    }

    /// Dotted spelling of a key path, as it would be written in the file.
    private func written(_ segments: [String]) -> String {
        segments.joined(separator: ".")
    }
}

extension ConfigWarning {
    /// Orders warnings by line; warnings without a line come last.
    fileprivate var sortLine: Int {
        switch self {
        case .unknownKey(_, _, let line, _): line ?? Int.max
        case .apiKeyVariableUnset: Int.max
        }
    }
}
