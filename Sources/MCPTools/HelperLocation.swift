import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where agent finds agent-mcp, the helper that runs its MCP servers: `AGENT_MCP_HELPER` when
/// set, else next to agent's own executable (where scripts/install puts both), else in `PATH`.
enum HelperLocation {
    static let name = "agent-mcp"
    static let variable = "AGENT_MCP_HELPER"
    static let advice = "install it next to agent (scripts/install does), or set \(variable)"

    /// Why agent-mcp cannot be run, in a line that says what to do.
    struct Missing: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The helper's path: `explicit` (a path given by the caller or `AGENT_MCP_HELPER`), else
    /// the one next to `executable`, else the first in `PATH`.
    static func find(explicit: String?, environment: [String: String], executable: String?) throws(Missing) -> String {
        if let explicit = explicit ?? environment[variable].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw Missing(description: "\(explicit) is missing; \(advice)")
            }
            guard isExecutableFile(explicit) else { throw Missing(description: "\(explicit) is not an executable file") }
            return explicit
        }
        let folder = executable.map { ($0 as NSString).deletingLastPathComponent }
        if let folder, isExecutableFile(folder + "/" + name) { return folder + "/" + name }
        for entry in (environment["PATH"] ?? "").split(separator: ":") where !entry.isEmpty {
            let candidate = entry + "/" + name
            if isExecutableFile(candidate) { return candidate }
        }
        let looked = folder.map { "it is neither next to agent (in \($0)) nor in PATH" } ?? "it is not in PATH"
        throw Missing(description: "\(looked); \(advice)")
    }

    /// agent's own executable, from /proc/self/exe; nil where there is no /proc.
    static func ownExecutable() -> String? {
        do {
            return try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        } catch {
            return Bundle.main.executablePath
        }
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
