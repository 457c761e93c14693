import AgentCore
import Foundation
import Testing

@testable import AgentCLI

@Suite struct CustomCommandParsingTests {
    func commands() throws -> CustomCommands {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".agent/commands"),
                                                withIntermediateDirectories: true)
        try "Review $ARGUMENTS.".write(to: folder.appendingPathComponent(".agent/commands/review.md"),
                                       atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        return CustomCommands.load(workspace: folder, globalDirectory: folder.path + "/none",
                                   reserved: SlashCommand.builtInNames)
    }

    @Test func theREPLTriesBuiltInsFirstThenFiles() throws {
        let custom = try commands()
        #expect(SlashCommand.parse("/review a.swift b.swift", custom: custom) == .custom(name: "review", arguments: "a.swift b.swift"))
        #expect(SlashCommand.parse("/help", custom: custom) == .help)
        #expect(SlashCommand.parse("/mcp", custom: custom) == .mcp)
        #expect(SlashCommand.parse("/nope", custom: custom) == .unknown(name: "/nope", suggestion: nil))
    }

    @Test func printModeExpandsCommandsAndRefusesOtherSlashWords() throws {
        let custom = try commands()
        #expect(OneShotPrompt.expand("/review main.swift", commands: custom) == .success("Review main.swift."))
        #expect(OneShotPrompt.expand("/model x", commands: custom) == .failure(.interactiveOnly("model")))
        #expect(OneShotPrompt.expand("/reveiw x", commands: custom) == .failure(.unknown("reveiw", available: ["review"])))
        #expect(OneShotPrompt.expand("/usr/bin/env is what?", commands: custom) == .success("/usr/bin/env is what?"))
        #expect(OneShotPrompt.expand("plain words", commands: custom) == .success("plain words"))
    }
}
