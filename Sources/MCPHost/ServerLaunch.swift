import Foundation
import MCPHostWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Everything needed to spawn one server, worked out from its settings before anything runs:
/// the program's absolute path, the folder, and the environment.
struct ServerLaunch: Equatable {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var directory: String

    /// - Parameters:
    ///   - parent: agent-mcp's environment, which agent made of `HostWire.baseEnvironment` alone;
    ///     only those variables are taken from it, whatever else it holds.
    ///   - settings: agent has already left out of its `env` any variable holding agent's API key.
    /// - Throws: a one-line reason (`command not found: x`).
    init(settings: HostedServerConfig, parent: [String: String], workspace: URL) throws(LaunchError) {
        var environment: [String: String] = [:]
        for name in HostWire.baseEnvironment { environment[name] = parent[name] }
        for (name, value) in settings.env { environment[name] = value }
        self.environment = environment

        let base = workspace.standardizedFileURL.path
        var directory = base
        if let cwd = settings.cwd {
            directory = cwd.hasPrefix("/") ? cwd : URL(fileURLWithPath: base).appendingPathComponent(cwd).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw LaunchError("cwd \(directory) is not a directory") }
        }
        self.directory = directory
        executable = try Self.resolve(settings.command, searchPath: environment["PATH"], directory: directory)
        arguments = settings.args
    }

    struct LaunchError: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A command with a `/` is a path (relative to the server's folder); a bare name is looked
    /// up in the server's own `PATH`, as its shell would.
    static func resolve(_ command: String, searchPath: String?, directory: String) throws(LaunchError) -> String {
        if command.contains("/") {
            let path = command.hasPrefix("/") ? command : URL(fileURLWithPath: directory).appendingPathComponent(command).path
            guard FileManager.default.fileExists(atPath: path) else { throw LaunchError("command not found: \(command)") }
            guard isExecutableFile(path) else { throw LaunchError("\(path) is not an executable file") }
            return path
        }
        let folders = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for folder in folders where !folder.isEmpty {
            let candidate = folder + "/" + command
            if isExecutableFile(candidate) { return candidate }
        }
        throw LaunchError("command not found: \(command) (not in PATH)")
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
