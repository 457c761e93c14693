import Foundation
import Testing

@testable import AgentCore

@Suite struct CustomCommandsTests {
    @Test func argumentsReplaceTheMarkerAndFrontMatterDescribes() throws {
        let space = try TemporaryWorkspace()
        try space.write(".agent/commands/review.md", """
            ---
            description: "Review a file"
            argument-hint: <file>
            ---
            Review $ARGUMENTS for bugs. Focus on $ARGUMENTS only.
            """)
        let commands = CustomCommands.load(workspace: URL(fileURLWithPath: space.root), globalDirectory: space.outside,
                                           reserved: ["help"])
        let review = try #require(commands.command(named: "/Review"))
        #expect(review.description == "Review a file")
        #expect(review.argumentHint == "<file>")
        #expect(review.origin == .project)
        #expect(review.prompt(arguments: " main.swift ") == "Review main.swift for bugs. Focus on main.swift only.")
    }

    /// No commands folder is normal; one that cannot be read is said, not taken for an empty one.
    @Test func aCommandsFolderThatCannotBeReadIsAWarning() throws {
        let space = try TemporaryWorkspace()
        try space.write(".agent/commands", "a file where the folder should be")
        let commands = CustomCommands.load(workspace: URL(fileURLWithPath: space.root), globalDirectory: space.outside,
                                           reserved: [])
        #expect(commands.commands.isEmpty)
        #expect(commands.warnings == ["\(space.root)/.agent/commands is skipped: it cannot be read (Not a directory)"])
    }

    @Test func withoutTheMarkerArgumentsAreAppended() {
        let command = CustomCommands.command(name: "t", text: "Run the tests.\n", path: "/x/t.md", origin: .global)
        #expect(command.description == "Run the tests.")
        #expect(command.prompt(arguments: "") == "Run the tests.")
        #expect(command.prompt(arguments: "fast ones") == "Run the tests.\n\nfast ones")
    }

    @Test func projectBeatsGlobalAndBuiltInsBeatBoth() throws {
        let space = try TemporaryWorkspace()
        try FileManager.default.createDirectory(atPath: space.root + "/.git", withIntermediateDirectories: true)
        try space.write(".agent/commands/deploy.md", "project deploy")
        try space.write(".agent/commands/help.md", "my help")
        try space.write(".agent/commands/bad name.md", "x")
        try space.write(".agent/commands/notes.txt", "not a command")
        try space.write("sub/dir/.keep", "")
        let global = space.outside + "/agent"
        try FileManager.default.createDirectory(atPath: global + "/commands", withIntermediateDirectories: true)
        try "global deploy".write(toFile: global + "/commands/deploy.md", atomically: true, encoding: .utf8)
        try "global only".write(toFile: global + "/commands/mine.md", atomically: true, encoding: .utf8)

        let commands = CustomCommands.load(workspace: URL(fileURLWithPath: space.root + "/sub/dir"),
                                           globalDirectory: global, reserved: ["help"])
        #expect(commands.commands.map(\.name) == ["deploy", "mine"])
        #expect(commands.command(named: "deploy")?.body == "project deploy")
        #expect(commands.command(named: "mine")?.origin == .global)
        #expect(commands.warnings.count == 2)
        #expect(commands.warnings.contains { $0.contains("/help is a built-in command") })
        #expect(commands.warnings.contains { $0.contains("bad name.md is skipped") })
    }

    @Test func frontMatterWithoutAClosingLineIsBody() {
        let matter = FrontMatter(parsing: "---\ndescription: x\nno end")
        #expect(matter.fields.isEmpty)
        #expect(matter.body == "---\ndescription: x\nno end")
    }
}
