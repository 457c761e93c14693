import AgentProtocol
import Foundation
import Testing

@testable import AgentCore

@Suite struct SearchFilesToolTests {
    let tool = SearchFilesTool()

    @Test func reportsPathLineAndText() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("src/a.swift", "import Foundation\nfunc foo() {}\nlet fooBar = 1\n")
        try ws.write("src/b.txt", "foo in text\r\n")
        try ws.write("README.md", "no match here\n")
        let output = try await ws.run(tool, ["pattern": "foo"])
        #expect(output == "src/a.swift:2: func foo() {}\nsrc/a.swift:3: let fooBar = 1\nsrc/b.txt:1: foo in text")
        #expect(!tool.isMutating)
    }

    @Test func aLineWithSeveralMatchesIsReportedOnceAndAnchorsMatchLines() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "x x x\nfoo\n  foo\n")
        #expect(try await ws.run(tool, ["pattern": "x"]) == "a.txt:1: x x x")
        #expect(try await ws.run(tool, ["pattern": "^foo$"]) == "a.txt:2: foo")
    }

    @Test func globAndPathNarrowTheSearch() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("src/a.swift", "needle\n")
        try ws.write("src/a.md", "needle\n")
        try ws.write("docs/b.swift", "needle\n")
        #expect(
            try await ws.run(tool, ["pattern": "needle", "glob": "*.swift"])
                == "docs/b.swift:1: needle\nsrc/a.swift:1: needle")
        #expect(
            try await ws.run(tool, ["pattern": "needle", "path": "src"]) == "src/a.md:1: needle\nsrc/a.swift:1: needle")
        #expect(try await ws.run(tool, ["pattern": "needle", "path": "src/a.md"]) == "src/a.md:1: needle")
        #expect(try await ws.run(tool, ["pattern": "needle", "glob": "src/*.md"]) == "src/a.md:1: needle")
    }

    @Test func skipsGitBuildFoldersBinaryFilesAndSymlinks() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("keep.txt", "needle\n")
        try ws.write(".git/config", "needle\n")
        try ws.write(".build/out.txt", "needle\n")
        try ws.write("node_modules/x/index.js", "needle\n")
        try ws.write("image.png", Data("needle\0".utf8))
        try ws.write(ws.outside + "/secret.txt", "needle\n")
        try ws.symlink("escape", to: ws.outside)
        try ws.symlink("escape.txt", to: ws.outside + "/secret.txt")
        // Reading a pipe nobody writes to would block the search forever.
        #expect(mkfifo(ws.path("pipe"), 0o644) == 0)
        #expect(try await ws.run(tool, ["pattern": "needle"]) == "keep.txt:1: needle")
    }

    @Test func matchesAreCappedWithANote() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("many.txt", String(repeating: "hit\n", count: 300))
        let lines = try await ws.run(tool, ["pattern": "hit"]).split(separator: "\n")
        #expect(lines.count == SearchFilesTool.maxMatches + 1)
        #expect(lines[199] == "many.txt:200: hit")
        #expect(lines.last == "[stopped at 200 matches; narrow the pattern, path or glob]")
    }

    @Test func longLinesAreShortened() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("min.js", "var a=1;" + String(repeating: "x", count: 1_000) + "\n")
        let output = try await ws.run(tool, ["pattern": "var a"])
        #expect(output == "min.js:1: var a=1;" + String(repeating: "x", count: 292) + "…")
    }

    @Test func noMatchesAndBadPatternsAreExplained() async throws {
        let ws = try TemporaryWorkspace()
        try ws.write("a.txt", "hello\n")
        #expect(
            try await ws.run(tool, ["pattern": "absent", "glob": "*.txt"])
                == "no matches for /absent/ in . (files *.txt)")
        await expectToolError(containing: "pattern is not a valid regular expression: foo(") {
            try await ws.run(tool, ["pattern": "foo("])
        }
        #expect(throws: ToolError("pattern is not a valid regular expression: [a-")) {
            try ws.plan(tool, ["pattern": "[a-"])
        }
        await expectToolError(containing: "path not found: nope") {
            try await ws.run(tool, ["pattern": "x", "path": "nope"])
        }
    }
}
