import Foundation
import Testing

@testable import AgentCore

@Suite struct ProjectInstructionsTests {
    @Test func repositoryRootToWorkingFolderAfterTheGlobalFile() throws {
        let space = try TemporaryWorkspace()
        let repo = space.root
        try FileManager.default.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
        try space.write("AGENTS.md", "root rules\n")
        try space.write("app/AGENTS.md", "app rules\n")
        try space.write("app/src/deep/.keep", "")
        let global = space.outside + "/config"
        try FileManager.default.createDirectory(atPath: global, withIntermediateDirectories: true)
        try "global rules\n".write(toFile: global + "/AGENTS.md", atomically: true, encoding: .utf8)

        let found = ProjectInstructions.load(workspace: URL(fileURLWithPath: repo + "/app/src/deep"), globalDirectory: global)
        #expect(found.files.map(\.path) == [global + "/AGENTS.md", repo + "/AGENTS.md", repo + "/app/AGENTS.md"])
        #expect(found.warnings.isEmpty)
        let prompt = found.appended(to: "BASE")
        #expect(prompt.hasPrefix("BASE\n\n# Project instructions (AGENTS.md)"))
        let order = ["global rules", "root rules", "app rules"].compactMap { prompt.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
        #expect(prompt.contains("## " + repo + "/app/AGENTS.md\napp rules"))
    }

    @Test func outsideARepositoryOnlyTheFolderItselfCounts() throws {
        let space = try TemporaryWorkspace()
        try space.write("AGENTS.md", "parent rules\n")
        try space.write("sub/AGENTS.md", "own rules\n")
        let found = ProjectInstructions.load(workspace: URL(fileURLWithPath: space.root + "/sub"),
                                             globalDirectory: space.outside + "/none")
        #expect(found.files.map(\.text) == ["own rules\n"])
    }

    @Test func filesShareAByteBudgetAndACutIsMarked() throws {
        let space = try TemporaryWorkspace()
        try FileManager.default.createDirectory(atPath: space.root + "/.git", withIntermediateDirectories: true)
        try space.write("AGENTS.md", String(repeating: "é", count: 30))  // 60 bytes
        try space.write("a/AGENTS.md", "leaf rules\n")
        let found = ProjectInstructions.load(workspace: URL(fileURLWithPath: space.root + "/a"),
                                             globalDirectory: space.outside, limit: 41)
        #expect(found.files.count == 2)
        #expect(found.files[0].text == String(repeating: "é", count: 20))  // cut at a character boundary
        #expect(found.files[0].isCut)
        #expect(found.files[1].text.isEmpty && found.files[1].isCut)
        #expect(found.warnings.count == 2)
        let prompt = try #require(found.promptSection)
        #expect(prompt.contains("[cut: only the first 40 of 60 bytes fit"))
        #expect(prompt.contains("[left out:"))
    }

    @Test func binaryAndEmptyFilesAreSkipped() throws {
        let space = try TemporaryWorkspace()
        try space.write("AGENTS.md", Data([0x41, 0x00, 0x42]))
        var found = ProjectInstructions.load(workspace: URL(fileURLWithPath: space.root), globalDirectory: space.outside)
        #expect(found.files.isEmpty)
        #expect(found.warnings == ["\(space.root)/AGENTS.md is skipped: it is a binary file"])
        try space.write("AGENTS.md", "  \n")
        found = ProjectInstructions.load(workspace: URL(fileURLWithPath: space.root), globalDirectory: space.outside)
        #expect(found.files.isEmpty && found.warnings.isEmpty && found.promptSection == nil)
    }

    @Test func aWorktreeGitFileMarksTheRoot() throws {
        let space = try TemporaryWorkspace()
        try space.write(".git", "gitdir: /elsewhere\n")
        try space.write("x/y/.keep", "")
        #expect(ProjectRoot.gitRoot(containing: URL(fileURLWithPath: space.root + "/x/y"))?.path == space.root)
        #expect(ProjectRoot.chain(from: URL(fileURLWithPath: space.root), to: URL(fileURLWithPath: space.root + "/x/y"))
            .map(\.path) == [space.root, space.root + "/x", space.root + "/x/y"])
    }
}
