import Foundation

/// A server's stderr, kept in `$XDG_STATE_HOME/agent/mcp/NAME.log` (rewritten at each start):
/// the place to look when a server misbehaves, and the source of the one line agent quotes when
/// a server dies.
enum ServerLog {
    /// The file for `server` in `directory`, which is made (mode 0700) if needed; nil when it cannot be.
    static func path(for server: String, in directory: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            return nil
        }
        return directory + "/" + MCPToolNames.sanitized(server) + ".log"
    }

    /// The last non-empty line of the log's final 4 KiB, cut to 200 characters.
    static func lastLine(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do {
            let end = try handle.seekToEnd()
            try handle.seek(toOffset: end > 4096 ? end - 4096 : 0)
            let data = try handle.readToEnd() ?? Data()
            let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
            return line.map { $0.count > 200 ? String($0.prefix(199)) + "…" : $0 }
        } catch {
            return nil
        }
    }
}
