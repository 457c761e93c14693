import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

/// Every file tool refuses a path outside the workspace unless the call was approved, and its
/// plan names the path so the loop can ask.
@Suite struct OutsideWorkspaceTests {
    static let fileTools: [(tool: any Tool, arguments: @Sendable (String) -> [String: JSONValue])] = [
        (ReadFileTool(), { ["path": .string($0)] }),
        (WriteFileTool(), { ["path": .string($0), "content": "new\n"] }),
        (EditFileTool(), { ["path": .string($0), "old_string": "secret", "new_string": "public"] }),
        (ListDirTool(), { ["path": .string($0)] }),
        (SearchFilesTool(), { ["pattern": "secret", "path": .string($0)] }),
    ]

    /// Paths reaching `outside/secret.txt` (or the folder, for list_dir) in three ways.
    static func escapes(_ ws: TemporaryWorkspace, folder: Bool) throws -> [(argument: String, canonical: String)] {
        try ws.symlink("link", to: ws.outside)
        let leaf = folder ? "" : "/secret.txt"
        return [
            ("../outside" + leaf, ws.outside + leaf),
            (ws.outside + leaf, ws.outside + leaf),
            ("link" + leaf, ws.outside + leaf),
        ]
    }

    @Test(arguments: 0..<5) func refusedUnlessApproved(toolIndex: Int) async throws {
        let (tool, arguments) = Self.fileTools[toolIndex]
        let ws = try TemporaryWorkspace()
        try ws.write(ws.outside + "/secret.txt", "secret\n")
        let isFolderTool = tool is ListDirTool
        for (argument, canonical) in try Self.escapes(ws, folder: isFolderTool) {
            let args = ToolArguments(arguments(argument))
            let plan = try tool.plan(args, context: ws.context())
            #expect(plan.outsidePaths == [canonical], "\(tool.spec.name) \(argument)")
            await expectToolError(containing: "path '\(argument)' is outside the workspace \(ws.root)") {
                try await tool.run(args, context: ws.context())
            }
        }
        #expect(try ws.read(ws.outside + "/secret.txt") == "secret\n")
    }

    @Test(arguments: 0..<5) func allowedWhenApproved(toolIndex: Int) async throws {
        let (tool, arguments) = Self.fileTools[toolIndex]
        let ws = try TemporaryWorkspace()
        try ws.write(ws.outside + "/secret.txt", "secret\n")
        let argument = tool is ListDirTool ? "../outside" : "../outside/secret.txt"
        let output = try await tool.run(ToolArguments(arguments(argument)), context: ws.context(allowOutside: true))
        #expect(!output.isEmpty)
        if tool.isMutating {
            #expect(try ws.read(ws.outside + "/secret.txt") != "secret\n")
        }
    }

    @Test func writingThroughADanglingSymlinkCannotCreateAFileOutside() async throws {
        let ws = try TemporaryWorkspace()
        try ws.symlink("trap", to: ws.outside + "/created.txt")
        await expectToolError(containing: "outside the workspace") {
            try await ws.run(WriteFileTool(), ["path": "trap", "content": "x"])
        }
        #expect(!ws.exists(ws.outside + "/created.txt"))
    }

    @Test func insidePathsNeedNoApproval() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "hello\n")
        let plan = try ws.plan(ReadFileTool(), ["path": "sub/../a.txt"])
        #expect(plan.outsidePaths.isEmpty)
        #expect(plan.summary == "read_file a.txt")
    }
}
