import Foundation

/// Where agent keeps its files, following the XDG base directory spec, computed from an
/// environment dictionary so tests can point it at temporary folders.
///
/// Invariant: every path is absolute whenever `HOME` (or the XDG variables) are absolute.
/// XDG variables that are empty or relative are ignored, as the spec requires.
public struct Paths: Sendable, Hashable {
    /// The user's home directory: `HOME`, or the account's home when `HOME` is unset.
    public var home: String
    /// `$XDG_CONFIG_HOME/agent`, default `~/.config/agent`.
    public var configDirectory: String
    /// `$XDG_STATE_HOME/agent`, default `~/.local/state/agent`.
    public var stateDirectory: String

    public init(environment: [String: String]) {
        let home = Self.withoutTrailingSlash(
            environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? FileManager.default.homeDirectoryForCurrentUser.path)
        self.home = home.isEmpty ? "/" : home
        configDirectory = Self.xdg("XDG_CONFIG_HOME", in: environment, fallback: home + "/.config") + "/agent"
        stateDirectory = Self.xdg("XDG_STATE_HOME", in: environment, fallback: home + "/.local/state") + "/agent"
    }

    /// The default config file: `<config>/config.toml`.
    public var configFile: String { configDirectory + "/config.toml" }
    /// The default sessions directory: `<state>/sessions`.
    public var sessionsDirectory: String { stateDirectory + "/sessions" }
    /// The line-editor history file: `<state>/history`.
    public var historyFile: String { stateDirectory + "/history" }

    /// `path` with a leading `~` or `~/` replaced by `home`; other paths are returned unchanged.
    public func expandingTilde(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    private static func xdg(_ variable: String, in environment: [String: String], fallback: String) -> String {
        guard let value = environment[variable], value.hasPrefix("/") else { return fallback }
        return withoutTrailingSlash(value)
    }

    /// `/` itself becomes empty, so appending `/agent` still yields one slash.
    private static func withoutTrailingSlash(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
