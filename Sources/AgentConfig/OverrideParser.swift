/// A parsed `-c key=value` argument.
enum Override: Sendable, Equatable {
    /// Sets a setting.
    case setting(Assignment)
    /// `-c profile=NAME` selects a profile.
    case profile(String)
}

/// Parses `-c key=value` arguments.
///
/// The value is read as a TOML value (`5`, `1.5`, `true`, `"text"`). For keys that hold text a
/// bare word is taken as it is (`-c model=llama3.2`, `-c endpoint=http://host:8080`); a value
/// that is not valid TOML is kept as text, so a wrong type is reported like one in the file
/// (`got "lots"`).
enum OverrideParser {
    static func parse(_ argument: String) throws(ConfigError) -> Override {
        guard let equals = argument.firstIndex(of: "=") else { throw .malformedOverride(argument: argument) }
        let name = argument[..<equals].trimmingSpaces()
        let raw = argument[argument.index(after: equals)...].trimmingSpaces()
        guard !name.isEmpty else { throw .malformedOverride(argument: argument) }

        if name == "profile" {
            guard case .string(let profile) = value(of: raw, preferText: true), !profile.isEmpty else {
                throw .invalidValue(key: name, location: "-c override", expected: "a profile name", got: "\"\"")
            }
            return .profile(profile)
        }
        guard let key = SettingKey(rawValue: name) else {
            throw .unknownOverrideKey(key: name, suggestion: SettingKey.suggestion(for: name, extraNames: ["profile"]))
        }
        let assignment = Assignment(
            key: key, value: value(of: raw, preferText: key.takesString), source: .override, writtenKey: name)
        return .setting(assignment)
    }

    /// `raw` as a TOML value; as text when `preferText` and it is not quoted, or when it is
    /// not a single valid TOML value.
    private static func value(of raw: String, preferText: Bool) -> ConfigValue {
        let quoted = raw.hasPrefix("\"") || raw.hasPrefix("'")
        if preferText && !quoted { return .string(raw) }
        guard let document = try? ConfigValue.parseDocument("v = " + raw),
            document.count == 1, let only = document.first, only.key == "v"
        else { return .string(raw) }
        return only.value
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
