import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct WriteFileToolTests {
    let tool = WriteFileTool()

    @Test func createsAFileAndItsFolders() async throws {
        let ws = try TemporaryWorkspace()
        let output = try await ws.run(tool, ["path": "deep/er/new.txt", "content": "one\ntwo\n"])
        #expect(output == "Created deep/er/new.txt (2 lines)")
        #expect(try ws.read("deep/er/new.txt") == "one\ntwo\n")
        #expect(tool.isMutating)
    }

    @Test func overwritesAtomicallyLeavingNoTemporaryFiles() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "old\n")
        let output = try await ws.run(tool, ["path": "a.txt", "content": "new"])
        #expect(output == "Overwrote a.txt (1 line)")
        #expect(try ws.read("a.txt") == "new")
        #expect(try ws.contents() == ["a.txt"])
    }

    @Test func keepsTheFilesPermissions() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("run.sh", "echo hi\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ws.path("run.sh"))
        _ = try await ws.run(tool, ["path": "run.sh", "content": "echo bye\n"])
        let mode = try FileManager.default.attributesOfItem(atPath: ws.path("run.sh"))[.posixPermissions] as? Int
        #expect(mode == 0o755)
    }

    @Test func writingThroughASymlinkInsideReplacesItsTarget() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("real.txt", "old\n")
        try ws.symlink("alias.txt", to: "real.txt")
        #expect(try await ws.run(tool, ["path": "alias.txt", "content": "new\n"]) == "Overwrote real.txt (1 line)")
        #expect(try ws.read("real.txt") == "new\n")
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: ws.path("alias.txt"))
        #expect(link == "real.txt")
    }

    @Test func aFailedWriteLeavesNoTemporaryFile() async throws {
        let ws = try TemporaryWorkspace()
        try ws.mkdir("taken")
        await expectToolError(containing: "taken is a directory, not a file") {
            try await ws.run(tool, ["path": "taken", "content": "x"])
        }
        try ws.mkdir("locked")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: ws.path("locked"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ws.path("locked")) }
        // Root ignores folder permissions, so only check the error when the write really failed.
        do {
            _ = try await ws.run(tool, ["path": "locked/a.txt", "content": "x"])
        } catch {
            #expect(error.message.hasPrefix("cannot write locked/a.txt: "))
        }
        #expect(try ws.contents(of: "locked").allSatisfy { !$0.contains(".agent-") })
        #expect(try ws.contents() == ["locked", "taken"])
    }

    @Test func planPreviewsANewFileOrADiff() throws {
        let ws = try TemporaryWorkspace()
        let fresh = try ws.plan(tool, ["path": "n.txt", "content": "a\nb\nc\n"])
        #expect(fresh == ToolPlan(summary: "write_file n.txt", preview: "new file, 3 lines", changedPaths: [ws.root + "/n.txt"]))

        try ws.write("n.txt", "a\nb\nc\n")
        let change = try ws.plan(tool, ["path": "n.txt", "content": "a\nB\nc\n"])
        #expect(change.preview == "--- n.txt\n+++ n.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
        #expect(try ws.plan(tool, ["path": "n.txt", "content": "a\nb\nc\n"]).preview == "no changes")
        #expect(!ws.exists(".agent-tmp"))
    }

    @Test func missingArgumentsAreNamed() throws {
        let ws = try TemporaryWorkspace()
        #expect(throws: ToolError("missing required argument 'content'")) { try ws.plan(tool, ["path": "x"]) }
        #expect(throws: ToolError("argument 'content' must be a string")) {
            try ws.plan(tool, ["path": "x", "content": 3])
        }
    }
}
