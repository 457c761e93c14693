import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct ReadFileToolTests {
    let tool = ReadFileTool()

    @Test func linesAreNumberedLikeCatN() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "first\nsecond\r\nthird")
        #expect(try await ws.run(tool, ["path": "a.txt"]) == "     1\tfirst\n     2\tsecond\n     3\tthird")
        #expect(!tool.isMutating)
    }

    @Test func offsetAndLimitSelectAWindowWithANoteOnHowToContinue() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("n.txt", (1...10).map { "line \($0)\n" }.joined())
        let output = try await ws.run(tool, ["path": "n.txt", "offset": 4, "limit": "2"])
        #expect(output == "     4\tline 4\n     5\tline 5\n[showed lines 4-5 of 10; use offset=6 to read more]")
        #expect(try await ws.run(tool, ["path": "n.txt", "offset": 9]) == "     9\tline 9\n    10\tline 10")
    }

    @Test func longFilesAreCappedAtTwoThousandLines() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("long.txt", (1...2_500).map { "\($0)\n" }.joined())
        let output = try await ws.run(tool, ["path": "long.txt", "limit": 5_000])
        let lines = output.split(separator: "\n")
        #expect(lines.count == 2_001)
        #expect(lines.last == "[showed lines 1-2000 of 2500; use offset=2001 to read more]")
    }

    @Test func outputIsCappedInBytesAndLongLinesAreCut() async throws {
        let ws = try TemporaryWorkspace()
        let line = String(repeating: "é", count: 1_500)  // 3,000 bytes: cut at 2,000
        try ws.write("wide.txt", Array(repeating: line, count: 200).joined(separator: "\n") + "\n")
        let output = try await ws.run(tool, ["path": "wide.txt"])
        #expect(output.utf8.count <= ReadFileTool.maxBytes + 200)
        #expect(output.hasSuffix("use offset=129 to read more]"))
        #expect(output.contains("[output capped at 256 KB; showed lines 1-128 of 200;"))
        let first = try #require(output.split(separator: "\n").first)
        #expect(first == "     1\t" + String(repeating: "é", count: 1_000) + " … [line cut, 1000 more bytes]")
    }

    @Test func binaryFilesAreRefused() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("image.bin", Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]))
        await expectToolError(containing: "image.bin is a binary file") {
            try await ws.run(tool, ["path": "image.bin"])
        }
    }

    @Test func badRequestsGiveActionableErrors() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("short.txt", "one\ntwo\n")
        try ws.mkdir("folder")
        await expectToolError(containing: "file not found: nope.txt") { try await ws.run(tool, ["path": "nope.txt"]) }
        await expectToolError(containing: "folder is a directory; use list_dir") {
            try await ws.run(tool, ["path": "folder"])
        }
        await expectToolError(containing: "offset 5 is past the end of short.txt, which has 2 lines") {
            try await ws.run(tool, ["path": "short.txt", "offset": 5])
        }
        await expectToolError(containing: "offset must be 1 or more") {
            try await ws.run(tool, ["path": "short.txt", "offset": 0])
        }
        await expectToolError(containing: "missing required argument 'path'") { try await ws.run(tool, [:]) }
        #expect(mkfifo(ws.path("pipe"), 0o644) == 0)
        await expectToolError(containing: "pipe is not a regular file") { try await ws.run(tool, ["path": "pipe"]) }
        #expect(throws: ToolError("limit must be 1 or more")) { try ws.plan(tool, ["path": "short.txt", "limit": 0]) }
    }

    @Test func anEmptyFileSaysSo() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("empty.txt", "")
        #expect(try await ws.run(tool, ["path": "empty.txt"]) == "(empty.txt is empty)")
    }
}
