import AgentProtocol
import AgentTestSupport
import Foundation
import Testing

@testable import AgentCore

/// A workspace folder and a sibling "outside" folder under a fresh temporary directory, removed
/// when the value goes away.
final class TemporaryWorkspace {
    private let folder: TemporaryDirectory
    let base: URL
    /// The workspace, canonical (no symlinks), as tools will report it.
    let root: String
    /// A folder next to the workspace, outside it.
    let outside: String

    init() throws {
        folder = try TemporaryDirectory(prefix: "agent-tools")
        let canonicalBase = WorkspacePaths.canonicalize(folder.path)
        self.base = URL(fileURLWithPath: canonicalBase)
        self.root = canonicalBase + "/workspace"
        self.outside = canonicalBase + "/outside"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    }

    func context(allowOutside: Bool = false, shellTimeout: Duration = .seconds(120)) -> ToolContext {
        ToolContext(
            workspace: URL(fileURLWithPath: root), allowOutsideWorkspace: allowOutside, shellTimeout: shellTimeout
        )
    }

    /// `relative` below the workspace, or an absolute path as given.
    func path(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : root + "/" + relative
    }

    func write(_ relative: String, _ content: String) throws {
        try write(relative, Data(content.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
    }

    func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path(relative), withIntermediateDirectories: true)
    }

    func contents(of relative: String = ".") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(relative)).sorted()
    }

    /// Plans and runs `tool` as the agent loop would.
    func run(_ tool: some Tool, _ arguments: [String: JSONValue], allowOutside: Bool = false) async throws(ToolError)
        -> String
    {
        try await tool.run(ToolArguments(arguments), context: context(allowOutside: allowOutside))
    }

    func plan(_ tool: some Tool, _ arguments: [String: JSONValue]) throws(ToolError) -> ToolPlan {
        try tool.plan(ToolArguments(arguments), context: context())
    }
}

/// Runs `body`, expecting a ToolError whose message contains `fragment`; returns the message.
@discardableResult
func expectToolError(
    containing fragment: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> some Any
) async -> String? {
    do {
        let value = try await body()
        Issue.record("expected a ToolError containing '\(fragment)', got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as ToolError {
        #expect(error.message.contains(fragment), "message: \(error.message)", sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("expected a ToolError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
