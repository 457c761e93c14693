import Foundation

/// A child's stderr, kept in a file (rewritten at each start): the place to look when it
/// misbehaves, and the source of the one line quoted when it dies.
public enum ChildLog {
    /// `path`, once its folder is made (mode 0700) if needed; nil when it cannot be.
    public static func prepare(_ path: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            return nil
        }
        return path
    }

    /// The last non-empty line of the file's final 4 KiB, cut to 200 characters.
    public static func lastLine(of path: String) -> String? {
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
