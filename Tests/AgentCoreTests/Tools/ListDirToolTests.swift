import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct ListDirToolTests {
    let tool = ListDirTool()

    func makeTree(_ ws: TemporaryWorkspace) throws {
        try ws.write("b.txt", "")
        try ws.write("A.md", "")
        try ws.write(".hidden", "")
        try ws.write("src/main.swift", "")
        try ws.write("src/deep/x.swift", "")
        for skipped in [
            ".git/HEAD", ".build/debug/x", ".build-linux/x", "node_modules/m/i.js", "target/t", "__pycache__/c.pyc",
            ".venv/bin/python",
        ] {
            try ws.write(skipped, "")
        }
    }

    @Test func listsOneLevelSortedWithFoldersMarked() async throws {
        let ws = try TemporaryWorkspace()
        try makeTree(ws)
        #expect(try await ws.run(tool, [:]) == ".hidden\nA.md\nb.txt\nsrc/")
        #expect(!tool.isMutating)
    }

    @Test func depthDescendsAndPathsStayWorkspaceRelative() async throws {
        let ws = try TemporaryWorkspace()
        try makeTree(ws)
        #expect(
            try await ws.run(tool, ["depth": 3])
                == ".hidden\nA.md\nb.txt\nsrc/\nsrc/deep/\nsrc/deep/x.swift\nsrc/main.swift")
        #expect(try await ws.run(tool, ["path": "src", "depth": 1]) == "src/deep/\nsrc/main.swift")
    }

    @Test func symlinkedFoldersAreMarkedButNotEntered() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("real/f.txt", "")
        try ws.symlink("loop", to: ws.root)
        #expect(try await ws.run(tool, ["depth": 5]) == "loop/\nreal/\nreal/f.txt")
    }

    @Test func entriesAreCappedWithANote() async throws {
        let ws = try TemporaryWorkspace()
        for index in 0..<(ListDirTool.maxEntries + 20) {
            try ws.write(String(format: "f%04d", index), "")
        }
        let lines = try await ws.run(tool, [:]).split(separator: "\n")
        #expect(lines.count == ListDirTool.maxEntries + 1)
        #expect(lines.last == "[stopped at 500 entries; list a subdirectory or use a smaller depth]")
    }

    @Test func errorsSayWhatToDoInstead() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("f.txt", "")
        try ws.mkdir("empty")
        await expectToolError(containing: "f.txt is a file, not a directory; use read_file") {
            try await ws.run(tool, ["path": "f.txt"])
        }
        await expectToolError(containing: "directory not found: nope") { try await ws.run(tool, ["path": "nope"]) }
        await expectToolError(containing: "depth must be 1 or more") { try await ws.run(tool, ["depth": 0]) }
        #expect(try await ws.run(tool, ["path": "empty"]) == "(empty is empty)")
        // Small local models over-ask; the depth is clamped instead of refused.
        #expect(try await ws.run(tool, ["depth": 50]) == "empty/\nf.txt")
    }
}
