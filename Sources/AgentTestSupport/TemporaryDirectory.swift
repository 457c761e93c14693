import Foundation

/// A fresh folder under the system's temporary directory, `<tmp>/<prefix>-<UUID>`, removed with
/// everything in it when the value is released (or at `remove()`). The one way tests make
/// folders, so none writes outside its own.
public final class TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(prefix: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Removes the folder now; releasing the value later does nothing more.
    public func remove() {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            print("warning: could not remove the test folder \(path): \(error)")
        }
    }

    deinit { remove() }
}

/// Runs `body` with a fresh temporary folder, removed afterwards.
public func withTemporaryDirectory<T>(prefix: String = "agent-test", _ body: (URL) async throws -> T) async throws -> T {
    let folder = try TemporaryDirectory(prefix: prefix)
    defer { folder.remove() }
    return try await body(folder.url)
}
