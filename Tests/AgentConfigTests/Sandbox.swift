import AgentTestSupport
import Foundation
import Testing

@testable import AgentConfig

/// A temporary HOME with XDG folders and an optional config file, removed when released.
final class Sandbox {
    private let folder: TemporaryDirectory
    var root: String { folder.path }

    init() throws {
        folder = try TemporaryDirectory(prefix: "agent-config-tests")
        try FileManager.default.createDirectory(atPath: folder.path + "/home", withIntermediateDirectories: true)
    }

    /// HOME and the XDG variables, pointing inside the sandbox.
    var environment: [String: String] {
        ["HOME": root + "/home", "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state"]
    }

    /// Where the loader looks when no `--config` is given.
    var defaultConfigPath: String { root + "/config/agent/config.toml" }

    /// Writes `text` as the default config file and returns its path.
    @discardableResult
    func writeConfig(_ text: String) throws -> String {
        try write(text, to: defaultConfigPath)
    }

    @discardableResult
    func write(_ text: String, to path: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Resolves the configuration with the sandbox environment plus `environment`.
    func load(
        environment extra: [String: String] = [:], flags: ConfigFlags = ConfigFlags(), overrides: [String] = []
    ) throws(ConfigError) -> ResolvedConfig {
        let environment = self.environment.merging(extra) { _, new in new }
        return try ConfigLoader(environment: environment).load(flags: flags, overrides: overrides)
    }

    /// The one-line description of the error `load` throws, or nil when it succeeds.
    func loadError(
        environment extra: [String: String] = [:], flags: ConfigFlags = ConfigFlags(), overrides: [String] = []
    ) -> String? {
        do {
            _ = try load(environment: extra, flags: flags, overrides: overrides)
            return nil
        } catch {
            return error.description
        }
    }
}
