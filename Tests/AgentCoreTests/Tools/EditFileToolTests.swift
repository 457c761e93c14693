import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct EditFileToolTests {
    let tool = EditFileTool()

    @Test func replacesAUniqueString() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("src/a.swift", "let x = 1\nlet y = 2\n")
        let output = try await ws.run(tool, ["path": "src/a.swift", "old_string": "y = 2", "new_string": "y = 3"])
        #expect(output == "Edited src/a.swift: replaced 1 occurrence")
        #expect(try ws.read("src/a.swift") == "let x = 1\nlet y = 3\n")
        #expect(try ws.contents(of: "src") == ["a.swift"])
    }

    @Test func refusesAMissingString() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("src/a.swift", "let x = 1\n")
        await expectToolError(containing: "old_string not found in src/a.swift") {
            try await ws.run(tool, ["path": "src/a.swift", "old_string": "let z", "new_string": "let w"])
        }
        #expect(try ws.read("src/a.swift") == "let x = 1\n")
    }

    @Test func refusesANonUniqueStringSayingHowOftenItAppears() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "foo\nbar\nfoo\nfoo\n")
        await expectToolError(containing: "old_string appears 3 times in a.txt") {
            try await ws.run(tool, ["path": "a.txt", "old_string": "foo", "new_string": "baz"])
        }
        #expect(try ws.read("a.txt") == "foo\nbar\nfoo\nfoo\n")
        let output = try await ws.run(
            tool, ["path": "a.txt", "old_string": "foo", "new_string": "baz", "replace_all": true])
        #expect(output == "Edited a.txt: replaced 3 occurrences")
        #expect(try ws.read("a.txt") == "baz\nbar\nbaz\nbaz\n")
    }

    @Test func matchesCRLFFilesFromTextWithoutCarriageReturns() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("win.txt", "one\r\ntwo\r\nthree\r\n")
        _ = try await ws.run(tool, ["path": "win.txt", "old_string": "one\ntwo", "new_string": "1\n2"])
        #expect(try ws.read("win.txt") == "1\r\n2\r\nthree\r\n")
    }

    @Test func refusesPointlessAndImpossibleEdits() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("bin.dat", Data([1, 0, 2]))
        await expectToolError(containing: "old_string is empty") {
            try await ws.run(tool, ["path": "a.txt", "old_string": "", "new_string": "x"])
        }
        await expectToolError(containing: "old_string and new_string are the same") {
            try await ws.run(tool, ["path": "a.txt", "old_string": "x", "new_string": "x"])
        }
        await expectToolError(containing: "file not found: a.txt") {
            try await ws.run(tool, ["path": "a.txt", "old_string": "x", "new_string": "y"])
        }
        await expectToolError(containing: "bin.dat is a binary file") {
            try await ws.run(tool, ["path": "bin.dat", "old_string": "x", "new_string": "y"])
        }
    }

    @Test func planShowsTheDiffOrTheErrorWithoutTouchingTheFile() throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "alpha\nbeta\n")
        let plan = try ws.plan(tool, ["path": "a.txt", "old_string": "beta", "new_string": "gamma"])
        #expect(
            plan
                == ToolPlan(
                    summary: "edit_file a.txt",
                    preview: "--- a.txt\n+++ a.txt\n@@ -1,2 +1,2 @@\n alpha\n-beta\n+gamma\n",
                    changedPaths: [ws.root + "/a.txt"]))
        #expect(try ws.read("a.txt") == "alpha\nbeta\n")
        #expect(
            throws: ToolError(
                "old_string not found in a.txt; read the file and copy the exact text, including whitespace")
        ) {
            try ws.plan(tool, ["path": "a.txt", "old_string": "delta", "new_string": "x"])
        }
    }

    @Test func planOutsideTheWorkspaceRevealsNothingBeforeApproval() throws {
        let ws = try TemporaryWorkspace()
        try ws.write(ws.outside + "/s.txt", "secret\n")
        let plan = try ws.plan(tool, ["path": "../outside/s.txt", "old_string": "guess", "new_string": "x"])
        #expect(plan == ToolPlan(summary: "edit_file \(ws.outside)/s.txt", outsidePaths: [ws.outside + "/s.txt"],
                                 changedPaths: [ws.outside + "/s.txt"]))
    }
}
